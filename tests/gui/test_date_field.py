"""DateEdit: a plain QDateEdit, or (optional) a check box that enables an ordinary date field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.date_field import DateEdit, OptionalDateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

pytestmark = pytest.mark.gui

TODAY = dt.date.today()


def test_a_required_date_is_a_date_edit(qtbot: Any) -> None:
    edit = DateEdit(dt.date(2024, 9, 1))
    qtbot.addWidget(edit)
    assert isinstance(edit, QDateEdit)
    # shown as the lists show dates, in the interface language
    assert edit.calendarPopup() and edit.displayFormat() == "yyyy年M月d日"
    assert edit.value() == dt.date(2024, 9, 1)
    assert DateEdit().value() == TODAY


@pytest.fixture
def form(qtbot: Any) -> tuple[QWidget, OptionalDateEdit, QLineEdit]:
    """A window with the optional date between two line edits."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLineEdit())
    field = DateEdit(None, optional=True)
    layout.addWidget(field)
    after = QLineEdit()
    layout.addWidget(after)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, field, after


def test_unset_optional_date(form: tuple[QWidget, OptionalDateEdit, QLineEdit]) -> None:
    _window, field, _after = form
    assert isinstance(field, OptionalDateEdit)
    assert field.value() is None
    assert not field.check.isChecked()
    assert field.check.text() == _("Known:")
    assert not field.date_edit.isEnabled()
    # no sentinel: the field (and its calendar) sit at today, not in 1900/1901
    assert field.date_edit.date() == QDate.currentDate()
    assert field.date_edit.minimumDate() < QDate(1901, 1, 1)
    assert field.date_edit.specialValueText() == ""
    calendar = field.date_edit.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (TODAY.year, TODAY.month)


def test_checking_typing_leaving_and_unsetting_again(
    qtbot: Any, form: tuple[QWidget, OptionalDateEdit, QLineEdit]
) -> None:
    _window, field, after = form
    changes: list[object] = []
    field.value_changed.connect(changes.append)

    # WHEN the box is checked with the keyboard, the date field takes the focus
    field.check.setFocus()
    qtbot.keyClick(field.check, Qt.Key.Key_Space)
    assert field.value() == TODAY
    assert field.date_edit.isEnabled()
    qtbot.waitUntil(field.date_edit.hasFocus)

    # AND typing gives the typed date (no "not set" text mixed in)
    qtbot.keyClicks(field.date_edit, "20200315")
    assert field.value() == dt.date(2020, 3, 15)
    assert field.date_edit.text() in ("2020年3月15日", "2020年03月15日")

    # AND Tab leaves the field
    qtbot.keyClick(field.date_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)

    # AND clearing the box sets it back to "not set"
    field.check.click()
    assert field.value() is None
    assert changes[0] == TODAY and dt.date(2020, 3, 15) in changes and changes[-1] is None


def test_set_value(qtbot: Any) -> None:
    field = DateEdit(dt.date(2019, 9, 1), optional=True)
    qtbot.addWidget(field)
    assert field.value() == dt.date(2019, 9, 1)
    assert field.check.isChecked() and field.date_edit.isEnabled()
    field.set_value(None)
    assert field.value() is None and not field.date_edit.isEnabled()
    field.set_value(dt.date(2021, 2, 3))
    assert field.value() == dt.date(2021, 2, 3)


@dataclass(frozen=True)
class Event:
    held_on: dt.date | None


class EventDialog(ValidatedDialog[Event]):
    def __init__(self, draft: Event) -> None:
        super().__init__(None)
        form = QFormLayout()
        self.content.addLayout(form)
        self.held_on = DateEdit(draft.held_on, optional=True)
        self.add_row(form, "Held on", "held_on", self.held_on)
        self.revalidate()

    def draft(self) -> Event:
        return Event(self.held_on.value())

    def validate(self, draft: Event) -> ValidationReport:
        report = ReportBuilder()
        report.check(draft.held_on is None or draft.held_on <= TODAY, "held_on", "Not future.")
        return report.build()


def test_a_validated_dialog_watches_it(qtbot: Any) -> None:
    dialog = EventDialog(Event(None))
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled()

    dialog.held_on.check.click()
    dialog.held_on.date_edit.setDate(QDate.currentDate().addDays(1))
    assert not dialog.ok_button.isEnabled()
    assert not dialog.errors.message_label("held_on").isHidden()

    dialog.held_on.check.click()  # not set again
    assert dialog.ok_button.isEnabled()
    assert dialog.draft() == Event(None)
