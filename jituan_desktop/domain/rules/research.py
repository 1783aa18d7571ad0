"""Checks of the research rules (registered with rules.rule_check).

Scopes and their facts:

* ``research_semester`` (``SemesterFacts``): sessions per subject in one semester (ALX-20,
  ``research.joint_sessions_per_subject_per_semester``: ``value`` sessions per subject, each
  with at least ``min_schools_per_session`` schools);
* ``research_year`` (``YearFacts``): thematic seminars (专题研讨) in one school year (YY-06,
  ``zone.seminars_per_school_year``: at least ``value``);
* ``research_session`` (``SyncFacts``): a synchronised class needs a debrief session of the
  same subject within ``value`` days (YY-12, ``sync_class.debrief_within_days``; day 0 is the
  class itself, so a debrief on day ``value`` is in time, on day ``value + 1`` late).

When a rule's parameter ``model`` names a cooperation model (YY-12: 协作型, YY-06:
片区学校教共体), the rule applies to groups of that model only.

A count short of the minimum in a period that has not ended yet (``today`` on or before the
semester's or school year's last day) is *not yet due*: shown, not broken, until it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from jituan_desktop.domain.dates import period_over
from jituan_desktop.domain.profiles import RuleSpec
from jituan_desktop.domain.research import ResearchType
from jituan_desktop.domain.rules import Finding, rule_check
from jituan_desktop.i18n import _, format_date


@dataclass(frozen=True)
class SessionFact:
    id: int | None
    held_on: dt.date
    subject: str
    kind: ResearchType
    school_count: int


@dataclass(frozen=True)
class SemesterFacts:
    semester_label: str
    subjects: tuple[str, ...]  # the subjects that must reach the count
    sessions: tuple[SessionFact, ...]  # the sessions held in the semester
    ends_on: dt.date | None = None  # the semester's last day
    today: dt.date | None = None  # on or before ends_on a short count is not yet due


@dataclass(frozen=True)
class YearFacts:
    school_year_label: str
    sessions: tuple[SessionFact, ...]  # the sessions held in the school year
    ends_on: dt.date | None = None  # the school year's last day
    today: dt.date | None = None  # on or before ends_on a short count is not yet due
    group_model: str = ""  # the group's model label (片区学校教共体, …)


def _applies_to_model(rule: RuleSpec, group_model: str) -> bool:
    """Whether the rule's ``model`` parameter (if any) matches the group's model."""
    model = str(rule.params.get("model", ""))
    return not (model and group_model and group_model != model)


@dataclass(frozen=True)
class SyncFacts:
    session: SessionFact  # the synchronised class
    # the group's sessions where its debrief may be (the service passes only the first
    # debrief of the subject on or after the class: the one the rule looks at)
    sessions: tuple[SessionFact, ...]
    today: dt.date
    group_model: str = ""  # the group's model label (协作型, …)


@rule_check("research_semester", "research.joint_sessions_per_subject_per_semester")
def joint_sessions_per_subject(rule: RuleSpec, facts: SemesterFacts) -> Iterator[Finding]:
    needed = int(rule.params.get("value", 0))
    min_schools = int(rule.params.get("min_schools_per_session", 1))
    counts = dict.fromkeys(facts.subjects, 0)
    for session in facts.sessions:
        if session.subject in counts and session.school_count >= min_schools:
            counts[session.subject] += 1
    over = period_over(facts.ends_on, facts.today)
    for subject, count in counts.items():
        if count < needed and not over:
            assert facts.ends_on is not None
            message = _("{semester}, {subject}: {n} joint sessions so far, at least {min} "
                        "required; not yet due: the semester ends on {date}").format(
                semester=facts.semester_label, subject=subject, n=count, min=needed,
                date=format_date(facts.ends_on))
            yield Finding(rule, message, broken=False, fields=("subject",))
            continue
        if count < needed:
            message = _("{semester}, {subject}: {n} joint sessions with at least {schools} "
                        "schools, at least {min} required").format(
                semester=facts.semester_label, subject=subject, n=count,
                schools=min_schools, min=needed)
        else:
            message = _("{semester}, {subject}: {n} joint sessions (at least {min})").format(
                semester=facts.semester_label, subject=subject, n=count, min=needed)
        yield Finding(rule, message, broken=count < needed, fields=("subject",))


@rule_check("research_year", "zone.seminars_per_school_year")
def seminars_per_school_year(rule: RuleSpec, facts: YearFacts) -> Iterator[Finding]:
    if not _applies_to_model(rule, facts.group_model):
        return
    needed = int(rule.params.get("value", 0))
    count = sum(1 for s in facts.sessions if s.kind == ResearchType.SEMINAR)
    if count < needed and not period_over(facts.ends_on, facts.today):
        assert facts.ends_on is not None
        yield Finding(rule, _("{year}: {n} thematic seminars so far, at least {min} required; "
                              "not yet due: the school year ends on {date}").format(
            year=facts.school_year_label, n=count, min=needed, date=format_date(facts.ends_on)),
            broken=False, fields=("kind",))
        return
    if count < needed:
        message = _("{year}: {n} thematic seminars, at least {min} required").format(
            year=facts.school_year_label, n=count, min=needed)
    else:
        message = _("{year}: {n} thematic seminars (at least {min})").format(
            year=facts.school_year_label, n=count, min=needed)
    yield Finding(rule, message, broken=count < needed, fields=("kind",))


@rule_check("research_session", "sync_class.debrief_within_days")
def sync_class_debrief(rule: RuleSpec, facts: SyncFacts) -> Iterator[Finding]:
    lesson = facts.session
    if lesson.kind != ResearchType.SYNC_CLASS:
        return
    if not _applies_to_model(rule, facts.group_model):
        return
    days = int(rule.params.get("value", 0))
    deadline = lesson.held_on + dt.timedelta(days=days)
    debriefs = sorted(s.held_on for s in facts.sessions
                      if s.kind == ResearchType.SYNC_DEBRIEF and s.subject == lesson.subject
                      and lesson.held_on <= s.held_on)
    first = debriefs[0] if debriefs else None
    if first is not None and first <= deadline:
        yield Finding(rule, _("Debrief held on {date}, {n} days after the class (at most {max})")
                      .format(date=format_date(first), n=(first - lesson.held_on).days,
                              max=days), broken=False, fields=("kind",))
    elif first is None and facts.today <= deadline:
        yield Finding(rule, _("Debrief due by {date}").format(date=format_date(deadline)),
                      broken=False, fields=("kind",))
    elif first is None:
        yield Finding(rule, _("No debrief of this synchronised class; it was due by {date}")
                      .format(date=format_date(deadline)), fields=("kind",))
    else:
        assert first is not None
        yield Finding(rule, _("Debrief held on {date}, {n} days after the class; at most {max} "
                              "days allowed").format(date=format_date(first),
                                                     n=(first - lesson.held_on).days, max=days),
                      fields=("kind",))
