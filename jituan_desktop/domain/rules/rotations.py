"""Checks of the rotation rules (registered with rules.rule_check).

Two scopes:

- ``"rotation"``: one rotation being edited (``TermFacts``): the minimum term (ALX-13).
- ``"rotation_year"``: one school year, either of one sending school or of the whole group
  (``YearFacts`` with ``school_id`` None): the share of eligible teachers rotated (ALX-11,
  SZ-01), the backbone share among them (ALX-12, SZ-01) and team inflows (ALX-15).

Every threshold, the rounding, the denominator and the day counting come from the rule's
``params`` in the profile (docs/rotations.md lists them); nothing here is a policy constant.
Shares are computed with exact fractions: ``0.3 × 10`` is 3, not 3.0000000000000004.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jituan_desktop.domain.dates import add_years
from jituan_desktop.domain.profiles import RuleSpec
from jituan_desktop.domain.rules import Finding, rule_check
from jituan_desktop.i18n import _, format_date, format_percent, ngettext

TERM_SCOPE = "rotation"
YEAR_SCOPE = "rotation_year"


@dataclass(frozen=True)
class TermFacts:
    """One rotation as the term rule sees it."""

    start_on: dt.date | None
    planned_end: dt.date | None
    from_is_quality: bool
    to_flags: frozenset[str]  # school flags of the receiving school: "is_weak", "is_rural", …


@dataclass(frozen=True)
class RotatedTeacher:
    """One rotation of a school year as the year rules see it."""

    teacher_name: str
    is_backbone: bool
    to_school_id: int
    to_name: str
    to_flags: frozenset[str]
    is_team: bool = False
    team_name: str = ""


@dataclass(frozen=True)
class YearFacts:
    """A school year of one sending school, or of the whole group (``school_id`` None)."""

    school_year: int
    school_id: int | None
    school_name: str
    is_quality: bool
    stage_type: str  # of the group: "same_stage" / "cross_stage"
    eligible: int  # entered by the group, else the teachers marked eligible in the list
    eligible_entered: bool
    teachers: int  # every teacher of the school (of the group's schools)
    eligible_key: int  # backbone teachers among those marked eligible in the teacher list
    rotations: tuple[RotatedTeacher, ...]  # started in this school year, sent by the school
    listed_eligible: int = 0  # marked eligible in the teacher list (shown next to an entry)


# ---- parameters ------------------------------------------------------------------------


def share(params: Mapping[str, Any], key: str = "value") -> Fraction:
    """A share from the profile (``0.20``) as an exact fraction."""
    return Fraction(str(params[key]))


def required_count(rate: Fraction, base: int, rounding: str = "ceil") -> int:
    """Head count that meets ``rate × base``: ``ceil`` (the strict reading, DOMAIN §1.1:
    11 eligible × 20 % = 2.2 → 3), ``floor`` or ``round`` (half up)."""
    exact = rate * base
    if rounding == "floor":
        return math.floor(exact)
    if rounding == "round":
        return math.floor(exact + Fraction(1, 2))
    return math.ceil(exact)


def term_deadline(start: dt.date, params: Mapping[str, Any]) -> dt.date:
    """The earliest planned end that meets a minimum term of ``params["value"]`` years.

    ``counting = "inclusive"`` (default, DOMAIN §0.3): both the start and the end day are
    days of service, so 2024-09-01 … 2027-08-31 is 3 years. ``"civil_code"``: the start day
    is not counted, the term ends on the corresponding day (2027-09-01).
    """
    end = add_years(start, int(params["value"]))
    if params.get("counting", "inclusive") == "inclusive":
        end -= dt.timedelta(days=1)
    return end


def _matches(flags: frozenset[str], wanted: Iterable[str]) -> bool:
    """Whether a school has any of the wanted flags (no filter: every school)."""
    wanted = tuple(wanted)
    return not wanted or any(flag in flags for flag in wanted)


def counted_rotations(facts: YearFacts, params: Mapping[str, Any]) -> list[RotatedTeacher]:
    """The rotations a share rule counts: those to a school with one of ``target_filter``."""
    return [r for r in facts.rotations if _matches(r.to_flags, params.get("target_filter", ()))]


def applies_to(facts: YearFacts, params: Mapping[str, Any]) -> bool:
    """Whether a year rule is about this row: ``scope = "sending_quality_school"`` (each
    quality school that sends), ``"sending_school"`` (every sending school) or ``"group"``."""
    scope = params.get("scope", "sending_quality_school")
    if scope == "group":
        return facts.school_id is None
    if facts.school_id is None:
        return False
    return facts.is_quality or scope == "sending_school"


def why_not_applied(facts: YearFacts, rules: Iterable[RuleSpec]) -> str:
    """Why none of the share ``rules`` (those ``applies_to`` rejects for this row) gives it
    a head count: shown as the tooltip of the overview's "—"."""
    reasons = []
    for rule in rules:
        scope = rule.params.get("scope", "sending_quality_school")
        if scope == "group":
            reasons.append(_("{rule} counts the whole group, not each school: see the "
                             "group's row.").format(rule=rule.id))
        elif facts.school_id is None:
            reasons.append(_("{rule} counts each sending school, not the whole group: see "
                             "the schools' rows.").format(rule=rule.id))
        else:
            reasons.append(_("{rule} counts quality sending schools only, and this school is "
                             "not marked as a quality school.").format(rule=rule.id))
    if not reasons:
        return _("The group's policy profile sets no share of teachers to rotate.")
    return "\n".join(reasons)


def denominator(facts: YearFacts, params: Mapping[str, Any]) -> tuple[int, str]:
    """The head count a share rule divides by, and how it was obtained (for the message)."""
    if params.get("denominator", "eligible") == "all_teachers":
        return facts.teachers, _("teachers in the teacher list")
    if facts.eligible_entered:
        return facts.eligible, _("eligible teachers as entered by the group")
    return facts.eligible, _("teachers marked rotation-eligible in the teacher list")


def _target_words(params: Mapping[str, Any]) -> str:
    words = {"is_weak": _("weak schools"), "is_rural": _("rural schools"),
             "is_small_rural": _("small rural schools")}
    wanted = [words.get(flag, flag) for flag in params.get("target_filter", ())]
    return _(" or ").join(wanted)


# ---- ALX-13: minimum term --------------------------------------------------------------


@rule_check(TERM_SCOPE, "rotation.min_term_years")
def check_term(rule: RuleSpec, facts: TermFacts) -> Iterable[Finding]:
    params = rule.params
    if facts.start_on is None or facts.planned_end is None:
        return []
    if params.get("only_counted", True) and not (
            facts.from_is_quality and _matches(facts.to_flags, params.get("target_filter", ()))):
        return []
    deadline = term_deadline(facts.start_on, params)
    years = int(params["value"])
    if facts.planned_end >= deadline:
        return [Finding(rule, _("The planned term of {years} years or more is met (planned "
                                "end {end}, at least {deadline}).").format(
            years=years, end=format_date(facts.planned_end), deadline=format_date(deadline)),
            broken=False, fields=("planned_end",))]
    short = (deadline - facts.planned_end).days
    return [Finding(rule, ngettext(
        "The planned term is shorter than {years} years: it ends on {end}, {days} day before "
        "{deadline}.",
        "The planned term is shorter than {years} years: it ends on {end}, {days} days before "
        "{deadline}.", short).format(
        years=years, end=format_date(facts.planned_end), days=short,
        deadline=format_date(deadline)), fields=("planned_end",))]


# ---- ALX-11 / ALX-12 / SZ-01: shares -----------------------------------------------------


def _share_finding(rule: RuleSpec, facts: YearFacts, params: Mapping[str, Any]) -> Finding:
    counted = counted_rotations(facts, params)
    base, source = denominator(facts, params)
    rate = share(params)
    needed = required_count(rate, base, params.get("rounding", "ceil"))
    target = _target_words(params)
    what = (_("Rotated to {target}: {n}").format(n=len(counted), target=target)
            if target else _("Rotated: {n}").format(n=len(counted)))
    template = (_("{what}; needed: {needed} ({rate} of {base} {source}, rounded up).")
                if params.get("rounding", "ceil") == "ceil"
                else _("{what}; needed: {needed} ({rate} of {base} {source})."))
    message = template.format(what=what, needed=needed, rate=format_percent(float(rate), 0),
                              base=base, source=source)
    return Finding(rule, message, broken=len(counted) < needed)


def _backbone_finding(rule: RuleSpec, facts: YearFacts, params: Mapping[str, Any],
                      rate: Fraction) -> Finding | None:
    counted = counted_rotations(facts, params)
    backbone = sum(1 for r in counted if r.is_backbone)
    if params.get("denominator", "rotating_teachers") == "eligible_key_teachers":
        base, source = facts.eligible_key, _("eligible backbone teachers")
    else:
        base, source = len(counted), _("rotated teachers")
    if base == 0:
        return None  # nobody to take a share of: the volume rule speaks for the year
    needed = required_count(rate, base, params.get("rounding", "ceil"))
    template = (_("Backbone teachers among them: {n}; needed: {needed} ({rate} of {base} "
                  "{source}, rounded up).")
                if params.get("rounding", "ceil") == "ceil"
                else _("Backbone teachers among them: {n}; needed: {needed} ({rate} of {base} "
                       "{source})."))
    return Finding(rule, template.format(
        n=backbone, needed=needed, rate=format_percent(float(rate), 0), base=base, source=source),
        broken=backbone < needed)


@rule_check(YEAR_SCOPE, "rotation.min_share_of_eligible")
def check_share(rule: RuleSpec, facts: YearFacts) -> Iterable[Finding]:
    if not applies_to(facts, rule.params):
        return []
    return [_share_finding(rule, facts, rule.params)]


@rule_check(YEAR_SCOPE, "rotation.key_teacher_min_share")
def check_backbone_share(rule: RuleSpec, facts: YearFacts) -> Iterable[Finding]:
    if not applies_to(facts, rule.params):
        return []
    found = _backbone_finding(rule, facts, rule.params, share(rule.params))
    return [found] if found else []


@rule_check(YEAR_SCOPE, "rotation.group_share_with_backbone")
def check_group_share(rule: RuleSpec, facts: YearFacts) -> Iterable[Finding]:
    """SZ-01: one sentence with two thresholds, for same-stage groups as a whole."""
    params = rule.params
    if not applies_to(facts, params):
        return []
    stage_type = params.get("stage_type")
    if stage_type and facts.stage_type != stage_type:
        return [Finding(rule, _("Applies only to same-stage groups; this group spans stages "
                                "(flexible exchange between stages is only encouraged)."),
                        broken=False)]
    found = [_share_finding(rule, facts, params)]
    backbone = _backbone_finding(rule, facts, {**params, "denominator": "rotating_teachers"},
                                 share(params, "backbone_value"))
    if backbone:
        found.append(backbone)
    return found


# ---- ALX-15: team inflow -----------------------------------------------------------------


@rule_check(YEAR_SCOPE, "rotation.team_min_size")
def check_teams(rule: RuleSpec, facts: YearFacts) -> Iterable[Finding]:
    """Each team (rotations of form 组团流入 with one team name) of the year, on the group's
    row: at least ``value`` teachers, one receiving school, a school with ``target_filter``."""
    params = rule.params
    if facts.school_id is not None:
        return []
    teams: dict[str, list[RotatedTeacher]] = {}
    for rotation in facts.rotations:
        if rotation.is_team:
            teams.setdefault(rotation.team_name.strip(), []).append(rotation)
    minimum = int(params["value"])
    found = []
    for name, members in sorted(teams.items()):
        destinations = sorted({m.to_name for m in members})
        problems = []
        if len(members) < minimum:
            problems.append(_("{n} teachers, at least {minimum} required").format(
                n=len(members), minimum=minimum))
        if params.get("same_destination", True) and len(destinations) > 1:
            problems.append(_("members go to different schools ({schools})").format(
                schools="、".join(destinations)))
        wanted = params.get("target_filter", ())
        if wanted and not all(_matches(m.to_flags, wanted) for m in members):
            problems.append(_("the receiving school is not one of the {target}").format(
                target=_target_words({"target_filter": wanted})))
        if problems:
            message = _("Team “{team}” to {school}: {problems}.").format(
                team=name, school="、".join(destinations), problems=_("; ").join(problems))
        else:
            message = _("Team “{team}” to {school}: {n} teachers.").format(
                team=name, school="、".join(destinations), n=len(members))
        found.append(Finding(rule, message, broken=bool(problems)))
    return found
