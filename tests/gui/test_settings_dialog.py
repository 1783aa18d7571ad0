"""SettingsDialog: language and the name recorded in the history."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from jituan_desktop.i18n import _
from jituan_desktop.settings import Settings
from jituan_desktop.ui.dialogs.settings_dialog import MAX_ACTOR_NAME, SettingsDialog

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
