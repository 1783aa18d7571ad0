"""Add or edit a rotation: ``RotationDialog.edit(parent, draft, choices, validate, term) ->
Rotation | None``. The minimum-term finding (ALX-13) shows under the dates as they change."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from jituan_desktop.domain.rotations import Appraisal, Rotation, RotationForm
from jituan_desktop.domain.rules import Finding
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

BROKEN_STYLE = "color: #c62828;"
MET_STYLE = "color: #2e7d32;"


@dataclass(frozen=True)
class RotationChoices:
    """What the dialog offers: the group's schools and every teacher in use."""

    schools: list[School]
    teachers: list[Teacher]


class RotationDialog(ValidatedDialog[Rotation]):
    def __init__(self, parent: QWidget | None, draft: Rotation, choices: RotationChoices,
                 validate: Callable[[Rotation], ValidationReport],
                 term: Callable[[Rotation], list[Finding]]) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self._term = term
        self._teachers = choices.teachers
        self.setWindowTitle(_("Add rotation") if draft.id is None else _("Edit rotation"))
        self.setMinimumWidth(600)
        form = QFormLayout()
        self.content.addLayout(form)

        self.from_box = self._school_box(choices.schools, draft.from_school_id, draft.from_name)
        self.add_row(form, _("Sending school"), "from_school_id", self.from_box)
        self.teacher_box = QComboBox()
        self.teacher_box.setToolTip(_("Teachers of the sending school; type to search"))
        self.add_row(form, _("Teacher"), "teacher_id", self.teacher_box)
        self.to_box = self._school_box(choices.schools, draft.to_school_id, draft.to_name)
        self.add_row(form, _("Receiving school"), "to_school_id", self.to_box)

        self.form_box = QComboBox()
        for value, label in RotationForm.choices():
            self.form_box.addItem(label, value)
        self.form_box.setCurrentIndex(max(0, self.form_box.findData(draft.form.value)))
        self.add_row(form, _("Form"), "form", self.form_box)
        self.team_edit = QLineEdit(draft.team_name)
        self.team_edit.setPlaceholderText(_("e.g. 2025 五小数学组团"))
        self.team_edit.setToolTip(_("Teachers of one team inflow share this name"))
        self.add_row(form, _("Team name"), "team_name", self.team_edit)

        self.start_edit = DateEdit(draft.start_on or dt.date.today(),
                                   minimum=dt.date(1990, 1, 1))
        self.add_row(form, _("Start date"), "start_on", self.start_edit)
        self.planned_edit = DateEdit(draft.planned_end or _plus_three_years(
            draft.start_on or dt.date.today()), minimum=dt.date(1990, 1, 1))
        self.add_row(form, _("Planned end"), "planned_end", self.planned_edit)
        self.term_label = QLabel()
        self.term_label.setObjectName("termFinding")
        self.term_label.setWordWrap(True)
        self.term_label.setTextFormat(Qt.TextFormat.PlainText)
        self.term_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                      QSizePolicy.Policy.MinimumExpanding)
        form.addRow("", self.term_label)
        self.actual_edit = DateEdit(draft.actual_end, optional=True,
                                    label=_("Ended on:"),
                                    tooltip=_("Tick once the rotation has ended"),
                                    minimum=dt.date(1990, 1, 1))
        self.add_row(form, _("Actual end"), "actual_end", self.actual_edit)

        self.backbone_check = QCheckBox(_("Backbone teacher at the time of the rotation"))
        self.backbone_check.setChecked(draft.is_backbone)
        self.add_row(form, "", "is_backbone", self.backbone_check)
        self.appraisal_box = QComboBox()
        for value, label in Appraisal.choices():
            self.appraisal_box.addItem(label, value)
        self.appraisal_box.setCurrentIndex(max(0, self.appraisal_box.findData(
            draft.appraisal.value)))
        self.add_row(form, _("Appraisal at the end"), "appraisal", self.appraisal_box)
        self.notes_edit = QPlainTextEdit(draft.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.add_row(form, _("Notes"), "notes", self.notes_edit)

        self._fill_teachers(draft.teacher_id)
        self.from_box.currentIndexChanged.connect(lambda _i: self._fill_teachers(
            self.teacher_box.currentData()))
        self.teacher_box.currentIndexChanged.connect(self._teacher_chosen)
        self.form_box.currentIndexChanged.connect(self._form_chosen)
        self._form_chosen()
        self.revalidate()

    @staticmethod
    def _school_box(schools: list[School], current: int | None, name: str) -> QComboBox:
        box = QComboBox()
        box.addItem(_("Choose a school…"), None)
        for school in schools:
            box.addItem(school.name, school.id)
        if current is not None and box.findData(current) < 0:
            box.addItem(name or f"#{current}", current)  # e.g. a school that left the group
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _fill_teachers(self, keep: object) -> None:
        school_id = self.from_box.currentData()
        self.teacher_box.blockSignals(True)
        self.teacher_box.clear()
        self.teacher_box.addItem(_("Choose a teacher…"), None)
        for teacher in self._teachers:
            if teacher.school_id == school_id or teacher.id == self._original.teacher_id:
                text = teacher.name + (f"（{teacher.staff_no}）" if teacher.staff_no else "")
                self.teacher_box.addItem(text, teacher.id)
        if self._original.teacher_id is not None and \
                self.teacher_box.findData(self._original.teacher_id) < 0:
            self.teacher_box.addItem(self._original.teacher_name, self._original.teacher_id)
        self.teacher_box.setCurrentIndex(max(0, self.teacher_box.findData(keep)))
        self.teacher_box.blockSignals(False)
        self.revalidate()

    def _teacher_chosen(self, _index: int) -> None:
        teacher = next((t for t in self._teachers if t.id == self.teacher_box.currentData()),
                       None)
        if teacher is not None and teacher.id != self._original.teacher_id:
            self.backbone_check.setChecked(teacher.is_backbone)

    def _form_chosen(self, *_args: object) -> None:
        self.team_edit.setEnabled(self.form_box.currentData() == RotationForm.TEAM.value)

    def draft(self) -> Rotation:
        form = RotationForm(self.form_box.currentData())
        return dataclasses.replace(
            self._original,
            teacher_id=self.teacher_box.currentData(),
            teacher_name=self.teacher_box.currentText().split("（")[0]
            if self.teacher_box.currentData() is not None else "",
            from_school_id=self.from_box.currentData(),
            from_name=self.from_box.currentText(),
            to_school_id=self.to_box.currentData(),
            to_name=self.to_box.currentText(),
            form=form,
            team_name=self.team_edit.text().strip() if form is RotationForm.TEAM else "",
            start_on=self.start_edit.value(),
            planned_end=self.planned_edit.value(),
            actual_end=self.actual_edit.value(),
            is_backbone=self.backbone_check.isChecked(),
            appraisal=Appraisal(self.appraisal_box.currentData()),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def validate(self, draft: Rotation) -> ValidationReport:
        self._show_term(draft)
        return self._validate(draft)

    def _show_term(self, draft: Rotation) -> None:
        findings = self._term(draft)
        self.term_label.setText("\n".join(f.explanation() for f in findings))
        # a wrapped label in a form layout keeps its first height unless asked again
        self.term_label.setMinimumHeight(max(0, self.term_label.heightForWidth(
            max(self.term_label.width(), 380))) if findings else 0)
        self.term_label.setVisible(bool(findings))
        self.term_label.setStyleSheet(BROKEN_STYLE if any(f.broken for f in findings)
                                      else MET_STYLE)

    @property
    def term_text(self) -> str:
        return self.term_label.text()

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Rotation, choices: RotationChoices,
             validate: Callable[[Rotation], ValidationReport],
             term: Callable[[Rotation], list[Finding]]) -> Rotation | None:
        """Show the dialog modally; the accepted rotation, or None when cancelled."""
        dialog = cls(parent, draft, choices, validate, term)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


def _plus_three_years(start: dt.date) -> dt.date:
    """A new rotation's suggested planned end: three school years, to the day before."""
    try:
        return start.replace(year=start.year + 3) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 3, day=28)
