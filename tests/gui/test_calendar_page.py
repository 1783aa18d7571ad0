"""CalendarPage and SemesterDialog: the demo's semesters, editing dates, another school year."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.i18n import format_semester
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.semester_dialog import SemesterDialog
from jituan_desktop.ui.pages.calendar_page import CalendarPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> CalendarPage:
    page = CalendarPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def semester(page: CalendarPage, year: int, term: int) -> Semester:
    return next(s for s in page.list.rows() if (s.school_year, s.term) == (year, term))


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_lists_the_demo_semesters(page: CalendarPage) -> None:
    rows = page.list.rows()
    assert [(s.school_year, s.term) for s in rows] == [(2026, 2), (2026, 1), (2025, 2),
                                                       (2025, 1)]
    model = page.list.model
    assert model.display_text(3, 0) == format_semester(2025, 1)
    assert model.display_text(3, 3) == str((dt.date(2026, 1, 31) - dt.date(2025, 9, 1)).days + 1)
    assert not page.edit_button.isEnabled()


def test_add_school_year_adds_the_next_two_semesters(
    page: CalendarPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    assert page.next_school_year() == 2027

    page.add_year_button.click()

    assert len(page.list.rows()) == 6
    added = semester(page, 2027, 1)
    assert added.starts_on == dt.date(2027, 9, 1)
    assert page.list.selected() == added
    assert semester(page, 2027, 2).ends_on == dt.date(2028, 8, 31)
    assert page.next_school_year() == 2028


def test_add_school_year_not_confirmed(page: CalendarPage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *_a: False)
    page.add_year_button.click()
    assert len(page.list.rows()) == 4


def test_editing_dates_saves_and_records_history(
    qtbot: Any, page: CalendarPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = semester(page, 2025, 1)
    page.list.select_id(first.id)
    monkeypatch.setattr(SemesterDialog, "edit", lambda _p, s, validate: dataclasses.replace(
        s, starts_on=dt.date(2025, 8, 30)))

    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)

    assert semester(page, 2025, 1).starts_on == dt.date(2025, 8, 30)
    entry = demo_ctx.services.recycle_bin.history(entity="semester", entity_id=first.id)[0]
    assert entry.action == "update"
    assert entry.details == {"starts_on": ["2025-09-01", "2025-08-30"]}


# ---- SemesterDialog ---------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot: Any, demo_ctx: AppContext) -> SemesterDialog:
    calendar = demo_ctx.services.calendar
    first = next(s for s in calendar.semesters() if (s.school_year, s.term) == (2025, 1))
    dlg = SemesterDialog(None, first, calendar.validate)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_dialog_shows_the_dates(dialog: SemesterDialog) -> None:
    assert dialog.starts_edit.date() == QDate(2025, 9, 1)
    assert dialog.ends_edit.date() == QDate(2026, 1, 31)
    assert dialog.starts_edit.calendarPopup()
    assert dialog.ok_button.isEnabled()


def test_overlap_and_reversed_dates_disable_ok(dialog: SemesterDialog) -> None:
    dialog.ends_edit.setDate(QDate(2026, 2, 10))  # into the second semester
    assert not dialog.ok_button.isEnabled()
    # the overlap is reported on the start date, shown although only the end was edited
    assert dialog.errors.message_label("starts_on").isVisible()
    assert dialog.errors.message_label("starts_on").text() == dialog.report["starts_on"]

    dialog.ends_edit.setDate(QDate(2025, 8, 20))  # before the start
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("ends_on").isVisible()


def test_ok_returns_the_new_dates(qtbot: Any, dialog: SemesterDialog) -> None:
    original = dialog.draft()
    dialog.starts_edit.setDate(QDate(2025, 8, 28))
    dialog.ends_edit.setDate(QDate(2026, 1, 20))

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.accepted_draft == dataclasses.replace(
        original, starts_on=dt.date(2025, 8, 28), ends_on=dt.date(2026, 1, 20))


def test_typing_a_date(qtbot: Any, dialog: SemesterDialog) -> None:
    dialog.ends_edit.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(dialog.ends_edit, "15")
    assert dialog.ends_edit.date() == QDate(2026, 1, 15)
    assert dialog.ok_button.isEnabled()
