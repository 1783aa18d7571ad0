"""MembershipDialog: where the focus starts, and the optional "last day in the group"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.schools import School
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.ui.dialogs.membership_dialog import MembershipDialog

pytestmark = pytest.mark.gui

SCHOOLS = [School(1, "余姚市阳明小学"), School(2, "余姚市梨洲小学")]
MEMBER = Membership(5, 1, 2, SchoolRole.MEMBER, dt.date(2020, 9, 1))


def make(qtbot: Any, draft: Membership, *, leaving: bool = False) -> MembershipDialog:
    dialog = MembershipDialog(None, draft, SCHOOLS, ("核心校", "成员校"),
                              lambda _draft: ValidationReport(), leaving=leaving)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_editing_starts_in_the_first_enabled_field(qtbot: Any) -> None:
    dialog = make(qtbot, MEMBER)
    assert not dialog.school.isEnabled()  # a membership keeps its school
    assert dialog.focusWidget() is dialog.role


def test_leaving_starts_in_the_reason(qtbot: Any) -> None:
    dialog = make(qtbot, MEMBER, leaving=True)
    assert dialog.focusWidget() is dialog.leave_reason
    assert dialog.left_on.value() == dt.date.today()


def test_a_last_day_can_be_taken_back(qtbot: Any) -> None:
    dialog = make(qtbot, MEMBER, leaving=True)
    dialog.left_on.check.click()
    assert dialog.draft().left_on is None
