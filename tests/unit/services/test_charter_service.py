"""The charter: leadership group, sections and plans through the service."""

from __future__ import annotations

import dataclasses

import pytest

from jituan_desktop.domain.charter import CharterSection, Leader, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SectionKind
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.services.base import NotFound

ACTOR = "测试员"


@pytest.fixture
def group(add_group):
    return add_group("贺兰山教育集团")


def test_leaders_are_listed_leader_first_with_their_school(services, group, add_school) -> None:
    # GIVEN a liaison, two deputies and a leader entered in that order
    school = add_school("第一实验小学")
    services.charter.save_leader(Leader(None, group.id, LeaderRole.LIAISON, "张敏"))
    services.charter.save_leader(Leader(None, group.id, LeaderRole.DEPUTY, "李二", sort_order=2))
    services.charter.save_leader(Leader(None, group.id, LeaderRole.DEPUTY, "李一", sort_order=1))
    leader, changes = services.charter.save_leader(Leader(
        None, group.id, LeaderRole.LEADER, " 王建华 ", school_id=school.id, position="校长"))
    # THEN they are listed by role, then by their order, and the leader shows the school
    assert changes.touches("leader") and leader.id in changes.ids
    listed = services.charter.leaders(group.id)
    assert [x.person_name for x in listed] == ["王建华", "李一", "李二", "张敏"]
    assert listed[0].school_name == "第一实验小学"
    assert listed[0] == dataclasses.replace(leader, school_name="第一实验小学")


def test_a_leader_without_a_name_is_refused(services, group, counts) -> None:
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.charter.save_leader(Leader(None, group.id, LeaderRole.MEMBER, "  "))
    assert "person_name" in caught.value.report
    assert counts(services) == before


def test_filling_in_a_standard_section_records_history(services, group) -> None:
    # GIVEN the empty 议事规则 section every new group gets
    rules = next(s for s in services.charter.sections(group.id)
                 if s.kind is SectionKind.RULES_OF_PROCEDURE)
    # WHEN it is filled in
    services.charter.save_section(dataclasses.replace(rules, body="每学期至少召开两次会议。"))
    # THEN the text is kept and the history has the change, by the actor, for this group
    saved = next(s for s in services.charter.sections(group.id) if s.id == rules.id)
    assert saved.body == "每学期至少召开两次会议。"
    latest = services.recycle_bin.history(group_id=group.id)[0]
    assert (latest.action, latest.entity, latest.entity_id, latest.actor) == (
        "update", "charter_section", rules.id, ACTOR)


def test_a_second_section_of_a_standard_kind_is_refused(services, group, counts) -> None:
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.charter.save_section(CharterSection(None, group.id, SectionKind.POWERS_LIST,
                                                     "职权清单二"))
    assert "kind" in caught.value.report
    assert counts(services) == before


def test_custom_sections_are_appended_after_the_others(services, group) -> None:
    first, _ = services.charter.save_section(CharterSection(None, group.id, SectionKind.CUSTOM,
                                                            "附则"))
    second, _ = services.charter.save_section(CharterSection(None, group.id, SectionKind.CUSTOM,
                                                             "附件"))
    sections = services.charter.sections(group.id)
    assert [s.title for s in sections[-2:]] == ["附则", "附件"]
    assert first.sort_order < second.sort_order
    assert [s.sort_order for s in sections] == sorted(s.sort_order for s in sections)


def test_plans_are_saved_and_duplicates_refused(services, group, counts) -> None:
    annual, changes = services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025,
                                                      "2025—2026学年集团工作计划"))
    services.charter.save_plan(Plan(None, group.id, PlanKind.THREE_YEAR, 2025, "三年发展规划"))
    services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2026, "下一学年计划"))
    assert changes.touches("plan")
    plans = services.charter.plans(group.id)
    assert [(p.kind, p.start_year) for p in plans] == [
        (PlanKind.THREE_YEAR, 2025), (PlanKind.ANNUAL, 2026), (PlanKind.ANNUAL, 2025)]
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "重复"))
    assert "start_year" in caught.value.report
    assert counts(services) == before
    # editing the plan itself is not a duplicate
    services.charter.save_plan(dataclasses.replace(annual, body="1. 完成章程修订。"))
    assert next(p for p in services.charter.plans(group.id) if p.id == annual.id).body


def test_charter_records_of_two_groups_stay_apart(services, group, add_group) -> None:
    other = add_group("另一个集团")
    services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "甲计划"))
    services.charter.save_leader(Leader(None, group.id, LeaderRole.LEADER, "王建华"))
    assert services.charter.plans(other.id) == []
    assert services.charter.leaders(other.id) == []
    # the same kind and year in another group is fine
    services.charter.save_plan(Plan(None, other.id, PlanKind.ANNUAL, 2025, "乙计划"))


def test_editing_a_deleted_plan_raises_not_found(services, group) -> None:
    plan, _ = services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025, "计划"))
    services.recycle_bin.delete("plan", plan.id)
    assert services.charter.plans(group.id) == []
    with pytest.raises(NotFound):
        services.charter.save_plan(dataclasses.replace(plan, body="x"))
