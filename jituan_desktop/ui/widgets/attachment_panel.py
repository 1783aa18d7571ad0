"""The attachments of one research session: list, add (copied into the store off the GUI
thread), open with the system viewer, remove. The page does the writes; this widget shows the
list and emits what the user asked for."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jituan_desktop.domain.research import Attachment
from jituan_desktop.i18n import N_, _
from jituan_desktop.services.attachments import size_text
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.widgets.record_list import RecordListView


def open_url(path: Path) -> bool:
    """Open a stored file with the program the system uses for its type."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def attachment_columns() -> list[Column[Attachment]]:
    return [
        Column(N_("File"), lambda a: a.file_name, tooltip=lambda a: a.sha256),
        Column(N_("Kind"), lambda a: a.kind.label()),
        Column(N_("Size"), lambda a: size_text(a.size), sort_key=lambda a: a.size,
               align_right=True),
        Column(N_("Added"), lambda a: a.added_at),
    ]


class AttachmentPanel(QWidget):
    add_requested = Signal()
    open_requested = Signal(object)  # Attachment
    remove_requested = Signal(object)  # Attachment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list: RecordListView[Attachment] = RecordListView(attachment_columns(), self)
        self.list.search_box.hide()
        self.list.activated.connect(self.open_requested.emit)
        self.list.delete_requested.connect(lambda _row: self._remove())
        self.list.selection_changed.connect(self._selection_changed)
        self.add_button = QPushButton(_("Add attachment…"))
        self.add_button.setToolTip(_("Copy a photo, sign-in sheet or slides into the data "
                                     "folder and attach it to the session"))
        self.add_button.clicked.connect(self.add_requested.emit)
        self.open_button = QPushButton(_("Open"))
        self.open_button.setToolTip(_("Open the file with the system viewer (Enter)"))
        self.open_button.clicked.connect(self._open)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Remove the attachment from the session (Delete)"))
        self.remove_button.clicked.connect(self._remove)
        self.caption = QLabel(_("Attachments"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.caption)
        buttons.addStretch(1)
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        self.set_attachments([], enabled=False)

    def set_attachments(self, attachments: Sequence[Attachment], *, enabled: bool) -> None:
        self.list.set_rows(attachments)
        self.add_button.setEnabled(enabled)
        self._selection_changed(self.list.selected())

    def _selection_changed(self, attachment: Attachment | None) -> None:
        self.open_button.setEnabled(attachment is not None)
        self.remove_button.setEnabled(attachment is not None)

    def _open(self) -> None:
        attachment = self.list.selected()
        if attachment is not None:
            self.open_requested.emit(attachment)

    def _remove(self) -> None:
        attachment = self.list.selected()
        if attachment is not None:
            self.remove_requested.emit(attachment)
