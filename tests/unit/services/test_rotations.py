"""Rotations through the service: bad input refused whole, history, recycle bin, summaries,
the JSON round trip and the demo group's rule breaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from jituan_desktop.bootstrap import Services, current_group_id
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.rotations import EligibleCount, Rotation, RotationForm
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.services.dataset import DatasetError
from jituan_desktop.settings import Settings

START = dt.date(2025, 9, 1)
END = dt.date(2028, 8, 31)


@pytest.fixture
def world(services: Services, add_school: Callable[..., Any], add_group: Callable[..., Any],
          join: Callable[..., Any]) -> dict[str, Any]:
    core = add_school("核心小学", is_quality=True)
    weak = add_school("薄弱小学", is_weak=True)
    outside = add_school("集团外小学")
    group = add_group("测试集团")
    join(group, core, SchoolRole.CORE, dt.date(2025, 1, 1))
    join(group, weak, SchoolRole.MEMBER, dt.date(2025, 1, 1))
    teachers = []
    for i in range(3):
        teacher, _changes = services.teachers.save(Teacher(
            None, core.id, f"教师{i}", staff_no=f"T{i}", rotation_eligible=True,
            is_backbone=i == 0))
        teachers.append(teacher)
    return {"core": core, "weak": weak, "outside": outside, "group": group,
            "teachers": teachers}


def draft(world: dict[str, Any], **changes: Any) -> Rotation:
    base = Rotation(None, world["group"].id, world["teachers"][0].id, world["core"].id,
                    world["weak"].id, RotationForm.RESIDENT, START, END, is_backbone=True)
    return dataclasses.replace(base, **changes)


def test_save_lists_with_names_and_writes_history(services: Services,
                                                  world: dict[str, Any]) -> None:
    saved, changes = services.rotations.save(draft(world))
    assert changes.touches("rotation")
    listed = services.rotations.list(world["group"].id)
    assert [(r.teacher_name, r.from_name, r.to_name) for r in listed] == [
        ("教师0", "核心小学", "薄弱小学")]
    history = services.recycle_bin.history(entity="rotation", entity_id=saved.id)
    assert history[0].action == "create" and "教师0" in history[0].summary


@pytest.mark.parametrize(("changes", "field"), [
    ({"planned_end": dt.date(2025, 8, 1)}, "planned_end"),
    ({"to_school_id": "core"}, "to_school_id"),
    ({"to_school_id": "outside"}, "to_school_id"),
    ({"from_school_id": "weak", "to_school_id": "core"}, "from_school_id"),
    ({"start_on": dt.date(2024, 9, 1), "planned_end": dt.date(2027, 8, 31)}, "from_school_id"),
    ({"form": RotationForm.TEAM}, "team_name"),
])
def test_bad_input_is_refused_and_nothing_saved(services: Services, world: dict[str, Any],
                                                changes: dict[str, Any], field: str,
                                                counts: Callable[..., dict[str, int]]) -> None:
    changes = {k: world[v].id if v in ("core", "weak", "outside") else v
               for k, v in changes.items()}
    before = counts(services)
    with pytest.raises(ValidationError) as raised:
        services.rotations.save(draft(world, **changes))
    assert field in raised.value.report
    assert counts(services) == before


def test_overlapping_rotations_of_one_teacher_are_refused(services: Services,
                                                          world: dict[str, Any]) -> None:
    services.rotations.save(draft(world))
    later = draft(world, start_on=dt.date(2028, 8, 31), planned_end=dt.date(2031, 8, 31))
    with pytest.raises(ValidationError) as raised:
        services.rotations.save(later)
    # the tests run in Chinese (tests/conftest.py)
    assert raised.value.report["start_on"] == (
        "该教师已有2025年9月1日至2028年8月31日到薄弱小学的交流记录；同一教师的交流期间不得重叠。")
    after = draft(world, start_on=dt.date(2028, 9, 1), planned_end=dt.date(2031, 8, 31))
    services.rotations.save(after)  # the day after the first ends is fine


def test_an_old_rotation_stays_editable_after_the_teacher_moved(
        services: Services, world: dict[str, Any]) -> None:
    saved, _changes = services.rotations.save(draft(world))
    teacher = services.teachers.get(world["teachers"][0].id)
    services.teachers.save(dataclasses.replace(teacher, school_id=world["weak"].id))
    services.rotations.save(dataclasses.replace(saved, notes="期满考核优秀"))
    with pytest.raises(ValidationError):  # but a new one must start at the home school
        services.rotations.save(draft(world, start_on=dt.date(2029, 9, 1),
                                      planned_end=dt.date(2032, 8, 31)))


def test_delete_and_restore_refused_when_overlapping_meanwhile(
        services: Services, world: dict[str, Any]) -> None:
    saved, _changes = services.rotations.save(draft(world))
    services.recycle_bin.delete("rotation", saved.id)
    assert services.rotations.list(world["group"].id) == []
    services.rotations.save(draft(world, start_on=dt.date(2026, 9, 1),
                                  planned_end=dt.date(2029, 8, 31)))
    with pytest.raises(ValidationError):
        services.recycle_bin.restore("rotation", saved.id)


def test_summary_uses_entered_eligible_count_else_teacher_list(
        services: Services, world: dict[str, Any]) -> None:
    services.rotations.save(draft(world))
    group_id = world["group"].id
    row = next(s for s in services.rotations.year_summaries(group_id, dt.date(2025, 10, 1))
               if s.facts.school_id == world["core"].id)
    assert (row.counted, row.base, row.required) == (1, 3, 1)  # 3 teachers marked eligible
    services.rotations.save_eligible(EligibleCount(None, group_id, world["core"].id, 2025, 11))
    row = next(s for s in services.rotations.year_summaries(group_id, dt.date(2025, 10, 1))
               if s.facts.school_id == world["core"].id)
    assert (row.counted, row.base, row.required) == (1, 11, 3)
    assert [f.rule_id for f in row.broken] == ["ALX-11"]
    services.rotations.save_eligible(EligibleCount(None, group_id, world["core"].id, 2025,
                                                   None))
    row = next(s for s in services.rotations.year_summaries(group_id, dt.date(2025, 10, 1))
               if s.facts.school_id == world["core"].id)
    assert row.base == 3
    assert len(services.recycle_bin.history(entity="rotation_eligible")) == 2


def test_term_findings_for_the_form(services: Services, world: dict[str, Any]) -> None:
    profile = services.profiles["alxa_2024"]
    short = draft(world, planned_end=dt.date(2028, 8, 30))
    assert [f.broken for f in services.rotations.term_findings(short, profile)] == [True]
    assert [f.broken for f in services.rotations.term_findings(draft(world), profile)] == [False]


def test_demo_group_breaks_the_rules_it_should(demo_services: Services) -> None:
    group_id = current_group_id(demo_services, Settings())
    assert group_id is not None
    summaries = demo_services.rotations.year_summaries(group_id, dt.date(2026, 11, 1))
    broken = {(s.facts.school_year, s.facts.school_id is None, f.rule_id)
              for s in summaries for f in s.broken}
    assert broken == {(2026, False, "ALX-11"), (2026, True, "ALX-15")}
    rotations = demo_services.rotations.list(group_id)
    profile = demo_services.profiles["alxa_2024"]
    short_terms = [r for r in rotations if any(
        f.broken for f in demo_services.rotations.term_findings(r, profile))]
    assert [(r.start_on, r.planned_end) for r in short_terms] == [
        (dt.date(2026, 9, 1), dt.date(2029, 8, 30))]
    assert {s.facts.school_year for s in summaries} >= {2025, 2026}


def test_json_round_trip_keeps_rotations(demo_services: Services, tmp_path: Any) -> None:
    path = tmp_path / "export.json"
    demo_services.dataset.export_json(path)
    doc = demo_services.dataset.read_document(path)
    assert len(doc["rotations"]) == 11 and len(doc["rotation_eligible_counts"]) == 2
    summary, changes = demo_services.dataset.import_json(path)
    assert summary.counts["rotations"] == 11 and changes.touches("rotation")


def test_json_import_refuses_overlapping_rotations(demo_services: Services) -> None:
    doc = demo_services.dataset.export_document()
    first = doc["rotations"][0]
    doc["rotations"].append(dict(first, id=9999))
    doc["rotation_eligible_counts"].append(dict(doc["rotation_eligible_counts"][0], id=9999))
    with pytest.raises(DatasetError) as raised:
        demo_services.dataset.check_document(doc)
    text = "\n".join(raised.value.problems)
    assert "rotations[12]" in text and "rotation_eligible_counts[3]" in text


def test_a_list_of_20000_rotations_loads_with_its_checks_within_bounds(
        services: Services, world: dict[str, Any]) -> None:
    import time

    from sqlalchemy import insert

    from jituan_desktop.persistence.models import TeacherRow
    from jituan_desktop.persistence.rotation_models import RotationRow

    n = 20_000
    core, weak = world["core"].id, world["weak"].id
    with services.db.unit_of_work() as s:
        conn = s.connection()
        conn.execute(insert(TeacherRow), [
            {"id": 1000 + i, "school_id": core, "name": f"教师{i:05d}", "title": "first",
             "cadre_rank": "none"} for i in range(n)])
        conn.execute(insert(RotationRow), [
            {"group_id": world["group"].id, "teacher_id": 1000 + i, "from_school_id": core,
             "to_school_id": weak, "form": "resident",
             "start_on": dt.date(2025 + i % 3, 9, 1), "planned_end": dt.date(2028 + i % 3, 8, 31),
             "is_backbone": i % 4 == 0, "team_name": "", "appraisal": "", "notes": ""}
            for i in range(n)])
    group_id = world["group"].id
    started = time.perf_counter()
    rotations = services.rotations.list(group_id)
    terms = services.rotations.term_findings_by_id(group_id, rotations)
    summaries = services.rotations.year_summaries(group_id, dt.date(2026, 11, 27))
    took = time.perf_counter() - started
    assert len(rotations) == n and len(terms) == n
    assert {s.facts.school_year for s in summaries} >= {2025, 2026, 2027}
    assert took < 30, f"listing and checking {n} rotations took {took:.1f} s"


def test_summaries_of_the_loaded_list_are_those_of_a_fresh_list(
        demo_services: Services) -> None:
    """The page passes the rotations it has just loaded; the summaries are the same."""
    group_id = current_group_id(demo_services, Settings())
    assert group_id is not None
    day = dt.date(2026, 11, 1)
    loaded = demo_services.rotations.list(group_id)
    assert demo_services.rotations.year_summaries(group_id, day, loaded) == \
        demo_services.rotations.year_summaries(group_id, day)
    # and the list's term findings are the edit form's, rotation by rotation
    profile = demo_services.profiles["alxa_2024"]
    terms = demo_services.rotations.term_findings_by_id(group_id, loaded)
    assert all(terms[r.id or 0] == demo_services.rotations.term_findings(r, profile)
               for r in loaded)


def test_a_row_no_share_rule_counts_says_why(services: Services,
                                             world: dict[str, Any]) -> None:
    """ALX-11 counts quality sending schools: a member school sending a teacher gets no head
    count, and the reason for the overview's tooltip."""
    from jituan_desktop.domain.rules.rotations import why_not_applied

    services.rotations.save(draft(world))
    group_id = world["group"].id
    weak_teacher, _changes = services.teachers.save(Teacher(
        None, world["weak"].id, "薄弱校教师", rotation_eligible=True))
    services.rotations.save(draft(world, teacher_id=weak_teacher.id,
                                  from_school_id=world["weak"].id,
                                  to_school_id=world["core"].id, is_backbone=False))
    summaries = {s.facts.school_id: s for s in services.rotations.year_summaries(
        group_id, dt.date(2025, 10, 1)) if s.facts.school_year == 2025}
    assert summaries[world["core"].id].required == 1
    assert summaries[world["core"].id].not_applied == ""
    member = summaries[world["weak"].id]
    assert member.required is None and "ALX-11" in member.not_applied
    assert member.not_applied == why_not_applied(member.facts, [
        r for r in services.profiles["alxa_2024"].rules if r.id == "ALX-11"])
    assert "ALX-11" in summaries[None].not_applied


def test_an_unknown_form_in_a_row_is_still_refused() -> None:
    from jituan_desktop.domain.rotations import Appraisal
    from jituan_desktop.services.rotations import to_rotation

    row = {"id": 1, "group_id": 1, "teacher_id": 1, "from_school_id": 1, "to_school_id": 2}
    rotation = to_rotation(row | {"form": "team", "appraisal": None})
    assert rotation.form is RotationForm.TEAM and rotation.appraisal is Appraisal.NONE
    assert to_rotation(row).form is RotationForm.RESIDENT
    with pytest.raises(ValueError):
        to_rotation(row | {"form": "abroad"})
    with pytest.raises(ValueError):
        to_rotation(row | {"appraisal": "superb"})
