"""The HY-06 workflow as a state machine and the input validation of a placement."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.placements import (
    Placement,
    PlacementAction,
    PlacementContext,
    PlacementKind,
    PlacementStatus,
    StepRefused,
    apply_step,
    available_actions,
    next_status,
    start_refusal,
    validate_placement,
)
from jituan_desktop.i18n import format_date

D = dt.date
A, S = PlacementAction, PlacementStatus
DRAFT = Placement(None, 1, 7, PlacementKind.LEARNING, 10, 20, D(2025, 10, 1), D(2025, 11, 3),
                  D(2025, 11, 14), purpose="学习课堂管理")
CTX = PlacementContext(teacher_school_id=10, group_school_ids=frozenset({10, 20, 30}))


def test_the_whole_chain_in_order() -> None:
    status = S.DRAFT
    for action in (A.SUBMIT, A.REVIEW, A.APPROVE, A.START, A.END, A.RETURN):
        status = next_status(status, action)
    assert status is S.RETURNED
    assert available_actions(S.RETURNED) == []


@pytest.mark.parametrize(("status", "action"), [
    (S.SUBMITTED, A.APPROVE),  # approved before reviewed
    (S.DRAFT, A.REVIEW),
    (S.REVIEWED, A.START),  # started before approval
    (S.APPROVED, A.END),
    (S.ACTIVE, A.RETURN),
    (S.APPROVED, A.REJECT),
    (S.REJECTED, A.SUBMIT),
])
def test_steps_out_of_order_are_refused(status: PlacementStatus, action: PlacementAction) -> None:
    with pytest.raises(StepRefused):
        next_status(status, action)


def test_approval_before_review_names_the_missing_step() -> None:
    with pytest.raises(StepRefused, match="基教股"):
        next_status(S.SUBMITTED, A.APPROVE)


def test_rejection_needs_a_reason_and_an_actor() -> None:
    submitted = dataclasses.replace(DRAFT, status=S.SUBMITTED)
    with pytest.raises(StepRefused):
        apply_step(submitted, A.REJECT, D(2025, 10, 5), "基教股", "  ", None)
    with pytest.raises(StepRefused):
        apply_step(submitted, A.REVIEW, D(2025, 10, 5), " ", "", None)
    assert apply_step(submitted, A.REJECT, D(2025, 10, 5), "基教股", "名额已满", None) == {
        "status": "rejected"}


def test_steps_set_the_actual_dates_and_keep_their_order() -> None:
    approved = dataclasses.replace(DRAFT, status=S.APPROVED)
    assert apply_step(approved, A.START, D(2025, 11, 3), "学校", "", D(2025, 10, 9)) == {
        "status": "active", "actual_start": D(2025, 11, 3)}
    with pytest.raises(StepRefused):
        apply_step(approved, A.START, D(2025, 10, 8), "学校", "", D(2025, 10, 9))
    active = dataclasses.replace(DRAFT, status=S.ACTIVE, actual_start=D(2025, 11, 3))
    with pytest.raises(StepRefused):
        apply_step(active, A.END, D(2025, 11, 2), "学校", "", None)


def test_a_valid_draft() -> None:
    assert validate_placement(DRAFT, CTX).ok


@pytest.mark.parametrize(("change", "field"), [
    ({"planned_end": D(2025, 11, 1)}, "planned_end"),  # end before start
    ({"teacher_id": None}, "teacher_id"),
    ({"host_school_id": 99}, "host_school_id"),  # outside the group
    ({"host_school_id": 10}, "host_school_id"),  # the home school itself
    ({"purpose": " "}, "purpose"),
    ({"actual_start": D(2025, 11, 3)}, "actual_start"),  # a draft has not started
    ({"mentor": "x" * 51}, "mentor"),
])
def test_bad_input(change: dict[str, object], field: str) -> None:
    assert field in validate_placement(dataclasses.replace(DRAFT, **change), CTX)  # type: ignore[arg-type]


def test_person_must_teach_at_the_home_school() -> None:
    report = validate_placement(DRAFT, dataclasses.replace(CTX, teacher_school_id=30))
    assert "home school" in report["teacher_id"] or "原学校" in report["teacher_id"]


def test_overlapping_placements_of_one_person_are_refused() -> None:
    other = dataclasses.replace(DRAFT, id=5, status=S.ACTIVE, planned_start=D(2025, 11, 14),
                                planned_end=D(2025, 11, 20), actual_start=D(2025, 11, 14))
    ctx = dataclasses.replace(CTX, person_placements=(other,))
    assert "planned_start" in validate_placement(DRAFT, ctx)
    rejected = dataclasses.replace(other, status=S.REJECTED, actual_start=None)
    ctx = dataclasses.replace(CTX, person_placements=(rejected,))
    assert validate_placement(DRAFT, ctx).ok
    after = dataclasses.replace(other, planned_start=D(2025, 11, 15), actual_start=D(2025, 11, 15))
    assert validate_placement(DRAFT, dataclasses.replace(CTX, person_placements=(after,))).ok


def test_justification_required_when_a_default_rule_is_broken() -> None:
    ctx = dataclasses.replace(CTX, needs_justification=True)
    assert "justification" in validate_placement(DRAFT, ctx)
    assert validate_placement(dataclasses.replace(DRAFT, justification="新教师师徒结对"), ctx).ok


# ---- one person, one placement at a time ---------------------------------------------------------

RUNNING = dataclasses.replace(  # started 2026-03-02, planned end 2026-03-11, never ended
    DRAFT, id=1, kind=PlacementKind.CADRE_EXERCISE, applied_on=D(2026, 2, 1),
    planned_start=D(2026, 3, 2), planned_end=D(2026, 3, 11), status=S.ACTIVE,
    actual_start=D(2026, 3, 2), host_school_name="荆涂二小")
LATER = dataclasses.replace(DRAFT, id=2, applied_on=D(2026, 3, 20), planned_start=D(2026, 4, 1),
                            planned_end=D(2026, 4, 10))


def test_a_started_placement_without_an_end_runs_until_it_ends() -> None:
    assert RUNNING.running_until == RUNNING.away_until == D.max
    assert RUNNING.end == D(2026, 3, 11)  # shown as planned
    ended = dataclasses.replace(RUNNING, status=S.ENDED, actual_end=D(2026, 3, 11))
    assert ended.running_until == D(2026, 3, 11) and ended.away_until == D.max
    back = dataclasses.replace(ended, status=S.RETURNED, returned_on=D(2026, 3, 13))
    assert back.away_until == D(2026, 3, 13)


def test_saving_a_placement_while_another_runs_is_refused_naming_it() -> None:
    report = validate_placement(LATER, dataclasses.replace(CTX, person_placements=(RUNNING,)))
    assert "planned_start" in report
    assert "荆涂二小" in report["planned_start"]
    assert format_date(D(2026, 3, 2)) in report["planned_start"]  # since when it runs
    ended = dataclasses.replace(RUNNING, status=S.ENDED, actual_end=D(2026, 3, 11))
    report = validate_placement(LATER, dataclasses.replace(CTX, person_placements=(ended,)))
    assert "planned_start" in report
    back = dataclasses.replace(ended, status=S.RETURNED, returned_on=D(2026, 3, 12))
    assert validate_placement(LATER, dataclasses.replace(CTX, person_placements=(back,))).ok
    # the day of the return is still away; the day after is free
    late = dataclasses.replace(back, returned_on=D(2026, 4, 1))
    assert not validate_placement(LATER, dataclasses.replace(CTX, person_placements=(late,))).ok


def test_drafts_clash_too_rejected_ones_do_not() -> None:
    other = dataclasses.replace(LATER, id=3, status=S.DRAFT)
    assert not validate_placement(LATER, dataclasses.replace(CTX, person_placements=(other,))).ok
    other = dataclasses.replace(other, status=S.REJECTED)
    assert validate_placement(LATER, dataclasses.replace(CTX, person_placements=(other,))).ok


def test_start_is_refused_while_another_placement_is_not_back() -> None:
    approved = dataclasses.replace(LATER, status=S.APPROVED)
    message = start_refusal(approved, [RUNNING])
    assert message is not None and "荆涂二小" in message
    ended = dataclasses.replace(RUNNING, status=S.ENDED, actual_end=D(2026, 3, 11))
    assert start_refusal(approved, [ended]) is not None
    back = dataclasses.replace(ended, status=S.RETURNED, returned_on=D(2026, 3, 12))
    assert start_refusal(approved, [back, approved]) is None
