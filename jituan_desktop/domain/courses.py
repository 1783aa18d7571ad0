"""Shared courses (共享课程): a course one school of the group offers to the others in one
semester, with its teachers and the students other schools enrol; validation and the
per-semester facts that rule ALX-19 checks.

Bad input is an error (nothing is saved); a few things that happen in reality but deserve a
second look are *warnings*, shown next to the field while the record is saved anyway:
enrolment over capacity, and a dual-teacher classroom's local co-teacher from an enrolled
school (docs/courses.md explains the choice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.enums import LabeledEnum
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _, format_number

# Column lengths (``persistence/course_models.py`` builds its ``String(n)`` from these).
COURSE_LIMITS = {"title": 100, "course_type": 20, "subject": 30, "delivery": 20,
                 "schedule": 200}
MAX_CAPACITY = 5000
"""More seats than any real course has (a live online course for a whole group included)."""
MAX_STUDENTS = 5000
"""Most students one school may enrol in one course."""


class CourseType(LabeledEnum):
    FEATURE = "feature"
    SCHOOL_BASED = "school_based"
    AFTER_SCHOOL = "after_school"
    STUDY_PRACTICE = "study_practice"
    SCIENCE_LAB = "science_lab"
    HOLIDAY_CARE = "holiday_care"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "feature": N_("Featured course"),
            "school_based": N_("School-based course"),
            "after_school": N_("After-school service"),
            "study_practice": N_("Study-tour practice"),
            "science_lab": N_("Science and innovation lab"),
            "holiday_care": N_("Holiday care"),
            "other": N_("Other"),
        }


class Delivery(LabeledEnum):
    OFFLINE = "offline"
    DEDICATED = "dedicated"
    DUAL_TEACHER = "dual_teacher"
    SYNCHRONOUS = "synchronous"
    ONLINE = "online"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "offline": N_("In person"),
            "dedicated": N_("Dedicated-delivery classroom"),
            "dual_teacher": N_("Dual-teacher classroom"),
            "synchronous": N_("Synchronous classroom"),
            "online": N_("Online"),
        }


@dataclass(frozen=True)
class Enrolment:
    """Students of one school enrolled in a course."""

    school_id: int
    students: int
    school_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Course:
    id: int | None
    group_id: int | None
    semester_id: int | None
    title: str
    provider_school_id: int | None
    course_type: CourseType = CourseType.FEATURE
    subject: str = ""
    delivery: Delivery = Delivery.OFFLINE
    schedule: str = ""
    capacity: int = 40
    teacher_ids: tuple[int, ...] = ()
    enrolments: tuple[Enrolment, ...] = ()
    notes: str = ""
    # filled by queries, ignored on save
    semester_label: str = field(default="", compare=False)
    semester_order: tuple[int, int] = field(default=(0, 0), compare=False)
    provider_name: str = field(default="", compare=False)
    teacher_names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def enrolled_students(self) -> int:
        return sum(e.students for e in self.enrolments)

    def cross_school_enrolments(self) -> tuple[Enrolment, ...]:
        """The enrolments of schools other than the provider."""
        return tuple(e for e in self.enrolments if e.school_id != self.provider_school_id)

    @property
    def over_capacity(self) -> bool:
        return self.enrolled_students > self.capacity


def member_days(period: Membership, semester: Semester) -> tuple[dt.date, dt.date] | None:
    """The first and last day of ``semester`` on which the school was in the group."""
    if period.joined_on is None:
        return None
    start = max(period.joined_on, semester.starts_on)
    end = min(period.left_on or dt.date.max, semester.ends_on)
    return (start, end) if start <= end else None


def members_during(periods: Iterable[Membership], semester: Semester) -> dict[int, bool]:
    """School id → whether it was in the group the *whole* semester, for every school that was
    in it on at least one day of the semester."""
    days: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for period in periods:
        span = member_days(period, semester)
        if span is not None and period.school_id is not None:
            days.setdefault(period.school_id, []).append(span)
    return {school: _covers(spans, semester) for school, spans in days.items()}


def _covers(spans: list[tuple[dt.date, dt.date]], semester: Semester) -> bool:
    reached = semester.starts_on - dt.timedelta(days=1)
    for start, end in sorted(spans):
        if start > reached + dt.timedelta(days=1):
            return False
        reached = max(reached, end)
    return reached >= semester.ends_on


@dataclass(frozen=True)
class TeacherInfo:
    school_id: int
    name: str


@dataclass(frozen=True)
class CourseContext:
    """What validating a course needs besides the draft: the calendar, the group's membership
    periods in use, the schools' names and the teachers in use."""

    semesters: Mapping[int, Semester]
    periods: tuple[Membership, ...]
    school_names: Mapping[int, str]
    teachers: Mapping[int, TeacherInfo]


def _name(ctx: CourseContext, school_id: int) -> str:
    return ctx.school_names.get(school_id) or f"#{school_id}"


def validate_course(draft: Course, ctx: CourseContext) -> ValidationReport:
    """Errors only (the record is not saved while there are any); see ``course_warnings``."""
    report = ReportBuilder()
    if not draft.title.strip():
        report.add("title", _("Enter the course title."))
    report.check_lengths(draft, COURSE_LIMITS)
    semester = ctx.semesters.get(draft.semester_id) if draft.semester_id is not None else None
    if semester is None:
        report.add("semester_id", _("Choose a semester."))
    members = members_during(ctx.periods, semester) if semester else {}
    if draft.provider_school_id is None:
        report.add("provider_school_id", _("Choose the school that provides the course."))
    elif semester is not None and draft.provider_school_id not in members:
        report.add("provider_school_id", _not_member(ctx, draft.provider_school_id, semester))
    if not 1 <= draft.capacity <= MAX_CAPACITY:
        report.add("capacity", _("The capacity must be between 1 and {n} students.").format(
            n=format_number(MAX_CAPACITY)))
    _check_enrolments(report, draft, ctx, semester, members)
    _check_teachers(report, draft, ctx)
    return report.build()


def _not_member(ctx: CourseContext, school_id: int, semester: Semester) -> str:
    if all(p.school_id != school_id for p in ctx.periods):
        return _("{school} is not a school of this group.").format(school=_name(ctx, school_id))
    return _("{school} is not a member of the group in {semester}.").format(
        school=_name(ctx, school_id), semester=semester.label)


def _check_enrolments(report: ReportBuilder, draft: Course, ctx: CourseContext,
                      semester: Semester | None, members: Mapping[int, bool]) -> None:
    seen: set[int] = set()
    for enrolment in draft.enrolments:
        school = _name(ctx, enrolment.school_id)
        if enrolment.school_id in seen:
            report.add("enrolments", _("{school} is listed twice.").format(school=school))
        seen.add(enrolment.school_id)
        if not 1 <= enrolment.students <= MAX_STUDENTS:
            report.add("enrolments", _("{school}: the number of students must be between 1 "
                                       "and {n}.").format(school=school,
                                                          n=format_number(MAX_STUDENTS)))
        if semester is not None and enrolment.school_id not in members:
            report.add("enrolments", _not_member(ctx, enrolment.school_id, semester))


def _check_teachers(report: ReportBuilder, draft: Course, ctx: CourseContext) -> None:
    if not draft.teacher_ids:
        report.add("teacher_ids", _("Choose at least one teacher."))
        return
    if len(set(draft.teacher_ids)) != len(draft.teacher_ids):
        report.add("teacher_ids", _("A teacher is listed twice."))
    enrolled = {e.school_id for e in draft.enrolments}
    from_provider = False
    for teacher_id in draft.teacher_ids:
        teacher = ctx.teachers.get(teacher_id)
        if teacher is None:
            report.add("teacher_ids", _("A teacher of this course is no longer in the list of "
                                        "teachers (perhaps in the recycle bin); remove them "
                                        "from the course."))
            continue
        if teacher.school_id == draft.provider_school_id:
            from_provider = True
        elif draft.delivery is not Delivery.DUAL_TEACHER or teacher.school_id not in enrolled:
            report.add("teacher_ids", _(
                "{teacher} teaches at {school}, not at the providing school. Only a "
                "dual-teacher classroom may have a local co-teacher from an enrolled "
                "school.").format(teacher=teacher.name, school=_name(ctx, teacher.school_id)))
    if draft.provider_school_id is not None and not from_provider:
        report.add("teacher_ids", _("At least one teacher must be from the providing school."))


def course_warnings(draft: Course, ctx: CourseContext) -> dict[str, str]:
    """Field → a note on something unusual that is saved anyway."""
    warnings: dict[str, str] = {}
    if draft.enrolled_students > draft.capacity >= 1:
        warnings["enrolments"] = _("{n} students are enrolled, more than the capacity of "
                                   "{capacity}.").format(n=format_number(draft.enrolled_students),
                                                         capacity=format_number(draft.capacity))
    if draft.delivery is Delivery.DUAL_TEACHER:
        enrolled = {e.school_id for e in draft.enrolments}
        local = [ctx.teachers[t].name for t in draft.teacher_ids
                 if t in ctx.teachers and ctx.teachers[t].school_id != draft.provider_school_id
                 and ctx.teachers[t].school_id in enrolled]
        if local:
            warnings["teacher_ids"] = _("{names}: teacher of an enrolled school, recorded as "
                                        "local co-teacher of the dual-teacher "
                                        "classroom.").format(names="、".join(local))
    return warnings


# ---- facts for ALX-19 ------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolCourseCount:
    """One school that was in the group during the semester, and its courses."""

    school_id: int
    school_name: str
    whole_semester: bool  # in the group from the semester's first to its last day
    provided: int  # courses it provides
    received: int  # courses of other schools its students are enrolled in


@dataclass(frozen=True)
class CourseSemesterFacts:
    """Scope ``course_semester``: one semester of one group."""

    semester: Semester
    schools: tuple[SchoolCourseCount, ...]
    total: int  # courses the group shares in the semester
    today: dt.date | None = None  # before the semester's end a short count is not yet due


def course_semester_facts(semester: Semester, periods: Iterable[Membership],
                          courses: Iterable[Course],
                          school_names: Mapping[int, str],
                          today: dt.date | None = None) -> CourseSemesterFacts:
    """The counts of ``semester`` for the schools in the group on any day of it (membership
    dates decide; the rule's parameters decide whom to count), in the order of ``periods``."""
    members = members_during(periods, semester)
    mine = [c for c in courses if c.semester_id == semester.id]
    provided: dict[int, int] = {}
    received: dict[int, int] = {}
    for course in mine:
        if course.provider_school_id is not None:
            provided[course.provider_school_id] = provided.get(course.provider_school_id, 0) + 1
        for enrolment in course.cross_school_enrolments():
            received[enrolment.school_id] = received.get(enrolment.school_id, 0) + 1
    schools = tuple(
        SchoolCourseCount(school_id, school_names.get(school_id, f"#{school_id}"), whole,
                          provided.get(school_id, 0), received.get(school_id, 0))
        for school_id, whole in members.items())
    return CourseSemesterFacts(semester, schools, len(mine), today)
