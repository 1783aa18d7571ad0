"""Add or edit a school: ``SchoolDialog.edit(parent, draft, validate) -> School | None``.

``validate`` is the service's check (it knows the other schools' names), passed in as a
callable so the dialog needs no services.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.schools import MAX_NAME, School
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import N_, _
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

SchoolCheck = Callable[[School], ValidationReport]

FLAGS: tuple[tuple[str, str], ...] = (
    ("is_rural", N_("Rural school")),
    ("is_small_rural", N_("Small rural school")),
    ("is_quality", N_("Quality school")),
    ("is_weak", N_("Weak school")),
    ("is_new", N_("Newly built school")),
    ("is_former_ethnic_language", N_("Former ethnic-language school")),
    ("is_private", N_("Private school")),
    ("is_general_high_school", N_("General high school")),
)
"""The school's character flags: field name and checkbox label."""


class SchoolDialog(ValidatedDialog[School]):
    def __init__(self, parent: QWidget | None, draft: School, validate: SchoolCheck) -> None:
        super().__init__(parent)
        self._original = draft
        self._check = validate
        self.setWindowTitle(_("Add school") if draft.id is None else _("Edit school"))
        self.setMinimumWidth(560)

        form = QFormLayout()
        self.content.addLayout(form)
        self.name_edit = QLineEdit(draft.name)
        self.name_edit.setMaxLength(MAX_NAME + 20)
        self.name_edit.setPlaceholderText(_("As on the legal-person certificate"))
        self.add_row(form, _("Full name"), "name", self.name_edit)
        self.short_name_edit = QLineEdit(draft.short_name)
        self.add_row(form, _("Short name"), "short_name", self.short_name_edit)
        self.credit_code_edit = QLineEdit(draft.credit_code)
        self.credit_code_edit.setMaxLength(18)
        self.credit_code_edit.setPlaceholderText(_("18 characters, may be left empty"))
        self.add_row(form, _("Unified social credit code"), "credit_code",
                     self.credit_code_edit)
        self.address_edit = QLineEdit(draft.address)
        self.add_row(form, _("Address"), "address", self.address_edit)
        self.legal_representative_edit = QLineEdit(draft.legal_representative)
        self.add_row(form, _("Legal representative"), "legal_representative",
                     self.legal_representative_edit)
        self.stage_box = QComboBox()
        for value, label in Stage.choices():
            self.stage_box.addItem(label, value)
        self.stage_box.setCurrentIndex(max(0, self.stage_box.findData(draft.stage.value)))
        self.add_row(form, _("Stage"), "stage", self.stage_box)

        flags_box = QGroupBox(_("Character of the school"))
        grid = QGridLayout(flags_box)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for index, (field_name, label) in enumerate(FLAGS):
            box = QCheckBox(_(label))
            box.setChecked(bool(getattr(draft, field_name)))
            self.flag_boxes[field_name] = box
            grid.addWidget(self.errors.bind(field_name, box), index // 2, index % 2)
            self.watch(box, field_name)
        self.content.addWidget(flags_box)

        notes_form = QFormLayout()
        self.content.addLayout(notes_form)
        self.notes_edit = QPlainTextEdit(draft.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.add_row(notes_form, _("Notes"), "notes", self.notes_edit)
        self.revalidate()

    def draft(self) -> School:
        flags = {name: box.isChecked() for name, box in self.flag_boxes.items()}
        return dataclasses.replace(
            self._original,
            name=self.name_edit.text().strip(),
            short_name=self.short_name_edit.text().strip(),
            credit_code=self.credit_code_edit.text().strip().upper(),
            address=self.address_edit.text().strip(),
            legal_representative=self.legal_representative_edit.text().strip(),
            stage=Stage(self.stage_box.currentData()),
            notes=self.notes_edit.toPlainText().strip(),
            **flags,
        )

    def validate(self, draft: School) -> ValidationReport:
        return self._check(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: School, validate: SchoolCheck) -> School | None:
        """Show the dialog modally; the accepted school, or None when cancelled."""
        dialog = cls(parent, draft, validate)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()
