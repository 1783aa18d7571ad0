"""TeacherImportDialog (the generic import preview): rows with their errors; Import only for a
preview without errors. And the template of the teacher import: the headers it expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from jituan_desktop.bootstrap import Services
from jituan_desktop.domain.schools import School
from jituan_desktop.i18n import _, format_number
from jituan_desktop.services.teacher_import import HEADERS, ImportedTeacher
from jituan_desktop.services.xlsx_import import ImportPreview
from jituan_desktop.ui.dialogs.teacher_import_dialog import TeacherImportDialog
from jituan_desktop.ui.dialogs.xlsx_import_dialog import ERRORS_COLUMN

pytestmark = pytest.mark.gui

HEADER_ROW = ["姓名", "学校", "性别", "学科", "职称"]


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def schools(services: Services) -> Services:
    services.schools.save(School(None, "余姚市阳明小学", short_name="阳明"))
    return services


def preview_of(services: Services, path: Path, rows: list[list[Any]]
               ) -> ImportPreview[ImportedTeacher]:
    return services.teacher_import.read(write_xlsx(path, rows))


def make_dialog(qtbot: Any, preview: ImportPreview[ImportedTeacher]) -> TeacherImportDialog:
    dialog = TeacherImportDialog(None, preview)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_rows_with_errors_keep_import_disabled(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    # GIVEN a sheet with one good row and one naming an unknown school
    preview = preview_of(schools, tmp_path / "t.xlsx", [
        HEADER_ROW, ["李晓燕", "阳明", "女", "语文", "一级"], ["王芳", "不存在小学", "女", "", ""]])
    assert not preview.ok

    dialog = make_dialog(qtbot, preview)

    # THEN Import is disabled, the summary counts rows and errors, the error text is red
    assert not dialog.import_button.isEnabled()
    assert dialog.summary_label.text().startswith(_("{rows} rows, {errors} with errors").format(
        rows=format_number(2), errors=format_number(1)))
    assert dialog.summary_label.text().endswith(_(
        "Nothing is imported until every row is correct. Fix the workbook and open it again."))
    model = view_of(dialog).rows_model
    errors_column = ERRORS_COLUMN
    bad = model.index(1, errors_column)
    assert "不存在小学" in model.data(bad)
    brush = model.data(bad, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == "#c62828"
    assert model.data(model.index(0, errors_column), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(1, 0)) == "3"  # the spreadsheet row

    # AND Enter (accept) does not import either
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted

    # AND the rows can be narrowed to those with errors
    dialog.only_errors_check.click()
    assert view_of(dialog).proxy.rowCount() == 1


def test_file_problems_are_shown(qtbot: Any, schools: Services, tmp_path: Path) -> None:
    preview = preview_of(schools, tmp_path / "t.xlsx", [["姓名", "电话"], ["李晓燕", "123"]])
    dialog = make_dialog(qtbot, preview)
    assert not dialog.import_button.isEnabled()
    assert dialog.problems_label.isVisible()
    assert dialog.problems_label.text() == preview.problems[0].text()


def test_a_clean_preview_can_be_imported(qtbot: Any, schools: Services, tmp_path: Path) -> None:
    preview = preview_of(schools, tmp_path / "t.xlsx", [
        HEADER_ROW, ["李晓燕", "阳明", "女", "语文", "一级"],
        ["王芳", "余姚市阳明小学", "", "数学、科学", ""]])
    assert preview.ok
    dialog = make_dialog(qtbot, preview)
    assert dialog.import_button.isEnabled()
    assert not dialog.only_errors_check.isEnabled()
    assert dialog.summary_label.text().endswith(_(
        "All rows are correct. Import adds {n} teachers.").format(n=format_number(2)))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted


def test_template_has_the_import_headers_and_imports_once_filled(
    schools: Services, tmp_path: Path
) -> None:
    path = tmp_path / "template.xlsx"
    schools.teacher_import.template(path)
    workbook = load_workbook(path)
    first = workbook.worksheets[0]
    headers = [cell.value for cell in first[1]]
    assert headers == [names[0] for names in HEADERS.values()]
    assert first.max_row == 1  # no sample row that would be imported by mistake
    assert len(workbook.worksheets) == 2  # the explanations
    notes = {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(min_row=2,
                                                                        values_only=True)}
    assert set(notes) == {names[0] for names in HEADERS.values()}
    assert notes["姓名"] == _("Required.") and "未定级" in notes["职称"]

    # an empty template is refused with a clear problem, a filled one imports
    assert schools.teacher_import.read(path).problems
    first.append(["李晓燕", "阳明"])
    workbook.save(path)
    assert schools.teacher_import.read(path).ok


def test_the_selected_row_shows_its_errors_in_full(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    # GIVEN a preview whose second row has two long errors (the column cuts them with "…")
    preview = preview_of(schools, tmp_path / "t.xlsx", [
        [*HEADER_ROW, "入职日期"], ["李晓燕", "阳明", "女", "语文", "一级", None],
        ["王芳", "不存在小学", "女", "", "", "明年九月"]])
    [bad] = [r for r in preview.sheets[0].rows if r.errors]
    assert len(bad.errors) == 2
    dialog = make_dialog(qtbot, preview)

    # THEN the first row with errors is selected and its errors are shown in full below
    assert not dialog.problems_label.isVisible()  # they are no problem of the whole file
    assert dialog.selected_row() == bad
    label = dialog.row_errors_label
    assert label.isVisible() and label.wordWrap()
    assert label.text() == _("Row {line}: {errors}").format(line=bad.line,
                                                           errors="\n".join(bad.errors))

    # WHEN a correct row is selected  THEN there is nothing to show
    view = view_of(dialog)
    view.setCurrentIndex(view.proxy.index(0, 0))
    assert not label.isVisible()


def test_a_file_problem_keeps_the_technical_error_out_of_the_message(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"not a workbook")
    preview = schools.teacher_import.read(path)
    dialog = make_dialog(qtbot, preview)
    assert "zip" not in dialog.problems_label.text()
    assert "File is not a zip file" in dialog.problems_label.toolTip()
    assert not dialog.row_errors_label.isVisible()


def view_of(dialog: TeacherImportDialog) -> Any:
    """The table of the (only) sheet."""
    assert dialog.tabs.count() == 1
    return dialog.current_view()


def header_texts(dialog: TeacherImportDialog) -> list[str]:
    model = view_of(dialog).rows_model
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_spreadsheet_headers_are_chinese_in_the_chinese_interface(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    preview = preview_of(schools, tmp_path / "t.xlsx", [HEADER_ROW, ["李晓燕", "阳明"]])
    headers = header_texts(make_dialog(qtbot, preview))
    assert headers[2:] == [names[0] for names in HEADERS.values()]


def test_spreadsheet_headers_are_explained_in_the_english_interface(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    from jituan_desktop import i18n, paths

    preview = preview_of(schools, tmp_path / "t.xlsx", [HEADER_ROW, ["李晓燕", "阳明"]])
    i18n.install("en", paths.catalogs_dir())
    headers = header_texts(make_dialog(qtbot, preview))
    assert headers[:2] == ["Row", "Errors"]
    assert headers[2:5] == ["姓名 / Name", "学校 / School", "性别 / Gender"]
    assert "职称 / Professional title" in headers
    assert headers[-1] == "入职日期 / Hired on"


def test_the_last_column_stretches_as_in_every_list(
    qtbot: Any, schools: Services, tmp_path: Path
) -> None:
    preview = preview_of(schools, tmp_path / "t.xlsx", [HEADER_ROW, ["李晓燕", "阳明"]])
    dialog = make_dialog(qtbot, preview)
    table = view_of(dialog)
    assert table.horizontalHeader().stretchLastSection()

    def total() -> int:
        return sum(table.columnWidth(c) for c in range(table.rows_model.columnCount()))

    qtbot.waitUntil(lambda: total() >= table.viewport().width())
