"""File dialogs start in the folder last used for the same purpose, remembered in settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from jituan_desktop.settings import Settings
from jituan_desktop.ui import prompts
from jituan_desktop.ui.commands import EXPORT_DIR, IMPORT_DIR, AppCommands
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.teachers_page import WORKBOOK_DIR, TeachersPage

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Chooser:
    """Stands in for a file dialog: records where it started, answers ``answer``."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.started_in: list[str] = []

    def __call__(self, *_args: object, directory: str = "", **_kwargs: object) -> Path | None:
        self.started_in.append(directory)
        return self.answer


def saved_dirs(ctx: AppContext) -> dict[str, str]:
    return Settings.load(ctx.services.data.settings).recent_dirs


def test_export_starts_where_the_last_export_went(
    ctx: AppContext, window: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN no export yet
    folder = tmp_path / "U盘"
    folder.mkdir()
    chooser = Chooser(folder / "jituan.json")
    monkeypatch.setattr(prompts, "save_file", chooser)

    # WHEN data is exported twice
    commands = AppCommands(ctx, window)
    commands.export_json()
    commands.export_json()

    # THEN the first dialog started in the default folder, the second where the first went,
    # and the folder is kept in the settings file
    assert chooser.started_in == ["", str(folder)]
    assert ctx.settings.recent_dirs[EXPORT_DIR] == str(folder)
    assert saved_dirs(ctx)[EXPORT_DIR] == str(folder)


def test_import_has_its_own_folder(
    ctx: AppContext, window: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.settings.recent_dirs[EXPORT_DIR] = str(tmp_path)
    source = tmp_path / "来自学校"
    source.mkdir()
    chooser = Chooser(source / "data.json")
    monkeypatch.setattr(prompts, "open_file", chooser)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: False)  # stop before importing

    AppCommands(ctx, window).import_json()
    AppCommands(ctx, window).import_json()

    assert chooser.started_in == ["", str(source)]
    assert saved_dirs(ctx) == {EXPORT_DIR: str(tmp_path), IMPORT_DIR: str(source)}


def test_a_folder_that_is_gone_is_not_offered(
    ctx: AppContext, window: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.settings.recent_dirs[IMPORT_DIR] = str(tmp_path / "拔掉的U盘")
    chooser = Chooser(None)
    monkeypatch.setattr(prompts, "open_file", chooser)
    AppCommands(ctx, window).import_json()
    assert chooser.started_in == [""]


def test_teacher_template_and_import_share_their_folder(
    qtbot: Any, demo_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = TeachersPage(demo_ctx)
    qtbot.addWidget(page)
    folder = tmp_path / "教师名单"
    folder.mkdir()

    # WHEN the template is saved into a folder
    save = Chooser(folder / "教师导入模板.xlsx")
    monkeypatch.setattr(prompts, "save_file", save)
    page.template_button.click()

    # THEN the import dialog starts there (the filled-in template is next to it)
    choose = Chooser(None)
    monkeypatch.setattr(prompts, "open_file", choose)
    page.import_button.click()
    assert save.started_in == [""]
    assert choose.started_in == [str(folder)]
    assert saved_dirs(demo_ctx)[WORKBOOK_DIR] == str(folder)


# ---- prompts pass the folder to Qt --------------------------------------------------------


def test_prompts_start_the_file_dialogs_in_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _parent, _title, start, _f: (
        calls.append(("open", start)) or ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _parent, _title, start, _f: (
        calls.append(("save", start)) or ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _parent, _title, start: (
        calls.append(("folder", start)) or ""))

    assert prompts.open_file(None, "t", "*.json", directory=str(tmp_path)) is None
    assert prompts.save_file(None, "t", "*.json", "a.json", directory=str(tmp_path)) is None
    assert prompts.save_file(None, "t", "*.json", "a.json") is None
    assert prompts.choose_directory(None, "t", directory=str(tmp_path)) is None

    assert calls == [("open", str(tmp_path)), ("save", str(tmp_path / "a.json")),
                     ("save", "a.json"), ("folder", str(tmp_path))]
