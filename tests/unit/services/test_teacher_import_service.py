"""Teacher lists from .xlsx: preview with per-row errors, then an all-or-nothing commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import event

from jituan_desktop.domain.enums import TeacherTitle
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import _
from jituan_desktop.services import teacher_import
from jituan_desktop.services.teacher_import import ImportedTeacher
from jituan_desktop.services.xlsx_import import MAX_ROWS, ImportPreview, PreviewRow

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
    for _blank in range(title_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rows_of(preview: ImportPreview[ImportedTeacher]) -> tuple[PreviewRow, ...]:
    """The previewed rows of the (only) sheet, with their errors."""
    return preview.sheets[0].rows if preview.sheets else ()


def texts(preview: ImportPreview[ImportedTeacher]) -> tuple[str, ...]:
    return tuple(p.text() for p in preview.problems)


@pytest.fixture
def schools(add_school):
    return (add_school("第一实验小学", short_name="一实小"),
            add_school("阿拉善左旗温都尔勒图镇中心小学", short_name="温都尔勒图小学"))


def test_a_good_sheet_previews_clean_and_commits_every_row_at_once(services, schools,
                                                                   tmp_path) -> None:
    # GIVEN a sheet with Chinese headers; schools by full or short name
    path = make_xlsx(tmp_path / "教师名单.xlsx", [HEADERS, *GOOD_ROWS])
    # WHEN it is previewed
    preview = services.teacher_import.read(path)
    # THEN every row is fine, numbered as in the spreadsheet
    assert preview.ok and preview.rows_with_errors == 0 and not preview.problems
    assert preview.sheets[0].headers == tuple(
        names[0] for names in teacher_import.HEADERS.values())
    assert [r.line for r in rows_of(preview)] == [2, 3, 4]
    assert [r.line for r in preview.records] == [2, 3, 4]
    assert all(r.errors == () for r in rows_of(preview))
    assert rows_of(preview)[1].values[:2] == ("苏日娜", "温都尔勒图小学")
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
    # AND the history has one entry for the import, naming the teachers per school
    [entry] = services.recycle_bin.history(entity="teacher")
    assert (entry.action, entry.actor) == ("import", ACTOR)
    assert entry.summary == _("Imported {n} teachers from {file}").format(n=3,
                                                                        file="教师名单.xlsx")
    assert entry.details == {"第一实验小学": ["王建华", "李海燕"],
                             "阿拉善左旗温都尔勒图镇中心小学": ["苏日娜"]}


def test_english_headers_and_extra_columns_are_accepted(services, schools, tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [["Name", "School", "备注", "Subjects"],
                                           ["Zhang Wei", "一实小", "随便写", "数学"]])
    preview = services.teacher_import.read(path)
    assert preview.ok
    assert preview.records[0].teacher.subjects == ("数学",)


def test_a_title_row_and_blank_rows_keep_the_spreadsheet_line_numbers(services, schools,
                                                                      tmp_path) -> None:
    # GIVEN headers on line 3 (two empty lines above) and an empty line between two teachers
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, GOOD_ROWS[0], [], GOOD_ROWS[1]],
                     title_rows=2)
    preview = services.teacher_import.read(path)
    assert preview.ok
    assert [r.line for r in rows_of(preview)] == [4, 6]


@pytest.mark.parametrize("missing", ["学校", "姓名"])
def test_a_sheet_without_a_required_column_is_a_file_level_problem(services, schools, counts,
                                                                   tmp_path, missing) -> None:
    headers = [h for h in HEADERS if h != missing]
    rows = [[v for h, v in zip(HEADERS, row, strict=True) if h != missing] for row in GOOD_ROWS]
    path = make_xlsx(tmp_path / "t.xlsx", [headers, *rows])
    before = counts(services)
    preview = services.teacher_import.read(path)
    assert not preview.ok and rows_of(preview) == () and preview.records == ()
    [problem] = texts(preview)
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
    preview = services.teacher_import.read(path)
    # THEN the bad rows carry errors on their spreadsheet lines and the good one has none
    errors = {r.line: r.errors for r in rows_of(preview)}
    assert errors[2] == ()
    assert {line for line, e in errors.items() if e} == {3, 4, 5, 6}
    assert "不存在的学校" in errors[3][0]
    assert "也许" in errors[4][0] and "骨干教师" in errors[4][0]
    assert "2020-13-45" in errors[5][0]
    assert "可交流轮岗" in errors[6][0]
    assert [r.line for r in preview.records] == [2]  # only the good row would be added
    assert not preview.ok and preview.rows_with_errors == 4
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
    preview = services.teacher_import.read(path)
    [result] = rows_of(preview)
    assert result.line == 2 and result.errors and preview.records == ()
    for word in words:
        assert word in result.errors[0]


@pytest.mark.parametrize(("header", "limit"), [("工号", 30), ("职务", 50), ("骨干级别", 30)])
def test_a_cell_longer_than_its_column_is_reported_and_the_next_export_imports(
        services, schools, tmp_path, header, limit) -> None:
    # GIVEN a sheet whose 工号 (or 职务, 骨干级别) cell is one character too long
    path = make_xlsx(tmp_path / "t.xlsx", [[*HEADERS, header],
                                           [*GOOD_ROWS[0], "1" * (limit + 1)],
                                           [*GOOD_ROWS[2], "1" * limit]])
    # WHEN it is previewed  THEN that row is refused with the limit, the other one passes
    preview = services.teacher_import.read(path)
    first, second = rows_of(preview)
    assert any(_("At most {n} characters.").format(n=limit) in e for e in first.errors)
    assert second.errors == () and [r.line for r in preview.records] == [second.line]
    # AND what can be imported can be exported and imported again
    services.teacher_import.commit(dataclasses.replace(preview, problems=()))
    out = tmp_path / "all.json"
    services.dataset.export_json(out)
    services.dataset.import_json(out)


def test_a_teacher_twice_in_the_sheet_is_reported_on_the_second_line(services, schools,
                                                                     tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]])
    preview = services.teacher_import.read(path)
    assert [r.line for r in rows_of(preview) if r.errors] == [4]


def test_commit_is_all_or_nothing(services, schools, counts, tmp_path) -> None:
    # GIVEN a clean preview
    preview = services.teacher_import.read(make_xlsx(tmp_path / "t.xlsx",
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
    preview = services.teacher_import.read(path)  # no exception
    assert not preview.ok and rows_of(preview) == ()
    assert len(preview.problems) == 1 and preview.problems[0].text()


def test_a_zip_that_is_not_a_workbook_is_a_clear_problem(services, tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    preview = services.teacher_import.read(path)
    assert not preview.ok and len(preview.problems) == 1


def test_a_missing_file_is_a_clear_problem(services, tmp_path) -> None:
    preview = services.teacher_import.read(tmp_path / "nowhere.xlsx")
    assert not preview.ok and len(preview.problems) == 1


def test_an_empty_sheet_or_headers_only_are_problems(services, schools, tmp_path) -> None:
    empty = services.teacher_import.read(make_xlsx(tmp_path / "a.xlsx", []))
    headers_only = services.teacher_import.read(make_xlsx(tmp_path / "b.xlsx", [HEADERS]))
    assert empty.problems and not empty.ok
    assert headers_only.problems and not headers_only.ok and rows_of(headers_only) == ()


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
    preview = services.teacher_import.read(path)
    assert preview.ok and len(preview.records) == 3
    assert preview.records[0].teacher.hired_on == dt.date(1998, 9, 1)  # the last column


def test_progress_is_reported_for_long_sheets(services, schools, tmp_path) -> None:
    rows = [HEADERS] + [[f"教师{i:04d}", "一实小", "", "语文", "", "", "", None]
                        for i in range(1200)]
    seen: list[tuple[int, int]] = []
    preview = services.teacher_import.read(make_xlsx(tmp_path / "t.xlsx", rows),
                                              lambda done, total: seen.append((done, total)))
    assert preview.ok and len(preview.records) == 1200
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
    preview = services.teacher_import.read(make_xlsx(tmp_path / "t.xlsx", [HEADERS, row]))
    [result] = rows_of(preview)
    if expected is None:
        assert preview.records == () and len(result.errors) == 1
        assert str(cell) in result.errors[0]
    else:
        assert result.errors == () and preview.records[0].teacher.hired_on == expected


# ---- a bulk commit ---------------------------------------------------------------------------


def big_preview(path: Path, school_id: int, n: int) -> ImportPreview[ImportedTeacher]:
    records = tuple(ImportedTeacher(i + 2, Teacher(
        None, school_id, f"教师{i:05d}", staff_no=f"T{i:05d}",
        subjects=("语文", "数学") if i % 2 else ())) for i in range(n))
    return ImportPreview(path, records, ())


def test_twenty_thousand_teachers_are_added_in_one_transaction_with_few_statements(
        services, schools, tmp_path) -> None:
    # GIVEN a clean preview of 20,000 teachers (the most one sheet may hold)
    preview = big_preview(tmp_path / "全集团.xlsx", schools[0].id, MAX_ROWS)
    commits: list[object] = []
    inserts: list[str] = []

    def on_commit(connection: object) -> None:
        commits.append(connection)

    def on_execute(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if sql.startswith("INSERT"):
            inserts.append(sql)

    event.listen(services.engine, "commit", on_commit)
    event.listen(services.engine, "before_cursor_execute", on_execute)
    reported: list[tuple[int, int]] = []
    try:
        # WHEN it is committed
        added, changes = services.teacher_import.commit(
            preview, lambda done, total: reported.append((done, total)))
    finally:
        event.remove(services.engine, "commit", on_commit)
        event.remove(services.engine, "before_cursor_execute", on_execute)
    # THEN everything was written by one transaction in a few bulk statements, not row by row
    assert added == 20000 and len(changes.ids) == 20000
    assert len(commits) == 1
    assert len(inserts) < 200
    assert reported[-1] == (20000, 20000) and len(reported) == 20000 // teacher_import.INSERT_CHUNK
    # AND every teacher is there with its subjects, and the history has one entry
    teachers = services.teachers.list()
    assert len(teachers) == 20000
    by_name = {t.name: t for t in teachers}
    assert by_name["教师00001"].subjects == ("语文", "数学")
    assert by_name["教师00002"].subjects == () and by_name["教师00002"].staff_no == "T00002"
    [entry] = services.recycle_bin.history(entity="teacher")
    assert entry.action == "import" and "全集团.xlsx" in entry.summary
    assert len(entry.details[schools[0].name]) == 20000


@pytest.mark.parametrize("returning", [True, False])
def test_each_teacher_gets_its_own_subjects_with_or_without_bulk_returning(
        services, schools, tmp_path, monkeypatch, returning) -> None:
    # GIVEN a database that can (or cannot) return the ids of many inserted rows
    monkeypatch.setattr(services.engine.dialect, "insert_executemany_returning", returning)
    records = tuple(ImportedTeacher(i + 2, Teacher(None, schools[i % 2].id, f"教师{i}",
                                                   subjects=(f"学科{i}",)))
                    for i in range(2500))
    # WHEN they are committed
    added, changes = services.teacher_import.commit(
        ImportPreview(tmp_path / "t.xlsx", records, ()))
    # THEN every teacher has its own subject and school
    assert added == 2500
    teachers = services.teachers.list()
    assert {t.id for t in teachers} == set(changes.ids)
    assert all(t.subjects == (f"学科{t.name[2:]}",) for t in teachers)
    assert all(t.school_id == schools[int(t.name[2:]) % 2].id for t in teachers)


def test_an_error_during_the_commit_adds_nobody(services, schools, counts, tmp_path) -> None:
    # GIVEN a preview of 3,000 teachers, and a progress callback that stops after the first
    # chunk (what Cancel does)
    preview = big_preview(tmp_path / "t.xlsx", schools[0].id, 3000)
    before = counts(services)

    class Stop(Exception):
        pass

    def stop(done: int, _total: int) -> None:
        raise Stop

    # WHEN it is committed  THEN nothing was added, not even the first chunk
    with pytest.raises(Stop):
        services.teacher_import.commit(preview, stop)
    assert counts(services) == before
    assert services.recycle_bin.history(entity="teacher") == []


# ---- teachers that are already there ---------------------------------------------------------


def test_importing_the_same_sheet_twice_flags_every_row_as_existing(services, schools,
                                                                   counts, tmp_path) -> None:
    # GIVEN a sheet that was imported once
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, *GOOD_ROWS])
    services.teacher_import.commit(services.teacher_import.read(path))
    before = counts(services)
    # WHEN it is previewed again
    again = services.teacher_import.read(path)
    # THEN every row is reported as already there and nothing can be imported
    assert not again.ok and again.rows_with_errors == 3 and again.records == ()
    assert all(len(r.errors) == 1 for r in rows_of(again))
    exists = _("This teacher already exists (same name and school, and the same staff number "
               "if both have one). Remove the row from the sheet.")
    assert all(r.errors[0] == exists for r in rows_of(again))
    with pytest.raises(ValueError):
        services.teacher_import.commit(again)
    assert counts(services) == before


@pytest.mark.parametrize(("existing_no", "sheet_no", "exists"), [
    ("", "", True),
    ("T001", "", True),  # the sheet gives no number: same name and school is enough
    ("", "T001", True),  # the database has none
    ("T001", "T001", True),
    ("T001", "T002", False),  # two teachers of the same name at one school
])
def test_a_teacher_exists_with_the_same_name_and_school_and_staff_number_if_both_have_one(
        services, schools, tmp_path, existing_no, sheet_no, exists) -> None:
    services.teachers.save(Teacher(None, schools[0].id, "王建华", staff_no=existing_no))
    path = make_xlsx(tmp_path / "t.xlsx", [["姓名", "学校", "工号"],
                                           ["王建华", "一实小", sheet_no],
                                           ["王建华", "温都尔勒图小学", sheet_no]])
    first, other_school = rows_of(services.teacher_import.read(path))
    assert bool(first.errors) is exists
    assert other_school.errors == ()


def test_a_teacher_in_the_recycle_bin_does_not_count_as_existing(services, schools,
                                                                 tmp_path) -> None:
    teacher, _changes = services.teachers.save(Teacher(None, schools[0].id, "王建华"))
    services.recycle_bin.delete("teacher", teacher.id)
    path = make_xlsx(tmp_path / "t.xlsx", [["姓名", "学校"], ["王建华", "一实小"]])
    assert services.teacher_import.read(path).ok


def test_a_teacher_added_after_the_preview_stops_the_commit(services, schools, counts,
                                                            tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, *GOOD_ROWS])
    preview = services.teacher_import.read(path)
    assert preview.ok
    services.teachers.save(Teacher(None, schools[0].id, "李海燕"))
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.teacher_import.commit(preview)
    assert "4" in caught.value.report.text()  # the spreadsheet row of 李海燕
    assert counts(services) == before


def test_the_title_and_rank_words_are_built_once_per_preview(services, schools, tmp_path,
                                                             monkeypatch) -> None:
    calls: list[type] = []
    words = teacher_import.choice_words

    def counting(enum: Any, extra: dict[str, str]) -> dict[str, Any]:
        calls.append(enum)
        return words(enum, extra)

    monkeypatch.setattr(teacher_import, "choice_words", counting)
    rows = [HEADERS] + [[f"教师{i:03d}", "一实小", "", "", "一级", "", "", None]
                        for i in range(50)]
    preview = services.teacher_import.read(make_xlsx(tmp_path / "t.xlsx", rows))
    assert preview.ok
    assert len(calls) == 2


# ---- file problems in the user's language ----------------------------------------------------

ENGLISH = re.compile(r"Errno|zip|[Nn]o such file|[Pp]ermission denied")


def assert_clear_problem(preview: ImportPreview[ImportedTeacher], expected: str,
                         raw: str) -> None:
    assert not preview.ok and rows_of(preview) == ()
    assert texts(preview) == (expected,)
    assert not ENGLISH.search(texts(preview)[0])
    assert raw in preview.details  # the technical error, for the details


def test_a_missing_file_is_explained_without_the_system_message(services, tmp_path) -> None:
    path = tmp_path / "nowhere.xlsx"
    assert_clear_problem(services.teacher_import.read(path), _(
        "The file {file} was not found. It may have been moved, renamed or deleted.").format(
            file=path), "No such file")


def test_a_file_that_is_no_workbook_is_explained_without_the_zip_message(services,
                                                                         tmp_path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"name,school\n")
    assert_clear_problem(services.teacher_import.read(path), _(
        "{file} is not an Excel workbook (.xlsx), or it is damaged. Open it in Excel, save it "
        "as “Excel Workbook (*.xlsx)” and import that file.").format(file=path.name),
        "File is not a zip file")


def test_an_old_xls_workbook_is_explained(services, tmp_path) -> None:
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    preview = services.teacher_import.read(path)
    assert texts(preview) == (_(
        "{file} is an old Excel 97–2003 workbook (.xls). Open it in Excel, save it as “Excel "
        "Workbook (*.xlsx)” and import that file.").format(file=path.name),)
    assert preview.details


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs file permissions that apply to the user")
def test_a_file_without_read_permission_is_explained(services, tmp_path) -> None:
    path = make_xlsx(tmp_path / "t.xlsx", [HEADERS, *GOOD_ROWS])
    path.chmod(0)
    try:
        assert_clear_problem(services.teacher_import.read(path), _(
            "There is no permission to read the file {file}.").format(file=path),
            "Permission denied")
    finally:
        path.chmod(0o600)


def test_a_permission_error_is_explained(services, tmp_path, monkeypatch) -> None:
    path = tmp_path / "t.xlsx"

    def denied(_path: Path) -> dict[str, Any]:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(teacher_import, "read_workbook", denied)
    assert_clear_problem(services.teacher_import.read(path), _(
        "There is no permission to read the file {file}.").format(file=path),
        "Permission denied")


def test_a_file_open_in_excel_on_windows_is_explained(services, tmp_path, monkeypatch) -> None:
    path = tmp_path / "t.xlsx"

    def in_use(_path: Path) -> dict[str, Any]:
        exc = PermissionError(13, "The process cannot access the file because it is being "
                                  "used by another process", str(path))
        exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
        raise exc

    monkeypatch.setattr(teacher_import, "read_workbook", in_use)
    assert_clear_problem(services.teacher_import.read(path), _(
        "The file {file} is open in another program. Close it there (for example in Excel) "
        "and try again.").format(file=path.name), "being used by another process")
