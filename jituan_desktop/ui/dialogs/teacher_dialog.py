"""Add or edit a teacher: ``TeacherDialog.edit(parent, draft, schools) -> Teacher | None``."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import School, Teacher, split_subjects, validate_teacher
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import N_, _
from jituan_desktop.ui.widgets.common import enum_box
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

GENDERS: tuple[tuple[str, str], ...] = (("", N_("Not stated")), ("男", N_("Male")),
                                        ("女", N_("Female")))
"""Stored value (as in the Chinese forms) and label."""


class TeacherDialog(ValidatedDialog[Teacher]):
    def __init__(self, parent: QWidget | None, draft: Teacher, schools: list[School]) -> None:
        super().__init__(parent)
        self._original = draft
        self.setWindowTitle(_("Add teacher") if draft.id is None else _("Edit teacher"))
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.content.addLayout(form)

        self.school_box = QComboBox()
        self.school_box.addItem(_("Choose a school…"), None)
        for school in schools:
            self.school_box.addItem(school.name, school.id)
        if draft.school_id is not None and self.school_box.findData(draft.school_id) < 0:
            # e.g. a school in the recycle bin: keep it rather than silently moving the teacher
            self.school_box.addItem(draft.school_name or f"#{draft.school_id}", draft.school_id)
        self.school_box.setCurrentIndex(max(0, self.school_box.findData(draft.school_id)))
        self.add_row(form, _("School"), "school_id", self.school_box)

        self.name_edit = QLineEdit(draft.name)
        self.add_row(form, _("Name"), "name", self.name_edit)
        self.gender_box = QComboBox()
        for value, label in GENDERS:
            self.gender_box.addItem(_(label), value)
        if self.gender_box.findData(draft.gender) < 0:
            self.gender_box.addItem(draft.gender, draft.gender)  # shown as invalid
        self.gender_box.setCurrentIndex(self.gender_box.findData(draft.gender))
        self.add_row(form, _("Gender"), "gender", self.gender_box)
        self.staff_no_edit = QLineEdit(draft.staff_no)
        self.add_row(form, _("Staff number"), "staff_no", self.staff_no_edit)
        self.subjects_edit = QLineEdit(draft.subjects_text)
        self.subjects_edit.setPlaceholderText(_("e.g. 语文、数学"))
        self.add_row(form, _("Subjects"), "subjects", self.subjects_edit)
        self.title_box = enum_box(TeacherTitle.choices(), draft.title.value)
        self.add_row(form, _("Professional title"), "title", self.title_box)
        self.cadre_rank_box = enum_box(CadreRank.choices(), draft.cadre_rank.value)
        self.add_row(form, _("Cadre rank"), "cadre_rank", self.cadre_rank_box)
        self.position_edit = QLineEdit(draft.position)
        self.position_edit.setPlaceholderText(_("e.g. 教导处副主任"))
        self.add_row(form, _("Position"), "position", self.position_edit)

        self.backbone_check = QCheckBox(_("Backbone teacher"))
        self.backbone_check.setChecked(draft.is_backbone)
        self.backbone_level_edit = QLineEdit(draft.backbone_level)
        self.backbone_level_edit.setPlaceholderText(_("Level, e.g. 旗级、盟级、自治区级"))
        self.add_row(form, "", "is_backbone", self.backbone_check)
        self.add_row(form, _("Backbone level"), "backbone_level", self.backbone_level_edit)
        self.backbone_check.toggled.connect(self.backbone_level_edit.setEnabled)
        self.backbone_level_edit.setEnabled(draft.is_backbone)

        self.rotation_check = QCheckBox(_("Eligible for exchange and rotation"))
        self.rotation_check.setChecked(draft.rotation_eligible)
        self.add_row(form, "", "rotation_eligible", self.rotation_check)

        self.hired_on = DateEdit(draft.hired_on, optional=True,
                                 tooltip=_("Clear to leave the hiring date unset"),
                                 minimum=dt.date(1950, 1, 1))
        self.add_row(form, _("Hired on"), "hired_on", self.hired_on)

        self.notes_edit = QPlainTextEdit(draft.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.add_row(form, _("Notes"), "notes", self.notes_edit)
        self.revalidate()

    def draft(self) -> Teacher:
        backbone = self.backbone_check.isChecked()
        school_id = self.school_box.currentData()
        return dataclasses.replace(
            self._original,
            school_id=school_id,
            school_name=self.school_box.currentText() if school_id is not None else "",
            name=self.name_edit.text().strip(),
            gender=str(self.gender_box.currentData()),
            staff_no=self.staff_no_edit.text().strip(),
            subjects=split_subjects(self.subjects_edit.text()),
            title=TeacherTitle(self.title_box.currentData()),
            cadre_rank=CadreRank(self.cadre_rank_box.currentData()),
            position=self.position_edit.text().strip(),
            is_backbone=backbone,
            backbone_level=self.backbone_level_edit.text().strip() if backbone else "",
            rotation_eligible=self.rotation_check.isChecked(),
            hired_on=self.hired_on.value(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def validate(self, draft: Teacher) -> ValidationReport:
        return validate_teacher(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Teacher,
             schools: list[School]) -> Teacher | None:
        """Show the dialog modally; the accepted teacher, or None when cancelled."""
        dialog = cls(parent, draft, schools)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


