"""CharterPage: deleting a group (to the recycle bin, with its charter) and the school year a
new plan starts in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jituan_desktop.domain.charter import Group, Plan
from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.charter_item_dialogs import PlanDialog
from jituan_desktop.ui.pages import charter_page
from jituan_desktop.ui.pages.charter_page import CharterPage
from jituan_desktop.ui.pages.recycle_bin_page import RecycleBinPage

pytestmark = pytest.mark.gui

GROUP = "巴彦浩特贺兰山教育集团"


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> CharterPage:
    page = CharterPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def test_deleting_the_only_group_after_confirmation_leaves_the_empty_state(
    qtbot: Any, page: CharterPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_page = RecycleBinPage(demo_ctx)
    qtbot.addWidget(bin_page)
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _t, text: asked.append(text) or True)
    # the demo's second group (Huaiyuan, for the placements) goes first: this one is the only
    second = next(g for g in demo_ctx.services.groups.list() if g.name != GROUP)
    demo_ctx.services.recycle_bin.delete("group", second.id)
    group = page.group
    assert group is not None and page.delete_button.isEnabled()
    members = len(page.members.list.rows())

    # WHEN the user deletes the group and confirms
    page.delete_button.click()

    # THEN the question said where it goes and that its charter goes with it
    [question] = asked
    assert GROUP in question
    # AND the group is in the recycle bin; the page shows that there is no group
    assert demo_ctx.services.groups.list() == []
    assert demo_ctx.group_id is None
    assert page.name_label.text() == _("No group yet")
    assert not page.delete_button.isEnabled() and not page.tabs.isEnabled()
    newest = bin_page.items()[0]
    assert (newest.entity, newest.label) == ("group", GROUP)

    # WHEN it is restored from the recycle bin  THEN it is back with its member schools
    bin_page.restore(bin_page.list.rows()[0])
    demo_ctx.switch_group(group.id)
    assert page.name_label.text() == GROUP
    assert len(page.members.list.rows()) == members


def test_deleting_a_group_switches_to_another_one(
    page: CharterPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the demo's own second group, Huaiyuan, goes to the bin first)
    second = next(g for g in demo_ctx.services.groups.list() if g.name != GROUP)
    demo_ctx.services.recycle_bin.delete("group", second.id)
    other, _changes = demo_ctx.services.groups.save_group(
        Group(None, "第二教育集团", "yuyao_2020", "融合型"))
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    page.delete_group()
    assert demo_ctx.group_id == other.id
    assert page.name_label.text() == "第二教育集团"


def test_deleting_needs_a_confirmation(page: CharterPage, demo_ctx: AppContext,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *_a: False)
    page.delete_group()
    assert GROUP in [g.name for g in demo_ctx.services.groups.list()]
    assert page.name_label.text() == GROUP


@pytest.mark.parametrize(("day", "year"), [
    (dt.date(2026, 3, 1), 2025),  # spring: still the school year that began last September
    (dt.date(2026, 8, 31), 2025),
    (dt.date(2026, 9, 1), 2026),
    (dt.date(2026, 12, 1), 2026),
])
def test_a_new_plan_without_semesters_starts_in_the_current_school_year(
    qtbot: Any, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, day: dt.date, year: int
) -> None:
    # GIVEN a group and no semesters in the calendar
    group, _changes = ctx.services.groups.save_group(Group(None, "第二教育集团", "yuyao_2020",
                                                           "融合型"))
    ctx.group_id = group.id
    assert ctx.services.calendar.semesters() == []
    page = CharterPage(ctx)
    qtbot.addWidget(page)
    monkeypatch.setattr(charter_page, "today", lambda: day)
    drafts: list[Plan] = []
    monkeypatch.setattr(PlanDialog, "edit", lambda _p, draft, _v: drafts.append(draft))

    # WHEN a plan is added
    page.add_plan()

    # THEN it starts in the school year that contains today
    assert [d.start_year for d in drafts] == [year]
