"""The school calendar: semesters with editable date ranges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from jituan_desktop.domain.calendar import (
    Semester,
    default_range,
    school_year_of,
    validate_semester,
)
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SemesterRow
from jituan_desktop.services.base import Changes, Database, upsert


def to_semester(row: SemesterRow) -> Semester:
    return Semester(row.id, row.school_year, row.term, row.starts_on, row.ends_on)


def _added(row: SemesterRow, _before: object) -> str:
    return _("Added {semester}").format(semester=to_semester(row).label)


class CalendarService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def semesters(self) -> list[Semester]:
        with self.db.reading() as s:
            rows = s.scalars(select(SemesterRow).order_by(SemesterRow.school_year.desc(),
                                                          SemesterRow.term.desc()))
            return [to_semester(r) for r in rows]

    def ensure_school_years(self, first: int, last: int) -> Changes:
        """Create the default semesters of school years ``first..last`` that are missing."""
        existing = {(x.school_year, x.term) for x in self.semesters()}
        added = []
        with self.db.unit_of_work() as s:
            for year in range(first, last + 1):
                for term in (1, 2):
                    if (year, term) in existing:
                        continue
                    start, end = default_range(year, term)
                    row = upsert(self.db, s, SemesterRow, None, {
                        "school_year": year, "term": term, "starts_on": start, "ends_on": end},
                        "semester", created=_added, changed=_added)
                    added.append(row.id)
        return Changes.of("semester", ids=added) if added else Changes()

    def current(self, today: dt.date | None = None) -> Semester | None:
        """The semester containing ``today``; else the latest one that started before it."""
        today = today or dt.date.today()
        semesters = self.semesters()
        for semester in semesters:
            if semester.contains(today):
                return semester
        earlier = [x for x in semesters if x.starts_on <= today]
        return earlier[0] if earlier else (semesters[-1] if semesters else None)

    def validate(self, draft: Semester) -> ValidationReport:
        return validate_semester(draft, self.semesters())

    def save(self, draft: Semester) -> tuple[Semester, Changes]:
        report = self.validate(draft)
        if not report.ok:
            raise ValidationError(report)
        if draft.id is None:  # the semester a row stands for is fixed once created
            values = {"school_year": draft.school_year, "term": draft.term,
                      "starts_on": draft.starts_on, "ends_on": draft.ends_on}
        else:
            values = {"starts_on": draft.starts_on, "ends_on": draft.ends_on}
        with self.db.unit_of_work() as s:
            row = upsert(self.db, s, SemesterRow, draft.id, values, "semester",
                         created=_added,
                         changed=lambda _row, _before: _("Changed the dates of {semester}").format(
                             semester=draft.label))
            return to_semester(row), Changes.of("semester", ids=[row.id])

    @staticmethod
    def school_year_of(day: dt.date) -> int:
        return school_year_of(day)
