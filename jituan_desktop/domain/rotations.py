"""Teacher rotations (交流轮岗): one teacher posted from the sending school to another school of
the group for a term, and the per-school-year eligible-teacher counts the quotas divide by.

A rotation counts in the school year its start date falls in (DOMAIN §0.3 default calendar).
The teacher list has no history, so "the teacher belongs to the sending school" is checked
when a rotation is entered or its teacher / sending school is changed, not on every later
edit (the teacher may have moved since, and the old record must stay editable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jituan_desktop.domain.calendar import school_year_of
from jituan_desktop.domain.enums import LabeledEnum
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _, format_date

# Column lengths (``persistence/rotation_models.py`` builds its ``String(n)`` from these).
ROTATION_LIMITS = {"form": 20, "team_name": 50, "appraisal": 20}
ELIGIBLE_LIMITS = {"note": 200}
MAX_ELIGIBLE = 100_000


class RotationForm(LabeledEnum):
    """How the teacher serves at the receiving school."""

    RESIDENT = "resident"  # 驻教: based at the receiving school
    ITINERANT = "itinerant"  # 走教: travels between the schools
    SUPPORT = "support"  # 支教
    ATTACHMENT = "attachment"  # 挂职: a (cadre) post at the receiving school
    TEAM = "team"  # 组团流入: a team of ≥ 3 to one weak school (ALX-15)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "resident": N_("Resident teaching"),
            "itinerant": N_("Itinerant teaching"),
            "support": N_("Teaching support"),
            "attachment": N_("Attachment post"),
            "team": N_("Team inflow"),
        }


class Appraisal(LabeledEnum):
    """The appraisal at the end of the rotation (the four grades of the annual appraisal)."""

    NONE = ""
    EXCELLENT = "excellent"
    PASS = "pass"
    BASIC = "basic"
    FAIL = "fail"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "": N_("Not yet appraised"),
            "excellent": N_("Excellent"),
            "pass": N_("Competent"),
            "basic": N_("Basically competent"),
            "fail": N_("Not competent"),
        }


class RotationStatus(LabeledEnum):
    """Derived from the dates and today; never stored."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    OVERDUE = "overdue"
    ENDED = "ended"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "planned": N_("Not yet started"),
            "ongoing": N_("Ongoing"),
            "overdue": N_("Past planned end, no actual end entered"),
            "ended": N_("Ended"),
        }


@dataclass(frozen=True)
class Rotation:
    id: int | None
    group_id: int | None
    teacher_id: int | None
    from_school_id: int | None
    to_school_id: int | None
    form: RotationForm = RotationForm.RESIDENT
    start_on: dt.date | None = None
    planned_end: dt.date | None = None
    actual_end: dt.date | None = None
    is_backbone: bool = False  # 骨干教师 at the time of the rotation
    team_name: str = ""  # the 组团 a team-inflow rotation belongs to
    appraisal: Appraisal = Appraisal.NONE
    notes: str = ""
    # filled by queries, ignored on save
    teacher_name: str = field(default="", compare=False)
    staff_no: str = field(default="", compare=False)
    from_name: str = field(default="", compare=False)
    to_name: str = field(default="", compare=False)

    @property
    def school_year(self) -> int | None:
        return school_year_of(self.start_on) if self.start_on else None

    @property
    def end(self) -> dt.date | None:
        """The day the posting ends: the actual end once known, else the planned end."""
        return self.actual_end or self.planned_end

    def status(self, today: dt.date | None = None) -> RotationStatus:
        today = today or dt.date.today()
        if self.start_on is not None and self.start_on > today:
            return RotationStatus.PLANNED
        if self.actual_end is not None and self.actual_end <= today:
            return RotationStatus.ENDED
        if self.actual_end is None and self.planned_end is not None and self.planned_end < today:
            return RotationStatus.OVERDUE
        return RotationStatus.ONGOING

    def overlaps(self, other: Rotation) -> bool:
        if None in (self.start_on, self.end, other.start_on, other.end):
            return False
        return (self.start_on <= other.end  # type: ignore[operator]
                and other.start_on <= self.end)  # type: ignore[operator]

    @property
    def label(self) -> str:
        """``张三：一实小 → 五小`` for the history, undo menu and recycle bin."""
        return _("{teacher}: {from_school} → {to_school}").format(
            teacher=self.teacher_name, from_school=self.from_name, to_school=self.to_name)


@dataclass(frozen=True)
class EligibleCount:
    """The rotation-eligible teachers of a school in a school year, as the group entered
    them; ``eligible`` None means "count the teachers marked eligible in the teacher list"."""

    id: int | None
    group_id: int
    school_id: int
    school_year: int
    eligible: int | None
    note: str = ""


@dataclass(frozen=True)
class RotationContext:
    """What validating a rotation needs besides the draft itself."""

    teacher_schools: Mapping[int, int]  # teacher id → home school id (teachers in use)
    members_on_start: frozenset[int]  # schools that were members of the group on the start day
    school_names: Mapping[int, str]
    others: tuple[Rotation, ...] = ()  # the teacher's other rotations in use
    stored: Rotation | None = None  # the record as saved before this edit


def validate_rotation(draft: Rotation, context: RotationContext) -> ValidationReport:
    report = ReportBuilder()
    if draft.teacher_id is None:
        report.add("teacher_id", _("Choose the teacher."))
    elif draft.teacher_id not in context.teacher_schools:
        report.add("teacher_id", _("The teacher does not exist (any more)."))
    if draft.from_school_id is None:
        report.add("from_school_id", _("Choose the sending school."))
    if draft.to_school_id is None:
        report.add("to_school_id", _("Choose the receiving school."))
    elif draft.to_school_id == draft.from_school_id:
        report.add("to_school_id", _("The receiving school must differ from the sending "
                                     "school."))
    if draft.start_on is None:
        report.add("start_on", _("Enter the start date."))
    if draft.planned_end is None:
        report.add("planned_end", _("Enter the planned end date."))
    if draft.start_on and draft.planned_end and draft.planned_end < draft.start_on:
        report.add("planned_end", _("The planned end lies before the start."))
    if draft.start_on and draft.actual_end and draft.actual_end < draft.start_on:
        report.add("actual_end", _("The actual end lies before the start."))
    if draft.actual_end and draft.actual_end > dt.date.today():
        report.add("actual_end", _("The actual end lies in the future; enter it once the "
                                   "rotation has ended."))
    if draft.form is RotationForm.TEAM and not draft.team_name.strip():
        report.add("team_name", _("Name the team this teacher flows in with, e.g. "
                                  "“2025 五小数学组团”."))
    if draft.appraisal is not Appraisal.NONE and draft.start_on and draft.start_on > \
            dt.date.today():
        report.add("appraisal", _("A rotation that has not started cannot be appraised yet."))
    report.check_lengths(draft, ROTATION_LIMITS)
    if draft.start_on is not None:
        for school_field, school_id in (("from_school_id", draft.from_school_id),
                                        ("to_school_id", draft.to_school_id)):
            if school_id is not None and school_id not in context.members_on_start:
                report.add(school_field, _("{school} was not a member of the group on "
                                           "{date}.").format(
                    school=context.school_names.get(school_id, f"#{school_id}"),
                    date=format_date(draft.start_on)))
    stored = context.stored
    home = context.teacher_schools.get(draft.teacher_id or -1)
    changed_people = stored is None or (stored.teacher_id, stored.from_school_id) != (
        draft.teacher_id, draft.from_school_id)
    if (changed_people and home is not None and draft.from_school_id is not None
            and home != draft.from_school_id):
        report.add("from_school_id", _("The teacher belongs to {school}, not to the sending "
                                       "school.").format(
            school=context.school_names.get(home, f"#{home}")))
    for other in context.others:
        if other is draft or (other.id is not None and other.id == draft.id):
            continue
        if other.teacher_id == draft.teacher_id and draft.overlaps(other):
            report.add("start_on", _("The teacher already has a rotation to {school} from "
                                     "{start} to {end}; rotations of one teacher must not "
                                     "overlap.").format(
                school=other.to_name or context.school_names.get(other.to_school_id or -1, ""),
                start=format_date(other.start_on), end=format_date(other.end)))
            break
    return report.build()


def validate_eligible(count: EligibleCount) -> ValidationReport:
    report = ReportBuilder()
    if count.eligible is not None and not 0 <= count.eligible <= MAX_ELIGIBLE:
        report.add("eligible", _("Enter a number between 0 and {n}.").format(n=MAX_ELIGIBLE))
    if not 1990 <= count.school_year <= 2100:
        report.add("school_year", _("The school year must lie between 1990 and 2100."))
    report.check_lengths(count, ELIGIBLE_LIMITS)
    return report.build()


def overlapping_pairs(rotations: Iterable[Rotation]) -> list[tuple[Rotation, Rotation]]:
    """Pairs of rotations of the same teacher whose periods overlap (for the dataset check)."""
    by_teacher: dict[int | None, list[Rotation]] = {}
    for rotation in rotations:
        by_teacher.setdefault(rotation.teacher_id, []).append(rotation)
    pairs = []
    for items in by_teacher.values():
        items.sort(key=lambda r: r.start_on or dt.date.min)
        for i, first in enumerate(items):
            for second in items[i + 1:]:
                if first.overlaps(second):
                    pairs.append((first, second))
    return pairs
