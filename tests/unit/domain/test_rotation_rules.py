"""The rotation rules at their boundaries, with the parameters of the shipped profiles."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest

from jituan_desktop import paths
from jituan_desktop.domain.dates import add_years, days_between, period_over
from jituan_desktop.domain.profiles import PolicyProfile, load_profiles
from jituan_desktop.domain.rules import evaluate, rules_in_scope
from jituan_desktop.domain.rules.rotations import (
    RotatedTeacher,
    TermFacts,
    YearFacts,
    required_count,
    term_deadline,
)

WEAK = frozenset({"is_weak"})
RURAL = frozenset({"is_rural"})
URBAN = frozenset()


@pytest.fixture(scope="module")
def profiles() -> dict[str, PolicyProfile]:
    return load_profiles(paths.profiles_dir())


@pytest.fixture
def alxa(profiles: dict[str, PolicyProfile]) -> PolicyProfile:
    return profiles["alxa_2024"]


@pytest.fixture
def suzhou(profiles: dict[str, PolicyProfile]) -> PolicyProfile:
    return profiles["suzhou_2024"]


def rotated(n: int, backbone: int = 0, to: frozenset[str] = WEAK, *, team: str = "",
            to_name: str = "五小") -> tuple[RotatedTeacher, ...]:
    return tuple(RotatedTeacher(f"教师{i}", i < backbone, 2, to_name, to, bool(team), team)
                 for i in range(n))


def year(rotations: tuple[RotatedTeacher, ...] = (), *, eligible: int = 10,
         school_id: int | None = 1, quality: bool = True, stage: str = "same_stage",
         teachers: int = 40, entered: bool = True) -> YearFacts:
    return YearFacts(2025, school_id, "一实小" if school_id else "全集团", quality, stage,
                     eligible, entered, teachers, 0, rotations)


def by_rule(findings: list, rule_id: str) -> list:
    return [f for f in findings if f.rule_id == rule_id]


# ---- rounding ----------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "needed"), [(0, 0), (5, 1), (10, 2), (11, 3), (15, 3),
                                              (16, 4)])
def test_twenty_percent_is_rounded_up_to_whole_teachers(base: int, needed: int) -> None:
    assert required_count(Fraction("0.20"), base, "ceil") == needed


def test_thirty_percent_of_ten_is_three_not_four() -> None:
    # 0.3 * 10 in floats is 3.0000000000000004, whose ceiling would be 4
    assert required_count(Fraction("0.30"), 10) == 3
    assert required_count(Fraction("0.20"), 11, "floor") == 2
    assert required_count(Fraction("0.25"), 10, "round") == 3


# ---- ALX-11 --------------------------------------------------------------------------------

def test_alx11_ten_eligible_need_two(alxa: PolicyProfile) -> None:
    met = by_rule(evaluate(alxa, "rotation_year", year(rotated(2, 1), eligible=10)), "ALX-11")
    broken = by_rule(evaluate(alxa, "rotation_year", year(rotated(1, 1), eligible=10)), "ALX-11")
    assert [f.broken for f in met] == [False]
    assert [f.broken for f in broken] == [True]
    assert "2" in broken[0].message and "10" in broken[0].message


def test_alx11_eleven_eligible_need_three(alxa: PolicyProfile) -> None:
    two = by_rule(evaluate(alxa, "rotation_year", year(rotated(2, 1), eligible=11)), "ALX-11")
    three = by_rule(evaluate(alxa, "rotation_year", year(rotated(3, 1), eligible=11)), "ALX-11")
    assert two[0].broken and not three[0].broken


def test_alx11_counts_only_rotations_to_weak_or_rural_schools(alxa: PolicyProfile) -> None:
    to_urban = rotated(2, 1, URBAN)
    to_rural = rotated(2, 1, RURAL)
    assert by_rule(evaluate(alxa, "rotation_year", year(to_urban)), "ALX-11")[0].broken
    assert not by_rule(evaluate(alxa, "rotation_year", year(to_rural)), "ALX-11")[0].broken


def test_alx11_applies_to_quality_schools_only(alxa: PolicyProfile) -> None:
    assert by_rule(evaluate(alxa, "rotation_year", year(quality=False)), "ALX-11") == []
    assert by_rule(evaluate(alxa, "rotation_year", year(school_id=None)), "ALX-11") == []


def test_alx11_denominator_is_a_profile_setting(alxa: PolicyProfile) -> None:
    rule = alxa.rule_by_id("ALX-11")
    assert rule is not None and rule.params["denominator"] == "eligible"
    all_teachers = dataclasses.replace(rule, params={**rule.params,
                                                     "denominator": "all_teachers"})
    profile = dataclasses.replace(alxa, rules=(all_teachers,))
    facts = year(rotated(2, 1), eligible=10, teachers=40)  # 20 % of 40 = 8
    finding = evaluate(profile, "rotation_year", facts)[0]
    assert finding.broken and "8" in finding.message


def test_the_explanation_names_rule_strength_quote_and_source(alxa: PolicyProfile) -> None:
    finding = by_rule(evaluate(alxa, "rotation_year", year(rotated(1))), "ALX-11")[0]
    text = finding.explanation()
    assert text.startswith("ALX-11")
    assert "「集团内优质校每年流入相对薄弱校和乡村校" in text
    assert "推动师资流动" in text
    assert "10" in text  # the denominator the profile's setting chose


# ---- ALX-12 --------------------------------------------------------------------------------

def test_alx12_thirty_percent_backbone_boundary(alxa: PolicyProfile) -> None:
    three_of_ten = evaluate(alxa, "rotation_year", year(rotated(10, 3), eligible=50))
    two_of_ten = evaluate(alxa, "rotation_year", year(rotated(10, 2), eligible=50))
    assert not by_rule(three_of_ten, "ALX-12")[0].broken
    assert by_rule(two_of_ten, "ALX-12")[0].broken


def test_alx12_one_backbone_of_four_is_not_enough(alxa: PolicyProfile) -> None:
    # 30 % of 4 = 1.2 → 2 backbone teachers
    assert by_rule(evaluate(alxa, "rotation_year", year(rotated(4, 1))), "ALX-12")[0].broken
    assert not by_rule(evaluate(alxa, "rotation_year", year(rotated(4, 2))), "ALX-12")[0].broken


def test_alx12_says_nothing_without_rotations(alxa: PolicyProfile) -> None:
    assert by_rule(evaluate(alxa, "rotation_year", year(())), "ALX-12") == []


# ---- ALX-13 --------------------------------------------------------------------------------

def term(start: dt.date, end: dt.date, to: frozenset[str] = WEAK,
         quality: bool = True) -> TermFacts:
    return TermFacts(start, end, quality, to)


def test_alx13_exactly_three_years_passes(alxa: PolicyProfile) -> None:
    found = evaluate(alxa, "rotation", term(dt.date(2024, 9, 1), dt.date(2027, 8, 31)))
    assert [f.broken for f in found] == [False]
    assert found[0].fields == ("planned_end",)


def test_alx13_three_years_minus_a_day_fails(alxa: PolicyProfile) -> None:
    found = evaluate(alxa, "rotation", term(dt.date(2024, 9, 1), dt.date(2027, 8, 30)))
    assert [f.broken for f in found] == [True]
    assert "1" in found[0].message


def test_alx13_does_not_apply_to_uncounted_rotations(alxa: PolicyProfile) -> None:
    short = (dt.date(2024, 9, 1), dt.date(2025, 7, 15))
    assert evaluate(alxa, "rotation", term(*short, to=URBAN)) == []
    assert evaluate(alxa, "rotation", term(*short, quality=False)) == []


def test_term_counting_follows_the_profile() -> None:
    start = dt.date(2024, 9, 1)
    assert term_deadline(start, {"value": 3}) == dt.date(2027, 8, 31)
    assert term_deadline(start, {"value": 3, "counting": "civil_code"}) == dt.date(2027, 9, 1)
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)


# ---- ALX-15 --------------------------------------------------------------------------------

def test_alx15_a_team_of_two_breaks_a_team_of_three_meets(alxa: PolicyProfile) -> None:
    two = evaluate(alxa, "rotation_year", year(rotated(2, 1, team="数学组团"), school_id=None))
    three = evaluate(alxa, "rotation_year", year(rotated(3, 1, team="数学组团"),
                                                 school_id=None))
    assert [f.broken for f in by_rule(two, "ALX-15")] == [True]
    assert [f.broken for f in by_rule(three, "ALX-15")] == [False]
    assert "数学组团" in by_rule(two, "ALX-15")[0].message


def test_alx15_team_must_go_to_one_weak_school(alxa: PolicyProfile) -> None:
    split = (*rotated(2, 1, team="组团A"), *rotated(1, 0, RURAL, team="组团A", to_name="乡小"))
    found = by_rule(evaluate(alxa, "rotation_year", year(split, school_id=None)), "ALX-15")
    assert found[0].broken and "乡小" in found[0].message


def test_rules_of_a_profile_without_them_are_silent(profiles: dict[str, PolicyProfile]) -> None:
    yuyao = next(p for key, p in profiles.items() if key.startswith("yuyao"))
    assert rules_in_scope(yuyao, "rotation_year") == []


# ---- SZ-01 ---------------------------------------------------------------------------------

def test_sz01_on_a_same_stage_suzhou_group(suzhou: PolicyProfile) -> None:
    group = dict(school_id=None, quality=False, eligible=11)
    short = evaluate(suzhou, "rotation_year", year(rotated(2, 1, URBAN), **group))
    enough = evaluate(suzhou, "rotation_year", year(rotated(3, 1, URBAN), **group))
    assert [f.rule_id for f in short] == ["SZ-01", "SZ-01"]
    assert [f.broken for f in short] == [True, False]  # 2 < ceil(2.2); 1 of 2 backbone ≥ 20 %
    assert [f.broken for f in enough] == [False, False]


def test_sz01_backbone_twenty_percent_of_rotated(suzhou: PolicyProfile) -> None:
    group = dict(school_id=None, quality=False, eligible=20)
    none_of_five = evaluate(suzhou, "rotation_year", year(rotated(5, 0, URBAN), **group))
    one_of_five = evaluate(suzhou, "rotation_year", year(rotated(5, 1, URBAN), **group))
    assert [f.broken for f in none_of_five] == [False, True]
    assert [f.broken for f in one_of_five] == [False, False]


def test_sz01_only_for_same_stage_groups_and_whole_groups(suzhou: PolicyProfile) -> None:
    cross = evaluate(suzhou, "rotation_year", year(rotated(0), school_id=None,
                                                   stage="cross_stage"))
    assert [f.broken for f in cross] == [False]
    assert evaluate(suzhou, "rotation_year", year(rotated(0))) == []  # a school's row
    assert suzhou.rule_by_id("SZ-01") is not None
    assert rules_in_scope(suzhou, "rotation") == []


def test_backbone_wording_follows_the_profiles_rounding(alxa: PolicyProfile) -> None:
    """ALX-12 says "rounded up" only when the profile rounds up (ceil)."""
    from jituan_desktop.i18n import _

    facts = year(rotated(4, 1))
    [ceil] = by_rule(evaluate(alxa, "rotation_year", facts), "ALX-12")
    rule = next(r for r in alxa.rules if r.id == "ALX-12")
    for rounding, needed in (("floor", 1), ("round", 1)):
        changed = dataclasses.replace(rule, params={**rule.params, "rounding": rounding})
        profile = dataclasses.replace(alxa, rules=tuple(
            changed if r.id == "ALX-12" else r for r in alxa.rules))
        [found] = by_rule(evaluate(profile, "rotation_year", facts), "ALX-12")
        # 30 % of 4 = 1.2: floor and round need 1 backbone teacher, ceil needs 2
        assert found.message == _(
            "Backbone teachers among them: {n}; needed: {needed} ({rate} of {base} "
            "{source}).").format(n=1, needed=needed, rate="30%", base=4,
                                 source=_("rotated teachers"))
        assert not found.broken
    assert ceil.message == _(
        "Backbone teachers among them: {n}; needed: {needed} ({rate} of {base} "
        "{source}, rounded up).").format(n=1, needed=2, rate="30%", base=4,
                                         source=_("rotated teachers"))


def test_shared_date_helpers() -> None:
    """domain/dates.py: the helpers the rotation rules (and later placements) share."""
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 9, 1), 3) == dt.date(2027, 9, 1)
    assert days_between(dt.date(2025, 9, 1), dt.date(2025, 9, 1)) == 1
    assert days_between(dt.date(2025, 9, 1), dt.date(2025, 9, 1), "nights") == 0
    end = dt.date(2026, 1, 31)
    assert not period_over(end, end) and period_over(end, end + dt.timedelta(days=1))
    assert period_over(end, None) and period_over(None, end)


def test_why_a_share_rule_does_not_count_a_row() -> None:
    """The overview's "—" tooltip: which rule, and why it passes the row by."""
    from jituan_desktop.domain.profiles import RuleSpec
    from jituan_desktop.domain.rules.rotations import why_not_applied
    from jituan_desktop.i18n import _

    def rule(scope: str) -> RuleSpec:
        return RuleSpec("ALX-11", "rotation.min_share_of_eligible", "must", "", "",
                        {"value": 0.2, "scope": scope})

    quality_only = rule("sending_quality_school")
    assert why_not_applied(year(quality=False), [quality_only]) == _(
        "{rule} counts quality sending schools only, and this school is not marked as a "
        "quality school.").format(rule="ALX-11")
    assert "ALX-11" in why_not_applied(year(school_id=None), [quality_only])
    assert why_not_applied(year(school_id=None), [quality_only]) != why_not_applied(
        year(quality=False), [quality_only])
    assert "ALX-11" in why_not_applied(year(), [rule("group")])
    assert why_not_applied(year(), []) == _(
        "The group's policy profile sets no share of teachers to rotate.")
