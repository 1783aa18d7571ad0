"""Edit a semester's dates: ``SemesterDialog.edit(parent, semester, validate) -> Semester | None``.

``validate`` is the calendar service's check (it knows the other semesters, so it can report
overlaps), passed in as a callable so the dialog needs no services.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QFormLayout, QLabel, QWidget

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _, format_number, ngettext
from jituan_desktop.ui.widgets.date_field import date_format
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

SemesterCheck = Callable[[Semester], ValidationReport]



class SemesterDialog(ValidatedDialog[Semester]):
    def __init__(self, parent: QWidget | None, semester: Semester,
                 validate: SemesterCheck) -> None:
        super().__init__(parent)
        self._original = semester
        self._check = validate
        self.setWindowTitle(_("Semester dates"))
        form = QFormLayout()
        self.content.addLayout(form)
        form.addRow(_("Semester"), QLabel(semester.label))
        self.starts_edit = _date_edit(semester.starts_on)
        self.add_row(form, _("Starts on"), "starts_on", self.starts_edit)
        self.ends_edit = _date_edit(semester.ends_on)
        self.add_row(form, _("Ends on"), "ends_on", self.ends_edit)
        # one date's change may make the other's message (overlap, order) apply
        self.watch(self.starts_edit, "ends_on")
        self.watch(self.ends_edit, "starts_on")
        self.days_label = QLabel()
        self.days_label.setObjectName("days")
        form.addRow(_("Length"), self.days_label)
        self.starts_edit.dateChanged.connect(self._show_days)
        self.ends_edit.dateChanged.connect(self._show_days)
        self._show_days()
        self.revalidate()

    def draft(self) -> Semester:
        return dataclasses.replace(self._original,
                                   starts_on=self.starts_edit.date().toPython(),
                                   ends_on=self.ends_edit.date().toPython())

    def validate(self, draft: Semester) -> ValidationReport:
        return self._check(draft)

    def _show_days(self, *_args: object) -> None:
        draft = self.draft()
        days = (draft.ends_on - draft.starts_on).days + 1
        self.days_label.setText(
            ngettext("{n} day", "{n} days", days).format(n=format_number(days)) if days > 0
            else "—")

    @classmethod
    def edit(cls, parent: QWidget | None, semester: Semester,
             validate: SemesterCheck) -> Semester | None:
        """Show the dialog modally; the semester with the accepted dates, or None."""
        dialog = cls(parent, semester, validate)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit
