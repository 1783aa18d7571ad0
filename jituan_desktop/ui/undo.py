"""Undo and redo of the last edits made in one page (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y).

Every step is a pair of ordinary writes through the services, so an undo is itself recorded in
the history and nothing is ever hard-deleted: undoing an addition moves the record to the
recycle bin, undoing a deletion restores it, undoing a change saves the old values again.
When a step cannot be undone any more (the record was changed or deleted elsewhere), the user
is told why and the page's undo history is cleared, so no later step runs on stale data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.services.base import Changes
from jituan_desktop.ui.context import AppContext

Write = Callable[[], Changes]


class _Step(QUndoCommand):
    def __init__(self, edits: PageUndo, text: str, undo: Write, redo: Write) -> None:
        super().__init__(text)
        self._edits = edits
        self._undo = undo
        self._redo = redo
        self._done = True  # pushed after the edit was saved: the first redo() does nothing

    def redo(self) -> None:
        if self._done:
            return
        self._done = self._edits.run(self._redo)

    def undo(self) -> None:
        self._done = not self._edits.run(self._undo)


class PageUndo(QObject):
    """The undo history of one page. ``record_*`` after each successful write."""

    def __init__(self, ctx: AppContext, page: QWidget, limit: int = 50) -> None:
        super().__init__(page)
        self.ctx = ctx
        self.page = page
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(limit)
        self.undo_action: QAction = self.stack.createUndoAction(self, _("Undo"))
        self.redo_action: QAction = self.stack.createRedoAction(self, _("Redo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo,
                                       QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            page.addAction(action)
        ctx.bus.group_switched.connect(self.clear)  # steps belong to the group they were made in

    def run(self, write: Write) -> bool:
        """Run one side of a step; on failure explain it and forget the page's steps."""
        ok = self.ctx.write(self.page, lambda: (True, write())) is not None
        if not ok:
            QTimer.singleShot(0, self.stack.clear)  # not from inside the command itself
        return ok

    def record(self, text: str, undo: Write, redo: Write) -> None:
        """Remember an edit that has just been saved; ``text`` names it in the menu."""
        self.stack.push(_Step(self, text, undo, redo))

    def record_created(self, entity: str, record_id: int, label: str) -> None:
        bin_ = self.ctx.services.recycle_bin
        self.record(_("Add “{name}”").format(name=label),
                    lambda: bin_.delete(entity, record_id),
                    lambda: bin_.restore(entity, record_id))

    def record_deleted(self, entity: str, record_id: int, label: str) -> None:
        bin_ = self.ctx.services.recycle_bin
        self.record(_("Delete “{name}”").format(name=label),
                    lambda: bin_.restore(entity, record_id),
                    lambda: bin_.delete(entity, record_id))

    def record_changed(self, label: str, undo: Write, redo: Write) -> None:
        self.record(_("Change “{name}”").format(name=label), undo, redo)

    def record_edit(self, label: str, before: Any, after: Any, get: Callable[[int], Any],
                    save: Callable[[Any], tuple[Any, Changes]]) -> None:
        """Remember an edit of a record with an ``id`` from ``before`` to ``after``: undo saves
        ``before`` again and redo ``after``, each only while the stored record is still what
        the other side left (``get``), so a change made meanwhile elsewhere is never
        overwritten (the step is refused with a message and the history cleared)."""
        self.record_guarded(label, before, after,
                            lambda values, expected: get(values.id) == expected,
                            lambda values: save(values)[1])

    def record_guarded(self, label: str, before: Any, after: Any,
                       unchanged: Callable[[Any, Any], bool], save: Callable[[Any], Changes],
                       refusal: str | None = None) -> None:
        """Remember a change from ``before`` to ``after``: undo saves ``before`` again and
        redo ``after``, each only while ``unchanged(values, expected)`` says the stored data
        is still what the other side left; otherwise the step is refused with ``refusal``
        (a msgid, translated when shown; by default "The record was changed after this
        step, …") and the history cleared."""

        def put(values: Any, expected: Any) -> Write:
            def write() -> Changes:
                if not unchanged(values, expected):
                    raise ValidationError(ValidationReport({"": _(refusal) if refusal else _(
                        "The record was changed after this step, so the step cannot be undone "
                        "or redone any more; nothing was changed.")}))
                return save(values)

            return write

        self.record_changed(label, put(before, after), put(after, before))

    def clear(self, *_args: object) -> None:
        self.stack.clear()
