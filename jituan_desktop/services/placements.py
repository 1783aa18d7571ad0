"""Follow-along placements: list, save with rule findings, workflow steps, history.

Every write is one transaction. A save runs the input validation (``validate_placement``) and
the group profile's rules (``domain/rules/placements.py``); broken rules never block the save,
they are stored as ``flags`` and written with any justification into the history. A workflow
step goes through the state machine of ``domain/placements.py``, which refuses steps out of
order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from jituan_desktop.domain.enums import CadreRank, SchoolRole
from jituan_desktop.domain.placements import (
    Placement,
    PlacementAction,
    PlacementContext,
    PlacementKind,
    PlacementStatus,
    PlacementStep,
    StepRefused,
    apply_step,
    next_status,
    start_refusal,
    validate_placement,
)
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.rules import Finding, broken, evaluate
from jituan_desktop.domain.rules.placements import SCOPE, PlacementFacts, approving_section
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_date
from jituan_desktop.persistence.models import GroupRow, MembershipRow, SchoolRow, TeacherRow
from jituan_desktop.persistence.placement_models import PlacementRow, PlacementStepRow
from jituan_desktop.services.base import Changes, Database, NotFound, diff

FIELDS = ("group_id", "teacher_id", "kind", "home_school_id", "host_school_id", "mentor",
          "purpose", "applied_on", "planned_start", "planned_end", "actual_start", "actual_end",
          "returned_on", "status", "ethics_violation_sanctioned", "refuses_assignment",
          "frequent_sick_leave_cannot_full_load", "justification", "flags", "notes")
_KINDS = {m.value: m for m in PlacementKind}
_STATUSES = {m.value: m for m in PlacementStatus}
_RANKS = {m.value: m for m in CadreRank}


def placement_values(p: Placement) -> dict[str, Any]:
    values = {name: getattr(p, name) for name in FIELDS}
    values["kind"] = p.kind.value
    values["status"] = p.status.value
    for name in ("mentor", "purpose", "justification", "notes"):
        values[name] = values[name].strip()
    return values


def to_placement(row: Any, person: str = "", rank: str = "none", home: str = "",
                 host: str = "") -> Placement:
    """A placement from a row (ORM or Core, or a JSON import's namespace)."""
    values = {name: getattr(row, name) for name in FIELDS}
    values["kind"] = _KINDS[values["kind"]]
    values["status"] = _STATUSES[values["status"]]
    return Placement(id=row.id, person_name=person, person_rank=_RANKS.get(rank, CadreRank.NONE),
                     home_school_name=home, host_school_name=host, **values)


def _from_row(row: Any) -> Placement:
    """A placement from a row of ``PlacementService._query`` (tuple access: getattr on a
    result row costs more than all the rest)."""
    values = tuple(row)
    n = len(FIELDS)
    fields = dict(zip(FIELDS, values[1:n + 1], strict=True))
    fields["kind"] = _KINDS[fields["kind"]]
    fields["status"] = _STATUSES[fields["status"]]
    person, rank, home, host = values[n + 1:]
    return Placement(id=values[0], person_name=person, person_rank=_RANKS.get(rank, CadreRank.NONE),
                     home_school_name=home, host_school_name=host, **fields)


def to_step(row: Any) -> PlacementStep:
    return PlacementStep(row.id, row.placement_id, PlacementAction(row.action),
                         PlacementStatus(row.status), row.on, row.actor, row.comment, row.seq)


def flags_text(findings: Sequence[Finding]) -> str:
    """``"HY-02 HY-03"``: the broken rules, each once, in profile order."""
    return " ".join(dict.fromkeys(f.rule_id for f in broken(findings)))


class PlacementService:
    def __init__(self, db: Database, profiles: Mapping[str, PolicyProfile]) -> None:
        self.db = db
        self.profiles = profiles

    # ---- reading -------------------------------------------------------------------------

    def _query(self) -> Any:
        # plain columns, no ORM objects: 30,000 placements load in a fraction of a second
        home, host = aliased(SchoolRow), aliased(SchoolRow)
        table = PlacementRow.__table__.c
        return (select(table.id, *(table[name] for name in FIELDS),
                       TeacherRow.name.label("person_"), TeacherRow.cadre_rank.label("rank_"),
                       home.name.label("home_"), host.name.label("host_"))
                .join(TeacherRow, TeacherRow.id == PlacementRow.teacher_id)
                .join(home, home.id == PlacementRow.home_school_id)
                .join(host, host.id == PlacementRow.host_school_id)
                .where(PlacementRow.deleted_at.is_(None)))

    def list(self, group_id: int | None) -> list[Placement]:
        """The group's placements in use, newest planned start first."""
        query = (self._query().where(PlacementRow.group_id == group_id)
                 .order_by(PlacementRow.planned_start.desc(), PlacementRow.id.desc()))
        with self.db.reading() as s:
            return [_from_row(row) for row in s.execute(query)]

    def get(self, placement_id: int) -> Placement:
        with self.db.reading() as s:
            found = s.execute(self._query().where(PlacementRow.id == placement_id)).first()
        if found is None:
            raise NotFound(placement_id)
        return _from_row(found)

    def steps(self, placement_id: int) -> list[PlacementStep]:
        with self.db.reading() as s:
            rows = s.scalars(select(PlacementStepRow)
                             .where(PlacementStepRow.placement_id == placement_id)
                             .order_by(PlacementStepRow.seq, PlacementStepRow.id))
            return [to_step(r) for r in rows]

    def profile_of(self, group_id: int | None) -> PolicyProfile | None:
        with self.db.reading() as s:
            group = s.get(GroupRow, group_id) if group_id is not None else None
            return self.profiles.get(group.profile_id) if group else None

    def reviewer(self, group_id: int | None) -> str:
        """Who reviews by the group's profile (HY-06), e.g. 基教股; "" when it names none."""
        profile = self.profile_of(group_id)
        rule = profile.rule("placement.approval_chain") if profile else None
        return str(rule.params.get("reviewer", "")) if rule else ""

    def approver(self, group_id: int | None, rank: CadreRank) -> str:
        """Who approves this person's placement (HY-07: 干部股 for cadres, 人事股 else)."""
        profile = self.profile_of(group_id)
        return approving_section(profile.rule("placement.supervisor") if profile else None, rank)

    # ---- checking ------------------------------------------------------------------------

    def _placements(self, s: Session, where: Any) -> list[Placement]:
        return [_from_row(row) for row in s.execute(self._query().where(where))]

    def _facts(self, s: Session, draft: Placement,
               today: dt.date | None) -> tuple[PlacementContext, PlacementFacts, str]:
        teacher = s.get(TeacherRow, draft.teacher_id) if draft.teacher_id is not None else None
        if teacher is not None and teacher.deleted_at is not None:
            teacher = None
        periods = s.scalars(select(MembershipRow).join(
            SchoolRow, SchoolRow.id == MembershipRow.school_id).where(
            MembershipRow.group_id == draft.group_id, MembershipRow.deleted_at.is_(None),
            SchoolRow.deleted_at.is_(None), MembershipRow.joined_on <= draft.planned_start,
            (MembershipRow.left_on.is_(None)) | (MembershipRow.left_on >= draft.planned_start)))
        roles = {m.school_id: m.role for m in periods}
        group = s.get(GroupRow, draft.group_id) if draft.group_id is not None else None
        mine = self._placements(s, PlacementRow.teacher_id == draft.teacher_id)
        # only those overlapping this one: a group may hold tens of thousands of placements
        # (a started placement without an actual end runs until it ends: see running_until)
        others = self._placements(s, (PlacementRow.group_id == draft.group_id) & (
            func.coalesce(PlacementRow.actual_start, PlacementRow.planned_start)
            <= draft.running_until) & (
            (func.coalesce(PlacementRow.actual_end, PlacementRow.planned_end) >= draft.start)
            | (PlacementRow.actual_start.is_not(None) & PlacementRow.actual_end.is_(None))))
        rank = _RANKS.get(teacher.cadre_rank, CadreRank.NONE) if teacher else CadreRank.NONE
        facts = PlacementFacts(
            placement=draft, rank=rank,
            home_is_core=roles.get(draft.home_school_id) == SchoolRole.CORE.value,
            host_is_member=roles.get(draft.host_school_id) == SchoolRole.MEMBER.value,
            others=tuple(p for p in others if p.is_live and p.id != draft.id),
            earlier=tuple(p for p in mine if p.is_live and p.id != draft.id),
            today=today or dt.date.today())
        ctx = PlacementContext(
            teacher_school_id=teacher.school_id if teacher else None,
            group_school_ids=frozenset(roles),
            person_placements=tuple(p for p in mine if p.id != draft.id))
        return ctx, facts, group.profile_id if group else ""

    def check(self, draft: Placement, today: dt.date | None = None) -> tuple[
            ValidationReport, list[Finding]]:
        """Input problems (which refuse the save) and rule findings (which never do)."""
        with self.db.reading() as s:
            ctx, facts, profile_id = self._facts(s, draft, today)
        profile = self.profiles.get(profile_id)
        findings = evaluate(profile, SCOPE, facts) if profile else []
        ctx = dataclasses.replace(ctx, needs_justification=any(
            f.needs_justification for f in findings))
        report = validate_placement(draft, ctx)
        if draft.teacher_id is not None and ctx.teacher_school_id is None:
            report = ValidationReport({"teacher_id": _(
                "This person is not in the list of teachers (any more).")} | dict(report))
        return report, findings

    def findings(self, draft: Placement) -> list[Finding]:
        return self.check(draft)[1]

    def validate(self, draft: Placement) -> ValidationReport:
        return self.check(draft)[0]

    def validate_restore(self, placement_id: int) -> ValidationReport:
        """The placement in the recycle bin, checked as if saved again now."""
        with self.db.reading() as s:
            row = s.get(PlacementRow, placement_id)
            if row is None:
                raise NotFound(placement_id)
            draft = to_placement(row)
        return self.validate(draft)

    # ---- writing -------------------------------------------------------------------------

    def save(self, draft: Placement) -> tuple[Placement, Changes]:
        """Insert or update the application; refuses invalid input, records rule flags."""
        report, findings = self.check(draft)
        if not report.ok:
            raise ValidationError(report)
        draft = dataclasses.replace(draft, flags=flags_text(findings))
        values = placement_values(draft)
        with self.db.unit_of_work() as s:
            teacher = s.get(TeacherRow, draft.teacher_id)
            name = teacher.name if teacher else ""
            details: dict[str, Any]
            if draft.id is None:
                row = PlacementRow(**values)
                s.add(row)
                s.flush()
                action, summary = "create", _("Added the placement of {name} ({kind})")
                details = dict(values)
            else:
                row = s.get(PlacementRow, draft.id)
                if row is None or row.deleted_at is not None:
                    raise NotFound(draft.id)
                before = {k: getattr(row, k) for k in values}
                for key, value in values.items():
                    setattr(row, key, value)
                action, summary = "update", _("Changed the placement of {name} ({kind})")
                details = diff(before, values)
            text = summary.format(name=name, kind=draft.kind.label())
            if draft.justification.strip() and "justification" in details:
                text += "\n" + _("Justification: {text}").format(text=draft.justification.strip())
            details["findings"] = [f.explanation() for f in broken(findings)]
            self.db.audit(s, action, "placement", row.id, text, group_id=draft.group_id,
                          details=details)
            placement_id = row.id
        return self.get(placement_id), Changes.of("placement", ids=[placement_id])

    def step(self, placement_id: int, action: PlacementAction, on: dt.date, actor: str,
             comment: str = "", today: dt.date | None = None) -> tuple[Placement, Changes]:
        """Record one workflow step (HY-06 order); StepRefused → ValidationError for the UI."""
        current = self.get(placement_id)
        with self.db.reading() as s:
            last = s.scalar(select(func.max(PlacementStepRow.on))
                            .where(PlacementStepRow.placement_id == placement_id))
        try:
            values = apply_step(current, action, on, actor.strip(), comment, last)
            if action is PlacementAction.START:
                with self.db.reading() as s:
                    mine = self._placements(s, PlacementRow.teacher_id == current.teacher_id)
                refusal = start_refusal(current, mine)
                if refusal:
                    raise StepRefused(refusal)
        except StepRefused as exc:
            raise ValidationError(ValidationReport({"": str(exc)})) from exc
        after = dataclasses.replace(current, **{k: (_STATUSES[v] if k == "status" else v)
                                                for k, v in values.items()})
        report, findings = self.check(after, today)
        if action is PlacementAction.SUBMIT and not report.ok:
            raise ValidationError(report)  # an application must be complete to be submitted
        values["flags"] = flags_text(findings)
        with self.db.unit_of_work() as s:
            row = s.get(PlacementRow, placement_id)
            if row is None or row.deleted_at is not None or row.status != current.status.value:
                raise NotFound(placement_id)  # changed meanwhile in another window
            for key, value in values.items():
                setattr(row, key, value)
            seq = (s.scalar(select(func.max(PlacementStepRow.seq))
                            .where(PlacementStepRow.placement_id == placement_id)) or 0) + 1
            s.add(PlacementStepRow(placement_id=placement_id, seq=seq, action=action.value,
                                   status=values["status"], on=on, actor=actor.strip(),
                                   comment=comment.strip()))
            text = _("{action}: placement of {name}, {on}, by {actor}").format(
                action=action.label(), name=current.person_name, on=format_date(on),
                actor=actor.strip())
            if comment.strip():
                text += "\n" + (_("Reason: {text}") if action is PlacementAction.REJECT
                                else _("Comment: {text}")).format(text=comment.strip())
            self.db.audit(s, "step", "placement", placement_id, text,
                          group_id=current.group_id,
                          details={"action": action.value, "on": on, "actor": actor.strip(),
                                   "comment": comment.strip(), "status": values["status"],
                                   "findings": [f.explanation() for f in broken(findings)]})
        return self.get(placement_id), Changes.of("placement", ids=[placement_id])


# ---- JSON import checks (services/dataset_check.py, third pass) ----------------------------

DOCUMENT_SECTIONS = ("placements", "placement_steps")


def document_placement_reports(rows: Mapping[str, list[tuple[str, Any]]]) -> list[
        tuple[str, ValidationReport]]:
    """The form rules of placements in a dataset document, as ``(position, report)``.

    ``rows``: per section of DOCUMENT_SECTIONS the records as ``(position, namespace)``, the
    deleted ones included. Checked as the program would: dates in order, no overlapping live
    placements of one person, and steps that follow the HY-06 order to the stored status.
    The person's current school is not compared (people move after a placement ends).
    """
    live = [(where, to_placement(row)) for where, row in rows["placements"]
            if row.deleted_at is None]
    steps: dict[int, list[Any]] = {}
    for _where, row in rows["placement_steps"]:
        steps.setdefault(row.placement_id, []).append(row)
    out: list[tuple[str, ValidationReport]] = []
    for where, p in live:
        ctx = PlacementContext(person_placements=tuple(
            other for _w, other in live if other.teacher_id == p.teacher_id and other.id != p.id))
        report = dict(validate_placement(p, ctx))
        report.pop("purpose", None)  # older records may have left it empty
        status = PlacementStatus.DRAFT
        for step in sorted(steps.get(p.id, []), key=lambda r: (r.seq, r.id)):
            try:
                status = next_status(status, PlacementAction(step.action))
            except StepRefused as exc:
                report.setdefault("status", str(exc))
                break
        if status is not p.status:
            report.setdefault("status", _("The recorded workflow steps lead to “{steps}”, "
                                          "not to “{status}”.").format(
                                              steps=status.label(), status=p.status.label()))
        if report:
            out.append((where, ValidationReport(report)))
    return out
