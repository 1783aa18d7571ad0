"""School years (学年) and semesters (学期).

Default dates follow DOMAIN.md §0.3: the school year runs 09-01 to 08-31, the first semester
09-01 to 01-31 and the second 02-01 to 08-31. Groups edit the actual ranges; records refer to
a semester by ``(school_year, term)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _, format_school_year, format_semester


def school_year_of(day: dt.date) -> int:
    """The start year of the school year that contains ``day`` (default calendar)."""
    return day.year if day.month >= 9 else day.year - 1


def default_range(school_year: int, term: int) -> tuple[dt.date, dt.date]:
    if term == 1:
        return dt.date(school_year, 9, 1), dt.date(school_year + 1, 1, 31)
    return dt.date(school_year + 1, 2, 1), dt.date(school_year + 1, 8, 31)


@dataclass(frozen=True)
class Semester:
    id: int | None
    school_year: int
    term: int
    starts_on: dt.date
    ends_on: dt.date

    @property
    def label(self) -> str:
        return format_semester(self.school_year, self.term)

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def validate_semester(draft: Semester, others: list[Semester]) -> ValidationReport:
    """Dates must be ordered, lie in their school year, and not overlap another semester."""
    report = ReportBuilder()
    report.check(draft.term in (1, 2), "term", _("The term must be the first or the second."))
    report.check(1990 <= draft.school_year <= 2100, "school_year",
                 _("The school year must lie between 1990 and 2100."))
    if draft.ends_on < draft.starts_on:
        report.add("ends_on", _("The semester cannot end before it starts."))
    year_start = dt.date(draft.school_year, 8, 1)
    year_end = dt.date(draft.school_year + 1, 9, 30)
    if not (year_start <= draft.starts_on and draft.ends_on <= year_end):
        report.add("starts_on", _("The dates must lie within the school year {year}.").format(
            year=format_school_year(draft.school_year)))
    for other in others:
        if other.id is not None and other.id == draft.id:
            continue
        if (other.school_year, other.term) == (draft.school_year, draft.term):
            report.add("term", _("{semester} already exists.").format(semester=other.label))
            break
        if draft.starts_on <= other.ends_on and other.starts_on <= draft.ends_on:
            report.add("starts_on", _("The dates overlap {semester}.").format(
                semester=other.label))
            break
    return report.build()
