"""Teacher rotations: listing, validation, save, eligible counts and the per-year rule checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, func, select
from sqlalchemy.orm import Session, aliased

from jituan_desktop.domain.calendar import school_year_of
from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.rotations import (
    Appraisal,
    EligibleCount,
    Rotation,
    RotationContext,
    RotationForm,
    validate_eligible,
    validate_rotation,
)
from jituan_desktop.domain.rules import Finding, evaluate
from jituan_desktop.domain.rules.rotations import (
    TERM_SCOPE,
    YEAR_SCOPE,
    RotatedTeacher,
    TermFacts,
    YearFacts,
    applies_to,
    counted_rotations,
    denominator,
    required_count,
    share,
    why_not_applied,
)
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_school_year
from jituan_desktop.persistence.models import GroupRow, SchoolRow, TeacherRow
from jituan_desktop.persistence.rotation_models import RotationEligibleRow, RotationRow
from jituan_desktop.services.base import Changes, Database, NotFound, upsert
from jituan_desktop.services.groups import GroupService, to_membership

FIELDS = [f.name for f in dataclasses.fields(Rotation)
          if f.name not in ("id", "teacher_name", "staff_no", "from_name", "to_name")]
SCHOOL_FLAGS = ("is_weak", "is_rural", "is_small_rural", "is_quality", "is_new",
                "is_former_ethnic_language")
SHARE_KEYS = ("rotation.min_share_of_eligible", "rotation.group_share_with_backbone")


def rotation_values(r: Rotation) -> dict[str, Any]:
    values = {name: getattr(r, name) for name in FIELDS}
    values["form"] = r.form.value
    values["appraisal"] = r.appraisal.value
    values["team_name"] = r.team_name.strip() if r.form is RotationForm.TEAM else ""
    values["notes"] = r.notes.strip()
    return values


_FORMS = {m.value: m for m in RotationForm}
_APPRAISALS = {m.value: m for m in Appraisal}


def to_rotation(values: dict[str, Any], **names: str) -> Rotation:
    """A rotation from a row's column values (the table's or a dataset record's); dict
    lookups instead of Enum() calls keep 50,000 rows fast (an unknown value still raises
    the Enum's ValueError)."""
    fields = {name: values[name] for name in FIELDS if name in values}
    form = fields.get("form", RotationForm.RESIDENT.value)
    found_form = _FORMS.get(form)
    fields["form"] = found_form if found_form is not None else RotationForm(form)
    appraisal = fields.get("appraisal") or ""
    found = _APPRAISALS.get(appraisal)  # Appraisal.NONE is "", so compare with None
    fields["appraisal"] = found if found is not None else Appraisal(appraisal)
    return Rotation(id=values.get("id"), **fields, **names)


def school_flags(row: Any) -> frozenset[str]:
    return frozenset(flag for flag in SCHOOL_FLAGS if getattr(row, flag, False))


def _flags_by_school(s: Session) -> tuple[dict[int, SchoolRow], dict[int, frozenset[str]]]:
    """Every school by id, and its flags, each computed once (not once per rotation)."""
    schools = {r.id: r for r in s.scalars(select(SchoolRow))}
    return schools, {i: school_flags(r) for i, r in schools.items()}


@dataclass(frozen=True)
class YearSummary:
    """One row of the page's overview: a school year of one sending school or of the group."""

    id: str  # "2025:3", "2025:group"
    facts: YearFacts
    findings: tuple[Finding, ...]
    counted: int  # the rotations the share rule counts (all of them without a rule)
    base: int  # what the share divides by
    required: int | None  # the head count the profile asks for; None without a rule
    backbone: int  # backbone teachers among the counted rotations
    not_applied: str = ""  # without ``required``: why no share rule counts this row

    @property
    def share(self) -> float | None:
        return self.counted / self.base if self.base else None

    @property
    def backbone_share(self) -> float | None:
        return self.backbone / self.counted if self.counted else None

    @property
    def broken(self) -> list[Finding]:
        return [f for f in self.findings if f.broken]


class RotationService:
    def __init__(self, db: Database, groups: GroupService) -> None:
        self.db = db
        self.groups = groups

    # ---- reading ---------------------------------------------------------------------------

    def list(self, group_id: int) -> list[Rotation]:
        """The group's rotations in use, newest start first; one flat query (50,000 rows
        load in well under a second)."""
        from_school = aliased(SchoolRow)
        to_school = aliased(SchoolRow)
        cols = [getattr(RotationRow, c) for c in FIELDS]
        query = (select(RotationRow.id, TeacherRow.name, TeacherRow.staff_no,
                        from_school.name, to_school.name, *cols)
                 .join(TeacherRow, TeacherRow.id == RotationRow.teacher_id)
                 .join(from_school, from_school.id == RotationRow.from_school_id)
                 .join(to_school, to_school.id == RotationRow.to_school_id)
                 .where(RotationRow.group_id == group_id, RotationRow.deleted_at.is_(None),
                        # a teacher or school in the recycle bin takes its rotations along
                        TeacherRow.deleted_at.is_(None), from_school.deleted_at.is_(None),
                        to_school.deleted_at.is_(None))
                 .order_by(RotationRow.start_on.desc(), TeacherRow.name, RotationRow.id))
        with self.db.reading() as s:
            rows = s.connection().execute(query).all()
        return [self._from_tuple(r) for r in rows]

    @staticmethod
    def _from_tuple(row: Sequence[Any]) -> Rotation:
        values = dict(zip(FIELDS, row[5:], strict=True))
        values["id"] = row[0]
        return to_rotation(values, teacher_name=row[1], staff_no=row[2], from_name=row[3],
                           to_name=row[4])

    def get(self, rotation_id: int, *, deleted_too: bool = False) -> Rotation:
        with self.db.reading() as s:
            row = s.get(RotationRow, rotation_id)
            if row is None or (row.deleted_at is not None and not deleted_too):
                raise NotFound(rotation_id)
            return self._from_row(row)

    @staticmethod
    def _from_row(row: RotationRow) -> Rotation:
        values = {c: getattr(row, c) for c in FIELDS} | {"id": row.id}
        return to_rotation(values, teacher_name=row.teacher.name, staff_no=row.teacher.staff_no,
                           from_name=row.from_school.name, to_name=row.to_school.name)

    def profile(self, group_id: int) -> PolicyProfile | None:
        return self.groups.profile_of(self.groups.get(group_id))

    def term_findings_by_id(self, group_id: int,
                            rotations: Iterable[Rotation]) -> dict[int, list[Finding]]:
        """The one-rotation findings (ALX-13) of every rotation of the group, for the list."""
        profile = self.profile(group_id)
        if profile is None:
            return {}
        with self.db.reading() as s:
            schools, flags = _flags_by_school(s)
        quality = {i for i, row in schools.items() if row.is_quality}
        none: frozenset[str] = frozenset()
        found = {}
        # rotations with the same dates and schools' flags have the same findings
        seen: dict[TermFacts, list[Finding]] = {}
        for r in rotations:
            facts = TermFacts(r.start_on, r.planned_end, r.from_school_id in quality,
                              flags.get(r.to_school_id or -1, none))
            findings = seen.get(facts)
            if findings is None:
                findings = seen[facts] = evaluate(profile, TERM_SCOPE, facts)
            found[r.id or 0] = list(findings)
        return found

    # ---- validation and writes -------------------------------------------------------------

    def context(self, draft: Rotation) -> RotationContext:
        with self.db.reading() as s:
            return self._context(s, draft)

    def _context(self, s: Session, draft: Rotation) -> RotationContext:
        teachers = dict(s.execute(select(TeacherRow.id, TeacherRow.school_id).where(
            TeacherRow.deleted_at.is_(None))).all())
        names = dict(s.execute(select(SchoolRow.id, SchoolRow.name)).all())
        members: frozenset[int] = frozenset()
        if draft.start_on is not None and draft.group_id is not None:
            members = frozenset(m.school_id for m in self.groups.members_on(
                draft.group_id, draft.start_on) if m.school_id is not None)
        others: tuple[Rotation, ...] = ()
        if draft.teacher_id is not None:
            others = tuple(self._from_row(r) for r in s.scalars(select(RotationRow).where(
                RotationRow.teacher_id == draft.teacher_id, RotationRow.deleted_at.is_(None))))
        stored = None
        if draft.id is not None:
            row = s.get(RotationRow, draft.id)
            stored = self._from_row(row) if row is not None else None
        return RotationContext(teachers, members, names, others, stored)

    def validate(self, draft: Rotation) -> ValidationReport:
        return validate_rotation(draft, self.context(draft))

    def validate_restore(self, rotation_id: int) -> ValidationReport:
        """The rotation in the recycle bin, checked as if saved again now (an overlapping
        rotation of the teacher may have been entered meanwhile)."""
        return self.validate(self.get(rotation_id, deleted_too=True))

    def save(self, draft: Rotation) -> tuple[Rotation, Changes]:
        with self.db.unit_of_work() as s:
            row = self.write(s, draft)
            rotation_id = row.id
        return self.get(rotation_id), Changes.of("rotation", ids=[rotation_id])

    def write(self, s: Session, draft: Rotation, *, created_summary: str | None = None) \
            -> RotationRow:
        """Validate and insert or update inside an open unit of work (also the xlsx import):
        a ValidationError rolls the whole unit back."""
        report = validate_rotation(draft, self._context(s, draft))
        if not report.ok:
            raise ValidationError(report)
        if s.get(GroupRow, draft.group_id) is None:
            raise NotFound(draft.group_id)
        names = dict(s.execute(select(SchoolRow.id, SchoolRow.name).where(
            SchoolRow.id.in_([draft.from_school_id, draft.to_school_id]))).all())
        teacher = s.get(TeacherRow, draft.teacher_id)
        label = dataclasses.replace(
            draft, teacher_name=teacher.name if teacher else "",
            from_name=names.get(draft.from_school_id, ""),
            to_name=names.get(draft.to_school_id, "")).label
        created = created_summary or _("Added rotation {name}").format(name=label)
        changed = _("Changed rotation {name}").format(name=label)
        return upsert(self.db, s, RotationRow, draft.id, rotation_values(draft), "rotation",
                      created=lambda _row, _before: created,
                      changed=lambda _row, _before: changed, group_id=draft.group_id)

    # ---- eligible counts -------------------------------------------------------------------

    def eligible_counts(self, group_id: int) -> list[EligibleCount]:
        with self.db.reading() as s:
            rows = s.scalars(select(RotationEligibleRow).where(
                RotationEligibleRow.group_id == group_id))
            return [EligibleCount(r.id, r.group_id, r.school_id, r.school_year, r.eligible,
                                  r.note) for r in rows]

    def save_eligible(self, count: EligibleCount) -> Changes:
        """Enter (or, with ``eligible`` None, withdraw) a school's eligible teachers of a
        school year. The row is kept either way, so the history shows every value."""
        report = validate_eligible(count)
        if not report.ok:
            raise ValidationError(report)
        with self.db.unit_of_work() as s:
            existing = s.scalar(select(RotationEligibleRow.id).where(
                RotationEligibleRow.group_id == count.group_id,
                RotationEligibleRow.school_id == count.school_id,
                RotationEligibleRow.school_year == count.school_year))
            school = s.get(SchoolRow, count.school_id)
            if school is None:
                raise NotFound(count.school_id)
            text = (_("Set the rotation-eligible teachers of {school} in {year} to {n}").format(
                school=school.name, year=format_school_year(count.school_year), n=count.eligible)
                if count.eligible is not None else
                _("Count the rotation-eligible teachers of {school} in {year} from the teacher "
                  "list").format(school=school.name,
                                 year=format_school_year(count.school_year)))
            row = upsert(self.db, s, RotationEligibleRow, existing, {
                "group_id": count.group_id, "school_id": count.school_id,
                "school_year": count.school_year, "eligible": count.eligible,
                "note": count.note.strip()}, "rotation_eligible", created=lambda _r, _b: text,
                changed=lambda _r, _b: text,
                group_id=count.group_id)
        return Changes.of("rotation_eligible", ids=[row.id])

    # ---- rules -----------------------------------------------------------------------------

    def term_findings(self, draft: Rotation, profile: PolicyProfile | None) -> list[Finding]:
        """ALX-13 and other one-rotation rules of the profile, for the edit form."""
        if profile is None:
            return []
        with self.db.reading() as s:
            sender = s.get(SchoolRow, draft.from_school_id) if draft.from_school_id else None
            receiver = s.get(SchoolRow, draft.to_school_id) if draft.to_school_id else None
            facts = TermFacts(draft.start_on, draft.planned_end,
                              bool(sender and sender.is_quality),
                              school_flags(receiver) if receiver else frozenset())
        return evaluate(profile, TERM_SCOPE, facts)

    def year_summaries(self, group_id: int, today: dt.date | None = None,
                       rotations: Sequence[Rotation] | None = None) -> list[YearSummary]:
        """Per school year (of the rotations' starts, the entered counts and today) and
        sending school, plus the whole group: counts, shares and the profile's findings.

        ``rotations``: the group's rotations as ``list`` gave them (the page has just loaded
        them); listed here when None."""
        group = self.groups.get(group_id)
        profile = self.groups.profile_of(group)
        if rotations is None:
            rotations = self.list(group_id)
        memberships = self.groups.memberships(group_id)
        entered = {(c.school_id, c.school_year): c.eligible for c in self.eligible_counts(
            group_id) if c.eligible is not None}
        with self.db.reading() as s:
            schools, flags = _flags_by_school(s)
            staff = self._staff_counts(s)
        # each rotation's school year and rotated-teacher facts once, by year and sender
        by_year: dict[int, dict[int | None, list[RotatedTeacher]]] = {}
        in_year: dict[int, list[RotatedTeacher]] = {}  # in the list's order
        for r in rotations:
            if r.start_on is None:
                continue
            year = school_year_of(r.start_on)
            rotated = _rotated(r, flags)
            in_year.setdefault(year, []).append(rotated)
            by_year.setdefault(year, {}).setdefault(r.from_school_id, []).append(rotated)
        years = set(by_year)
        years |= {year for _school, year in entered}
        years.add(school_year_of(today or dt.date.today()))
        stage_type = group.stage_type.value
        summaries: list[YearSummary] = []
        for year in sorted(years, reverse=True):
            members = _members_in_year(memberships, year)
            senders = by_year.get(year, {})
            rows: list[YearFacts] = []
            for school_id in members:
                school = schools[school_id]
                sent = senders.get(school_id, ())
                if not sent and not school.is_quality:
                    continue
                rows.append(self._facts(year, school, sent, stage_type, entered, staff))
            totals = [self._facts(year, schools[sid], (), stage_type, entered, staff)
                      for sid in members]
            rows.append(YearFacts(
                year, None, _("Whole group"), False, stage_type,
                sum(t.eligible for t in totals), any(t.eligible_entered for t in totals),
                sum(t.teachers for t in totals), sum(t.eligible_key for t in totals),
                tuple(in_year.get(year, ())),
                sum(t.listed_eligible for t in totals)))
            summaries.extend(self._summary(facts, profile) for facts in rows)
        return summaries

    @staticmethod
    def _staff_counts(s: Session) -> dict[int, tuple[int, int, int]]:
        """School id → (teachers, marked eligible, eligible backbone) of the teacher list."""
        query = (select(TeacherRow.school_id, func.count(),
                        func.sum(TeacherRow.rotation_eligible.cast(Integer())),
                        func.sum(and_(TeacherRow.rotation_eligible,
                                      TeacherRow.is_backbone).cast(Integer())))
                 .where(TeacherRow.deleted_at.is_(None)).group_by(TeacherRow.school_id))
        return {sid: (n, int(e or 0), int(k or 0)) for sid, n, e, k in s.execute(query)}

    @staticmethod
    def _facts(year: int, school: SchoolRow, sent: Sequence[RotatedTeacher], stage_type: str,
               entered: dict[tuple[int, int], int],
               staff: dict[int, tuple[int, int, int]]) -> YearFacts:
        teachers, flagged, key = staff.get(school.id, (0, 0, 0))
        own = entered.get((school.id, year))
        return YearFacts(year, school.id, school.name, school.is_quality, stage_type,
                         flagged if own is None else own, own is not None, teachers, key,
                         tuple(sent), flagged)

    @staticmethod
    def _summary(facts: YearFacts, profile: PolicyProfile | None) -> YearSummary:
        findings = tuple(evaluate(profile, YEAR_SCOPE, facts)) if profile else ()
        shares = [r for r in (profile.rules if profile else ()) if r.key in SHARE_KEYS]
        rule = next((r for r in shares if applies_to(facts, r.params)), None)
        not_applied = ""
        if rule is not None:
            counted = counted_rotations(facts, rule.params)
            base, _source = denominator(facts, rule.params)
            required: int | None = required_count(share(rule.params), base,
                                                  rule.params.get("rounding", "ceil"))
        else:
            counted, base, required = list(facts.rotations), facts.eligible, None
            not_applied = why_not_applied(facts, shares)
        key = f"{facts.school_year}:{facts.school_id if facts.school_id else 'group'}"
        return YearSummary(key, facts, findings, len(counted), base, required,
                           sum(1 for r in counted if r.is_backbone), not_applied)


def _members_in_year(memberships: Iterable[Membership], year: int) -> list[int]:
    """Schools that belonged to the group on some day of the school year, core first."""
    first, last = dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    seen: dict[int, None] = {}
    for m in memberships:
        if m.school_id is None or m.joined_on is None:
            continue
        if m.joined_on <= last and (m.left_on is None or m.left_on >= first):
            seen.setdefault(m.school_id, None)
    return list(seen)


_NO_FLAGS: frozenset[str] = frozenset()


def _rotated(r: Rotation, flags: dict[int, frozenset[str]]) -> RotatedTeacher:
    """``flags``: school id → its flags (``_flags_by_school``)."""
    return RotatedTeacher(r.teacher_name, r.is_backbone, r.to_school_id or 0, r.to_name,
                          flags.get(r.to_school_id or -1, _NO_FLAGS),
                          r.form is RotationForm.TEAM, r.team_name)


def describe_rotation(row: RotationRow) -> str:
    """``张三：一实小 → 五小`` (the recycle bin and history)."""
    return Rotation(row.id, row.group_id, row.teacher_id, row.from_school_id, row.to_school_id,
                    teacher_name=row.teacher.name, from_name=row.from_school.short_name
                    or row.from_school.name, to_name=row.to_school.short_name
                    or row.to_school.name).label


# ---- the dataset check (services/dataset_check.py, third pass) ----------------------------

DOCUMENT_SECTIONS = ("rotations", "rotation_eligible_counts")

Rows = Callable[[str], list[tuple[str, Any]]]


def document_rotation_reports(rows: Rows) -> list[tuple[str, ValidationReport]]:
    """The form rules over a dataset document's rotations in use (``rows(key)``: the
    section's records as ``(position, row)``): dates in order, schools of the group on the
    start day, no overlapping rotations of one teacher; and one eligible count per school and
    school year. The teacher's home school is not checked: the teacher may have moved since
    the rotation was entered, as in the program. Rotations of a teacher or school in the
    recycle bin are left out, as the page leaves them out of its checks."""
    live = {key: [(w, r) for w, r in rows(key) if getattr(r, "deleted_at", None) is None]
            for key in ("schools", "teachers", "groups", "memberships", "rotations")}
    schools = {r.id: r.name for _w, r in live["schools"]}
    teachers = {r.id: r.school_id for _w, r in live["teachers"] if r.school_id in schools}
    groups = {r.id for _w, r in live["groups"]}
    periods: dict[int, list[Membership]] = {}
    for _w, r in live["memberships"]:
        if r.school_id in schools:
            periods.setdefault(r.group_id, []).append(to_membership(r, schools[r.school_id]))
    rotations = [(w, to_rotation(vars(r), teacher_name="", from_name=schools.get(
        r.from_school_id, ""), to_name=schools.get(r.to_school_id, "")))
        for w, r in live["rotations"] if r.group_id in groups and r.teacher_id in teachers
        and {r.from_school_id, r.to_school_id} <= schools.keys()]
    by_teacher: dict[int | None, list[Rotation]] = {}
    for _w, rotation in rotations:
        by_teacher.setdefault(rotation.teacher_id, []).append(rotation)
    reports = []
    for where, rotation in rotations:
        members = frozenset(m.school_id for m in periods.get(rotation.group_id or -1, [])
                            if rotation.start_on and m.active_on(rotation.start_on)
                            and m.school_id is not None)
        context = RotationContext(teachers, members, schools,
                                  tuple(by_teacher.get(rotation.teacher_id, ())), rotation)
        reports.append((where, validate_rotation(rotation, context)))
    seen: set[tuple[int, int, int]] = set()
    for where, r in rows("rotation_eligible_counts"):
        key = (r.group_id, r.school_id, r.school_year)
        if key in seen:
            reports.append((where, ValidationReport({"school_year": _(
                "The eligible teachers of this school and school year are given twice.")})))
        seen.add(key)
        reports.append((where, validate_eligible(EligibleCount(
            r.id, r.group_id, r.school_id, r.school_year, r.eligible, r.note))))
    return reports
