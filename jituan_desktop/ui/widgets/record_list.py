"""A searchable, sortable list of records: the list widget every page uses.

::

    schools = RecordListView(SCHOOL_COLUMNS, parent=self)
    schools.activated.connect(self._edit_school)          # double-click or Enter
    schools.selection_changed.connect(self._show_details)  # row dataclass or None
    schools.set_rows(result.schools)                       # keeps the selection by id

Ctrl+F (``QKeySequence.Find``) anywhere inside the widget focuses the search box; Down or
Enter there moves into the table. A table reached with the keyboard always has a selected row,
so the page's Edit and Delete buttons work at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.i18n import _, format_number
from jituan_desktop.ui.models.record_table import Column, RecordFilterProxy, RecordTableModel

T = TypeVar("T")

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_INTO_TABLE_KEYS = (*_ENTER_KEYS, Qt.Key.Key_Down)
_NO_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
_KEYBOARD_FOCUS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
MAX_COLUMN_WIDTH = 320
"""Widest a column is made when fitted to its contents (the user can widen it)."""
FIT_SAMPLE_ROWS = 200
"""Rows measured when fitting the columns (all 50,000 would take seconds)."""
REFIT_MAX_ROWS = 2000
"""Lists up to this long fit their columns again whenever their rows change (a new kind of
record may need a wider column); longer lists are fitted once, when first shown."""


class RecordListView(QWidget, Generic[T]):
    """Search box and count above a read-only table of frozen dataclass rows."""

    activated = Signal(object)
    delete_requested = Signal(object)  # the Delete key on a selected row
    """A row was double-clicked or Enter was pressed on it; carries the row dataclass."""
    selection_changed = Signal(object)
    """The selected row dataclass, or None."""

    def __init__(self, columns: Sequence[Column[T]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: RecordTableModel[T] = RecordTableModel(columns, self)
        self._proxy = RecordFilterProxy(self)
        self._proxy.setSourceModel(self._model)
        self._current: T | None = None

        self._search = QLineEdit(self)
        self._search.setPlaceholderText(_("Search… (Ctrl+F)"))
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self._on_search)
        self._search.installEventFilter(self)
        self._count = QLabel(self)
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self._table = QTableView(self)
        self._table.setModel(self._proxy)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setAlternatingRowColors(True)
        self._table.verticalHeader().hide()
        header = self._table.horizontalHeader()
        header.setStretchLastSection(True)
        # No sort until the user clicks a header: keep the order the service returned.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._table.setSortingEnabled(True)
        self._table.doubleClicked.connect(self._on_double_click)
        self._table.installEventFilter(self)
        self._fitted = False  # fitted at least once
        self._fitting = False  # inside fit_columns()
        self._rows_changed = False  # since the last fit
        self._user_sized = False  # the user dragged a column: keep the widths
        self._fitted_filtered = False  # the last fit measured only the rows a filter let through
        header.sectionResized.connect(self._on_section_resized)
        self._table.selectionModel().selectionChanged.connect(self._on_selection)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)

        top = QHBoxLayout()
        top.addWidget(self._search, 1)
        top.addWidget(self._count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._table, 1)
        self._update_count()

    # ---- parts (for pages that need more than the defaults) ----------------------------

    @property
    def model(self) -> RecordTableModel[T]:
        return self._model

    @property
    def proxy(self) -> RecordFilterProxy:
        return self._proxy

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def count_label(self) -> QLabel:
        return self._count

    # ---- rows and selection -------------------------------------------------------------

    def set_rows(self, rows: Iterable[T]) -> None:
        """Replace the rows; the selected record stays selected if its id is still there,
        else the row now at its place in the list is (a deleted row's neighbour)."""
        previous = self._current
        position = self._table.currentIndex().row() if previous is not None else -1
        self._model.set_rows(rows)
        if previous is not None and not self.select_id(getattr(previous, "id", None)):
            self._select_row(min(position, self._proxy.rowCount() - 1))
        self._update_count()
        self._emit_if_changed()
        self._rows_changed = True
        self._fit_if_needed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_if_needed()

    def _fit_if_needed(self) -> None:
        """Fit the columns to new rows once they can be seen; measuring text is the costliest
        part of a refresh, so a long list is fitted only once, and widths the user chose
        stay. A fit made while a search hid rows is made again once all rows show (the hidden
        rows may need wider columns)."""
        if not self.isVisible() or self._model.rowCount() == 0:
            return
        if self._fitted and self._user_sized:
            return
        if self._fitted_filtered and not self._proxy.is_filtering():
            self.fit_columns()
            return
        if not self._rows_changed:
            return
        if self._fitted and self._model.total_rows > REFIT_MAX_ROWS:
            return
        self.fit_columns()

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # the last column stretches with the window; any other resize not ours is the user's
        if not self._fitting and column != self._model.columnCount() - 1:
            self._user_sized = True

    def rows(self) -> list[T]:
        return self._model.rows()

    def selected(self) -> T | None:
        """The selected row (the first one in multi-selection mode), or None."""
        rows = self.selected_rows()
        return rows[0] if rows else None

    def selected_rows(self) -> list[T]:
        """The selected rows in view order."""
        indexes = sorted(self._table.selectionModel().selectedRows(), key=QModelIndex.row)
        return [self._model.row_at(self._proxy.mapToSource(i).row()) for i in indexes]

    def select_id(self, record_id: object) -> bool:
        """Select and show the row with this id; False when it is absent or filtered out."""
        source = self._model.index_of_id(record_id)
        index = self._proxy.mapFromSource(source) if source.isValid() else QModelIndex()
        selection = self._table.selectionModel()
        if not index.isValid():
            selection.clearSelection()
            return False
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self._table.scrollTo(index)
        return True

    def set_filter(self, predicate: Callable[[T], bool] | None) -> None:
        """A page-specific filter on top of the search text; None removes it."""
        self._proxy.set_predicate(predicate)
        self._update_count()
        self._emit_if_changed()
        self._fit_if_needed()

    def fit_columns(self) -> None:
        """Columns as wide as their contents (capped at ``MAX_COLUMN_WIDTH``); the last one
        stretches to the table's right edge."""
        table = self._table
        header = table.horizontalHeader()
        self._fitting = True
        try:
            header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
            # all but the last: that one stretches to the right edge (and so does not
            # follow its contents)
            for column in range(self._model.columnCount() - 1):
                table.resizeColumnToContents(column)
                table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN_WIDTH))
        finally:
            self._fitting = False
        self._fitted = True
        self._fitted_filtered = self._proxy.is_filtering()
        self._rows_changed = False

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def focus_table(self) -> None:
        """Move the focus into the table, selecting the first row if none is selected."""
        self._ensure_selection(prefer_current=False)
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- internals ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down or Enter in the search box: on to the (first) matching row.
        if (
            watched is self._search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _INTO_TABLE_KEYS
            and event.modifiers() in _NO_MODIFIERS
            and self._proxy.rowCount() > 0
        ):
            self.focus_table()
            return True
        # Tab into the table: a selected row, so that the page's buttons work on it.
        if (
            watched is self._table
            and event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and event.reason() in _KEYBOARD_FOCUS
        ):
            self._ensure_selection()
        # Enter activates the current row here rather than through QAbstractItemView's
        # `activated`, which some styles also emit on a single click and which lets the key
        # reach a dialog's default button as well.
        if (
            watched is self._table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
        ):
            index = self._table.currentIndex()
            if index.isValid():
                self._emit_activated(index)
                return True
        if (
            watched is self._table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and self.selected() is not None
        ):
            self.delete_requested.emit(self.selected())
            return True
        return super().eventFilter(watched, event)

    def _ensure_selection(self, *, prefer_current: bool = True) -> None:
        """When no row is selected: select the current row (if ``prefer_current`` and there
        is one), else the first."""
        if self.selected() is not None or self._proxy.rowCount() == 0:
            return
        current = self._table.currentIndex()
        self._select_row(current.row() if prefer_current and current.isValid() else 0)

    def _select_row(self, row: int) -> None:
        """Select the row at this position of the view (nothing when out of range)."""
        index = self._proxy.index(row, 0) if row >= 0 else QModelIndex()
        if not index.isValid():
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._table.selectionModel().setCurrentIndex(index, flags)
        self._table.scrollTo(index)

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self._emit_activated(index)

    def _emit_activated(self, index: QModelIndex) -> None:
        self.activated.emit(self._model.row_at(self._proxy.mapToSource(index).row()))

    def _on_search(self, text: str) -> None:
        self._proxy.set_search_text(text)
        self._update_count()
        self._emit_if_changed()
        self._fit_if_needed()  # all rows back: fit them if the last fit saw fewer

    def _on_selection(self, *_args: Any) -> None:
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        current = self.selected()
        if current != self._current:
            self._current = current
            self.selection_changed.emit(current)

    def _update_count(self) -> None:
        shown = self._proxy.rowCount() if self._proxy.is_filtering() else self._model.total_rows
        self._count.setText(_("{n} records").format(n=format_number(shown)))
