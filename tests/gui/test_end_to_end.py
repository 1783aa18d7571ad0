"""A principal starts with an empty database, creates a group, adds schools and sees them in
the member list and the history — driving the real window and its real dialogs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QWidget

from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.charter_page import CharterPage
from jituan_desktop.ui.pages.history_page import HistoryPage
from jituan_desktop.ui.pages.schools_page import SchoolsPage
from jituan_desktop.ui.shell import build_main_window
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

pytestmark = pytest.mark.gui


def when_dialog_opens(qtbot, fill: Callable[[ValidatedDialog], None]) -> None:  # type: ignore[no-untyped-def]
    """Fill the next modal dialog as a user would, then press OK."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ValidatedDialog):
            QTimer.singleShot(20, act)
            return
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.report.text()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def type_into(qtbot, dialog: QDialog, object_name_or_index: int, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = dialog.findChildren(QLineEdit)[object_name_or_index]
    edit.setFocus()
    edit.selectAll()
    edit.insert(text)  # keyClicks cannot type Chinese (QTest maps ASCII keys only)


def test_create_group_add_member_and_see_history(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    charter = window.show_page(CharterPage)
    assert isinstance(charter, CharterPage)
    assert not charter.tabs.isEnabled()  # no group yet

    # GIVEN two schools entered on the Schools page
    schools = window.show_page(SchoolsPage)
    for name in ("余姚市阳明小学", "余姚市梨洲小学"):
        when_dialog_opens(qtbot, lambda d, n=name: type_into(qtbot, d, 0, n))
        schools.add_school()  # type: ignore[attr-defined]
    names = sorted(s.name for s in ctx.services.schools.list())
    assert names == ["余姚市梨洲小学", "余姚市阳明小学"]

    # WHEN the principal creates a group on the charter page
    window.show_page(CharterPage)

    def fill_group(dialog: ValidatedDialog) -> None:
        type_into(qtbot, dialog, 0, "阳明教育共同体")
        profile = dialog.findChild(QComboBox)
        assert profile is not None
        profile.setCurrentIndex(profile.findData("yuyao_2020"))

    when_dialog_opens(qtbot, fill_group)
    charter.new_group()
    group = ctx.services.groups.list()[0]
    assert group.name == "阳明教育共同体" and group.profile_id == "yuyao_2020"
    assert window.group_box.currentText() == "阳明教育共同体"
    assert charter.name_label.text() == "阳明教育共同体"

    # AND adds the first school: it becomes the core school, labelled as Yuyao calls it
    def pick_school(name: str) -> Callable[[ValidatedDialog], None]:
        def fill(dialog: ValidatedDialog) -> None:
            combo = dialog.school  # type: ignore[attr-defined]
            combo.setCurrentIndex(combo.findText(name))
        return fill

    when_dialog_opens(qtbot, pick_school("余姚市阳明小学"))
    charter.add_member()
    when_dialog_opens(qtbot, pick_school("余姚市梨洲小学"))
    charter.add_member()

    # THEN both appear in the member list with their roles
    rows = charter.members.list.rows()
    assert [(m.school_name, m.role_label) for m in rows] == [
        ("余姚市阳明小学", "支援校"), ("余姚市梨洲小学", "受援校")]
    assert charter.members.list.model.rowCount() == 2

    # AND the history page shows who did it
    history = window.show_page(HistoryPage)
    history.refresh()  # type: ignore[attr-defined]
    summaries = [e.summary for e in ctx.services.recycle_bin.history()]
    assert any("阳明教育共同体" in s for s in summaries)
    assert any("余姚市梨洲小学" in s for s in summaries)
    assert all(e.actor for e in ctx.services.recycle_bin.history())
    shown: QWidget = history
    assert "余姚市梨洲小学" in " ".join(
        str(r.summary) for r in shown.list.rows())  # type: ignore[attr-defined]
