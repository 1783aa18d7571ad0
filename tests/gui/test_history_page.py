"""HistoryPage: the audit log, refreshed after any change, with readable details."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from jituan_desktop.domain.enums import CadreRank, PlanKind, Stage, TeacherTitle
from jituan_desktop.i18n import _, format_date, format_datetime
from jituan_desktop.services.recycle_bin import ACTION_LABELS, HistoryEntry
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.history_page import HistoryPage, details_text

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> HistoryPage:
    page = HistoryPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def change_a_school(ctx: AppContext) -> int:
    school = next(s for s in ctx.services.schools.list() if s.short_name == "五小")
    saved = ctx.write(None, lambda: ctx.services.schools.save(dataclasses.replace(
        school, short_name="第五小学", stage=Stage.NINE_YEAR)))
    assert saved is not None and saved.id is not None
    return saved.id


def test_lists_the_demo_history_newest_first(page: HistoryPage, demo_ctx: AppContext) -> None:
    entries = page.list.rows()
    assert len(entries) == len(demo_ctx.services.recycle_bin.history())
    assert entries == sorted(entries, key=lambda e: e.id, reverse=True)
    newest = entries[0]
    model = page.list.model
    assert model.display_text(0, 0) == format_datetime(newest.at)
    assert model.display_text(0, 1) == newest.actor
    assert model.display_text(0, 2) == _(ACTION_LABELS[newest.action])
    assert model.display_text(0, 3) == newest.kind_label
    assert model.display_text(0, 4) == newest.summary


def test_any_change_adds_a_row_and_its_details_read_old_to_new(
    page: HistoryPage, demo_ctx: AppContext
) -> None:
    before = len(page.list.rows())

    school_id = change_a_school(demo_ctx)

    assert len(page.list.rows()) == before + 1
    newest = page.list.rows()[0]
    assert (newest.entity, newest.entity_id, newest.action) == ("school", school_id, "update")
    assert page.list.select_id(newest.id)
    text = page.details.toPlainText()
    assert newest.summary in text
    assert f"{_('Short name')}: 五小 → 第五小学" in text
    assert f"{_('Stage')}: {Stage.PRIMARY.label()} → {Stage.NINE_YEAR.label()}" in text

    # a semester's dates are shown as dates
    semester = demo_ctx.services.calendar.semesters()[-1]
    demo_ctx.write(None, lambda: demo_ctx.services.calendar.save(dataclasses.replace(
        semester, starts_on=dt.date(2025, 8, 25))))
    assert page.list.select_id(page.list.rows()[0].id)
    assert (f"{_('Starts on')}: {format_date(dt.date(2025, 9, 1))} → "
            f"{format_date(dt.date(2025, 8, 25))}") in page.details.toPlainText()


def test_only_the_current_group(page: HistoryPage, demo_ctx: AppContext) -> None:
    change_a_school(demo_ctx)  # schools belong to no group
    everything = len(page.list.rows())
    assert page.group_check.isEnabled()

    page.group_check.setChecked(True)

    rows = page.list.rows()
    assert 0 < len(rows) < everything
    assert {e.group_id for e in rows} == {demo_ctx.group_id}

    page.group_check.setChecked(False)
    assert len(page.list.rows()) == everything


def test_no_group_disables_the_group_filter(qtbot: Any, ctx: AppContext) -> None:
    page = HistoryPage(ctx)
    qtbot.addWidget(page)
    assert not page.group_check.isEnabled()
    assert page.list.rows() == []
    assert page.details.toPlainText() == ""


def test_details_of_an_addition() -> None:
    entry = HistoryEntry(1, dt.datetime(2025, 3, 1, 8, 0), "王芳", "create", "teacher", 5, None,
                         "Added", {"name": "李晓燕", "subjects": ["语文", "数学"],
                                   "is_backbone": True, "hired_on": None})
    assert details_text(entry).splitlines() == [
        f"{_('Name')}: 李晓燕", f"{_('Subjects')}: 语文、数学", f"{_('Backbone')}: {_('yes')}",
        f"{_('Hired on')}: —"]


def test_teacher_details_use_teacher_words_and_school_names() -> None:
    entry = HistoryEntry(2, dt.datetime(2025, 3, 1, 8, 0), "王芳", "update", "teacher", 5, None,
                         "Changed", {"title": ["first", "senior"], "school_id": [1, 2],
                                     "cadre_rank": ["none", "middle"]})
    lines = details_text(entry, {1: "阳明小学", 2: "梨洲小学"}).splitlines()
    assert lines == [
        f"{_('Professional title')}: {TeacherTitle.FIRST.label()} → "
        f"{TeacherTitle.SENIOR.label()}",
        f"{_('School')}: 阳明小学 → 梨洲小学",
        f"{_('Cadre rank')}: {CadreRank.NONE.label()} → {CadreRank.MIDDLE.label()}",
    ]
    # a plan's title is its heading, shown as stored
    plan = dataclasses.replace(entry, entity="plan", details={"title": ["旧", "first"]})
    assert details_text(plan) == f"{_('Title')}: 旧 → first"


def test_group_records_read_in_words() -> None:
    entry = HistoryEntry(3, dt.datetime(2025, 3, 1, 8, 0), "王芳", "create", "plan", 9, 1,
                         "Added", {"group_id": 1, "kind": "annual", "start_year": 2025})
    assert details_text(entry).splitlines() == [
        f"{_('Kind')}: {PlanKind.ANNUAL.label()}", f"{_('First school year')}: 2025"]
