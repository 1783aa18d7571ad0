"""Follow-along placements (跟岗锻炼 / 跟岗学习): records, workflow and input validation.

A placement moves through the approval chain of HY-06/HY-07 (DOMAIN.md §1.3)::

    draft → submitted → reviewed (基教股) → approved (干部股 / 人事股) → active → ended → returned
                 └──────────┴─→ rejected (with the reason)

``next_status`` is the state machine: a step out of order (approved before reviewed, started
before approved, …) is *invalid input* and refused with a clear message; it is not a policy
flag. The policy rules (length, quotas, cooling-off, veto, return) are checked separately in
``domain/rules/placements.py`` and never block recording what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from jituan_desktop.domain.enums import CadreRank, LabeledEnum
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _, format_date

PLACEMENT_LIMITS = {"kind": 20, "status": 20, "mentor": 50, "flags": 100}
STEP_LIMITS = {"action": 20, "status": 20, "actor": 100}


class PlacementKind(LabeledEnum):
    CADRE_EXERCISE = "cadre_exercise"  # 跟岗锻炼 (HY-01)
    LEARNING = "learning"  # 跟岗学习 (HY-02)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"cadre_exercise": N_("Cadre shadowing (跟岗锻炼)"),
                "learning": N_("Follow-along learning (跟岗学习)")}


class PlacementStatus(LabeledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    ACTIVE = "active"
    ENDED = "ended"
    RETURNED = "returned"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "draft": N_("Draft"),
            "submitted": N_("Submitted"),
            "reviewed": N_("Reviewed"),
            "approved": N_("Approved"),
            "active": N_("In progress"),
            "ended": N_("Ended, not yet back"),
            "returned": N_("Returned to post"),
            "rejected": N_("Rejected"),
        }


class PlacementAction(LabeledEnum):
    SUBMIT = "submit"
    REVIEW = "review"
    APPROVE = "approve"
    REJECT = "reject"
    START = "start"
    END = "end"
    RETURN = "return"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "submit": N_("Submit the application"),
            "review": N_("Reviewed (基教股)"),
            "approve": N_("Approved (干部股 / 人事股)"),
            "reject": N_("Rejected"),
            "start": N_("Placement started"),
            "end": N_("Placement ended"),
            "return": N_("Back at the home school"),
        }


S, A = PlacementStatus, PlacementAction
TRANSITIONS: dict[tuple[PlacementStatus, PlacementAction], PlacementStatus] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.REVIEW): S.REVIEWED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.REVIEWED, A.APPROVE): S.APPROVED,
    (S.REVIEWED, A.REJECT): S.REJECTED,
    (S.APPROVED, A.START): S.ACTIVE,
    (S.ACTIVE, A.END): S.ENDED,
    (S.ENDED, A.RETURN): S.RETURNED,
}
"""HY-06 order: the only steps allowed from each status."""

# what must have happened before an action, to explain a refusal in the user's words
_PREREQUISITE = {
    A.SUBMIT: N_("only a draft can be submitted"),
    A.REVIEW: N_("the application must be submitted before it is reviewed"),
    A.APPROVE: N_("the application must be reviewed (基教股) before it is approved"),
    A.REJECT: N_("only a submitted or reviewed application can be rejected"),
    A.START: N_("the placement must be approved before it starts"),
    A.END: N_("the placement must have started before it ends"),
    A.RETURN: N_("the placement must have ended before the person returns"),
}

CADRE_RANK_ORDER = {CadreRank.NONE: 0, CadreRank.MIDDLE_DEPUTY: 1, CadreRank.MIDDLE: 2,
                    CadreRank.SCHOOL_LEADER: 3}
# a rejected application and a draft never took place; they neither overlap nor count
LIVE_STATUSES = frozenset({S.SUBMITTED, S.REVIEWED, S.APPROVED, S.ACTIVE, S.ENDED, S.RETURNED})


def rank_at_least(rank: CadreRank, minimum: CadreRank) -> bool:
    return CADRE_RANK_ORDER[rank] >= CADRE_RANK_ORDER[minimum]


class StepRefused(ValueError):
    """A workflow step out of order or with impossible data; the message is for the user."""


@dataclass(frozen=True)
class Placement:
    id: int | None
    group_id: int | None
    teacher_id: int | None
    kind: PlacementKind
    home_school_id: int | None
    host_school_id: int | None
    applied_on: dt.date
    planned_start: dt.date
    planned_end: dt.date
    mentor: str = ""
    purpose: str = ""
    status: PlacementStatus = PlacementStatus.DRAFT
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    returned_on: dt.date | None = None
    ethics_violation_sanctioned: bool = False  # HY-05 veto conditions, attested by the school
    refuses_assignment: bool = False
    frequent_sick_leave_cannot_full_load: bool = False
    justification: str = ""  # why a 原则上 rule may be exceeded (kept in the history)
    flags: str = ""  # IDs of the rules broken at the last save or step, e.g. "HY-02 HY-03"
    notes: str = ""
    # filled by queries, ignored on save
    person_name: str = field(default="", compare=False)
    person_rank: CadreRank = field(default=CadreRank.NONE, compare=False)
    home_school_name: str = field(default="", compare=False)
    host_school_name: str = field(default="", compare=False)

    @property
    def start(self) -> dt.date:
        """When the placement (really) began: the actual start once known."""
        return self.actual_start or self.planned_start

    @property
    def end(self) -> dt.date:
        """When it (really) ended: the actual end once known, else the planned end (shown in
        lists and used by HY-04)."""
        return self.actual_end or self.planned_end

    @property
    def started(self) -> bool:
        return self.actual_start is not None

    @property
    def running_until(self) -> dt.date:
        """The last day on placement: a started placement without an actual end runs until it
        ends, however long after its planned end (``date.max``)."""
        if self.actual_end is not None:
            return self.actual_end
        return dt.date.max if self.started else self.planned_end

    @property
    def away_until(self) -> dt.date:
        """The last day the person is away from the home school, for the overlap of one
        person's placements: a started placement holds the person until the return."""
        if self.returned_on is not None:
            return self.returned_on
        return dt.date.max if self.started else self.planned_end

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def overlaps(self, other: Placement) -> bool:
        """Both on placement on some day (HY-03 head-count)."""
        return self.start <= other.running_until and other.start <= self.running_until

    def clashes(self, other: Placement) -> bool:
        """The same person away for both on some day (input validity)."""
        return self.start <= other.away_until and other.start <= self.away_until

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.running_until

    def describe(self) -> str:
        """The placement in a message: kind, host school and period (or since when it runs)."""
        host = self.host_school_name or _("another school")
        if self.started and self.actual_end is None:
            period = _("started on {start}, not ended yet (planned end {end})").format(
                start=format_date(self.start), end=format_date(self.planned_end))
        elif self.started and self.returned_on is None:
            period = _("{start} to {end}, return to the home school not recorded yet").format(
                start=format_date(self.start), end=format_date(self.end))
        else:
            period = _("{start} to {end}").format(start=format_date(self.start),
                                                  end=format_date(self.end))
        return _("“{kind}” at {host}, {period} (“{status}”)").format(
            kind=self.kind.label(), host=host, period=period, status=self.status.label())


@dataclass(frozen=True)
class PlacementStep:
    """One recorded step of the approval chain: who, when, what, why."""

    id: int | None
    placement_id: int
    action: PlacementAction
    status: PlacementStatus  # the status the step led to
    on: dt.date
    actor: str  # the office or person who took the step, e.g. 县教育体育局基教股
    comment: str = ""
    seq: int = 0


VETO_FIELDS = ("ethics_violation_sanctioned", "refuses_assignment",
               "frequent_sick_leave_cannot_full_load")
VETO_LABELS = {
    "ethics_violation_sanctioned": N_("Sanctioned for breaching teachers' ethics or for paid "
                                      "private tutoring"),
    "refuses_assignment": N_("Does not accept the school's assignments and management"),
    "frequent_sick_leave_cannot_full_load": N_("Often on sick leave, cannot work a full load"),
}


def available_actions(status: PlacementStatus) -> list[PlacementAction]:
    """The steps that may follow ``status``, in workflow order."""
    return [action for (state, action) in TRANSITIONS if state is status]


def next_status(current: PlacementStatus, action: PlacementAction) -> PlacementStatus:
    """The status after ``action``; StepRefused when the step is out of order (HY-06)."""
    after = TRANSITIONS.get((current, action))
    if after is None:
        raise StepRefused(_("“{action}” is not possible now: {reason} (the placement is "
                            "“{status}”).").format(action=action.label(),
                                                    reason=_(_PREREQUISITE[action]),
                                                    status=current.label()))
    return after


def validate_step(action: PlacementAction, on: dt.date, actor: str, comment: str,
                  last_step_on: dt.date | None) -> ValidationReport:
    """The step form: who took it, the reason of a rejection, a date after the last step."""
    report = ReportBuilder()
    if not actor.strip():
        report.add("actor", _("Enter who took this step (an office or a person)."))
    elif len(actor.strip()) > STEP_LIMITS["actor"]:
        report.add("actor", _("At most {n} characters.").format(n=STEP_LIMITS["actor"]))
    if action is A.REJECT and not comment.strip():
        report.add("comment", _("Enter why the application was rejected."))
    if last_step_on is not None and on < last_step_on:
        report.add("on", _("This step cannot be dated before the previous step ({date}).")
                   .format(date=format_date(last_step_on)))
    return report.build()


def apply_step(placement: Placement, action: PlacementAction, on: dt.date, actor: str,
               comment: str, last_step_on: dt.date | None) -> dict[str, object]:
    """The field values a step changes; StepRefused when it cannot be recorded.

    Start, end and return set the actual dates; a rejection needs its reason.
    """
    status = next_status(placement.status, action)
    report = validate_step(action, on, actor, comment, last_step_on)
    if not report.ok:
        raise StepRefused(report.text())
    values: dict[str, object] = {"status": status.value}
    if action is A.START:
        values["actual_start"] = on
    elif action is A.END:
        if placement.actual_start and on < placement.actual_start:
            raise StepRefused(_("The placement cannot end before it started ({date}).").format(
                date=format_date(placement.actual_start)))
        values["actual_end"] = on
    elif action is A.RETURN:
        if placement.actual_end and on < placement.actual_end:
            raise StepRefused(_("The return cannot be before the end of the placement "
                                "({date}).").format(date=format_date(placement.actual_end)))
        values["returned_on"] = on
    return values


@dataclass(frozen=True)
class PlacementContext:
    """What validation needs beyond the draft; None skips a check (e.g. in a JSON import)."""

    teacher_school_id: int | None = None  # the person's school now
    group_school_ids: frozenset[int] | None = None  # schools of the group at the planned start
    person_placements: tuple[Placement, ...] = ()  # the person's other placements in use
    needs_justification: bool = False  # a 原则上 rule is broken


_STATUS_DATES = (  # (field, statuses in which it is set)
    ("actual_start", {S.ACTIVE, S.ENDED, S.RETURNED}),
    ("actual_end", {S.ENDED, S.RETURNED}),
    ("returned_on", {S.RETURNED}),
)


def validate_placement(draft: Placement, ctx: PlacementContext) -> ValidationReport:
    """Input validity: what cannot be recorded at all (rules are only flagged elsewhere)."""
    report = ReportBuilder()
    report.check_lengths(draft, PLACEMENT_LIMITS)
    if draft.teacher_id is None:
        report.add("teacher_id", _("Choose the person on placement."))
    if draft.home_school_id is None:
        report.add("home_school_id", _("Choose the person's home school."))
    elif (draft.teacher_id is not None and ctx.teacher_school_id is not None
          and ctx.teacher_school_id != draft.home_school_id):
        report.add("teacher_id", _("This person is not a teacher of the home school."))
    if draft.host_school_id is None:
        report.add("host_school_id", _("Choose the host school."))
    elif draft.host_school_id == draft.home_school_id:
        report.add("host_school_id", _("The host school must differ from the home school."))
    elif ctx.group_school_ids is not None and draft.host_school_id not in ctx.group_school_ids:
        report.add("host_school_id", _("The host school is not a school of this group on the "
                                       "planned start date."))
    if (draft.home_school_id is not None and ctx.group_school_ids is not None
            and draft.home_school_id not in ctx.group_school_ids):
        report.add("home_school_id", _("The home school is not a school of this group on the "
                                       "planned start date."))
    if not draft.purpose.strip():
        report.add("purpose", _("Describe the purpose of the placement."))
    if draft.planned_end < draft.planned_start:
        report.add("planned_end", _("The planned end lies before the planned start."))
    if draft.planned_start < draft.applied_on:
        report.add("planned_start", _("The placement cannot start before it was applied for."))
    for name, statuses in _STATUS_DATES:
        if getattr(draft, name) is not None and draft.status not in statuses:
            report.add(name, _("This date is recorded by the workflow step; the placement has "
                               "not reached it (“{status}”).").format(
                                   status=draft.status.label()))
        elif getattr(draft, name) is None and draft.status in statuses:
            report.add(name, _("Enter the date: the placement is “{status}”.").format(
                status=draft.status.label()))
    if draft.actual_start and draft.actual_end and draft.actual_end < draft.actual_start:
        report.add("actual_end", _("The actual end lies before the actual start."))
    if draft.actual_end and draft.returned_on and draft.returned_on < draft.actual_end:
        report.add("returned_on", _("The return lies before the end of the placement."))
    clash = clashing_placement(draft, ctx.person_placements)
    if clash is not None:
        report.add("planned_start", clash_message(clash))
    if ctx.needs_justification and not draft.justification.strip():
        report.add("justification", _("A rule that applies “in principle” (原则上) is "
                                      "exceeded: write down why."))
    return report.build()


def clashing_placement(draft: Placement, others: Iterable[Placement]) -> Placement | None:
    """Another placement of the person (drafts included, rejected ones not) that keeps the
    person away on a day of ``draft``: a started one until its return (see ``away_until``)."""
    if draft.status is S.REJECTED:
        return None
    return next((p for p in others if p.id != draft.id and p.status is not S.REJECTED
                 and p.clashes(draft)), None)


def clash_message(clash: Placement) -> str:
    return _("This person already has a placement: {placement}. Placements of one person "
             "cannot overlap; a started placement lasts until the person is back at the "
             "home school.").format(placement=clash.describe())


def start_refusal(placement: Placement, others: Iterable[Placement]) -> str | None:
    """Why the Start step is refused: the person has another placement started and not yet
    ended or returned (or one that overlaps this one); None when it may start."""
    running = next((p for p in others if p.id != placement.id and p.started
                    and p.status is not S.REJECTED and p.returned_on is None), None)
    if running is None:
        return None
    return _("“{action}” is not possible now: the person is still on another placement, "
             "{placement}. Record its end and the return to the home school first.").format(
                 action=A.START.label(), placement=running.describe())


def person_placements(placements: Iterable[Placement], teacher_id: int | None,
                      except_id: int | None) -> tuple[Placement, ...]:
    return tuple(p for p in placements if p.teacher_id == teacher_id and p.id != except_id)
