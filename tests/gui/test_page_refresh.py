"""Pages refresh only when seen: a write does not reload the pages hidden behind the current
one, and the window starts by loading only the page it shows."""

from __future__ import annotations

from typing import Any

import pytest

from jituan_desktop.domain.schools import School
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.main_window import MainWindow
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.pages.charter_page import CharterPage
from jituan_desktop.ui.pages.history_page import HistoryPage
from jituan_desktop.ui.pages.schools_page import SchoolsPage
from jituan_desktop.ui.pages.teachers_page import TeachersPage
from jituan_desktop.ui.shell import build_main_window

pytestmark = pytest.mark.gui


def count_refreshes(monkeypatch: pytest.MonkeyPatch, *pages: Page) -> dict[str, int]:
    counts = {type(page).__name__: 0 for page in pages}
    for page in pages:
        original = page.refresh

        def counting(page: Page = page, original: Any = original) -> None:
            counts[type(page).__name__] += 1
            original()

        monkeypatch.setattr(page, "refresh", counting)
    return counts


def page_of(window: MainWindow, page_class: type[Page]) -> Page:
    return next(p for p in window.pages if isinstance(p, page_class))


@pytest.fixture
def window(qtbot: Any, demo_ctx: AppContext) -> MainWindow:
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_starts_by_loading_only_the_page_it_shows(qtbot: Any,
                                                            demo_ctx: AppContext) -> None:
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    charter, *hidden = window.pages
    assert isinstance(charter, CharterPage) and not charter.stale
    assert charter.members.list.model.total_rows == 5
    assert all(page.stale for page in hidden)
    history = page_of(window, HistoryPage)
    assert history.list.model.total_rows == 0  # type: ignore[attr-defined]


def test_a_write_refreshes_the_current_page_and_a_hidden_one_when_shown(
    window: MainWindow, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the schools page shown, the history page seen once and hidden again
    history = window.show_page(HistoryPage)
    schools = window.show_page(SchoolsPage)
    counts = count_refreshes(monkeypatch, schools, history)

    # WHEN a school is added
    added = demo_ctx.write(window, lambda: demo_ctx.services.schools.save(
        School(None, "余姚市新建小学")))
    assert added is not None

    # THEN the schools page shows it at once; the hidden history page waits
    assert counts == {"SchoolsPage": 1, "HistoryPage": 0}
    assert history.stale
    assert any(s.name == "余姚市新建小学" for s in schools.list.rows())  # type: ignore[attr-defined]

    # WHEN the history page is shown  THEN it catches up, once
    window.show_page(HistoryPage)
    assert counts == {"SchoolsPage": 1, "HistoryPage": 1}
    assert not history.stale
    assert "余姚市新建小学" in history.list.rows()[0].summary  # type: ignore[attr-defined]


def test_switching_the_group_refreshes_only_the_page_shown(
    window: MainWindow, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    charter = page_of(window, CharterPage)
    teachers = page_of(window, TeachersPage)
    counts = count_refreshes(monkeypatch, charter, teachers)
    demo_ctx.switch_group(None)
    assert counts == {"CharterPage": 1, "TeachersPage": 0}
    assert teachers.stale


def test_a_page_on_its_own_refreshes_at_once(qtbot: Any, demo_ctx: AppContext,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    page = HistoryPage(demo_ctx)  # as the page tests build them: never shown
    qtbot.addWidget(page)
    assert not page.stale and page.list.model.total_rows > 0
    counts = count_refreshes(monkeypatch, page)
    demo_ctx.write(None, lambda: demo_ctx.services.schools.save(School(None, "余姚市新建小学")))
    assert counts == {"HistoryPage": 1}


def test_a_window_built_but_not_shown_keeps_its_current_page_current(
    qtbot: Any, demo_ctx: AppContext
) -> None:
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    schools = window.show_page(SchoolsPage)
    assert not schools.stale and schools.list.model.total_rows == 9  # type: ignore[attr-defined]


def test_pages_have_no_unused_icon_name() -> None:
    assert not hasattr(Page, "icon_name")
