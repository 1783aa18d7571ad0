"""The generic xlsx import layer: sheets, headers in Chinese or English, typed cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jituan_desktop.domain.research import AttendanceStatus
from jituan_desktop.services.xlsx_import import (
    ImportPreview,
    RowProblem,
    SheetTable,
    choice_words,
    file_problem,
    match_headers,
    parse_bool,
    parse_date,
    parse_int,
    parse_time,
    read_workbook,
    write_template,
)

SPEC = {"name": ("姓名", "name"), "day": ("日期", "date"), "count": ("人数", "count"),
        "flag": ("是否", "flag")}


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_headers_match_in_chinese_or_english_ignoring_spaces_and_case() -> None:
    assert match_headers(["姓 名", "DATE", "other", "人数"], SPEC) == {
        "name": 0, "day": 1, "count": 3}


def test_a_sheet_is_found_by_name_and_its_rows_read_typed(tmp_path) -> None:
    path = workbook(tmp_path / "a.xlsx", {"其他": [["x"]], "名单": [
        [], ["姓名", "日期", "人数", "是否"], ["王", dt.datetime(2025, 9, 1), 3, "是"],
        [None, None, None, None], ["李", "2025/9/2", "x", "maybe"]]})
    table, problems = SheetTable.find(read_workbook(path), ("名单",), SPEC, ("name",))
    assert problems == [] and table is not None
    readers = list(table.readers())
    assert [r.line for r in readers] == [3, 5]  # spreadsheet rows; the empty row skipped
    first, second = readers
    assert (first.text("name"), first.date("day"), first.integer("count"),
            first.boolean("flag")) == ("王", dt.date(2025, 9, 1), 3, True)
    assert first.errors == []
    assert second.date("day") == dt.date(2025, 9, 2)
    assert second.integer("count") is None and second.boolean("flag") is False
    assert len(second.errors) == 2 and second.errors[0].startswith("人数")
    assert {p.column for p in second.problems} == {"人数", "是否"}
    assert second.preview_row().line == 5


def test_missing_required_columns_and_missing_sheets_are_file_problems(tmp_path) -> None:
    path = workbook(tmp_path / "a.xlsx", {"名单": [["日期"], ["2025-09-01"]]})
    table, problems = SheetTable.find(read_workbook(path), ("名单",), SPEC, ("name",))
    assert table is None and "姓名" in problems[0].message and problems[0].row == 0
    table, problems = SheetTable.find(read_workbook(path), ("考勤",), SPEC, ("name",))
    assert table is None and "考勤" in problems[0].message


@pytest.mark.parametrize("value, expected", [
    ("2025-10-08", dt.date(2025, 10, 8)), ("2025.10.8", dt.date(2025, 10, 8)),
    ("2025年10月8日", dt.date(2025, 10, 8)), (dt.datetime(2025, 10, 8, 0, 0),
                                            dt.date(2025, 10, 8)), ("", None)])
def test_dates(value, expected) -> None:
    assert parse_date(value) == (expected, "")


@pytest.mark.parametrize("value", ["19-9-1", "2025-13-01", "2025年9月", "明年"])
def test_text_that_is_no_date_with_a_four_digit_year_is_refused(value) -> None:
    day, message = parse_date(value)
    assert day is None and value in message


def test_a_bad_date_has_a_message() -> None:
    value, message = parse_date("下周三")
    assert value is None and "下周三" in message


@pytest.mark.parametrize("value, expected", [
    ("14:30", dt.time(14, 30)), ("8：05", dt.time(8, 5)), (dt.time(9, 40), dt.time(9, 40)),
    (0.5, dt.time(12, 0))])
def test_times(value, expected) -> None:
    assert parse_time(value) == (expected, "")


def test_bad_times_ints_and_bools_have_messages() -> None:
    assert parse_time("25:00")[1] and parse_time("下午")[1]
    assert parse_int("3.5")[1] and parse_int(-1, minimum=0)[1]
    assert parse_bool("也许")[1]
    assert parse_int("12") == (12, "") and parse_bool("否") == (False, "")


def test_enum_words_accept_values_labels_and_chinese_words() -> None:
    words = choice_words(AttendanceStatus, {"迟到": "late"})
    assert words["late"] is words["迟到"] is AttendanceStatus.LATE
    assert words[AttendanceStatus.PRESENT.label()] is AttendanceStatus.PRESENT


def test_a_file_that_is_not_a_workbook_is_a_clear_problem(tmp_path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(Exception) as raised:
        read_workbook(bad)
    problem, details = file_problem(raised.value, bad)
    assert problem.row == 0 and "x.xlsx" in problem.message and details


def test_a_preview_is_ok_only_with_records_and_no_problems(tmp_path) -> None:
    assert ImportPreview(tmp_path, (1,), ()).ok
    assert not ImportPreview(tmp_path, (), ()).ok
    assert not ImportPreview(tmp_path, (1,), (RowProblem(3, "姓名", "空"),)).ok
    assert "3" in RowProblem(3, "姓名", "空", "名单").text()


def test_templates_have_the_headers_and_notes(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, [("名单", SPEC)], [("姓名", "必填")], {"名单": [["王", "2025-09-01"]]})
    book = load_workbook(path)
    assert book.sheetnames == ["名单", "填写说明"]
    assert [c.value for c in book["名单"][1]] == ["姓名", "日期", "人数", "是否"]
    assert book["名单"]["A2"].value == "王"
