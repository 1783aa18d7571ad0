"""The main window as a principal first sees it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from jituan_desktop import i18n
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.charter_page import CharterPage
from jituan_desktop.ui.shell import PAGES, build_main_window

pytestmark = pytest.mark.gui


def test_demo_window_opens_on_the_charter_of_the_demo_group(qtbot, demo_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.nav.count() == len(PAGES)
    assert [window.nav.item(i).text() for i in range(window.nav.count())][:3] == [
        "章程", "学校", "教师"]
    assert "演示数据" in window.windowTitle()
    charter = window.pages[0]
    assert isinstance(charter, CharterPage) and window.stack.currentWidget() is charter
    assert charter.name_label.text() == "巴彦浩特贺兰山教育集团"
    assert charter.members.list.model.rowCount() == 5
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "设置(&S)", "帮助(&H)"]


def test_switching_the_group_updates_the_charter_page(qtbot, demo_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from jituan_desktop.domain.charter import Group

    other, _changes = demo_ctx.services.groups.save_group(
        Group(None, "第二教育集团", "yuyao_2020", "融合型"))
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    demo_ctx.publish(_changes)
    assert window.group_box.count() == 3  # the two demo groups (Alxa, Huaiyuan) and this one
    window.group_box.setCurrentIndex(window.group_box.findData(other.id))
    charter = window.pages[0]
    assert charter.name_label.text() == "第二教育集团"
    assert charter.members.list.model.rowCount() == 0
    assert demo_ctx.settings.current_demo_group_id == other.id


def test_qt_standard_buttons_are_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    translators = i18n.install_qt_translations(app)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_smoke_test_option_starts_and_exits_cleanly(tmp_path: Path) -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "jituan_desktop", "--demo", "--data-dir", str(tmp_path),
         "--smoke-test"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "jituan-demo.db").exists()
    assert not (tmp_path / "jituan.db").exists()  # the demo never touches the real database
    log = (tmp_path / "logs" / "jituan.log").read_text(encoding="utf-8")  # logs from the start
    assert "starting" in log


def test_a_second_copy_on_the_same_data_folder_is_refused(tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    from jituan_desktop.paths import DataPaths

    data = DataPaths(tmp_path)
    data.database.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data.lock))
    assert lock.tryLock(0)
    try:
        env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run(
            [sys.executable, "-m", "jituan_desktop", "--data-dir", str(tmp_path),
             "--smoke-test"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        lock.unlock()
    assert result.returncode == 1
    assert str(tmp_path) in result.stderr  # the message names the data folder


def test_a_new_group_becomes_current_in_the_switcher(qtbot, demo_ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from jituan_desktop.ui.dialogs.group_dialog import GroupDialog

    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    monkeypatch.setattr(GroupDialog, "edit", classmethod(
        lambda cls, parent, draft, profiles, validate: dataclasses.replace(
            draft, name="新建的教育集团", profile_id="yuyao_2020", model_label="共建型")))
    window.pages[0].new_group()
    assert window.group_box.currentText() == "新建的教育集团"
    assert window.pages[0].name_label.text() == "新建的教育集团"
    # choosing the old group again switches back
    window.group_box.setCurrentIndex(window.group_box.findText("巴彦浩特贺兰山教育集团"))
    assert window.pages[0].name_label.text() == "巴彦浩特贺兰山教育集团"
