"""SchoolsPage over the demo group: list, add, edit, recycle bin and back."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from jituan_desktop.domain.schools import School
from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.school_dialog import SchoolDialog
from jituan_desktop.ui.pages.recycle_bin_page import RecycleBinPage
from jituan_desktop.ui.pages.schools_page import SchoolsPage

pytestmark = pytest.mark.gui

CORE = "阿拉善左旗巴彦浩特第一实验小学"
LEFT = "阿拉善左旗宗别立镇小学"


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> SchoolsPage:
    page = SchoolsPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def names(page: SchoolsPage) -> list[str]:
    return [s.name for s in page.list.rows()]


def select(page: SchoolsPage, name: str) -> School:
    school = next(s for s in page.list.rows() if s.name == name)
    assert page.list.select_id(school.id)
    return school


def test_lists_every_school_with_its_teachers(page: SchoolsPage) -> None:
    # 4 active members and the one that left: the page lists schools, not memberships
    # (5 of the Alxa demo group, 4 of the Huaiyuan placements demo group)
    assert len(names(page)) == 9
    assert LEFT in names(page)
    model = page.list.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [_("School name"), _("Short name"), _("Stage"), _("Kind"), _("Teachers"),
                       _("Credit code")]
    row = names(page).index(CORE)
    assert model.display_text(row, 4) == "45"
    assert sum(s.teacher_count for s in page.list.rows()) == 160
    assert model.display_text(row, 3) == "、".join([_("urban"), _("quality")])
    assert not page.edit_button.isEnabled()

    # numeric sort on the teacher column: the school without teachers comes first
    page.list.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert page.list.rows()[0].name == LEFT
    assert page.list.rows()[-1].name == CORE


def test_editing_changes_the_list_and_the_history(
    page: SchoolsPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = select(page, CORE)
    assert page.edit_button.isEnabled()
    seen: list[School] = []

    def fake_edit(_parent: Any, draft: School, validate: Any) -> School:
        seen.append(draft)
        assert validate(draft).ok
        return dataclasses.replace(draft, short_name="实验一小")

    monkeypatch.setattr(SchoolDialog, "edit", fake_edit)
    history_before = len(demo_ctx.services.recycle_bin.history(entity="school"))

    page.edit_button.click()

    assert seen == [school]
    edited = page.list.selected()
    assert edited is not None and edited.id == school.id and edited.short_name == "实验一小"
    assert edited.teacher_count == 45
    history = demo_ctx.services.recycle_bin.history(entity="school", entity_id=school.id)
    assert len(demo_ctx.services.recycle_bin.history(entity="school")) == history_before + 1
    assert history[0].action == "update"
    assert history[0].details == {"short_name": ["一实小", "实验一小"]}


def test_enter_edits_and_a_cancelled_dialog_changes_nothing(
    qtbot: Any, page: SchoolsPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = select(page, CORE)
    calls: list[School] = []
    monkeypatch.setattr(SchoolDialog, "edit", lambda _p, d, _v: calls.append(d))
    history_before = len(demo_ctx.services.recycle_bin.history())

    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)

    assert calls == [school]
    assert len(demo_ctx.services.recycle_bin.history()) == history_before


def test_adding_selects_the_new_school(
    page: SchoolsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SchoolDialog, "edit", lambda _p, draft, _v: dataclasses.replace(
        draft, name="阿拉善左旗第二中学"))

    page.add_button.click()

    assert len(names(page)) == 10
    selected = page.list.selected()
    assert selected is not None and selected.name == "阿拉善左旗第二中学"


def test_ctrl_n_adds(qtbot: Any, page: SchoolsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[School] = []
    monkeypatch.setattr(SchoolDialog, "edit", lambda _p, d, _v: opened.append(d))
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.list.table.setFocus()
    qtbot.waitUntil(page.list.table.hasFocus)

    qtbot.keySequence(page.list.table, QKeySequence(QKeySequence.StandardKey.New))

    assert opened == [School(id=None, name="")]


def test_delete_moves_to_the_recycle_bin_and_restore_brings_it_back(
    qtbot: Any, page: SchoolsPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_page = RecycleBinPage(demo_ctx)
    qtbot.addWidget(bin_page)
    assert bin_page.items() == []
    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(prompts, "confirm", confirm)
    school = select(page, LEFT)

    # WHEN Delete is pressed in the list and confirmed
    qtbot.keyClick(page.list.table, Qt.Key.Key_Delete)

    # THEN the school left the list and sits in the recycle bin
    assert len(asked) == 1 and LEFT in asked[0]
    assert LEFT not in names(page)
    assert [(i.entity, i.id, i.label) for i in bin_page.items()] == [
        ("school", school.id, LEFT)]

    # WHEN it is restored
    assert bin_page.list.select_id(("school", school.id))
    bin_page.restore_button.click()

    # THEN it is back
    assert LEFT in names(page)
    assert bin_page.items() == []


def test_delete_not_confirmed_keeps_the_school(
    page: SchoolsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *_a: False)
    select(page, CORE)
    page.delete_button.click()
    assert CORE in names(page)


def test_a_duplicate_name_from_elsewhere_is_explained(
    page: SchoolsPage, monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]
) -> None:
    # the dialog validated, but another window saved the same name meanwhile
    monkeypatch.setattr(SchoolDialog, "edit", lambda _p, draft, _v: dataclasses.replace(
        draft, name=CORE))
    page.add_button.click()
    assert len(names(page)) == 9
    assert [kind for kind, _title, _text in no_modal_prompts] == ["error"]


def test_keyboard_only_edit_and_delete_have_a_row(
    qtbot: Any, page: SchoolsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the page with nothing selected and the focus in the search box
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.list.focus_search()
    qtbot.waitUntil(page.list.search_box.hasFocus)
    assert not page.edit_button.isEnabled()

    # WHEN Tab moves into the list  THEN a row is selected and Edit works
    qtbot.keyClick(page.list.search_box, Qt.Key.Key_Tab)
    qtbot.waitUntil(page.list.table.hasFocus)
    first = page.list.selected()
    assert first is not None
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()

    # WHEN that school goes to the recycle bin  THEN its neighbour is selected
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    qtbot.keyClick(page.list.table, Qt.Key.Key_Delete)
    assert first.name not in names(page)
    assert page.list.selected() == page.list.rows()[0]
    assert page.delete_button.isEnabled()
