"""RecycleBinPage: deleted records of every kind, restored with the button or Enter."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.i18n import _
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.recycle_bin_page import RecycleBinPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> RecycleBinPage:
    page = RecycleBinPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def delete(ctx: AppContext, entity: str, record_id: int) -> None:
    ctx.write(None, lambda: (None, ctx.services.recycle_bin.delete(entity, record_id)))


def school_and_teacher_with_one_id(ctx: AppContext) -> tuple[School, Teacher]:
    """A school and a teacher that share an id: the list must keep them apart."""
    teachers = {t.id: t for t in ctx.services.teachers.list()}
    school = next(s for s in ctx.services.schools.list() if s.id in teachers)
    return school, teachers[school.id]


def test_empty_bin(page: RecycleBinPage) -> None:
    assert page.items() == []
    assert not page.restore_button.isEnabled()
    model = page.list.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        _("Kind"), _("Record"), _("Deleted at")]


def test_deleted_records_appear_newest_first(page: RecycleBinPage, demo_ctx: AppContext) -> None:
    school, teacher = school_and_teacher_with_one_id(demo_ctx)
    assert school.id is not None and teacher.id is not None

    delete(demo_ctx, "school", school.id)
    delete(demo_ctx, "teacher", teacher.id)

    assert [(i.entity, i.label) for i in page.items()] == [
        ("teacher", teacher.name), ("school", school.name)]
    assert page.list.model.display_text(0, 0) == _("Teacher")


def test_enter_restores_the_selected_item_only(
    qtbot: Any, page: RecycleBinPage, demo_ctx: AppContext
) -> None:
    school, teacher = school_and_teacher_with_one_id(demo_ctx)
    assert school.id is not None and teacher.id is not None
    delete(demo_ctx, "school", school.id)
    delete(demo_ctx, "teacher", teacher.id)

    # WHEN the teacher is selected and Enter pressed
    assert page.list.select_id(("teacher", teacher.id))
    assert page.restore_button.isEnabled()
    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)

    # THEN the teacher is back and the school still in the bin
    assert [(i.entity, i.id) for i in page.items()] == [("school", school.id)]
    assert teacher.id in {t.id for t in demo_ctx.services.teachers.list()}
    assert school.id not in {s.id for s in demo_ctx.services.schools.list()}
    history = demo_ctx.services.recycle_bin.history(entity="teacher", entity_id=teacher.id)
    assert history[0].action == "restore"

    # AND with the school restored by the button the bin is empty
    assert page.list.select_id(("school", school.id))
    page.restore_button.click()
    assert page.items() == []
    assert not page.restore_button.isEnabled()


def test_restoring_something_already_restored_elsewhere(
    page: RecycleBinPage, demo_ctx: AppContext, no_modal_prompts: list[Any]
) -> None:
    school, _teacher = school_and_teacher_with_one_id(demo_ctx)
    assert school.id is not None
    delete(demo_ctx, "school", school.id)
    row = page.list.rows()[0]
    demo_ctx.services.recycle_bin.restore("school", school.id)  # another window, unpublished

    page.restore(row)

    assert [kind for kind, _title, _text in no_modal_prompts] == ["error"]
    assert page.items() == []  # the NotFound refresh cleared it


def test_the_kind_column_shows_a_kind_that_appears_later_in_full(
    qtbot: Any, page: RecycleBinPage, demo_ctx: AppContext
) -> None:
    # GIVEN the shown bin with a deleted teacher (a short kind)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    teacher = demo_ctx.services.teachers.list()[0]
    delete(demo_ctx, "teacher", teacher.id)
    # WHEN a member school's entry is deleted, a kind with a longer name (集团成员)
    group = demo_ctx.services.groups.list()[0]
    membership = demo_ctx.services.groups.memberships(group.id)[-1]
    delete(demo_ctx, "membership", membership.id)
    # THEN the kind column is wide enough for it (not cut to "集团…")
    label = next(i.kind_label for i in page.items() if i.entity == "membership")
    assert len(label) > len(next(i.kind_label for i in page.items() if i.entity == "teacher"))
    table = page.list.table
    assert table.columnWidth(0) >= table.sizeHintForColumn(0)  # what the cells need
