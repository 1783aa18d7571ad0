"""What every page and dialog gets from the composition root: services, settings, the task
runner, and the one signal that announces changes to the data."""

from __future__ import annotations

import logging
from collections.abc import Callable
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

log = logging.getLogger(__name__)
T = TypeVar("T")


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

    def save_settings(self) -> None:
        try:
            self.settings.save(self.services.data.settings)
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def publish(self, changes: Changes) -> None:
        if changes.kinds:
            self.bus.changed.emit(changes)

    def write(self, parent: QWidget | None, action: Callable[[], tuple[T, Changes]]) -> T | None:
        """Run a quick write on the GUI thread, publish its changes, explain known failures."""
        try:
            result, changes = action()
        except ValidationError as exc:
            prompts.error(parent, _("Not saved"), exc.report.text())
            return None
        except NotFound:
            prompts.error(parent, _("Not saved"), _("The record no longer exists; it may have "
                                                    "been deleted in another window."))
            self.publish(Changes.of("school", "teacher", "group", "membership", "leader",
                                    "charter_section", "plan", "recycle_bin"))
            return None
        except StorageError as exc:
            prompts.error(parent, _("Not saved"), str(exc))
            return None
        self.publish(changes)
        return result
