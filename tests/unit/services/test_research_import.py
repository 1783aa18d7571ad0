"""Importing research sessions with attendance from a two-sheet workbook: preview with
per-row errors, all-or-nothing commit."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from jituan_desktop.domain.research import AttendanceStatus, ResearchType
from jituan_desktop.persistence.research_models import ResearchAttendanceRow, ResearchSessionRow
from jituan_desktop.services.research_import import (
    ATTENDANCE_HEADERS,
    SESSION_HEADERS,
    ResearchImport,
)
from tests.unit.services.test_research_fixtures import build_world

SESSION_ROW = [1, "2025-10-08", "14:30", "16:00", "语文", "小学", "集体备课", "一实小",
               "一实小、五小", "线下", "单元整体教学", "王老师", "纪要"]


@pytest.fixture
def world(services, add_school, add_group, join):
    return build_world(services, add_school, add_group, join)


def workbook(tmp_path, sessions, attendance):
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("教研活动")
    sheet.append([names[0] for names in SESSION_HEADERS.values()])
    for row in sessions:
        sheet.append(row)
    sheet = book.create_sheet("考勤")
    sheet.append([names[0] for names in ATTENDANCE_HEADERS.values()])
    for row in attendance:
        sheet.append(row)
    path = tmp_path / "教研活动登记.xlsx"
    book.save(path)
    return path


def count(services, row) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count()).select_from(row))


def test_a_clean_workbook_imports_sessions_with_attendance(services, world, tmp_path) -> None:
    path = workbook(tmp_path, [SESSION_ROW, [2, "2025-10-15", "09:40", "10:40", "数学", "",
                                             "同步课堂", "五小", "", "线上", "", "", ""]],
                    [[1, "王老师", "一实小", "", "出席", ""],
                     [1, "张老师", "第五小学", "", "迟到", "路远"]])
    source = ResearchImport(services.research, world.group_id)
    preview = source.read(path)
    assert preview.problems == () and preview.ok and len(preview.records) == 2
    count_added, changes = source.commit(preview)
    assert count_added == 2 and changes.touches("research_session")
    sessions = {s.subject: s for s in services.research.list(world.group_id)}
    assert sessions["数学"].kind == ResearchType.SYNC_CLASS
    assert sessions["数学"].school_ids == (world.member,)
    full = services.research.get(sessions["语文"].id)
    assert {(e.teacher_name, e.status, e.remark) for e in full.attendance} == {
        ("王老师", AttendanceStatus.PRESENT, ""), ("张老师", AttendanceStatus.LATE, "路远")}


def test_every_bad_row_is_reported_and_nothing_is_imported(services, world, tmp_path) -> None:
    bad_time = [3, "2025-10-09", "16:00", "15:00", *SESSION_ROW[4:]]
    outside_host = [4, "2025-10-10", "14:00", "15:00", "语文", "", "集体备课", "外集团小学",
                    "", "", "", "", ""]
    path = workbook(tmp_path, [SESSION_ROW, bad_time, outside_host],
                    [[1, "赵老师", "外集团小学", "", "出席", ""],
                     [9, "王老师", "一实小", "", "出席", ""],
                     [1, "王老师", "一实小", "", "睡觉", ""]])
    preview = ResearchImport(services.research, world.group_id).read(path)
    assert not preview.ok and preview.records == ()
    where = {(p.sheet, p.row) for p in preview.problems}
    assert ("教研活动", 3) in where  # end before start
    assert ("教研活动", 4) in where  # host outside the group
    assert ("考勤", 2) in where  # a teacher of a school that did not take part
    assert ("考勤", 3) in where  # no session 9
    assert ("考勤", 4) in where  # unknown status
    [sessions, attendance] = preview.sheets
    assert [bool(r.errors) for r in sessions.rows] == [False, True, True]
    # the tests run in Chinese (tests/conftest.py)
    assert attendance.rows[0].errors == ("学校：赵老师所在学校不是第1号活动的参与学校。",)
    with pytest.raises(ValueError):
        ResearchImport(services.research, world.group_id).commit(preview)
    assert count(services, ResearchSessionRow) == 0


def test_a_missing_column_is_a_file_problem(services, world, tmp_path) -> None:
    book = Workbook()
    book.active.title = "教研活动"
    book.active.append(["日期", "学科"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    preview = ResearchImport(services.research, world.group_id).read(path)
    assert not preview.ok and "活动编号" in preview.problems[0].message


def test_a_session_already_recorded_is_refused(services, world, tmp_path) -> None:
    path = workbook(tmp_path, [SESSION_ROW], [])
    source = ResearchImport(services.research, world.group_id)
    source.commit(source.read(path))
    again = source.read(path)
    assert not again.ok and again.problems[0].row == 2


def test_a_cancelled_commit_writes_nothing(services, world, tmp_path) -> None:
    path = workbook(tmp_path, [SESSION_ROW], [[1, "王老师", "一实小", "", "", ""]])
    source = ResearchImport(services.research, world.group_id)
    preview = source.read(path)

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        source.commit(preview, stop)
    assert count(services, ResearchSessionRow) == 0 and count(
        services, ResearchAttendanceRow) == 0


def test_the_template_has_both_sheets(services, world, tmp_path) -> None:
    path = tmp_path / "template.xlsx"
    ResearchImport(services.research, world.group_id).template(path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["教研活动", "考勤"]
    assert book["教研活动"]["A1"].value == "活动编号" and book["考勤"]["B1"].value == "姓名"


def test_the_attendance_sheet_is_optional(services, world, tmp_path) -> None:
    book = Workbook()
    book.active.title = "教研活动"
    book.active.append([names[0] for names in SESSION_HEADERS.values()])
    book.active.append(SESSION_ROW)
    book.create_sheet("考勤")  # left empty
    path = tmp_path / "only_sessions.xlsx"
    book.save(path)
    preview = ResearchImport(services.research, world.group_id).read(path)
    assert preview.ok and preview.records[0].attendance == ()
