"""The Joint research page: list with filters, counts with flags, add/edit/delete with undo,
the session dialog's inline checks, attendance in a few clicks, attachments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QTime

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.research import ResearchSession, ResearchType
from jituan_desktop.services.demo import GROUP_NAME
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs import research_dialog
from jituan_desktop.ui.dialogs.research_dialog import ResearchDialog
from jituan_desktop.ui.pages import research_page
from jituan_desktop.ui.pages.research_page import ResearchPage
from jituan_desktop.ui.widgets import attachment_panel

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> ResearchPage:
    monkeypatch.setattr(research_page, "today", lambda: dt.date(2026, 11, 26))
    [group] = [g for g in demo_ctx.services.groups.list() if g.name == GROUP_NAME]
    demo_ctx.group_id = group.id
    widget = ResearchPage(demo_ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def grid_cell(page: ResearchPage, subject: str, semester_label: str) -> Any:
    rows = [page.grid.verticalHeaderItem(i).text() for i in range(page.grid.rowCount())]
    columns = [page.grid.horizontalHeaderItem(i).text() for i in range(page.grid.columnCount())]
    return page.grid.item(rows.index(subject), columns.index(semester_label))


def test_the_demo_sessions_are_listed_with_counts_and_alx20_flags(page: ResearchPage) -> None:
    assert page.list.model.total_rows > 60
    cell = grid_cell(page, "道德与法治", "2025—2026学年第一学期")
    assert cell.text().endswith("4") and "⚑" in cell.text()
    assert "ALX-20" in cell.toolTip()
    assert "「集团内各学科联合教研每学期应不少于5次」" in cell.toolTip()
    assert "⚑" not in grid_cell(page, "语文", "2025—2026学年第一学期").text()
    flags = [page.flags.item(i).text() for i in range(page.flags.count())]
    assert len(flags) == 2 and all("ALX-20" in f for f in flags)
    page.flags.setCurrentRow(0)
    assert "《阿拉善盟推进义务教育集团化办学实施方案》" in page.rule_label.text()


def test_filters_by_subject_semester_and_double_click_on_a_count(page: ResearchPage) -> None:
    total = page.list.proxy.rowCount()
    page.subject_box.setCurrentIndex(page.subject_box.findData("科学"))
    rows = page.list.rows()
    shown = [page.list.model.row_at(page.list.proxy.mapToSource(page.list.proxy.index(i, 0))
                                    .row()) for i in range(page.list.proxy.rowCount())]
    assert 0 < len(shown) < total and all(s.subject == "科学" for s in shown)
    assert rows
    page.subject_box.setCurrentIndex(0)
    cell = grid_cell(page, "科学", "2025—2026学年第二学期")
    page.grid.cellDoubleClicked.emit(cell.row(), cell.column())
    assert page.list.proxy.rowCount() == 3


def draft_for(page: ResearchPage, **changes: Any) -> ResearchSession:
    services = page.ctx.services
    schools = services.research.group_schools(page.ctx.group_id)
    host = schools[0].id
    values = dict(id=None, group_id=page.ctx.group_id, held_on=dt.date(2026, 11, 20),
                  start_minute=14 * 60, end_minute=15 * 60 + 30, subject="音乐",
                  stage=Stage.PRIMARY, kind=ResearchType.OBSERVATION, host_school_id=host,
                  school_ids=tuple(sorted({host, schools[1].id})), topic="合唱教学观摩")
    values.update(changes)
    return ResearchSession(**values)


def test_add_then_undo_and_redo(page: ResearchPage, monkeypatch: pytest.MonkeyPatch) -> None:
    before = page.list.model.total_rows
    monkeypatch.setattr(ResearchDialog, "edit", classmethod(
        lambda cls, *args, **kwargs: draft_for(page)))
    page.add_session()
    assert page.list.model.total_rows == before + 1
    assert page.list.selected().topic == "合唱教学观摩"
    assert page.grid.rowCount() == 6  # 音乐 is a new row of the counts
    page.undo.undo_action.trigger()
    assert page.list.model.total_rows == before
    page.undo.redo_action.trigger()
    assert page.list.model.total_rows == before + 1


def test_edit_and_undo_the_edit(page: ResearchPage, monkeypatch: pytest.MonkeyPatch) -> None:
    session = page.list.rows()[0]
    monkeypatch.setattr(ResearchDialog, "edit", classmethod(
        lambda cls, parent, draft, *args: dataclasses.replace(draft, topic="改过的主题")))
    page.edit_session(session)
    assert page.ctx.services.research.get(session.id).topic == "改过的主题"
    page.undo.undo_action.trigger()
    assert page.ctx.services.research.get(session.id).topic == session.topic


def test_delete_to_the_recycle_bin_and_undo(page: ResearchPage) -> None:
    session = page.list.rows()[0]
    page.list.select_id(session.id)
    before = page.list.model.total_rows
    page.delete_selected()
    assert page.list.model.total_rows == before - 1
    assert [i.id for i in page.ctx.services.recycle_bin.list()] == [session.id]
    page.undo.undo_action.trigger()
    assert page.list.model.total_rows == before


def make_dialog(qtbot: Any, page: ResearchPage, draft: ResearchSession) -> ResearchDialog:
    service = page.ctx.services.research
    schools = service.group_schools(draft.group_id)
    dialog = ResearchDialog(page, draft, schools, service.teachers_of(s.id for s in schools),
                            service.validate)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_dialog_refuses_an_end_before_the_start(qtbot: Any, page: ResearchPage) -> None:
    dialog = make_dialog(qtbot, page, draft_for(page))
    assert dialog.ok_button.isEnabled()
    assert "1" in dialog.duration_label.text()
    dialog.end_edit.setTime(QTime(13, 0))
    assert not dialog.ok_button.isEnabled()
    assert "14:00" in dialog.errors.message_label("end_minute").text()


def test_attendance_in_a_few_clicks_and_a_teacher_of_an_absent_school(
        qtbot: Any, page: ResearchPage) -> None:
    dialog = make_dialog(qtbot, page, draft_for(page, subject="语文"))
    dialog.attendance.add_subject_teachers()
    entries = dialog.attendance.value()
    assert entries and dialog.ok_button.isEnabled()
    teachers = {t.id: t for t in page.ctx.services.research.teachers_of(
        dialog.schools_list.value())}
    assert all("语文" in teachers[e.teacher_id].subjects for e in entries)
    # untick the school that is not the host: its teachers may not stay on the attendance
    second = next(i for i in dialog.schools_list.value()
                  if i != dialog.draft().host_school_id)
    for i in range(dialog.schools_list.count()):
        item = dialog.schools_list.item(i)
        if item.data(research_dialog.Qt.ItemDataRole.UserRole) == second:
            item.setCheckState(research_dialog.Qt.CheckState.Unchecked)
    assert not dialog.ok_button.isEnabled()
    assert "attendance" in dialog.report
    assert "⚠" in dialog.tabs.tabText(1)


def test_attach_open_and_a_missing_stored_file(page: ResearchPage, tmp_path: Any,
                                               monkeypatch: pytest.MonkeyPatch,
                                               no_modal_prompts: list[Any]) -> None:
    session = page.list.rows()[0]
    page.list.select_id(session.id)
    source = tmp_path / "活动照片.png"
    source.write_bytes(b"\x89PNG fake")
    page.attach_file(session.id, source)
    [attachment] = page.attachments.list.rows()
    assert attachment.file_name == "活动照片.png"
    opened: list[Any] = []
    monkeypatch.setattr(attachment_panel, "open_url", lambda path: opened.append(path) or True)
    page.open_attachment(attachment)
    assert opened and opened[0].read_bytes() == source.read_bytes()
    opened[0].unlink()
    page.open_attachment(attachment)
    assert no_modal_prompts[-1][0] == "error" and "活动照片.png" in no_modal_prompts[-1][2]
    page.undo.undo_action.trigger()  # undo the attachment
    assert page.attachments.list.rows() == []


def test_a_too_large_attachment_is_refused_with_a_message(page: ResearchPage, tmp_path: Any,
                                                          no_modal_prompts: list[Any]) -> None:
    page.ctx.services.research.store.max_bytes = 4
    session = page.list.rows()[0]
    page.list.select_id(session.id)
    (tmp_path / "big.pdf").write_bytes(b"12345")
    page.attach_file(session.id, tmp_path / "big.pdf")
    assert no_modal_prompts[-1][0] == "error" and "big.pdf" in no_modal_prompts[-1][2]
    assert page.attachments.list.rows() == []


def test_without_a_group_nothing_can_be_recorded(qtbot: Any, ctx: AppContext) -> None:
    widget = ResearchPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.add_button.isEnabled() and not widget.import_button.isEnabled()
    assert widget.list.model.total_rows == 0 and widget.grid.rowCount() == 0


def test_export_list_writes_the_filtered_sessions_with_their_duration(
        page: ResearchPage, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
        no_modal_prompts: list[Any]) -> None:
    from openpyxl import load_workbook

    from jituan_desktop.services.research import DURATION_COLUMN
    from jituan_desktop.ui import prompts

    page.subject_box.setCurrentIndex(page.subject_box.findData("科学"))
    shown = page.shown_sessions()
    assert shown and all(s.subject == "科学" for s in shown)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: tmp_path / "科学")
    page.export_list()
    target = tmp_path / "科学.xlsx"
    book = load_workbook(target, read_only=True)
    try:  # a read-only workbook keeps its file open until closed
        rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    finally:
        book.close()
    assert len(rows) == len(shown)
    assert [r[DURATION_COLUMN] for r in rows] == [s.duration_minutes for s in shown]
    assert all(r[4] == "科学" for r in rows)
    assert no_modal_prompts[-1][0] == "info"


def test_the_list_has_a_red_rule_flags_column(page: ResearchPage) -> None:
    from jituan_desktop.domain.rules import explanations, flag_text
    from jituan_desktop.i18n import _
    from jituan_desktop.ui.widgets.record_page_parts import FlagDelegate

    model = page.list.model
    headers = [model.headerData(c, research_page.Qt.Orientation.Horizontal)
               for c in range(model.columnCount())]
    column = headers.index(_("Rule flags"))
    assert isinstance(page.list.table.itemDelegateForColumn(column), FlagDelegate)
    # the demo group's profile (ALX) judges counts, not single sessions: every cell is empty
    rows = page.list.rows()
    assert [model.display_text(i, column) for i in range(len(rows))] == [
        flag_text(page._flags.get(s.id, ())) for s in rows]
    # a session with a broken per-session rule (YY-12 in a 协作型 group) shows it
    from jituan_desktop.domain.profiles import RuleSpec
    from jituan_desktop.domain.rules import Finding

    rule = RuleSpec("YY-12", "sync_class.debrief_within_days", "must", "「…」", "余教〔2020〕155号")
    late = Finding(rule, "No debrief of this synchronised class")
    page._flags[rows[0].id] = (late,)
    assert model.display_text(0, column) == "⚑ YY-12" == flag_text([late])
    tip = model.data(model.index(0, column), research_page.Qt.ItemDataRole.ToolTipRole)
    assert tip == explanations([late])


def test_undo_refuses_to_overwrite_a_change_made_in_between(
        qtbot: Any, page: ResearchPage, monkeypatch: pytest.MonkeyPatch,
        no_modal_prompts: list[Any]) -> None:
    session = page.list.rows()[0]
    monkeypatch.setattr(ResearchDialog, "edit", classmethod(
        lambda cls, parent, draft, *args: dataclasses.replace(draft, topic="改过的主题")))
    page.edit_session(session)
    service = page.ctx.services.research
    service.save(dataclasses.replace(service.get(session.id), topic="别处改的"))
    page.undo.undo_action.trigger()
    assert no_modal_prompts[-1][0] == "error"
    assert service.get(session.id).topic == "别处改的"
    qtbot.waitUntil(lambda: page.undo.stack.count() == 0)


def test_the_counts_list_semesters_newest_first(page: ResearchPage) -> None:
    """As the shared-courses grid: the current semester first, in view without scrolling."""
    compliance = page._compliance
    assert compliance is not None
    semesters = {(c.semester.school_year, c.semester.term): c.semester
                 for c in compliance.subject_counts}
    columns = [page.grid.horizontalHeaderItem(i).text() for i in range(page.grid.columnCount())]
    assert len(columns) > 1
    assert columns == [semesters[k].label for k in sorted(semesters, reverse=True)]


def test_the_details_give_the_date_in_the_users_format(page: ResearchPage) -> None:
    from jituan_desktop.i18n import format_date

    session = page.list.rows()[0]
    page.list.select_id(session.id)
    first = page.details.text().splitlines()[0]
    assert first.startswith(format_date(session.held_on))
    assert session.held_on.isoformat() not in first and "年" in first
