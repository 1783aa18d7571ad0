"""The school calendar through the service."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.validation import ValidationError

ACTOR = "测试员"
D = dt.date


def test_ensure_school_years_creates_two_semesters_per_year(services) -> None:
    # WHEN the school years 2024 to 2026 are ensured
    changes = services.calendar.ensure_school_years(2024, 2026)
    # THEN there are two semesters per year with the default dates, newest first
    semesters = services.calendar.semesters()
    assert [(s.school_year, s.term) for s in semesters] == [
        (2026, 2), (2026, 1), (2025, 2), (2025, 1), (2024, 2), (2024, 1)]
    assert semesters[-1].starts_on == D(2024, 9, 1) and semesters[-1].ends_on == D(2025, 1, 31)
    assert changes.touches("semester") and len(changes.ids) == 6
    # AND each one is in the history, by the actor
    history = services.recycle_bin.history(entity="semester")
    assert len(history) == 6 and {h.actor for h in history} == {ACTOR}


def test_ensure_school_years_is_idempotent(services, counts) -> None:
    services.calendar.ensure_school_years(2024, 2025)
    before = counts(services)
    # WHEN the same years are ensured again
    changes = services.calendar.ensure_school_years(2024, 2025)
    # THEN nothing is added, not even history
    assert not changes.kinds
    assert counts(services) == before
    # AND extending the range adds only the missing years
    services.calendar.ensure_school_years(2023, 2025)
    assert len(services.calendar.semesters()) == 6


def test_ensure_keeps_edited_dates(services) -> None:
    services.calendar.ensure_school_years(2024, 2024)
    first = next(s for s in services.calendar.semesters() if s.term == 1)
    services.calendar.save(dataclasses.replace(first, starts_on=D(2024, 8, 28)))
    services.calendar.ensure_school_years(2024, 2025)
    assert next(s for s in services.calendar.semesters() if s.id == first.id).starts_on == \
        D(2024, 8, 28)


def test_editing_dates_is_saved_with_history(services) -> None:
    services.calendar.ensure_school_years(2024, 2024)
    second = next(s for s in services.calendar.semesters() if s.term == 2)
    saved, changes = services.calendar.save(dataclasses.replace(second, ends_on=D(2025, 7, 10)))
    assert saved.ends_on == D(2025, 7, 10) and changes.touches("semester")
    latest = services.recycle_bin.history(entity="semester", entity_id=second.id)[0]
    assert latest.action == "update" and latest.actor == ACTOR
    assert latest.details == {"ends_on": ["2025-08-31", "2025-07-10"]}


@pytest.mark.parametrize(("starts", "ends", "field"), [
    (D(2025, 1, 10), D(2025, 8, 31), "starts_on"),  # overlaps the first semester
    (D(2025, 8, 31), D(2025, 2, 1), "ends_on"),  # reversed
])
def test_overlapping_or_reversed_ranges_are_refused(services, counts, starts, ends,
                                                    field) -> None:
    # GIVEN the default semesters of 2024
    services.calendar.ensure_school_years(2024, 2024)
    second = next(s for s in services.calendar.semesters() if s.term == 2)
    before = counts(services)
    # WHEN the second semester gets bad dates
    with pytest.raises(ValidationError) as caught:
        services.calendar.save(dataclasses.replace(second, starts_on=starts, ends_on=ends))
    # THEN it is refused and nothing changed
    assert field in caught.value.report
    assert counts(services) == before
    assert services.calendar.semesters() == sorted(
        services.calendar.semesters(), key=lambda s: (-s.school_year, -s.term))
    assert next(s for s in services.calendar.semesters() if s.id == second.id) == second


def test_a_new_semester_overlapping_an_existing_one_is_refused(services, counts) -> None:
    services.calendar.ensure_school_years(2024, 2024)
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.calendar.save(Semester(None, 2025, 1, D(2025, 8, 1), D(2026, 1, 31)))
    assert "starts_on" in caught.value.report
    assert counts(services) == before


def test_a_second_semester_with_the_same_year_and_term_is_refused(services, counts) -> None:
    services.calendar.ensure_school_years(2024, 2024)
    before = counts(services)
    # dates that overlap nothing else, but term 1 of 2024 exists already
    with pytest.raises(ValidationError):
        services.calendar.save(Semester(None, 2024, 1, D(2024, 8, 1), D(2024, 8, 20)))
    assert counts(services) == before


@pytest.mark.parametrize(("day", "expected"), [
    (D(2024, 9, 1), (2024, 1)), (D(2025, 1, 31), (2024, 1)), (D(2025, 2, 1), (2024, 2)),
    (D(2025, 8, 31), (2024, 2)), (D(2025, 12, 24), (2025, 1)),
])
def test_current_picks_the_semester_containing_the_day(services, day, expected) -> None:
    services.calendar.ensure_school_years(2024, 2025)
    current = services.calendar.current(day)
    assert current is not None
    assert (current.school_year, current.term) == expected
    assert current.contains(day)


def test_current_outside_the_calendar_falls_back_sensibly(services) -> None:
    assert services.calendar.current(D(2025, 1, 1)) is None  # no calendar at all
    services.calendar.ensure_school_years(2024, 2025)
    after = services.calendar.current(D(2030, 1, 1))
    before = services.calendar.current(D(2000, 1, 1))
    assert after is not None and (after.school_year, after.term) == (2025, 2)  # latest started
    assert before is not None and (before.school_year, before.term) == (2024, 1)  # earliest


def test_school_year_of_is_offered_by_the_service(services) -> None:
    assert services.calendar.school_year_of(D(2025, 3, 1)) == 2024
