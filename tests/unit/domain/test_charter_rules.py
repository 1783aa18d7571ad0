"""A group's charter records and their rules: groups, membership periods, sections, plans."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.charter import (
    CharterSection,
    Group,
    Leader,
    Membership,
    MembershipContext,
    Plan,
    validate_group,
    validate_leader,
    validate_membership,
    validate_plan,
    validate_section,
)
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind

D = dt.date
CORE, MEMBER = SchoolRole.CORE, SchoolRole.MEMBER
LABELS = ["融合型", "共建型", "协作型"]


def period(id_: int | None, school_id: int, role: SchoolRole, joined: dt.date,
           left: dt.date | None = None, *, group_id: int = 1, group_name: str = "") -> Membership:
    return Membership(id_, group_id, school_id, role, joined, left_on=left,
                      leave_reason="撤并" if left else "", school_name=f"学校{school_id}",
                      group_name=group_name)


def ctx(*in_group: Membership, elsewhere: tuple[Membership, ...] = (),
        exclusive: bool = False) -> MembershipContext:
    return MembershipContext(tuple(in_group), elsewhere, exclusive_membership=exclusive,
                             exclusive_rule="TEST-01")


# ---- membership periods -------------------------------------------------------------------


def test_an_open_period_is_active_from_its_join_date_on() -> None:
    m = period(1, 1, MEMBER, D(2024, 9, 1))
    assert not m.active_on(D(2024, 8, 31))
    assert m.active_on(D(2024, 9, 1))
    assert m.active_on(D(2099, 1, 1))


def test_a_closed_period_is_active_up_to_and_including_its_leave_date() -> None:
    m = period(1, 1, MEMBER, D(2024, 9, 1), D(2025, 8, 31))
    assert m.active_on(D(2025, 8, 31))
    assert not m.active_on(D(2025, 9, 1))


def test_periods_that_touch_end_to_start_do_not_overlap() -> None:
    first = period(1, 1, CORE, D(2024, 9, 1), D(2025, 8, 31))
    second = period(2, 2, CORE, D(2025, 9, 1))
    assert not first.overlaps(second)
    assert not second.overlaps(first)
    same_day = period(3, 2, CORE, D(2025, 8, 31))
    assert first.overlaps(same_day)


def test_a_period_without_a_join_date_overlaps_nothing() -> None:
    assert not period(1, 1, CORE, None).overlaps(period(2, 2, CORE, D(2024, 9, 1)))  # type: ignore[arg-type]


def test_a_valid_new_member_passes() -> None:
    core = period(1, 1, CORE, D(2024, 9, 1))
    assert validate_membership(period(None, 2, MEMBER, D(2024, 9, 1)), ctx(core)).ok


def test_a_membership_needs_a_school_and_a_join_date() -> None:
    report = validate_membership(Membership(None, 1, None, MEMBER, None), ctx())
    assert {"school_id", "joined_on"} <= set(report)


def test_leaving_before_joining_is_refused() -> None:
    draft = dataclasses.replace(period(None, 2, MEMBER, D(2024, 9, 1)), left_on=D(2024, 8, 1),
                                leave_reason="撤并")
    assert "left_on" in validate_membership(draft, ctx())


@pytest.mark.parametrize("reason", ["", "   "])
def test_leaving_without_a_reason_is_refused(reason: str) -> None:
    draft = dataclasses.replace(period(None, 2, MEMBER, D(2024, 9, 1)), left_on=D(2025, 8, 31),
                                leave_reason=reason)
    assert "leave_reason" in validate_membership(draft, ctx())


def test_a_member_that_is_the_core_in_the_same_period_is_refused() -> None:
    core = period(1, 1, CORE, D(2024, 9, 1))
    report = validate_membership(period(None, 1, MEMBER, D(2025, 3, 1)), ctx(core))
    assert "role" in report


def test_a_core_that_is_already_a_member_in_the_same_period_is_refused() -> None:
    member = period(1, 1, MEMBER, D(2024, 9, 1))
    assert "role" in validate_membership(period(None, 1, CORE, D(2025, 3, 1)), ctx(member))


def test_the_same_school_twice_in_one_period_is_refused() -> None:
    member = period(1, 2, MEMBER, D(2024, 9, 1))
    assert "joined_on" in validate_membership(period(None, 2, MEMBER, D(2025, 3, 1)),
                                              ctx(member))


def test_the_same_school_may_rejoin_after_it_left() -> None:
    old = period(1, 2, MEMBER, D(2024, 9, 1), D(2025, 1, 31))
    assert validate_membership(period(None, 2, MEMBER, D(2025, 9, 1)), ctx(old)).ok


def test_two_core_schools_at_once_are_refused() -> None:
    core = period(1, 1, CORE, D(2024, 9, 1))
    report = validate_membership(period(None, 2, CORE, D(2025, 9, 1)), ctx(core))
    assert "role" in report


def test_a_new_core_may_follow_a_core_that_left() -> None:
    old_core = period(1, 1, CORE, D(2024, 9, 1), D(2025, 8, 31))
    assert validate_membership(period(None, 2, CORE, D(2025, 9, 1)), ctx(old_core)).ok


def test_editing_a_period_does_not_collide_with_itself() -> None:
    core = period(1, 1, CORE, D(2024, 9, 1))
    edited = dataclasses.replace(core, join_note="批复文号已补")
    assert validate_membership(edited, ctx(core)).ok


def test_a_school_in_another_group_is_refused_only_when_membership_is_exclusive() -> None:
    # GIVEN the school belongs to group 2 from 2024-09-01 on
    other = period(7, 5, MEMBER, D(2024, 9, 1), group_id=2, group_name="乙集团")
    draft = period(None, 5, MEMBER, D(2025, 9, 1))
    # WHEN the profile limits a school to one group THEN joining group 1 is refused
    assert "school_id" in validate_membership(draft, ctx(elsewhere=(other,), exclusive=True))
    # WHEN the profile allows several groups THEN it is allowed
    assert validate_membership(draft, ctx(elsewhere=(other,), exclusive=False)).ok


def test_exclusive_membership_allows_moving_after_leaving_the_other_group() -> None:
    other = period(7, 5, MEMBER, D(2024, 9, 1), D(2025, 8, 31), group_id=2)
    draft = period(None, 5, MEMBER, D(2025, 9, 1))
    assert validate_membership(draft, ctx(elsewhere=(other,), exclusive=True)).ok


# ---- groups -------------------------------------------------------------------------------

GROUP = Group(None, "贺兰山教育集团", "alxa_2024", "共建型")


def test_a_complete_group_is_valid() -> None:
    assert validate_group(GROUP, {"另一个集团"}, LABELS).ok


@pytest.mark.parametrize("name", ["", "  "])
def test_a_group_without_a_name_is_refused(name: str) -> None:
    assert "name" in validate_group(dataclasses.replace(GROUP, name=name), set(), LABELS)


def test_a_duplicate_or_too_long_group_name_is_refused() -> None:
    assert "name" in validate_group(dataclasses.replace(GROUP, name=" 贺兰山教育集团"),
                                    {"贺兰山教育集团"}, LABELS)
    assert "name" in validate_group(dataclasses.replace(GROUP, name="集" * 101), set(), LABELS)


def test_a_group_needs_a_profile_and_a_model_of_that_profile() -> None:
    assert "profile_id" in validate_group(dataclasses.replace(GROUP, profile_id=""), set(),
                                          LABELS)
    assert "model_label" in validate_group(dataclasses.replace(GROUP, model_label=""), set(),
                                           LABELS)
    assert "model_label" in validate_group(dataclasses.replace(GROUP, model_label="委托管理式"),
                                           set(), LABELS)


def test_a_founding_date_in_the_future_is_refused() -> None:
    future = dataclasses.replace(GROUP, founded_on=dt.date.today() + dt.timedelta(days=1))
    assert "founded_on" in validate_group(future, set(), LABELS)


# ---- leaders, sections, plans -------------------------------------------------------------


def test_a_leader_needs_a_name() -> None:
    assert "person_name" in validate_leader(Leader(None, 1, LeaderRole.LEADER, " "))
    assert validate_leader(Leader(None, 1, LeaderRole.LEADER, "王建华")).ok


def test_a_second_standard_section_of_the_same_kind_is_refused() -> None:
    existing = [CharterSection(1, 1, SectionKind.RULES_OF_PROCEDURE, "议事规则")]
    draft = CharterSection(None, 1, SectionKind.RULES_OF_PROCEDURE, "议事规则（修订）")
    assert "kind" in validate_section(draft, existing)
    # editing the existing one is fine
    assert validate_section(dataclasses.replace(existing[0], body="……"), existing).ok


def test_custom_sections_may_repeat_but_need_a_title() -> None:
    existing = [CharterSection(1, 1, SectionKind.CUSTOM, "附则")]
    assert validate_section(CharterSection(None, 1, SectionKind.CUSTOM, "附件"), existing).ok
    assert "title" in validate_section(CharterSection(None, 1, SectionKind.CUSTOM, " "), [])


def test_two_plans_of_the_same_kind_and_year_are_refused() -> None:
    existing = [Plan(1, 1, PlanKind.ANNUAL, 2025, "2025—2026学年集团工作计划")]
    assert "start_year" in validate_plan(Plan(None, 1, PlanKind.ANNUAL, 2025, "另一份"), existing)
    assert validate_plan(Plan(None, 1, PlanKind.ANNUAL, 2026, "下一年"), existing).ok
    assert validate_plan(Plan(None, 1, PlanKind.THREE_YEAR, 2025, "三年规划"), existing).ok


def test_a_plan_needs_a_title_and_a_plausible_year() -> None:
    report = validate_plan(Plan(None, 1, PlanKind.ANNUAL, 1900, ""), [])
    assert {"title", "start_year"} <= set(report)


def test_plan_periods_use_the_school_year_formatter() -> None:
    assert Plan(None, 1, PlanKind.ANNUAL, 2025, "t").period_label == "2025—2026学年"
    # a three-year plan spans 2025—2026 to 2027—2028, written as one range as in official plans
    assert Plan(None, 1, PlanKind.THREE_YEAR, 2025, "t").period_label == "2025—2028学年"


def test_a_leadership_group_has_one_leader() -> None:
    from jituan_desktop.domain.charter import Leader, validate_leader
    from jituan_desktop.domain.enums import LeaderRole

    leader = Leader(1, 1, LeaderRole.LEADER, "王建华")
    second = Leader(None, 1, LeaderRole.LEADER, "李海燕")
    assert "role" in validate_leader(second, [leader])
    assert validate_leader(leader, [leader]).ok  # editing the leader himself
    assert validate_leader(Leader(None, 1, LeaderRole.DEPUTY, "李海燕"), [leader]).ok
