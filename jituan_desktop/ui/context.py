"""What every page and dialog gets from the composition root: services, settings, the task
runner, and the one signal that announces changes to the data."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from jituan_desktop.bootstrap import Services
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import _
from jituan_desktop.persistence.errors import StorageError
from jituan_desktop.services.base import Changes, NotFound
from jituan_desktop.settings import Settings
from jituan_desktop.ui import prompts
from jituan_desktop.ui.tasks import report_error

log = logging.getLogger(__name__)
T = TypeVar("T")


def file_error_text(exc: OSError, path: Path) -> str:
    """Why ``path`` could not be written, in the user's language (the raw error, in English
    on most systems, is for the details)."""
    code = getattr(exc, "winerror", None) or exc.errno
    if code in (32, 33):  # Windows: the file is open in another program
        return _("The file {file} is in use by another program.").format(file=path)
    if isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        return _("A folder of the same name is in the way of the file {file}.").format(
            file=path)
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return _("There is no permission to write {file}.").format(file=path)
    if exc.errno == errno.ENOSPC:
        return _("The disk is full.")
    return _("The file {file} could not be written.").format(file=path)


class ChangeBus(QObject):
    """Publishes a :class:`Changes` after every write; open views refresh what they show."""

    changed = Signal(object)
    group_switched = Signal(object)  # int | None


class AppContext:
    def __init__(self, services: Services, settings: Settings, runner: Any,
                 group_id: int | None) -> None:
        self.services = services
        self.settings = settings
        self.runner = runner  # TaskRunner, or SyncTaskRunner in tests
        self.bus = ChangeBus()
        self.group_id = group_id

    def switch_group(self, group_id: int | None) -> None:
        if group_id == self.group_id:
            return
        self.group_id = group_id
        if self.services.data.demo:
            self.settings.current_demo_group_id = group_id
        else:
            self.settings.current_group_id = group_id
        self.save_settings()
        self.bus.group_switched.emit(group_id)

    def save_settings(self) -> OSError | None:
        """Write ``settings.json``; None when it was saved, else the error (also logged)."""
        try:
            self.settings.save(self.services.data.settings)
        except OSError as exc:
            log.warning("settings not saved: %s", exc)
            return exc
        return None

    def recent_dir(self, purpose: str) -> str:
        """The folder last used for ``purpose`` (e.g. ``"data_export"``), where the next file
        dialog for it starts; "" when none was used or the folder is gone."""
        folder = self.settings.recent_dirs.get(purpose, "")
        return folder if folder and Path(folder).is_dir() else ""

    def remember_dir(self, purpose: str, chosen: Path) -> None:
        """Remember the folder of ``chosen`` (a file, or a folder itself) for ``purpose``."""
        folder = chosen if chosen.is_dir() else chosen.parent
        if self.settings.recent_dirs.get(purpose) != str(folder):
            self.settings.recent_dirs[purpose] = str(folder)
            self.save_settings()  # a failure is logged; the folder is only a convenience

    def publish(self, changes: Changes) -> None:
        if changes.kinds:
            self.bus.changed.emit(changes)

    def write(self, parent: QWidget | None, action: Callable[[], tuple[T, Changes]]) -> T | None:
        """Run a quick write on the GUI thread, publish its changes, explain known failures."""
        try:
            result, changes = action()
        except (ValidationError, NotFound, StorageError) as exc:
            self.write_failed(parent, exc)
            return None
        self.publish(changes)
        return result

    def write_failed(self, parent: QWidget | None, exc: BaseException,
                     title: str | None = None) -> None:
        """Explain why a write failed (``on_error`` of a write run through the runner): known
        failures in plain words, anything else as an unexpected error."""
        title = title or _("Not saved")
        if isinstance(exc, ValidationError):
            prompts.error(parent, title, exc.report.text())
        elif isinstance(exc, NotFound):
            prompts.error(parent, title, _("The record no longer exists; it may have "
                                           "been deleted in another window."))
            self.publish(Changes.of("school", "teacher", "group", "membership", "leader",
                                    "charter_section", "plan", "placement", "course",
                                    "rotation", "agreement", "research_session",
                                    "recycle_bin"))
        elif isinstance(exc, StorageError):
            prompts.error(parent, title, str(exc))
        else:
            report_error(parent, exc)
