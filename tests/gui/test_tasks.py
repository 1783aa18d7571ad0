"""TaskRunner: work on the pool, outcomes on the GUI thread, a delayed dialog, Cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QMetaObject, QObject, QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts, tasks
from jituan_desktop.ui.tasks import Cancelled, Progress, SyncTaskRunner, TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    assert runner.shutdown(), "a worker did not stop"
    qtbot.waitUntil(lambda: runner.active_count == 0)


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _wait_for_cancel(progress: Progress) -> None:
    while True:
        progress.check()
        QThread.msleep(5)


def test_result_arrives_on_the_main_thread(qtbot: Any, runner: TaskRunner) -> None:
    # GIVEN work that notes the thread it ran on
    worker_threads: list[QThread] = []
    delivered: list[tuple[int, bool]] = []

    def work(progress: Progress) -> int:
        worker_threads.append(QThread.currentThread())
        progress.report(1, 2, "halfway")
        return 42

    def done(result: int) -> None:
        app = QApplication.instance()
        assert app is not None
        delivered.append((result, QThread.currentThread() is app.thread()))

    # WHEN it runs
    runner.run("Counting", work, done)

    # THEN the result arrives on the GUI thread, and the work did not run there
    qtbot.waitUntil(lambda: bool(delivered))
    assert delivered == [(42, True)]
    app = QApplication.instance()
    assert app is not None
    assert worker_threads and worker_threads[0] is not app.thread()


def test_errors_reach_on_error(qtbot: Any, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise ValueError("disk full")

    runner.run("Failing", work, on_done=lambda _r: pytest.fail("no result expected"),
               on_error=errors.append)

    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)
    assert str(errors[0]) == "disk full"


def test_without_on_error_the_error_is_shown(
    qtbot: Any, runner: TaskRunner, window: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[Any, str, str, str | None]] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details=None:
                        shown.append((parent, title, text, details)))

    def work(progress: Progress) -> None:
        raise RuntimeError("boom")

    runner.run("Failing", work, on_done=lambda _r: None, parent=window)

    qtbot.waitUntil(lambda: bool(shown))
    parent, title, text, details = shown[0]
    assert parent is window and title == _("Unexpected error")
    assert "boom" not in text  # the raw (English) error text is for the details
    assert details is not None and "RuntimeError: boom" in details


def test_cancel_through_the_runner(qtbot: Any, runner: TaskRunner) -> None:
    cancelled: list[bool] = []
    task = runner.run("Looping", _wait_for_cancel, on_done=lambda _r: pytest.fail("no result"),
                      on_cancelled=lambda: cancelled.append(True))
    assert not task.finished

    runner.cancel_all()

    qtbot.waitUntil(lambda: bool(cancelled))
    assert task.finished
    assert runner.active_count == 0


def test_cancel_button_of_the_delayed_dialog(
    qtbot: Any, runner: TaskRunner, window: QWidget
) -> None:
    # GIVEN work that runs until cancelled
    cancelled: list[bool] = []
    task = runner.run("Exporting", _wait_for_cancel, on_done=lambda _r: None,
                      on_cancelled=lambda: cancelled.append(True), parent=window)
    dialog = task.dialog
    assert dialog is not None

    # THEN the progress dialog is not shown at once, but after the delay
    assert not dialog.isVisible()
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.labelText() == "Exporting"

    # WHEN the user clicks its Cancel button
    dialog.findChild(QPushButton).click()

    # THEN the work stops and on_cancelled runs; the dialog is gone
    qtbot.waitUntil(lambda: bool(cancelled))
    assert task.dialog is None


class _ShowSpy(QObject):
    """Counts Show events of the object it filters."""

    def __init__(self) -> None:
        super().__init__()
        self.shows = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.shows += 1
        return False


def test_quick_work_shows_no_dialog(qtbot: Any, runner: TaskRunner, window: QWidget) -> None:
    results: list[str] = []
    task = runner.run("Quick", lambda _p: "ok", results.append, parent=window)
    dialog = task.dialog
    assert dialog is not None
    spy = _ShowSpy()
    dialog.installEventFilter(spy)

    qtbot.waitUntil(lambda: bool(results))
    qtbot.wait(tasks.SHOW_DELAY_MS + 100)

    assert results == ["ok"]
    assert task.dialog is None
    assert spy.shows == 0


def test_progress_reports_update_the_dialog(
    qtbot: Any, runner: TaskRunner, window: QWidget
) -> None:
    release = threading.Event()

    def work(progress: Progress) -> str:
        progress.report(3, 10, "学校 3/10")
        release.wait(5)
        return "done"

    results: list[str] = []
    task = runner.run("Importing", work, results.append, parent=window)
    dialog = task.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.labelText() == "Importing\n学校 3/10")
    assert task.progress.snapshot() == (3, 10, "学校 3/10")
    release.set()
    qtbot.waitUntil(lambda: bool(results))


def test_callbacks_skipped_when_the_window_is_gone(qtbot: Any, runner: TaskRunner) -> None:
    release = threading.Event()
    results: list[str] = []
    window = QWidget()
    task = runner.run("Late", lambda _p: release.wait(5) and "late", results.append,
                      parent=window)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    release.set()
    qtbot.waitUntil(lambda: task.finished)
    assert results == []


def test_many_tasks_all_deliver(qtbot: Any, runner: TaskRunner) -> None:
    results: list[int] = []
    for i in range(50):
        runner.run("Many", lambda _p, i=i: i * i, results.append)
    qtbot.waitUntil(lambda: len(results) == 50, timeout=5000)
    assert sorted(results) == [i * i for i in range(50)]
    assert QThreadPool.globalInstance().waitForDone(1000)


# ---- Progress and SyncTaskRunner ------------------------------------------------------------


def test_progress_check_raises_once_cancelled() -> None:
    progress = Progress()
    progress.check()
    assert not progress.cancelled
    progress.cancel()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.check()


def test_sync_runner_runs_before_returning(monkeypatch: pytest.MonkeyPatch) -> None:
    sync = SyncTaskRunner()
    results: list[int] = []
    errors: list[BaseException] = []
    cancelled: list[bool] = []

    sync.run("Add", lambda _p: 1 + 1, results.append)
    sync.run("Fail", lambda _p: 1 / 0, results.append, on_error=errors.append)

    def cancel_itself(progress: Progress) -> int:
        progress.cancel()
        progress.check()
        return 0

    task = sync.run("Cancel", cancel_itself, results.append,
                    on_cancelled=lambda: cancelled.append(True))

    assert results == [2]
    assert isinstance(errors[0], ZeroDivisionError)
    assert cancelled == [True] and task.finished

    shown: list[str | None] = []
    monkeypatch.setattr(prompts, "error", lambda _parent, _title, _text, details=None:
                        shown.append(details))
    sync.run("Fail", lambda _p: int("x"), results.append)
    assert shown and shown[0] and "invalid literal" in shown[0]


def test_a_finished_dialog_stays_closed_while_a_callback_runs(
    qtbot: Any, runner: TaskRunner, window: QWidget
) -> None:
    # GIVEN work whose on_done opens a modal message box (as prompts.info does): while its
    # event loop runs, QProgressDialog's own show timer (minimumDuration, 4 s from its
    # constructor) may fire and call forceShow()
    seen: list[tuple[bool, bool]] = []

    def show_message(_result: object) -> None:
        timers_active = any(t.isActive() for t in dialog.findChildren(QTimer))
        QMetaObject.invokeMethod(dialog, "forceShow")  # what that timer does
        qtbot.wait(50)  # the message box's event loop
        seen.append((timers_active, shiboken6.isValid(dialog) and dialog.isVisible()))

    task = runner.run("Reading", lambda _p: "ok", show_message, parent=window)
    dialog = task.dialog
    assert dialog is not None

    # WHEN the work finishes
    qtbot.waitUntil(lambda: bool(seen))

    # THEN the dialog was closed for good before on_done ran: no timer left, and Qt's
    # forceShow() does not bring it back
    assert task.finished
    assert seen == [(False, False)]
