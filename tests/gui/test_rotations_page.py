"""RotationsPage over the demo group: the overview flags, filters, the form's ALX-13 finding,
add / edit / delete with undo, eligible counts, and the xlsx import through the generic
dialog's source."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from jituan_desktop.domain.rotations import EligibleCount, Rotation, RotationForm
from jituan_desktop.services.rotation_import import HEADERS, SHEET, RotationImportSource
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.rotation_dialog import RotationDialog
from jituan_desktop.ui.dialogs.rotation_eligible_dialog import EligibleCountDialog
from jituan_desktop.ui.pages.rotations_page import RotationsPage

pytestmark = pytest.mark.gui

CORE = "阿拉善左旗巴彦浩特第一实验小学"
WEAK = "阿拉善左旗巴彦浩特第五小学"


@pytest.fixture
def page(qtbot: Any, demo_ctx: AppContext) -> RotationsPage:
    page = RotationsPage(demo_ctx)
    qtbot.addWidget(page)
    return page


def school_id(ctx: AppContext, name: str) -> int:
    found = next(s.id for s in ctx.services.schools.list() if s.name == name)
    assert found is not None
    return found


def shown(view: Any) -> list[Any]:
    proxy = view.proxy
    return [view.model.row_at(proxy.mapToSource(proxy.index(i, 0)).row())
            for i in range(proxy.rowCount())]


def test_overview_shows_which_school_misses_which_rule(page: RotationsPage,
                                                       demo_ctx: AppContext) -> None:
    core = school_id(demo_ctx, CORE)
    rows = {s.id: s for s in page.overview.rows()}
    row_2026 = rows[f"2026:{core}"]
    model = page.overview.model
    index = page.overview.rows().index(row_2026)
    texts = [model.display_text(index, c) for c in range(model.columnCount())]
    assert "3 / 20" in texts and "4" in texts
    assert "✗ ALX-11" in texts[-1] and "✓ ALX-12" in texts[-1]
    assert "✗ ALX-15" in model.display_text(page.overview.rows().index(rows["2026:group"]), 6)
    assert "✓ ALX-11" in model.display_text(page.overview.rows().index(rows[f"2025:{core}"]), 6)
    page.overview.select_id(f"2026:{core}")
    assert "「集团内优质校每年流入相对薄弱校和乡村校" in page.summary_details.text()


def test_filters_by_year_school_form_and_status(page: RotationsPage,
                                                demo_ctx: AppContext) -> None:
    assert len(shown(page.list)) == 11
    page.year_box.setCurrentIndex(page.year_box.findData(2026))
    assert {r.school_year for r in shown(page.list)} == {2026}
    assert {s.facts.school_year for s in shown(page.overview)} == {2026}
    page.form_box.setCurrentIndex(page.form_box.findData(RotationForm.TEAM.value))
    assert [r.team_name for r in shown(page.list)] == ["2026 五小英语组团"] * 2
    page.year_box.setCurrentIndex(0)
    page.form_box.setCurrentIndex(0)
    page.status_box.setCurrentIndex(page.status_box.findData("ended"))
    assert len(shown(page.list)) == 2
    page.status_box.setCurrentIndex(0)
    page.school_box.setCurrentIndex(page.school_box.findData(school_id(demo_ctx, WEAK)))
    assert len(shown(page.list)) == 7


def test_the_form_shows_the_term_finding_next_to_the_dates(qtbot: Any, page: RotationsPage,
                                                           demo_ctx: AppContext) -> None:
    short = next(r for r in page.list.rows() if r.planned_end == dt.date(2029, 8, 30))
    dialog = RotationDialog(page, short, page._choices(),
                            demo_ctx.services.rotations.validate, page._term)
    qtbot.addWidget(dialog)
    assert "✗" not in dialog.term_text and "ALX-13" in dialog.term_text
    assert "1" in dialog.term_text and "「流动期限不少于3年」" in dialog.term_text
    dialog.planned_edit.set_value(dt.date(2029, 8, 31))
    assert "ALX-13" in dialog.term_text
    assert dialog.term_text != "" and dialog.ok_button.isEnabled()
    assert not any(f.broken for f in page._term(dialog.draft()))


def test_the_form_refuses_bad_input_inline(qtbot: Any, page: RotationsPage,
                                           demo_ctx: AppContext) -> None:
    rotation = page.list.rows()[0]
    dialog = RotationDialog(page, rotation, page._choices(),
                            demo_ctx.services.rotations.validate, page._term)
    qtbot.addWidget(dialog)
    dialog.to_box.setCurrentIndex(dialog.to_box.findData(rotation.from_school_id))
    assert not dialog.ok_button.isEnabled()
    assert "to_school_id" in dialog.report
    dialog.to_box.setCurrentIndex(dialog.to_box.findData(rotation.to_school_id))
    dialog.planned_edit.set_value(rotation.start_on - dt.timedelta(days=1))  # type: ignore[operator]
    assert "planned_end" in dialog.report and not dialog.ok_button.isEnabled()


def test_add_edit_delete_and_undo(page: RotationsPage, demo_ctx: AppContext,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    core = school_id(demo_ctx, CORE)
    weak = school_id(demo_ctx, WEAK)
    busy = {r.teacher_id for r in page.list.rows()}
    teacher = next(t for t in demo_ctx.services.teachers.list([core])
                   if t.id not in busy)
    new = Rotation(None, demo_ctx.group_id, teacher.id, core, weak, RotationForm.SUPPORT,
                   dt.date(2026, 9, 1), dt.date(2029, 8, 31))
    monkeypatch.setattr(RotationDialog, "edit", lambda *_args: new)
    page.add_rotation()
    assert len(page.list.rows()) == 12
    added = page.list.selected()
    assert added is not None and added.teacher_name == teacher.name
    row = next(s for s in page.overview.rows() if s.id == f"2026:{core}")
    assert row.counted == 4 and not any(f.rule_id == "ALX-11" for f in row.broken)

    changed = dataclasses.replace(added, notes="改为支教")
    monkeypatch.setattr(RotationDialog, "edit", lambda *_args: changed)
    page.edit_selected()
    assert demo_ctx.services.rotations.get(added.id).notes == "改为支教"  # type: ignore[arg-type]
    page.undo.undo_action.trigger()
    assert demo_ctx.services.rotations.get(added.id).notes == ""  # type: ignore[arg-type]

    page.list.select_id(added.id)
    page.delete_selected()
    assert len(page.list.rows()) == 11
    page.undo.undo_action.trigger()  # the deletion
    assert len(page.list.rows()) == 12
    page.undo.undo_action.trigger()  # the change was undone already: now the addition
    page.undo.undo_action.trigger()
    assert len(page.list.rows()) == 11
    assert added.id in {i.id for i in demo_ctx.services.recycle_bin.list()}


def test_entering_eligible_teachers_updates_the_overview(page: RotationsPage,
                                                          demo_ctx: AppContext,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    core = school_id(demo_ctx, CORE)
    page.overview.select_id(f"2026:{core}")
    monkeypatch.setattr(EligibleCountDialog, "edit", lambda _p, draft, _n, _l:
                        dataclasses.replace(draft, eligible=15))
    page.edit_eligible()
    row = next(s for s in page.overview.rows() if s.id == f"2026:{core}")
    assert (row.base, row.required) == (15, 3) and not any(
        f.rule_id == "ALX-11" for f in row.broken)
    page.undo.undo_action.trigger()
    row = next(s for s in page.overview.rows() if s.id == f"2026:{core}")
    assert row.base == 20


def test_eligible_dialog_can_go_back_to_the_teacher_list(qtbot: Any) -> None:
    dialog = EligibleCountDialog(None, EligibleCount(1, 1, 1, 2025, 15), "一实小", 12)
    qtbot.addWidget(dialog)
    dialog.list_check.setChecked(True)
    assert dialog.draft().eligible is None and dialog.ok_button.isEnabled()


def write_rows(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([names[0] for names in HEADERS.values()])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_import_preview_lists_row_errors_and_imports_all_or_nothing(
        tmp_path: Path, demo_ctx: AppContext) -> None:
    source = RotationImportSource(demo_ctx.services.rotations, demo_ctx.group_id or 0)
    core = school_id(demo_ctx, CORE)
    busy = {r.teacher_id for r in demo_ctx.services.rotations.list(demo_ctx.group_id or 0)}
    free = [t for t in demo_ctx.services.teachers.list([core]) if t.id not in busy]
    good = [free[0].name, free[0].staff_no, CORE, "五小", "支教", "", "2026-09-01",
            "2029-08-31", "", "否", "", ""]
    bad = [free[1].name, "", CORE, CORE, "驻教", "", "2026-09-01", "2025-08-31", "", "", "",
           ""]
    unknown = ["无此人", "", CORE, WEAK, "借调", "", "2026-09-01", "2029-08-31", "", "", "", ""]
    preview = source.read(write_rows(tmp_path / "r.xlsx", [good, bad, unknown]))
    assert not preview.ok
    lines = {p.row for p in preview.problems}
    assert lines == {3, 4}
    messages = " ".join(p.message for p in preview.problems)
    assert "借调" in messages and "无此人" in messages
    before = len(demo_ctx.services.rotations.list(demo_ctx.group_id or 0))
    with pytest.raises(ValueError):
        source.commit(preview)
    assert len(demo_ctx.services.rotations.list(demo_ctx.group_id or 0)) == before

    preview = source.read(write_rows(tmp_path / "ok.xlsx", [good]))
    assert preview.ok
    count, changes = source.commit(preview)
    assert count == 1 and changes.touches("rotation")
    assert len(demo_ctx.services.rotations.list(demo_ctx.group_id or 0)) == before + 1


def test_import_refuses_overlaps_within_the_file(tmp_path: Path,
                                                 demo_ctx: AppContext) -> None:
    source = RotationImportSource(demo_ctx.services.rotations, demo_ctx.group_id or 0)
    core = school_id(demo_ctx, CORE)
    busy = {r.teacher_id for r in demo_ctx.services.rotations.list(demo_ctx.group_id or 0)}
    teacher = next(t for t in demo_ctx.services.teachers.list([core]) if t.id not in busy)
    row = [teacher.name, teacher.staff_no, CORE, WEAK, "组团流入", "组团甲", "2026-09-01",
           "2029-08-31", "", "", "", ""]
    preview = source.read(write_rows(tmp_path / "twice.xlsx", [row, row]))
    assert [p.row for p in preview.problems] == [3]


def test_template_has_the_documented_columns(tmp_path: Path, demo_ctx: AppContext) -> None:
    source = RotationImportSource(demo_ctx.services.rotations, demo_ctx.group_id or 0)
    source.template(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")[SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["教师姓名", "工号", "派出学校", "接收学校"]
    assert "考核结果" in headers
    docs = (Path(__file__).parents[2] / "docs" / "rotations.md").read_text(encoding="utf-8")
    assert all(h in docs for h in headers)


def test_the_list_shows_rule_flags_and_the_template_is_in_the_import_dialog(
        page: RotationsPage) -> None:
    from PySide6.QtCore import Qt

    from jituan_desktop.domain.rules import flag_text
    from jituan_desktop.i18n import _
    from jituan_desktop.ui.widgets.record_page_parts import FlagDelegate

    model = page.list.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(model.columnCount())]
    column = headers.index(_("Rule flags"))
    assert isinstance(page.list.table.itemDelegateForColumn(column), FlagDelegate)
    texts = [model.display_text(i, column) for i in range(len(page.list.rows()))]
    assert not any("✓" in t or "✗" in t for t in texts)
    assert texts == [flag_text(page._terms.get(r.id or 0, [])) for r in page.list.rows()]
    assert not hasattr(page, "template_button")


def test_undo_refuses_to_overwrite_a_change_made_in_between(
        qtbot: Any, page: RotationsPage, demo_ctx: AppContext,
        monkeypatch: pytest.MonkeyPatch, no_modal_prompts: list[Any]) -> None:
    rotation = page.list.rows()[0]
    page.list.select_id(rotation.id)
    monkeypatch.setattr(RotationDialog, "edit",
                        lambda _p, draft, *_a: dataclasses.replace(draft, notes="页内修改"))
    page.edit_selected()
    service = demo_ctx.services.rotations
    service.save(dataclasses.replace(service.get(rotation.id), notes="别处修改"))
    page.undo.undo_action.trigger()
    assert no_modal_prompts[-1][0] == "error"
    assert service.get(rotation.id).notes == "别处修改"
    qtbot.waitUntil(lambda: page.undo.stack.count() == 0)


def test_the_overview_shows_eight_rows_at_1366_by_768(qtbot: Any, demo_ctx: AppContext) -> None:
    """The rules' wording sits beside the overview, not under it: in a 1366×768 window (the
    page without the navigation, toolbar and status bar) at least 8 rows are in view."""
    page = RotationsPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1366 - 170, 768 - 90)
    page.show()
    qtbot.waitExposed(page)
    table = page.overview.table
    page.overview.select_id(page.overview.rows()[0].id)
    assert page.summary_details.text()  # the explanation is still shown
    row_height = table.verticalHeader().defaultSectionSize()
    assert table.viewport().height() >= 8 * row_height


def test_overview_uses_short_names_and_says_why_a_rule_does_not_apply(
        page: RotationsPage, demo_ctx: AppContext) -> None:
    model = page.overview.model
    rows = page.overview.rows()
    core = school_id(demo_ctx, CORE)
    index = rows.index(next(s for s in rows if s.id == f"2026:{core}"))
    short = next(s.display_name for s in demo_ctx.services.schools.list() if s.id == core)
    assert short != CORE
    assert model.display_text(index, 1) == short
    assert model.data(model.index(index, 1), Qt.ItemDataRole.ToolTipRole) == CORE
    # a member school that is not a quality school: ALX-11 does not count it
    member = next(s for s in rows if s.facts.school_id not in (core, None))
    at = rows.index(member)
    assert model.display_text(at, 4) == "—"
    tip = model.data(model.index(at, 4), Qt.ItemDataRole.ToolTipRole)
    assert "ALX-11" in tip and tip == member.not_applied  # "… quality sending schools only"
    if not member.findings:
        assert model.display_text(at, 6) == "—"
        assert "ALX-11" in model.data(model.index(at, 6), Qt.ItemDataRole.ToolTipRole)


def test_the_school_filter_is_narrow_with_short_names(page: RotationsPage,
                                                      demo_ctx: AppContext) -> None:
    core = school_id(demo_ctx, CORE)
    at = page.school_box.findData(core)
    assert page.school_box.itemText(at) != CORE
    assert page.school_box.itemData(at, Qt.ItemDataRole.ToolTipRole) == CORE
    assert page.school_box.sizeHint().width() < 200
