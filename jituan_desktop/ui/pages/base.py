"""Base class of the main window's pages."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from jituan_desktop.services.base import Changes
from jituan_desktop.ui.context import AppContext


class Page(QWidget):
    """A page refreshes itself when a change it cares about is published, or the current
    group switches. Subclasses set ``kinds``, implement ``refresh()`` and end their
    constructor with ``self.request_refresh()``; ``title()`` names them in the navigation.

    Only a page that can be seen refreshes at once: the current page of the window, or a page
    on its own (as in tests). A page hidden behind another one only notes that it is out of
    date and refreshes when it is shown, so a write does not reload every page, and the
    window starts by loading the first page only.
    """

    kinds: frozenset[str] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        if parent is not None:
            # inside a window: hidden (and not loaded) until the window shows this page
            self.hide()
        ctx.bus.changed.connect(self._on_changes)
        ctx.bus.group_switched.connect(self._on_group_switched)

    @staticmethod
    def title() -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the page shows (call ``request_refresh()`` to respect visibility)."""
        raise NotImplementedError

    @property
    def stale(self) -> bool:
        """True while the page waits to be shown before it refreshes."""
        return self._stale

    def is_shown(self) -> bool:
        """Whether the user sees this page (or will, as soon as its window is shown)."""
        window = self.window()
        return window is self or self.isVisibleTo(window)

    def request_refresh(self) -> None:
        """Refresh now if the page is shown, otherwise the next time it is."""
        self._stale = True
        self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._stale and self.is_shown():
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_if_stale()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*self.kinds):
            self.request_refresh()

    def _on_group_switched(self, _group_id: object) -> None:
        self.request_refresh()
