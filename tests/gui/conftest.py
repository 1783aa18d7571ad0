"""GUI fixtures: an AppContext over a real migrated database, with a synchronous runner."""

from __future__ import annotations

import pytest

from jituan_desktop.bootstrap import Services, current_group_id
from jituan_desktop.settings import Settings
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture(autouse=True)
def no_modal_prompts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes never block a test: they are recorded in the returned list instead.

    An unexpected ``confirm`` is recorded too and answered Yes (e.g. "Discard changes?" when
    a test's edited dialog is closed at teardown). Tests that expect a question monkeypatch
    ``confirm`` with the answer they need."""
    shown: list[tuple[str, str, str]] = []
    for name in ("error", "warning", "info"):
        monkeypatch.setattr(prompts, name, lambda _parent, title, text, details=None, _n=name:
                            shown.append((_n, title, text)))

    def confirm(_parent: object, title: str, text: str) -> bool:
        shown.append(("confirm", title, text))
        return True

    monkeypatch.setattr(prompts, "confirm", confirm)
    return shown


@pytest.fixture
def ctx(services: Services) -> AppContext:
    return AppContext(services, Settings(), SyncTaskRunner(), None)


@pytest.fixture
def demo_ctx(demo_services: Services) -> AppContext:
    return AppContext(demo_services, Settings(), SyncTaskRunner(),
                      current_group_id(demo_services, Settings()))
