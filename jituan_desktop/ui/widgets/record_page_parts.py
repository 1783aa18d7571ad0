"""Pieces the record pages share (courses, joint research, rotations, placements): the two
toolbar rows, filter combo boxes that keep their choice when refilled, the "Rule flags" list
column in red, the newest-load-wins loading of a page's list and the record to select once it
has loaded, the add/edit/delete steps with their undo, and the counts grid with its list of
flags.

The toolbar of every record page::

    row 1:  [filters …]  [search …………] [count]
    row 2:  [Add …] [Edit…] [Delete] | page actions (Import…, Export…) | stretch | [Undo] [Redo]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.rules import FLAG_MARK, Finding, explanations, flag_text
from jituan_desktop.i18n import N_, _
from jituan_desktop.services.base import Changes
from jituan_desktop.ui import prompts
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.tasks import Progress
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.record_list import RecordListView

if TYPE_CHECKING:
    from jituan_desktop.ui.pages.base import Page

T = TypeVar("T")
R = TypeVar("R", bound="StoredRecord")

FLAG_COLOR = QColor("#c62828")
BROKEN_BACKGROUND = QColor("#fde0dc")
RULE_FLAGS = N_("Rule flags")


# ---- toolbar ---------------------------------------------------------------------------


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def push_button(text: str, tooltip: str, slot: Callable[[], object]) -> QPushButton:
    """A toolbar button (Add …, Edit…, Move to recycle bin, …) that runs ``slot``."""
    button = QPushButton(text)
    button.setToolTip(tooltip)
    button.clicked.connect(slot)
    return button


def toolbar_rows(filters: Sequence[tuple[str, QWidget]], record_list: RecordListView[Any],
                 record_buttons: Sequence[QWidget], page_actions: Sequence[QWidget],
                 undo: PageUndo) -> tuple[QHBoxLayout, QHBoxLayout]:
    """The two rows above a record list: filters and the list's search box (moved up from the
    list), then the record buttons, the page's own actions, and undo/redo at the far right."""
    first = QHBoxLayout()
    for label, widget in filters:
        first.addWidget(QLabel(label))
        first.addWidget(widget)
    search, count = record_list.search_box, record_list.count_label
    inner = record_list.layout()
    if inner is not None and inner.count() and inner.itemAt(0).layout() is not None:
        top = inner.itemAt(0).layout()
        top.removeWidget(search)
        top.removeWidget(count)
    first.addSpacing(12)
    first.addWidget(search, 1)
    first.addWidget(count)

    second = QHBoxLayout()
    for button in record_buttons:
        second.addWidget(button)
    if page_actions:
        second.addWidget(_separator())
        for widget in page_actions:
            second.addWidget(widget)
    second.addStretch(1)
    for action in (undo.undo_action, undo.redo_action):
        tool = QToolButton()
        tool.setDefaultAction(action)
        second.addWidget(tool)
    return first, second


def lay_out_page(page: QWidget, filters: QHBoxLayout, toolbar: QHBoxLayout,
                 body: QWidget) -> QVBoxLayout:
    """The page from top to bottom: the filter row, the toolbar row, then ``body`` (the
    list and what goes below it), which takes the room left."""
    layout = QVBoxLayout(page)
    layout.addLayout(filters)
    layout.addLayout(toolbar)
    layout.addWidget(body, 1)
    return layout


# ---- filters ---------------------------------------------------------------------------


def choice_filter(everything: str, choices: Iterable[tuple[str, str]]) -> QComboBox:
    """A filter of fixed choices: "All …" first (value None), then each ``(value, label)``
    of ``choices`` (an enum's ``choices()``)."""
    box = QComboBox()
    box.addItem(everything, None)
    for value, label in choices:
        box.addItem(label, value)
    return box


def refill(box: QComboBox, everything: str, items: Iterable[tuple[str, object]]) -> None:
    """Replace a filter's choices ("All …" first, value None), keeping the chosen value when
    it is still offered; no signal while refilling."""
    wanted = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(everything, None)
    for text, value in items:
        box.addItem(text, value)
    box.setCurrentIndex(max(0, box.findData(wanted)) if wanted is not None else 0)
    box.blockSignals(False)


# ---- rule flags column -----------------------------------------------------------------


def flag_column(findings_of: Callable[[T], Sequence[Finding]]) -> Column[T]:
    """The "Rule flags" column: ``⚑ ALX-20 YY-12`` (broken rules only), every finding's
    explanation in the tooltip. Show it red with ``show_flags_in_red``."""
    return Column(RULE_FLAGS, lambda row: flag_text(findings_of(row)),
                  sort_key=lambda row: flag_text(findings_of(row)) or None,
                  tooltip=lambda row: explanations(findings_of(row)) or None)


class FlagDelegate(QStyledItemDelegate):
    """Shows a cell whose text carries the flag mark in red."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if FLAG_MARK in str(index.data() or ""):
            option.palette.setColor(QPalette.ColorRole.Text, FLAG_COLOR)  # type: ignore[attr-defined]


def show_flags_in_red(view: RecordListView[Any]) -> None:
    """Paint every "Rule flags" column of ``view`` red."""
    model = view.model
    for column in range(model.columnCount()):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if header == _(RULE_FLAGS):
            view.table.setItemDelegateForColumn(column, FlagDelegate(view.table))


# ---- loading and selection -------------------------------------------------------------


class LatestLoad:
    """Loads a page's rows off the GUI thread (``ctx.runner``) and shows only the newest
    load when refreshes overlap: ``cancel()`` forgets every load under way (no group, say),
    ``run()`` starts one whose result is dropped if another ``run()`` or ``cancel()`` came
    after it."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._generation = 0

    def cancel(self) -> None:
        self._generation += 1

    def run(self, label: str, load: Callable[[Progress], T],
            show: Callable[[T], object]) -> None:
        self._generation += 1
        generation = self._generation

        def shown(result: T) -> None:
            if generation == self._generation:
                show(result)

        self._page.ctx.runner.run(label, load, shown, parent=self._page)


class RecordSelection:
    """The record a page selects in its list, now or (``pending``) once the list being
    loaded has it. ``filters``: the filter boxes to set back to "All …" when the record is
    filtered out (none: it stays unselected)."""

    def __init__(self, page: Page, records: RecordListView[Any],
                 filters: Sequence[QComboBox] = ()) -> None:
        self._page = page
        self._list = records
        self._filters = tuple(filters)
        self.pending: int | None = None

    def select(self, record_id: int | None) -> None:
        """Select it now, or after the reload a write just started (or a stale page's)."""
        if self._page.stale or self._page.ctx.runner.active_count:
            self.pending = record_id
            return
        self.reveal(record_id)

    def reveal(self, record_id: int | None) -> bool:
        """Select it, showing every record first when the filters hide it."""
        if self._list.select_id(record_id):
            return True
        if not self._filters:
            return False
        for box in self._filters:
            box.setCurrentIndex(0)
        return self._list.select_id(record_id)

    def restore(self, previous: Any = None, *, reveal_pending: bool = True) -> None:
        """After the list was filled again: select the record saved meanwhile (showing all
        when ``reveal_pending``), else ``previous`` (the record selected before)."""
        if self.pending is not None:
            if reveal_pending:
                self.reveal(self.pending)
            else:
                self._list.select_id(self.pending)
            self.pending = None
        elif previous is not None:
            self._list.select_id(previous.id)


# ---- add, edit, delete -----------------------------------------------------------------


class StoredRecord(Protocol):
    @property
    def id(self) -> int | None: ...


class RecordService(Protocol[R]):
    def get(self, record_id: int, /) -> R: ...

    def save(self, record: R, /) -> tuple[R, Changes]: ...


class RecordActions(Generic[R]):
    """The writes of a record page's Add, Edit and Delete, each remembered for undo:
    ``entity`` names the records in the recycle bin, ``select(id)`` shows a record just
    saved; the wording stays the page's own."""

    def __init__(self, page: Page, undo: PageUndo, entity: str,
                 select: Callable[[int], object]) -> None:
        self._page = page
        self._undo = undo
        self.entity = entity
        self._select = select

    def save_new(self, save: Callable[[], tuple[R, Changes]],
                 label_of: Callable[[R], str]) -> R | None:
        """Save a record the user has just entered and select it; the saved record, None if
        refused."""
        saved = self._page.ctx.write(self._page, save)
        if saved is None or saved.id is None:
            return None
        self._undo.record_created(self.entity, saved.id, label_of(saved))
        self._select(saved.id)
        return saved

    def edit_stored(self, record_id: int, service: RecordService[R],
                    ask: Callable[[R], R | None], label_of: Callable[[R], str]) -> R | None:
        """Let the user edit the record as stored now (not as listed), save the change and
        select it; the saved record, None if gone (the page reloads), unchanged or
        refused."""
        try:
            before = service.get(record_id)
        except LookupError:
            self._page.request_refresh()
            return None
        result = ask(before)
        if result is None or result == before:
            return None
        saved = self._page.ctx.write(self._page, lambda: service.save(result))
        if saved is not None:
            self._undo.record_edit(label_of(saved), before, saved, service.get, service.save)
            if saved.id is not None:
                self._select(saved.id)
        return saved

    def delete(self, record_id: int, label: str, question: str) -> bool:
        """Ask ``question`` ("Move … to the recycle bin?"), then move the record there."""
        if not prompts.confirm(self._page, _("Move to recycle bin"), question):
            return False
        done = self._page.ctx.write(self._page, lambda: (
            True, self._page.ctx.services.recycle_bin.delete(self.entity, record_id)))
        if done:
            self._undo.record_deleted(self.entity, record_id, label)
        return bool(done)


# ---- counts grid and flags -------------------------------------------------------------


def newest_first(items: Iterable[T], semester_of: Callable[[T], Any]) -> list[T]:
    """The order of the semester columns of every counts grid: newest first, so the current
    semester is in view without scrolling (courses and joint research alike).
    ``semester_of(item)`` gives its ``Semester`` (anything with ``school_year`` and
    ``term``)."""
    def key(item: T) -> tuple[int, int]:
        semester = semester_of(item)
        return semester.school_year, semester.term

    return sorted(items, key=key, reverse=True)


class CountsPanel(QWidget):
    """A grid of counts (rows × columns) with broken cells marked, and beside it the list of
    flags and a line about the rules. Selecting a flag shows its explanation below the list.
    Semester columns go newest first (``newest_first``); ``reset`` scrolls back to them.

    ``cell_activated(data)``: a cell with data was double-clicked; ``flag_activated(data)``:
    a flag was double-clicked (or Enter)."""

    cell_activated = Signal(object)
    flag_activated = Signal(object)

    def __init__(self, grid_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QTableWidget(self)
        self.grid.setObjectName("counts")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.cellDoubleClicked.connect(self._cell_double_clicked)
        self.flags = QListWidget(self)
        self.flags.setObjectName("flags")
        self.flags.setWordWrap(True)
        self.flags.setResizeMode(QListView.ResizeMode.Adjust)
        self.flags.itemActivated.connect(self._flag_activated)
        self.flags.currentItemChanged.connect(self._flag_selected)
        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        self.rule_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._hint = ""

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(QLabel(grid_title))
        left.addWidget(self.grid, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Flags")))
        right.addWidget(self.flags, 1)
        right.addWidget(self.rule_label)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def reset(self, columns: Sequence[str] = (), rows: Sequence[str] = ()) -> None:
        """Empty the grid and the flags, then give the grid its headers."""
        self.grid.clear()
        self.flags.clear()
        self.grid.setColumnCount(len(columns))
        self.grid.setRowCount(len(rows))
        self.grid.setHorizontalHeaderLabels(list(columns))
        self.grid.setVerticalHeaderLabels(list(rows))
        self.grid.horizontalScrollBar().setValue(0)  # the newest semester in view

    def set_cell(self, row: int, column: int, text: str, data: object = None, *,
                 findings: Sequence[Finding] = (), broken: bool = False,
                 tooltip: str = "", bold: bool = False, mark: bool = False) -> QTableWidgetItem:
        """One count; ``broken`` colours it (and ``mark`` puts the flag mark before it),
        ``findings`` explain it in the tooltip."""
        cell = QTableWidgetItem(text)
        cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if data is not None:
            cell.setData(Qt.ItemDataRole.UserRole, data)
        tip = explanations(findings) or tooltip
        if tip:
            cell.setToolTip(tip)
        if broken:
            cell.setBackground(QBrush(BROKEN_BACKGROUND))
            if mark:
                cell.setText(f"{FLAG_MARK} {text}")
        if bold:
            font = cell.font()
            font.setBold(True)
            cell.setFont(font)
        self.grid.setItem(row, column, cell)
        return cell

    def add_flag(self, finding: Finding, data: object = None) -> QListWidgetItem:
        """A broken rule in the flag list: its first line, the explanation as tooltip."""
        explanation = finding.explanation()
        item = QListWidgetItem(f"{FLAG_MARK} " + explanation.split("\n")[0], self.flags)
        item.setToolTip(explanation)
        item.setData(Qt.ItemDataRole.UserRole, data)
        return item

    def finish(self, text: str) -> None:
        """Stretch the grid's columns and show ``text`` under the flags."""
        header = self.grid.horizontalHeader()
        for column in range(self.grid.columnCount()):
            header.setSectionResizeMode(column, header.ResizeMode.Stretch)
        self._hint = text
        self.rule_label.setText(text)

    def _cell_double_clicked(self, row: int, column: int) -> None:
        cell = self.grid.item(row, column)
        if cell is not None and cell.data(Qt.ItemDataRole.UserRole) is not None:
            self.cell_activated.emit(cell.data(Qt.ItemDataRole.UserRole))

    def _flag_activated(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.flag_activated.emit(item.data(Qt.ItemDataRole.UserRole))

    def _flag_selected(self, item: QListWidgetItem | None, *_args: object) -> None:
        self.rule_label.setText(item.toolTip() if item is not None else self._hint)
