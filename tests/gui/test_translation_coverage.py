"""Walk the real window and dialogs in each language and look for text that escaped
translation: English words in the Chinese UI, Chinese characters in the English UI's chrome
(buttons, tabs, column headers, menus, form labels, placeholders). Data (school names and
the like) is Chinese in both languages and is not checked."""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from jituan_desktop import i18n, paths
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.shell import build_main_window

pytestmark = pytest.mark.gui

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED_IN_CHINESE = {"Ctrl", "Excel", "JSON", "ALX", "Delete", "Enter", "PDF"}
# Chinese examples of Chinese data, and domain terms given with their Chinese name on purpose
ALLOWED_IN_ENGLISH = {("form label", "Zone (片区, optional)")}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def chrome_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of interface text below ``root``."""
    for button in root.findChildren(QAbstractButton):
        if button.text():
            yield f"button {button.objectName()}", button.text()
        if button.toolTip():
            yield "tooltip", button.toolTip()
    for tabs in root.findChildren(QTabWidget):
        for i in range(tabs.count()):
            yield "tab", tabs.tabText(i)
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not hasattr(view, "horizontalHeader"):
            continue
        for column in range(model.columnCount()):
            yield "column header", str(model.headerData(column, Qt.Orientation.Horizontal))
    for edit in root.findChildren(QLineEdit):
        if edit.placeholderText():
            yield "placeholder", edit.placeholderText()
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.text():
                yield "form label", label.text()


def window_texts(window) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    yield "window title", window.windowTitle()
    for action in window.menuBar().actions():
        yield "menu", action.text()
        for sub in action.menu().actions():
            yield "menu item", sub.text()
    for row in range(window.nav.count()):
        yield "navigation", window.nav.item(row).text()
    yield from chrome_texts(window)


def open_dialogs(ctx: AppContext) -> Iterator[QWidget]:
    """Every editing dialog, filled with a demo record, shown without blocking."""
    from jituan_desktop.domain.charter import CharterSection, Leader, Membership, Plan
    from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
    from jituan_desktop.ui.dialogs.charter_item_dialogs import (
        LeaderDialog,
        PlanDialog,
        SectionDialog,
    )
    from jituan_desktop.ui.dialogs.group_dialog import GroupDialog
    from jituan_desktop.ui.dialogs.membership_dialog import MembershipDialog
    from jituan_desktop.ui.dialogs.school_dialog import SchoolDialog
    from jituan_desktop.ui.dialogs.semester_dialog import SemesterDialog
    from jituan_desktop.ui.dialogs.settings_dialog import SettingsDialog
    from jituan_desktop.ui.dialogs.teacher_dialog import TeacherDialog

    s = ctx.services
    group = s.groups.list()[0]
    schools = s.schools.list()
    teachers = s.teachers.list()
    yield GroupDialog(None, group, s.profiles, s.groups.validate_group)
    yield MembershipDialog(None, Membership(None, group.id, schools[0].id, SchoolRole.MEMBER,
                                            None), schools, ("核心校", "成员校"),
                           s.groups.validate_membership, leaving=True)
    yield LeaderDialog(None, Leader(None, group.id, LeaderRole.MEMBER, ""), teachers,
                       s.charter.validate_leader)
    yield SectionDialog(None, CharterSection(None, group.id, SectionKind.CUSTOM, ""),
                        s.charter.validate_section)
    yield PlanDialog(None, Plan(None, group.id, PlanKind.ANNUAL, 2026, ""), s.charter.validate_plan)
    yield SchoolDialog(None, schools[0], s.schools.validate)
    yield TeacherDialog(None, teachers[0], schools)
    yield SemesterDialog(None, s.calendar.semesters()[0], s.calendar.validate)
    yield SettingsDialog(None, ctx.settings)


def collect(qtbot, ctx: AppContext) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    found = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        found.extend(window_texts(window))
    for dialog in open_dialogs(ctx):
        qtbot.addWidget(dialog)
        dialog.show()
        found.append(("dialog title", dialog.windowTitle()))
        found.extend(chrome_texts(dialog))
    return found


def test_chinese_interface_has_no_english_left(qtbot, demo_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    translators = i18n.install_qt_translations(app)  # Qt's own buttons, as the app does
    user = getpass.getuser()  # the settings dialog's placeholder shows the computer's user name
    try:
        leftovers = {(where, text) for where, text in collect(qtbot, demo_ctx)
                     if set(ENGLISH_WORD.findall(text.replace(user, "")))
                     - ALLOWED_IN_CHINESE}
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    assert not leftovers, "\n".join(map(str, sorted(leftovers)))


def test_english_interface_has_no_chinese_chrome(qtbot, demo_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    i18n.install("en", paths.catalogs_dir())
    leftovers = {(where, text) for where, text in collect(qtbot, demo_ctx)
                 if CHINESE.search(text) and where not in ("dialog title", "placeholder")
                 and (where, text) not in ALLOWED_IN_ENGLISH}
    assert not leftovers, "\n".join(map(str, sorted(leftovers)))
