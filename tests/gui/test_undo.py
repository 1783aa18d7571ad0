"""ui/undo.py PageUndo through the shared-courses page: add, change and delete, each undone
and redone; a step whose record was deleted elsewhere clears the history with a message."""

from __future__ import annotations

import dataclasses

import pytest

from jituan_desktop.ui.dialogs.course_dialog import CourseDialog
from jituan_desktop.ui.pages.courses_page import CoursesPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_ctx) -> CoursesPage:
    widget = CoursesPage(demo_ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def titles(page: CoursesPage) -> list[str]:
    return [c.title for c in page.list.rows()]


def answer(monkeypatch: pytest.MonkeyPatch, course: object) -> None:
    monkeypatch.setattr(CourseDialog, "edit", classmethod(lambda cls, *a, **k: course))


def test_undo_and_redo_an_addition(page, monkeypatch) -> None:
    answer(monkeypatch, dataclasses.replace(page.list.rows()[0], id=None, title="校园合唱"))
    page.add_course()
    assert "校园合唱" in titles(page)
    assert "校园合唱" in page.undo.undo_action.text()
    page.undo.undo_action.trigger()
    assert "校园合唱" not in titles(page)
    assert "校园合唱" in [i.label for i in page.ctx.services.recycle_bin.list()]
    page.undo.redo_action.trigger()
    assert "校园合唱" in titles(page)


def test_undo_and_redo_a_change(page, monkeypatch) -> None:
    course = page.list.rows()[0]
    page.list.select_id(course.id)
    answer(monkeypatch, dataclasses.replace(course, title="校园足球（提高班）", capacity=75))
    page.edit_selected()
    assert "校园足球（提高班）" in titles(page)
    page.undo.undo_action.trigger()
    restored = page.ctx.services.courses.get(course.id)
    assert (restored.title, restored.capacity) == (course.title, course.capacity)
    page.undo.redo_action.trigger()
    assert page.ctx.services.courses.get(course.id).capacity == 75
    actions = [h.action for h in page.ctx.services.recycle_bin.history(
        entity="course", entity_id=course.id)]
    assert actions[:3] == ["update", "update", "update"]  # undo is history too


def test_undo_and_redo_a_deletion(page) -> None:
    course = page.list.rows()[0]
    page.list.select_id(course.id)
    page.delete_selected()
    assert course.id not in [c.id for c in page.list.rows()]
    page.undo.undo_action.trigger()
    assert course.id in [c.id for c in page.list.rows()]
    page.undo.redo_action.trigger()
    assert course.id not in [c.id for c in page.list.rows()]


def test_a_step_on_a_record_deleted_elsewhere_clears_the_history(qtbot, page, monkeypatch,
                                                                 no_modal_prompts) -> None:
    course = page.list.rows()[0]
    page.list.select_id(course.id)
    answer(monkeypatch, dataclasses.replace(course, capacity=75))
    page.edit_selected()
    assert page.undo.stack.canUndo()
    page.ctx.services.recycle_bin.delete("course", course.id)  # e.g. in another window
    page.undo.undo_action.trigger()
    assert no_modal_prompts[-1][0] == "error"
    qtbot.waitUntil(lambda: not page.undo.stack.canUndo() and page.undo.stack.count() == 0)
    assert not page.undo.redo_action.isEnabled()


def test_undo_refuses_to_overwrite_a_change_made_in_between(qtbot, page, monkeypatch,
                                                            no_modal_prompts) -> None:
    """The step saved capacity 75; someone then set 60 elsewhere: undo must not put the old
    capacity back over 60, but say why and forget the page's steps."""
    course = page.list.rows()[0]
    page.list.select_id(course.id)
    answer(monkeypatch, dataclasses.replace(course, capacity=75))
    page.edit_selected()
    service = page.ctx.services.courses
    service.save(dataclasses.replace(service.get(course.id), capacity=60))  # another window
    page.undo.undo_action.trigger()
    assert no_modal_prompts[-1][0] == "error"
    assert service.get(course.id).capacity == 60
    qtbot.waitUntil(lambda: page.undo.stack.count() == 0)


def test_undo_of_a_change_still_works_when_nothing_changed_in_between(page,
                                                                      monkeypatch) -> None:
    course = page.list.rows()[0]
    page.list.select_id(course.id)
    answer(monkeypatch, dataclasses.replace(course, capacity=75))
    page.edit_selected()
    page.undo.undo_action.trigger()
    assert page.ctx.services.courses.get(course.id).capacity == course.capacity
    page.undo.redo_action.trigger()
    assert page.ctx.services.courses.get(course.id).capacity == 75
