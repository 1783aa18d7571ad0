"""Checks of the courses rules (registered with rules.rule_check).

ALX-19 「每学期集团内每校至少有1门共享课程,可共享课程应不低于5门」, scope ``course_semester``
(facts: ``domain.courses.CourseSemesterFacts``). Parameters of the rule:

- ``per_school_min``: courses each school must have (default 1);
- ``per_group_shareable_min``: courses the group must share in total (default 5);
- ``school_counts_as``: ``"provider"`` (a school "has" a course it provides; DOMAIN §1.10 #2)
  or ``"provider_or_participant"`` (also a course of another school its students attend);
- ``school_counted_when``: ``"member_any_day"`` (a school in the group on any day of the
  semester must have its course: the strict reading) or ``"member_whole_semester"`` (a
  school that joined or left during the semester is not counted).

A count short of the minimum in a semester that has not ended yet (``facts.today`` on or
before its last day) is *not yet due*: shown, not broken, until the semester is over.
"""

from __future__ import annotations

from collections.abc import Iterator

from jituan_desktop.domain.courses import CourseSemesterFacts, SchoolCourseCount
from jituan_desktop.domain.dates import period_over
from jituan_desktop.domain.profiles import RuleSpec
from jituan_desktop.domain.rules import Finding, rule_check
from jituan_desktop.i18n import _, format_date, format_number, ngettext

SCOPE = "course_semester"
KEY = "curriculum.shared_courses_per_semester"
COUNTS_AS = ("provider", "provider_or_participant")
COUNTED_WHEN = ("member_any_day", "member_whole_semester")


def _param(rule: RuleSpec, name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = str(rule.params.get(name, default))
    if value not in allowed:
        raise ValueError(f"{rule.id}: {name} must be one of {allowed}, not {value!r}")
    return value


def counted_schools(rule: RuleSpec, facts: CourseSemesterFacts) -> list[SchoolCourseCount]:
    """The schools the rule asks a course of, by its ``school_counted_when``."""
    when = _param(rule, "school_counted_when", "member_any_day", COUNTED_WHEN)
    return [s for s in facts.schools if when == "member_any_day" or s.whole_semester]


def courses_of(rule: RuleSpec, school: SchoolCourseCount) -> int:
    """The courses the school "has", by the rule's ``school_counts_as``."""
    counts_as = _param(rule, "school_counts_as", "provider", COUNTS_AS)
    return school.provided + (school.received if counts_as == "provider_or_participant" else 0)


@rule_check(SCOPE, KEY)
def shared_courses_per_semester(rule: RuleSpec, facts: CourseSemesterFacts) -> Iterator[Finding]:
    per_school = int(rule.params.get("per_school_min", 1))
    total_min = int(rule.params.get("per_group_shareable_min", 5))
    semester = facts.semester.label
    over = period_over(facts.semester.ends_on, facts.today)
    due = _("not yet due: the semester ends on {date}").format(
        date=format_date(facts.semester.ends_on))
    for school in counted_schools(rule, facts):
        n = courses_of(rule, school)
        values = {"school": school.school_name, "semester": semester,
                  "n": format_number(n), "min": format_number(per_school)}
        if n < per_school and not over:
            yield Finding(rule, ngettext(
                "{school} has {n} shared course in {semester} so far; at least {min} "
                "required ({due}).",
                "{school} has {n} shared courses in {semester} so far; at least {min} "
                "required ({due}).", n).format(due=due, **values), broken=False,
                fields=("provider_school_id",))
        elif n < per_school:
            yield Finding(rule, ngettext(
                "{school} has {n} shared course in {semester}; at least {min} required.",
                "{school} has {n} shared courses in {semester}; at least {min} required.",
                n).format(**values), fields=("provider_school_id",))
        else:
            yield Finding(rule, ngettext(
                "{school} has {n} shared course in {semester} (at least {min}).",
                "{school} has {n} shared courses in {semester} (at least {min}).",
                n).format(**values), broken=False)
    values = {"semester": semester, "n": format_number(facts.total),
              "min": format_number(total_min)}
    if facts.total < total_min and not over:
        yield Finding(rule, ngettext(
            "The group shares {n} course in {semester} so far; at least {min} required "
            "({due}).",
            "The group shares {n} courses in {semester} so far; at least {min} required "
            "({due}).", facts.total).format(due=due, **values), broken=False)
    elif facts.total < total_min:
        yield Finding(rule, ngettext(
            "The group shares {n} course in {semester}; at least {min} required.",
            "The group shares {n} courses in {semester}; at least {min} required.",
            facts.total).format(**values))
    else:
        yield Finding(rule, ngettext(
            "The group shares {n} course in {semester} (at least {min}).",
            "The group shares {n} courses in {semester} (at least {min}).",
            facts.total).format(**values), broken=False)
