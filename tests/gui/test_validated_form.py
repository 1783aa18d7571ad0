"""ValidatedDialog and FormErrors: OK follows validation, messages appear next to fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.validated_form import FormErrors, ValidatedDialog

pytestmark = pytest.mark.gui

NAME_REQUIRED = "Enter the school's name."
TOO_SMALL = "A school with a boarding house has at least 10 pupils."
TOO_MANY = "At most 50,000 pupils."
HINT_ID = "Fill in the required fields to enable OK."  # translated when a test runs


@dataclass(frozen=True)
class SchoolDraft:
    name: str
    pupils: int
    boarding: bool


def validate_school(draft: SchoolDraft) -> ValidationReport:
    report = ReportBuilder()
    report.check(bool(draft.name), "name", NAME_REQUIRED)
    report.check(draft.pupils <= 50_000, "pupils", TOO_MANY)
    report.check(not draft.boarding or draft.pupils >= 10, "", TOO_SMALL)
    return report.build()


class SchoolDialog(ValidatedDialog[SchoolDraft]):
    def __init__(self, parent: QWidget | None, draft: SchoolDraft) -> None:
        super().__init__(parent)
        form = QFormLayout()
        self.content.addLayout(form)
        self.name = QLineEdit(draft.name)
        self.pupils = QSpinBox()
        self.pupils.setRange(0, 100_000)
        self.pupils.setValue(draft.pupils)
        self.boarding = QCheckBox()
        self.boarding.setChecked(draft.boarding)
        self.add_row(form, _("Name"), "name", self.name)
        self.add_row(form, _("Pupils"), "pupils", self.pupils)
        self.add_row(form, _("Boarding"), "boarding", self.boarding)
        self.revalidate()

    def draft(self) -> SchoolDraft:
        return SchoolDraft(self.name.text().strip(), self.pupils.value(),
                           self.boarding.isChecked())

    def validate(self, draft: SchoolDraft) -> ValidationReport:
        return validate_school(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: SchoolDraft) -> SchoolDraft | None:
        return cls(parent, draft).ask()


EMPTY = SchoolDraft("", 0, False)


@pytest.fixture
def dialog(qtbot: Any) -> SchoolDialog:
    dialog = SchoolDialog(None, EMPTY)
    qtbot.addWidget(dialog)
    return dialog


def test_ok_follows_validation(qtbot: Any, dialog: SchoolDialog) -> None:
    name_message = dialog.errors.message_label("name")

    # GIVEN a new, empty form: OK is disabled, but no "required" message shouts at the
    # user yet (only a neutral hint says why OK is disabled)
    assert not dialog.ok_button.isEnabled()
    assert name_message.isHidden()
    assert not dialog.name.property("invalid")
    assert not dialog.hint_label.isHidden()

    # WHEN a name is typed, OK is enabled
    qtbot.keyClicks(dialog.name, "Liangzhou")
    assert dialog.ok_button.isEnabled()
    assert name_message.isHidden()
    assert dialog.hint_label.isHidden()

    # WHEN it is cleared again, OK is disabled and the message appears by the field
    dialog.name.clear()
    assert not dialog.ok_button.isEnabled()
    assert not name_message.isHidden()
    assert name_message.text() == NAME_REQUIRED
    assert dialog.name.property("invalid") is True
    assert dialog.hint_label.isHidden()  # the message says it


def test_form_wide_message(qtbot: Any, dialog: SchoolDialog) -> None:
    qtbot.keyClicks(dialog.name, "Liangzhou")
    dialog.boarding.setChecked(True)

    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.form_label.text() == TOO_SMALL
    assert not dialog.errors.form_label.isHidden()

    dialog.pupils.setValue(120)
    assert dialog.ok_button.isEnabled()
    assert dialog.errors.form_label.isHidden()


def test_ok_returns_the_draft(qtbot: Any, dialog: SchoolDialog) -> None:
    qtbot.keyClicks(dialog.name, "  Lizhou  ")
    dialog.pupils.setValue(950)

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == SchoolDialog.DialogCode.Accepted
    assert dialog.accepted_draft == SchoolDraft("Lizhou", 950, False)


def test_invalid_accept_is_refused_and_shows_everything(dialog: SchoolDialog) -> None:
    dialog.accept()  # e.g. Enter before OK was disabled

    assert dialog.accepted_draft is None
    assert dialog.result() != SchoolDialog.DialogCode.Accepted
    assert dialog.errors.message_label("name").text() == NAME_REQUIRED


def test_edit_classmethod_returns_a_value_or_none(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)  # the dialogs are its children and go with it

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SchoolDialog):  # exec() has not started yet
            QTimer.singleShot(10, lambda: answer(accept))
            return
        if accept:
            dialog.name.setText("低塘初级中学")
            dialog.ok_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, lambda: answer(True))
    assert SchoolDialog.edit(window, EMPTY) == SchoolDraft("低塘初级中学", 0, False)

    QTimer.singleShot(0, lambda: answer(False))
    assert SchoolDialog.edit(window, SchoolDraft("梨洲中学", 950, False)) is None


def test_form_errors_on_their_own(qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    form = QFormLayout(host)
    errors = FormErrors(host)
    combo = QComboBox()
    form.addRow("Kind", errors.bind("kind", combo))
    form.addRow(errors.form_label)

    errors.show(ValidationReport({"kind": "Choose a kind.", "other": "Unbound field."}))

    assert errors.message_label("kind").text() == "Choose a kind."
    assert combo.property("invalid") is True
    assert errors.form_label.text() == "Unbound field."

    errors.show(ValidationReport())
    assert errors.message_label("kind").isHidden()
    assert combo.property("invalid") is False
    assert errors.form_label.isHidden()


# ---- which messages show ------------------------------------------------------------------


def test_messages_show_at_once_except_for_an_untouched_empty_text_field(qtbot: Any) -> None:
    # GIVEN a form opened with a bad value in a field that is not a text field
    dialog = SchoolDialog(None, SchoolDraft("", 60_000, False))
    qtbot.addWidget(dialog)

    # THEN its message shows before anything was edited; the empty name's waits
    assert not dialog.ok_button.isEnabled()
    assert not dialog.errors.message_label("pupils").isHidden()
    assert dialog.errors.message_label("pupils").text() == TOO_MANY
    assert dialog.errors.message_label("name").isHidden()
    assert dialog.hint_label.isHidden()  # a message already explains the grey OK


def test_a_form_wide_message_shows_at_once(qtbot: Any) -> None:
    dialog = SchoolDialog(None, SchoolDraft("梨洲中学", 0, True))
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.form_label.text() == TOO_SMALL
    assert not dialog.errors.form_label.isHidden()
    assert dialog.hint_label.isHidden()


def test_the_hint_names_no_field_and_goes_with_a_valid_form(
    qtbot: Any, dialog: SchoolDialog
) -> None:
    assert dialog.hint_label.text() == _(HINT_ID)
    assert not dialog.hint_label.isHidden()
    dialog.name.setText("梨洲中学")
    assert dialog.hint_label.isHidden()


def test_a_duplicate_plan_says_why_ok_is_disabled(qtbot: Any) -> None:
    import datetime as dt

    from jituan_desktop.domain.charter import Plan, validate_plan
    from jituan_desktop.domain.enums import PlanKind
    from jituan_desktop.ui.dialogs.charter_item_dialogs import PlanDialog

    # GIVEN this year's annual plan exists
    year = dt.date.today().year
    existing = [Plan(1, 1, PlanKind.ANNUAL, year, "工作计划")]
    dialog = PlanDialog(None, Plan(None, 1, PlanKind.ANNUAL, year, "新计划"),
                        lambda draft: validate_plan(draft, existing))
    qtbot.addWidget(dialog)

    # THEN the untouched year spinner shows why OK is disabled
    assert not dialog.ok_button.isEnabled()
    message = dialog.errors.message_label("start_year")
    assert not message.isHidden()
    assert message.text() == dialog.report["start_year"]


# ---- focus, default button, Enter -----------------------------------------------------------


def show_active(qtbot: Any, dialog: QWidget) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def test_opens_with_the_focus_in_the_first_field(qtbot: Any, dialog: SchoolDialog) -> None:
    show_active(qtbot, dialog)

    assert dialog.focusWidget() is dialog.name
    qtbot.waitUntil(dialog.name.hasFocus)
    assert dialog.ok_button.isDefault()
    assert not dialog.cancel_button.autoDefault()


def test_enter_never_cancels_and_accepts_a_valid_form(qtbot: Any, dialog: SchoolDialog) -> None:
    show_active(qtbot, dialog)

    # WHEN Enter is pressed in the empty form  THEN nothing happens (OK is disabled)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.result() == 0

    # WHEN a name is typed and Enter pressed  THEN the form is accepted
    qtbot.keyClicks(dialog.name, "Lizhou")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == SchoolDialog.DialogCode.Accepted
    assert dialog.accepted_draft == SchoolDraft("Lizhou", 0, False)


def test_enter_on_a_focused_cancel_button_cancels(qtbot: Any) -> None:
    dialog = SchoolDialog(None, SchoolDraft("梨洲中学", 950, False))
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.cancel_button.setFocus()
    qtbot.waitUntil(dialog.cancel_button.hasFocus)

    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Return)

    assert dialog.result() == SchoolDialog.DialogCode.Rejected
    assert dialog.accepted_draft is None


def test_a_disabled_first_field_is_skipped(qtbot: Any) -> None:
    dialog = SchoolDialog(None, EMPTY)
    qtbot.addWidget(dialog)
    dialog.name.setEnabled(False)
    show_active(qtbot, dialog)
    assert dialog.focusWidget() is dialog.pupils


# ---- discarding changes ---------------------------------------------------------------------


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Answers "No" to every question and records it."""
    from jituan_desktop.ui import prompts

    asked: list[tuple[str, str]] = []

    def confirm(_parent: object, title: str, text: str) -> bool:
        asked.append((title, text))
        return False

    monkeypatch.setattr(prompts, "confirm", confirm)
    return asked


def test_cancel_without_changes_asks_nothing(
    qtbot: Any, dialog: SchoolDialog, questions: list[tuple[str, str]]
) -> None:
    show_active(qtbot, dialog)
    dialog.cancel_button.click()
    assert questions == []
    assert dialog.result() == SchoolDialog.DialogCode.Rejected


def test_escape_with_changes_asks_before_discarding(
    qtbot: Any, dialog: SchoolDialog, questions: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an edited form
    show_active(qtbot, dialog)
    qtbot.keyClicks(dialog.name, "Lizhou")

    # WHEN Escape is pressed and the user answers No
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)

    # THEN the question was asked and the form stays open with the edits
    assert questions == [(_("Discard changes?"),
                          _("The changes in this form have not been saved. Discard them?"))]
    assert dialog.isVisible()
    assert dialog.name.text() == "Lizhou"

    # WHEN Cancel is clicked and the user answers Yes  THEN the form closes
    from jituan_desktop.ui import prompts

    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert dialog.result() == SchoolDialog.DialogCode.Rejected
    assert dialog.accepted_draft is None


def test_edits_undone_by_hand_count_as_no_change(
    qtbot: Any, dialog: SchoolDialog, questions: list[tuple[str, str]]
) -> None:
    show_active(qtbot, dialog)
    dialog.pupils.setValue(12)
    dialog.pupils.setValue(0)
    dialog.reject()
    assert questions == []
    assert not dialog.isVisible()
