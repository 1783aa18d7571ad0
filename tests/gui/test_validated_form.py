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


@dataclass(frozen=True)
class SchoolDraft:
    name: str
    pupils: int
    boarding: bool


def validate_school(draft: SchoolDraft) -> ValidationReport:
    report = ReportBuilder()
    report.check(bool(draft.name), "name", NAME_REQUIRED)
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

    # GIVEN a new, empty form: OK is disabled, but no message shouts at the user yet
    assert not dialog.ok_button.isEnabled()
    assert name_message.isHidden()
    assert not dialog.name.property("invalid")

    # WHEN a name is typed, OK is enabled
    qtbot.keyClicks(dialog.name, "Liangzhou")
    assert dialog.ok_button.isEnabled()
    assert name_message.isHidden()

    # WHEN it is cleared again, OK is disabled and the message appears by the field
    dialog.name.clear()
    assert not dialog.ok_button.isEnabled()
    assert not name_message.isHidden()
    assert name_message.text() == NAME_REQUIRED
    assert dialog.name.property("invalid") is True


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
