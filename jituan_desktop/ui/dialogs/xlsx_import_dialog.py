"""The generic .xlsx import dialog: choose a file, download the template, check the preview
with every row's errors, then import everything or nothing.

How to add an import to a page (the research page is an example)::

    from jituan_desktop.ui.dialogs.xlsx_import_dialog import XlsxImportDialog

    def import_workbook(self) -> None:
        XlsxImportDialog.run(self, self.ctx, MyImportSource(...), "my_workbooks")

``MyImportSource`` implements ``services.xlsx_import.ImportSource`` (title, template, read,
commit; see that module's docstring). Reading and the commit run on the task runner with a
progress dialog and Cancel; a cancelled or failed commit has written nothing (one
transaction). After a commit the dialog publishes the returned ``Changes`` so the pages
refresh, and closes; ``run`` returns the number of imported records (None when nothing was
imported).
"""

from __future__ import annotations

from pathlib import Path
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
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.i18n import N_, _, format_number
from jituan_desktop.services.base import Changes
from jituan_desktop.services.xlsx_import import ImportPreview, ImportSource, PreviewRow
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.models.record_table import Column, RecordFilterProxy, RecordTableModel
from jituan_desktop.ui.tasks import Progress

XLSX_FILTER = N_("Excel workbooks (*.xlsx)")
ERRORS_COLUMN = 1
MAX_COLUMN_WIDTH = 360
_ERROR_COLOR = QColor("#c62828")
_ERROR_ROW_COLOR = QColor(198, 40, 40, 28)


def preview_columns(headers: tuple[str, ...]) -> list[Column[PreviewRow]]:
    """Row number, the errors, then the sheet's columns (named as in the workbook)."""
    columns: list[Column[PreviewRow]] = [
        Column(N_("Row"), lambda r: r.line, align_right=True),
        Column(N_("Errors"), lambda r: " ".join(r.errors),
               tooltip=lambda r: "\n".join(r.errors) or None),
    ]
    for index, header in enumerate(headers):
        columns.append(Column(header, lambda r, i=index: r.values[i]
                              if i < len(r.values) else ""))
    return columns


class _PreviewModel(RecordTableModel[PreviewRow]):
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
            return QBrush(_ERROR_COLOR) if index.column() == ERRORS_COLUMN else None
        return super().data(index, role)


class _SheetView(QTableView):
    def __init__(self, headers: tuple[str, ...], rows: tuple[PreviewRow, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = _PreviewModel(preview_columns(headers), self)
        self.rows_model.set_rows(rows)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.rows_model)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.horizontalHeader().setResizeContentsPrecision(200)
        self.resizeColumnsToContents()
        for column in range(self.rows_model.columnCount()):
            self.setColumnWidth(column, min(self.columnWidth(column), MAX_COLUMN_WIDTH))
        self.horizontalHeader().setStretchLastSection(True)

    def selected_row(self) -> PreviewRow | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.rows_model.row_at(self.proxy.mapToSource(index).row())


class XlsxImportDialog(QDialog):
    """Choose a workbook, see its preview, import all rows or none."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, source: ImportSource[Any],
                 recent_dir_key: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.recent_dir_key = recent_dir_key
        self.preview: ImportPreview[Any] | None = None
        self.imported: int | None = None
        self.setWindowTitle(source.title)
        self.resize(1100, 640)

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("No workbook chosen yet"))
        self.choose_button = QPushButton(_("Choose workbook…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button = QPushButton(_("Read again"))
        self.reload_button.setToolTip(_("Read the workbook again after fixing it in Excel"))
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.setEnabled(False)
        self.template_button = QPushButton(_("Download template…"))
        self.template_button.setToolTip(_("Save an empty workbook with the columns the import "
                                          "expects"))
        self.template_button.clicked.connect(self.save_template)

        self.summary_label = QLabel(_("Choose the workbook to import. Nothing is imported "
                                      "until every row is correct."))
        self.summary_label.setObjectName("summary")
        self.summary_label.setWordWrap(True)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems")
        self.problems_label.setStyleSheet(f"color: {_ERROR_COLOR.name()};")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.hide()
        self.only_errors_check = QCheckBox(_("Show only rows with errors"))
        self.only_errors_check.setEnabled(False)
        self.only_errors_check.toggled.connect(self._filter_errors)
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(self._show_row_errors)
        self.row_errors_label = QLabel(self)
        self.row_errors_label.setObjectName("row_errors")
        self.row_errors_label.setWordWrap(True)
        self.row_errors_label.setTextFormat(Qt.TextFormat.PlainText)
        self.row_errors_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_errors_label.setStyleSheet(f"color: {_ERROR_COLOR.name()};")
        self.row_errors_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton(_("Import"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(_("Workbook:")))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.reload_button)
        file_row.addWidget(self.template_button)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.only_errors_check)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(top)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.row_errors_label)
        layout.addWidget(self.buttons)
        self.choose_button.setFocus()

    # ---- file ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = prompts.open_file(self, _("Choose the workbook to import"), _(XLSX_FILTER),
                                 directory=self.ctx.recent_dir(self.recent_dir_key))
        if path is not None:
            self.ctx.remember_dir(self.recent_dir_key, path)
            self.load(path)

    def reload(self) -> None:
        if self.path_edit.text():
            self.load(Path(self.path_edit.text()))

    def load(self, path: Path) -> None:
        """Read ``path`` on the task runner and show its preview."""
        self.path_edit.setText(str(path))
        self.reload_button.setEnabled(True)
        source = self.source

        def work(progress: Progress) -> ImportPreview[Any]:
            def report(done: int, total: int) -> None:
                progress.check()
                progress.report(done, total)

            return source.read(path, report)

        self.ctx.runner.run(_("Reading the workbook…"), work, self.show_preview, parent=self)

    def show_preview(self, preview: ImportPreview[Any]) -> None:
        self.preview = preview
        self.tabs.clear()
        for sheet in preview.sheets:
            view = _SheetView(sheet.headers, sheet.rows, self)
            view.selectionModel().currentRowChanged.connect(self._show_row_errors)
            errors = sum(1 for r in sheet.rows if r.errors)
            label = sheet.name if not errors else _("{sheet} ({n} with errors)").format(
                sheet=sheet.name, n=format_number(errors))
            self.tabs.addTab(view, label)
        rows = sum(len(sheet.rows) for sheet in preview.sheets)
        with_errors = preview.rows_with_errors
        self.summary_label.setText(_("{rows} rows, {errors} with errors").format(
            rows=format_number(rows), errors=format_number(with_errors)) + "    " + (
            _("All rows are correct. Import adds {n} records.").format(
                n=format_number(len(preview.records))) if preview.ok else
            _("Nothing is imported until every row is correct. Fix the workbook and read it "
              "again.")))
        file_problems = [p.text() for p in preview.file_problems]
        other = len(preview.problems) - len(file_problems) - with_errors
        if other > 0 and not file_problems:
            # problems not tied to a previewed row (e.g. a link between sheets)
            file_problems = [p.text() for p in preview.problems if p.row][:5]
        self.problems_label.setText("\n".join(file_problems))
        self.problems_label.setToolTip(preview.details)
        self.problems_label.setVisible(bool(file_problems))
        self.only_errors_check.setEnabled(with_errors > 0)
        self._filter_errors(self.only_errors_check.isChecked())
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        self._select_first_error()

    def save_template(self) -> None:
        path = prompts.save_file(self, _("Save the import template"), _(XLSX_FILTER),
                                 self.source.title + ".xlsx",
                                 directory=self.ctx.recent_dir(self.recent_dir_key))
        if path is None:
            return
        self.ctx.remember_dir(self.recent_dir_key, path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        target = path
        source = self.source

        def work(_progress: Progress) -> Path:
            source.template(target)
            return target

        self.ctx.runner.run(_("Saving the template…"), work, self._template_saved,
                            on_error=lambda exc: prompts.error(self, _("Template not saved"),
                                                               str(exc)), parent=self)

    def _template_saved(self, path: Path) -> None:
        prompts.info(self, _("Template saved"), _(
            "The import template was saved as {path}. Fill it in, then choose it here with "
            "“Choose workbook…”.").format(path=path))

    # ---- import -------------------------------------------------------------------------

    def accept(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok:  # Enter must not import an invalid preview
            return
        source = self.source

        def work(progress: Progress) -> tuple[int, Changes]:
            def report(done: int, total: int) -> None:
                progress.check()  # Cancel rolls the whole import back
                progress.report(done, total)

            return source.commit(preview, report)

        self.ctx.runner.run(_("Importing…"), work, self._imported,
                            on_error=lambda exc: self.ctx.write_failed(
                                self, exc, _("Nothing was imported")),
                            on_cancelled=lambda: prompts.info(
                                self, _("Import cancelled"),
                                _("The import was cancelled; nothing was added.")),
                            parent=self)

    def _imported(self, result: tuple[int, Changes]) -> None:
        count, changes = result
        self.imported = count
        self.ctx.publish(changes)
        prompts.info(self, _("Import finished"),
                     _("{n} records were imported.").format(n=format_number(count)))
        super().accept()

    # ---- view ---------------------------------------------------------------------------

    def current_view(self) -> _SheetView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, _SheetView) else None

    def _select_first_error(self) -> None:
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            assert isinstance(view, _SheetView)
            rows = view.rows_model.rows()
            first = next((i for i, r in enumerate(rows) if r.errors), None)
            if first is not None and first < view.rows_model.rowCount():
                self.tabs.setCurrentIndex(index)
                view.setCurrentIndex(view.proxy.mapFromSource(
                    view.rows_model.index(first, ERRORS_COLUMN)))
                break
        self._show_row_errors()

    def _show_row_errors(self, *_args: object) -> None:
        view = self.current_view()
        row = view.selected_row() if view is not None else None
        if row is None or not row.errors:
            self.row_errors_label.clear()
            self.row_errors_label.hide()
            return
        self.row_errors_label.setText(_("Row {line}: {errors}").format(
            line=row.line, errors="\n".join(row.errors)))
        self.row_errors_label.show()

    def _filter_errors(self, only: bool) -> None:
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            if isinstance(view, _SheetView):
                view.proxy.set_predicate((lambda r: bool(r.errors)) if only else None)
        self._show_row_errors()

    @classmethod
    def run(cls, parent: QWidget | None, ctx: AppContext, source: ImportSource[Any],
            recent_dir_key: str) -> int | None:
        """Show the dialog modally; the number of imported records, None when none."""
        dialog = cls(parent, ctx, source, recent_dir_key)
        try:
            dialog.exec()
            return dialog.imported
        finally:
            dialog.deleteLater()
