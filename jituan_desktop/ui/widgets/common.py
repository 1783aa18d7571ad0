"""Small widget factories shared by the pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QLabel, QWidget


def details_label(parent: QWidget) -> QLabel:
    """A selectable plain-text label under a list that describes the selected record."""
    label = QLabel(parent)
    label.setObjectName("details")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def new_shortcut(parent: QWidget, slot: Callable[[], object]) -> QShortcut:
    """Ctrl+N (the platform's "New") while the focus is inside ``parent``."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), parent)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut


def enum_box(choices: list[tuple[str, str]], current: str) -> QComboBox:
    """A combo box of (stored value, label) choices with ``current`` selected (else the first)."""
    box = QComboBox()
    for value, label in choices:
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box
