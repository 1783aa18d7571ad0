"""What a dataset document must satisfy before it replaces the data (docs/data-format.md).

Three passes, each run only when the one before found nothing, so every message is about a
record that could be read: the fields of every record (present, typed, within the column's
length, an enumeration's stored value), the links between records, and then the rules the
forms apply (unique names, one core school at a time, one section of each standard kind, an
installed policy profile, …) over the records in use. Every problem names the record's
position, such as ``schools[3]``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table

from jituan_desktop.domain.agreements import AgreementScope, AgreementStatus
from jituan_desktop.domain.calendar import validate_semester
from jituan_desktop.domain.charter import (
    Membership,
    validate_leader,
    validate_plan,
    validate_section,
)
from jituan_desktop.domain.courses import CourseType, Delivery
from jituan_desktop.domain.enums import (
    CadreRank,
    LeaderRole,
    LegalStructure,
    PlanKind,
    SchoolRole,
    SectionKind,
    Stage,
    StageType,
    TeacherTitle,
)
from jituan_desktop.domain.placements import PlacementAction, PlacementKind, PlacementStatus
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.research import (
    AttachmentKind,
    AttendanceStatus,
    DeliveryMode,
    ResearchType,
)
from jituan_desktop.domain.rotations import Appraisal, RotationForm
from jituan_desktop.domain.schools import Teacher, validate_school, validate_teacher
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.agreement_models import (
    AgreementIndicatorRow,
    AgreementPartyRow,
    AgreementRow,
    AgreementTaskRow,
    SigningIdentityRow,
)
from jituan_desktop.persistence.course_models import (
    SharedCourseEnrolmentRow,
    SharedCourseRow,
    SharedCourseTeacherRow,
)
from jituan_desktop.persistence.models import (
    AuditRow,
    CharterSectionRow,
    GroupRow,
    LeaderRow,
    MembershipRow,
    PlanRow,
    SchoolRow,
    SemesterRow,
    TeacherRow,
    TeacherSubjectRow,
)
from jituan_desktop.persistence.placement_models import PlacementRow, PlacementStepRow
from jituan_desktop.persistence.research_models import (
    ResearchAttachmentRow,
    ResearchAttendanceRow,
    ResearchSchoolRow,
    ResearchSessionRow,
)
from jituan_desktop.persistence.rotation_models import RotationEligibleRow, RotationRow
from jituan_desktop.services.agreements import DOCUMENT_SECTIONS as AGREEMENT_SECTIONS
from jituan_desktop.services.agreements import document_agreement_reports
from jituan_desktop.services.calendar import to_semester
from jituan_desktop.services.charter import to_leader, to_plan, to_section
from jituan_desktop.services.courses import DOCUMENT_SECTIONS, document_course_reports
from jituan_desktop.services.groups import check_group, check_membership, to_group, to_membership
from jituan_desktop.services.placements import document_placement_reports
from jituan_desktop.services.research import document_research_reports
from jituan_desktop.services.rotations import document_rotation_reports
from jituan_desktop.services.schools import to_school
from jituan_desktop.services.teachers import COLUMNS as TEACHER_COLUMNS

# JSON key → table, parents before children (import order; deletion runs in reverse)
SECTIONS: dict[str, Table] = {
    "semesters": SemesterRow.__table__,
    "schools": SchoolRow.__table__,
    "teachers": TeacherRow.__table__,
    "teacher_subjects": TeacherSubjectRow.__table__,
    "groups": GroupRow.__table__,
    "memberships": MembershipRow.__table__,
    "leaders": LeaderRow.__table__,
    "charter_sections": CharterSectionRow.__table__,
    "plans": PlanRow.__table__,
    "shared_courses": SharedCourseRow.__table__,
    "shared_course_teachers": SharedCourseTeacherRow.__table__,
    "shared_course_enrolments": SharedCourseEnrolmentRow.__table__,
    "rotations": RotationRow.__table__,
    "rotation_eligible_counts": RotationEligibleRow.__table__,
    "agreements": AgreementRow.__table__,
    "agreement_parties": AgreementPartyRow.__table__,
    "agreement_indicators": AgreementIndicatorRow.__table__,
    "agreement_tasks": AgreementTaskRow.__table__,
    "placements": PlacementRow.__table__,
    "placement_steps": PlacementStepRow.__table__,
    "research_sessions": ResearchSessionRow.__table__,
    "research_session_schools": ResearchSchoolRow.__table__,
    "research_attendance": ResearchAttendanceRow.__table__,
    "research_attachments": ResearchAttachmentRow.__table__,
    # certificates only: the keys stay in the data folder's identities/ (docs/signing.md)
    "signing_identities": SigningIdentityRow.__table__,
}
HISTORY_KEY = "history"
HISTORY_REQUIRED = ("actor", "action", "entity", "summary", "at")

# (section, column) → the values it may hold
ALLOWED: dict[tuple[str, str], frozenset[Any]] = {
    (section, column): frozenset(m.value for m in enum) if isinstance(enum, type) else enum
    for (section, column), enum in {
        ("semesters", "term"): frozenset({1, 2}),
        ("schools", "stage"): Stage,
        ("teachers", "title"): TeacherTitle,
        ("teachers", "cadre_rank"): CadreRank,
        ("groups", "legal_structure"): LegalStructure,
        ("groups", "stage_type"): StageType,
        ("memberships", "role"): SchoolRole,
        ("leaders", "role"): LeaderRole,
        ("charter_sections", "kind"): SectionKind,
        ("plans", "kind"): PlanKind,
        ("shared_courses", "course_type"): CourseType,
        ("shared_courses", "delivery"): Delivery,
        ("rotations", "form"): RotationForm,
        ("rotations", "appraisal"): Appraisal,
        ("agreements", "scope"): AgreementScope,
        ("agreements", "status"): AgreementStatus,
        ("placements", "kind"): PlacementKind,
        ("placements", "status"): PlacementStatus,
        ("placement_steps", "action"): PlacementAction,
        ("placement_steps", "status"): PlacementStatus,
        ("research_sessions", "stage"): Stage,
        ("research_sessions", "kind"): ResearchType,
        ("research_sessions", "mode"): DeliveryMode,
        ("research_attendance", "status"): AttendanceStatus,
        ("research_attachments", "kind"): AttachmentKind,
    }.items()
}

LINKS = [  # (section, field, target section, nullable)
    ("teachers", "school_id", "schools", False),
    ("teacher_subjects", "teacher_id", "teachers", False),
    ("memberships", "group_id", "groups", False),
    ("memberships", "school_id", "schools", False),
    ("leaders", "group_id", "groups", False),
    ("leaders", "school_id", "schools", True),
    ("leaders", "teacher_id", "teachers", True),
    ("charter_sections", "group_id", "groups", False),
    ("plans", "group_id", "groups", False),
    ("shared_courses", "group_id", "groups", False),
    ("shared_courses", "semester_id", "semesters", False),
    ("shared_courses", "provider_school_id", "schools", False),
    ("shared_course_teachers", "course_id", "shared_courses", False),
    ("shared_course_teachers", "teacher_id", "teachers", False),
    ("shared_course_enrolments", "course_id", "shared_courses", False),
    ("shared_course_enrolments", "school_id", "schools", False),
    ("rotations", "group_id", "groups", False),
    ("rotations", "teacher_id", "teachers", False),
    ("rotations", "from_school_id", "schools", False),
    ("rotations", "to_school_id", "schools", False),
    ("rotation_eligible_counts", "group_id", "groups", False),
    ("rotation_eligible_counts", "school_id", "schools", False),
    ("agreements", "group_id", "groups", False),
    ("agreement_parties", "agreement_id", "agreements", False),
    ("agreement_parties", "school_id", "schools", False),
    ("agreement_indicators", "agreement_id", "agreements", False),
    ("agreement_tasks", "agreement_id", "agreements", False),
    ("placements", "group_id", "groups", False),
    ("placements", "teacher_id", "teachers", False),
    ("placements", "home_school_id", "schools", False),
    ("placements", "host_school_id", "schools", False),
    ("placement_steps", "placement_id", "placements", False),
    ("research_sessions", "group_id", "groups", False),
    ("research_sessions", "host_school_id", "schools", False),
    ("research_session_schools", "session_id", "research_sessions", False),
    ("research_session_schools", "school_id", "schools", False),
    ("research_attendance", "session_id", "research_sessions", False),
    ("research_attendance", "teacher_id", "teachers", False),
    ("research_attachments", "session_id", "research_sessions", False),
    ("signing_identities", "school_id", "schools", False),
]


def find_problems(doc: dict[str, Any], profiles: Mapping[str, PolicyProfile]) -> list[str]:
    """Every problem of an (upgraded) document; empty when it can be imported."""
    problems: list[str] = []
    for key, table in SECTIONS.items():
        records = doc.get(key, [])
        if not isinstance(records, list):
            problems.append(_("“{key}” must be a list.").format(key=key))
            continue
        for i, record in enumerate(records):
            problems.extend(_check_record(key, i, record, table))
    history = doc.get(HISTORY_KEY, [])
    if not isinstance(history, list):
        problems.append(_("“{key}” must be a list.").format(key=HISTORY_KEY))
    else:
        for i, entry in enumerate(history):
            problems.extend(_check_record(HISTORY_KEY, i, entry, AuditRow.__table__,
                                          required=HISTORY_REQUIRED))
    if not problems:
        problems.extend(_check_links(doc))
    if not problems:
        problems.extend(_check_rules(doc, profiles))
    return problems


@functools.cache
def _columns(table: Table) -> tuple[Column[Any], ...]:
    return tuple(table.columns)  # iterating table.columns builds a new list each time


@functools.cache
def _decoders(table: Table) -> tuple[tuple[str, bool, Callable[[str], Any] | None], ...]:
    """(column, nullable, how to read its JSON value) for each column."""

    def decoder(column: Column[Any]) -> Callable[[str], Any] | None:
        if isinstance(column.type, DateTime):
            return dt.datetime.fromisoformat
        if isinstance(column.type, Date):
            return dt.date.fromisoformat
        return None

    return tuple((c.name, bool(c.nullable), decoder(c)) for c in table.columns)


@functools.cache
def _defaults(table: Table) -> dict[str, Any]:
    """Column → the value a record that leaves it out gets (None where computed on insert)."""
    return {c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
            for c in table.columns}


def decode(record: dict[str, Any], table: Table) -> dict[str, Any]:
    """The record's values for the table's columns, dates as dates. A null where the column
    takes no null is left out, as if missing, so the column's default applies."""
    out = {}
    for name, nullable, decoder in _decoders(table):
        value = record.get(name)
        if value is None:
            if nullable and name in record:
                out[name] = None
            continue
        out[name] = decoder(value) if decoder else value
    return out


# ---- fields ---------------------------------------------------------------------------------


def _check_record(key: str, index: int, record: Any, table: Table,
                  required: Iterable[str] = ()) -> list[str]:
    where = f"{key}[{index + 1}]"
    if not isinstance(record, dict):
        return [_("{where}: must be an object.").format(where=where)]
    problems = []
    required = set(required)
    for column in _columns(table):
        value = record.get(column.name)
        if value is None:
            if column.name in required or (
                    not column.nullable and column.default is None
                    and not (column.primary_key and isinstance(column.type, Integer))):
                problems.append(_("{where}: “{field}” is missing.").format(
                    where=where, field=column.name))
            continue
        allowed = ALLOWED.get((key, column.name))
        if not _type_ok(column.type, value) or (allowed is not None and value not in allowed):
            problems.append(_("{where}: “{field}” has an invalid value {value!r}.").format(
                where=where, field=column.name, value=value))
    return problems


def _type_ok(type_: Any, value: Any) -> bool:
    try:
        if isinstance(type_, Boolean):
            return isinstance(value, bool)
        if isinstance(type_, Integer):
            return isinstance(value, int) and not isinstance(value, bool)
        if isinstance(type_, DateTime):
            dt.datetime.fromisoformat(value)
        elif isinstance(type_, Date):
            dt.date.fromisoformat(value)
        elif isinstance(type_, String):
            return isinstance(value, str) and (type_.length is None or len(value) <= type_.length)
    except (TypeError, ValueError):
        return False
    return True


# ---- links ----------------------------------------------------------------------------------


def _check_links(doc: dict[str, Any]) -> list[str]:
    ids = {key: {r.get("id") for r in doc.get(key, [])} for key in SECTIONS}
    problems = []
    for key, records in doc.items():
        if key in ids and len(ids[key]) != len(records) and "id" in SECTIONS[key].c:
            problems.append(_("“{key}” contains the same id twice.").format(key=key))
    for section, field_name, target, nullable in LINKS:
        for i, record in enumerate(doc.get(section, [])):
            value = record.get(field_name)
            if (value is None and nullable) or value in ids[target]:
                continue
            problems.append(_("{where}: “{field}” refers to a record that is not in the "
                              "file ({value}).").format(where=f"{section}[{i + 1}]",
                                                        field=field_name, value=value))
    return problems


# ---- rules ----------------------------------------------------------------------------------


def _rows(doc: dict[str, Any], key: str) -> list[tuple[str, SimpleNamespace]]:
    """The section's records as ``(position, row)``: every column present (its default when
    the file leaves it out), and an id unique in the section even where the file has none."""
    table = SECTIONS[key]
    out = []
    for i, record in enumerate(doc.get(key, [])):
        values = _defaults(table) | {k: v for k, v in decode(record, table).items()
                                     if v is not None}
        if values.get("id") is None and "id" in table.c:
            values["id"] = -(i + 1)
        out.append((f"{key}[{i + 1}]", SimpleNamespace(**values)))
    return out


def _live(rows: list[tuple[str, SimpleNamespace]]) -> list[tuple[str, SimpleNamespace]]:
    return [(where, row) for where, row in rows if row.deleted_at is None]


def _report(where: str, report: ValidationReport) -> list[str]:
    return [_("{where}: {message}").format(where=f"{where}.{field}" if field else where,
                                          message=message) for field, message in report.items()]


def _other_names(names: Counter[str], own: str) -> set[str]:
    return {name for name, n in names.items() if n > (1 if name == own else 0)}


def _check_rules(doc: dict[str, Any], profiles: Mapping[str, PolicyProfile]) -> list[str]:
    problems: list[str] = []
    semesters = [(where, to_semester(row)) for where, row in _rows(doc, "semesters")]
    for where, semester in semesters:
        problems += _report(where, validate_semester(semester, [s for _w, s in semesters]))

    schools = _live(_rows(doc, "schools"))
    school_names = Counter(row.name.strip() for _w, row in schools)
    for where, row in schools:
        school = to_school(row)
        problems += _report(where, validate_school(school, _other_names(
            school_names, school.name.strip())))
    problems += _check_teachers(doc)

    groups = _live(_rows(doc, "groups"))
    group_names = Counter(row.name.strip() for _w, row in groups)
    for where, row in groups:
        group = to_group(row)
        problems += _report(where, check_group(group, _other_names(
            group_names, group.name.strip()), profiles))
    problems += _check_memberships(doc, profiles)
    problems += _check_courses(doc)
    problems += _check_agreements(doc)
    problems += [problem for where, report in document_placement_reports(
        {key: _rows(doc, key) for key in ("placements", "placement_steps")})
        for problem in _report(where, report)]
    problems += [problem for where, report in document_rotation_reports(
        lambda key: _rows(doc, key)) for problem in _report(where, report)]
    problems += [problem for where, report in document_research_reports(
        lambda key: _rows(doc, key)) for problem in _report(where, report)]

    leaders = [(where, to_leader(row)) for where, row in _live(_rows(doc, "leaders"))]
    for where, leader in leaders:
        same_group = [other for _w, other in leaders if other.group_id == leader.group_id]
        problems += _report(where, validate_leader(leader, same_group))
    sections = defaultdict(list)
    for where, row in _live(_rows(doc, "charter_sections")):
        sections[row.group_id].append((where, to_section(row)))
    for in_group in sections.values():
        for where, section in in_group:
            problems += _report(where, validate_section(section, [x for _w, x in in_group]))
    plans = defaultdict(list)
    for where, row in _live(_rows(doc, "plans")):
        plans[row.group_id].append((where, to_plan(row)))
    for in_group in plans.values():
        for where, plan in in_group:
            problems += _report(where, validate_plan(plan, [x for _w, x in in_group]))
    return problems


def _check_teachers(doc: dict[str, Any]) -> list[str]:
    problems = []
    subjects: dict[int, list[tuple[int, str]]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for where, row in _rows(doc, "teacher_subjects"):
        if (row.teacher_id, row.subject) in seen:
            problems.append(_("{where}: the subject “{subject}” is listed twice for the same "
                              "teacher.").format(where=where, subject=row.subject))
        seen.add((row.teacher_id, row.subject))
        subjects[row.teacher_id].append((row.position, row.subject))
    for where, row in _live(_rows(doc, "teachers")):
        values: dict[str, Any] = {c: getattr(row, c) for c in TEACHER_COLUMNS}
        values["title"] = TeacherTitle(row.title)
        values["cadre_rank"] = CadreRank(row.cadre_rank)
        teacher = Teacher(id=row.id, subjects=tuple(
            subject for _p, subject in sorted(subjects.get(row.id, []))), **values)
        problems += _report(where, validate_teacher(teacher))
    return problems


def _check_memberships(doc: dict[str, Any], profiles: Mapping[str, PolicyProfile]) -> list[str]:
    """The membership rules among the periods in use: of schools and groups in use, as the
    program checks them when a period is saved."""
    schools = {row.id: row.name for _w, row in _live(_rows(doc, "schools"))}
    groups = {row.id: row for _w, row in _live(_rows(doc, "groups"))}
    periods: list[tuple[str, Membership]] = [
        (where, to_membership(row, schools[row.school_id], groups[row.group_id].name))
        for where, row in _live(_rows(doc, "memberships"))
        if row.school_id in schools and row.group_id in groups]
    by_group: dict[int | None, list[Membership]] = defaultdict(list)
    by_school: dict[int | None, list[Membership]] = defaultdict(list)
    for _where, period in periods:
        by_group[period.group_id].append(period)
        by_school[period.school_id].append(period)
    problems = []
    for where, period in periods:
        relevant = by_group[period.group_id] + [
            m for m in by_school[period.school_id] if m.group_id != period.group_id]
        profile = profiles.get(groups[period.group_id].profile_id)
        problems += _report(where, check_membership(period, relevant, profile))
    return problems


def _check_courses(doc: dict[str, Any]) -> list[str]:
    """Shared courses as the course form checks them (providers and enrolled schools in the
    group that semester, teachers of the providing school, plausible numbers)."""
    rows = {key: _rows(doc, key) for key in DOCUMENT_SECTIONS}
    return [problem for where, report in document_course_reports(rows)
            for problem in _report(where, report)]


def _check_agreements(doc: dict[str, Any]) -> list[str]:
    """Agreements as the agreement editor checks them (parties in the group, term, …)."""
    rows = {key: _rows(doc, key) for key in AGREEMENT_SECTIONS}
    return [problem for where, report in document_agreement_reports(rows)
            for problem in _report(where, report)]
