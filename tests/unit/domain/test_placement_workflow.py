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
    validate_placement,
)

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
