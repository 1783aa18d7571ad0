"""The placements page end to end: list and filters, the application form with its rule
findings, the whole workflow (create → submit → review → approve → start → end → return), a
rejection, the recycle bin and undo."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from jituan_desktop.domain.enums import CadreRank
from jituan_desktop.domain.placements import (
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.i18n import format_date
from jituan_desktop.services.demo_placements import GROUP_NAME
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.placement_dialog import PlacementDialog
from jituan_desktop.ui.dialogs.placement_step_dialog import PlacementStepDialog, StepDraft
from jituan_desktop.ui.pages.placements_page import PlacementsPage
from jituan_desktop.ui.widgets.record_page_parts import FlagDelegate

pytestmark = pytest.mark.gui
D = dt.date
A = PlacementAction


@pytest.fixture
def hy_ctx(demo_ctx: AppContext) -> AppContext:
    demo_ctx.switch_group(next(g.id for g in demo_ctx.services.groups.list()
                               if g.name == GROUP_NAME))
    return demo_ctx


@pytest.fixture
def page(qtbot: Any, hy_ctx: AppContext) -> PlacementsPage:
    page = PlacementsPage(hy_ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    return page


def shown(page: PlacementsPage) -> int:
    return page.list.proxy.rowCount()


def choose(box: Any, value: object) -> None:
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


def test_lists_the_groups_placements_with_filters(page: PlacementsPage) -> None:
    assert shown(page) == 20
    choose(page.status_box, PlacementStatus.REJECTED.value)
    assert shown(page) == 1
    choose(page.status_box, None)
    choose(page.kind_box, PlacementKind.CADRE_EXERCISE.value)
    assert shown(page) == 7  # five in November 2025, one active, one rejected
    choose(page.kind_box, None)
    page.semester_box.setCurrentIndex(page.semester_box.count() - 1)  # the earliest semester
    assert 0 < shown(page) < 20
    page.semester_box.setCurrentIndex(0)
    assert shown(page) == 20


def test_sorts_by_length_and_shows_the_flags(page: PlacementsPage) -> None:
    days = [c.header for c in page.list.model.columns].index("Days")
    page.list.table.sortByColumn(days, Qt.SortOrder.DescendingOrder)
    first = page.list.model.row_at(page.list.proxy.mapToSource(page.list.proxy.index(0, 0)).row())
    assert first.flags == "HY-02" and first.justification
    flags = [c.header for c in page.list.model.columns].index("Rule flags")
    assert not page.list.table.isColumnHidden(flags)
    cell = page.list.proxy.index(0, flags)
    assert cell.data() == "⚑ HY-02"  # as flag_text writes it
    assert isinstance(page.list.table.itemDelegateForColumn(flags), FlagDelegate)  # red
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "HY-02" in tip and "原则上，跟岗学习期限不超过两周" in tip
    page.list.select_id(first.id)
    assert "HY-02" in page.findings_view.text()
    assert "原则上，跟岗学习期限不超过两周" in page.findings_view.text()


def test_the_alxa_group_records_placements_without_rules(qtbot: Any, demo_ctx: AppContext) -> None:
    page = PlacementsPage(demo_ctx)
    qtbot.addWidget(page)
    assert shown(page) == 3 and all(p.flags == "" for p in page.list.rows())
    flags = [c.header for c in page.list.model.columns].index("Rule flags")
    assert page.list.table.isColumnHidden(flags)  # the profile has no placement rule
    page.list.select_id(page.list.rows()[0].id)
    assert "HY-" not in page.findings_view.text()


def test_switching_groups_shows_and_hides_the_flags_and_refits(
        qtbot: Any, page: PlacementsPage, hy_ctx: AppContext) -> None:
    page.show()
    qtbot.waitExposed(page)
    flags = [c.header for c in page.list.model.columns].index("Rule flags")
    other = next(g.id for g in hy_ctx.services.groups.list() if g.name != GROUP_NAME)
    hy = hy_ctx.group_id
    hy_ctx.switch_group(other)
    page.refresh()
    qtbot.waitUntil(lambda: shown(page) == 3)
    qtbot.wait(50)  # Qt's delayed header resize
    assert page.list.table.isColumnHidden(flags)
    assert not page.list._user_sized  # hiding is not taken for the user's resize: refits
    hy_ctx.switch_group(hy)  # type: ignore[arg-type]
    page.refresh()
    qtbot.waitUntil(lambda: shown(page) == 20)
    assert not page.list.table.isColumnHidden(flags)


def fill_application(dialog: PlacementDialog, person: int, host: int, start: dt.date,
                     days: int, purpose: str = "学习课堂教学") -> None:
    choose(dialog.person_box, person)
    choose(dialog.kind_box, PlacementKind.LEARNING.value)
    choose(dialog.host_box, host)
    dialog.purpose_edit.setPlainText(purpose)
    dialog.applied_on.set_value(start - dt.timedelta(days=30))
    dialog.planned_start.set_value(start)
    dialog.planned_end.set_value(start + dt.timedelta(days=days - 1))


def new_person(page: PlacementsPage) -> tuple[int, int]:
    """A teacher (no cadre rank) of the core school with no placement yet, and a member
    school to learn at."""
    busy = {p.teacher_id for p in page.list.rows()}
    core, member = page._schools[0][0], page._schools[1][0]
    person = next(t for t in page._people if t.school_id == core and t.id not in busy
                  and t.cadre_rank is CadreRank.NONE)
    return person.id, member  # type: ignore[return-value]


def test_the_form_shows_findings_and_asks_for_a_justification(
        page: PlacementsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    person, host = new_person(page)
    asked: list[PlacementDialog] = []

    def edit(_cls: Any, parent: Any, draft: Any, people: Any, schools: Any, check: Any,
             profile_name: str = "") -> Any:
        dialog = PlacementDialog(parent, draft, people, schools, check, profile_name)
        asked.append(dialog)
        fill_application(dialog, person, host, D(2027, 6, 1), 16)
        assert not dialog.ok_button.isEnabled()  # 16 days: a justification is needed
        assert "HY-02" in dialog.findings_view.text()
        assert dialog.planned_end.property("ruleFlag") == "default"
        assert "justification" in dialog.report
        dialog.justification_edit.setPlainText("跟完一个完整的教学单元")
        assert dialog.ok_button.isEnabled()
        dialog.accept()
        return dialog.accepted_draft

    monkeypatch.setattr(PlacementDialog, "edit", classmethod(edit))
    page.add_button.click()
    assert asked
    saved = page.list.selected()
    assert saved is not None and saved.flags == "HY-02"
    assert saved.justification == "跟完一个完整的教学单元"
    history = page.ctx.services.recycle_bin.history(entity="placement", entity_id=saved.id)
    assert "跟完一个完整的教学单元" in history[0].summary


def test_bad_input_keeps_ok_disabled_with_a_message(qtbot: Any, page: PlacementsPage) -> None:
    person, host = new_person(page)
    draft = page.list.rows()[0]
    dialog = PlacementDialog(page, draft, page._people, page._schools,
                             page.ctx.services.placements.check)
    qtbot.addWidget(dialog)
    fill_application(dialog, person, host, D(2027, 6, 1), 10)
    dialog.planned_end.set_value(D(2027, 5, 20))  # before the start
    assert not dialog.ok_button.isEnabled()
    assert dialog.errors.message_label("planned_end").text()
    dialog.planned_end.set_value(D(2027, 6, 10))
    choose(dialog.home_box, host)  # the person does not teach there (and host = home)
    assert "teacher_id" in dialog.report and not dialog.ok_button.isEnabled()


def run_step(monkeypatch: pytest.MonkeyPatch, page: PlacementsPage, action: PlacementAction,
             on: dt.date, comment: str = "") -> PlacementStepDialog:
    """Press "Workflow step…" and fill the real step dialog."""
    seen: list[PlacementStepDialog] = []

    def ask(_cls: Any, parent: Any, placement: Any, actors: Any, last: Any) -> StepDraft | None:
        dialog = PlacementStepDialog(parent, placement, actors, last)
        seen.append(dialog)
        choose(dialog.action_box, action.value)
        assert dialog.actor_edit.text()  # the office of the step is filled in
        dialog.on_edit.set_value(on)
        dialog.comment_edit.setPlainText(comment)
        dialog.accept()
        return dialog.accepted_draft

    monkeypatch.setattr(PlacementStepDialog, "ask_step", classmethod(ask))
    page.step_button.click()
    return seen[0]


def test_the_whole_workflow_end_to_end(page: PlacementsPage,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    person, host = new_person(page)

    def edit(_cls: Any, parent: Any, draft: Any, people: Any, schools: Any, check: Any,
             profile_name: str = "") -> Any:
        dialog = PlacementDialog(parent, draft, people, schools, check, profile_name)
        fill_application(dialog, person, host, D(2027, 6, 7), 12)
        dialog.accept()
        return dialog.accepted_draft

    monkeypatch.setattr(PlacementDialog, "edit", classmethod(edit))
    page.add_button.click()
    placement = page.list.selected()
    assert placement is not None and placement.status is PlacementStatus.DRAFT
    chain = [(A.SUBMIT, D(2027, 5, 8), PlacementStatus.SUBMITTED),
             (A.REVIEW, D(2027, 5, 12), PlacementStatus.REVIEWED),
             (A.APPROVE, D(2027, 5, 18), PlacementStatus.APPROVED),
             (A.START, D(2027, 6, 7), PlacementStatus.ACTIVE),
             (A.END, D(2027, 6, 18), PlacementStatus.ENDED),
             (A.RETURN, D(2027, 6, 19), PlacementStatus.RETURNED)]
    for action, on, status in chain:
        dialog = run_step(monkeypatch, page, action, on)
        if action is A.SUBMIT:  # an approval before the review is not even offered
            offered = [dialog.action_box.itemData(i) for i in range(dialog.action_box.count())]
            assert A.APPROVE.value not in offered
        if action is A.APPROVE:
            assert dialog.actor_edit.text() == "人事股"  # HY-07: a teacher → personnel section
        assert page.list.selected().status is status  # type: ignore[union-attr]
    done = page.list.selected()
    assert done is not None and (done.actual_start, done.actual_end, done.returned_on) == (
        D(2027, 6, 7), D(2027, 6, 18), D(2027, 6, 19))
    assert not page.step_button.isEnabled()  # closed: returned to the home school
    assert page.steps_label.text().count("\n") == 6
    history = page.ctx.services.recycle_bin.history(entity="placement", entity_id=done.id)
    assert [h.action for h in history].count("step") == 6


def test_a_rejection_needs_its_reason(page: PlacementsPage,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    submitted = next(p for p in page.list.rows() if p.status is PlacementStatus.SUBMITTED)
    page.list.select_id(submitted.id)

    def ask(_cls: Any, parent: Any, placement: Any, actors: Any, last: Any) -> StepDraft | None:
        dialog = PlacementStepDialog(parent, placement, actors, last)
        choose(dialog.action_box, A.REJECT.value)
        dialog.on_edit.set_value(D(2027, 3, 20))
        assert not dialog.ok_button.isEnabled()  # no reason yet
        dialog.comment_edit.setPlainText("本学期名额已满")
        assert dialog.ok_button.isEnabled()
        dialog.accept()
        return dialog.accepted_draft

    monkeypatch.setattr(PlacementStepDialog, "ask_step", classmethod(ask))
    page.step_button.click()
    rejected = page.list.selected()
    assert rejected is not None and rejected.status is PlacementStatus.REJECTED
    assert "本学期名额已满" in page.steps_label.text()


def test_delete_to_the_recycle_bin_and_undo(page: PlacementsPage) -> None:
    victim = page.list.rows()[0]
    page.list.select_id(victim.id)
    page.delete_button.click()
    assert victim.id not in {p.id for p in page.list.rows()}
    page.undo.undo_action.trigger()
    assert victim.id in {p.id for p in page.list.rows()}
    page.undo.redo_action.trigger()
    assert victim.id not in {p.id for p in page.list.rows()}


def test_an_edit_can_be_undone(page: PlacementsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = next(p for p in page.list.rows() if p.status is PlacementStatus.DRAFT)
    page.list.select_id(draft.id)

    def edit(_cls: Any, parent: Any, current: Any, people: Any, schools: Any, check: Any,
             profile_name: str = "") -> Any:
        dialog = PlacementDialog(parent, current, people, schools, check, profile_name)
        dialog.mentor_edit.setText("新导师")
        dialog.accept()
        return dialog.accepted_draft

    monkeypatch.setattr(PlacementDialog, "edit", classmethod(edit))
    page.edit_button.click()
    assert page.ctx.services.placements.get(draft.id).mentor == "新导师"  # type: ignore[arg-type]
    page.undo.undo_action.trigger()
    assert page.ctx.services.placements.get(draft.id).mentor == draft.mentor  # type: ignore[arg-type]


def test_a_person_on_placement_cannot_get_a_second_one(
        qtbot: Any, page: PlacementsPage) -> None:
    """The demo's active placement has never ended: another placement of that person, even
    after its planned end, is refused in the form with a message naming the running one."""
    running = next(p for p in page.list.rows() if p.status is PlacementStatus.ACTIVE)
    draft = page.list.rows()[0]
    dialog = PlacementDialog(page, draft, page._people, page._schools,
                             page.ctx.services.placements.check)
    qtbot.addWidget(dialog)
    host = next(s for s, *_rest in page._schools
                if s not in (running.home_school_id, running.host_school_id))
    fill_application(dialog, running.teacher_id, host,  # type: ignore[arg-type]
                     running.planned_end + dt.timedelta(days=60), 5)
    assert not dialog.ok_button.isEnabled()
    assert "planned_start" in dialog.report
    assert running.host_school_name in dialog.report["planned_start"]


def test_the_start_step_is_refused_while_another_placement_runs(
        page: PlacementsPage, monkeypatch: pytest.MonkeyPatch,
        no_modal_prompts: list[tuple[str, str, str]]) -> None:
    service = page.ctx.services.placements
    person, host = new_person(page)
    template = next(p for p in page.list.rows() if p.home_school_id == page._schools[0][0])
    made = []
    for start in (D(2027, 6, 7), D(2027, 9, 6)):
        placement, _ = service.save(dataclasses.replace(
            template, id=None, teacher_id=person, kind=PlacementKind.LEARNING,
            host_school_id=host, applied_on=D(2027, 5, 1), planned_start=start,
            planned_end=start + dt.timedelta(days=9), status=PlacementStatus.DRAFT,
            actual_start=None, actual_end=None, returned_on=None, justification="",
            ethics_violation_sanctioned=False, refuses_assignment=False,
            frequent_sick_leave_cannot_full_load=False))
        for action, on, actor in [(A.SUBMIT, D(2027, 5, 2), "学校"), (A.REVIEW, D(2027, 5, 3),
                                  "基教股"), (A.APPROVE, D(2027, 5, 4), "人事股")]:
            placement, _ = service.step(placement.id, action, on, actor)
        made.append(placement)
    first, second = made
    service.step(first.id, A.START, D(2027, 6, 7), "学校")  # never ended
    page.refresh()
    page.list.select_id(second.id)
    run_step(monkeypatch, page, A.START, D(2027, 9, 6))
    assert no_modal_prompts and no_modal_prompts[-1][0] == "error"
    assert format_date(D(2027, 6, 7)) in no_modal_prompts[-1][2]
    assert service.get(second.id).status is PlacementStatus.APPROVED  # type: ignore[arg-type]


def test_the_step_date_defaults_to_today_and_warns_about_the_future(
        qtbot: Any, page: PlacementsPage) -> None:
    today = dt.date.today()
    draft = next(p for p in page.list.rows() if p.status is PlacementStatus.DRAFT)
    ahead = dataclasses.replace(draft, applied_on=today + dt.timedelta(days=120))
    dialog = PlacementStepDialog(page, ahead, {A.SUBMIT: "某校"}, None)
    qtbot.addWidget(dialog)
    choose(dialog.action_box, A.SUBMIT.value)
    assert dialog.on_edit.value() == today  # not the application date months ahead
    assert dialog.future_warning.isHidden()
    dialog.on_edit.set_value(today + dt.timedelta(days=3))
    assert not dialog.future_warning.isHidden()
    assert format_date(today + dt.timedelta(days=3)) in dialog.future_warning.text()
    assert dialog.ok_button.isEnabled()  # a warning, not an error
    dialog.on_edit.set_value(today)
    assert dialog.future_warning.isHidden()
    # never before the previous step
    later = PlacementStepDialog(page, ahead, {A.SUBMIT: "某校"}, today + dt.timedelta(days=5))
    qtbot.addWidget(later)
    assert later.on_edit.value() == today + dt.timedelta(days=5)
    assert not later.future_warning.isHidden()


def test_the_application_form_fits_a_1366_by_768_screen(qtbot: Any, page: PlacementsPage) -> None:
    from PySide6.QtCore import QRect

    from jituan_desktop.ui.dialogs.placement_dialog import fit_into

    placement = page.list.rows()[0]
    dialog = PlacementDialog(page, placement, page._people, page._schools,
                             page.ctx.services.placements.check, "怀远")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.move(900, 500)  # partly off the screen
    available = QRect(0, 0, 1366, 728)  # 1366×768 without a 40 px task bar
    fit_into(dialog, available)
    assert available.contains(dialog.frameGeometry())
    assert dialog.minimumSizeHint().height() <= available.height() - 40
    for button in (dialog.ok_button, dialog.cancel_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert dialog.rect().contains(corner)
