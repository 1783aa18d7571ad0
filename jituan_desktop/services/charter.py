"""The charter's leadership group, sections and plans."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select

from jituan_desktop.domain.charter import (
    CharterSection,
    Leader,
    Plan,
    validate_leader,
    validate_plan,
    validate_section,
)
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SectionKind
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import CharterSectionRow, LeaderRow, PlanRow, SchoolRow
from jituan_desktop.services.base import Changes, Database, NotFound, upsert

LEADER_FIELDS = [f.name for f in dataclasses.fields(Leader) if f.name not in ("id", "school_name")]
SECTION_FIELDS = [f.name for f in dataclasses.fields(CharterSection) if f.name != "id"]
PLAN_FIELDS = [f.name for f in dataclasses.fields(Plan) if f.name != "id"]
LEADER_ORDER = {role: i for i, role in enumerate(LeaderRole)}
T = TypeVar("T")


def to_leader(row: LeaderRow, school_name: str = "") -> Leader:
    return Leader(id=row.id, school_name=school_name, **{
        **{k: getattr(row, k) for k in LEADER_FIELDS}, "role": LeaderRole(row.role)})


def to_section(row: CharterSectionRow) -> CharterSection:
    return CharterSection(id=row.id, **{**{k: getattr(row, k) for k in SECTION_FIELDS},
                                        "kind": SectionKind(row.kind)})


def to_plan(row: PlanRow) -> Plan:
    return Plan(id=row.id, **{**{k: getattr(row, k) for k in PLAN_FIELDS},
                              "kind": PlanKind(row.kind)})


def _values(record: object, fields: list[str]) -> dict[str, object]:
    values = {k: getattr(record, k) for k in fields}
    return {k: v.value if isinstance(v, LeaderRole | SectionKind | PlanKind) else v
            for k, v in values.items()}


class CharterService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- leadership group (领导小组) ---------------------------------------------------------

    def leaders(self, group_id: int) -> list[Leader]:
        with self.db.reading() as s:
            rows = s.execute(
                select(LeaderRow, SchoolRow.name)
                .outerjoin(SchoolRow, SchoolRow.id == LeaderRow.school_id)
                .where(LeaderRow.group_id == group_id, LeaderRow.deleted_at.is_(None))).all()
        leaders = [to_leader(r, name or "") for r, name in rows]
        return sorted(leaders, key=lambda x: (LEADER_ORDER[x.role], x.sort_order, x.id or 0))

    def validate_leader(self, draft: Leader) -> ValidationReport:
        return validate_leader(draft, self.leaders(draft.group_id or -1))

    def validate_leader_restore(self, leader_id: int) -> ValidationReport:
        """The leadership member in the recycle bin, checked as if saved again now."""
        return self.validate_leader(self._deleted(LeaderRow, leader_id, to_leader))

    def save_leader(self, draft: Leader) -> tuple[Leader, Changes]:
        _raise_if_invalid(self.validate_leader(draft))
        draft = dataclasses.replace(draft, person_name=draft.person_name.strip())
        with self.db.unit_of_work() as s:
            row = upsert(self.db, s, LeaderRow, draft.id, _values(draft, LEADER_FIELDS),
                         "leader", created=_("Added {name} to the leadership group"),
                         changed=_("Changed leadership group member {name}"),
                         group_id=draft.group_id)
        return dataclasses.replace(draft, id=row.id), Changes.of("leader", ids=[row.id])

    # ---- charter sections (议事规则, 决策程序, 协调机制, 职权清单, …) ---------------------

    def sections(self, group_id: int) -> list[CharterSection]:
        with self.db.reading() as s:
            rows = s.scalars(select(CharterSectionRow).where(
                CharterSectionRow.group_id == group_id, CharterSectionRow.deleted_at.is_(None))
                .order_by(CharterSectionRow.sort_order, CharterSectionRow.id))
            return [to_section(r) for r in rows]

    def validate_section(self, draft: CharterSection) -> ValidationReport:
        return validate_section(draft, self.sections(draft.group_id or -1))

    def validate_section_restore(self, section_id: int) -> ValidationReport:
        """The section in the recycle bin, checked against the sections in use now."""
        return self.validate_section(self._deleted(CharterSectionRow, section_id, to_section))

    def save_section(self, draft: CharterSection) -> tuple[CharterSection, Changes]:
        _raise_if_invalid(self.validate_section(draft))
        if draft.id is None:
            order = max((x.sort_order for x in self.sections(draft.group_id or -1)), default=-1)
            draft = dataclasses.replace(draft, sort_order=order + 1)
        with self.db.unit_of_work() as s:
            row = upsert(self.db, s, CharterSectionRow, draft.id,
                         _values(draft, SECTION_FIELDS), "charter_section",
                         created=_("Added charter section {name}"),
                         changed=_("Changed charter section {name}"), group_id=draft.group_id)
        return dataclasses.replace(draft, id=row.id), Changes.of("charter_section", ids=[row.id])

    # ---- three-year and annual plans ---------------------------------------------------------

    def plans(self, group_id: int) -> list[Plan]:
        with self.db.reading() as s:
            rows = s.scalars(select(PlanRow).where(
                PlanRow.group_id == group_id, PlanRow.deleted_at.is_(None))
                .order_by(PlanRow.kind.desc(), PlanRow.start_year.desc()))
            return [to_plan(r) for r in rows]

    def validate_plan(self, draft: Plan) -> ValidationReport:
        return validate_plan(draft, self.plans(draft.group_id or -1))

    def validate_plan_restore(self, plan_id: int) -> ValidationReport:
        """The plan in the recycle bin, checked against the plans in use now."""
        return self.validate_plan(self._deleted(PlanRow, plan_id, to_plan))

    def save_plan(self, draft: Plan) -> tuple[Plan, Changes]:
        _raise_if_invalid(self.validate_plan(draft))
        with self.db.unit_of_work() as s:
            row = upsert(self.db, s, PlanRow, draft.id, _values(draft, PLAN_FIELDS), "plan",
                         created=_("Added plan {name}"), changed=_("Changed plan {name}"),
                         group_id=draft.group_id)
        return dataclasses.replace(draft, id=row.id), Changes.of("plan", ids=[row.id])


    def _deleted(self, row_cls: type[Any], record_id: int, convert: Callable[[Any], T]) -> T:
        """A record as a draft, whether or not it is in the recycle bin."""
        with self.db.reading() as s:
            row = s.get(row_cls, record_id)
            if row is None:
                raise NotFound(record_id)
            return convert(row)


def _raise_if_invalid(report: ValidationReport) -> None:
    if not report.ok:
        raise ValidationError(report)
