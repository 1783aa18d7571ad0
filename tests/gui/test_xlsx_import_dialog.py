"""The generic xlsx import dialog, driven by the research import: preview with per-row
errors, Import only for a clean workbook, the template, all-or-nothing commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jituan_desktop.i18n import _
from jituan_desktop.services.demo import GROUP_NAME
from jituan_desktop.services.research_import import (
    ATTENDANCE_HEADERS,
    SESSION_HEADERS,
    ResearchImport,
)
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.xlsx_import_dialog import XlsxImportDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def group_id(demo_ctx: AppContext) -> int:
    [group] = [g for g in demo_ctx.services.groups.list() if g.name == GROUP_NAME]
    demo_ctx.group_id = group.id
    return group.id


def workbook(path: Path, sessions: list[list[Any]], attendance: list[list[Any]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, spec, rows in (("教研活动", SESSION_HEADERS, sessions),
                              ("考勤", ATTENDANCE_HEADERS, attendance)):
        sheet = book.create_sheet(title)
        sheet.append([names[0] for names in spec.values()])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def make_dialog(qtbot: Any, ctx: AppContext, group_id: int) -> XlsxImportDialog:
    dialog = XlsxImportDialog(None, ctx, ResearchImport(ctx.services.research, group_id),
                              "research_workbooks")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def a_teacher(ctx: AppContext) -> tuple[str, str]:
    teacher = next(t for t in ctx.services.teachers.list()
                   if t.school_name.endswith("第一实验小学"))
    return teacher.name, teacher.school_name


def test_errors_are_shown_per_row_and_import_stays_disabled(
        qtbot: Any, demo_ctx: AppContext, group_id: int, tmp_path: Path) -> None:
    path = workbook(tmp_path / "bad.xlsx", [
        [1, "2026-11-02", "16:00", "15:00", "语文", "小学", "集体备课", "一实小", "", "", "",
         "", ""]],
        [[1, "不存在的老师", "一实小", "", "", ""]])
    dialog = make_dialog(qtbot, demo_ctx, group_id)
    assert not dialog.import_button.isEnabled()
    dialog.load(path)
    assert dialog.tabs.count() == 2
    assert not dialog.import_button.isEnabled()
    assert "2" in dialog.summary_label.text()  # two rows with errors
    # the first row with errors is selected and its messages are shown in full
    assert dialog.row_errors_label.isVisible()
    assert dialog.row_errors_label.text().startswith(
        _("Row {line}: {errors}").format(line=2, errors=""))
    dialog.only_errors_check.setChecked(True)
    dialog.accept()  # Enter does not import an invalid preview
    assert dialog.imported is None


def test_a_clean_workbook_is_imported_and_the_page_data_changes(
        qtbot: Any, demo_ctx: AppContext, group_id: int, tmp_path: Path,
        no_modal_prompts: list[Any]) -> None:
    name, school = a_teacher(demo_ctx)
    before = len(demo_ctx.services.research.list(group_id))
    path = workbook(tmp_path / "good.xlsx", [
        [1, "2026-11-02", "14:00", "15:30", "音乐", "小学", "教学观摩", "一实小", "五小", "线下",
         "合唱教学", name, "纪要"]], [[1, name, school, "", "出席", ""]])
    dialog = make_dialog(qtbot, demo_ctx, group_id)
    published: list[Any] = []
    demo_ctx.bus.changed.connect(published.append)
    dialog.load(path)
    assert dialog.import_button.isEnabled()
    dialog.accept()
    assert dialog.imported == 1
    assert len(demo_ctx.services.research.list(group_id)) == before + 1
    assert published and published[-1].touches("research_session")
    assert no_modal_prompts[-1][0] == "info"


def test_a_file_that_is_not_a_workbook_is_explained(
        qtbot: Any, demo_ctx: AppContext, group_id: int, tmp_path: Path) -> None:
    bad = tmp_path / "minutes.xlsx"
    bad.write_text("hello")
    dialog = make_dialog(qtbot, demo_ctx, group_id)
    dialog.load(bad)
    assert dialog.problems_label.isVisible() and "minutes.xlsx" in dialog.problems_label.text()
    assert not dialog.import_button.isEnabled()


def test_the_template_can_be_saved_from_the_dialog(
        qtbot: Any, demo_ctx: AppContext, group_id: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "模板"
    monkeypatch.setattr(prompts, "save_file", lambda *args, **kwargs: target)
    dialog = make_dialog(qtbot, demo_ctx, group_id)
    dialog.save_template()
    book = load_workbook(tmp_path / "模板.xlsx")
    assert book.sheetnames[:2] == ["教研活动", "考勤"]


def test_choose_file_reads_the_chosen_workbook(
        qtbot: Any, demo_ctx: AppContext, group_id: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "x.xlsx", [], [])
    monkeypatch.setattr(prompts, "open_file", lambda *args, **kwargs: path)
    dialog = make_dialog(qtbot, demo_ctx, group_id)
    dialog.choose_file()
    assert dialog.path_edit.text() == str(path)
    assert dialog.preview is not None and not dialog.preview.ok
