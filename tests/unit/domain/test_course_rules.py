"""ALX-19 (shared courses per semester) at its boundaries, and the course form's rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop import paths
from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.courses import (
    MAX_CAPACITY,
    Course,
    CourseContext,
    Delivery,
    Enrolment,
    TeacherInfo,
    course_semester_facts,
    course_warnings,
    validate_course,
)
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.profiles import PolicyProfile, RuleSpec, load_profiles
from jituan_desktop.domain.rules import evaluate, rules_in_scope
from jituan_desktop.i18n import format_date

TERM = Semester(7, 2025, 1, dt.date(2025, 9, 1), dt.date(2026, 1, 31))
NAMES = {1: "一实小", 2: "五小", 3: "温小", 4: "蒙校", 5: "宗小", 9: "外校"}


@pytest.fixture(scope="module")
def alxa() -> PolicyProfile:
    return load_profiles(paths.profiles_dir())["alxa_2024"]


def period(school: int, joined: dt.date = dt.date(2025, 9, 1), left: dt.date | None = None,
           role: SchoolRole = SchoolRole.MEMBER) -> Membership:
    return Membership(school, 1, school, role, joined, left_on=left)


FULL = [period(1, role=SchoolRole.CORE), period(2), period(3), period(4)]


def courses(per_school: dict[int, int], semester_id: int = 7) -> list[Course]:
    return [Course(None, 1, semester_id, f"课{school}-{i}", school, teacher_ids=(school,))
            for school, n in per_school.items() for i in range(n)]


def broken_messages(profile: PolicyProfile, periods: list[Membership],
                    course_list: list[Course]) -> list[str]:
    facts = course_semester_facts(TERM, periods, course_list, NAMES)
    return [f.message for f in evaluate(profile, "course_semester", facts) if f.broken]


# ---- ALX-19 --------------------------------------------------------------------------


def test_the_alxa_profile_checks_alx19_per_semester(alxa: PolicyProfile) -> None:
    rules = rules_in_scope(alxa, "course_semester")
    assert [r.id for r in rules] == ["ALX-19"]
    assert rules[0].params["per_school_min"] == 1
    assert rules[0].params["per_group_shareable_min"] == 5


def test_a_school_with_no_course_is_flagged_one_course_is_enough(alxa: PolicyProfile) -> None:
    flagged = broken_messages(alxa, FULL, courses({1: 3, 2: 1, 3: 1, 4: 0}))
    assert len(flagged) == 1 and "蒙校" in flagged[0] and "0" in flagged[0]
    assert broken_messages(alxa, FULL, courses({1: 2, 2: 1, 3: 1, 4: 1})) == []


def test_four_courses_in_total_break_the_rule_five_meet_it(alxa: PolicyProfile) -> None:
    flagged = broken_messages(alxa, FULL, courses({1: 1, 2: 1, 3: 1, 4: 1}))
    assert len(flagged) == 1 and "4" in flagged[0] and "5" in flagged[0]
    assert broken_messages(alxa, FULL, courses({1: 2, 2: 1, 3: 1, 4: 1})) == []


def test_a_course_of_another_semester_does_not_count(alxa: PolicyProfile) -> None:
    other = courses({4: 1}, semester_id=8)
    flagged = broken_messages(alxa, FULL, courses({1: 3, 2: 1, 3: 1}) + other)
    assert any("蒙校" in m for m in flagged)


def test_a_school_that_joined_mid_semester_counts_by_default(alxa: PolicyProfile) -> None:
    joined_late = [*FULL, period(5, joined=dt.date(2025, 11, 10))]
    flagged = broken_messages(alxa, joined_late, courses({1: 2, 2: 1, 3: 1, 4: 1}))
    assert len(flagged) == 1 and "宗小" in flagged[0]


def test_a_school_that_left_mid_semester_counts_a_school_gone_before_does_not(
        alxa: PolicyProfile) -> None:
    left_during = [*FULL, period(5, left=dt.date(2025, 12, 31))]
    assert any("宗小" in m for m in broken_messages(alxa, left_during,
                                                    courses({1: 2, 2: 1, 3: 1, 4: 1})))
    left_before = [*FULL, period(5, joined=dt.date(2024, 9, 1), left=dt.date(2025, 8, 31))]
    assert broken_messages(alxa, left_before, courses({1: 2, 2: 1, 3: 1, 4: 1})) == []


def test_the_whole_semester_reading_skips_schools_that_joined_or_left(
        alxa: PolicyProfile) -> None:
    rule = next(r for r in alxa.rules if r.id == "ALX-19")
    lenient = dataclasses.replace(alxa, rules=(dataclasses.replace(
        rule, params=dict(rule.params, school_counted_when="member_whole_semester")),))
    periods = [*FULL, period(5, left=dt.date(2025, 12, 31)), period(9, dt.date(2025, 10, 1))]
    assert broken_messages(lenient, periods, courses({1: 2, 2: 1, 3: 1, 4: 1})) == []
    # a school back after a gap of one day is not in the group the whole semester
    gap = [*FULL, period(5, left=dt.date(2025, 10, 1)), period(5, dt.date(2025, 10, 3))]
    assert broken_messages(lenient, gap, courses({1: 2, 2: 1, 3: 1, 4: 1})) == []
    no_gap = [*FULL, period(5, left=dt.date(2025, 10, 1)), period(5, dt.date(2025, 10, 2))]
    assert len(broken_messages(lenient, no_gap, courses({1: 2, 2: 1, 3: 1, 4: 1}))) == 1


def test_thresholds_come_from_the_profile(alxa: PolicyProfile) -> None:
    rule = next(r for r in alxa.rules if r.id == "ALX-19")
    stricter = dataclasses.replace(alxa, rules=(dataclasses.replace(
        rule, params=dict(rule.params, per_school_min=2, per_group_shareable_min=3)),))
    flagged = broken_messages(stricter, FULL, courses({1: 2, 2: 1, 3: 2, 4: 2}))
    assert len(flagged) == 1 and "五小" in flagged[0]


def test_participant_reading_counts_a_course_a_school_attends(alxa: PolicyProfile) -> None:
    rule = next(r for r in alxa.rules if r.id == "ALX-19")
    participant = dataclasses.replace(alxa, rules=(dataclasses.replace(
        rule, params=dict(rule.params, school_counts_as="provider_or_participant")),))
    listed = courses({1: 3, 2: 1, 3: 1})
    listed[0] = dataclasses.replace(listed[0], enrolments=(Enrolment(4, 20),))
    assert broken_messages(participant, FULL, listed) == []
    assert any("蒙校" in m for m in broken_messages(alxa, FULL, listed))


def test_a_finding_explains_rule_strength_quote_and_source(alxa: PolicyProfile) -> None:
    facts = course_semester_facts(TERM, FULL, courses({1: 1}), NAMES)
    finding = next(f for f in evaluate(alxa, "course_semester", facts) if f.broken)
    text = finding.explanation()
    assert finding.rule_id == "ALX-19" and "「每学期集团内每校至少有1门共享课程" in text
    assert "建立共享机制" in text


def test_a_profile_without_the_rule_shows_no_flags() -> None:
    other = load_profiles(paths.profiles_dir())
    without = [p for p in other.values()
               if not any(r.key == "curriculum.shared_courses_per_semester" for r in p.rules)]
    assert without
    facts = course_semester_facts(TERM, FULL, [], NAMES)
    assert evaluate(without[0], "course_semester", facts) == []


def test_an_unknown_parameter_value_is_an_error(alxa: PolicyProfile) -> None:
    rule = next(r for r in alxa.rules if r.id == "ALX-19")
    bad = dataclasses.replace(alxa, rules=(RuleSpec(
        rule.id, rule.key, rule.strength, rule.quote, rule.source,
        dict(rule.params, school_counts_as="anyone")),))
    with pytest.raises(ValueError, match="school_counts_as"):
        evaluate(bad, "course_semester", course_semester_facts(TERM, FULL, [], NAMES))


# ---- the course form ---------------------------------------------------------------


TEACHERS = {11: TeacherInfo(1, "王老师"), 21: TeacherInfo(2, "李老师"),
            31: TeacherInfo(3, "赵老师")}
CTX = CourseContext({7: TERM}, (*FULL, period(5, left=dt.date(2025, 8, 31))), NAMES, TEACHERS)
GOOD = Course(None, 1, 7, "绘本阅读", 1, delivery=Delivery.SYNCHRONOUS, capacity=60,
              teacher_ids=(11,), enrolments=(Enrolment(1, 30), Enrolment(2, 20)))


def errors(**changes: object) -> dict[str, str]:
    return dict(validate_course(dataclasses.replace(GOOD, **changes), CTX))


def test_a_complete_course_is_valid() -> None:
    assert errors() == {}
    assert course_warnings(GOOD, CTX) == {}


def test_required_fields() -> None:
    found = errors(title=" ", semester_id=None, provider_school_id=None, teacher_ids=())
    assert set(found) >= {"title", "semester_id", "provider_school_id", "teacher_ids"}


def test_a_provider_outside_the_group_or_not_a_member_that_semester() -> None:
    assert "not a school of this group" in errors(provider_school_id=9)["provider_school_id"] \
        or "不是本集团" in errors(provider_school_id=9)["provider_school_id"]
    left = errors(provider_school_id=5, teacher_ids=())["provider_school_id"]
    assert "宗小" in left and TERM.label in left


def test_enrolment_of_an_outside_school_duplicates_and_absurd_numbers() -> None:
    assert "外校" in errors(enrolments=(Enrolment(9, 10),))["enrolments"]
    assert "五小" in errors(enrolments=(Enrolment(2, 10), Enrolment(2, 5)))["enrolments"]
    assert "enrolments" in errors(enrolments=(Enrolment(2, -3),))
    assert "enrolments" in errors(enrolments=(Enrolment(2, 0),))
    assert "enrolments" in errors(enrolments=(Enrolment(2, 99999),))


def test_capacity_bounds() -> None:
    assert "capacity" in errors(capacity=0)
    assert "capacity" in errors(capacity=-5)
    assert "capacity" in errors(capacity=MAX_CAPACITY + 1)
    assert "capacity" not in errors(capacity=MAX_CAPACITY)


def test_enrolment_over_capacity_is_a_warning_not_an_error() -> None:
    crowded = dataclasses.replace(GOOD, capacity=40)
    assert validate_course(crowded, CTX).ok
    assert "50" in course_warnings(crowded, CTX)["enrolments"]


def test_a_teacher_of_another_school_is_an_error_except_dual_teacher_co_teachers() -> None:
    found = errors(teacher_ids=(11, 21))["teacher_ids"]
    assert "李老师" in found
    dual = dataclasses.replace(GOOD, delivery=Delivery.DUAL_TEACHER, teacher_ids=(11, 21))
    assert validate_course(dual, CTX).ok
    assert "李老师" in course_warnings(dual, CTX)["teacher_ids"]
    # but only a teacher of an enrolled school, and never without a provider's teacher
    assert "赵老师" in errors(delivery=Delivery.DUAL_TEACHER, teacher_ids=(11, 31))["teacher_ids"]
    assert "teacher_ids" in errors(delivery=Delivery.DUAL_TEACHER, teacher_ids=(21,))


def test_a_teacher_no_longer_in_use_and_text_lengths() -> None:
    assert "teacher_ids" in errors(teacher_ids=(11, 999))
    assert "title" in errors(title="课" * 101)
    assert "schedule" in errors(schedule="x" * 201)


@pytest.mark.parametrize(("today", "broken"), [
    (dt.date(2025, 11, 27), False), (TERM.ends_on, False),
    (TERM.ends_on + dt.timedelta(days=1), True)])
def test_alx19_is_not_yet_due_until_the_semester_ends(alxa: PolicyProfile, today: dt.date,
                                                      broken: bool) -> None:
    """A short count in a semester that is not over is shown, not broken, until it ends."""
    facts = course_semester_facts(TERM, FULL, courses({1: 1}), NAMES, today)
    short = [f for f in evaluate(alxa, "course_semester", facts) if "一实小" not in f.message]
    assert len(short) == 4 and all(f.broken is broken for f in short)
    # the not-yet-due wording names the semester's last day
    end = format_date(TERM.ends_on)
    assert all((end in f.message) is not broken for f in short)
