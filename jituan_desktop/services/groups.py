"""Groups and their membership history."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from jituan_desktop.services.base import (
    Changes,
    Database,
    NotFound,
    names_in_use,
    upsert,
)

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


def check_group(draft: Group, other_names: set[str],
                profiles: Mapping[str, PolicyProfile]) -> ValidationReport:
    """``validate_group`` with the model labels of the draft's profile, which must be
    installed. ``other_names``: the names of the other groups in use."""
    profile = profiles.get(draft.profile_id)
    labels = [m.local_label for m in profile.models] if profile else []
    report = validate_group(draft, other_names, labels)
    if draft.profile_id and profile is None:
        report = ValidationReport(dict(report) | {"profile_id": _(
            "The policy profile {id} is not installed.").format(id=draft.profile_id)})
    return report


def context_of(draft: Membership, periods: list[Membership],
               profile: PolicyProfile | None) -> MembershipContext:
    """The context of ``draft`` among ``periods`` (the memberships in use) under the rules of
    the group's profile."""
    return MembershipContext.of(
        draft, periods, exclusive_membership=bool(profile and profile.exclusive_membership),
        exclusive_rule=profile.exclusive_membership_ref if profile else "")


def check_membership(draft: Membership, periods: list[Membership],
                     profile: PolicyProfile | None) -> ValidationReport:
    return validate_membership(draft, context_of(draft, periods, profile))


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
        with self.db.reading() as s:
            names = names_in_use(s, GroupRow, except_id=draft.id)
        return check_group(draft, names, self.profiles)

    def validate_group_restore(self, group_id: int) -> ValidationReport:
        """The group in the recycle bin, checked as if it were saved again now."""
        with self.db.reading() as s:
            row = s.get(GroupRow, group_id)
            if row is None:
                raise NotFound(group_id)
            draft = to_group(row)
        return self.validate_group(draft)

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
            row = upsert(self.db, s, GroupRow, draft.id, values, "group",
                         created=_("Created group {name}"),
                         changed=_("Changed the charter of {name}"),
                         group_id=lambda row: row.id)
            if draft.id is None:
                for order, kind in enumerate(STANDARD_SECTIONS):
                    s.add(CharterSectionRow(group_id=row.id, kind=kind.value, title=kind.label(),
                                            body="", sort_order=order))
            return to_group(row), Changes.of("group", "charter_section", ids=[row.id])

    # ---- membership history --------------------------------------------------------------

    def memberships(self, group_id: int) -> list[Membership]:
        """Every period of every school in the group, current and past, core first.

        Periods of a school in the recycle bin are left out; they return with the school.
        """
        with self.db.reading() as s:
            rows = s.execute(
                select(MembershipRow, SchoolRow.name)
                .join(SchoolRow, SchoolRow.id == MembershipRow.school_id)
                .where(MembershipRow.group_id == group_id, MembershipRow.deleted_at.is_(None),
                       SchoolRow.deleted_at.is_(None))
            ).all()
        periods = [to_membership(m, name) for m, name in rows]
        return sorted(periods, key=lambda m: (m.role is not SchoolRole.CORE, m.left_on is not None,
                                              m.joined_on, m.school_name))

    def members_on(self, group_id: int, day: dt.date) -> list[Membership]:
        return [m for m in self.memberships(group_id) if m.active_on(day)]

    def _periods_in_use(self, s: Session, group_id: int | None,
                        school_id: int | None) -> list[Membership]:
        """The memberships in use (school and group not in the recycle bin) of the group or
        of the school."""
        rows = s.execute(
            select(MembershipRow, SchoolRow.name, GroupRow.name)
            .join(SchoolRow, SchoolRow.id == MembershipRow.school_id)
            .join(GroupRow, GroupRow.id == MembershipRow.group_id)
            .where(MembershipRow.deleted_at.is_(None), GroupRow.deleted_at.is_(None),
                   SchoolRow.deleted_at.is_(None),
                   (MembershipRow.group_id == group_id)
                   | (MembershipRow.school_id == school_id))).all()
        return [to_membership(m, sn, gn) for m, sn, gn in rows]

    def _profile_of_group(self, s: Session, group_id: int | None) -> PolicyProfile | None:
        group = s.get(GroupRow, group_id) if group_id is not None else None
        return self.profiles.get(group.profile_id) if group else None

    def membership_context(self, draft: Membership) -> MembershipContext:
        with self.db.reading() as s:
            periods = self._periods_in_use(s, draft.group_id, draft.school_id)
            profile = self._profile_of_group(s, draft.group_id)
        return context_of(draft, periods, profile)

    def validate_membership(self, draft: Membership) -> ValidationReport:
        return validate_membership(draft, self.membership_context(draft))

    def validate_membership_restore(self, membership_id: int) -> ValidationReport:
        """The membership in the recycle bin, checked against the periods in use now."""
        with self.db.reading() as s:
            row = s.get(MembershipRow, membership_id)
            if row is None:
                raise NotFound(membership_id)
            draft = to_membership(row, row.school.name)
        return self.validate_membership(draft)

    def validate_school_restore(self, school_id: int) -> ValidationReport:
        """Whether the periods of a school in the recycle bin fit the groups as they are now
        (while it was deleted, another school may have become core)."""
        with self.db.reading() as s:
            rows = s.execute(
                select(MembershipRow, SchoolRow.name)
                .join(SchoolRow, SchoolRow.id == MembershipRow.school_id)
                .join(GroupRow, GroupRow.id == MembershipRow.group_id)
                .where(MembershipRow.school_id == school_id,
                       MembershipRow.deleted_at.is_(None), GroupRow.deleted_at.is_(None))).all()
            checks = []
            for row, school_name in rows:
                draft = to_membership(row, school_name)
                checks.append((draft, self._periods_in_use(s, draft.group_id, school_id),
                               self._profile_of_group(s, draft.group_id)))
        for draft, periods, profile in checks:
            report = check_membership(draft, periods, profile)
            if not report.ok:
                return report
        return ValidationReport()

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
            group = s.get(GroupRow, draft.group_id)
            if group is None or group.deleted_at is not None:
                raise NotFound(draft.group_id)

            def joined(_row: MembershipRow, _before: object) -> str:
                return _("{school} joined the group on {date} as {role}").format(
                    school=school.name, date=format_date(draft.joined_on),
                    role=draft.role_label or draft.role.label())

            def changed(_row: MembershipRow, before: dict[str, object] | None) -> str:
                if draft.left_on and before and before["left_on"] != draft.left_on:
                    return _("{school} left the group on {date}: {reason}").format(
                        school=school.name, date=format_date(draft.left_on),
                        reason=draft.leave_reason)
                return _("Changed the membership of {school}").format(school=school.name)

            row = upsert(self.db, s, MembershipRow, draft.id, values, "membership",
                         created=joined, changed=changed, group_id=draft.group_id)
            return to_membership(row, school.name), Changes.of("membership", ids=[row.id])
