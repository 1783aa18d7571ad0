"""Composition root: settings, i18n, database, services, task runner and main window.

The one place that wires things; everything else receives what it needs.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from jituan_desktop import __version__, cli

log = logging.getLogger(__name__)

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
"""The log file rotates at about 1 MB and keeps three old copies."""

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
            "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC"]


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.parse(argv)
    if args.command:
        return cli.run_command(args)
    return run_gui(args)


def log_path(data_root: Path) -> Path:
    """Where the application logs: ``logs/jituan.log`` in the data folder."""
    return data_root / "logs" / "jituan.log"


def configure_file_logging(path: Path) -> logging.Handler | None:
    """Log INFO and above to ``path`` (rotating); the console keeps the level ``-v`` chose.

    Returns the handler (None when the file cannot be opened: the program runs without it).
    """
    from jituan_desktop.ui.tasks import LOG_FILE_HANDLER  # the error reporter names the file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
                                      encoding="utf-8", delay=True)
    except OSError as exc:
        log.warning("cannot log to %s: %s", path, exc)
        return None
    handler.set_name(LOG_FILE_HANDLER)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.name == LOG_FILE_HANDLER:  # configured again: replace the old one
            root.removeHandler(existing)
            existing.close()
        elif existing.level == logging.NOTSET:
            existing.setLevel(root.level)  # the console stays as quiet as it was
    root.addHandler(handler)
    root.setLevel(min(root.level, logging.INFO))
    return handler


def install_excepthook(*, interactive: bool = True) -> ExceptHook:
    """Report exceptions that escape a Qt slot (Qt would only print them): log the traceback
    and tell the user with ``tasks.report_error``. Not ``interactive`` (the smoke test): print
    it and end the event loop with exit code 1 instead of waiting for a click.

    Returns the previous hook.
    """
    from PySide6.QtCore import QCoreApplication, QThread

    from jituan_desktop.ui.tasks import report_error

    previous = sys.excepthook
    reporting = False

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal reporting
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        app = QCoreApplication.instance()
        if not interactive:
            log.error("unexpected error", exc_info=exc)
            traceback.print_exception(exc, file=sys.stderr)
            if app is not None:
                app.exit(1)
            return
        if reporting or app is None or QThread.currentThread() is not app.thread():
            # no message box off the GUI thread, or while the one for an earlier error is open
            log.error("unexpected error", exc_info=exc)
            return
        reporting = True
        try:
            report_error(None, exc)
        finally:
            reporting = False

    sys.excepthook = hook
    return previous


FONT_WARM_UP_DELAY_MS = 1500
"""The font search starts this long after the window shows: the first paint comes first."""


def start_font_warm_up(settings) -> threading.Thread:  # type: ignore[no-untyped-def]
    """Search the Chinese fonts and register the chosen ones on a background thread, so the
    first agreement preview does not wait for them (``documents/fonts.warm_up``). A plain
    daemon thread: it touches no Qt object and never delays closing the program."""
    from jituan_desktop.documents import fonts

    thread = threading.Thread(
        target=fonts.warm_up, name="font-warm-up", daemon=True,
        args=(getattr(settings, "pdf_body_font", ""), getattr(settings, "pdf_title_font", "")))
    thread.start()
    return thread


def run_gui(args) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    from jituan_desktop import i18n, paths
    from jituan_desktop.bootstrap import (
        current_group_id,
        ensure_writable,
        load_settings,
        open_services,
    )
    from jituan_desktop.i18n import _
    from jituan_desktop.persistence.errors import StorageError
    from jituan_desktop.ui import prompts
    from jituan_desktop.ui.context import AppContext
    from jituan_desktop.ui.shell import build_main_window
    from jituan_desktop.ui.tasks import TaskRunner

    data = cli.data_paths(args)
    settings = load_settings(data, args.lang)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Jituan Desktop")
    app.setOrganizationName("JituanDesktop")
    font = QFont(UI_FONTS)
    font.setPointSize(10)
    app.setFont(font)
    icon = paths.resources_dir() / "icons" / "jituan.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    translators = i18n.install_qt_translations(app)  # noqa: F841 - kept alive until exit

    def startup_error(title: str, text: str) -> int:
        print(f"{title}: {text}", file=sys.stderr)
        if not args.smoke_test:  # the smoke test must never wait for a click
            prompts.error(None, title, text)
        return 1

    try:
        ensure_writable(data.database.parent)
    except StorageError as exc:
        return startup_error(_("Cannot start"), str(exc))
    configure_file_logging(log_path(data.root))
    install_excepthook(interactive=not args.smoke_test)
    log.info("Jituan Desktop %s starting with the data folder %s", __version__, data.root)
    lock = cli.lock_data_folder(data)
    if lock is None:
        return startup_error(_("Already running"), _(
            "Jituan Desktop is already open with this data folder ({folder}). Switch to that "
            "window; two copies must not edit the same data at once.").format(
                folder=data.database.parent))
    try:
        services = open_services(data, settings)
    except StorageError as exc:
        return startup_error(_("Cannot open the database"), str(exc))
    ctx = AppContext(services, settings, TaskRunner(app), current_group_id(services, settings))
    window = build_main_window(ctx)
    window.show()
    if services.profile_problems and not args.smoke_test:
        QTimer.singleShot(0, lambda: prompts.warning(window, _("Policy profiles"), _(
            "These policy profiles in {folder} were left out; the program works without "
            "them:").format(folder=data.profiles) + "\n\n" + "\n".join(
                f"{p.path.name}: {p.problem}" for p in services.profile_problems)))
    if not args.smoke_test:  # the smoke test makes no PDF: it need not wait for the fonts
        QTimer.singleShot(FONT_WARM_UP_DELAY_MS, lambda: start_font_warm_up(settings))
    if args.smoke_test:
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    services.close()
    lock.unlock()
    return code
