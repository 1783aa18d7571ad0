"""A read-only table model over frozen dataclass rows, plus a search/sort proxy.

Pages describe their columns once::

    COLUMNS = [
        Column(N_("Name"), lambda s: s.name),
        Column(N_("Pupils"), lambda s: s.pupil_count, align_right=True),
        Column(N_("Joined"), lambda s: s.joined_on),          # a date: shown by Babel
    ]
    model = RecordTableModel(COLUMNS)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(service_result.schools)

Headers are passed through ``_()`` when displayed, so ``N_()`` labels work.

Rows are shown lazily: ``rowCount()`` grows in batches of ``batch_size`` through
``canFetchMore``/``fetchMore`` as the view scrolls, so 50,000 rows appear at once.
A proxy only sees fetched rows; ``RecordFilterProxy`` therefore fetches everything before it
searches or filters by a predicate, and again after each ``set_rows`` while one is active.

Sorting: ``Qt.UserRole`` gives each cell's sort key, so any ``QSortFilterProxyModel`` sorts
numbers and dates correctly. ``RecordFilterProxy.sort`` however hands the sort to the source
model, which orders its Python list by the same keys: sorting 50,000 rows in a proxy calls
``data()`` from C++ about a million times (10 s measured), the list sort takes milliseconds,
needs no fetching and is kept across ``set_rows``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTime,
)

from jituan_desktop.i18n import _, current_locale, format_date, format_datetime

T = TypeVar("T")

BATCH_SIZE = 1000

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: ``value`` gives what is displayed, ``sort_key`` how it sorts.

    Without ``sort_key`` the value itself sorts. Sort keys should be numbers, strings,
    dates or bools (Qt compares them); anything else sorts by its ``str()``. None sorts last.
    """

    header: str
    value: Callable[[T], object]
    sort_key: Callable[[T], object] | None = None
    align_right: bool = False
    tooltip: Callable[[T], str | None] | None = None


@lru_cache(maxsize=4096)
def _date_text(value: dt.date, locale: str) -> str:
    # Babel formatting costs tens of µs; a list repeats the same dates many times.
    if isinstance(value, dt.datetime):
        return format_datetime(value, "medium")
    return format_date(value, "medium")


def display_text(value: object) -> str:
    """How a cell value is shown: None → "", dates by Babel, bools as a check mark."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, dt.date):
        return _date_text(value, current_locale())
    return str(value)


def _sortable(key: object) -> object:
    """A sort key reduced to None, a bool, number, string, date or datetime."""
    if key is None or isinstance(key, bool | int | float | str | dt.date):
        return key
    if isinstance(key, enum.Enum):
        return _sortable(key.value)
    if isinstance(key, Decimal):
        return float(key)
    return str(key)


def _ordering(key: object) -> object:
    """Python ordering of a ``_sortable`` value: strings ignore case and sort Chinese by
    pinyin where GB2312 does (its first-level hanzi are in pinyin order)."""
    if isinstance(key, str):
        return key.casefold().encode("gb18030")
    return key


def _qt_sort_value(key: object) -> object:
    """A ``_sortable`` value as a type QVariant compares (a Python date arrives in C++ as an
    opaque object and would not sort)."""
    if isinstance(key, dt.datetime):
        if key.tzinfo is not None:
            key = key.astimezone(dt.UTC).replace(tzinfo=None)
        return QDateTime(
            QDate(key.year, key.month, key.day),
            QTime(key.hour, key.minute, key.second, key.microsecond // 1000),
        )
    if isinstance(key, dt.date):
        return QDate(key.year, key.month, key.day)
    return key


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Rows are frozen dataclasses with an ``id``; read-only; fetched lazily in batches."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        parent: QObject | None = None,
        *,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._batch_size = batch_size
        self._rows: list[T] = []
        self._loaded = 0
        self._positions: dict[object, int] | None = None  # id → row, built on demand
        self._haystacks: list[str | None] = []  # search text per row, built on demand
        self._sort_column = -1  # -1: keep the order set_rows was given
        self._sort_order = Qt.SortOrder.AscendingOrder

    # ---- records --------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column[T], ...]:
        return self._columns

    def set_rows(self, rows: Iterable[T]) -> None:
        """Replace all rows (a model reset); only the first batch is shown until fetched."""
        self.beginResetModel()
        self._rows = list(rows)
        self._loaded = min(self._batch_size, len(self._rows))
        self._positions = None
        self._haystacks = [None] * len(self._rows)
        if self._sort_column >= 0:
            self._reorder(self._sorted_permutation())
        self.endResetModel()

    def rows(self) -> list[T]:
        """All rows, fetched or not, in model order."""
        return list(self._rows)

    @property
    def total_rows(self) -> int:
        """All rows, fetched or not (``rowCount()`` counts fetched rows only)."""
        return len(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def index_of_id(self, record_id: object, column: int = 0) -> QModelIndex:
        """The index of the row whose ``id`` is ``record_id`` (fetched first if needed);
        invalid when there is none."""
        if self._positions is None:
            self._positions = {getattr(r, "id", None): i for i, r in enumerate(self._rows)}
        position = self._positions.get(record_id)
        if position is None:
            return QModelIndex()
        if position >= self._loaded:
            self._fetch_to(position + 1)
        return self.index(position, column)

    def fetch_all(self) -> None:
        """Show every row now (one insert)."""
        self._fetch_to(len(self._rows))

    def display_text(self, row: int, column: int) -> str:
        return display_text(self._columns[column].value(self._rows[row]))

    def search_text(self, row: int) -> str:
        """Every column's display text, casefolded, for substring search (cached)."""
        text = self._haystacks[row]
        if text is None:
            record = self._rows[row]
            text = "\n".join(display_text(c.value(record)) for c in self._columns).casefold()
            self._haystacks[row] = text
        return text

    # ---- sorting --------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order all rows (fetched or not) by ``column``'s sort key; None last either way.

        Kept for later ``set_rows``; ``column=-1`` stops sorting (the current order stays).
        """
        self._sort_column = column if 0 <= column < len(self._columns) else -1
        self._sort_order = order
        if self._sort_column < 0 or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        permutation = self._sorted_permutation()
        new_row = {old: new for new, old in enumerate(permutation)}
        old_indexes = self.persistentIndexList()
        new_indexes = []
        for old in old_indexes:
            row = new_row[old.row()]
            new_indexes.append(self.index(row, old.column()) if row < self._loaded else _ROOT)
        self._reorder(permutation)
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _sorted_permutation(self) -> list[int]:
        column = self._columns[self._sort_column]
        key_of = column.sort_key or column.value
        keys = [_sortable(key_of(record)) for record in self._rows]
        present = [i for i, key in enumerate(keys) if key is not None]
        missing = [i for i, key in enumerate(keys) if key is None]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        try:
            present.sort(key=lambda i: _ordering(keys[i]), reverse=descending)
        except TypeError:  # mixed types in one column: fall back to their text
            present.sort(key=lambda i: _ordering(str(keys[i])), reverse=descending)
        return present + missing

    def _reorder(self, permutation: list[int]) -> None:
        self._rows = [self._rows[i] for i in permutation]
        self._haystacks = [self._haystacks[i] for i in permutation]
        self._positions = None

    def _fetch_to(self, count: int) -> None:
        count = min(count, len(self._rows))
        if count <= self._loaded:
            return
        self.beginInsertRows(_ROOT, self._loaded, count - 1)
        self._loaded = count
        self.endInsertRows()

    # ---- Qt model interface ---------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._loaded < len(self._rows)

    def fetchMore(self, parent: AnyIndex) -> None:
        if not parent.isValid():
            self._fetch_to(self._loaded + self._batch_size)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._loaded:
            return None
        column = self._columns[index.column()]
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.value(record))
        if role == Qt.ItemDataRole.UserRole:
            key = column.sort_key(record) if column.sort_key else column.value(record)
            return _qt_sort_value(_sortable(key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag
            horizontal = align.AlignRight if column.align_right else align.AlignLeft
            return horizontal | align.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return _(column.header)
            if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren


class RecordFilterProxy(QSortFilterProxyModel):
    """Case-insensitive substring search over every column's display text, an optional
    page-specific predicate, and sorting by ``Qt.UserRole`` (the columns' sort keys).

    The source must be a ``RecordTableModel``. Because a proxy only sees fetched rows,
    setting a search text or predicate first fetches all rows of the source (and does so
    again after each reset of the source while a filter is active). ``sort`` is delegated
    to the source model.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""
        self._predicate: Callable[[Any], bool] | None = None
        self._records: RecordTableModel[Any] | None = None

    def setSourceModel(self, model: RecordTableModel[Any]) -> None:  # type: ignore[override]
        if not isinstance(model, RecordTableModel):
            raise TypeError("RecordFilterProxy needs a RecordTableModel")
        if self._records is not None:
            self._records.modelReset.disconnect(self._fetch_all_if_needed)
        super().setSourceModel(model)
        self._records = model
        # Connected after the proxy's own handler, so the proxy has already reset.
        model.modelReset.connect(self._fetch_all_if_needed)
        self._fetch_all_if_needed()

    # ---- filtering --------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self._needle

    def set_search_text(self, text: str) -> None:
        """Show only rows whose display text contains ``text`` (any case; "" shows all)."""
        needle = text.strip().casefold()
        if needle != self._needle:
            self._change_filter(needle, self._predicate)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        """An extra page-specific filter over the row dataclass; None removes it."""
        self._change_filter(self._needle, predicate)

    def is_filtering(self) -> bool:
        return bool(self._needle) or self._predicate is not None

    def _change_filter(self, needle: str, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._needle, self._predicate = needle, predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._fetch_all_if_needed()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        records = self._records
        if records is None:
            return True
        if self._predicate is not None and not self._predicate(records.row_at(source_row)):
            return False
        return not self._needle or self._needle in records.search_text(source_row)

    # ---- sorting ----------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the source model (see the module docstring); the proxy keeps its order."""
        if self._records is None:
            super().sort(column, order)
        else:
            self._records.sort(column, order)

    def _fetch_all_if_needed(self) -> None:
        if self._records is not None and self.is_filtering():
            self._records.fetch_all()
