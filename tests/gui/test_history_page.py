"""HistoryPage: the audit log, refreshed after any change, with readable details."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from jituan_desktop.domain.agreements import AgreementScope, AgreementStatus
from jituan_desktop.domain.courses import CourseType
from jituan_desktop.domain.enums import CadreRank, PlanKind, Stage, TeacherTitle
from jituan_desktop.domain.placements import (
    VETO_LABELS,
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.domain.research import AttendanceStatus, DeliveryMode, ResearchType
from jituan_desktop.domain.rotations import Appraisal, RotationForm
from jituan_desktop.i18n import _, format_date, format_datetime
from jituan_desktop.services.recycle_bin import ACTION_LABELS, HistoryEntry
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.history_page import HistoryPage, Names, action_label, details_text

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


# ---- the newer records: every edit reads old → new in words ----------------------------------

def newest_details(page: HistoryPage, entity: str) -> str:
    newest = page.list.rows()[0]
    assert newest.entity == entity
    assert page.list.select_id(newest.id)
    return page.details.toPlainText()


def first_record(rows_of: Any, groups: list[Any]) -> Any:
    return next(r for g in groups for r in rows_of(g.id))


def test_a_placement_edit_and_step_read_in_chinese(page: HistoryPage,
                                                   demo_ctx: AppContext) -> None:
    service = demo_ctx.services.placements
    draft = first_record(lambda g: [p for p in service.list(g)
                                    if p.status is PlacementStatus.DRAFT],
                         demo_ctx.services.groups.list())
    kind = (PlacementKind.CADRE_EXERCISE if draft.kind is PlacementKind.LEARNING
            else PlacementKind.LEARNING)
    end = draft.planned_end + dt.timedelta(days=10)
    demo_ctx.write(None, lambda: service.save(dataclasses.replace(
        draft, kind=kind, planned_end=end, justification="跟完一个单元")))
    text = newest_details(page, "placement")
    assert f"{_('Kind')}: {draft.kind.label()} → {kind.label()}" in text
    assert (f"{_('Planned end')}: {format_date(draft.planned_end)} → {format_date(end)}"
            in text)
    assert "cadre_exercise" not in text and "learning" not in text
    assert "planned_end" not in text and str(end) not in text
    assert f"{_('Rules broken')}:\n  • HY-" in text

    demo_ctx.write(None, lambda: service.step(draft.id, PlacementAction.SUBMIT,
                                              draft.applied_on, "学校"))
    text = newest_details(page, "placement")
    assert f"{_('Step')}: {PlacementAction.SUBMIT.label()}" in text
    assert f"{_('Status')}: {PlacementStatus.SUBMITTED.label()}" in text
    assert f"{_('Date')}: {format_date(draft.applied_on)}" in text


def test_a_placement_shows_person_and_school_names() -> None:
    entry = HistoryEntry(4, dt.datetime(2026, 3, 1, 8, 0), "王芳", "update", "placement", 5, 2,
                         "Changed", {"teacher_id": [7, 8], "home_school_id": [1, 2],
                                     "host_school_id": [2, 3], "refuses_assignment":
                                     [False, True], "returned_on": [None, "2026-03-13"]})
    names = Names(schools={1: "一小", 2: "二小", 3: "三小"}, teachers={7: "张三", 8: "李四"})
    assert details_text(entry, names=names).splitlines() == [
        f"{_('Person')}: 张三 → 李四", f"{_('Home school')}: 一小 → 二小",
        f"{_('Host school')}: 二小 → 三小",
        f"{_(VETO_LABELS['refuses_assignment'])}: {_('no')} → {_('yes')}",
        f"{_('Back at the home school on')}: — → {format_date(dt.date(2026, 3, 13))}"]


def test_a_course_edit_reads_in_chinese(page: HistoryPage, demo_ctx: AppContext) -> None:
    service = demo_ctx.services.courses
    course = first_record(service.list, demo_ctx.services.groups.list())
    new_type = next(t for t in CourseType if t is not course.course_type)
    demo_ctx.write(None, lambda: service.save(dataclasses.replace(
        course, course_type=new_type, capacity=course.capacity + 1)))
    text = newest_details(page, "course")
    assert (f"{_('Course type')}: {course.course_type.label()} → {new_type.label()}"
            in text)
    assert f"{_('Capacity')}: {course.capacity} → {course.capacity + 1}" in text
    assert "course_type" not in text


def test_a_research_session_edit_reads_in_chinese(page: HistoryPage,
                                                  demo_ctx: AppContext) -> None:
    service = demo_ctx.services.research
    session = first_record(service.list, demo_ctx.services.groups.list())
    held = session.held_on + dt.timedelta(days=1)
    end = session.end_minute + 15
    demo_ctx.write(None, lambda: service.save(dataclasses.replace(
        session, held_on=held, end_minute=end)))
    text = newest_details(page, "research_session")
    assert f"{_('Held on')}: {format_date(session.held_on)} → {format_date(held)}" in text
    assert (f"{_('End time')}: {session.end_minute // 60:02d}:{session.end_minute % 60:02d} → "
            f"{end // 60:02d}:{end % 60:02d}") in text
    assert "end_minute" not in text and "held_on" not in text
    entry = HistoryEntry(5, dt.datetime(2026, 3, 1, 8, 0), "王芳", "update", "research_session",
                         5, 2, "Changed", {"kind": ["seminar", "forum"],
                                           "mode": ["online", "hybrid"], "start_minute": [870, 900],
                                           "host_school_id": [1, 2],
                                           "attendance": {"7": ["present", "late"]}})
    lines = details_text(entry, names=Names(schools={1: "一小", 2: "二小"},
                                            teachers={7: "张三"})).splitlines()
    assert lines == [
        f"{_('Kind')}: {ResearchType.SEMINAR.label()} → {ResearchType.FORUM.label()}",
        f"{_('Mode')}: {DeliveryMode.ONLINE.label()} → {DeliveryMode.HYBRID.label()}",
        f"{_('Start time')}: 14:30 → 15:00", f"{_('Hosting school')}: 一小 → 二小",
        f"{_('Attendance')}: 张三 {AttendanceStatus.PRESENT.label()} → "
        f"{AttendanceStatus.LATE.label()}"]


def test_a_rotation_edit_reads_in_chinese(page: HistoryPage, demo_ctx: AppContext) -> None:
    service = demo_ctx.services.rotations
    rotation = first_record(service.list, demo_ctx.services.groups.list())
    form = next(f for f in RotationForm if f is not rotation.form)
    end = rotation.planned_end - dt.timedelta(days=30)
    demo_ctx.write(None, lambda: service.save(dataclasses.replace(
        rotation, form=form, planned_end=end)))
    text = newest_details(page, "rotation")
    assert f"{_('Form')}: {rotation.form.label()} → {form.label()}" in text
    assert (f"{_('Planned end')}: {format_date(rotation.planned_end)} → {format_date(end)}"
            in text)
    entry = HistoryEntry(6, dt.datetime(2026, 3, 1, 8, 0), "王芳", "create", "rotation", 5, 2,
                         "Added", {"teacher_id": 7, "from_school_id": 1, "to_school_id": 2,
                                   "appraisal": "excellent", "is_backbone": True})
    lines = details_text(entry, names=Names(schools={1: "一小", 2: "二小"},
                                            teachers={7: "张三"})).splitlines()
    assert lines == [f"{_('Teacher')}: 张三", f"{_('Sending school')}: 一小",
                     f"{_('Receiving school')}: 二小",
                     f"{_('Appraisal')}: {Appraisal.EXCELLENT.label()}",
                     f"{_('Backbone')}: {_('yes')}"]


def test_an_agreement_edit_reads_in_chinese(page: HistoryPage, demo_ctx: AppContext) -> None:
    service = demo_ctx.services.agreements
    agreement = first_record(service.list, demo_ctx.services.groups.list())
    end = agreement.term_end - dt.timedelta(days=31)
    demo_ctx.write(None, lambda: service.save(dataclasses.replace(
        agreement, term_end=end, funding_fen=12050000)))
    text = newest_details(page, "agreement")
    assert (f"{_('Term ends')}: {format_date(agreement.term_end)} → {format_date(end)}"
            in text)
    assert _("{amount} yuan").format(amount="120,500.00") in text
    entry = HistoryEntry(7, dt.datetime(2026, 3, 1, 8, 0), "王芳", "update", "agreement", 5, 2,
                         "Changed", {"scope": ["pair", "group"], "status": ["draft", "final"]})
    assert details_text(entry).splitlines() == [
        f"{_('Scope')}: {AgreementScope.PAIR.label()} → {AgreementScope.GROUP.label()}",
        f"{_('Status')}: {AgreementStatus.DRAFT.label()} → {AgreementStatus.FINAL.label()}"]


def test_every_audited_action_has_a_label() -> None:
    """Each action the services write (``db.audit(s, "…"``) reads as words, not as stored."""
    import re
    from pathlib import Path

    import jituan_desktop.services as services_package

    written: set[str] = set()
    for path in Path(services_package.__file__).parent.glob("*.py"):
        written |= set(re.findall(r"audit\(\s*s,\s*\"(\w+)\"", path.read_text("utf-8")))
    assert {"export", "step", "import"} <= written
    assert written <= set(ACTION_LABELS)
    assert action_label("export") == _("Exported") != "export"


def test_the_cross_region_model_reads_as_its_label() -> None:
    entry = HistoryEntry(8, dt.datetime(2026, 3, 1, 8, 0), "王芳", "update", "group", 1, 1,
                         "Changed", {"model_canonical": ["collaborative", "co_built"]})
    assert details_text(entry) == (
        f"{_('Cross-region model')}: {_('Collaborative')} → {_('Co-built')}")


def test_long_and_multi_line_values_read_as_old_and_new_blocks() -> None:
    old, new = "第一次会议纪要\n讨论了课堂观察。", "第一次会议纪要\n讨论了课堂观察与评课。"
    entry = HistoryEntry(9, dt.datetime(2026, 3, 1, 8, 0), "王芳", "update",
                         "research_session", 3, 1, "Changed",
                         {"minutes": [old, new], "topic": ["旧题", "新题"]})
    lines = details_text(entry).splitlines()
    assert lines == [
        f"{_('Minutes')}:",
        "  " + _("Old: {value}").format(value="第一次会议纪要"), "  讨论了课堂观察。",
        "  " + _("New: {value}").format(value="第一次会议纪要"), "  讨论了课堂观察与评课。",
        f"{_('Topic')}: 旧题 → 新题"]
    assert "→" not in "\n".join(lines[:5])


def test_a_step_summary_writes_the_date_in_words(page: HistoryPage,
                                                 demo_ctx: AppContext) -> None:
    from jituan_desktop.services.demo_placements import GROUP_NAME

    group = next(g for g in demo_ctx.services.groups.list() if g.name == GROUP_NAME)
    service = demo_ctx.services.placements
    draft = next(p for p in service.list(group.id) if p.status is PlacementStatus.DRAFT)
    on = max(draft.applied_on, dt.date(2026, 1, 5))
    demo_ctx.write(None, lambda: service.step(draft.id, PlacementAction.SUBMIT, on, "某校", ""))
    newest = page.list.rows()[0]
    assert format_date(on) in newest.summary and on.isoformat() not in newest.summary
