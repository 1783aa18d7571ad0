"""TeacherDialog: typed input becomes a Teacher; OK follows validate_teacher."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.ui.dialogs.teacher_dialog import TeacherDialog

pytestmark = pytest.mark.gui

SCHOOLS = [School(1, "余姚市阳明小学", short_name="阳明"), School(2, "余姚市梨洲小学")]


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method (QTest.keyClicks handles Latin-1 only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def make_dialog(qtbot: Any, draft: Teacher) -> TeacherDialog:
    dialog = TeacherDialog(None, draft, SCHOOLS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot: Any) -> TeacherDialog:
    return make_dialog(qtbot, Teacher(id=None, school_id=None, name=""))


def test_name_and_school_are_required(qtbot: Any, dialog: TeacherDialog) -> None:
    assert not dialog.ok_button.isEnabled()
    assert dialog.school_box.currentData() is None

    qtbot.keyClicks(dialog.name_edit, "Li")
    dialog.name_edit.clear()
    assert dialog.errors.message_label("name").isVisible()
    type_chinese(dialog.name_edit, "李晓燕")
    assert not dialog.ok_button.isEnabled()  # still no school

    dialog.school_box.setCurrentIndex(dialog.school_box.findData(2))
    assert dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("name").isHidden()


def test_future_hiring_date_disables_ok(qtbot: Any) -> None:
    dialog = make_dialog(qtbot, Teacher(None, 1, "王芳"))
    assert dialog.ok_button.isEnabled()
    assert not dialog.hired_on.date_edit.isEnabled()
    assert dialog.hired_on.value() is None

    dialog.hired_on.check.click()
    assert dialog.hired_on.date_edit.isEnabled()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    dialog.hired_on.date_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))

    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("hired_on").isVisible()

    dialog.hired_on.check.click()  # "not set" again
    assert dialog.ok_button.isEnabled()


def test_ok_returns_the_typed_teacher(qtbot: Any, dialog: TeacherDialog) -> None:
    dialog.school_box.setCurrentIndex(dialog.school_box.findData(1))
    type_chinese(dialog.name_edit, "张海燕")
    dialog.gender_box.setCurrentIndex(dialog.gender_box.findData("女"))
    qtbot.keyClicks(dialog.staff_no_edit, "01007")
    type_chinese(dialog.subjects_edit, "语文，数学、语文")
    dialog.title_box.setCurrentIndex(dialog.title_box.findData(TeacherTitle.FIRST.value))
    dialog.cadre_rank_box.setCurrentIndex(
        dialog.cadre_rank_box.findData(CadreRank.MIDDLE_DEPUTY.value))
    type_chinese(dialog.position_edit, "教导处副主任")
    assert not dialog.backbone_level_edit.isEnabled()
    dialog.backbone_check.click()
    type_chinese(dialog.backbone_level_edit, "盟级")
    dialog.rotation_check.click()
    dialog.hired_on.check.click()
    dialog.hired_on.date_edit.setDate(QDate(2015, 9, 1))
    qtbot.keyClicks(dialog.notes_edit, "ok")

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.accepted_draft == Teacher(
        id=None, school_id=1, name="张海燕", gender="女", staff_no="01007",
        subjects=("语文", "数学"), title=TeacherTitle.FIRST,
        cadre_rank=CadreRank.MIDDLE_DEPUTY, position="教导处副主任", is_backbone=True,
        backbone_level="盟级", rotation_eligible=True, hired_on=dt.date(2015, 9, 1),
        notes="ok")
    assert dialog.accepted_draft is not None
    assert dialog.accepted_draft.school_name == "余姚市阳明小学"


def test_editing_keeps_id_and_clears_the_level_of_a_non_backbone(qtbot: Any) -> None:
    teacher = Teacher(7, 2, "赵国庆", gender="男", subjects=("体育",), is_backbone=True,
                      backbone_level="旗级", hired_on=dt.date(2001, 9, 1),
                      school_name="余姚市梨洲小学")
    dialog = make_dialog(qtbot, teacher)
    assert dialog.ok_button.isEnabled()
    assert dialog.school_box.currentData() == 2
    assert dialog.subjects_edit.text() == "体育"
    assert dialog.hired_on.check.isChecked()
    assert dialog.hired_on.value() == dt.date(2001, 9, 1)

    dialog.backbone_check.click()
    dialog.hired_on.check.click()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.accepted_draft == dataclasses.replace(
        teacher, is_backbone=False, backbone_level="", hired_on=None)
    assert dialog.accepted_draft is not None and dialog.accepted_draft.id == 7


def test_a_school_missing_from_the_list_is_kept(qtbot: Any) -> None:
    teacher = Teacher(3, 99, "钱伟", school_name="已撤并小学")
    dialog = make_dialog(qtbot, teacher)
    assert dialog.school_box.currentData() == 99
    assert dialog.school_box.currentText() == "已撤并小学"
    assert dialog.ok_button.isEnabled()
