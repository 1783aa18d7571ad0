"""Add a school to the group, edit a membership period, or record that a school left."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.schools import School
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog


class MembershipDialog(ValidatedDialog[Membership]):
    def __init__(self, parent: QWidget | None, draft: Membership, schools: Sequence[School],
                 role_labels: tuple[str, str], validate: Callable[[Membership], ValidationReport],
                 *, leaving: bool = False) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self._role_labels = role_labels
        if leaving:
            self.setWindowTitle(_("School leaves the group"))
        else:
            self.setWindowTitle(_("Add a school") if draft.id is None else _("Edit membership"))
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.content.addLayout(form)
        self.school = QComboBox()
        for school in schools:
            self.school.addItem(school.name, school.id)
        self.school.setCurrentIndex(self.school.findData(draft.school_id))
        self.school.setEnabled(draft.id is None)
        self.add_row(form, _("School"), "school_id", self.school)
        self.role = QComboBox()
        for role in SchoolRole:
            self.role.addItem(role.label(), role.value)
        self.role.setCurrentIndex(self.role.findData(draft.role.value))
        self.add_row(form, _("Role"), "role", self.role)
        self.role_label = QComboBox()
        self.role_label.setEditable(True)
        self.add_row(form, _("Role as the policy calls it"), "role_label", self.role_label)
        self.joined_on = DateEdit(draft.joined_on)
        self.add_row(form, _("Joined on"), "joined_on", self.joined_on)
        self.join_note = QLineEdit(draft.join_note)
        self.join_note.setPlaceholderText(_("approval document, reason"))
        self.add_row(form, _("Joining basis"), "join_note", self.join_note)
        left = draft.left_on or (dt.date.today() if leaving else None)
        self.left_on = DateEdit(left, optional=True, label=_("Has left:"))
        self.add_row(form, _("Last day in the group"), "left_on", self.left_on)
        self.leave_reason = QPlainTextEdit(draft.leave_reason)
        self.leave_reason.setFixedHeight(60)
        self.add_row(form, _("Reason for leaving"), "leave_reason", self.leave_reason)
        self.leave_evidence = QLineEdit(draft.leave_evidence)
        self.leave_evidence.setPlaceholderText(_("document number or file"))
        self.add_row(form, _("Evidence"), "leave_evidence", self.leave_evidence)
        self.role.currentIndexChanged.connect(lambda _i: self._fill_role_labels(None))
        self._fill_role_labels(draft.role_label)
        if leaving:
            self.leave_reason.setFocus()
        self.revalidate()

    def _fill_role_labels(self, wanted: str | None) -> None:
        core = self.role.currentData() == SchoolRole.CORE.value
        label = self._role_labels[0 if core else 1]
        self.role_label.clear()
        self.role_label.addItems(sorted({label, SchoolRole(self.role.currentData()).label()}))
        self.role_label.setCurrentText(wanted or label)

    def draft(self) -> Membership:
        return dataclasses.replace(
            self._original, school_id=self.school.currentData(),
            role=SchoolRole(self.role.currentData()),
            role_label=self.role_label.currentText().strip(), joined_on=self.joined_on.value(),
            join_note=self.join_note.text().strip(), left_on=self.left_on.value(),
            leave_reason=self.leave_reason.toPlainText().strip(),
            leave_evidence=self.leave_evidence.text().strip())

    def validate(self, draft: Membership) -> ValidationReport:
        return self._validate(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Membership, schools: Sequence[School],
             role_labels: tuple[str, str], validate: Callable[[Membership], ValidationReport],
             *, leaving: bool = False) -> Membership | None:
        return cls(parent, draft, schools, role_labels, validate, leaving=leaving).ask()
