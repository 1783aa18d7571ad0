"""Background work: run ``fn(progress) -> T`` off the GUI thread, deliver the outcome on it.

Usage (Anki's ``QueryOp`` pattern)::

    runner.run(
        _("Exporting…"),
        lambda progress: export_service.export(path, progress=progress),
        on_done=self._show_export_result,
        on_error=self._export_failed,      # default: log it and show prompts.error
        parent=self,
    )

``fn`` runs on ``QThreadPool.globalInstance()`` and must not touch widgets; it reports with
``progress.report(done, total, text)`` and calls ``progress.check()`` between steps so Cancel
can stop it (``check()`` raises ``Cancelled``). ``on_done``/``on_error``/``on_cancelled`` are
always called on the main thread. A window-modal ``QProgressDialog`` appears only when the
work takes longer than ``SHOW_DELAY_MS``.

Pages take a runner in their constructor: ``TaskRunner`` in the app, ``SyncTaskRunner`` in
tests (same ``run`` signature, runs at once in the calling thread).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts

log = logging.getLogger(__name__)

T = TypeVar("T")

SHOW_DELAY_MS = 300
"""The progress dialog appears only for work that takes longer than this."""

_NEVER_MS = 2**31 - 1
"""QProgressDialog's own "minimum duration" (4 s by default, timed from its constructor):
we show the dialog with our own timer, so Qt's must never fire (it would show a dialog that
was already closed, e.g. while a message box opened by ``on_done`` runs its event loop)."""

_REPORT_INTERVAL_S = 0.05
"""At most this often a report crosses to the GUI thread (a tight loop must not flood it)."""


class Cancelled(Exception):
    """Raised by ``Progress.check()`` once cancellation was requested."""


ProgressListener = Callable[[int, "int | None", str], None]


class Progress:
    """Progress and cancellation shared between the worker and the GUI. Thread-safe."""

    def __init__(self, listener: ProgressListener | None = None) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._listener = listener
        self._done = 0
        self._total: int | None = None
        self._text = ""
        self._last_sent = 0.0

    def report(self, done: int, total: int | None = None, text: str = "") -> None:
        """``done`` of ``total`` steps (``total=None``: unknown, a busy indicator)."""
        with self._lock:
            self._done, self._total, self._text = done, total, text
            now = time.monotonic()
            finished = total is not None and done >= total
            if not finished and now - self._last_sent < _REPORT_INTERVAL_S:
                return
            self._last_sent = now
        if self._listener is not None:
            self._listener(done, total, text)

    def snapshot(self) -> tuple[int, int | None, str]:
        """The last report as ``(done, total, text)``."""
        with self._lock:
            return self._done, self._total, self._text

    def cancel(self) -> None:
        """Request cancellation; the work stops at its next ``check()``."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancellation was requested."""
        if self._cancel.is_set():
            raise Cancelled


class TaskHandle(Protocol):
    """What ``run`` returns: lets a caller cancel the work or ask whether it finished."""

    @property
    def progress(self) -> Progress: ...

    @property
    def finished(self) -> bool: ...

    @property
    def dialog(self) -> QProgressDialog | None:
        """The progress dialog while the work runs (hidden at first); None without one."""
        ...

    def cancel(self) -> None: ...


LOG_FILE_HANDLER = "jituan_desktop.log_file"
"""Name of the root logger's handler that writes the application's log file."""


def log_file() -> Path | None:
    """The file the application logs to (set up by ``app.configure_file_logging``), if any."""
    for handler in logging.getLogger().handlers:
        if handler.name == LOG_FILE_HANDLER and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def report_error(parent: QWidget | None, exc: BaseException) -> None:
    """Log an exception nobody expected, with its traceback, and tell the user.

    The default ``on_error`` of the runners, the fallback of every ``on_error`` for errors it
    does not know, and what the application's ``sys.excepthook`` calls for an exception that
    escaped a slot. The traceback goes behind "Show Details…" and into the log file.
    """
    log.error("unexpected error", exc_info=exc)
    details = "".join(traceback.format_exception(exc))
    text = _("Something went wrong that the program did not expect; the last action may not "
             "have been completed.")
    path = log_file()
    if path is not None:
        text += "\n\n" + _("The error was logged to {file}. Please send that file to whoever "
                            "looks after the program.").format(file=path)
    prompts.error(parent, _("Unexpected error"), text, details=details)


# ---- threaded runner ----------------------------------------------------------------------


class _Task(QObject, Generic[T]):
    """One run: lives on the GUI thread; the worker only emits its signals (queued)."""

    succeeded = Signal(object)
    failed = Signal(object)
    was_cancelled = Signal()
    progressed = Signal(int, object, str)
    ended = Signal()

    def __init__(
        self,
        label: str,
        on_done: Callable[[T], object],
        on_error: Callable[[BaseException], object] | None,
        on_cancelled: Callable[[], object] | None,
        parent: QWidget | None,
        owner: QObject,
    ) -> None:
        # Owned by the runner (C++ side) and deleted with deleteLater() on the GUI thread: the
        # worker's last Python reference may then die anywhere without destroying a QObject
        # from the wrong thread.
        super().__init__(owner)
        self._label = label
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self._parent = parent
        self._has_parent = parent is not None
        self._finished = False
        self._progress = Progress(self.progressed.emit)
        # Queued: the slots run on this object's (GUI) thread whoever emits.
        queued = Qt.ConnectionType.QueuedConnection
        self.succeeded.connect(self._deliver_result, queued)
        self.failed.connect(self._deliver_error, queued)
        self.was_cancelled.connect(self._deliver_cancelled, queued)
        self.progressed.connect(self._show_progress, queued)

        self._dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
        self._dialog.setWindowTitle(label)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setAutoReset(False)
        self._dialog.setMinimumDuration(_NEVER_MS)
        _stop_timers(self._dialog)  # the show timer its constructor started
        # We drive our own bar: QProgressDialog.setValue() calls processEvents() when modal,
        # which would re-enter our slots.
        self._bar = QProgressBar(self._dialog)
        self._bar.setRange(0, 0)
        self._dialog.setBar(self._bar)
        self._dialog.canceled.connect(self._progress.cancel)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_timer.start(SHOW_DELAY_MS)

    @property
    def progress(self) -> Progress:
        return self._progress

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def dialog(self) -> QProgressDialog | None:
        """The progress dialog (hidden until ``SHOW_DELAY_MS``); None once finished."""
        return None if self._finished or not shiboken6.isValid(self._dialog) else self._dialog

    def cancel(self) -> None:
        self._progress.cancel()

    def work(self, fn: Callable[[Progress], T]) -> None:
        """Runs on a pool thread."""
        try:
            result = fn(self._progress)
        except Cancelled:
            self.was_cancelled.emit()
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)

    @Slot()
    def _show_dialog(self) -> None:
        if not self._finished and not self._progress.cancelled and self._dialog_alive():
            self._dialog.show()

    @Slot(int, object, str)
    def _show_progress(self, done: int, total: int | None, text: str) -> None:
        if self._finished or not self._dialog_alive():
            return
        if total is None:
            self._bar.setRange(0, 0)
        else:
            self._bar.setRange(0, max(total, 1))
            self._bar.setValue(min(done, max(total, 1)))
        self._dialog.setLabelText(f"{self._label}\n{text}" if text else self._label)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        if self._finish():
            self._on_done(result)  # type: ignore[arg-type]

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        if self._finish():
            if self._on_error is not None:
                self._on_error(exc)
            else:
                report_error(self._parent, exc)

    @Slot()
    def _deliver_cancelled(self) -> None:
        if self._finish() and self._on_cancelled is not None:
            self._on_cancelled()

    def _finish(self) -> bool:
        """Close the dialog for good, before any callback runs (a callback may open a modal
        message box, whose event loop would otherwise let the dialog show itself again);
        False when the parent window is gone (skip the callbacks)."""
        self._finished = True
        self._show_timer.stop()
        if self._dialog_alive():
            dialog = self._dialog
            dialog.canceled.disconnect(self._progress.cancel)
            _stop_timers(dialog)
            self._bar.reset()  # (so that cancel() leaves the parent's cursor alone)
            # cancel() hides it, stops Qt's own show timer and turns forceShow() into a no-op
            dialog.cancel()
            dialog.hide()
            dialog.deleteLater()
        self.ended.emit()
        self.deleteLater()
        if self._has_parent and not shiboken6.isValid(self._parent):
            log.debug("task %r finished after its window closed; callbacks skipped", self._label)
            return False
        return True

    def _dialog_alive(self) -> bool:
        return shiboken6.isValid(self._dialog)


def _stop_timers(dialog: QProgressDialog) -> None:
    for timer in dialog.findChildren(QTimer):
        timer.stop()


class _Runnable(QRunnable):
    def __init__(self, task: _Task[Any], fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._task = task
        self._fn = fn

    def run(self) -> None:
        self._task.work(self._fn)


class TaskRunner(QObject):
    """Runs work on ``QThreadPool.globalInstance()``; outcomes arrive on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Strong references until the outcome is delivered, so nothing is collected mid-run.
        self._running: dict[_Task[Any], _Runnable] = {}

    def run(
        self,
        label: str,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object],
        on_error: Callable[[BaseException], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> TaskHandle:
        """Start ``fn(progress)`` in the pool; see the module docstring."""
        task: _Task[T] = _Task(label, on_done, on_error, on_cancelled, parent, owner=self)
        runnable = _Runnable(task, fn)
        self._running[task] = runnable
        task.ended.connect(partial(self._running.pop, task, None))
        QThreadPool.globalInstance().start(runnable)
        return task

    @property
    def active_count(self) -> int:
        """Tasks whose outcome has not been delivered yet."""
        return len(self._running)

    def cancel_all(self) -> None:
        """Request cancellation of every running task."""
        for task in list(self._running):
            task.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait for the pool (call before the application quits).

        True when every worker stopped in time.
        """
        self.cancel_all()
        return QThreadPool.globalInstance().waitForDone(timeout_ms)


# ---- synchronous runner (tests) -----------------------------------------------------------


class _DoneTask:
    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    @property
    def progress(self) -> Progress:
        return self._progress

    @property
    def finished(self) -> bool:
        return True

    @property
    def dialog(self) -> QProgressDialog | None:
        return None

    def cancel(self) -> None:
        self._progress.cancel()


class SyncTaskRunner:
    """``TaskRunner`` without threads or dialogs: ``run`` finishes before it returns."""

    def run(
        self,
        label: str,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object],
        on_error: Callable[[BaseException], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> TaskHandle:
        progress = Progress()
        try:
            result = fn(progress)
        except Cancelled:
            if on_cancelled is not None:
                on_cancelled()
        except Exception as exc:
            if on_error is not None:
                on_error(exc)
            else:
                report_error(parent, exc)
        else:
            on_done(result)
        return _DoneTask(progress)

    @property
    def active_count(self) -> int:
        return 0

    def cancel_all(self) -> None:
        """Nothing runs in the background."""
