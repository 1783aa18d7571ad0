"""Text lengths: every validator keeps records within the columns that store them.

The limits live in the domain (one dict per record type) and ``persistence/models.py`` builds
its ``String(n)`` from the same dicts, so a record that passes its form (or an xlsx row) can
always be exported and imported again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any

import pytest
from sqlalchemy import String, Table

from jituan_desktop.domain import charter, schools
from jituan_desktop.domain.charter import (
    CharterSection,
    Group,
    Leader,
    Membership,
    MembershipContext,
    Plan,
)
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence import models

EMPTY = MembershipContext((), ())

# record type: (its table, its limits, a valid record, its validator)
RECORDS: dict[str, tuple[Table, dict[str, int], Any, Callable[[Any], ValidationReport]]] = {
    "school": (models.SchoolRow.__table__, schools.SCHOOL_LIMITS, School(None, "甲校"),
               lambda d: schools.validate_school(d, set())),
    "teacher": (models.TeacherRow.__table__, schools.TEACHER_LIMITS,
                Teacher(None, 1, "王建华"), schools.validate_teacher),
    "group": (models.GroupRow.__table__, charter.GROUP_LIMITS,
              Group(None, "贺兰山教育集团", "alxa_2024", "共建型"),
              lambda d: charter.validate_group(d, set(), [])),  # any model label
    "membership": (models.MembershipRow.__table__, charter.MEMBERSHIP_LIMITS,
                   Membership(None, 1, 1, SchoolRole.MEMBER, dt.date(2024, 9, 1)),
                   lambda d: charter.validate_membership(d, EMPTY)),
    "leader": (models.LeaderRow.__table__, charter.LEADER_LIMITS,
               Leader(None, 1, LeaderRole.LEADER, "王建华"), charter.validate_leader),
    "section": (models.CharterSectionRow.__table__, charter.SECTION_LIMITS,
                CharterSection(None, 1, SectionKind.CUSTOM, "议事规则"),
                lambda d: charter.validate_section(d, [])),
    "plan": (models.PlanRow.__table__, charter.PLAN_LIMITS,
             Plan(None, 1, PlanKind.ANNUAL, 2025, "年度计划"),
             lambda d: charter.validate_plan(d, [])),
}


def text_fields(kind: str) -> list[tuple[str, str]]:
    """(record type, field) for every free-text field with a limit (enumerations aside)."""
    _table, limits, record, _validate = RECORDS[kind]
    return [(kind, name) for name in limits if not isinstance(getattr(record, name), Enum)]


TEXT_FIELDS = [pair for kind in RECORDS for pair in text_fields(kind)]


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_every_string_column_takes_its_length_from_the_domain(kind: str) -> None:
    table, limits, _record, _validate = RECORDS[kind]
    lengths = {c.name: c.type.length for c in table.columns
               if isinstance(c.type, String) and c.type.length is not None}
    assert lengths == limits


def test_a_teachers_subjects_share_one_limit() -> None:
    assert models.TeacherSubjectRow.__table__.c.subject.type.length == schools.MAX_SUBJECT
    assert "subjects" in schools.validate_teacher(Teacher(
        None, 1, "王建华", subjects=("语" * (schools.MAX_SUBJECT + 1),)))


@pytest.mark.parametrize(("kind", "field"), TEXT_FIELDS)
def test_a_value_one_longer_than_its_column_is_refused(kind: str, field: str) -> None:
    _table, limits, record, validate = RECORDS[kind]
    n = limits[field]
    assert validate(record).ok
    # a value of exactly the limit passes as far as its length goes
    fits = validate(_replace(record, field, _text(field, n)))
    assert fits.get(field) != _("At most {n} characters.").format(n=n)
    # one more character is refused with the limit in the message
    report = validate(_replace(record, field, _text(field, n + 1)))
    assert report[field] == _("At most {n} characters.").format(n=n)


def test_the_staff_number_of_the_review_finding() -> None:
    # a 31-character 工号 was accepted and made the next export impossible to import
    report = schools.validate_teacher(Teacher(None, 1, "王建华", staff_no="1" * 31))
    assert report["staff_no"] == _("At most {n} characters.").format(n=30)


def test_check_lengths_keeps_an_earlier_message_and_ignores_other_types() -> None:
    report = ReportBuilder()
    report.add("name", "first")
    record = School(None, "校" * 200, short_name="短")
    report.check_lengths(record, {"name": 100, "short_name": 1, "is_rural": 1})
    assert report.build().errors == {"name": "first"}


def _text(field: str, n: int) -> str:
    if field == "credit_code":  # 18 is also its only valid length
        return "9" * n
    if field == "gender":
        return "男" * n
    return "字" * n


def _replace(record: Any, field: str, value: str) -> Any:
    import dataclasses

    return dataclasses.replace(record, **{field: value})
