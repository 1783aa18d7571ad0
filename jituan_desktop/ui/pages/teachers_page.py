"""Teachers: every teacher (or one school's), with add, edit, recycle bin and an xlsx import."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.i18n import N_, _, format_date
from jituan_desktop.services.teacher_import import ImportedTeacher
from jituan_desktop.services.xlsx_import import ImportPreview
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.teacher_dialog import GENDERS, TeacherDialog
from jituan_desktop.ui.dialogs.teacher_import_dialog import TEACHER_TEXTS, TeacherImportDialog
from jituan_desktop.ui.dialogs.xlsx_import_dialog import (
    XLSX_FILTER,
    commit_in_background,
    read_in_background,
    save_template,
)
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.tasks import report_error
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView

_TITLE_ORDER = {title: index for index, title in enumerate(TeacherTitle)}
_RANK_ORDER = {rank: -index for index, rank in enumerate(CadreRank)}  # highest first


def teacher_columns(short_names: dict[int | None, str]) -> list[Column[Teacher]]:
    """The list's columns; ``short_names`` (filled by the page) keeps the school column
    narrow, the full name is the tooltip."""
    return [
        Column(N_("Name"), lambda t: t.name),
        Column(N_("School"), lambda t: short_names.get(t.school_id) or t.school_name,
               tooltip=lambda t: t.school_name),
        Column(N_("Subjects"), lambda t: t.subjects_text),
        Column(N_("Professional title"), lambda t: t.title.label(),
               sort_key=lambda t: _TITLE_ORDER[t.title]),
        Column(N_("Cadre rank"), lambda t: t.cadre_rank.label()
               if t.cadre_rank != CadreRank.NONE else "",
               sort_key=lambda t: _RANK_ORDER[t.cadre_rank]),
        Column(N_("Position"), lambda t: t.position),
        Column(N_("Backbone"), lambda t: t.is_backbone),
        Column(N_("Rotation eligible"), lambda t: t.rotation_eligible),
        Column(N_("Hired on"), lambda t: t.hired_on),
    ]


WORKBOOK_DIR = "teacher_workbooks"
"""Key of ``settings.recent_dirs``: the template is saved, filled in and imported from the
same folder, so both dialogs start where the other was last used."""


class TeachersPage(Page):
    kinds = frozenset({"teacher", "school", "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._schools: list[School] = []
        self._short_names: dict[int | None, str] = {}
        self.school_box = QComboBox()
        self.school_box.setMinimumContentsLength(16)
        self.school_box.setToolTip(_("Show the teachers of one school"))
        self.school_box.currentIndexChanged.connect(self._apply_school_filter)
        self.add_button = QPushButton(_("Add teacher…"))
        self.add_button.setToolTip(_("Add a teacher (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_teacher)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Edit the selected teacher (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Move to recycle bin"))
        self.delete_button.setToolTip(_("Move the selected teacher to the recycle bin (Delete)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton(_("Import from Excel…"))
        self.import_button.clicked.connect(self.import_workbook)
        self.template_button = QPushButton(_("Download template…"))
        self.template_button.setToolTip(_("Save an empty workbook with the columns the import "
                                          "expects"))
        self.template_button.clicked.connect(self.save_template)

        toolbar = QHBoxLayout()
        toolbar.addWidget(QLabel(_("School:")))
        toolbar.addWidget(self.school_box)
        for button in (self.add_button, self.edit_button, self.delete_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.import_button)
        toolbar.addWidget(self.template_button)

        self.list: RecordListView[Teacher] = RecordListView(
            teacher_columns(self._short_names), self)
        self.list.activated.connect(self.edit_teacher)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self.details = details_label(self)

        new_shortcut(self, self.add_teacher)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        self._generation = 0
        self._loading = False
        self._select_when_loaded: int | None = None
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Teachers")

    def refresh(self) -> None:
        self._schools = self.ctx.services.schools.list()
        self._short_names.clear()
        self._short_names.update((s.id, s.display_name) for s in self._schools)
        self._fill_school_box()
        # tens of thousands of teachers take most of a second: load off the GUI thread, and
        # show only the newest load when refreshes overlap
        self._generation += 1
        generation = self._generation
        teachers = self.ctx.services.teachers
        self._loading = True
        self.ctx.runner.run(_("Loading teachers…"), lambda _progress: teachers.list(),
                            lambda rows: self._show_teachers(generation, rows),
                            on_error=lambda exc: self._load_failed(generation, exc),
                            parent=self)

    def _show_teachers(self, generation: int, rows: list[Teacher]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.list.set_rows(rows)
        if self._select_when_loaded is not None:
            self.list.select_id(self._select_when_loaded)
            self._select_when_loaded = None
        self._show_details(self.list.selected())

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._select_when_loaded = None
        report_error(self, exc)

    def select_teacher(self, teacher_id: int | None) -> None:
        """Select this teacher, now or (while the list is loading or out of date) once the
        list that contains it has been loaded."""
        if self._loading or self.stale:
            self._select_when_loaded = teacher_id
        else:
            self.list.select_id(teacher_id)

    # ---- school filter ------------------------------------------------------------------

    def selected_school_id(self) -> int | None:
        """The school chosen in the filter; None for all schools."""
        value = self.school_box.currentData()
        return value if isinstance(value, int) else None

    def select_school(self, school_id: int | None) -> None:
        self.school_box.setCurrentIndex(max(0, self.school_box.findData(school_id)))

    def _fill_school_box(self) -> None:
        wanted = self.selected_school_id()
        self.school_box.blockSignals(True)
        self.school_box.clear()
        self.school_box.addItem(_("All schools"), None)
        for school in self._schools:
            self.school_box.addItem(school.name, school.id)
        index = self.school_box.findData(wanted) if wanted is not None else 0
        self.school_box.setCurrentIndex(max(0, index))
        self.school_box.blockSignals(False)
        self._apply_school_filter()

    def _apply_school_filter(self, *_args: object) -> None:
        school_id = self.selected_school_id()
        self.list.set_filter(None if school_id is None
                             else lambda t: t.school_id == school_id)

    # ---- add, edit, delete --------------------------------------------------------------

    def add_teacher(self) -> None:
        draft = Teacher(id=None, school_id=self.selected_school_id(), name="")
        result = TeacherDialog.edit(self, draft, self._schools)
        if result is not None:
            self._save(result)

    def edit_selected(self) -> None:
        teacher = self.list.selected()
        if teacher is not None:
            self.edit_teacher(teacher)

    def edit_teacher(self, teacher: Teacher) -> None:
        result = TeacherDialog.edit(self, teacher, self._schools)
        if result is not None and result != teacher:
            self._save(result)

    def delete_selected(self) -> None:
        teacher = self.list.selected()
        if teacher is None or teacher.id is None:
            return
        text = _("Move the teacher “{name}” ({school}) to the recycle bin?\nYou can restore "
                 "it from the recycle bin.").format(name=teacher.name,
                                                    school=teacher.school_name)
        if not prompts.confirm(self, _("Move to recycle bin"), text):
            return
        teacher_id = teacher.id
        self.ctx.write(self, lambda: (None, self.ctx.services.recycle_bin.delete(
            "teacher", teacher_id)))

    def _save(self, draft: Teacher) -> None:
        saved = self.ctx.write(self, lambda: self.ctx.services.teachers.save(draft))
        if saved is None:
            return
        if self.selected_school_id() not in (None, saved.school_id):
            self.select_school(saved.school_id)
        self.select_teacher(saved.id)

    # ---- import -------------------------------------------------------------------------

    def import_workbook(self) -> None:
        service = self.ctx.services.teacher_import
        path = prompts.open_file(self, service.title, _(XLSX_FILTER),
                                 directory=self.ctx.recent_dir(WORKBOOK_DIR))
        if path is None:
            return
        self.ctx.remember_dir(WORKBOOK_DIR, path)
        read_in_background(self, self.ctx, service, path, self._review_import)

    def _review_import(self, preview: ImportPreview[ImportedTeacher]) -> None:
        if TeacherImportDialog.review(self, preview):
            commit_in_background(self, self.ctx, self.ctx.services.teacher_import, preview,
                                 TEACHER_TEXTS)

    def save_template(self) -> None:
        save_template(self, self.ctx, self.ctx.services.teacher_import, WORKBOOK_DIR,
                      _("teacher import template") + ".xlsx",
                      _("The import template was saved as {path}. Fill in one teacher per row "
                        "and import it with “Import from Excel…”."))

    # ---- view ---------------------------------------------------------------------------

    def _show_details(self, teacher: Teacher | None) -> None:
        self.edit_button.setEnabled(teacher is not None)
        self.delete_button.setEnabled(teacher is not None)
        if teacher is None:
            self.details.clear()
            return
        gender = next((_(label) for value, label in GENDERS if value == teacher.gender),
                      teacher.gender)
        parts = [
            _("Gender: {value}").format(value=gender if teacher.gender else "—"),
            _("Staff number: {value}").format(value=teacher.staff_no or "—"),
        ]
        if teacher.is_backbone:
            parts.append(_("Backbone teacher: {value}").format(
                value=teacher.backbone_level or "✓"))
        if teacher.hired_on:
            parts.append(_("Hired on: {value}").format(value=format_date(teacher.hired_on)))
        text = "    ".join(parts)
        if teacher.notes:
            text += "\n" + _("Notes: {value}").format(value=teacher.notes)
        self.details.setText(text)
