"""SettingsDialog: language, the name recorded in the history, fonts for printed documents."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from jituan_desktop.documents.fonts import FontFace, choose_fonts, missing_font_message
from jituan_desktop.i18n import _
from jituan_desktop.settings import Settings
from jituan_desktop.ui.dialogs.settings_dialog import MAX_ACTOR_NAME, SettingsDialog
from jituan_desktop.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def settings() -> Settings:
    return Settings(language="zh_CN", actor_name="", current_group_id=3,
                    recent_dirs={"import": "/tmp"})


@pytest.fixture
def dialog(qtbot: Any, settings: Settings) -> SettingsDialog:
    dlg = SettingsDialog(None, settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_shows_the_current_settings(dialog: SettingsDialog) -> None:
    assert dialog.language_box.currentData() == "zh_CN"
    assert dialog.language_box.currentText() == "简体中文"
    assert [dialog.language_box.itemText(i) for i in range(dialog.language_box.count())] == [
        "简体中文", "English"]
    note = dialog.findChild(QLabel, "restartNote")
    assert note is not None and note.isVisible()
    assert dialog.ok_button.isEnabled()


def test_ok_returns_changed_settings(
    qtbot: Any, dialog: SettingsDialog, settings: Settings
) -> None:
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("en"))
    qtbot.keyClicks(dialog.actor_edit, "  Wang Fang ")

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.accepted_draft == Settings(language="en", actor_name="Wang Fang",
                                             current_group_id=3,
                                             recent_dirs={"import": "/tmp"})
    assert settings.language == "zh_CN" and settings.actor_name == ""  # not modified


def test_too_long_a_name_disables_ok(qtbot: Any, dialog: SettingsDialog) -> None:
    qtbot.keyClicks(dialog.actor_edit, "x" * (MAX_ACTOR_NAME + 1))

    assert not dialog.ok_button.isEnabled()
    message = dialog.errors.message_label("actor_name")
    assert message.isVisible()
    assert message.text() == _("The name is too long (at most {n} characters).").format(
        n=MAX_ACTOR_NAME)

    dialog.actor_edit.backspace()
    assert dialog.ok_button.isEnabled()


def test_cancel_returns_nothing(dialog: SettingsDialog) -> None:
    dialog.language_box.setCurrentIndex(1)
    dialog.reject()
    assert dialog.accepted_draft is None


# ---- fonts for printed documents --------------------------------------------------------

BODY = FontFace("/fonts/simsun.ttc", 0, "SimSun", "SimSun")
TITLE = FontFace("/fonts/simhei.ttf", 0, "SimHei", "SimHei")


def open_with_fonts(qtbot: Any, settings: Settings, faces: list[FontFace],
                    runner: Any = None) -> SettingsDialog:
    dlg = SettingsDialog(None, settings, runner, find_fonts=lambda: list(faces))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_lists_the_usable_fonts_with_an_automatic_entry(
    qtbot: Any, settings: Settings
) -> None:
    dialog = open_with_fonts(qtbot, settings, [TITLE, BODY])

    for combo in (dialog.body_font_box, dialog.title_font_box):
        assert combo.isEnabled()
        assert [combo.itemData(i) for i in range(combo.count())] == ["", TITLE.key, BODY.key]
        assert combo.currentIndex() == 0
    # "Automatic" names the font it stands for: SimSun for the body, SimHei for titles
    assert dialog.body_font_box.itemText(0) == _("Automatic ({font})").format(font="SimSun")
    assert dialog.title_font_box.itemText(0) == _("Automatic ({font})").format(font="SimHei")
    assert dialog.body_font_box.itemText(2) == "SimSun  (simsun.ttc)"


def test_the_chosen_fonts_are_returned_and_used_by_the_next_pdf(
    qtbot: Any, settings: Settings
) -> None:
    dialog = open_with_fonts(qtbot, settings, [TITLE, BODY])
    dialog.body_font_box.setCurrentIndex(dialog.body_font_box.findData(TITLE.key))

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    result = dialog.accepted_draft
    assert result is not None
    assert (result.pdf_body_font, result.pdf_title_font) == (TITLE.key, "")
    # the agreement service picks the fonts from these keys for every PDF
    choice = choose_fonts(result.pdf_body_font, result.pdf_title_font, faces=[TITLE, BODY])
    assert (choice.body, choice.title) == (TITLE, TITLE)


def test_a_saved_font_is_selected_and_a_lost_one_is_explained(
    qtbot: Any, settings: Settings
) -> None:
    settings.pdf_body_font = BODY.key
    settings.pdf_title_font = "/fonts/gone.ttf#0"
    dialog = open_with_fonts(qtbot, settings, [TITLE, BODY])

    assert dialog.body_font_box.currentData() == BODY.key
    assert dialog.title_font_box.currentData() == ""
    message = dialog.findChild(QLabel, "fontMessage")
    assert message is not None
    assert "gone.ttf" in message.text()


def test_without_a_usable_font_the_message_says_what_to_install(
    qtbot: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    dialog = open_with_fonts(qtbot, settings, [])

    message = dialog.findChild(QLabel, "fontMessage")
    assert message is not None and message.isVisible()
    assert "fonts-wqy-zenhei" in message.text() and "fonts-arphic-uming" in message.text()
    assert not dialog.body_font_box.isEnabled() and not dialog.title_font_box.isEnabled()
    assert dialog.ok_button.isEnabled()  # the other settings can still be saved

    monkeypatch.setattr(sys, "platform", "win32")
    assert "SimSun" in missing_font_message() and "FangSong" in missing_font_message()


def test_the_font_search_runs_off_the_gui_thread(qtbot: Any, settings: Settings) -> None:
    # GIVEN a slow font search, run by the real task runner
    threads: list[bool] = []

    def slow_search() -> list[FontFace]:
        threads.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.2)
        return [BODY]

    runner = TaskRunner()
    dialog = SettingsDialog(None, settings, runner, find_fonts=slow_search)
    qtbot.addWidget(dialog)
    dialog.show()

    # THEN the dialog is usable at once, the fonts arrive later
    assert not dialog.body_font_box.isEnabled()
    qtbot.waitUntil(lambda: dialog.body_font_box.isEnabled(), timeout=5000)
    assert threads == [False]
    assert dialog.body_font_box.findData(BODY.key) == 1
    assert runner.shutdown()


def test_the_next_pdf_uses_the_fonts_chosen_in_the_settings(
    qtbot: Any, demo_ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfbase import pdfmetrics

    from jituan_desktop.documents.fonts import discover, register
    from jituan_desktop.ui.commands import AppCommands

    faces = discover()
    if len({f.path for f in faces}) < 2:
        pytest.skip("needs two CJK font files")
    body = faces[0]
    title = next(f for f in faces if f.path != body.path)
    window = QWidget()
    qtbot.addWidget(window)

    def choose(parent: Any, settings: Settings, runner: Any = None) -> Settings:
        dialog = SettingsDialog(parent, settings, runner, find_fonts=lambda: faces)
        qtbot.addWidget(dialog)
        dialog.body_font_box.setCurrentIndex(dialog.body_font_box.findData(body.key))
        dialog.title_font_box.setCurrentIndex(dialog.title_font_box.findData(title.key))
        return dialog.draft()

    monkeypatch.setattr(SettingsDialog, "edit", choose)
    AppCommands(demo_ctx, window).settings()

    assert (demo_ctx.settings.pdf_body_font, demo_ctx.settings.pdf_title_font) == (
        body.key, title.key)
    service = demo_ctx.services.agreements
    data = service.render_pdf(service.latest_for_group(demo_ctx.group_id)).data
    for face in (body, title):  # embedded as subsets "XXXXXX+PostScriptName"
        ps_name = pdfmetrics.getFont(register(face)).face.name
        assert b"+" + ps_name in data, ps_name
