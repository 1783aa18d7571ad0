"""RecordListView: search box, Ctrl+F, activation, selection kept across set_rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from jituan_desktop.i18n import N_, _, format_number
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.widgets.record_list import RecordListView

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class School:
    id: int
    name: str
    pupils: int


COLUMNS: list[Column[School]] = [
    Column(N_("Name"), lambda s: s.name),
    Column(N_("Pupils"), lambda s: s.pupils, align_right=True),
]

SCHOOLS = [
    School(1, "余姚市阳明小学", 1200),
    School(2, "梨洲中学", 950),
    School(3, "低塘初级中学", 640),
    School(4, "阳明中学", 1800),
]


@pytest.fixture
def view(qtbot: Any) -> RecordListView[School]:
    view: RecordListView[School] = RecordListView(COLUMNS)
    qtbot.addWidget(view)
    view.set_rows(SCHOOLS)
    return view


def shown_names(view: RecordListView[School]) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_defaults(view: RecordListView[School]) -> None:
    table = view.table
    assert view.search_box.placeholderText() == _("Search… (Ctrl+F)")
    assert view.search_box.isClearButtonEnabled()
    assert table.isSortingEnabled() and table.alternatingRowColors()
    assert table.selectionBehavior() == table.SelectionBehavior.SelectRows
    assert table.selectionMode() == table.SelectionMode.SingleSelection
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    assert not table.verticalHeader().isVisible()
    assert table.horizontalHeader().stretchLastSection()
    assert shown_names(view) == [s.name for s in SCHOOLS]  # service order until a click
    assert view.count_label.text() == _("{n} records").format(n=format_number(4))


def type_with_input_method(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method as a commit string. (QTest.keyClicks
    cannot type it: a character outside Latin-1 aborts the test process.)"""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_typing_in_the_search_box_filters(qtbot: Any, view: RecordListView[School]) -> None:
    type_with_input_method(view.search_box, "阳明")

    assert view.search_box.text() == "阳明"
    assert shown_names(view) == ["余姚市阳明小学", "阳明中学"]
    assert view.count_label.text() == _("{n} records").format(n=format_number(2))

    qtbot.keyClicks(view.search_box, "0")  # "阳明0" matches nothing
    assert shown_names(view) == []

    view.search_box.clear()
    qtbot.keyClicks(view.search_box, "18")
    assert shown_names(view) == ["阳明中学"]  # its pupil count, 1800

    view.search_box.clear()
    assert len(shown_names(view)) == 4


def test_ctrl_f_focuses_and_selects_the_search_box(
    qtbot: Any, view: RecordListView[School]
) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.search_box.setText("梨洲")
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)

    qtbot.keySequence(view.table, QKeySequence(QKeySequence.StandardKey.Find))

    qtbot.waitUntil(view.search_box.hasFocus)
    assert view.search_box.selectedText() == "梨洲"


def test_double_click_emits_the_row(qtbot: Any, view: RecordListView[School]) -> None:
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    rect = table.visualRect(view.proxy.index(1, 0))

    with qtbot.waitSignal(view.activated) as blocker:
        # QTest's mouseDClick sends only the double-click event; a real double click starts
        # with a press, which the view needs to accept the second one.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert blocker.args == [SCHOOLS[1]]


def test_enter_emits_the_current_row(qtbot: Any, view: RecordListView[School]) -> None:
    view.select_id(3)
    with qtbot.waitSignal(view.activated) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [SCHOOLS[2]]


def test_selection_kept_across_set_rows(qtbot: Any, view: RecordListView[School]) -> None:
    # GIVEN the third school selected
    with qtbot.waitSignal(view.selection_changed) as blocker:
        assert view.select_id(3)
    assert blocker.args == [SCHOOLS[2]]

    # WHEN the list is reloaded in another order and with a changed record
    renamed = School(3, "低塘中学", 700)
    with qtbot.waitSignal(view.selection_changed) as blocker:
        view.set_rows([renamed, SCHOOLS[3], SCHOOLS[0]])

    # THEN the same record (by id) is still selected, with its new values
    assert view.selected() == renamed
    assert blocker.args == [renamed]
    assert view.count_label.text() == _("{n} records").format(n=format_number(3))

    # AND when it disappears (e.g. deleted), the row now at its place is selected
    with qtbot.waitSignal(view.selection_changed) as blocker:
        view.set_rows([SCHOOLS[3], SCHOOLS[0]])
    assert blocker.args == [SCHOOLS[3]]
    assert view.selected() == SCHOOLS[3]

    # AND when it was the last row, the new last row is selected
    view.select_id(0)  # (id 0: none) nothing selected
    assert view.select_id(SCHOOLS[0].id)
    view.set_rows([SCHOOLS[3]])
    assert view.selected() == SCHOOLS[3]

    # AND an empty list selects nothing
    with qtbot.waitSignal(view.selection_changed) as blocker:
        view.set_rows([])
    assert blocker.args == [None]


def test_no_selection_stays_none_across_set_rows(view: RecordListView[School]) -> None:
    assert view.selected() is None
    view.set_rows(list(reversed(SCHOOLS)))
    assert view.selected() is None


def test_sorting_keeps_the_selection(qtbot: Any, view: RecordListView[School]) -> None:
    view.select_id(2)

    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)

    assert shown_names(view) == ["阳明中学", "余姚市阳明小学", "梨洲中学", "低塘初级中学"]
    assert view.selected() == SCHOOLS[1]


def test_filter_predicate_and_hidden_selection(view: RecordListView[School]) -> None:
    view.set_filter(lambda s: s.pupils > 1000)

    assert shown_names(view) == ["余姚市阳明小学", "阳明中学"]
    assert not view.select_id(2)  # filtered out
    assert view.selected() is None


def test_lazy_rows_in_the_view(qtbot: Any) -> None:
    view: RecordListView[School] = RecordListView(COLUMNS)
    qtbot.addWidget(view)
    rows = [School(i, f"学校{i}", i) for i in range(50_000)]

    view.set_rows(rows)

    assert view.model.rowCount() <= 1000
    assert view.count_label.text() == _("{n} records").format(n=format_number(50_000))
    assert view.select_id(42_000)
    assert view.selected() == rows[42_000]
    view.search_box.setText("学校4999")
    assert view.proxy.rowCount() == 11  # 4999 and 49990..49999


def test_search_box_is_a_line_edit(view: RecordListView[School]) -> None:
    assert isinstance(view.search_box, QLineEdit)


# ---- column widths ------------------------------------------------------------------------


def needed_width(view: RecordListView[School]) -> int:
    """What the name column's cells need to be shown without "…"."""
    return view.table.sizeHintForColumn(0)


@pytest.fixture
def shown_view(qtbot: Any) -> RecordListView[School]:
    view: RecordListView[School] = RecordListView([*COLUMNS, Column(N_("Notes"), lambda _s: "")])
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_columns_grow_when_new_rows_need_more_room(shown_view: RecordListView[School]) -> None:
    # GIVEN a shown list fitted to short names
    view = shown_view
    view.set_rows([School(1, "一小", 10)])
    narrow = view.table.columnWidth(0)

    # WHEN a row with a longer name arrives  THEN the column widens to show it
    view.set_rows([School(1, "一小", 10), School(2, "阿拉善左旗温都尔勒图镇中心小学", 20)])
    assert view.table.columnWidth(0) >= needed_width(view) > narrow


def test_rows_set_while_hidden_are_fitted_when_shown(qtbot: Any) -> None:
    view: RecordListView[School] = RecordListView([*COLUMNS, Column(N_("Notes"), lambda _s: "")])
    qtbot.addWidget(view)
    view.set_rows([School(1, "阿拉善左旗温都尔勒图镇中心小学", 20)])
    view.show()
    qtbot.waitExposed(view)
    assert view.table.columnWidth(0) >= needed_width(view)


def test_a_width_the_user_chose_stays(shown_view: RecordListView[School]) -> None:
    view = shown_view
    view.set_rows(SCHOOLS)
    view.table.horizontalHeader().resizeSection(0, 60)  # as a drag on the header does
    view.set_rows([*SCHOOLS, School(9, "阿拉善左旗温都尔勒图镇中心小学", 20)])
    assert view.table.columnWidth(0) == 60


def test_a_long_list_is_fitted_only_once(shown_view: RecordListView[School],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from jituan_desktop.ui.widgets import record_list

    view = shown_view
    many = [School(i, f"学校{i}", i) for i in range(record_list.REFIT_MAX_ROWS + 1)]
    view.set_rows(many)
    fits: list[bool] = []
    monkeypatch.setattr(view, "fit_columns", lambda: fits.append(True))
    view.set_rows([*many, School(-1, "阿拉善左旗温都尔勒图镇中心小学", 1)])
    assert fits == []


# ---- keyboard -----------------------------------------------------------------------------


def show_active(qtbot: Any, view: QWidget) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter],
                         ids=["Down", "Return", "Enter"])
def test_down_or_enter_in_the_search_box_goes_to_the_first_row(
    qtbot: Any, view: RecordListView[School], key: Qt.Key
) -> None:
    show_active(qtbot, view)
    view.focus_search()
    view.search_box.setText("中学")
    qtbot.waitUntil(view.search_box.hasFocus)
    activated: list[object] = []
    view.activated.connect(activated.append)

    qtbot.keyClick(view.search_box, key)

    qtbot.waitUntil(view.table.hasFocus)
    assert view.selected() == SCHOOLS[1]  # the first row the search shows
    assert activated == []  # Enter in the search box does not open the row


def test_down_in_the_search_box_keeps_a_selected_row(
    qtbot: Any, view: RecordListView[School]
) -> None:
    show_active(qtbot, view)
    view.select_id(3)
    view.focus_search()
    qtbot.waitUntil(view.search_box.hasFocus)
    qtbot.keyClick(view.search_box, Qt.Key.Key_Down)
    qtbot.waitUntil(view.table.hasFocus)
    assert view.selected() == SCHOOLS[2]


def test_down_in_a_search_without_matches_stays(qtbot: Any, view: RecordListView[School]) -> None:
    show_active(qtbot, view)
    view.focus_search()
    view.search_box.setText("没有这所学校")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Down)
    assert view.search_box.hasFocus()
    assert view.selected() is None


def test_tab_into_the_table_selects_a_row(qtbot: Any, view: RecordListView[School]) -> None:
    # GIVEN a list with nothing selected and the focus in the search box
    show_active(qtbot, view)
    view.focus_search()
    qtbot.waitUntil(view.search_box.hasFocus)
    with qtbot.waitSignal(view.selection_changed) as blocker:
        # WHEN Tab moves the focus into the table
        qtbot.keyClick(view.search_box, Qt.Key.Key_Tab)

    # THEN the first row is selected, so Edit and Delete have a row to act on
    qtbot.waitUntil(view.table.hasFocus)
    assert blocker.args == [SCHOOLS[0]]


def test_a_mouse_click_into_the_table_selects_nothing_by_itself(
    view: RecordListView[School]
) -> None:
    view.table.setFocus(Qt.FocusReason.MouseFocusReason)
    assert view.selected() is None


# ---- column widths after a search -----------------------------------------------------------


def test_columns_fitted_during_a_search_are_fitted_again_when_it_is_cleared(
    shown_view: RecordListView[School]
) -> None:
    # GIVEN a list with a long name, fitted to it
    view = shown_view
    rows = [School(1, "一小", 10), School(2, "阿拉善左旗温都尔勒图镇中心小学", 20)]
    view.set_rows(rows)
    wide = view.table.columnWidth(0)
    assert wide >= needed_width(view)

    # WHEN a search hides the long name and the list is refreshed meanwhile
    view.search_box.setText("一小")
    view.set_rows(rows)
    assert view.table.columnWidth(0) < wide  # fitted to what the search shows

    # THEN clearing the search fits the columns to every row again
    view.search_box.clear()
    assert view.table.columnWidth(0) >= needed_width(view)


def test_the_last_column_stretches_to_the_right_edge(
    qtbot: Any, shown_view: RecordListView[School]
) -> None:
    view = shown_view
    table = view.table
    view.set_rows(SCHOOLS)
    view.search_box.setText("中学")
    view.set_rows(SCHOOLS)
    view.search_box.clear()
    view.resize(1200, 400)

    def total() -> int:
        return sum(table.columnWidth(c) for c in range(view.model.columnCount()))

    qtbot.waitUntil(lambda: total() == table.viewport().width())
