"""Soft deletion and restore for every record kind people maintain, plus the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import N_, _, format_date
from jituan_desktop.persistence.agreement_models import AgreementRow, SigningIdentityRow
from jituan_desktop.persistence.course_models import SharedCourseRow
from jituan_desktop.persistence.models import (
    AuditRow,
    CharterSectionRow,
    GroupRow,
    LeaderRow,
    MembershipRow,
    PlanRow,
    SchoolRow,
    TeacherRow,
    utcnow,
)
from jituan_desktop.persistence.placement_models import PlacementRow
from jituan_desktop.persistence.research_models import ResearchSessionRow
from jituan_desktop.persistence.rotation_models import RotationRow
from jituan_desktop.services.base import Changes, Database, NotFound, local_time, names_in_use
from jituan_desktop.services.rotations import describe_rotation


@dataclass(frozen=True)
class Kind:
    row: type[Any]
    label: str  # N_() source label of the record kind
    describe: Callable[[Any], str]
    group_of: Callable[[Any], int | None] = lambda row: getattr(row, "group_id", None)


def describe_membership(row: MembershipRow) -> str:
    """``阿拉善左旗第一实验小学（核心校），2024年9月1日加入``."""
    return _("{school} ({role}), joined on {date}").format(
        school=row.school.name, role=row.role_label or SchoolRole(row.role).label(),
        date=format_date(row.joined_on))


# Checks a record in the recycle bin (by id) as if it were saved again now, against the records
# in use; restore refuses a record whose report is not ok.
RestoreValidator = Callable[[int], ValidationReport]


def all_of(*validators: RestoreValidator) -> RestoreValidator:
    """One validator from several: the first message per field wins."""

    def validate(record_id: int) -> ValidationReport:
        errors: dict[str, str] = {}
        for validator in validators:
            for field_name, message in validator(record_id).items():
                errors.setdefault(field_name, message)
        return ValidationReport(errors)

    return validate


KINDS: dict[str, Kind] = {
    "school": Kind(SchoolRow, N_("School"), lambda r: r.name, lambda r: None),
    "teacher": Kind(TeacherRow, N_("Teacher"), lambda r: r.name, lambda r: None),
    "group": Kind(GroupRow, N_("Group"), lambda r: r.name, lambda r: r.id),
    "membership": Kind(MembershipRow, N_("Membership"), describe_membership),
    "leader": Kind(LeaderRow, N_("Leadership member"), lambda r: r.person_name),
    "charter_section": Kind(CharterSectionRow, N_("Charter section"), lambda r: r.title),
    "plan": Kind(PlanRow, N_("Plan"), lambda r: r.title),
    "agreement": Kind(AgreementRow, N_("Cooperation agreement"),
                      lambda r: f"{r.number} {r.title}"),
    "signing_identity": Kind(SigningIdentityRow, N_("Signing identity"),
                             lambda r: f"{r.label} ({r.subject})", lambda r: None),
    "placement": Kind(PlacementRow, N_("Follow-along placement"),
                       lambda r: f"{r.teacher.name} {r.planned_start.isoformat()}"),
    "course": Kind(SharedCourseRow, N_("Shared course"), lambda r: r.title),
    "research_session": Kind(ResearchSessionRow, N_("Joint research session"),
                             lambda r: f"{format_date(r.held_on)} {r.subject} {r.topic}".strip()),
    "rotation": Kind(RotationRow, N_("Teacher rotation"), describe_rotation),
}


@dataclass(frozen=True)
class DeletedItem:
    entity: str
    id: int
    kind_label: str
    label: str
    deleted_at: dt.datetime


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    group_id: int | None
    summary: str
    details: dict[str, Any] | None

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.entity)
        label = kind.label if kind else OTHER_KIND_LABELS.get(self.entity)
        return _(label) if label else self.entity


# kinds of history entries that are not records in the recycle bin
OTHER_KIND_LABELS = {"dataset": N_("All data"), "semester": N_("Semester"),
                     "rotation_eligible": N_("Rotation-eligible teachers")}

ACTION_LABELS = {
    "create": N_("Added"),
    "update": N_("Changed"),
    "delete": N_("Moved to recycle bin"),
    "restore": N_("Restored"),
    "import": N_("Imported"),
    "step": N_("Workflow step"),
    "export": N_("Exported"),
}
"""Every action the services write with ``db.audit`` (grep ``audit(`` in services/)."""


class RecycleBinService:
    def __init__(self, db: Database, validators: Mapping[str, RestoreValidator]) -> None:
        """``validators``: per record kind, how to check a deleted record before restoring it
        (every kind of KINDS has one)."""
        missing = set(KINDS) - set(validators)
        if missing:
            raise ValueError(f"no restore validator for {sorted(missing)}")
        self.db = db
        self.validators = validators

    def delete(self, entity: str, record_id: int) -> Changes:
        kind = KINDS[entity]
        with self.db.unit_of_work() as s:
            row = s.get(kind.row, record_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(record_id)
            row.deleted_at = utcnow()
            self.db.audit(s, "delete", entity, record_id,
                          _("Moved {kind} “{name}” to the recycle bin").format(
                              kind=_(kind.label), name=kind.describe(row)),
                          group_id=kind.group_of(row))
        return Changes.of(entity, "recycle_bin", ids=[record_id])

    def restore(self, entity: str, record_id: int) -> Changes:
        """Bring a record back, unless it no longer fits the records in use (ValidationError:
        a name taken meanwhile, a second core school, a second standard section, …)."""
        kind = KINDS[entity]
        with self.db.reading() as s:
            row = s.get(kind.row, record_id)
            if row is None or row.deleted_at is None:
                raise NotFound(record_id)
            name = kind.describe(row)
            if entity in ("school", "group") and row.name in names_in_use(
                    s, kind.row, except_id=row.id):
                raise ValidationError(ValidationReport({"name": _(
                    "“{name}” cannot be restored: another {kind} of that name is in use. "
                    "Rename that one first.").format(name=row.name, kind=_(kind.label))}))
        report = self.validators[entity](record_id)
        if not report.ok:
            raise ValidationError(ValidationReport({
                field_name: _("“{name}” cannot be restored: {reason}").format(
                    name=name, reason=message) for field_name, message in report.items()}))
        with self.db.unit_of_work() as s:
            row = s.get(kind.row, record_id)
            if row is None or row.deleted_at is None:
                raise NotFound(record_id)
            row.deleted_at = None
            self.db.audit(s, "restore", entity, record_id,
                          _("Restored {kind} “{name}” from the recycle bin").format(
                              kind=_(kind.label), name=kind.describe(row)),
                          group_id=kind.group_of(row))
        return Changes.of(entity, "recycle_bin", ids=[record_id])

    def list(self) -> list[DeletedItem]:
        items: list[DeletedItem] = []
        with self.db.reading() as s:
            for entity, kind in KINDS.items():
                for row in s.scalars(select(kind.row).where(kind.row.deleted_at.is_not(None))):
                    items.append(DeletedItem(entity, row.id, _(kind.label), kind.describe(row),
                                             local_time(row.deleted_at)))
        return sorted(items, key=lambda item: item.deleted_at, reverse=True)

    def history(self, *, entity: str | None = None, entity_id: int | None = None,
                group_id: int | None = None, limit: int = 5000) -> list[HistoryEntry]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditRow.entity_id == entity_id)
        if group_id is not None:
            query = query.where(AuditRow.group_id == group_id)
        with self.db.reading() as s:
            return [HistoryEntry(r.id, local_time(r.at), r.actor, r.action, r.entity, r.entity_id,
                                 r.group_id, r.summary, r.details) for r in s.scalars(query)]
