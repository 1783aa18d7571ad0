"""A list with Add / Edit / Delete buttons and an optional read-only detail view below."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.widgets.common import new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView


class ListPanel(QWidget):
    """Buttons act on the selected row; Enter/double-click edits, Delete deletes, Ctrl+N adds.

    ``detail`` renders the selected row as HTML for the text view (omit for no detail view).
    """

    def __init__(self, columns: Sequence[Column[Any]], *, add: tuple[str, Callable[[], None]],
                 edit: tuple[str, Callable[[Any], None]] | None = None,
                 delete: tuple[str, Callable[[Any], None]] | None = None,
                 extra: Sequence[tuple[str, Callable[[Any], None]]] = (),
                 detail: Callable[[Any], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = RecordListView(columns)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self._add_button(row, add[0], add[1], needs_row=False)
        for text, action in ([edit] if edit else []) + list(extra) + ([delete] if delete else []):
            self._add_button(row, text, action, needs_row=True)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        self.detail_view: QTextBrowser | None = None
        if detail is not None:
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.addWidget(self.list)
            self.detail_view = QTextBrowser()
            self.detail_view.setOpenExternalLinks(False)
            splitter.addWidget(self.detail_view)
            splitter.setSizes([300, 260])
            layout.addWidget(splitter, 1)
        else:
            layout.addWidget(self.list, 1)
        self._detail = detail
        self._needs_row = [b for b in self.buttons.values() if b.property("needs_row")]
        self.list.selection_changed.connect(self._selection_changed)
        if edit:
            self.list.activated.connect(edit[1])
        new_shortcut(self, add[1])
        if delete:
            self.list.delete_requested.connect(delete[1])
        self._selection_changed(None)

    def _add_button(self, row: QHBoxLayout, text: str, action: Callable[..., None],
                    needs_row: bool) -> None:
        button = QPushButton(text)
        button.setProperty("needs_row", needs_row)
        if needs_row:
            button.clicked.connect(lambda _checked=False: self._with_selected(action))
        else:
            button.clicked.connect(lambda _checked=False: action())
        row.addWidget(button)
        self.buttons[text] = button

    def _with_selected(self, action: Callable[[Any], None]) -> None:
        selected = self.list.selected()
        if selected is not None:
            action(selected)

    def _selection_changed(self, row: Any) -> None:
        for button in self._needs_row:
            button.setEnabled(row is not None)
        if self.detail_view is not None and self._detail is not None:
            self.detail_view.setHtml(self._detail(row) if row is not None else "")

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.list.set_rows(rows)
        self._selection_changed(self.list.selected())
