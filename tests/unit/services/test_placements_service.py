"""The placement service: saves with findings, the workflow end to end, refusals, history."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.charter import Group, Membership
from jituan_desktop.domain.enums import CadreRank, SchoolRole
from jituan_desktop.domain.placements import (
    Placement,
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import format_date
from jituan_desktop.services.dataset_check import find_problems

D = dt.date
A = PlacementAction


@pytest.fixture
def hy(services):  # type: ignore[no-untyped-def]
    """A Huaiyuan group: core school, two members, one outside school, a few people."""
    group, _ = services.groups.save_group(Group(None, "怀远测试集团", "huaiyuan", "多校协同"))
    ids = {}
    for key, name, role in (("core", "核心校", SchoolRole.CORE),
                            ("m1", "成员一校", SchoolRole.MEMBER),
                            ("m2", "成员二校", SchoolRole.MEMBER), ("out", "外校", None)):
        school, _ = services.schools.save(School(None, name))
        ids[key] = school.id
        if role is not None:
            services.groups.save_membership(Membership(None, group.id, school.id, role,
                                                       D(2025, 9, 1)))
    people = {}
    for key, school, rank in (("cadre", "core", CadreRank.MIDDLE_DEPUTY),
                              ("teacher", "m1", CadreRank.NONE),
                              ("other", "m1", CadreRank.NONE)):
        t, _ = services.teachers.save(Teacher(None, ids[school], key, cadre_rank=rank))
        people[key] = t.id
    return group.id, ids, people


def learning(hy, days: int = 12, **change: object) -> Placement:  # type: ignore[no-untyped-def]
    group_id, ids, people = hy
    start = D(2025, 11, 3)
    p = Placement(None, group_id, people["teacher"], PlacementKind.LEARNING, ids["m1"],
                  ids["core"], D(2025, 10, 8), start, start + dt.timedelta(days=days - 1),
                  purpose="学习课堂管理")
    return dataclasses.replace(p, **change)  # type: ignore[arg-type]


def run_chain(services, pid: int, upto: int = 6) -> Placement:  # type: ignore[no-untyped-def]
    steps = [(A.SUBMIT, D(2025, 10, 8), "成员一校"), (A.REVIEW, D(2025, 10, 10), "基教股"),
             (A.APPROVE, D(2025, 10, 15), "人事股"), (A.START, D(2025, 11, 3), "核心校"),
             (A.END, D(2025, 11, 14), "核心校"), (A.RETURN, D(2025, 11, 15), "成员一校")]
    placement = services.placements.get(pid)
    for action, on, actor in steps[:upto]:
        placement, _ = services.placements.step(pid, action, on, actor, "")
    return placement


def test_create_and_run_the_whole_workflow(services, hy) -> None:  # type: ignore[no-untyped-def]
    saved, changes = services.placements.save(learning(hy))
    assert saved.status is PlacementStatus.DRAFT and saved.flags == "" and changes.touches(
        "placement")
    done = run_chain(services, saved.id)
    assert done.status is PlacementStatus.RETURNED
    assert (done.actual_start, done.actual_end, done.returned_on) == (
        D(2025, 11, 3), D(2025, 11, 14), D(2025, 11, 15))
    steps = services.placements.steps(saved.id)
    assert [s.action for s in steps] == [A.SUBMIT, A.REVIEW, A.APPROVE, A.START, A.END, A.RETURN]
    history = services.recycle_bin.history(entity="placement", entity_id=saved.id)
    assert [h.action for h in history].count("step") == 6


def test_approval_before_review_is_refused_and_nothing_changes(services, hy) -> None:  # type: ignore[no-untyped-def]
    saved, _ = services.placements.save(learning(hy))
    run_chain(services, saved.id, upto=1)
    with pytest.raises(ValidationError, match="基教股"):
        services.placements.step(saved.id, A.APPROVE, D(2025, 10, 12), "人事股")
    assert services.placements.get(saved.id).status is PlacementStatus.SUBMITTED
    assert len(services.placements.steps(saved.id)) == 1


def test_rejection_records_why(services, hy) -> None:  # type: ignore[no-untyped-def]
    saved, _ = services.placements.save(learning(hy))
    run_chain(services, saved.id, upto=2)
    with pytest.raises(ValidationError):
        services.placements.step(saved.id, A.REJECT, D(2025, 10, 16), "人事股", "")
    rejected, _ = services.placements.step(saved.id, A.REJECT, D(2025, 10, 16), "人事股",
                                           "名额已满")
    assert rejected.status is PlacementStatus.REJECTED
    entry = services.recycle_bin.history(entity="placement", entity_id=saved.id)[0]
    assert "名额已满" in entry.summary
    # the date as the user writes it, not ISO
    assert format_date(D(2025, 10, 16)) in entry.summary and "2025-10-16" not in entry.summary


def test_bad_input_is_refused_with_nothing_saved(services, hy) -> None:  # type: ignore[no-untyped-def]
    _group, ids, people = hy
    for draft, field in [
            (learning(hy, planned_end=D(2025, 11, 1)), "planned_end"),
            (learning(hy, teacher_id=people["cadre"]), "teacher_id"),  # teaches at the core
            (learning(hy, host_school_id=ids["out"]), "host_school_id")]:
        with pytest.raises(ValidationError) as caught:
            services.placements.save(draft)
        assert field in caught.value.report
    assert services.placements.list(hy[0]) == []


def test_second_overlapping_placement_of_one_person_is_refused(services, hy) -> None:  # type: ignore[no-untyped-def]
    first, _ = services.placements.save(learning(hy))
    run_chain(services, first.id, upto=4)
    overlapping = learning(hy, planned_start=D(2025, 11, 10), planned_end=D(2025, 11, 20),
                           host_school_id=hy[1]["m2"])
    with pytest.raises(ValidationError) as caught:
        services.placements.save(overlapping)
    assert "planned_start" in caught.value.report


def test_default_rule_needs_a_justification_which_goes_into_the_history(services, hy) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.placements.save(learning(hy, days=15))
    assert "justification" in caught.value.report
    saved, _ = services.placements.save(learning(hy, days=15, justification="师徒结对需要"))
    assert saved.flags == "HY-02"
    entry = services.recycle_bin.history(entity="placement", entity_id=saved.id)[0]
    assert "师徒结对需要" in entry.summary
    assert any("HY-02" in text for text in entry.details["findings"])


def test_a_hard_rule_broken_is_recorded_and_flagged(services, hy) -> None:  # type: ignore[no-untyped-def]
    group_id, ids, people = hy
    cadre = Placement(None, group_id, people["cadre"], PlacementKind.CADRE_EXERCISE, ids["core"],
                      ids["m1"], D(2025, 10, 1), D(2025, 11, 3), D(2025, 11, 17), purpose="诊断",
                      refuses_assignment=True)
    saved, _ = services.placements.save(cadre)
    assert saved.flags == "HY-01 HY-05"


def test_group_without_placement_rules_records_without_flags(services, hy) -> None:  # type: ignore[no-untyped-def]
    group_id = hy[0]
    services.groups.save_group(dataclasses.replace(services.groups.get(group_id),
                                                   profile_id="alxa_2024", model_label="共建型"))
    saved, _ = services.placements.save(learning(hy, days=30))
    assert saved.flags == "" and services.placements.findings(saved) == []


def test_recycle_bin_and_restore(services, hy) -> None:  # type: ignore[no-untyped-def]
    saved, _ = services.placements.save(learning(hy))
    services.recycle_bin.delete("placement", saved.id)
    assert services.placements.list(hy[0]) == []
    services.recycle_bin.restore("placement", saved.id)
    assert [p.id for p in services.placements.list(hy[0])] == [saved.id]


def test_export_checks_steps_out_of_order(demo_services) -> None:  # type: ignore[no-untyped-def]
    doc = demo_services.dataset.export_document()
    assert doc["placements"] and doc["placement_steps"]
    assert find_problems(doc, demo_services.profiles) == []
    first = next(s for s in doc["placement_steps"] if s["action"] == "review")
    first["action"] = "approve"
    assert any("placements[" in p for p in find_problems(doc, demo_services.profiles))


def test_demo_has_every_state_and_the_rule_breaking_cases(demo_services) -> None:  # type: ignore[no-untyped-def]
    groups = demo_services.groups.list()
    assert groups[0].profile_id == "alxa_2024"  # the app still opens on the Alxa group
    alxa, hy_group = groups[0], next(g for g in groups if g.profile_id == "huaiyuan")
    assert all(p.flags == "" for p in demo_services.placements.list(alxa.id))
    placements = demo_services.placements.list(hy_group.id)
    assert {p.status for p in placements} == set(PlacementStatus)
    flags = " ".join(p.flags for p in placements)
    for rule in ("HY-02", "HY-03", "HY-04", "HY-08"):
        assert rule in flags
    assert any(p.justification and "HY-02" in p.flags for p in placements)


def test_a_started_placement_blocks_the_person_until_the_return(services, hy) -> None:  # type: ignore[no-untyped-def]
    """A started on 11-03, planned end 11-14, never ended: B (12-01–12-10) can neither be
    saved nor started; once A has ended and the person is back, B is fine."""
    group_id, ids, _people = hy
    first, _ = services.placements.save(learning(hy))
    run_chain(services, first.id, upto=4)  # active
    later = learning(hy, planned_start=D(2025, 12, 1), planned_end=D(2025, 12, 10),
                     host_school_id=ids["m2"])
    with pytest.raises(ValidationError) as caught:
        services.placements.save(later)
    assert "核心校" in caught.value.report["planned_start"]  # names the other placement
    run_chain_from = services.placements.step
    run_chain_from(first.id, A.END, D(2025, 11, 14), "核心校")
    with pytest.raises(ValidationError):  # ended, but not back yet
        services.placements.save(later)
    run_chain_from(first.id, A.RETURN, D(2025, 11, 15), "成员一校")
    second, _ = services.placements.save(later)
    assert second.status is PlacementStatus.DRAFT
    assert len(services.placements.list(group_id)) == 2


def test_start_is_refused_while_another_placement_is_running(services, hy) -> None:  # type: ignore[no-untyped-def]
    first, _ = services.placements.save(learning(hy))
    second, _ = services.placements.save(learning(
        hy, planned_start=D(2025, 12, 1), planned_end=D(2025, 12, 10),
        host_school_id=hy[1]["m2"]))
    for action, on, actor in [(A.SUBMIT, D(2025, 10, 9), "成员一校"),
                              (A.REVIEW, D(2025, 10, 10), "基教股"),
                              (A.APPROVE, D(2025, 10, 15), "人事股")]:
        services.placements.step(second.id, action, on, actor)
    run_chain(services, first.id, upto=4)  # the first one starts, and is never ended
    with pytest.raises(ValidationError) as caught:
        services.placements.step(second.id, A.START, D(2025, 12, 1), "成员二校")
    assert "核心校" in caught.value.report.text()
    assert services.placements.get(second.id).status is PlacementStatus.APPROVED


def test_hy04_flags_an_application_made_before_the_earlier_one_ends(services, hy) -> None:  # type: ignore[no-untyped-def]
    first, _ = services.placements.save(learning(hy))  # 11-03–11-14
    run_chain(services, first.id, upto=1)  # submitted
    second, _ = services.placements.save(learning(
        hy, applied_on=D(2025, 10, 9), planned_start=D(2025, 12, 1),
        planned_end=D(2025, 12, 5)))
    assert "HY-04" in second.flags
