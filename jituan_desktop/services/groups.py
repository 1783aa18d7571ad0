"""Groups and their membership history."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select

from jituan_desktop.domain.charter import (
    Group,
    Membership,
    MembershipContext,
    validate_group,
    validate_membership,
)
from jituan_desktop.domain.enums import LegalStructure, SchoolRole, SectionKind, StageType
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_date
from jituan_desktop.persistence.models import (
    CharterSectionRow,
    GroupRow,
    MembershipRow,
    SchoolRow,
)
from jituan_desktop.services.base import Changes, Database, NotFound, diff

GROUP_FIELDS = [f.name for f in dataclasses.fields(Group) if f.name != "id"]
MEMBERSHIP_FIELDS = [f.name for f in dataclasses.fields(Membership)
                     if f.name not in ("id", "school_name", "group_name")]
STANDARD_SECTIONS = (SectionKind.RULES_OF_PROCEDURE, SectionKind.DECISION_PROCEDURE,
                     SectionKind.COORDINATION, SectionKind.POWERS_LIST)


def to_group(row: GroupRow) -> Group:
    values = {k: getattr(row, k) for k in GROUP_FIELDS}
    values["legal_structure"] = LegalStructure(row.legal_structure)
    values["stage_type"] = StageType(row.stage_type)
    return Group(id=row.id, **values)


def to_membership(row: MembershipRow, school_name: str = "", group_name: str = "") -> Membership:
    values = {k: getattr(row, k) for k in MEMBERSHIP_FIELDS}
    values["role"] = SchoolRole(row.role)
    return Membership(id=row.id, school_name=school_name, group_name=group_name, **values)


class GroupService:
    def __init__(self, db: Database, profiles: Mapping[str, PolicyProfile]) -> None:
        self.db = db
        self.profiles = profiles

    # ---- groups ------------------------------------------------------------------------

    def list(self) -> list[Group]:
        with self.db.reading() as s:
            rows = s.scalars(select(GroupRow).where(GroupRow.deleted_at.is_(None))
                             .order_by(GroupRow.name))
            return [to_group(r) for r in rows]

    def get(self, group_id: int) -> Group:
        with self.db.reading() as s:
            row = s.get(GroupRow, group_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(group_id)
            return to_group(row)

    def profile_of(self, group: Group) -> PolicyProfile | None:
        return self.profiles.get(group.profile_id)

    def validate_group(self, draft: Group) -> ValidationReport:
        profile = self.profiles.get(draft.profile_id)
        with self.db.reading() as s:
            names = set(s.scalars(select(GroupRow.name).where(
                GroupRow.deleted_at.is_(None), GroupRow.id != (draft.id or -1))))
        labels = [m.local_label for m in profile.models] if profile else []
        report = validate_group(draft, names, labels)
        if draft.profile_id and profile is None:
            report = ValidationReport(dict(report) | {"profile_id": _(
                "The policy profile {id} is not installed.").format(id=draft.profile_id)})
        return report

    def save_group(self, draft: Group) -> tuple[Group, Changes]:
        report = self.validate_group(draft)
        if not report.ok:
            raise ValidationError(report)
        profile = self.profiles[draft.profile_id]
        model = profile.model(draft.model_label)
        draft = dataclasses.replace(
            draft, name=draft.name.strip(),
            model_canonical=model.canonical if model else draft.model_canonical)
        values = {k: getattr(draft, k) for k in GROUP_FIELDS}
        values["legal_structure"] = draft.legal_structure.value
        values["stage_type"] = draft.stage_type.value
        with self.db.unit_of_work() as s:
            if draft.id is None:
                row = GroupRow(**values)
                s.add(row)
                s.flush()
                for order, kind in enumerate(STANDARD_SECTIONS):
                    s.add(CharterSectionRow(group_id=row.id, kind=kind.value, title=kind.label(),
                                            body="", sort_order=order))
                self.db.audit(s, "create", "group", row.id,
                              _("Created group {name}").format(name=row.name),
                              group_id=row.id, details=values)
            else:
                row = s.get(GroupRow, draft.id)
                if row is None or row.deleted_at is not None:
                    raise NotFound(draft.id)
                before = {k: getattr(row, k) for k in values}
                for key, value in values.items():
                    setattr(row, key, value)
                self.db.audit(s, "update", "group", row.id,
                              _("Changed the charter of {name}").format(name=row.name),
                              group_id=row.id, details=diff(before, values))
            return to_group(row), Changes.of("group", "charter_section", ids=[row.id])

    # ---- membership history --------------------------------------------------------------

    def memberships(self, group_id: int) -> list[Membership]:
        """Every period of every school in the group, current and past, core first."""
        with self.db.reading() as s:
            rows = s.execute(
                select(MembershipRow, SchoolRow.name)
                .join(SchoolRow, SchoolRow.id == MembershipRow.school_id)
                .where(MembershipRow.group_id == group_id, MembershipRow.deleted_at.is_(None))
            ).all()
        periods = [to_membership(m, name) for m, name in rows]
        return sorted(periods, key=lambda m: (m.role is not SchoolRole.CORE, m.left_on is not None,
                                              m.joined_on, m.school_name))

    def members_on(self, group_id: int, day: dt.date) -> list[Membership]:
        return [m for m in self.memberships(group_id) if m.active_on(day)]

    def membership_context(self, draft: Membership) -> MembershipContext:
        group = self.get(draft.group_id) if draft.group_id else None
        profile = self.profiles.get(group.profile_id) if group else None
        with self.db.reading() as s:
            others = s.execute(
                select(MembershipRow, SchoolRow.name, GroupRow.name)
                .join(SchoolRow, SchoolRow.id == MembershipRow.school_id)
                .join(GroupRow, GroupRow.id == MembershipRow.group_id)
                .where(MembershipRow.deleted_at.is_(None), GroupRow.deleted_at.is_(None),
                       (MembershipRow.group_id == draft.group_id)
                       | (MembershipRow.school_id == draft.school_id))).all()
        in_group = tuple(to_membership(m, sn, gn) for m, sn, gn in others
                         if m.group_id == draft.group_id)
        elsewhere = tuple(to_membership(m, sn, gn) for m, sn, gn in others
                          if m.group_id != draft.group_id)
        return MembershipContext(
            in_group, elsewhere,
            exclusive_membership=bool(profile and profile.exclusive_membership),
            exclusive_rule=profile.exclusive_membership_ref if profile else "")

    def validate_membership(self, draft: Membership) -> ValidationReport:
        return validate_membership(draft, self.membership_context(draft))

    def save_membership(self, draft: Membership) -> tuple[Membership, Changes]:
        report = self.validate_membership(draft)
        if not report.ok:
            raise ValidationError(report)
        values = {k: getattr(draft, k) for k in MEMBERSHIP_FIELDS}
        values["role"] = draft.role.value
        with self.db.unit_of_work() as s:
            school = s.get(SchoolRow, draft.school_id)
            if school is None or school.deleted_at is not None:
                raise NotFound(draft.school_id)
            if draft.id is None:
                row = MembershipRow(**values)
                s.add(row)
                s.flush()
                summary = _("{school} joined the group on {date} as {role}").format(
                    school=school.name, date=format_date(draft.joined_on),
                    role=draft.role_label or draft.role.label())
                action, details = "create", values
            else:
                row = s.get(MembershipRow, draft.id)
                if row is None or row.deleted_at is not None:
                    raise NotFound(draft.id)
                before = {k: getattr(row, k) for k in values}
                for key, value in values.items():
                    setattr(row, key, value)
                action, details = "update", diff(before, values)
                if draft.left_on and before["left_on"] != draft.left_on:
                    summary = _("{school} left the group on {date}: {reason}").format(
                        school=school.name, date=format_date(draft.left_on),
                        reason=draft.leave_reason)
                else:
                    summary = _("Changed the membership of {school}").format(school=school.name)
            self.db.audit(s, action, "membership", row.id, summary, group_id=draft.group_id,
                          details=details)
            return to_membership(row, school.name), Changes.of("membership", ids=[row.id])
