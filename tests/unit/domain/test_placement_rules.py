"""Every HY placement rule at its boundary, with the params of the shipped Huaiyuan profile."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop import paths
from jituan_desktop.domain.enums import CadreRank
from jituan_desktop.domain.placements import Placement, PlacementKind, PlacementStatus
from jituan_desktop.domain.profiles import load_profiles
from jituan_desktop.domain.rules import Finding, evaluate
from jituan_desktop.domain.rules.placements import SCOPE, PlacementFacts, add_years
from jituan_desktop.i18n import _, format_date

D = dt.date
CADRE, LEARNING = PlacementKind.CADRE_EXERCISE, PlacementKind.LEARNING
START = D(2025, 11, 3)


@pytest.fixture(scope="module")
def profiles():  # type: ignore[no-untyped-def]
    return load_profiles(paths.profiles_dir())


def placement(days: int = 10, kind: PlacementKind = LEARNING, *, pid: int | None = None,
              teacher: int = 1, start: dt.date = START, applied: dt.date | None = None,
              rank: CadreRank = CadreRank.NONE, **extra: object) -> Placement:
    values: dict[str, object] = {"status": PlacementStatus.SUBMITTED, **extra}
    return Placement(pid, 1, teacher, kind, 10, 20, applied or start - dt.timedelta(days=20),
                     start, start + dt.timedelta(days=days - 1), person_rank=rank,
                     **values)  # type: ignore[arg-type]


def facts(p: Placement, rank: CadreRank = CadreRank.NONE, **extra: object) -> PlacementFacts:
    values: dict[str, object] = {"home_is_core": True, "host_is_member": True}
    values.update(extra)
    return PlacementFacts(p, rank, **values)  # type: ignore[arg-type]


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def broken_ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings if f.broken}


def run(profiles, f: PlacementFacts, profile: str = "huaiyuan") -> list[Finding]:  # type: ignore[no-untyped-def]
    return evaluate(profiles[profile], SCOPE, f)


# ---- HY-01 / HY-02: length, inclusive day counting ---------------------------------------------

def test_cadre_exercise_14_inclusive_days_is_allowed_15_is_a_hard_break(profiles) -> None:  # type: ignore[no-untyped-def]
    ok = run(profiles, facts(placement(14, CADRE), CadreRank.MIDDLE_DEPUTY))
    assert by_rule(ok, "HY-01") and "HY-01" not in broken_ids(ok)
    assert "14" in by_rule(ok, "HY-01")[0].message
    late = by_rule(run(profiles, facts(placement(15, CADRE), CadreRank.MIDDLE_DEPUTY)), "HY-01")
    assert [f.broken for f in late] == [True]
    assert late[0].rule.strength == "must_not" and not late[0].needs_justification
    assert late[0].fields == ("planned_end",) and "15" in late[0].message


def test_learning_14_days_ok_15_needs_a_justification(profiles) -> None:  # type: ignore[no-untyped-def]
    assert "HY-02" not in broken_ids(run(profiles, facts(placement(14))))
    found = by_rule(run(profiles, facts(placement(15))), "HY-02")
    assert found[0].broken and found[0].needs_justification


def test_actual_period_is_checked_too(profiles) -> None:  # type: ignore[no-untyped-def]
    p = placement(14, actual_start=START, actual_end=START + dt.timedelta(days=15),
                  status=PlacementStatus.ENDED)
    found = by_rule(run(profiles, facts(p)), "HY-02")
    assert [f.fields for f in found if f.broken] == [("actual_end",)]


def test_day_counting_param_switches_to_civil_code(profiles) -> None:  # type: ignore[no-untyped-def]
    profile = profiles["huaiyuan"]
    rules = tuple(dataclasses.replace(r, params={**r.params, "day_counting": "exclusive_start"})
                  if r.id == "HY-02" else r for r in profile.rules)
    civil = dataclasses.replace(profile, rules=rules)
    assert "HY-02" not in broken_ids(evaluate(civil, SCOPE, facts(placement(15))))
    assert "HY-02" in broken_ids(evaluate(civil, SCOPE, facts(placement(16))))


def test_cadre_exercise_needs_rank_and_direction(profiles) -> None:  # type: ignore[no-untyped-def]
    teacher = by_rule(run(profiles, facts(placement(5, CADRE), CadreRank.NONE)), "HY-01")
    assert any(f.broken and f.fields == ("teacher_id",) for f in teacher)
    wrong_way = by_rule(run(profiles, facts(placement(5, CADRE), CadreRank.MIDDLE,
                                            home_is_core=False)), "HY-01")
    assert any(f.broken and f.fields == ("host_school_id",) for f in wrong_way)
    assert not by_rule(run(profiles, facts(placement(5, LEARNING), CadreRank.MIDDLE)), "HY-01")


def test_alxa_profile_has_no_placement_rules(profiles) -> None:  # type: ignore[no-untyped-def]
    assert run(profiles, facts(placement(30, CADRE, ethics_violation_sanctioned=True)),
               "alxa_2024") == []


# ---- HY-03: concurrent caps ------------------------------------------------------------------

def others(n: int, rank: CadreRank, kind: PlacementKind = LEARNING) -> tuple[Placement, ...]:
    return tuple(placement(10, kind, pid=100 + i, teacher=100 + i, rank=rank,
                           start=START + dt.timedelta(days=i % 3)) for i in range(n))


def test_fifth_cadre_allowed_sixth_flagged(profiles) -> None:  # type: ignore[no-untyped-def]
    mine = placement(10, CADRE)
    five = run(profiles, facts(mine, CadreRank.MIDDLE_DEPUTY,
                               others=others(4, CadreRank.MIDDLE, CADRE)))
    assert by_rule(five, "HY-03") and "HY-03" not in broken_ids(five)
    six = by_rule(run(profiles, facts(mine, CadreRank.MIDDLE_DEPUTY,
                                      others=others(5, CadreRank.MIDDLE))), "HY-03")
    assert six[0].broken and six[0].needs_justification and "6" in six[0].message


def test_seventh_teacher_allowed_eighth_flagged(profiles) -> None:  # type: ignore[no-untyped-def]
    seven = run(profiles, facts(placement(), others=others(6, CadreRank.NONE)))
    assert "HY-03" not in broken_ids(seven)
    eight = run(profiles, facts(placement(), others=others(7, CadreRank.NONE)))
    assert "HY-03" in broken_ids(eight)


def test_caps_count_people_at_the_same_date_only(profiles) -> None:  # type: ignore[no-untyped-def]
    before = tuple(placement(5, pid=200 + i, teacher=200 + i, start=START - dt.timedelta(days=30))
                   for i in range(10))
    assert "HY-03" not in broken_ids(run(profiles, facts(placement(), others=before)))


def test_teachers_and_cadres_have_separate_caps(profiles) -> None:  # type: ignore[no-untyped-def]
    found = run(profiles, facts(placement(), others=others(6, CadreRank.MIDDLE)))
    assert "HY-03" not in broken_ids(found)


# ---- HY-04: cooling-off ------------------------------------------------------------------------

def test_two_years_after_the_end_is_still_inside_the_day_after_is_allowed(profiles) -> None:  # type: ignore[no-untyped-def]
    earlier = placement(10, CADRE, pid=5, start=D(2023, 11, 1))  # ends 2023-11-10
    same_day = placement(5, applied=D(2025, 11, 10), start=D(2025, 12, 1))
    assert "HY-04" in broken_ids(run(profiles, facts(same_day, earlier=(earlier,))))
    next_day = placement(5, applied=D(2025, 11, 11), start=D(2025, 12, 1))
    assert "HY-04" not in broken_ids(run(profiles, facts(next_day, earlier=(earlier,))))


def test_cooling_off_uses_the_actual_end_and_crosses_kinds(profiles) -> None:  # type: ignore[no-untyped-def]
    earlier = placement(10, CADRE, pid=5, start=D(2023, 11, 1), actual_start=D(2023, 11, 1),
                        actual_end=D(2023, 11, 20), status=PlacementStatus.RETURNED)
    new = placement(5, LEARNING, applied=D(2025, 11, 15), start=D(2025, 12, 1))
    found = by_rule(run(profiles, facts(new, earlier=(earlier,))), "HY-04")
    assert found[0].broken and found[0].rule.strength == "must_not"


def test_add_years_leap_day() -> None:
    assert add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)


# ---- HY-05: veto attestations -------------------------------------------------------------------

@pytest.mark.parametrize("condition", ["ethics_violation_sanctioned", "refuses_assignment",
                                       "frequent_sick_leave_cannot_full_load"])
def test_each_veto_condition_breaks_hy05(profiles, condition: str) -> None:  # type: ignore[no-untyped-def]
    assert "HY-05" not in broken_ids(run(profiles, facts(placement())))
    found = by_rule(run(profiles, facts(placement(**{condition: True}))), "HY-05")
    assert found[0].broken and found[0].fields == ("veto",)


# ---- HY-08: return within the grace days -------------------------------------------------------

@pytest.mark.parametrize(("late", "broken"), [(3, False), (4, True)])
def test_return_late_by_3_ok_by_4_flagged(profiles, late: int, broken: bool) -> None:  # type: ignore[no-untyped-def]
    end = START + dt.timedelta(days=9)
    p = placement(10, actual_start=START, actual_end=end, returned_on=end + dt.timedelta(days=late),
                  status=PlacementStatus.RETURNED)
    found = by_rule(run(profiles, facts(p)), "HY-08")
    assert found[0].broken is broken


def test_not_yet_returned_is_flagged_after_the_grace_days(profiles) -> None:  # type: ignore[no-untyped-def]
    end = START + dt.timedelta(days=9)
    p = placement(10, actual_start=START, actual_end=end, status=PlacementStatus.ENDED)
    assert "HY-08" not in broken_ids(run(profiles, facts(p, today=end + dt.timedelta(days=3))))
    assert "HY-08" in broken_ids(run(profiles, facts(p, today=end + dt.timedelta(days=4))))


def test_explanation_cites_rule_quote_and_source(profiles) -> None:  # type: ignore[no-untyped-def]
    finding = by_rule(run(profiles, facts(placement(15))), "HY-02")[0]
    text = finding.explanation()
    assert text.startswith("HY-02") and "原则上" in text
    assert "「原则上，跟岗学习期限不超过两周」" in text


# ---- HY-04: an application before the earlier placement ends -----------------------------------

def test_applying_before_the_earlier_placement_ends_is_inside_the_window(profiles) -> None:  # type: ignore[no-untyped-def]
    """C1 03-01–03-10 submitted; C2 applied 02-02 for 03-20: not "no earlier placement"."""
    c1 = placement(10, LEARNING, pid=5, start=D(2026, 3, 1), applied=D(2026, 2, 1))
    c2 = placement(5, LEARNING, pid=6, start=D(2026, 3, 20), applied=D(2026, 2, 2))
    found = by_rule(run(profiles, facts(c2, earlier=(c1,))), "HY-04")
    assert len(found) == 1 and found[0].broken
    assert found[0].message != _("no earlier placement of this person")
    assert format_date(D(2026, 3, 10)) in found[0].message


def test_hy04_counts_an_unended_earlier_placement_by_its_planned_end(profiles) -> None:  # type: ignore[no-untyped-def]
    running = placement(10, CADRE, pid=5, start=D(2026, 3, 2), actual_start=D(2026, 3, 2),
                        status=PlacementStatus.ACTIVE)  # planned end 2026-03-11, never ended
    inside = placement(5, applied=D(2028, 3, 11), start=D(2028, 4, 1))
    outside = placement(5, applied=D(2028, 3, 12), start=D(2028, 4, 1))
    assert "HY-04" in broken_ids(run(profiles, facts(inside, earlier=(running,))))
    assert "HY-04" not in broken_ids(run(profiles, facts(outside, earlier=(running,))))


def test_hy04_uses_the_later_of_several_earlier_placements(profiles) -> None:  # type: ignore[no-untyped-def]
    old = placement(10, pid=4, start=D(2023, 1, 2), actual_start=D(2023, 1, 2),
                    actual_end=D(2023, 1, 11), returned_on=D(2023, 1, 11),
                    status=PlacementStatus.RETURNED)
    recent = placement(10, CADRE, pid=5, start=D(2024, 3, 1))  # submitted, ends 2024-03-10
    new = placement(5, applied=D(2026, 3, 10), start=D(2026, 4, 1))
    found = by_rule(run(profiles, facts(new, earlier=(old, recent))), "HY-04")
    assert found[0].broken and format_date(D(2024, 3, 10)) in found[0].message
    later = placement(5, applied=D(2026, 3, 11), start=D(2026, 4, 1))
    assert "HY-04" not in broken_ids(run(profiles, facts(later, earlier=(old, recent))))


def test_hy04_ignores_drafts_rejected_and_later_placements(profiles) -> None:  # type: ignore[no-untyped-def]
    new = placement(5, applied=D(2026, 2, 2), start=D(2026, 3, 20))
    others_ = (placement(10, pid=5, start=D(2026, 3, 1), status=PlacementStatus.DRAFT),
               placement(10, pid=6, start=D(2026, 3, 1), status=PlacementStatus.REJECTED),
               placement(10, pid=7, start=D(2026, 5, 1)))  # starts after the new one
    found = by_rule(run(profiles, facts(new, earlier=others_)), "HY-04")
    assert not found[0].broken
    assert found[0].message == _("no earlier placement of this person")
