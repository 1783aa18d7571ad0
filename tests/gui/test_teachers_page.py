"""TeachersPage over the demo group: school filter, add, delete, xlsx import and template."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.i18n import _, format_number
from jituan_desktop.services.teacher_import import HEADERS, ImportPreview
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.teacher_dialog import TeacherDialog
from jituan_desktop.ui.dialogs.teacher_import_dialog import TeacherImportDialog
from jituan_desktop.ui.pages.recycle_bin_page import RecycleBinPage
from jituan_desktop.ui.pages.teachers_page import TeachersPage

pytestmark = pytest.mark.gui

CORE = "阿拉善左旗巴彦浩特第一实验小学"


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> TeachersPage:
    page = TeachersPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def school_id(ctx: AppContext, name: str) -> int:
    found = next(s.id for s in ctx.services.schools.list() if s.name == name)
    assert found is not None
    return found


def shown(page: TeachersPage) -> int:
    return page.list.proxy.rowCount() if page.list.proxy.is_filtering() else \
        page.list.model.total_rows


def count_text(n: int) -> str:
    return _("{n} records").format(n=format_number(n))


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_filters_by_school(page: TeachersPage, demo_ctx: AppContext) -> None:
    # GIVEN all schools: every teacher
    assert page.school_box.currentData() is None
    assert page.school_box.count() == 1 + 9  # the Alxa demo's 5 and the Huaiyuan demo's 4
    assert shown(page) == 160
    assert page.list.count_label.text() == count_text(160)

    # WHEN one school is chosen
    core = school_id(demo_ctx, CORE)
    page.select_school(core)

    # THEN only its teachers are shown, and counted
    assert page.selected_school_id() == core
    assert shown(page) == 45
    assert page.list.count_label.text() == count_text(45)
    visible = [page.list.model.row_at(page.list.proxy.mapToSource(
        page.list.proxy.index(r, 0)).row()) for r in range(page.list.proxy.rowCount())]
    assert {t.school_name for t in visible} == {CORE}

    # AND the school that left has none
    page.select_school(school_id(demo_ctx, "阿拉善左旗宗别立镇小学"))
    assert shown(page) == 0

    page.school_box.setCurrentIndex(0)
    assert shown(page) == 160


def test_adding_uses_the_chosen_school_and_keeps_the_filter(
    page: TeachersPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = school_id(demo_ctx, CORE)
    page.select_school(core)
    drafts: list[Teacher] = []

    def fake_edit(_parent: Any, draft: Teacher, schools: list[School]) -> Teacher:
        drafts.append(draft)
        assert len(schools) == 9
        return dataclasses.replace(draft, name="新老师", subjects=("数学",))

    monkeypatch.setattr(TeacherDialog, "edit", fake_edit)

    page.add_button.click()

    assert drafts[0].school_id == core and drafts[0].id is None
    assert shown(page) == 46
    selected = page.list.selected()
    assert selected is not None and selected.name == "新老师"
    assert selected.school_name == CORE


def test_editing_by_double_click(
    qtbot: Any, page: TeachersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = page.list.rows()[0]
    monkeypatch.setattr(TeacherDialog, "edit", lambda _p, draft, _s: dataclasses.replace(
        draft, position="年级组长"))
    page.show()
    qtbot.waitExposed(page)
    rect = page.list.table.visualRect(page.list.proxy.index(0, 0))
    viewport = page.list.table.viewport()

    # a real double click starts with a press (QTest's mouseDClick sends only the second)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())

    edited = next(t for t in page.list.rows() if t.id == teacher.id)
    assert edited.position == "年级组长"


def test_delete_moves_the_teacher_to_the_recycle_bin(
    qtbot: Any, page: TeachersPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_page = RecycleBinPage(demo_ctx)
    qtbot.addWidget(bin_page)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    teacher = page.list.rows()[3]
    page.list.select_id(teacher.id)

    qtbot.keyClick(page.list.table, Qt.Key.Key_Delete)

    assert shown(page) == 159
    assert [(i.entity, i.id) for i in bin_page.items()] == [("teacher", teacher.id)]


def test_import_with_an_error_row_keeps_import_disabled(
    qtbot: Any, page: TeachersPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    no_modal_prompts: list[Any]
) -> None:
    path = write_xlsx(tmp_path / "教师.xlsx", [
        ["姓名", "学校", "学科"], ["新教师甲", "一实小", "语文"],
        ["新教师乙", "不存在的学校", "数学"]])
    monkeypatch.setattr(prompts, "open_file", lambda _p, _t, name_filter, directory="": path)
    reviewed: list[TeacherImportDialog] = []

    def review(parent: Any, preview: ImportPreview) -> bool:
        dialog = TeacherImportDialog(parent, preview)
        qtbot.addWidget(dialog)
        reviewed.append(dialog)
        return dialog.import_button.isEnabled()

    monkeypatch.setattr(TeacherImportDialog, "review", review)

    page.import_button.click()

    assert len(reviewed) == 1
    assert not reviewed[0].import_button.isEnabled()
    assert not reviewed[0].preview.ok
    assert shown(page) == 160
    assert no_modal_prompts == []


def test_a_clean_import_adds_the_teachers(
    page: TeachersPage, demo_ctx: AppContext, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]
) -> None:
    path = write_xlsx(tmp_path / "教师.xlsx", [
        ["姓名", "学校", "学科", "骨干教师"], ["新教师甲", "一实小", "语文", "是"],
        ["新教师乙", "五小", "数学、科学", "否"]])
    monkeypatch.setattr(prompts, "open_file", lambda *_a, **_k: path)
    monkeypatch.setattr(TeacherImportDialog, "review", lambda _p, preview: preview.ok)

    page.import_button.click()

    assert shown(page) == 162
    assert no_modal_prompts == [("info", _("Import finished"),
                                 _("{n} teachers were added.").format(n=format_number(2)))]
    [entry] = demo_ctx.services.recycle_bin.history(entity="teacher", limit=1)
    assert entry.action == "import" and "教师.xlsx" in entry.summary


def test_cancelled_file_choice_does_nothing(
    page: TeachersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "open_file", lambda *_a, **_k: None)
    monkeypatch.setattr(TeacherImportDialog, "review",
                        lambda *_a: pytest.fail("no preview expected"))
    page.import_button.click()


def test_template_is_saved_with_the_chinese_headers(
    page: TeachersPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    no_modal_prompts: list[Any]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(prompts, "save_file", lambda *_a, **_k: out / "教师模板")

    page.template_button.click()

    target = out / "教师模板.xlsx"
    sheet = load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]] == [names[0] for names in HEADERS.values()]
    assert [kind for kind, _t, _x in no_modal_prompts] == ["info"]
    assert list(out.iterdir()) == [target]  # no temporary file left behind


def test_the_list_loads_in_the_background_with_the_real_runner(qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    from jituan_desktop.settings import Settings
    from jituan_desktop.ui.context import AppContext
    from jituan_desktop.ui.tasks import TaskRunner

    runner = TaskRunner()
    ctx = AppContext(demo_services, Settings(), runner, None)
    page = TeachersPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.list.model.total_rows == 160, timeout=10_000)
    runner.shutdown()


@pytest.fixture
def threaded_page(qtbot: Any, demo_services: Any) -> Any:
    """A TeachersPage whose list loads on the thread pool, as in the app."""
    from jituan_desktop.settings import Settings
    from jituan_desktop.ui.tasks import TaskRunner

    runner = TaskRunner()
    ctx = AppContext(demo_services, Settings(), runner, None)
    page = TeachersPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.list.model.total_rows == 160, timeout=10_000)
    yield page
    runner.shutdown()
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_an_added_teacher_is_selected_once_the_background_load_finished(
    qtbot: Any, threaded_page: TeachersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = threaded_page
    monkeypatch.setattr(TeacherDialog, "edit", lambda _p, draft, _s: dataclasses.replace(
        draft, school_id=page._schools[0].id, name="新老师"))

    # WHEN a teacher is added (the list reloads in the background after the write)
    page.add_button.click()

    # THEN the new teacher is selected as soon as the reloaded list arrives
    qtbot.waitUntil(lambda: page.list.model.total_rows == 161, timeout=10_000)
    selected = page.list.selected()
    assert selected is not None and selected.name == "新老师"
    assert page.edit_button.isEnabled()


def test_an_edited_teacher_that_moved_school_stays_selected(
    qtbot: Any, threaded_page: TeachersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = threaded_page
    core = next(s.id for s in page._schools if s.name == CORE)
    page.select_school(core)
    teacher = next(t for t in page.list.rows() if t.school_id == core)
    other = next(s.id for s in page._schools if s.id != core)
    monkeypatch.setattr(TeacherDialog, "edit", lambda _p, draft, _s: dataclasses.replace(
        draft, school_id=other))

    page.edit_teacher(teacher)

    qtbot.waitUntil(lambda: (page.list.selected() or teacher).school_id == other,
                    timeout=10_000)
    assert page.selected_school_id() == other
    assert page.list.selected().id == teacher.id  # type: ignore[union-attr]


def test_the_import_is_written_off_the_gui_thread(
    qtbot: Any, threaded_page: TeachersPage, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]
) -> None:
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    page = threaded_page
    path = write_xlsx(tmp_path / "教师.xlsx", [
        ["姓名", "学校", "学科"], ["新教师甲", "一实小", "语文"], ["新教师乙", "五小", "数学"]])
    monkeypatch.setattr(prompts, "open_file", lambda *_a, **_k: path)
    monkeypatch.setattr(TeacherImportDialog, "review", lambda _p, preview: preview.ok)
    service = page.ctx.services.teacher_import
    commit = service.commit
    threads: list[bool] = []

    def recording_commit(preview: ImportPreview, progress: Any = None) -> Any:
        threads.append(QThread.currentThread() is QApplication.instance().thread())
        return commit(preview, progress)

    monkeypatch.setattr(service, "commit", recording_commit)

    page.import_button.click()

    qtbot.waitUntil(lambda: bool(no_modal_prompts), timeout=10_000)
    assert threads == [False]  # the commit ran on the pool, not on the GUI thread
    assert no_modal_prompts == [("info", _("Import finished"),
                                 _("{n} teachers were added.").format(n=format_number(2)))]
    qtbot.waitUntil(lambda: page.list.model.total_rows == 162, timeout=10_000)


def test_an_import_refused_at_commit_time_is_explained(
    page: TeachersPage, demo_ctx: AppContext, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]
) -> None:
    # GIVEN a clean preview, and a teacher of the sheet added before Import is pressed
    path = write_xlsx(tmp_path / "教师.xlsx", [["姓名", "学校"], ["新教师甲", "一实小"]])
    monkeypatch.setattr(prompts, "open_file", lambda *_a, **_k: path)

    def review(_parent: Any, preview: ImportPreview) -> bool:
        demo_ctx.services.teachers.save(Teacher(None, school_id(demo_ctx, CORE), "新教师甲"))
        return preview.ok

    monkeypatch.setattr(TeacherImportDialog, "review", review)

    page.import_button.click()

    # THEN nothing more was added and the user is told why
    assert [(kind, title) for kind, title, _t in no_modal_prompts] == [
        ("error", _("Nothing was imported"))]
    assert sum(t.name == "新教师甲" for t in demo_ctx.services.teachers.list()) == 1


def test_a_cancelled_import_says_that_nobody_was_added(
    page: TeachersPage, demo_ctx: AppContext, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]
) -> None:
    from jituan_desktop.ui.tasks import Cancelled

    path = write_xlsx(tmp_path / "教师.xlsx", [["姓名", "学校"], ["新教师甲", "一实小"]])
    monkeypatch.setattr(prompts, "open_file", lambda *_a, **_k: path)
    monkeypatch.setattr(TeacherImportDialog, "review", lambda _p, preview: preview.ok)

    def cancelled(_preview: ImportPreview, _progress: Any = None) -> Any:
        raise Cancelled  # what progress.check() raises after Cancel

    monkeypatch.setattr(demo_ctx.services.teacher_import, "commit", cancelled)

    page.import_button.click()

    assert no_modal_prompts == [("info", _("Import cancelled"), _(
        "The import was cancelled; no teacher was added."))]
    assert shown(page) == 160
