"""Checks of the placements rules (registered with rules.rule_check), scope ``"placement"``.

Every threshold, the day counting and the window ends come from the rule's ``params`` in the
group's profile (resources/profiles/huaiyuan.toml, HY-01…HY-08); a profile without these
rules checks nothing. A check returns a met finding (``broken=False``) when the rule applies
and holds, so the form can show what was checked.

Conventions (DOMAIN.md §0.3 and §1.10, documented in docs/placements.md):

- ``day_counting = "inclusive"``: a placement from the 1st to the 14th lasts 14 days
  (``end - start + 1``); ``"exclusive_start"`` is the Civil Code reading (start day not counted).
- HY-04 「两年内」: 「以内」 includes the number, so with ``window_includes_last_day = true`` an
  application on the very day two years after the earlier end is still inside the window;
  the day after is the first allowed one.
- HY-03 counts people at the same date across the group; 「中层以上」 starts at
  ``cadre_min_rank`` (deputies included by default) and cadres on 跟岗锻炼 count towards the
  cadre cap when ``count_cadre_exercise_in_cadre_cap`` is true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from jituan_desktop.domain.enums import CadreRank
from jituan_desktop.domain.placements import (
    VETO_FIELDS,
    VETO_LABELS,
    Placement,
    PlacementKind,
    PlacementStatus,
    rank_at_least,
)
from jituan_desktop.domain.profiles import RuleSpec
from jituan_desktop.domain.rules import Finding, rule_check
from jituan_desktop.i18n import _, format_date

SCOPE = "placement"


@dataclass(frozen=True)
class PlacementFacts:
    """One placement being saved, with what the rules compare it to."""

    placement: Placement
    rank: CadreRank  # the person's cadre rank
    home_is_core: bool  # the home school is the group's core school at the planned start
    host_is_member: bool  # the host school is a member (not the core) school
    others: tuple[Placement, ...] = ()  # other live placements in the group (person_rank set)
    earlier: tuple[Placement, ...] = ()  # the person's other live placements
    today: dt.date = field(default_factory=dt.date.today)


def days_between(start: dt.date, end: dt.date, counting: str) -> int:
    """Length of a placement as the profile counts it (see the module docstring)."""
    days = (end - start).days
    return days + 1 if counting == "inclusive" else days


def add_years(day: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _length_findings(rule: RuleSpec, p: Placement) -> list[Finding]:
    limit = int(rule.params["max_days_inclusive"])
    counting = str(rule.params.get("day_counting", "inclusive"))
    periods = [("planned_end", p.planned_start, p.planned_end, _("planned"))]
    if p.actual_start and p.actual_end:
        periods.append(("actual_end", p.actual_start, p.actual_end, _("actual")))
    found = []
    for field_name, start, end, which in periods:
        days = days_between(start, end, counting)
        broken = days > limit
        found.append(Finding(rule, _("{which} length {days} days, at most {limit}").format(
            which=which, days=days, limit=limit), broken, (field_name,)))
    broken_ones = [f for f in found if f.broken]
    return broken_ones or found[-1:]


@rule_check(SCOPE, "placement.cadre_exercise")
def check_cadre_exercise(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-01: 中层副职以上, core school → member school, at most 2 weeks (hard limit)."""
    p = facts.placement
    if p.kind is not PlacementKind.CADRE_EXERCISE:
        return []
    found: list[Finding] = []
    minimum = CadreRank(str(rule.params.get("min_rank", "middle_deputy")))
    if not rank_at_least(facts.rank, minimum):
        found.append(Finding(rule, _("the person's rank is “{rank}”; at least “{minimum}”")
                             .format(rank=facts.rank.label(), minimum=minimum.label()),
                             True, ("teacher_id",)))
    if rule.params.get("direction") == "core_to_member" and not (
            facts.home_is_core and facts.host_is_member):
        found.append(Finding(rule, _("must go from the core school to a member school"),
                             True, ("host_school_id",)))
    return found + _length_findings(rule, p)


@rule_check(SCOPE, "placement.learning_max_days")
def check_learning_days(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-02: 跟岗学习 at most 2 weeks in principle (a justification allows more)."""
    if facts.placement.kind is not PlacementKind.LEARNING:
        return []
    return _length_findings(rule, facts.placement)


def counts_as_cadre(rank: CadreRank, kind: PlacementKind, params: dict[str, object]) -> bool | None:
    """True: counts towards the cadre cap, False: the teacher cap, None: neither."""
    minimum = CadreRank(str(params.get("cadre_min_rank", "middle_deputy")))
    if rank_at_least(rank, minimum) and rank is not CadreRank.NONE:
        if kind is PlacementKind.LEARNING or params.get("count_cadre_exercise_in_cadre_cap"):
            return True
        return None
    return False if kind is PlacementKind.LEARNING else None


@rule_check(SCOPE, "placement.concurrent_caps")
def check_concurrent_caps(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-03: at most 5 cadres and 7 teachers on placement at the same time in the group."""
    p = facts.placement
    params = dict(rule.params)
    category = counts_as_cadre(facts.rank, p.kind, params)
    if category is None:
        return []
    cap = int(params["cadres_middle_and_above"] if category else params["teachers"])
    same = [o for o in facts.others if o.id != p.id and o.teacher_id != p.teacher_id
            and o.overlaps(p) and counts_as_cadre(o.person_rank, o.kind, params) is category]
    # the most at once is reached on a day someone starts: this placement's start or a later one
    days = sorted({p.start} | {o.start for o in same if p.start <= o.start <= p.running_until})
    worst_day, worst = p.start, 1
    for day in days:
        count = 1 + sum(1 for o in same if o.active_on(day))
        if count > worst:
            worst_day, worst = day, count
    who = _("cadres") if category else _("teachers")
    message = _("{n} {who} on placement at the same time on {date}, at most {cap}").format(
        n=worst, who=who, date=format_date(worst_day), cap=cap)
    return [Finding(rule, message, worst > cap, ("planned_start",))]


def is_earlier(other: Placement, p: Placement) -> bool:
    """``other`` comes before ``p``: it starts first (on the same start day: applied first)."""
    return (other.start, other.applied_on) < (p.start, p.applied_on)


@rule_check(SCOPE, "placement.cooling_off_years")
def check_cooling_off(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-04: no new application within two years after the end of an earlier placement.

    Every earlier live placement of the person counts (either kind unless ``across_kinds`` is
    false; drafts and rejected applications do not), whether or not it has ended by the
    application date: applying before the earlier placement ends is inside the window too.
    The window runs from the earlier placement's end (actual, else planned).
    """
    p = facts.placement
    years = int(rule.params["value"])
    across = bool(rule.params.get("across_kinds", True))
    inclusive = bool(rule.params.get("window_includes_last_day", True))
    earlier = [o for o in facts.earlier
               if o.id != p.id and o.is_live and is_earlier(o, p)
               and (across or o.kind is p.kind)]
    if not earlier:
        return [Finding(rule, _("no earlier placement of this person"), False, ("applied_on",))]
    last = max(earlier, key=lambda o: o.end)
    window_end = add_years(last.end, years)
    broken = p.applied_on <= window_end if inclusive else p.applied_on < window_end
    first_allowed = window_end + dt.timedelta(days=1) if inclusive else window_end
    values = {"applied": format_date(p.applied_on), "end": format_date(last.end),
              "allowed": format_date(first_allowed)}
    if p.applied_on <= last.end:
        message = _("applied on {applied}, before the earlier placement ends ({end}); a new "
                    "application is possible from {allowed}").format(**values)
    elif last.actual_end is None:
        message = _("applied on {applied}; the earlier placement is planned to end on {end} "
                    "(no actual end recorded), a new application is possible from "
                    "{allowed}").format(**values)
    else:
        message = _("applied on {applied}; the earlier placement ended on {end}, a new "
                    "application is possible from {allowed}").format(**values)
    return [Finding(rule, message, broken, ("applied_on",))]


@rule_check(SCOPE, "placement.veto_attestations")
def check_veto(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-05: any of the three veto conditions attested makes the person ineligible."""
    names = [str(n) for n in rule.params.get("attestations", VETO_FIELDS) if n in VETO_LABELS]
    present = [name for name in names if getattr(facts.placement, name)]
    if not present:
        return [Finding(rule, _("none of the veto conditions applies"), False, ("veto",))]
    return [Finding(rule, _("veto condition: {conditions}").format(
        conditions="；".join(_(VETO_LABELS[n]) for n in present)), True, ("veto",))]


def approving_section(rule: RuleSpec | None, rank: CadreRank) -> str:
    """HY-07: who approves and supervises: the cadre section for cadres, personnel for
    teachers ("" when the profile names no section)."""
    if rule is None:
        return ""
    key = "learning" if rank is CadreRank.NONE else "cadre_exercise"
    return str(rule.params.get(key, ""))


@rule_check(SCOPE, "placement.supervisor")
def check_supervisor(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-07 as information: which section approves and supervises this placement."""
    section = approving_section(rule, facts.rank)
    return [Finding(rule, _("approved and supervised by {section}").format(section=section),
                    False, ("teacher_id",))] if section else []


@rule_check(SCOPE, "placement.must_return_to_home_school")
def check_return(rule: RuleSpec, facts: PlacementFacts) -> Iterable[Finding]:
    """HY-08: back at the home school within ``return_within_days`` of the end."""
    p = facts.placement
    grace = int(rule.params["return_within_days"])
    if p.actual_end is None:
        return []
    if p.returned_on is not None:
        late = (p.returned_on - p.actual_end).days
        return [Finding(rule, _("returned {n} days after the end, at most {grace}").format(
            n=late, grace=grace), late > grace, ("returned_on",))]
    waited = (facts.today - p.actual_end).days
    if p.status is PlacementStatus.ENDED and waited > grace:
        return [Finding(rule, _("not back at the home school {n} days after the end, at most "
                                "{grace}").format(n=waited, grace=grace), True, ("returned_on",))]
    return []
