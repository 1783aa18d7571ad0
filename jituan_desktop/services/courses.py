"""Shared courses: listing (tens of thousands of rows), save with history, validation, and
the per-semester overview with rule ALX-19's findings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.courses import (
    Course,
    CourseContext,
    CourseSemesterFacts,
    CourseType,
    Delivery,
    Enrolment,
    TeacherInfo,
    course_semester_facts,
    course_warnings,
    members_during,
    validate_course,
)
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.profiles import PolicyProfile, RuleSpec
from jituan_desktop.domain.rules import Finding, evaluate, rules_in_scope
from jituan_desktop.domain.rules.courses import SCOPE
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_semester
from jituan_desktop.persistence.course_models import (
    SharedCourseEnrolmentRow,
    SharedCourseRow,
    SharedCourseTeacherRow,
)
from jituan_desktop.persistence.models import (
    GroupRow,
    MembershipRow,
    SchoolRow,
    SemesterRow,
    TeacherRow,
)
from jituan_desktop.services.base import Changes, Database, NotFound, diff
from jituan_desktop.services.calendar import to_semester
from jituan_desktop.services.groups import to_membership

ENTITY = "course"
COLUMNS = ("group_id", "semester_id", "provider_school_id", "title", "course_type", "subject",
           "delivery", "schedule", "capacity", "notes")


def course_values(c: Course) -> dict[str, Any]:
    """The row's own columns (teachers and enrolments are child rows)."""
    values = {name: getattr(c, name) for name in COLUMNS}
    values["title"] = c.title.strip()
    values["course_type"] = c.course_type.value
    values["delivery"] = c.delivery.value
    return values


def _history_values(c: Course) -> dict[str, Any]:
    return course_values(c) | {
        "teacher_ids": list(c.teacher_ids),
        "enrolments": {str(e.school_id): e.students for e in c.enrolments}}


@dataclass(frozen=True)
class SemesterOverview:
    """One semester of the group: the counts per school and what ALX-19 says about them."""

    facts: CourseSemesterFacts
    findings: tuple[Finding, ...]

    @property
    def semester(self) -> Semester:
        return self.facts.semester

    def broken(self) -> list[Finding]:
        return [f for f in self.findings if f.broken]


@dataclass(frozen=True)
class CourseOverview:
    semesters: tuple[SemesterOverview, ...]  # chronological; those the group had members in
    rules: tuple[RuleSpec, ...]  # the profile's rules checked per semester (none: no flags)


class CourseService:
    def __init__(self, db: Database, profiles: Mapping[str, PolicyProfile]) -> None:
        self.db = db
        self.profiles = profiles

    # ---- reading ------------------------------------------------------------------------

    def list(self, group_id: int) -> list[Course]:
        """The group's courses in use, newest semester first, then provider and title.

        Three flat Core queries instead of ORM objects, so a long list loads quickly."""
        where = [SharedCourseRow.group_id == group_id, SharedCourseRow.deleted_at.is_(None)]
        cols = [getattr(SharedCourseRow, c) for c in COLUMNS]
        query = (select(SharedCourseRow.id, SemesterRow.school_year, SemesterRow.term,
                        SchoolRow.name, *cols)
                 .join(SemesterRow, SemesterRow.id == SharedCourseRow.semester_id)
                 .join(SchoolRow, SchoolRow.id == SharedCourseRow.provider_school_id)
                 .where(*where)
                 .order_by(SemesterRow.school_year.desc(), SemesterRow.term.desc(),
                           SchoolRow.name, SharedCourseRow.title, SharedCourseRow.id))
        teachers_query = (
            select(SharedCourseTeacherRow.course_id, SharedCourseTeacherRow.teacher_id,
                   TeacherRow.name)
            .join(TeacherRow, TeacherRow.id == SharedCourseTeacherRow.teacher_id)
            .join(SharedCourseRow, SharedCourseRow.id == SharedCourseTeacherRow.course_id)
            .where(*where).order_by(SharedCourseTeacherRow.course_id,
                                    SharedCourseTeacherRow.position))
        enrolments_query = (
            select(SharedCourseEnrolmentRow.course_id, SharedCourseEnrolmentRow.school_id,
                   SharedCourseEnrolmentRow.students, SchoolRow.name)
            .join(SchoolRow, SchoolRow.id == SharedCourseEnrolmentRow.school_id)
            .join(SharedCourseRow, SharedCourseRow.id == SharedCourseEnrolmentRow.course_id)
            .where(*where).order_by(SharedCourseEnrolmentRow.course_id,
                                    SharedCourseEnrolmentRow.position))
        with self.db.reading() as s:
            conn = s.connection()
            rows = conn.execute(query).all()
            teachers: dict[int, list[tuple[int, str]]] = defaultdict(list)
            for course_id, teacher_id, name in conn.execute(teachers_query):
                teachers[course_id].append((teacher_id, name))
            enrolments: dict[int, list[Enrolment]] = defaultdict(list)
            for course_id, school_id, students, name in conn.execute(enrolments_query):
                enrolments[course_id].append(Enrolment(school_id, students, name))
        return [_to_course(r, teachers.get(r[0], []), enrolments.get(r[0], [])) for r in rows]

    def get(self, course_id: int) -> Course:
        with self.db.reading() as s:
            row = s.get(SharedCourseRow, course_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(course_id)
            return _from_row(s, row)

    def context(self, group_id: int | None) -> CourseContext:
        """The calendar, the group's membership periods in use, the schools' names and the
        teachers in use of the group's schools."""
        with self.db.reading() as s:
            return _context(s, group_id)

    # ---- validation ---------------------------------------------------------------------

    def validate(self, draft: Course) -> ValidationReport:
        return validate_course(draft, self.context(draft.group_id))

    def warnings(self, draft: Course) -> dict[str, str]:
        return course_warnings(draft, self.context(draft.group_id))

    def validate_restore(self, course_id: int) -> ValidationReport:
        """The course in the recycle bin, checked as if saved again now."""
        with self.db.reading() as s:
            row = s.get(SharedCourseRow, course_id)
            if row is None:
                raise NotFound(course_id)
            draft = _from_row(s, row)
        return self.validate(draft)

    # ---- writing ------------------------------------------------------------------------

    def save(self, draft: Course) -> tuple[Course, Changes]:
        """Insert or update the course with its teachers and enrolments: one transaction,
        checked against the records as they are inside it."""
        with self.db.unit_of_work() as s:
            report = validate_course(draft, _context(s, draft.group_id))
            if not report.ok:
                raise ValidationError(report)
            row = self._write(s, draft)
            course_id = row.id
        return self.get(course_id), Changes.of(ENTITY, ids=[course_id])

    def _write(self, s: Session, draft: Course) -> SharedCourseRow:
        values = course_values(draft)
        after = _history_values(draft)
        if draft.id is None:
            row = SharedCourseRow(**values)
            s.add(row)
            action, summary, details = "create", _("Added shared course {name}"), after
        else:
            row = s.get(SharedCourseRow, draft.id)
            if row is None or row.deleted_at is not None:
                raise NotFound(draft.id)
            before = _history_values(_from_row(s, row))
            for key, value in values.items():
                setattr(row, key, value)
            action, summary, details = "update", _("Changed shared course {name}"), diff(
                before, after)
        # keep existing child rows: deleting and re-inserting the same key in one flush
        # would collide on the primary key
        old_teachers = {t.teacher_id: t for t in row.teachers}
        row.teachers = [old_teachers.get(t) or SharedCourseTeacherRow(teacher_id=t)
                        for t in draft.teacher_ids]
        for position, teacher in enumerate(row.teachers):
            teacher.position = position
        old_enrolments = {e.school_id: e for e in row.enrolments}
        row.enrolments = [old_enrolments.get(e.school_id)
                          or SharedCourseEnrolmentRow(school_id=e.school_id)
                          for e in draft.enrolments]
        for position, (enrolment, wanted) in enumerate(zip(row.enrolments, draft.enrolments,
                                                           strict=True)):
            enrolment.position = position
            enrolment.students = wanted.students
        s.flush()
        self.db.audit(s, action, ENTITY, row.id, summary.format(name=row.title),
                      group_id=row.group_id, details=details)
        return row

    # ---- ALX-19 -------------------------------------------------------------------------

    def profile_of(self, group_id: int) -> PolicyProfile | None:
        with self.db.reading() as s:
            group = s.get(GroupRow, group_id)
            return self.profiles.get(group.profile_id) if group is not None else None

    def overview(self, group_id: int, courses: Sequence[Course] | None = None,
                 today: dt.date | None = None) -> CourseOverview:
        """Per semester in which the group had members: each member school's courses, the
        group's total and the findings of the profile's rules (``courses``: the list already
        loaded, to save a query; ``today``: a semester not over by then is not yet due,
        default the real today)."""
        today = today or dt.date.today()
        ctx = self.context(group_id)
        if courses is None:
            courses = self.list(group_id)
        profile = self.profile_of(group_id)
        result = []
        for semester in sorted(ctx.semesters.values(),
                               key=lambda x: (x.school_year, x.term)):
            if not members_during(ctx.periods, semester):
                continue
            facts = course_semester_facts(semester, ctx.periods, courses, ctx.school_names,
                                          today)
            findings = evaluate(profile, SCOPE, facts) if profile else []
            result.append(SemesterOverview(facts, tuple(findings)))
        rules = tuple(rules_in_scope(profile, SCOPE)) if profile else ()
        return CourseOverview(tuple(result), rules)


def _to_course(row: Sequence[Any], teachers: Iterable[tuple[int, str]],
               enrolments: Iterable[Enrolment]) -> Course:
    values = dict(zip(COLUMNS, row[4:], strict=True))
    values["course_type"] = CourseType(values["course_type"])
    values["delivery"] = Delivery(values["delivery"])
    teachers = list(teachers)
    return Course(id=row[0], semester_label=format_semester(row[1], row[2]),
                  semester_order=(row[1], row[2]), provider_name=row[3],
                  teacher_ids=tuple(t for t, _n in teachers),
                  teacher_names=tuple(n for _t, n in teachers),
                  enrolments=tuple(enrolments), **values)


def _from_row(s: Session, row: SharedCourseRow) -> Course:
    semester = s.get(SemesterRow, row.semester_id)
    school = s.get(SchoolRow, row.provider_school_id)
    teachers = [(t.teacher_id, getattr(s.get(TeacherRow, t.teacher_id), "name", ""))
                for t in row.teachers]
    enrolments = [Enrolment(e.school_id, e.students,
                            getattr(s.get(SchoolRow, e.school_id), "name", ""))
                  for e in row.enrolments]
    head = [row.id, semester.school_year if semester else 0, semester.term if semester else 1,
            school.name if school else ""]
    return _to_course([*head, *(getattr(row, c) for c in COLUMNS)], teachers, enrolments)


def _context(s: Session, group_id: int | None) -> CourseContext:
    semesters = {r.id: to_semester(r) for r in s.scalars(select(SemesterRow))}
    schools = {school_id: name for school_id, name in s.execute(
        select(SchoolRow.id, SchoolRow.name).where(SchoolRow.deleted_at.is_(None)))}
    periods: list[Membership] = []
    if group_id is not None:
        periods = [to_membership(m, schools.get(m.school_id, "")) for m in s.scalars(
            select(MembershipRow).where(MembershipRow.group_id == group_id,
                                        MembershipRow.deleted_at.is_(None)))
            if m.school_id in schools]
    periods.sort(key=lambda m: (m.role is not SchoolRole.CORE, m.joined_on, m.school_name))
    group_schools = {p.school_id for p in periods}
    teachers = {t.id: TeacherInfo(t.school_id, t.name) for t in s.execute(
        select(TeacherRow.id, TeacherRow.school_id, TeacherRow.name)
        .where(TeacherRow.deleted_at.is_(None), TeacherRow.school_id.in_(group_schools)))}
    return CourseContext(semesters, tuple(periods), schools, teachers)


# ---- the dataset check (third pass of services/dataset_check.py) ----------------------


DOCUMENT_SECTIONS = ("semesters", "schools", "teachers", "groups", "memberships",
                     "shared_courses", "shared_course_teachers", "shared_course_enrolments")
"""The dataset sections the course check reads."""


def document_course_reports(
        rows: Mapping[str, list[tuple[str, Any]]]) -> list[tuple[str, ValidationReport]]:
    """``(position, report)`` for each course in use of a dataset that a form would refuse.

    ``rows``: per section of ``DOCUMENT_SECTIONS``, its records as ``(position, row)`` with
    every column an attribute (``dataset_check._rows``)."""
    def live(key: str) -> list[tuple[str, Any]]:
        return [(w, r) for w, r in rows.get(key, []) if getattr(r, "deleted_at", None) is None]

    semesters = {r.id: to_semester(r) for _w, r in rows.get("semesters", [])}
    schools = {r.id: r.name for _w, r in live("schools")}
    groups = {r.id for _w, r in live("groups")}
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for _w, r in live("memberships"):
        if r.school_id in schools and r.group_id in groups:
            by_group[r.group_id].append(to_membership(r, schools[r.school_id]))
    teachers = {r.id: TeacherInfo(r.school_id, r.name) for _w, r in live("teachers")
                if r.school_id in schools}
    course_teachers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for _w, r in rows.get("shared_course_teachers", []):
        course_teachers[r.course_id].append((r.position, r.teacher_id))
    enrolments: dict[int, list[tuple[int, Enrolment]]] = defaultdict(list)
    for _w, r in rows.get("shared_course_enrolments", []):
        enrolments[r.course_id].append((r.position, Enrolment(r.school_id, r.students)))
    # a course of a school or teacher in the recycle bin waits for it (as in the program,
    # where moving a school to the recycle bin leaves its courses alone): not checked
    dormant_schools = {r.id for _w, r in rows.get("schools", [])} - set(schools)
    dormant_teachers = {r.id for _w, r in rows.get("teachers", [])} - set(teachers)
    problems = []
    for where, r in live("shared_courses"):
        if ({r.provider_school_id, *(e.school_id for _p, e in enrolments[r.id])}
                & dormant_schools
                or {t for _p, t in course_teachers[r.id]} & dormant_teachers):
            continue
        periods = tuple(by_group.get(r.group_id, ()))
        in_group = {p.school_id for p in periods}
        ctx = CourseContext(semesters, periods, schools,
                            {k: v for k, v in teachers.items() if v.school_id in in_group})
        values = {c: getattr(r, c) for c in COLUMNS}
        values["course_type"] = CourseType(values["course_type"])
        values["delivery"] = Delivery(values["delivery"])
        course = Course(id=r.id, teacher_ids=tuple(t for _p, t in sorted(course_teachers[r.id])),
                        enrolments=tuple(e for _p, e in sorted(enrolments[r.id],
                                                               key=lambda x: x[0])),
                        **values)
        report = validate_course(course, ctx)
        if not report.ok:
            problems.append((where, report))
    return problems
