"""The one place that shows message boxes and file dialogs.

Call sites use module attribute access, ``from jituan_desktop.ui import prompts`` and then
``prompts.error(self, ...)``, never ``from ...prompts import error``: tests replace these
functions with ``monkeypatch.setattr(prompts, "confirm", lambda *a: True)``, so no modal
dialog ever blocks a test run, and a name imported directly would escape the patch.

Every function blocks until the user answers and returns a plain value (``bool``, ``Path``,
``str`` or ``None`` for "cancelled").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

__all__ = [
    "ask_text",
    "choose_directory",
    "confirm",
    "error",
    "info",
    "open_file",
    "save_file",
    "warning",
]


def _message(
    icon: QMessageBox.Icon,
    parent: QWidget | None,
    title: str,
    text: str,
    details: str | None,
) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def error(parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
    """Something failed; ``details`` (e.g. a traceback) goes behind "Show Details…"."""
    _message(QMessageBox.Icon.Critical, parent, title, text, details)


def warning(parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
    _message(QMessageBox.Icon.Warning, parent, title, text, details)


def info(parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
    _message(QMessageBox.Icon.Information, parent, title, text, details)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question; No is the default button, so Enter does not confirm by accident."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def open_file(parent: QWidget | None, title: str, name_filter: str,
              directory: str = "") -> Path | None:
    """``name_filter`` as Qt expects it, e.g. ``_("Spreadsheets (*.xlsx)")``; the dialog
    starts in ``directory`` (e.g. the folder last used for the same purpose)."""
    path, _selected = QFileDialog.getOpenFileName(parent, title, directory, name_filter)
    return Path(path) if path else None


def save_file(
    parent: QWidget | None, title: str, name_filter: str, suggested: str = "",
    directory: str = "",
) -> Path | None:
    """``suggested`` is a file name or path shown pre-filled (a bare name in ``directory``);
    the dialog asks before overwriting."""
    start = str(Path(directory) / suggested) if directory and suggested else \
        (suggested or directory)
    path, _selected = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    return Path(path) if path else None


def choose_directory(parent: QWidget | None, title: str, directory: str = "") -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title, directory)
    return Path(path) if path else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text; None when cancelled (an empty answer is ``""``)."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None
