"""Deleting moves records to the recycle bin; restoring brings them back."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from jituan_desktop.domain.charter import Leader, Membership, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.services.base import NotFound
from jituan_desktop.services.recycle_bin import KINDS

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


def test_every_recycle_bin_kind_is_covered_here(records) -> None:
    assert set(KINDS) == set(records)


@pytest.mark.parametrize("entity", sorted(KINDS))
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
