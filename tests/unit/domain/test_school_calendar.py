"""School years (学年) and semesters (学期): default dates and validation."""

from __future__ import annotations

import datetime as dt

import pytest

from jituan_desktop.domain.calendar import (
    Semester,
    default_range,
    school_year_of,
    validate_semester,
)

D = dt.date


def defaults(year: int, term: int, id_: int | None = None) -> Semester:
    return Semester(id_, year, term, *default_range(year, term))


@pytest.mark.parametrize(("day", "year"), [
    (D(2024, 9, 1), 2024), (D(2024, 12, 31), 2024), (D(2025, 1, 15), 2024),
    (D(2025, 8, 31), 2024), (D(2025, 9, 1), 2025),
])
def test_school_year_of_starts_on_the_first_of_september(day: dt.date, year: int) -> None:
    assert school_year_of(day) == year


def test_default_ranges_cover_the_year_without_gaps() -> None:
    first, second = default_range(2024, 1), default_range(2024, 2)
    assert first == (D(2024, 9, 1), D(2025, 1, 31))
    assert second == (D(2025, 2, 1), D(2025, 8, 31))
    assert second[0] - first[1] == dt.timedelta(days=1)
    assert default_range(2025, 1)[0] - second[1] == dt.timedelta(days=1)


def test_semester_label_and_contains() -> None:
    s = defaults(2024, 1)
    assert s.label == "2024—2025学年第一学期"
    assert defaults(2024, 2).label == "2024—2025学年第二学期"
    assert s.contains(D(2024, 9, 1)) and s.contains(D(2025, 1, 31))
    assert not s.contains(D(2025, 2, 1))


def test_default_semesters_are_valid_next_to_each_other() -> None:
    others = [defaults(2024, 1, 1), defaults(2024, 2, 2)]
    assert validate_semester(defaults(2025, 1), others).ok


def test_a_reversed_date_range_is_refused() -> None:
    report = validate_semester(Semester(None, 2024, 1, D(2025, 1, 31), D(2024, 9, 1)), [])
    assert "ends_on" in report


def test_dates_outside_the_school_year_are_refused() -> None:
    assert "starts_on" in validate_semester(Semester(None, 2024, 1, D(2023, 9, 1),
                                                     D(2024, 1, 31)), [])


def test_an_overlapping_semester_is_refused() -> None:
    # GIVEN the first semester of 2024 with its default dates
    existing = [defaults(2024, 1, 1)]
    # WHEN the second semester is made to start in January
    draft = Semester(None, 2024, 2, D(2025, 1, 15), D(2025, 8, 31))
    # THEN it is refused for overlapping
    assert "starts_on" in validate_semester(draft, existing)


def test_editing_a_semester_does_not_overlap_itself() -> None:
    existing = [defaults(2024, 1, 1), defaults(2024, 2, 2)]
    edited = Semester(1, 2024, 1, D(2024, 8, 26), D(2025, 1, 24))
    assert validate_semester(edited, existing).ok


@pytest.mark.parametrize(("year", "term", "field"), [(2024, 3, "term"), (1989, 1, "school_year"),
                                                     (2101, 2, "school_year")])
def test_term_and_year_must_be_plausible(year: int, term: int, field: str) -> None:
    start, end = default_range(year, 1 if term == 3 else term)
    assert field in validate_semester(Semester(None, year, term, start, end), [])
