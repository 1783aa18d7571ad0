"""Schools: the list of every school in the database, with add, edit and move to recycle bin."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.schools import School
from jituan_desktop.i18n import N_, _, format_number
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.school_dialog import SchoolDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView

_STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}

COLUMNS: list[Column[School]] = [
    Column(N_("School name"), lambda s: s.name),
    Column(N_("Short name"), lambda s: s.short_name),
    Column(N_("Stage"), lambda s: s.stage.label(), sort_key=lambda s: _STAGE_ORDER[s.stage]),
    Column(N_("Kind"), lambda s: "、".join(s.kind_labels())),
    Column(N_("Teachers"), lambda s: s.teacher_count, align_right=True),
    Column(N_("Credit code"), lambda s: s.credit_code),
]




class SchoolsPage(Page):
    kinds = frozenset({"school", "teacher", "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.add_button = QPushButton(_("Add school…"))
        self.add_button.setToolTip(_("Add a school (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_school)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Edit the selected school (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Move to recycle bin"))
        self.delete_button.setToolTip(_("Move the selected school to the recycle bin (Delete)"))
        self.delete_button.clicked.connect(self.delete_selected)
        toolbar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)

        self.list: RecordListView[School] = RecordListView(COLUMNS, self)
        self.list.activated.connect(self.edit_school)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self.details = details_label(self)

        new_shortcut(self, self.add_school)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Schools")

    def refresh(self) -> None:
        self.list.set_rows(self.ctx.services.schools.list())
        self._show_details(self.list.selected())

    # ---- actions ------------------------------------------------------------------------

    def add_school(self) -> None:
        draft = SchoolDialog.edit(self, School(id=None, name=""),
                                  self.ctx.services.schools.validate)
        if draft is not None:
            self._save(draft)

    def edit_selected(self) -> None:
        school = self.list.selected()
        if school is not None:
            self.edit_school(school)

    def edit_school(self, school: School) -> None:
        draft = SchoolDialog.edit(self, school, self.ctx.services.schools.validate)
        if draft is not None and draft != school:
            self._save(draft)

    def delete_selected(self) -> None:
        school = self.list.selected()
        if school is None or school.id is None:
            return
        text = _("Move the school “{name}” to the recycle bin?").format(name=school.name)
        if school.teacher_count:
            text += "\n" + _("Its {n} teachers stay in the teacher list.").format(
                n=format_number(school.teacher_count))
        text += "\n" + _("You can restore it from the recycle bin.")
        if not prompts.confirm(self, _("Move to recycle bin"), text):
            return
        school_id = school.id
        self.ctx.write(self, lambda: (None, self.ctx.services.recycle_bin.delete(
            "school", school_id)))

    def _save(self, draft: School) -> None:
        saved = self.ctx.write(self, lambda: self.ctx.services.schools.save(draft))
        if saved is not None:
            self.list.select_id(saved.id)

    # ---- view ---------------------------------------------------------------------------

    def _show_details(self, school: School | None) -> None:
        has_one = school is not None
        self.edit_button.setEnabled(has_one)
        self.delete_button.setEnabled(has_one)
        if school is None:
            self.details.clear()
            return
        lines = [
            _("Address: {value}").format(value=school.address or "—"),
            _("Legal representative: {value}").format(value=school.legal_representative or "—"),
        ]
        if school.notes:
            lines.append(_("Notes: {value}").format(value=school.notes))
        self.details.setText("\n".join(lines))
