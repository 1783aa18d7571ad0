"""Preview of a teacher import: every row with its errors; Import only when all rows are valid.

``TeacherImportDialog.review(parent, preview) -> bool`` is True when the user chose Import.
``template_bytes()`` builds the empty .xlsx template with the expected Chinese headers.
"""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.i18n import N_, _, format_number, is_chinese
from jituan_desktop.services.teacher_import import HEADERS, REQUIRED, ImportPreview, ImportRow
from jituan_desktop.ui.models.record_table import Column, RecordFilterProxy, RecordTableModel

_ERROR_COLOR = QColor("#c62828")
_ERROR_ROW_COLOR = QColor(198, 40, 40, 28)


ERRORS_COLUMN = 1
MAX_COLUMN_WIDTH = 360


FIELD_LABELS = {
    "name": N_("Name"), "school": N_("School"), "gender": N_("Gender"),
    "staff_no": N_("Staff number"), "subjects": N_("Subjects"),
    "title": N_("Professional title"), "position": N_("Position"),
    "cadre_rank": N_("Cadre rank"), "is_backbone": N_("Backbone"),
    "backbone_level": N_("Backbone level"), "rotation_eligible": N_("Rotation eligible"),
    "hired_on": N_("Hired on"),
}
"""What each spreadsheet column means, for the English interface."""


def column_header(field_name: str) -> str:
    """The spreadsheet's (Chinese) column name; in another language followed by its meaning,
    e.g. "姓名 / Name": the workbook's columns really are named in Chinese."""
    chinese = HEADERS[field_name][0]
    if is_chinese() or field_name not in FIELD_LABELS:
        return chinese
    return f"{chinese} / {_(FIELD_LABELS[field_name])}"


def preview_columns() -> list[Column[ImportRow]]:
    """Row number, the errors, then one column per known header (in ``HEADERS`` order)."""
    columns: list[Column[ImportRow]] = [
        Column(N_("Row"), lambda r: r.line, align_right=True),
        Column(N_("Errors"), lambda r: " ".join(r.errors),
               tooltip=lambda r: "\n".join(r.errors) or None),
    ]
    for index, field_name in enumerate(HEADERS):
        # headers go through _() when shown: "姓名" is no msgid and stays as it is
        columns.append(Column(column_header(field_name),
                              lambda r, i=index: r.values[i] if i < len(r.values) else ""))
    return columns


class _PreviewModel(RecordTableModel[ImportRow]):
    """Rows with errors get a light red background; the error text is red."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if not index.isValid() or index.row() >= self.rowCount():
                return None
            if not self.row_at(index.row()).errors:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(_ERROR_ROW_COLOR)
            if index.column() == ERRORS_COLUMN:
                return QBrush(_ERROR_COLOR)
            return None
        return super().data(index, role)


def _has_errors(row: ImportRow) -> bool:
    return bool(row.errors)


class TeacherImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, preview: ImportPreview) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(_("Import teachers from {file}").format(file=preview.path.name))
        self.resize(1000, 600)

        rows = len(preview.rows)
        with_errors = sum(1 for r in preview.rows if r.errors)
        self.summary_label = QLabel(_("{rows} rows, {errors} with errors").format(
            rows=format_number(rows), errors=format_number(with_errors)))
        self.summary_label.setObjectName("summary")
        self.problems_label = QLabel("\n".join(preview.problems))
        self.problems_label.setObjectName("problems")
        self.problems_label.setStyleSheet(f"color: {_ERROR_COLOR.name()};")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setVisible(bool(preview.problems))
        if preview.details:  # the technical error (often English) only on request
            self.problems_label.setToolTip(preview.details)
        self.only_errors_check = QCheckBox(_("Show only rows with errors"))
        self.only_errors_check.setEnabled(with_errors > 0)
        self.only_errors_check.toggled.connect(self._filter_errors)

        self.model = _PreviewModel(preview_columns(), self)
        self.model.set_rows(preview.rows)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column),
                                                  MAX_COLUMN_WIDTH))
        self.table.horizontalHeader().setStretchLastSection(True)  # as in every list
        # the errors column is cut to MAX_COLUMN_WIDTH: the selected row's errors in full
        self.row_errors_label = QLabel(self)
        self.row_errors_label.setObjectName("row_errors")
        self.row_errors_label.setWordWrap(True)
        self.row_errors_label.setTextFormat(Qt.TextFormat.PlainText)
        self.row_errors_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_errors_label.setStyleSheet(f"color: {_ERROR_COLOR.name()};")
        self.table.selectionModel().currentRowChanged.connect(self._show_row_errors)

        hint = QLabel(_("Nothing is imported until every row is correct. Fix the workbook and "
                        "open it again.") if not preview.ok else
                      _("All rows are correct. Import adds {n} teachers.").format(
                          n=format_number(rows)))
        hint.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton(_("Import"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.only_errors_check)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.row_errors_label)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)

        # start on the first row with errors (if among the rows fetched so far)
        first_error = next((i for i, r in enumerate(preview.rows) if r.errors), None)
        if first_error is not None and first_error < self.model.rowCount():
            self.table.setCurrentIndex(self.proxy.mapFromSource(
                self.model.index(first_error, ERRORS_COLUMN)))
        self._show_row_errors()

    def accept(self) -> None:
        if self.preview.ok:  # Enter must not import an invalid preview either
            super().accept()

    def selected_row(self) -> ImportRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _show_row_errors(self, *_args: object) -> None:
        row = self.selected_row()
        if row is None or not row.errors:
            self.row_errors_label.clear()
            self.row_errors_label.hide()
            return
        self.row_errors_label.setText(_("Row {line}: {errors}").format(
            line=row.line, errors="\n".join(row.errors)))
        self.row_errors_label.show()

    def _filter_errors(self, only: bool) -> None:
        self.proxy.set_predicate(_has_errors if only else None)
        self._show_row_errors()

    @classmethod
    def review(cls, parent: QWidget | None, preview: ImportPreview) -> bool:
        """Show the preview modally; True when the user chose Import."""
        dialog = cls(parent, preview)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()


def template_bytes() -> bytes:
    """An empty import workbook: the headers on the first sheet, explanations on a second."""
    from openpyxl import Workbook  # lazy: 0.2 s import
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "教师"
    sheet.append([names[0] for names in HEADERS.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        assert cell.column_letter is not None
        sheet.column_dimensions[cell.column_letter].width = 14
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("填写说明")
    notes.append([_("Column"), _("How to fill it in")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    explanations = {
        "name": _("Required."),
        "school": _("Required: the school's full or short name as listed under Schools."),
        "gender": "男 / 女",
        "subjects": _("Several subjects separated by 、 e.g. 语文、数学"),
        "title": "正高级 / 高级 / 一级 / 二级 / 三级 / 未定级",
        "cadre_rank": "无 / 中层副职 / 中层正职 / 校级",
        "is_backbone": "是 / 否",
        "rotation_eligible": "是 / 否",
        "hired_on": _("A date, e.g. 2020-09-01"),
    }
    for field_name, names in HEADERS.items():
        required = field_name in REQUIRED
        notes.append([names[0], explanations.get(field_name, "") or
                      (_("Required.") if required else "")])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 70
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
