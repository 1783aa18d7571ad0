"""Shared courses (共享课程): the group's courses per semester with filters (semester, school,
type, subject), add/edit/delete with undo, and an overview of the courses each school provides
per semester with the flags of rule ALX-19 (or whatever the group's policy profile says about
shared courses).

The list has no "Rule flags" column: ALX-19 judges a semester's counts (per school and for the
group), never one course, so every course would show an empty cell; the overview below the
list carries the flags (docs/courses.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.courses import Course, CourseType, Delivery
from jituan_desktop.i18n import N_, _, format_number, ngettext
from jituan_desktop.services.courses import CourseOverview
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.course_dialog import CourseDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.tasks import Progress
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView
from jituan_desktop.ui.widgets.record_page_parts import (
    CountsPanel,
    LatestLoad,
    RecordActions,
    RecordSelection,
    choice_filter,
    lay_out_page,
    newest_first,
    push_button,
    refill,
    toolbar_rows,
)

ENTITY = "course"
_TYPE_ORDER = {t: i for i, t in enumerate(CourseType)}
_DELIVERY_ORDER = {d: i for i, d in enumerate(Delivery)}


def today() -> dt.date:
    """Today's date (a function, so tests can choose the day): a semester that has not ended
    by then is not yet due for ALX-19."""
    return dt.date.today()


@dataclass(frozen=True)
class _Loaded:
    """What the page shows, loaded on the task runner."""

    courses: list[Course]
    overview: CourseOverview
    short_names: dict[int | None, str]


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
        self._loads = LatestLoad(self)
        self.undo = PageUndo(ctx, self)

        self.semester_box = QComboBox()
        self.semester_box.setToolTip(_("Show the courses of one semester"))
        self.school_box = QComboBox()
        self.school_box.setMinimumContentsLength(10)
        self.school_box.setToolTip(_("Show the courses one school provides"))
        self.type_box = choice_filter(_("All types"), CourseType.choices())
        self.subject_box = QComboBox()
        self.subject_box.setMinimumContentsLength(6)
        self.subject_box.setToolTip(_("Show the courses of one subject"))
        self.subject_box.addItem(_("All subjects"), None)
        boxes = (self.semester_box, self.school_box, self.type_box, self.subject_box)
        for box in boxes:
            box.currentIndexChanged.connect(self._apply_filter)

        self.add_button = push_button(_("Add course…"), _("Add a shared course (Ctrl+N)"),
                                      self.add_course)
        self.edit_button = push_button(_("Edit…"), _("Edit the selected course (Enter)"),
                                       self.edit_selected)
        self.delete_button = push_button(
            _("Move to recycle bin"), _("Move the selected course to the recycle bin (Delete)"),
            self.delete_selected)

        self.list: RecordListView[Course] = RecordListView(
            course_columns(self._short_names), self)
        self.list.activated.connect(self.edit_course)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self._selection = RecordSelection(self, self.list, boxes)
        self._actions: RecordActions[Course] = RecordActions(self, self.undo, ENTITY,
                                                             self._selection.select)
        self.details = details_label(self)
        filters, actions = toolbar_rows(
            [(_("Semester:"), self.semester_box), (_("School:"), self.school_box),
             (_("Type:"), self.type_box), (_("Subject:"), self.subject_box)],
            self.list, [self.add_button, self.edit_button, self.delete_button], [], self.undo)

        self.counts = CountsPanel(_("Courses provided per school and semester"), self)
        self.counts.cell_activated.connect(lambda data: self._show_semester(*data))
        self.counts.flag_activated.connect(lambda data: self._show_semester(data, None))
        self.grid, self.flags, self.rule_label = (self.counts.grid, self.counts.flags,
                                                  self.counts.rule_label)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.list, 1)
        top_layout.addWidget(self.details)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.counts)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        new_shortcut(self, self.add_course)
        lay_out_page(self, filters, actions, splitter)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Shared courses")

    # ---- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        self.add_button.setEnabled(group_id is not None)
        self._loads.cancel()
        if group_id is None:
            self.list.set_rows([])
            self._overview = None
            self._fill_filters([])
            self._show_overview()
            return
        # tens of thousands of courses take a while: load off the GUI thread and show only
        # the newest load when refreshes overlap
        services = self.ctx.services
        day = today()

        def load(_progress: Progress) -> _Loaded:
            courses = services.courses.list(group_id)
            return _Loaded(courses, services.courses.overview(group_id, courses, day),
                           {s.id: s.display_name for s in services.schools.list()})

        self._loads.run(_("Loading shared courses…"), load, self._show_loaded)

    def _show_loaded(self, loaded: _Loaded) -> None:
        self._overview = loaded.overview
        self._short_names.clear()
        self._short_names.update(loaded.short_names)
        selected = self.list.selected()
        self._fill_filters(loaded.courses)
        self.list.set_rows(loaded.courses)
        self._apply_filter()
        self._selection.restore(selected)
        self._show_overview()
        self._show_details(self.list.selected())

    def _fill_filters(self, courses: list[Course]) -> None:
        semesters: list[tuple[str, object]] = []
        schools: dict[int, str] = {}
        if self._overview is not None:
            for item in reversed(self._overview.semesters):
                semesters.append((item.semester.label, item.semester.id))
                for school in item.facts.schools:
                    schools.setdefault(school.school_id, school.school_name)
        refill(self.semester_box, _("All semesters"), semesters)
        refill(self.school_box, _("All schools"),
               [(self._short_names.get(sid) or name, sid)
                for sid, name in sorted(schools.items(), key=lambda x: x[1])])
        refill(self.subject_box, _("All subjects"),
               [(subject, subject) for subject in sorted({c.subject for c in courses
                                                          if c.subject})])

    def _apply_filter(self, *_args: object) -> None:
        semester_id = self.semester_box.currentData()
        school_id = self.school_box.currentData()
        course_type = self.type_box.currentData()
        subject = self.subject_box.currentData()
        if all(x is None for x in (semester_id, school_id, course_type, subject)):
            self.list.set_filter(None)
            return
        self.list.set_filter(lambda c: (semester_id is None or c.semester_id == semester_id)
                             and (school_id is None or c.provider_school_id == school_id)
                             and (course_type is None or c.course_type.value == course_type)
                             and (subject is None or c.subject == subject))

    # ---- overview and flags -------------------------------------------------------------

    def _show_overview(self) -> None:
        overview = self._overview
        if overview is None or not overview.semesters:
            self.counts.reset()
            self.counts.finish(_("No semester with member schools yet."))
            return
        semesters = newest_first(overview.semesters, lambda x: x.semester)
        schools: dict[int, str] = {}
        for item in semesters:
            for school in item.facts.schools:
                schools.setdefault(school.school_id, school.school_name)
        order = list(schools)  # core school first (the facts keep the membership order)
        self.counts.reset([x.semester.label for x in semesters],
                          [self._short_names.get(sid) or schools[sid] for sid in order]
                          + [_("Group total")])
        for column, item in enumerate(semesters):
            counts = {s.school_id: s for s in item.facts.schools}
            names = [s.school_name for s in item.facts.schools]
            for row, school_id in enumerate(order):
                school = counts.get(school_id)
                about = [f for f in item.findings if schools[school_id] in f.message]
                self.counts.set_cell(
                    row, column, format_number(school.provided) if school else "—",
                    (item.semester.id, school_id), findings=about,
                    broken=any(f.broken for f in about),
                    tooltip="" if school else _("Not in the group in this semester"))
            group = [f for f in item.findings if not any(n in f.message for n in names)]
            self.counts.set_cell(len(order), column, format_number(item.facts.total),
                                 (item.semester.id, None), findings=group,
                                 broken=any(f.broken for f in group), bold=True)
            for finding in item.broken():
                self.counts.add_flag(finding, item.semester.id)
        if not overview.rules:
            text = _("The group's policy profile sets no rule on shared courses, so no flags "
                     "are shown.")
        elif self.flags.count() == 0:
            text = _("Every semester meets {rules}.").format(
                rules="、".join(r.id for r in overview.rules))
        else:
            text = _("Select a flag for the rule's wording and source; double-click it to "
                     "show that semester's courses.")
        self.counts.finish(text)

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
        subject = self.subject_box.currentData()
        draft = Course(None, group_id, semester_id, "", self.school_box.currentData(),
                       subject=subject if isinstance(subject, str) else "")
        result = CourseDialog.edit(self, draft, self.ctx.services.courses.context(group_id),
                                   self._dialog_names())
        if result is None:
            return
        self._actions.save_new(lambda: self.ctx.services.courses.save(result), lambda c: c.title)

    def edit_selected(self) -> None:
        course = self.list.selected()
        if course is not None:
            self.edit_course(course)

    def edit_course(self, course: Course) -> None:
        if course.id is None:
            return
        service = self.ctx.services.courses
        self._actions.edit_stored(course.id, service, lambda before: CourseDialog.edit(
            self, before, service.context(course.group_id), self._dialog_names()),
            lambda c: c.title)

    def delete_selected(self) -> None:
        course = self.list.selected()
        if course is None or course.id is None:
            return
        self._actions.delete(course.id, course.title, _(
            "Move the course “{title}” ({semester}) to the recycle bin?\nYou can restore it "
            "from the recycle bin.").format(title=course.title, semester=course.semester_label))

    def _dialog_names(self) -> dict[int, str]:
        return {sid: name for sid, name in self._short_names.items() if sid is not None}

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
