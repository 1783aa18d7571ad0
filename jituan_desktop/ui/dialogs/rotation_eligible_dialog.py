"""Enter the rotation-eligible teachers of one school in one school year (the denominator of
ALX-11 / SZ-01), or go back to counting the teachers marked eligible in the teacher list."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from jituan_desktop.domain.rotations import MAX_ELIGIBLE, EligibleCount, validate_eligible
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _, format_school_year
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog


class EligibleCountDialog(ValidatedDialog[EligibleCount]):
    def __init__(self, parent: QWidget | None, draft: EligibleCount, school_name: str,
                 from_list: int) -> None:
        super().__init__(parent)
        self._original = draft
        self.setWindowTitle(_("Rotation-eligible teachers"))
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.content.addLayout(form)
        form.addRow(_("School"), QLabel(school_name))
        form.addRow(_("School year"), QLabel(format_school_year(draft.school_year)))
        explain = QLabel(_("The teacher list marks {n} teachers of this school as eligible for "
                           "exchange and rotation today. Enter the number on the year's "
                           "eligibility list (e.g. from the education bureau) if it differs; "
                           "the share rules divide by it.").format(n=from_list))
        explain.setWordWrap(True)
        form.addRow(explain)
        self.list_check = QCheckBox(_("Count the teachers marked eligible in the teacher list"))
        self.list_check.setChecked(draft.eligible is None)
        self.add_row(form, "", "uses_list", self.list_check)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(0, MAX_ELIGIBLE)
        self.count_spin.setValue(draft.eligible if draft.eligible is not None else from_list)
        self.add_row(form, _("Eligible teachers"), "eligible", self.count_spin)
        self.note_edit = QLineEdit(draft.note)
        self.note_edit.setPlaceholderText(_("e.g. 据旗教体局交流轮岗资格审核名单"))
        self.add_row(form, _("Basis"), "note", self.note_edit)
        self.list_check.toggled.connect(lambda on: self.count_spin.setEnabled(not on))
        self.count_spin.setEnabled(draft.eligible is not None)
        self.revalidate()

    def draft(self) -> EligibleCount:
        return dataclasses.replace(
            self._original,
            eligible=None if self.list_check.isChecked() else self.count_spin.value(),
            note=self.note_edit.text().strip())

    def validate(self, draft: EligibleCount) -> ValidationReport:
        return validate_eligible(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: EligibleCount, school_name: str,
             from_list: int) -> EligibleCount | None:
        dialog = cls(parent, draft, school_name, from_list)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()
