"""Semesters: the school calendar, with editable dates and one more school year on request."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from jituan_desktop.domain.calendar import Semester, school_year_of
from jituan_desktop.i18n import N_, _, format_school_year
from jituan_desktop.services.base import Changes
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.semester_dialog import SemesterDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.widgets.common import new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView


def _days(semester: Semester) -> int:
    return (semester.ends_on - semester.starts_on).days + 1


COLUMNS: list[Column[Semester]] = [
    Column(N_("Semester"), lambda s: s.label, sort_key=lambda s: s.school_year * 10 + s.term),
    Column(N_("Starts on"), lambda s: s.starts_on),
    Column(N_("Ends on"), lambda s: s.ends_on),
    Column(N_("Days"), _days, align_right=True),
    Column(N_("Current"), lambda s: s.contains(dt.date.today())),
]


class CalendarPage(Page):
    kinds = frozenset({"semester"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.edit_button = QPushButton(_("Edit dates…"))
        self.edit_button.setToolTip(_("Change the dates of the selected semester (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.add_year_button = QPushButton(_("Add school year"))
        self.add_year_button.setToolTip(_("Add both semesters of the next school year "
                                          "(Ctrl+N)"))
        self.add_year_button.clicked.connect(self.add_school_year)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.add_year_button)
        toolbar.addWidget(self.edit_button)
        toolbar.addStretch(1)

        self.list: RecordListView[Semester] = RecordListView(COLUMNS, self)
        self.list.activated.connect(self.edit_semester)
        self.list.selection_changed.connect(
            lambda semester: self.edit_button.setEnabled(semester is not None))

        new_shortcut(self, self.add_school_year)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.list, 1)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Semesters")

    def refresh(self) -> None:
        self.list.set_rows(self.ctx.services.calendar.semesters())
        self.edit_button.setEnabled(self.list.selected() is not None)

    def next_school_year(self) -> int:
        """The school year "Add school year" adds: after the latest one, else the current."""
        years = [s.school_year for s in self.list.rows()]
        return max(years) + 1 if years else school_year_of(dt.date.today())

    def add_school_year(self) -> None:
        year = self.next_school_year()
        if not prompts.confirm(self, _("Add school year"),
                               _("Add the two semesters of the {year} with the usual dates? "
                                 "You can change the dates afterwards.").format(
                                   year=format_school_year(year))):
            return
        calendar = self.ctx.services.calendar

        def add() -> tuple[int, Changes]:
            return year, calendar.ensure_school_years(year, year)

        if self.ctx.write(self, add) is not None:
            added = next((s for s in self.list.rows() if (s.school_year, s.term) == (year, 1)),
                         None)
            if added is not None:
                self.list.select_id(added.id)

    def edit_selected(self) -> None:
        semester = self.list.selected()
        if semester is not None:
            self.edit_semester(semester)

    def edit_semester(self, semester: Semester) -> None:
        draft = SemesterDialog.edit(self, semester, self.ctx.services.calendar.validate)
        if draft is not None and draft != semester:
            saved = self.ctx.write(self, lambda: self.ctx.services.calendar.save(draft))
            if saved is not None:
                self.list.select_id(saved.id)
