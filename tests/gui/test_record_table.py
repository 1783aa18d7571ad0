"""RecordTableModel and RecordFilterProxy: model checks, lazy fetching, sorting, search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from jituan_desktop.i18n import N_, format_date
from jituan_desktop.ui.models.record_table import Column, RecordFilterProxy, RecordTableModel

pytestmark = pytest.mark.gui

DISPLAY = Qt.ItemDataRole.DisplayRole
USER = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class School:
    id: int
    name: str
    pupils: int | None
    joined: dt.date | None
    public: bool


COLUMNS: list[Column[School]] = [
    Column(N_("Name"), lambda s: s.name, tooltip=lambda s: f"#{s.id}"),
    Column(N_("Pupils"), lambda s: s.pupils, align_right=True),
    Column(N_("Joined"), lambda s: s.joined),
    Column(N_("Public"), lambda s: s.public),
]

SCHOOLS = [
    School(1, "余姚市阳明小学", 1200, dt.date(2019, 9, 1), True),
    School(2, "梨洲中学", 950, dt.date(2021, 2, 15), False),
    School(3, "Yangming Experimental School", 80, None, True),
    School(4, "低塘初级中学", None, dt.date(2020, 9, 1), False),
    School(5, "阳明中学", 10000, dt.date(2018, 3, 5), True),
]


def make_model(rows: list[School] = SCHOOLS, **kwargs: Any) -> RecordTableModel[School]:
    model: RecordTableModel[School] = RecordTableModel(COLUMNS, **kwargs)
    model.set_rows(rows)
    return model


def make_proxy(model: RecordTableModel[School]) -> RecordFilterProxy:
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def column_values(proxy: QSortFilterProxyModel, column: int) -> list[str]:
    return [proxy.index(r, column).data(DISPLAY) for r in range(proxy.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    qtmodeltester.check(make_model())
    qtmodeltester.check(make_model([]))
    qtmodeltester.check(make_model([School(i, f"学校{i}", i, None, False) for i in range(25)],
                                   batch_size=10))


def test_proxy_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = make_model([School(i, f"学校{i}", i % 7, None, i % 2 == 0) for i in range(25)],
                       batch_size=10)
    proxy = make_proxy(model)
    proxy.set_search_text("1")
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_display_text_and_roles() -> None:
    model = make_model()

    assert model.rowCount() == 5 and model.columnCount() == 4
    assert model.index(0, 0).data(DISPLAY) == "余姚市阳明小学"
    assert model.index(0, 1).data(DISPLAY) == "1200"
    assert model.index(0, 2).data(DISPLAY) == format_date(dt.date(2019, 9, 1), "medium")
    assert model.index(0, 3).data(DISPLAY) == "✓"
    assert model.index(1, 3).data(DISPLAY) == ""
    assert model.index(2, 2).data(DISPLAY) == ""  # None
    assert model.index(3, 1).data(DISPLAY) == ""
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "#1"
    alignment = Qt.AlignmentFlag(model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert model.headerData(1, Qt.Orientation.Horizontal, DISPLAY) == "Pupils"


def test_user_role_gives_sort_keys_a_plain_proxy_orders_correctly() -> None:
    # GIVEN numbers whose text would sort 10000 < 1200 < 80 < 950
    model = make_model()
    assert model.index(0, 1).data(USER) == 1200
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(USER)

    # WHEN a plain Qt proxy sorts by the pupil count
    proxy.sort(1, Qt.SortOrder.AscendingOrder)

    # THEN it sorts by number, the empty value last
    assert column_values(proxy, 1) == ["80", "950", "1200", "10000", ""]
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, 0)[:4] == ["阳明中学", "余姚市阳明小学", "低塘初级中学", "梨洲中学"]


def test_sorting_a_numeric_column_sorts_numerically() -> None:
    proxy = make_proxy(make_model())

    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert column_values(proxy, 1) == ["80", "950", "1200", "10000", ""]

    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert column_values(proxy, 1) == ["10000", "1200", "950", "80", ""]  # None stays last


def test_sort_is_kept_across_set_rows() -> None:
    model = make_model()
    proxy = make_proxy(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)

    model.set_rows(list(reversed(SCHOOLS)))

    assert column_values(proxy, 1) == ["80", "950", "1200", "10000", ""]


def test_search_finds_a_chinese_substring() -> None:
    proxy = make_proxy(make_model())

    proxy.set_search_text("阳明")
    assert sorted(column_values(proxy, 0)) == sorted(["余姚市阳明小学", "阳明中学"])

    proxy.set_search_text("  YANGMING ")  # case-insensitive, surrounding blanks ignored
    assert column_values(proxy, 0) == ["Yangming Experimental School"]

    proxy.set_search_text("10000")  # any column's display text
    assert column_values(proxy, 0) == ["阳明中学"]

    proxy.set_search_text("")
    assert proxy.rowCount() == 5


def test_predicate_filters_on_top_of_the_search() -> None:
    proxy = make_proxy(make_model())

    proxy.set_predicate(lambda s: s.public)
    assert proxy.rowCount() == 3
    proxy.set_search_text("中学")
    assert column_values(proxy, 0) == ["阳明中学"]
    proxy.set_predicate(None)
    assert sorted(column_values(proxy, 0)) == sorted(["梨洲中学", "低塘初级中学", "阳明中学"])


def big_list(n: int = 50_000) -> list[School]:
    return [School(i, f"学校{i:05d}", i % 3000, None, False) for i in range(n)]


def test_fifty_thousand_rows_are_fetched_lazily() -> None:
    model = make_model(big_list())

    assert model.rowCount() <= 1000
    assert model.total_rows == 50_000
    assert model.canFetchMore(QModelIndex())

    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2000

    model.fetch_all()
    assert model.rowCount() == 50_000
    assert not model.canFetchMore(QModelIndex())


def test_search_sees_rows_not_fetched_yet() -> None:
    model = make_model(big_list())
    proxy = make_proxy(model)

    proxy.set_search_text("学校49999")
    assert column_values(proxy, 0) == ["学校49999"]

    # a new row set while searching is fetched completely again
    model.set_rows(big_list(30_000))
    assert model.rowCount() == 30_000
    assert proxy.rowCount() == 0


def test_sorting_fifty_thousand_rows_needs_no_fetch() -> None:
    model = make_model(big_list())
    proxy = make_proxy(model)

    proxy.sort(1, Qt.SortOrder.DescendingOrder)

    assert model.rowCount() <= 1000
    assert proxy.index(0, 1).data(USER) == 2999


def test_index_of_id_fetches_the_row() -> None:
    model = make_model(big_list())

    index = model.index_of_id(45_678)

    assert index.isValid() and model.row_at(index.row()).id == 45_678
    assert model.rowCount() > 45_678
    assert not model.index_of_id(-1).isValid()
    assert model.rows()[0].id == 0
