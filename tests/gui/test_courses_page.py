"""The shared-courses page and its dialog, driven as a principal would."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from jituan_desktop.domain.courses import Course, Delivery, Enrolment
from jituan_desktop.i18n import _
from jituan_desktop.ui.dialogs import course_dialog
from jituan_desktop.ui.dialogs.course_dialog import CourseDialog
from jituan_desktop.ui.pages import courses_page
from jituan_desktop.ui.pages.courses_page import CoursesPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_ctx, monkeypatch) -> CoursesPage:
    monkeypatch.setattr(courses_page, "today", lambda: dt.date(2026, 11, 27))
    widget = CoursesPage(demo_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def test_the_page_lists_the_demo_courses_with_alx19_flags(page) -> None:
    assert page.title() == _("Shared courses")
    assert len(page.list.rows()) == 19
    flags = [page.flags.item(i) for i in range(page.flags.count())]
    # 2026—2027 second semester (4 courses) has not ended on 2026-11-27: not yet due, no flag
    assert len(flags) == 2 and all(f.text().startswith("⚑ ALX-19") for f in flags)
    assert "「每学期集团内每校至少有1门共享课程" in flags[0].toolTip()
    assert "建立共享机制" in flags[0].toolTip()  # the source
    # the grid: 4 semesters newest first (as on the research page), the core school first,
    # the group total last
    assert page.grid.columnCount() == 4
    last = page.grid.rowCount() - 1
    assert [page.grid.item(last, c).text() for c in range(4)] == ["4", "5", "5", "5"]
    assert page.grid.verticalHeaderItem(0).text() == "一实小"
    pending = page.grid.item(last, 0)
    assert pending.background().style() == Qt.BrushStyle.NoBrush  # not marked broken
    assert "ALX-19" in pending.toolTip()
    page.flags.setCurrentRow(0)
    assert "建立共享机制" in page.rule_label.text()


def test_the_list_has_no_rule_flags_column(page) -> None:
    """ALX-19 judges a semester's counts, never one course (docs/courses.md)."""
    model = page.list.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(model.columnCount())]
    assert _("Rule flags") not in headers


def test_filters_by_subject(page) -> None:
    subjects = [page.subject_box.itemData(i) for i in range(1, page.subject_box.count())]
    assert subjects and subjects == sorted(subjects)
    subject = subjects[0]
    page.subject_box.setCurrentIndex(page.subject_box.findData(subject))
    shown = page.list.proxy.rowCount()
    assert 0 < shown < len(page.list.rows())
    assert shown == sum(1 for c in page.list.rows() if c.subject == subject)
    page.subject_box.setCurrentIndex(0)
    assert page.list.proxy.rowCount() == len(page.list.rows())


def test_filters_by_semester_school_and_type(page) -> None:
    page.semester_box.setCurrentIndex(1)  # the newest semester
    assert page.list.proxy.rowCount() == 4
    page.school_box.setCurrentIndex(page.school_box.findText("一实小"))
    assert page.list.proxy.rowCount() == 1
    page.semester_box.setCurrentIndex(0)
    page.school_box.setCurrentIndex(0)
    page.type_box.setCurrentIndex(page.type_box.findData("holiday_care"))
    assert page.list.proxy.rowCount() == 2


def test_a_flag_double_clicked_shows_its_semester(page) -> None:
    page.flags.itemActivated.emit(page.flags.item(1))  # 2025—2026 second semester
    assert page.list.proxy.rowCount() == 5


def test_add_edit_and_delete_through_the_page(page, demo_ctx, monkeypatch,
                                              no_modal_prompts) -> None:
    template = page.list.rows()[0]
    new = dataclasses.replace(template, id=None, title="校园合唱", enrolments=())
    monkeypatch.setattr(CourseDialog, "edit", classmethod(lambda cls, *a, **k: new))
    page.add_course()
    added = next(c for c in page.list.rows() if c.title == "校园合唱")
    assert page.list.selected() == added
    changed = dataclasses.replace(added, capacity=99)
    monkeypatch.setattr(CourseDialog, "edit", classmethod(lambda cls, *a, **k: changed))
    page.edit_selected()
    assert page.list.selected().capacity == 99
    page.delete_selected()
    assert all(c.title != "校园合唱" for c in page.list.rows())
    assert no_modal_prompts[-1][0] == "confirm"
    history = demo_ctx.services.recycle_bin.history(entity="course", entity_id=added.id)
    assert [h.action for h in history] == ["delete", "update", "create"]


def test_a_save_the_service_refuses_explains_it_and_adds_nothing(page, monkeypatch,
                                                                no_modal_prompts) -> None:
    template = page.list.rows()[0]
    bad = dataclasses.replace(template, id=None, title="越界课程", capacity=0)
    monkeypatch.setattr(CourseDialog, "edit", classmethod(lambda cls, *a, **k: bad))
    page.add_course()
    assert no_modal_prompts and no_modal_prompts[-1][0] == "error"
    assert all(c.title != "越界课程" for c in page.list.rows())
    assert not page.undo.stack.canUndo()


@pytest.fixture
def dialog(qtbot, page, demo_ctx) -> CourseDialog:
    course = next(c for c in page.list.rows() if c.delivery is Delivery.DUAL_TEACHER)
    widget = CourseDialog(page, course, demo_ctx.services.courses.context(course.group_id))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_dialog_opens_valid_and_shows_the_co_teacher_note(dialog) -> None:
    assert dialog.ok_button.isEnabled()
    co_teacher = dialog.draft().teacher_ids[1]
    assert dialog.warning_label.isVisible()
    assert dialog._ctx.teachers[co_teacher].name in dialog.warning_label.text()


def test_capacity_zero_blocks_ok_with_a_message(dialog) -> None:
    dialog.capacity_spin.setValue(0)
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("capacity").isVisible()
    dialog.capacity_spin.setValue(30)
    assert dialog.ok_button.isEnabled()
    assert "30" in dialog.warning_label.text()  # more students than seats: a note only


def test_a_teacher_of_another_school_is_refused_outside_a_dual_teacher_class(dialog) -> None:
    dialog.delivery_box.setCurrentIndex(dialog.delivery_box.findData("offline"))
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("teacher_ids").isVisible()


def test_enrolment_of_a_school_that_left_is_refused(dialog, demo_ctx) -> None:
    gone = next(s.id for s in demo_ctx.services.schools.list()
                if s.display_name == "宗别立小学")
    dialog.enrolments.spin_for(gone).setValue(10)
    assert not dialog.ok_button.isEnabled()
    assert "宗别立" in dialog.errors.message_label("enrolments").text()


def test_the_dialog_returns_the_edited_course(dialog) -> None:
    dialog.title_edit.setText("数学思维拓展（提高班）")
    first = dialog.teachers.list.item(0)
    assert first.checkState() == Qt.CheckState.Checked  # the course's teachers on top
    dialog.accept()
    result = dialog.accepted_draft
    assert isinstance(result, Course) and result.title == "数学思维拓展（提高班）"
    assert all(isinstance(e, Enrolment) and e.students > 0 for e in result.enrolments)


def test_a_new_course_dialog_starts_quiet_with_ok_disabled(qtbot, demo_ctx) -> None:
    ctx = demo_ctx.services.courses.context(demo_ctx.group_id)
    widget = CourseDialog(None, Course(None, demo_ctx.group_id, None, "", None), ctx)
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.ok_button.isEnabled()
    assert not widget.errors.message_label("title").isVisible()
    assert course_dialog.CourseDialog is CourseDialog


def test_the_grid_lists_semesters_newest_first(page) -> None:
    """The current semester is the first column, in view without scrolling."""
    overview = page._overview
    expected = sorted(overview.semesters, key=lambda x: (x.semester.school_year,
                                                         x.semester.term), reverse=True)
    headers = [page.grid.horizontalHeaderItem(c).text() for c in range(page.grid.columnCount())]
    assert headers == [x.semester.label for x in expected]
    assert page.grid.horizontalScrollBar().value() == 0
