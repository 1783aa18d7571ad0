"""Teacher lists from .xlsx: preview with per-row errors, then an all-or-nothing commit."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from jituan_desktop.domain.enums import TeacherTitle
from jituan_desktop.domain.validation import ValidationError

ACTOR = "测试员"
HEADERS = ["姓名", "学校", "性别", "学科", "职称", "骨干教师", "可交流轮岗", "入职日期"]
GOOD_ROWS = [
    ["王建华", "第一实验小学", "男", "数学、语文", "高级教师", "是", "否", dt.datetime(1998, 9, 1)],
    ["苏日娜", "温都尔勒图小学", "女", "英语", "一级", "否", "是", "2012/09/01"],
    ["李海燕", "第一实验小学", "女", "科学", "", "", "", None],
]


def make_xlsx(path: Path, rows: list[list[Any]], *, title_rows: int = 0) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def schools(add_school):
    return (add_school("第一实验小学", short_name="一实小"),
            add_school("阿拉善左旗温都尔勒图镇中心小学", short_name="温都尔勒图小学"))


def test_a_good_sheet_previews_clean_and_commits_every_row_at_once(services, schools,
                                                                   tmp_path) -> None:
    # GIVEN a sheet with Chinese headers; schools by full or short name
    path = make_xlsx(tmp_path / "教师名单.xlsx", [HEADERS, *GOOD_ROWS])
    # WHEN it is previewed
    preview = services.teacher_import.preview(path)
    # THEN every row is fine, numbered as in the spreadsheet
    assert preview.ok and preview.error_count == 0 and not preview.problems
    assert preview.headers == tuple(HEADERS)
    assert [r.line for r in preview.rows] == [2, 3, 4]
    assert all(r.errors == () and r.teacher is not None for r in preview.rows)
    assert preview.rows[1].values[:2] == ("苏日娜", "温都尔勒图小学")
    # WHEN it is committed
    added, changes = services.teacher_import.commit(preview)
    # THEN all three teachers are there with the sheet's values
    assert added == 3 and len(changes.ids) == 3 and changes.touches("teacher")
    teachers = {t.name: t for t in services.teachers.list()}
    wang = teachers["王建华"]
    assert wang.school_id == schools[0].id and wang.gender == "男"
    assert wang.subjects == ("数学", "语文") and wang.title is TeacherTitle.SENIOR
    assert wang.is_backbone and not wang.rotation_eligible
    assert wang.hired_on == dt.date(1998, 9, 1)
    suri = teachers["苏日娜"]
    assert suri.school_id == schools[1].id and suri.title is TeacherTitle.FIRST
    assert suri.rotation_eligible and suri.hired_on == dt.date(2012, 9, 1)
    li = teachers["李海燕"]
    assert li.title is TeacherTitle.UNRATED and li.hired_on is None and not li.is_backbone
    # AND each added teacher is in the history as imported by the actor
    history = services.recycle_bin.history(entity="teacher")
    assert len(history) == 3 and {(h.action, h.actor) for h in history} == {("import", ACTOR)}


def test_english_headers_and_extra_columns_are_accepted(services, schools, tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [["Name", "School", "备注", "Subjects"],
                                           ["Zhang Wei", "一实小", "随便写", "数学"]])
    preview = services.teacher_import.preview(path)
    assert preview.ok
    assert preview.rows[0].teacher.subjects == ("数学",)


def test_a_title_row_and_blank_rows_keep_the_spreadsheet_line_numbers(services, schools,
                                                                      tmp_path) -> None:
    # GIVEN headers on line 3 (two empty lines above) and an empty line between two teachers
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, GOOD_ROWS[0], [], GOOD_ROWS[1]],
                     title_rows=2)
    preview = services.teacher_import.preview(path)
    assert preview.ok
    assert [r.line for r in preview.rows] == [4, 6]


@pytest.mark.parametrize("missing", ["学校", "姓名"])
def test_a_sheet_without_a_required_column_is_a_file_level_problem(services, schools, counts,
                                                                   tmp_path, missing) -> None:
    headers = [h for h in HEADERS if h != missing]
    rows = [[v for h, v in zip(HEADERS, row, strict=True) if h != missing] for row in GOOD_ROWS]
    path = make_xlsx(tmp_path / "t.xlsx", [headers, *rows])
    before = counts(services)
    preview = services.teacher_import.preview(path)
    assert not preview.ok and preview.rows == ()
    [problem] = preview.problems
    assert missing in problem
    with pytest.raises(ValueError):
        services.teacher_import.commit(preview)
    assert counts(services) == before


def test_bad_rows_get_errors_with_their_line_and_commit_is_refused(services, schools, counts,
                                                                   tmp_path) -> None:
    # GIVEN a sheet with a good row and three bad ones
    rows = [
        HEADERS,
        GOOD_ROWS[0],  # line 2
        ["赵敏", "不存在的学校", "女", "语文", "", "", "", None],  # line 3: unknown school
        ["钱多", "第一实验小学", "男", "数学", "", "也许", "", None],  # line 4: bad 是否
        ["孙丽", "第一实验小学", "女", "美术", "", "", "", "2020-13-45"],  # line 5: bad date
        ["周强", "第一实验小学", "男", "体育", "", "", "不知道", None],  # line 6: bad 是否
    ]
    path = make_xlsx(tmp_path / "t.xlsx", rows)
    before = counts(services)
    # WHEN it is previewed
    preview = services.teacher_import.preview(path)
    # THEN the bad rows carry errors on their spreadsheet lines and the good one has none
    errors = {r.line: r.errors for r in preview.rows}
    assert errors[2] == ()
    assert {line for line, e in errors.items() if e} == {3, 4, 5, 6}
    assert "不存在的学校" in errors[3][0]
    assert "也许" in errors[4][0] and "骨干教师" in errors[4][0]
    assert "2020-13-45" in errors[5][0]
    assert "可交流轮岗" in errors[6][0]
    assert all(r.teacher is None for r in preview.rows if r.errors)
    assert not preview.ok and preview.error_count == 4
    # AND committing is refused: not even the good row is added
    with pytest.raises(ValueError):
        services.teacher_import.commit(preview)
    assert counts(services) == before


@pytest.mark.parametrize(("row", "words"), [
    (["", "第一实验小学", "", "", "", "", "", None], []),  # no name
    (["吴刚", "第一实验小学", "未知", "", "", "", "", None], []),  # bad gender
    (["吴刚", "第一实验小学", "", "", "特级", "", "", None], ["特级"]),  # unknown title
    (["吴刚", "", "", "", "", "", "", None], []),  # no school
    (["吴刚", "第一实验小学", "", "", "", "", "", dt.datetime(2999, 1, 1)], []),  # future
])
def test_rows_failing_teacher_validation_are_reported(services, schools, tmp_path, row,
                                                      words) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, row])
    [result] = services.teacher_import.preview(path).rows
    assert result.line == 2 and result.errors and result.teacher is None
    for word in words:
        assert word in result.errors[0]


def test_a_teacher_twice_in_the_sheet_is_reported_on_the_second_line(services, schools,
                                                                     tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]])
    preview = services.teacher_import.preview(path)
    assert [r.line for r in preview.rows if r.errors] == [4]


def test_commit_is_all_or_nothing(services, schools, counts, tmp_path) -> None:
    # GIVEN a clean preview
    preview = services.teacher_import.preview(make_xlsx(tmp_path / "t.xlsx",
                                                        [HEADERS, *GOOD_ROWS]))
    assert preview.ok
    # WHEN the second school goes to the recycle bin before the commit
    services.recycle_bin.delete("school", schools[1].id)
    before = counts(services)
    # THEN the commit fails and none of the rows was added
    with pytest.raises(ValidationError):
        services.teacher_import.commit(preview)
    assert counts(services) == before


@pytest.mark.parametrize("content", [os.urandom(2048), b"", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_an_xlsx_is_a_clear_problem(services, tmp_path, content) -> None:
    path = tmp_path / "教师名单.xlsx"
    path.write_bytes(content)
    preview = services.teacher_import.preview(path)  # no exception
    assert not preview.ok and preview.rows == ()
    assert len(preview.problems) == 1 and preview.problems[0]


def test_a_zip_that_is_not_a_workbook_is_a_clear_problem(services, tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    preview = services.teacher_import.preview(path)
    assert not preview.ok and len(preview.problems) == 1


def test_a_missing_file_is_a_clear_problem(services, tmp_path) -> None:
    preview = services.teacher_import.preview(tmp_path / "nowhere.xlsx")
    assert not preview.ok and len(preview.problems) == 1


def test_an_empty_sheet_or_headers_only_are_problems(services, schools, tmp_path) -> None:
    empty = services.teacher_import.preview(make_xlsx(tmp_path / "a.xlsx", []))
    headers_only = services.teacher_import.preview(make_xlsx(tmp_path / "b.xlsx", [HEADERS]))
    assert empty.problems and not empty.ok
    assert headers_only.problems and not headers_only.ok and headers_only.rows == ()


def test_a_sheet_with_a_wrong_dimension_record_is_read_in_full(services, schools,
                                                               tmp_path) -> None:
    # GIVEN a workbook whose sheet claims to span only A1 (some programs write that)
    good = make_xlsx(tmp_path / "good.xlsx", [HEADERS, *GOOD_ROWS])
    path = tmp_path / "dimension.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>',
                                  data)
                assert n == 1
            dst.writestr(item, data)
    # WHEN it is previewed  THEN every column and row is read
    preview = services.teacher_import.preview(path)
    assert preview.ok and len(preview.rows) == 3
    assert preview.headers == tuple(HEADERS)


def test_progress_is_reported_for_long_sheets(services, schools, tmp_path) -> None:
    rows = [HEADERS] + [[f"教师{i:04d}", "一实小", "", "语文", "", "", "", None]
                        for i in range(1200)]
    seen: list[tuple[int, int]] = []
    preview = services.teacher_import.preview(make_xlsx(tmp_path / "t.xlsx", rows),
                                              lambda done, total: seen.append((done, total)))
    assert preview.ok and len(preview.rows) == 1200
    assert seen and all(total == 1200 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2019-09-01", dt.date(2019, 9, 1)), ("2019/09/01", dt.date(2019, 9, 1)),
    ("2019/9/1", dt.date(2019, 9, 1)), ("2019-9-1", dt.date(2019, 9, 1)),
    (dt.datetime(2019, 9, 1), dt.date(2019, 9, 1)), (dt.date(2019, 9, 1), dt.date(2019, 9, 1)),
    ("2020-13-45", None), ("19-9-1", None), ("2019年9月", None), ("明年", None),
])
def test_hiring_dates_as_date_cells_or_typed_text(services, schools, tmp_path, cell,
                                                  expected) -> None:
    row = ["吴刚", "一实小", "", "", "", "", "", cell]
    [result] = services.teacher_import.preview(make_xlsx(tmp_path / "t.xlsx",
                                                         [HEADERS, row])).rows
    if expected is None:
        assert result.teacher is None and len(result.errors) == 1
        assert str(cell) in result.errors[0]
    else:
        assert result.errors == () and result.teacher.hired_on == expected
