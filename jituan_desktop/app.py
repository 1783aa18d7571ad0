"""Composition root: settings, i18n, database, services, task runner and main window.

The one place that wires things; everything else receives what it needs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from jituan_desktop import cli

log = logging.getLogger(__name__)

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
            "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC"]


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.parse(argv)
    if args.command:
        return cli.run_command(args)
    return run_gui(args)


def run_gui(args) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLockFile, QTimer
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
    app.setApplicationDisplayName(_("Jituan Desktop"))
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
    lock = QLockFile(str(data.lock))
    lock.setStaleLockTime(0)
    if not lock.tryLock(200):
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
    if args.smoke_test:
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    services.close()
    lock.unlock()
    return code
