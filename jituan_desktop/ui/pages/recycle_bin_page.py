"""Recycle bin: records moved there by a delete, with Restore."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jituan_desktop.i18n import N_, _
from jituan_desktop.services.recycle_bin import DeletedItem
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.widgets.record_list import RecordListView


@dataclass(frozen=True)
class BinRow:
    """A deleted item with an id unique across kinds (a school and a teacher may share one)."""

    item: DeletedItem

    @property
    def id(self) -> tuple[str, int]:
        return (self.item.entity, self.item.id)


def _local(at: dt.datetime) -> dt.datetime:
    """Deletion times are stored as naive UTC; show them in the computer's time zone."""
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone()


COLUMNS: list[Column[BinRow]] = [
    Column(N_("Kind"), lambda r: r.item.kind_label),
    Column(N_("Record"), lambda r: r.item.label),
    Column(N_("Deleted at"), lambda r: _local(r.item.deleted_at),
           sort_key=lambda r: r.item.deleted_at),
]


class RecycleBinPage(Page):
    kinds = frozenset({"recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.setToolTip(_("Put the selected record back where it was (Enter)"))
        self.restore_button.clicked.connect(self.restore_selected)
        hint = QLabel(_("Deleted records stay here and can be restored at any time."))
        hint.setWordWrap(True)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.restore_button)
        toolbar.addWidget(hint, 1)

        self.list: RecordListView[BinRow] = RecordListView(COLUMNS, self)
        self.list.activated.connect(self.restore)
        self.list.selection_changed.connect(
            lambda row: self.restore_button.setEnabled(row is not None))

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.list, 1)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Recycle bin")

    def refresh(self) -> None:
        self.list.set_rows(BinRow(item) for item in self.ctx.services.recycle_bin.list())
        self.restore_button.setEnabled(self.list.selected() is not None)

    def items(self) -> list[DeletedItem]:
        """The deleted items shown, in list order."""
        return [row.item for row in self.list.rows()]

    def restore_selected(self) -> None:
        row = self.list.selected()
        if row is not None:
            self.restore(row)

    def restore(self, row: BinRow) -> None:
        entity, record_id = row.item.entity, row.item.id
        self.ctx.write(self, lambda: (None, self.ctx.services.recycle_bin.restore(
            entity, record_id)))
