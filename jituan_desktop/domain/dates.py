"""Date arithmetic shared by the rules: corresponding days years later, lengths in days, and
whether a period is over (a count rule of a period that has not ended is not yet due)."""

from __future__ import annotations

import calendar
import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February → 28 February (Civil Code art. 202:
    a period without the corresponding day ends on the month's last day)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def days_between(start: dt.date, end: dt.date, counting: str = "inclusive") -> int:
    """Length from ``start`` to ``end``: ``"inclusive"`` counts both days (1 September to
    1 September is 1 day), anything else counts the nights (0 days)."""
    days = (end - start).days
    return days + 1 if counting == "inclusive" else days


def period_over(ends_on: dt.date | None, today: dt.date | None) -> bool:
    """Whether a period ending on ``ends_on`` is over on ``today``: only from the day after its
    last day. Unknown today or end: treated as over (checked as before)."""
    return ends_on is None or today is None or today > ends_on


def school_year_end(school_year: int) -> dt.date:
    """The last day of the school year that starts in September of ``school_year``."""
    return dt.date(school_year + 1, 8, 31)
