"""Errors never vanish: an exception escaping a slot is logged to the data folder's log file and
shown; unknown errors of a menu command too; a settings file that cannot be written is said."""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from jituan_desktop import app
from jituan_desktop.i18n import _
from jituan_desktop.settings import Settings
from jituan_desktop.ui import prompts
from jituan_desktop.ui.commands import AppCommands
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


class Emitter(QObject):
    fired = Signal()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str | None]]:
    shown: list[tuple[str, str, str | None]] = []
    monkeypatch.setattr(prompts, "error", lambda _parent, title, text, details=None:
                        shown.append((title, text, details)))
    return shown


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = app.log_path(tmp_path / "data")
    handler = app.configure_file_logging(path)
    assert handler is not None
    root = logging.getLogger()
    level = root.level
    yield path
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_an_exception_in_a_slot_is_logged_and_shown(
    qtbot: Any, log_file: Path, errors: list[tuple[str, str, str | None]]
) -> None:
    # GIVEN the application's exception hook and a slot with a bug
    def buggy_slot() -> None:
        raise KeyError("missing_key_in_slot")

    emitter = Emitter()
    emitter.fired.connect(buggy_slot)
    previous = app.install_excepthook()
    try:
        # WHEN the slot runs (Qt calls sys.excepthook with what escaped it)
        emitter.fired.emit()
    finally:
        sys.excepthook = previous

    # THEN the user is told, with the log file's name, and the traceback behind Details
    [(title, text, details)] = errors
    assert title == _("Unexpected error")
    assert str(log_file) in text
    assert details is not None and "missing_key_in_slot" in details
    assert "buggy_slot" in details
    # AND the traceback is in the log file
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "missing_key_in_slot" in logged


def test_the_log_file_rotates(tmp_path: Path) -> None:
    path = app.log_path(tmp_path)
    handler = app.configure_file_logging(path)
    try:
        assert path == tmp_path / "logs" / "jituan.log"
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert handler.maxBytes == app.LOG_MAX_BYTES and handler.backupCount > 0
    finally:
        assert handler is not None
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_an_unknown_error_of_a_menu_command_is_reported(
    ctx: AppContext, window: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    errors: list[tuple[str, str, str | None]]
) -> None:
    # GIVEN an export that fails with a bug, not with a known error
    def broken_export(_path: Path) -> dict[str, int]:
        raise AttributeError("export_bug")

    monkeypatch.setattr(ctx.services.dataset, "export_json", broken_export)
    monkeypatch.setattr(prompts, "save_file", lambda *_a, **_k: tmp_path / "out.json")

    # WHEN the command runs  THEN the error is shown (not raised out of the slot and lost)
    AppCommands(ctx, window).export_json()

    [(title, _text, details)] = errors
    assert title == _("Unexpected error")
    assert details is not None and "export_bug" in details


def test_a_known_error_of_a_menu_command_keeps_its_own_message(
    ctx: AppContext, window: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    errors: list[tuple[str, str, str | None]]
) -> None:
    def full_disk(_path: Path) -> dict[str, int]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ctx.services.dataset, "export_json", full_disk)
    monkeypatch.setattr(prompts, "save_file", lambda *_a, **_k: tmp_path / "out.json")
    AppCommands(ctx, window).export_json()
    assert [title for title, _t, _d in errors] == [_("Export failed")]


# ---- settings ---------------------------------------------------------------------------


def choose_in_settings(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    monkeypatch.setattr(SettingsDialog, "edit", lambda _parent, settings, _runner=None:
                        dataclasses.replace(settings, **changes))


def test_a_language_that_cannot_be_saved_is_reported(
    ctx: AppContext, window: QWidget, monkeypatch: pytest.MonkeyPatch,
    no_modal_prompts: list[tuple[str, str, str]]
) -> None:
    # GIVEN a folder where the settings file should be
    settings_path = ctx.services.data.settings
    settings_path.mkdir(parents=True)
    choose_in_settings(monkeypatch, language="en")

    # WHEN the user picks another language
    AppCommands(ctx, window).settings()

    # THEN they are told that it was not saved, and why, in their language
    [(kind, title, text)] = no_modal_prompts
    assert (kind, title) == ("error", _("Settings not saved"))
    reason = _("A folder of the same name is in the way of the file {file}.").format(
        file=settings_path)
    assert text == _("The language could not be saved, so the program will start in the "
                     "previous language next time. {reason}").format(reason=reason)
    assert "Errno" not in text


def test_settings_that_cannot_be_saved_are_reported(
    ctx: AppContext, window: QWidget, monkeypatch: pytest.MonkeyPatch,
    no_modal_prompts: list[tuple[str, str, str]]
) -> None:
    def denied(_settings: Settings, path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Settings, "save", denied)
    choose_in_settings(monkeypatch, actor_name="李校长")

    AppCommands(ctx, window).settings()

    [(kind, title, text)] = no_modal_prompts
    assert (kind, title) == ("error", _("Settings not saved"))
    assert _("There is no permission to write {file}.").format(
        file=ctx.services.data.settings) in text
    assert ctx.services.db.actor == "李校长"  # still used until the program is closed


def test_saved_settings_only_mention_the_language(
    ctx: AppContext, window: QWidget, monkeypatch: pytest.MonkeyPatch,
    no_modal_prompts: list[tuple[str, str, str]]
) -> None:
    choose_in_settings(monkeypatch, language="en")
    AppCommands(ctx, window).settings()
    assert [(kind, title) for kind, title, _t in no_modal_prompts] == [("info", _("Language"))]
    assert Settings.load(ctx.services.data.settings).language == "en"
