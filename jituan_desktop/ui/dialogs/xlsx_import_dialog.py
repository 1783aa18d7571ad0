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
imported). ``ImportTexts`` names what is imported ("{n} teachers were added.").

A page that chooses the file itself and only asks the user to confirm the preview (the
teachers page) uses the same pieces: ``read_in_background``, then ``ImportPreviewDialog``
(the preview part of this dialog, e.g. ``teacher_import_dialog.TeacherImportDialog``), then
``commit_in_background``; ``save_template`` saves the source's template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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

from jituan_desktop.i18n import N_, _, format_number, is_chinese
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


@dataclass(frozen=True)
class ImportTexts:
    """What the dialog says about the imported records; untranslated (``N_``), ``{n}`` is the
    number of records."""

    importing: str = N_("Importing…")
    imported: str = N_("{n} records were imported.")
    cancelled: str = N_("The import was cancelled; nothing was added.")
    all_correct: str = N_("All rows are correct. Import adds {n} records.")
    fix_rows: str = N_("Nothing is imported until every row is correct. Fix the workbook and "
                       "read it again.")


def preview_columns(headers: tuple[str, ...],
                    labels: tuple[str, ...] = ()) -> list[Column[PreviewRow]]:
    """Row number, the errors, then the sheet's columns (named as in the workbook; in another
    language than Chinese followed by their meaning, e.g. "姓名 / Name")."""
    columns: list[Column[PreviewRow]] = [
        Column(N_("Row"), lambda r: r.line, align_right=True),
        Column(N_("Errors"), lambda r: " ".join(r.errors),
               tooltip=lambda r: "\n".join(r.errors) or None),
    ]
    explain = not is_chinese()
    for index, header in enumerate(headers):
        # headers go through _() when shown: "姓名" is no msgid and stays as it is
        title = f"{header} / {_(labels[index])}" if explain and index < len(labels) else header
        columns.append(Column(title, lambda r, i=index: r.values[i]
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
    def __init__(self, headers: tuple[str, ...], labels: tuple[str, ...],
                 rows: tuple[PreviewRow, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = _PreviewModel(preview_columns(headers, labels), self)
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


# ---- the steps of an import, on the task runner ------------------------------------------


def read_in_background(parent: QWidget, ctx: AppContext, source: ImportSource[Any],
                       path: Path, on_done: Callable[[ImportPreview[Any]], object]) -> None:
    """Read ``path`` with ``source`` on the task runner (with progress and Cancel)."""

    def work(progress: Progress) -> ImportPreview[Any]:
        def report(done: int, total: int) -> None:
            progress.check()
            progress.report(done, total)

        return source.read(path, report)

    ctx.runner.run(_("Reading the workbook…"), work, on_done, parent=parent)


def commit_in_background(parent: QWidget, ctx: AppContext, source: ImportSource[Any],
                         preview: ImportPreview[Any], texts: ImportTexts,
                         on_done: Callable[[int], object] = lambda _count: None) -> None:
    """Commit a clean preview on the task runner; Cancel rolls the whole import back. Then
    publish the changes, say how many records were added and call ``on_done(count)``."""

    def work(progress: Progress) -> tuple[int, Changes]:
        def report(done: int, total: int) -> None:
            progress.check()  # Cancel rolls the whole import back
            progress.report(done, total)

        return source.commit(preview, report)

    def imported(result: tuple[int, Changes]) -> None:
        count, changes = result
        ctx.publish(changes)
        prompts.info(parent, _("Import finished"),
                     _(texts.imported).format(n=format_number(count)))
        on_done(count)

    ctx.runner.run(_(texts.importing), work, imported,
                   on_error=lambda exc: ctx.write_failed(parent, exc, _("Nothing was imported")),
                   on_cancelled=lambda: prompts.info(parent, _("Import cancelled"),
                                                     _(texts.cancelled)),
                   parent=parent)


def save_template(parent: QWidget, ctx: AppContext, source: ImportSource[Any],
                  recent_dir_key: str, file_name: str, saved_text: str) -> None:
    """Ask where to save ``source``'s template (``file_name`` proposed, ".xlsx" added) and
    write it on the task runner; ``saved_text`` (with ``{path}``) tells where it went."""
    path = prompts.save_file(parent, _("Save the import template"), _(XLSX_FILTER),
                             file_name, directory=ctx.recent_dir(recent_dir_key))
    if path is None:
        return
    ctx.remember_dir(recent_dir_key, path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    target: Path = path

    def work(_progress: Progress) -> Path:
        source.template(target)
        return target

    ctx.runner.run(_("Saving the template…"), work,
                   lambda saved: prompts.info(parent, _("Template saved"),
                                              saved_text.format(path=saved)),
                   on_error=lambda exc: prompts.error(parent, _("Template not saved"),
                                                      str(exc)), parent=parent)


# ---- dialogs ------------------------------------------------------------------------------


class ImportPreviewDialog(QDialog):
    """The preview of an import: one tab per sheet with every row's errors, the problems of
    the file, and Import only for a preview without problems. Import closes the dialog as
    accepted; ``XlsxImportDialog`` commits first."""

    def __init__(self, parent: QWidget | None, title: str,
                 texts: ImportTexts = ImportTexts()) -> None:
        super().__init__(parent)
        self.texts = texts
        self.preview: ImportPreview[Any] | None = None
        self.setWindowTitle(title)
        self.resize(1100, 640)

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
        # the errors column is cut to MAX_COLUMN_WIDTH: the selected row's errors in full
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

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.only_errors_check)
        self.main_layout = QVBoxLayout(self)
        self.main_layout.addLayout(top)
        self.main_layout.addWidget(self.problems_label)
        self.main_layout.addWidget(self.tabs, 1)
        self.main_layout.addWidget(self.row_errors_label)
        self.main_layout.addWidget(self.buttons)

    def show_preview(self, preview: ImportPreview[Any]) -> None:
        self.preview = preview
        self.tabs.clear()
        for sheet in preview.sheets:
            view = _SheetView(sheet.headers, sheet.labels, sheet.rows, self)
            view.selectionModel().currentRowChanged.connect(self._show_row_errors)
            errors = sum(1 for r in sheet.rows if r.errors)
            label = sheet.name if not errors else _("{sheet} ({n} with errors)").format(
                sheet=sheet.name, n=format_number(errors))
            self.tabs.addTab(view, label)
        rows = sum(len(sheet.rows) for sheet in preview.sheets)
        with_errors = preview.rows_with_errors
        self.summary_label.setText(_("{rows} rows, {errors} with errors").format(
            rows=format_number(rows), errors=format_number(with_errors)) + "    " + (
            _(self.texts.all_correct).format(n=format_number(len(preview.records)))
            if preview.ok else _(self.texts.fix_rows)))
        file_problems = [p.text() for p in preview.file_problems]
        if not file_problems:
            # problems not tied to a previewed row with errors (e.g. a link between sheets)
            shown = {(sheet.name, r.line) for sheet in preview.sheets for r in sheet.rows
                     if r.errors}
            file_problems = [p.text() for p in preview.problems
                             if p.row and (p.sheet, p.row) not in shown][:5]
        self.problems_label.setText("\n".join(file_problems))
        self.problems_label.setToolTip(preview.details)  # the technical error, on request
        self.problems_label.setVisible(bool(file_problems))
        self.only_errors_check.setEnabled(with_errors > 0)
        self._filter_errors(self.only_errors_check.isChecked())
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        self._select_first_error()

    def accept(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok:  # Enter must not import an invalid preview
            return
        self.confirmed(preview)

    def confirmed(self, preview: ImportPreview[Any]) -> None:
        """Import was chosen for a clean ``preview``."""
        super().accept()

    # ---- view ---------------------------------------------------------------------------

    def current_view(self) -> _SheetView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, _SheetView) else None

    def selected_row(self) -> PreviewRow | None:
        view = self.current_view()
        return view.selected_row() if view is not None else None

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
        row = self.selected_row()
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


class XlsxImportDialog(ImportPreviewDialog):
    """Choose a workbook, see its preview, import all rows or none."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, source: ImportSource[Any],
                 recent_dir_key: str, texts: ImportTexts = ImportTexts()) -> None:
        super().__init__(parent, source.title, texts)
        self.ctx = ctx
        self.source = source
        self.recent_dir_key = recent_dir_key
        self.imported: int | None = None

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

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(_("Workbook:")))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.reload_button)
        file_row.addWidget(self.template_button)
        self.main_layout.insertLayout(0, file_row)
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
        read_in_background(self, self.ctx, self.source, path, self.show_preview)

    def save_template(self) -> None:
        save_template(self, self.ctx, self.source, self.recent_dir_key,
                      self.source.title + ".xlsx", _(
                          "The import template was saved as {path}. Fill it in, then choose it "
                          "here with “Choose workbook…”."))

    # ---- import -------------------------------------------------------------------------

    def confirmed(self, preview: ImportPreview[Any]) -> None:
        commit_in_background(self, self.ctx, self.source, preview, self.texts, self._imported)

    def _imported(self, count: int) -> None:
        self.imported = count
        QDialog.accept(self)

    @classmethod
    def run(cls, parent: QWidget | None, ctx: AppContext, source: ImportSource[Any],
            recent_dir_key: str, texts: ImportTexts = ImportTexts()) -> int | None:
        """Show the dialog modally; the number of imported records, None when none."""
        dialog = cls(parent, ctx, source, recent_dir_key, texts)
        try:
            dialog.exec()
            return dialog.imported
        finally:
            dialog.deleteLater()
