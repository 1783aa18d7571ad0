"""Shared courses (共享课程): the group's courses per semester with filters, add/edit/delete
with undo, and an overview of the courses each school provides per semester with the flags of
rule ALX-19 (or whatever the group's policy profile says about shared courses)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.courses import Course, CourseType, Delivery
from jituan_desktop.i18n import N_, _, format_number, ngettext
from jituan_desktop.services.courses import CourseOverview
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.course_dialog import CourseDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView

ENTITY = "course"
_BROKEN = QColor("#fde0dc")
_TYPE_ORDER = {t: i for i, t in enumerate(CourseType)}
_DELIVERY_ORDER = {d: i for i, d in enumerate(Delivery)}


def _enrolment_text(course: Course) -> str:
    others = course.cross_school_enrolments()
    return ngettext("{schools} school, {students} students",
                    "{schools} schools, {students} students", len(others)).format(
        schools=format_number(len(others)),
        students=format_number(sum(e.students for e in others)))


def course_columns(short_names: dict[int | None, str]) -> list[Column[Course]]:
    return [
        Column(N_("Semester"), lambda c: c.semester_label, sort_key=lambda c: c.semester_order),
        Column(N_("Course title"), lambda c: c.title),
        Column(N_("Providing school"),
               lambda c: short_names.get(c.provider_school_id) or c.provider_name,
               tooltip=lambda c: c.provider_name),
        Column(N_("Type"), lambda c: c.course_type.label(),
               sort_key=lambda c: _TYPE_ORDER[c.course_type]),
        Column(N_("Subject"), lambda c: c.subject),
        Column(N_("Delivery"), lambda c: c.delivery.label(),
               sort_key=lambda c: _DELIVERY_ORDER[c.delivery]),
        Column(N_("Teachers"), lambda c: "、".join(c.teacher_names)),
        Column(N_("Capacity"), lambda c: c.capacity),
        Column(N_("Enrolled"), lambda c: c.enrolled_students,
               tooltip=lambda c: _("More students than seats") if c.over_capacity else ""),
        Column(N_("Other schools"), _enrolment_text,
               sort_key=lambda c: len(c.cross_school_enrolments()),
               tooltip=lambda c: "\n".join(
                   f"{e.school_name}：{format_number(e.students)}" for e in c.enrolments)),
        Column(N_("Schedule"), lambda c: c.schedule),
    ]


class CoursesPage(Page):
    kinds = frozenset({"course", "school", "teacher", "group", "membership", "semester",
                       "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._short_names: dict[int | None, str] = {}
        self._overview: CourseOverview | None = None
        self.undo = PageUndo(ctx, self)

        self.semester_box = QComboBox()
        self.semester_box.setToolTip(_("Show the courses of one semester"))
        self.school_box = QComboBox()
        self.school_box.setMinimumContentsLength(10)
        self.school_box.setToolTip(_("Show the courses one school provides"))
        self.type_box = QComboBox()
        self.type_box.addItem(_("All types"), None)
        for value, label in CourseType.choices():
            self.type_box.addItem(label, value)
        for box in (self.semester_box, self.school_box, self.type_box):
            box.currentIndexChanged.connect(self._apply_filter)

        self.add_button = QPushButton(_("Add course…"))
        self.add_button.setToolTip(_("Add a shared course (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_course)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Edit the selected course (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Move to recycle bin"))
        self.delete_button.setToolTip(_("Move the selected course to the recycle bin (Delete)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QToolButton()
        self.undo_button.setDefaultAction(self.undo.undo_action)
        self.redo_button = QToolButton()
        self.redo_button.setDefaultAction(self.undo.redo_action)

        toolbar = QHBoxLayout()
        for label, box in ((_("Semester:"), self.semester_box), (_("School:"), self.school_box),
                           (_("Type:"), self.type_box)):
            toolbar.addWidget(QLabel(label))
            toolbar.addWidget(box)
        for button in (self.add_button, self.edit_button, self.delete_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.undo_button)
        toolbar.addWidget(self.redo_button)

        self.list: RecordListView[Course] = RecordListView(
            course_columns(self._short_names), self)
        self.list.activated.connect(self.edit_course)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self.details = details_label(self)

        self.grid = QTableWidget(self)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.cellDoubleClicked.connect(self._grid_activated)
        self.flags = QListWidget(self)
        self.flags.setWordWrap(True)
        self.flags.setResizeMode(QListView.ResizeMode.Adjust)
        self.flags.itemActivated.connect(self._flag_activated)
        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        self.rule_label.setTextFormat(Qt.TextFormat.PlainText)

        overview = QWidget(self)
        overview_layout = QHBoxLayout(overview)
        overview_layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Courses provided per school and semester")))
        left.addWidget(self.grid, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Flags")))
        right.addWidget(self.flags, 1)
        right.addWidget(self.rule_label)
        overview_layout.addLayout(left, 3)
        overview_layout.addLayout(right, 2)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.list, 1)
        top_layout.addWidget(self.details)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(overview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        new_shortcut(self, self.add_course)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Shared courses")

    # ---- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        enabled = group_id is not None
        self.add_button.setEnabled(enabled)
        if group_id is None:
            self.list.set_rows([])
            self._overview = None
            self._fill_filters()
            self._show_overview()
            return
        service = self.ctx.services.courses
        courses = service.list(group_id)
        self._overview = service.overview(group_id, courses)
        schools = {s.id: s for s in self.ctx.services.schools.list()}
        self._short_names.clear()
        self._short_names.update((sid, s.display_name) for sid, s in schools.items())
        self._fill_filters()
        self.list.set_rows(courses)
        self._apply_filter()
        self._show_overview()
        self._show_details(self.list.selected())

    def _fill_filters(self) -> None:
        semester_id = self.semester_box.currentData()
        school_id = self.school_box.currentData()
        for box in (self.semester_box, self.school_box):
            box.blockSignals(True)
            box.clear()
        self.semester_box.addItem(_("All semesters"), None)
        self.school_box.addItem(_("All schools"), None)
        if self._overview is not None:
            seen: dict[int, str] = {}
            for item in reversed(self._overview.semesters):
                self.semester_box.addItem(item.semester.label, item.semester.id)
                for school in item.facts.schools:
                    seen.setdefault(school.school_id, school.school_name)
            for sid, name in sorted(seen.items(), key=lambda x: x[1]):
                self.school_box.addItem(self._short_names.get(sid) or name, sid)
        self.semester_box.setCurrentIndex(max(0, self.semester_box.findData(semester_id)))
        self.school_box.setCurrentIndex(max(0, self.school_box.findData(school_id)))
        for box in (self.semester_box, self.school_box):
            box.blockSignals(False)

    def _apply_filter(self, *_args: object) -> None:
        semester_id = self.semester_box.currentData()
        school_id = self.school_box.currentData()
        course_type = self.type_box.currentData()
        if semester_id is None and school_id is None and course_type is None:
            self.list.set_filter(None)
            return
        self.list.set_filter(lambda c: (semester_id is None or c.semester_id == semester_id)
                             and (school_id is None or c.provider_school_id == school_id)
                             and (course_type is None or c.course_type.value == course_type))

    # ---- overview and flags -------------------------------------------------------------

    def _show_overview(self) -> None:
        self.grid.clear()
        self.flags.clear()
        overview = self._overview
        if overview is None or not overview.semesters:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.rule_label.setText(_("No semester with member schools yet."))
            return
        semesters = overview.semesters
        schools: dict[int, str] = {}
        for item in semesters:
            for school in item.facts.schools:
                schools.setdefault(school.school_id, school.school_name)
        order = list(schools)  # core school first (the facts keep the membership order)
        self.grid.setColumnCount(len(semesters))
        self.grid.setRowCount(len(order) + 1)
        self.grid.setHorizontalHeaderLabels([x.semester.label for x in semesters])
        self.grid.setVerticalHeaderLabels(
            [self._short_names.get(sid) or schools[sid] for sid in order] + [_("Group total")])
        for column, item in enumerate(semesters):
            counts = {s.school_id: s for s in item.facts.schools}
            for row, school_id in enumerate(order):
                school = counts.get(school_id)
                cell = QTableWidgetItem(format_number(school.provided) if school else "—")
                if school is None:
                    cell.setToolTip(_("Not in the group in this semester"))
                cell.setData(Qt.ItemDataRole.UserRole, (item.semester.id, school_id))
                self._mark(cell, item.findings, schools[school_id])
                self.grid.setItem(row, column, cell)
            total = QTableWidgetItem(format_number(item.facts.total))
            total.setData(Qt.ItemDataRole.UserRole, (item.semester.id, None))
            font = total.font()
            font.setBold(True)
            total.setFont(font)
            self._mark(total, [f for f in item.findings if not f.fields], None)
            self.grid.setItem(len(order), column, total)
            for finding in item.broken():
                flag = QListWidgetItem("⚑ " + finding.explanation().split("\n")[0], self.flags)
                flag.setToolTip(finding.explanation())
                flag.setData(Qt.ItemDataRole.UserRole, item.semester.id)
        for column in range(self.grid.columnCount()):
            self.grid.horizontalHeader().setSectionResizeMode(
                column, self.grid.horizontalHeader().ResizeMode.Stretch)
        if not overview.rules:
            self.rule_label.setText(_("The group's policy profile sets no rule on shared "
                                      "courses, so no flags are shown."))
        elif self.flags.count() == 0:
            self.rule_label.setText(_("Every semester meets {rules}.").format(
                rules="、".join(r.id for r in overview.rules)))
        else:
            self.rule_label.setText(_("Hover over a flag for the rule's wording and source; "
                                      "double-click it to show that semester's courses."))

    @staticmethod
    def _mark(cell: QTableWidgetItem, findings: object, school_name: str | None) -> None:
        """Colour the cell and explain it when a finding is about it."""
        for finding in findings:  # type: ignore[attr-defined]
            about_school = bool(finding.fields)
            if (school_name is None) == about_school:
                continue
            if school_name is not None and school_name not in finding.message:
                continue
            cell.setToolTip(finding.explanation())
            if finding.broken:
                cell.setBackground(QBrush(_BROKEN))

    def _flag_activated(self, item: QListWidgetItem) -> None:
        self._show_semester(item.data(Qt.ItemDataRole.UserRole), None)

    def _grid_activated(self, row: int, column: int) -> None:
        cell = self.grid.item(row, column)
        if cell is not None and cell.data(Qt.ItemDataRole.UserRole):
            semester_id, school_id = cell.data(Qt.ItemDataRole.UserRole)
            self._show_semester(semester_id, school_id)

    def _show_semester(self, semester_id: int, school_id: int | None) -> None:
        self.semester_box.setCurrentIndex(max(0, self.semester_box.findData(semester_id)))
        self.school_box.setCurrentIndex(max(0, self.school_box.findData(school_id)))

    # ---- add, edit, delete --------------------------------------------------------------

    def add_course(self) -> None:
        group_id = self.ctx.group_id
        if group_id is None:
            return
        semester_id = self.semester_box.currentData()
        if semester_id is None:
            current = self.ctx.services.calendar.current()
            semester_id = current.id if current else None
        draft = Course(None, group_id, semester_id, "", self.school_box.currentData())
        result = CourseDialog.edit(self, draft, self.ctx.services.courses.context(group_id),
                                   self._dialog_names())
        if result is None:
            return
        saved = self.ctx.write(self, lambda: self.ctx.services.courses.save(result))
        if saved is not None and saved.id is not None:
            self.undo.record_created(ENTITY, saved.id, saved.title)
            self._select(saved)

    def edit_selected(self) -> None:
        course = self.list.selected()
        if course is not None:
            self.edit_course(course)

    def edit_course(self, course: Course) -> None:
        result = CourseDialog.edit(self, course, self.ctx.services.courses.context(
            course.group_id), self._dialog_names())
        if result is None or result == course:
            return
        service = self.ctx.services.courses
        saved = self.ctx.write(self, lambda: service.save(result))
        if saved is not None:
            self.undo.record_changed(saved.title, lambda: service.save(course)[1],
                                     lambda: service.save(result)[1])
            self._select(saved)

    def delete_selected(self) -> None:
        course = self.list.selected()
        if course is None or course.id is None:
            return
        text = _("Move the course “{title}” ({semester}) to the recycle bin?\nYou can restore "
                 "it from the recycle bin.").format(title=course.title,
                                                    semester=course.semester_label)
        if not prompts.confirm(self, _("Move to recycle bin"), text):
            return
        course_id = course.id
        done = self.ctx.write(self, lambda: (True, self.ctx.services.recycle_bin.delete(
            ENTITY, course_id)))
        if done:
            self.undo.record_deleted(ENTITY, course_id, course.title)

    def _dialog_names(self) -> dict[int, str]:
        return {sid: name for sid, name in self._short_names.items() if sid is not None}

    def _select(self, course: Course) -> None:
        if not self.list.select_id(course.id):  # filtered out: show all, then select it
            self.semester_box.setCurrentIndex(0)
            self.school_box.setCurrentIndex(0)
            self.type_box.setCurrentIndex(0)
            self.list.select_id(course.id)

    # ---- view ---------------------------------------------------------------------------

    def _show_details(self, course: Course | None) -> None:
        self.edit_button.setEnabled(course is not None)
        self.delete_button.setEnabled(course is not None)
        if course is None:
            self.details.clear()
            return
        parts = [_("{title}, provided by {school}").format(title=course.title,
                                                           school=course.provider_name)]
        if course.teacher_names:
            parts.append(_("Lead teacher: {name}").format(name=course.teacher_names[0]))
        if course.enrolments:
            parts.append(_("Enrolment: {list}").format(list="；".join(
                f"{e.school_name} {format_number(e.students)}" for e in course.enrolments)))
        text = "    ".join(parts)
        if course.over_capacity:
            text += "\n" + _("Note: {message}").format(message=_(
                "{n} students are enrolled, more than the capacity of {capacity}.").format(
                    n=format_number(course.enrolled_students),
                    capacity=format_number(course.capacity)))
        if course.notes:
            text += "\n" + _("Notes: {value}").format(value=course.notes)
        self.details.setText(text)
