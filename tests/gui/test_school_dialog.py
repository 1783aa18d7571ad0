"""SchoolDialog: typed input becomes a School; OK follows the service's validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from jituan_desktop.bootstrap import Services
from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.schools import School
from jituan_desktop.i18n import _
from jituan_desktop.ui.dialogs.school_dialog import SchoolDialog

pytestmark = pytest.mark.gui

VALID_CODE = "12152921460123456Q"  # the demo core school's code, check character correct


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method (QTest.keyClicks handles Latin-1 only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def dialog(qtbot: Any, services: Services) -> SchoolDialog:
    services.schools.save(School(None, "余姚市阳明小学"))
    dlg = SchoolDialog(None, School(id=None, name=""), services.schools.validate)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_empty_name_disables_ok_and_shows_the_message(qtbot: Any, dialog: SchoolDialog) -> None:
    # GIVEN a new form: OK disabled, no message yet
    message = dialog.errors.message_label("name")
    assert not dialog.ok_button.isEnabled()
    assert message.isHidden()

    # WHEN a name is typed and erased again
    qtbot.keyClicks(dialog.name_edit, "X")
    assert dialog.ok_button.isEnabled()
    dialog.name_edit.clear()

    # THEN OK is disabled and the inline message is shown
    assert not dialog.ok_button.isEnabled()
    assert message.isVisible()
    assert message.text() == dialog.report["name"]


def test_duplicate_name_disables_ok(qtbot: Any, dialog: SchoolDialog) -> None:
    type_chinese(dialog.name_edit, "余姚市阳明小学")

    assert not dialog.ok_button.isEnabled()
    assert "name" in dialog.report
    assert dialog.errors.message_label("name").isVisible()

    type_chinese(dialog.name_edit, "分校")
    assert dialog.ok_button.isEnabled()


def test_invalid_credit_code_and_small_rural_without_rural(
    qtbot: Any, dialog: SchoolDialog
) -> None:
    type_chinese(dialog.name_edit, "梨洲小学")
    qtbot.keyClicks(dialog.credit_code_edit, "121529214601234")
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("credit_code").isVisible()
    dialog.credit_code_edit.clear()
    qtbot.keyClicks(dialog.credit_code_edit, VALID_CODE.lower())
    assert dialog.ok_button.isEnabled()

    dialog.flag_boxes["is_small_rural"].click()
    assert dialog.flag_boxes["is_small_rural"].isChecked()
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("is_small_rural").isVisible()

    dialog.flag_boxes["is_rural"].click()
    assert dialog.ok_button.isEnabled()


def test_ok_returns_the_typed_school(qtbot: Any, dialog: SchoolDialog) -> None:
    type_chinese(dialog.name_edit, "余姚市梨洲小学")
    type_chinese(dialog.short_name_edit, "梨洲小学")
    qtbot.keyClicks(dialog.credit_code_edit, VALID_CODE.lower())
    type_chinese(dialog.address_edit, "余姚市梨洲街道1号")
    type_chinese(dialog.legal_representative_edit, "黄明")
    dialog.stage_box.setCurrentIndex(dialog.stage_box.findData(Stage.NINE_YEAR.value))
    dialog.flag_boxes["is_rural"].click()
    dialog.flag_boxes["is_weak"].click()
    qtbot.keyClicks(dialog.notes_edit, "2024 joined")

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.accepted_draft == School(
        id=None, name="余姚市梨洲小学", short_name="梨洲小学", credit_code=VALID_CODE,
        address="余姚市梨洲街道1号", legal_representative="黄明", stage=Stage.NINE_YEAR,
        is_rural=True, is_weak=True, notes="2024 joined")


def test_editing_keeps_id_and_fields(qtbot: Any, services: Services) -> None:
    saved, _changes = services.schools.save(School(
        None, "余姚市阳明小学", short_name="阳明", stage=Stage.JUNIOR, is_quality=True))
    dlg = SchoolDialog(None, dataclasses.replace(saved, teacher_count=7),
                       services.schools.validate)
    qtbot.addWidget(dlg)

    # its own name is not a duplicate
    assert dlg.ok_button.isEnabled()
    assert dlg.windowTitle() == _("Edit school")
    assert dlg.flag_boxes["is_quality"].isChecked()
    assert dlg.stage_box.currentData() == Stage.JUNIOR.value

    dlg.short_name_edit.clear()
    qtbot.keyClicks(dlg.short_name_edit, "YM")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    assert dlg.accepted_draft == dataclasses.replace(saved, short_name="YM", teacher_count=7)


def test_cancel_returns_nothing(qtbot: Any, dialog: SchoolDialog) -> None:
    type_chinese(dialog.name_edit, "新学校")
    dialog.reject()
    assert dialog.accepted_draft is None
