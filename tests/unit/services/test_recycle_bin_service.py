"""Deleting moves records to the recycle bin; restoring brings them back."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from jituan_desktop.domain.charter import CharterSection, Leader, Membership, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_date
from jituan_desktop.services.base import NotFound
from jituan_desktop.services.recycle_bin import KINDS
from jituan_desktop.services.signing import NewIdentity

ACTOR = "测试员"


@pytest.fixture
def records(services, add_school, add_group) -> dict[str, Any]:
    """One record of every kind the recycle bin handles, and how to list that kind."""
    school = add_school("第一实验小学")
    group = add_group("贺兰山教育集团")
    teacher, _ = services.teachers.save(Teacher(None, school.id, "王建华", subjects=("语文",)))
    membership, _ = services.groups.save_membership(Membership(
        None, group.id, school.id, SchoolRole.CORE, dt.date(2024, 9, 1)))
    leader, _ = services.charter.save_leader(Leader(None, group.id, LeaderRole.LEADER, "王建华"))
    plan, _ = services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "计划"))
    section = services.charter.sections(group.id)[0]
    return {"school": school, "teacher": teacher, "group": group, "membership": membership,
            "leader": leader, "plan": plan, "charter_section": section}


def listed_ids(services, entity: str, records: dict[str, Any]) -> set[int]:
    group_id = records["group"].id
    lists: dict[str, Callable[[], list[Any]]] = {
        "school": services.schools.list, "teacher": services.teachers.list,
        "group": services.groups.list,
        "membership": lambda: services.groups.memberships(group_id),
        "leader": lambda: services.charter.leaders(group_id),
        "plan": lambda: services.charter.plans(group_id),
        "charter_section": lambda: services.charter.sections(group_id),
    }
    return {r.id for r in lists[entity]()}


# The activity records and agreements need a whole group around them: they are taken from the
# demo database, where every kind has records (a signing identity is created there).
DEMO_LISTS: dict[str, Callable[[Any, int], list[Any]]] = {
    "course": lambda s, g: s.courses.list(g),
    "research_session": lambda s, g: s.research.list(g),
    "placement": lambda s, g: s.placements.list(g),
    "rotation": lambda s, g: s.rotations.list(g),
    "agreement": lambda s, g: s.agreements.list(g),
    "signing_identity": lambda s, _g: s.signing.list(),
}


def test_every_recycle_bin_kind_is_covered_here(records) -> None:
    assert set(KINDS) == set(records) | set(DEMO_LISTS)


@pytest.mark.parametrize("entity", sorted(DEMO_LISTS))
def test_activity_records_go_to_the_recycle_bin_and_come_back(demo_services, entity) -> None:
    services = demo_services
    group_id = services.groups.list()[0].id
    if entity == "signing_identity":
        school = services.schools.list()[0]
        services.signing.create(NewIdentity(school.id, "王建华", "Hl-2026-签章!", "Hl-2026-签章!"))
    listed = DEMO_LISTS[entity]
    record = listed(services, group_id)[0]
    in_bin_before = {(i.entity, i.id) for i in services.recycle_bin.list()}
    # WHEN it is deleted, THEN it leaves its list for the recycle bin, with a history entry
    services.recycle_bin.delete(entity, record.id)
    assert record.id not in {r.id for r in listed(services, group_id)}
    assert (entity, record.id) in {(i.entity, i.id) for i in services.recycle_bin.list()}
    assert services.recycle_bin.history()[0].action == "delete"
    # WHEN it is restored, THEN it is back and the recycle bin is as before
    services.recycle_bin.restore(entity, record.id)
    assert record.id in {r.id for r in listed(services, group_id)}
    assert {(i.entity, i.id) for i in services.recycle_bin.list()} == in_bin_before


@pytest.mark.parametrize("entity", sorted(set(KINDS) - set(DEMO_LISTS)))
def test_delete_moves_to_the_recycle_bin_and_restore_brings_back(services, records,
                                                                 entity) -> None:
    record = records[entity]
    assert record.id in listed_ids(services, entity, records)
    # WHEN the record is deleted
    changes = services.recycle_bin.delete(entity, record.id)
    # THEN it is gone from its list and listed in the recycle bin
    assert changes.touches(entity, "recycle_bin") and record.id in changes.ids
    assert record.id not in listed_ids(services, entity, records)
    [item] = services.recycle_bin.list()
    assert (item.entity, item.id) == (entity, record.id)
    assert item.label and item.kind_label
    assert isinstance(item.deleted_at, dt.datetime)
    # AND the history says who deleted it
    latest = services.recycle_bin.history()[0]
    assert (latest.action, latest.entity, latest.entity_id, latest.actor) == (
        "delete", entity, record.id, ACTOR)
    # WHEN it is restored
    services.recycle_bin.restore(entity, record.id)
    # THEN it is back in its list, the recycle bin is empty and the history has the restore
    assert record.id in listed_ids(services, entity, records)
    assert services.recycle_bin.list() == []
    latest = services.recycle_bin.history()[0]
    assert (latest.action, latest.entity_id, latest.actor) == ("restore", record.id, ACTOR)


def test_a_deleted_record_keeps_its_data(services, records) -> None:
    teacher = records["teacher"]
    services.recycle_bin.delete("teacher", teacher.id)
    services.recycle_bin.restore("teacher", teacher.id)
    assert services.teachers.get(teacher.id) == teacher


def test_the_recycle_bin_lists_the_latest_deletion_first(services, records) -> None:
    services.recycle_bin.delete("plan", records["plan"].id)
    services.recycle_bin.delete("school", records["school"].id)
    assert [item.entity for item in services.recycle_bin.list()] == ["school", "plan"]


def test_deleting_twice_or_restoring_a_live_record_raises_not_found(services, records,
                                                                    counts) -> None:
    school = records["school"]
    with pytest.raises(NotFound):
        services.recycle_bin.restore("school", school.id)
    services.recycle_bin.delete("school", school.id)
    before = counts(services)
    with pytest.raises(NotFound):
        services.recycle_bin.delete("school", school.id)
    with pytest.raises(NotFound):
        services.recycle_bin.delete("school", 9999)
    assert counts(services) == before


def test_group_deletions_are_in_the_groups_history(services, records) -> None:
    group = records["group"]
    services.recycle_bin.delete("plan", records["plan"].id)
    entry = services.recycle_bin.history(group_id=group.id)[0]
    assert (entry.action, entry.entity) == ("delete", "plan")


def test_restoring_a_school_whose_name_was_reused_is_refused(services, add_school) -> None:
    # GIVEN a school in the recycle bin and a new school with the same name
    old = add_school("甲校")
    services.recycle_bin.delete("school", old.id)
    services.schools.save(School(None, "甲校"))
    # WHEN the old one is restored THEN it is refused (or renamed): names stay unique
    with contextlib.suppress(Exception):  # any refusal is fine
        services.recycle_bin.restore("school", old.id)
    names = [s.name for s in services.schools.list()]
    assert len(names) == len(set(names))


# ---- restoring checks the record against the records in use --------------------------------


def test_restoring_a_core_period_while_another_school_is_core_is_refused(
        services, add_group, add_school, counts) -> None:
    # GIVEN a core period in the recycle bin and another school made core meanwhile
    group = add_group("贺兰山教育集团")
    old, new = add_school("第一实验小学"), add_school("第二实验小学")
    first, _ = services.groups.save_membership(Membership(
        None, group.id, old.id, SchoolRole.CORE, dt.date(2024, 9, 1)))
    services.recycle_bin.delete("membership", first.id)
    services.groups.save_membership(Membership(
        None, group.id, new.id, SchoolRole.CORE, dt.date(2024, 9, 1)))
    before = counts(services)
    # WHEN the old core period is restored  THEN it is refused, naming the core school
    with pytest.raises(ValidationError) as caught:
        services.recycle_bin.restore("membership", first.id)
    assert "第二实验小学" in str(caught.value) and "第一实验小学" in str(caught.value)
    assert "role" in caught.value.report
    # AND nothing changed: one core, the period still in the recycle bin
    assert counts(services) == before
    assert [m.school_id for m in services.groups.memberships(group.id)] == [new.id]
    assert [item.id for item in services.recycle_bin.list()] == [first.id]


def test_restoring_a_school_whose_core_place_was_taken_is_refused(services, add_group,
                                                                  add_school) -> None:
    # GIVEN a core school in the recycle bin (its period hidden with it), and a new core
    group = add_group("贺兰山教育集团")
    old, new = add_school("第一实验小学"), add_school("第二实验小学")
    services.groups.save_membership(Membership(
        None, group.id, old.id, SchoolRole.CORE, dt.date(2024, 9, 1)))
    services.recycle_bin.delete("school", old.id)
    services.groups.save_membership(Membership(
        None, group.id, new.id, SchoolRole.CORE, dt.date(2024, 9, 1)))
    # WHEN the old school is restored  THEN it is refused: its period would be a second core
    with pytest.raises(ValidationError):
        services.recycle_bin.restore("school", old.id)
    assert [s.name for s in services.schools.list()] == ["第二实验小学"]


def test_restoring_a_second_standard_section_of_a_kind_is_refused(services, add_group) -> None:
    group = add_group("贺兰山教育集团")
    coordination = next(s for s in services.charter.sections(group.id)
                        if s.kind is SectionKind.COORDINATION)
    services.recycle_bin.delete("charter_section", coordination.id)
    services.charter.save_section(CharterSection(None, group.id, SectionKind.COORDINATION,
                                                 "协调机制（新）"))
    with pytest.raises(ValidationError) as caught:
        services.recycle_bin.restore("charter_section", coordination.id)
    assert "kind" in caught.value.report
    kinds = [s.kind for s in services.charter.sections(group.id)]
    assert kinds.count(SectionKind.COORDINATION) == 1


def test_restoring_a_plan_of_a_period_that_has_one_again_is_refused(services, add_group) -> None:
    group = add_group("贺兰山教育集团")
    old, _ = services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "旧计划"))
    services.recycle_bin.delete("plan", old.id)
    services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "新计划"))
    with pytest.raises(ValidationError) as caught:
        services.recycle_bin.restore("plan", old.id)
    assert "start_year" in caught.value.report and "旧计划" in str(caught.value)
    assert [p.title for p in services.charter.plans(group.id)] == ["新计划"]


def test_restoring_a_group_whose_name_was_reused_is_refused_with_the_rename_hint(
        services, add_group) -> None:
    old = add_group("贺兰山教育集团")
    services.recycle_bin.delete("group", old.id)
    add_group("贺兰山教育集团")
    with pytest.raises(ValidationError) as caught:
        services.recycle_bin.restore("group", old.id)
    assert caught.value.report["name"] == _(
        "“{name}” cannot be restored: another {kind} of that name is in use. Rename that one "
        "first.").format(name="贺兰山教育集团", kind=_("Group"))


def test_every_record_kind_needs_a_restore_validator(services) -> None:
    from jituan_desktop.services.recycle_bin import RecycleBinService

    with pytest.raises(ValueError, match="plan"):
        RecycleBinService(services.db, {k: lambda _id: ValidationReport()
                                        for k in KINDS if k != "plan"})


def test_a_deleted_membership_is_labelled_with_school_role_and_join_date(services,
                                                                        records) -> None:
    membership = records["membership"]
    services.recycle_bin.delete("membership", membership.id)
    [item] = services.recycle_bin.list()
    assert item.label == _("{school} ({role}), joined on {date}").format(
        school="第一实验小学", role=SchoolRole.CORE.label(),
        date=format_date(dt.date(2024, 9, 1)))
    assert "#" not in item.label and "2024-09-01" not in item.label
    # AND the history of the deletion says the same
    assert item.label in services.recycle_bin.history()[0].summary
