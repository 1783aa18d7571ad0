"""Base class of the main window's pages."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jituan_desktop.services.base import Changes
from jituan_desktop.ui.context import AppContext


class Page(QWidget):
    """A page refreshes itself when a change it cares about is published, or the current
    group switches. Subclasses set ``kinds`` and implement ``refresh()``; ``title()`` and
    ``icon_name`` are used in the navigation list."""

    kinds: frozenset[str] = frozenset()
    icon_name = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.bus.changed.connect(self._on_changes)
        ctx.bus.group_switched.connect(lambda _group_id: self.refresh())

    @staticmethod
    def title() -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*self.kinds):
            self.refresh()
