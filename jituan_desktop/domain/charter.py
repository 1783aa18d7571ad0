"""A group's charter (章程): the group itself, membership history, leadership group,
charter sections and plans, with their validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from jituan_desktop.domain.enums import (
    LeaderRole,
    LegalStructure,
    PlanKind,
    SchoolRole,
    SectionKind,
    StageType,
)
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _, format_date, format_school_year

# Column lengths (``persistence/models.py`` builds its ``String(n)`` from these).
GROUP_LIMITS = {"name": 100, "short_name": 50, "region": 100, "profile_id": 40,
                "model_label": 40, "model_canonical": 40, "legal_structure": 10,
                "stage_type": 20, "zone": 50}
MEMBERSHIP_LIMITS = {"role": 10, "role_label": 20}
LEADER_LIMITS = {"role": 10, "person_name": 50, "position": 50}
SECTION_LIMITS = {"kind": 30, "title": 100}
PLAN_LIMITS = {"kind": 20, "title": 100}


@dataclass(frozen=True)
class Group:
    id: int | None
    name: str
    profile_id: str
    model_label: str
    short_name: str = ""
    region: str = ""
    model_canonical: str = ""
    legal_structure: LegalStructure = LegalStructure.MULTI
    stage_type: StageType = StageType.SAME_STAGE
    zone: str = ""
    founded_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Membership:
    """One period of a school in a group. A school that leaves keeps its row (``left_on``)."""

    id: int | None
    group_id: int | None
    school_id: int | None
    role: SchoolRole
    joined_on: dt.date | None
    role_label: str = ""
    left_on: dt.date | None = None
    join_note: str = ""
    leave_reason: str = ""
    leave_evidence: str = ""
    school_name: str = field(default="", compare=False)
    group_name: str = field(default="", compare=False)

    def active_on(self, day: dt.date) -> bool:
        return (self.joined_on is not None and self.joined_on <= day
                and (self.left_on is None or day <= self.left_on))

    def overlaps(self, other: Membership) -> bool:
        if self.joined_on is None or other.joined_on is None:
            return False
        end_a = self.left_on or dt.date.max
        end_b = other.left_on or dt.date.max
        return self.joined_on <= end_b and other.joined_on <= end_a


@dataclass(frozen=True)
class Leader:
    id: int | None
    group_id: int | None
    role: LeaderRole
    person_name: str
    teacher_id: int | None = None
    school_id: int | None = None
    position: str = ""
    duty: str = ""
    sort_order: int = 0
    school_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class CharterSection:
    id: int | None
    group_id: int | None
    kind: SectionKind
    title: str
    body: str = ""
    sort_order: int = 0


@dataclass(frozen=True)
class Plan:
    id: int | None
    group_id: int | None
    kind: PlanKind
    start_year: int
    title: str
    body: str = ""

    @property
    def period_label(self) -> str:
        if self.kind is PlanKind.ANNUAL:
            return format_school_year(self.start_year)
        return _("{start}–{end} school years").format(start=self.start_year,
                                                      end=self.start_year + 3)


def validate_group(draft: Group, other_names: set[str], model_labels: Iterable[str]) -> \
        ValidationReport:
    report = ReportBuilder()
    name = draft.name.strip()
    if not name:
        report.add("name", _("Enter the group's name."))
    elif name in other_names:
        report.add("name", _("Another group already has this name."))
    if not draft.profile_id:
        report.add("profile_id", _("Choose the policy profile of the group's region."))
    labels = list(model_labels)
    if not draft.model_label:
        report.add("model_label", _("Choose the cooperation model."))
    elif labels and draft.model_label not in labels:
        report.add("model_label", _("The model {model} is not part of the chosen policy "
                                    "profile.").format(model=draft.model_label))
    if draft.founded_on and draft.founded_on > dt.date.today():
        report.add("founded_on", _("The founding date lies in the future."))
    report.check_lengths(draft, GROUP_LIMITS)
    return report.build()


@dataclass(frozen=True)
class MembershipContext:
    """What validating a membership needs to know besides the draft itself."""

    group_memberships: tuple[Membership, ...]  # all periods of this group (any school)
    other_group_memberships: tuple[Membership, ...]  # the school's periods in other groups
    exclusive_membership: bool = False
    exclusive_rule: str = ""  # e.g. "YY-02 「…」" shown in the message

    @classmethod
    def of(cls, draft: Membership, periods: Iterable[Membership], *,
           exclusive_membership: bool = False, exclusive_rule: str = "") -> MembershipContext:
        """The context of ``draft`` among ``periods``: the memberships in use (of schools and
        groups not in the recycle bin), of any group and school."""
        periods = tuple(periods)
        return cls(tuple(m for m in periods if m.group_id == draft.group_id),
                   tuple(m for m in periods
                         if m.group_id != draft.group_id and m.school_id == draft.school_id),
                   exclusive_membership=exclusive_membership, exclusive_rule=exclusive_rule)


def validate_membership(draft: Membership, ctx: MembershipContext) -> ValidationReport:
    report = ReportBuilder()
    if draft.school_id is None:
        report.add("school_id", _("Choose a school."))
    if draft.joined_on is None:
        report.add("joined_on", _("Enter the date the school joined."))
    if draft.joined_on and draft.left_on and draft.left_on < draft.joined_on:
        report.add("left_on", _("The school cannot leave before it joined."))
    if draft.left_on and not draft.leave_reason.strip():
        report.add("leave_reason", _("Give the reason the school left."))
    report.check_lengths(draft, MEMBERSHIP_LIMITS)
    if not report.build().ok:
        return report.build()
    for other in ctx.group_memberships:
        if other.id == draft.id or not draft.overlaps(other):
            continue
        if other.school_id == draft.school_id:
            if other.role != draft.role:
                report.add("role", _("This school is already the core school of the group "
                                     "in that period; a school cannot be core and member at "
                                     "once.") if other.role is SchoolRole.CORE else
                           _("This school is already a member of the group in that period; "
                             "a school cannot be core and member at once."))
            else:
                report.add("joined_on", _("This school is already in the group from {date}.")
                           .format(date=format_date(other.joined_on)))
        elif draft.role is SchoolRole.CORE and other.role is SchoolRole.CORE:
            report.add("role", _("{school} is the core school in that period; a group has "
                                 "one core school at a time.").format(school=other.school_name))
    if ctx.exclusive_membership:
        for other in ctx.other_group_memberships:
            if other.school_id == draft.school_id and draft.overlaps(other):
                report.add("school_id", _("This school belongs to {group} in that period, and "
                                          "the policy profile allows one group per school "
                                          "({rule}).").format(group=other.group_name,
                                                              rule=ctx.exclusive_rule))
                break
    return report.build()


def validate_leader(draft: Leader, existing: Iterable[Leader] = ()) -> ValidationReport:
    """``existing``: the group's other leadership members (a group has one 组长)."""
    report = ReportBuilder()
    report.check(bool(draft.person_name.strip()), "person_name", _("Enter the person's name."))
    report.check_lengths(draft, LEADER_LIMITS)
    if draft.role is LeaderRole.LEADER:
        for other in existing:
            if other.role is LeaderRole.LEADER and other.id != draft.id:
                report.add("role", _("{name} is already the group leader; a leadership group "
                                     "has one leader. Make this person a deputy, or change "
                                     "{name}'s role first.").format(name=other.person_name))
                break
    return report.build()


def validate_section(draft: CharterSection, existing: Iterable[CharterSection]) -> \
        ValidationReport:
    report = ReportBuilder()
    report.check(bool(draft.title.strip()), "title", _("Enter a title for the section."))
    report.check_lengths(draft, SECTION_LIMITS)
    if draft.kind is not SectionKind.CUSTOM:
        for other in existing:
            if other.kind is draft.kind and other.id != draft.id:
                report.add("kind", _("The charter already has a section “{kind}”; edit that "
                                     "one instead.").format(kind=draft.kind.label()))
                break
    return report.build()


def validate_plan(draft: Plan, existing: Iterable[Plan]) -> ValidationReport:
    report = ReportBuilder()
    report.check(bool(draft.title.strip()), "title", _("Enter a title for the plan."))
    report.check_lengths(draft, PLAN_LIMITS)
    report.check(1990 <= draft.start_year <= 2100, "start_year",
                 _("The school year must lie between 1990 and 2100."))
    for other in existing:
        if (other.kind, other.start_year) == (draft.kind, draft.start_year) and \
                other.id != draft.id:
            report.add("start_year", _("There is already a {kind} for {period}.").format(
                kind=draft.kind.label(), period=draft.period_label))
            break
    return report.build()
