"""SQLAlchemy 2 models.

Portable SQL only (SQLite by default, PostgreSQL later): no SQLite-only types, booleans and
dates as SQLAlchemy types, amounts and scores as integers. Records people maintain are never
hard-deleted: ``deleted_at`` moves them to the recycle bin. ``audit_log`` is append-only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from jituan_desktop.domain.charter import (
    GROUP_LIMITS,
    LEADER_LIMITS,
    MEMBERSHIP_LIMITS,
    PLAN_LIMITS,
    SECTION_LIMITS,
)
from jituan_desktop.domain.schools import MAX_SUBJECT, SCHOOL_LIMITS, TEACHER_LIMITS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SoftDelete:
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None, index=True)


class SchoolRow(Timestamps, SoftDelete, Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SCHOOL_LIMITS["name"]))
    short_name: Mapped[str] = mapped_column(String(SCHOOL_LIMITS["short_name"]), default="")
    credit_code: Mapped[str] = mapped_column(String(SCHOOL_LIMITS["credit_code"]), default="")
    address: Mapped[str] = mapped_column(String(SCHOOL_LIMITS["address"]), default="")
    legal_representative: Mapped[str] = mapped_column(
        String(SCHOOL_LIMITS["legal_representative"]), default="")
    stage: Mapped[str] = mapped_column(String(SCHOOL_LIMITS["stage"]))
    is_rural: Mapped[bool] = mapped_column(Boolean, default=False)
    is_small_rural: Mapped[bool] = mapped_column(Boolean, default=False)
    is_quality: Mapped[bool] = mapped_column(Boolean, default=False)
    is_weak: Mapped[bool] = mapped_column(Boolean, default=False)
    is_new: Mapped[bool] = mapped_column(Boolean, default=False)
    is_former_ethnic_language: Mapped[bool] = mapped_column(Boolean, default=False)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    is_general_high_school: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class TeacherRow(Timestamps, SoftDelete, Base):
    __tablename__ = "teachers"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(TEACHER_LIMITS["name"]), index=True)
    gender: Mapped[str] = mapped_column(String(TEACHER_LIMITS["gender"]), default="")
    staff_no: Mapped[str] = mapped_column(String(TEACHER_LIMITS["staff_no"]), default="")
    title: Mapped[str] = mapped_column(String(TEACHER_LIMITS["title"]))
    cadre_rank: Mapped[str] = mapped_column(String(TEACHER_LIMITS["cadre_rank"]))
    position: Mapped[str] = mapped_column(String(TEACHER_LIMITS["position"]), default="")
    is_backbone: Mapped[bool] = mapped_column(Boolean, default=False)
    backbone_level: Mapped[str] = mapped_column(String(TEACHER_LIMITS["backbone_level"]),
                                                default="")
    rotation_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    hired_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    subjects: Mapped[list[TeacherSubjectRow]] = relationship(
        cascade="all, delete-orphan", order_by="TeacherSubjectRow.position",
        lazy="selectin")


class TeacherSubjectRow(Base):
    """A teacher's subjects, one row each, so later features can query by subject."""

    __tablename__ = "teacher_subjects"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"),
                                            primary_key=True)
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_teacher_subjects_subject", "subject"),)


class GroupRow(Timestamps, SoftDelete, Base):
    __tablename__ = "edu_groups"  # "group" is an SQL keyword

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_LIMITS["name"]))
    short_name: Mapped[str] = mapped_column(String(GROUP_LIMITS["short_name"]), default="")
    region: Mapped[str] = mapped_column(String(GROUP_LIMITS["region"]), default="")
    profile_id: Mapped[str] = mapped_column(String(GROUP_LIMITS["profile_id"]))
    model_label: Mapped[str] = mapped_column(String(GROUP_LIMITS["model_label"]))
    model_canonical: Mapped[str] = mapped_column(String(GROUP_LIMITS["model_canonical"]),
                                                 default="")
    legal_structure: Mapped[str] = mapped_column(String(GROUP_LIMITS["legal_structure"]))
    stage_type: Mapped[str] = mapped_column(String(GROUP_LIMITS["stage_type"]))
    zone: Mapped[str] = mapped_column(String(GROUP_LIMITS["zone"]), default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class MembershipRow(Timestamps, SoftDelete, Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    role: Mapped[str] = mapped_column(String(MEMBERSHIP_LIMITS["role"]))
    role_label: Mapped[str] = mapped_column(String(MEMBERSHIP_LIMITS["role_label"]), default="")
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    join_note: Mapped[str] = mapped_column(Text, default="")
    leave_reason: Mapped[str] = mapped_column(Text, default="")
    leave_evidence: Mapped[str] = mapped_column(Text, default="")

    # read-only, for labels (the recycle bin); writes go through school_id
    school: Mapped[SchoolRow] = relationship(viewonly=True)


class LeaderRow(Timestamps, SoftDelete, Base):
    __tablename__ = "leaders"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    role: Mapped[str] = mapped_column(String(LEADER_LIMITS["role"]))
    person_name: Mapped[str] = mapped_column(String(LEADER_LIMITS["person_name"]))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    position: Mapped[str] = mapped_column(String(LEADER_LIMITS["position"]), default="")
    duty: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class CharterSectionRow(Timestamps, SoftDelete, Base):
    __tablename__ = "charter_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(SECTION_LIMITS["kind"]))
    title: Mapped[str] = mapped_column(String(SECTION_LIMITS["title"]))
    body: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class PlanRow(Timestamps, SoftDelete, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(PLAN_LIMITS["kind"]))
    start_year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(PLAN_LIMITS["title"]))
    body: Mapped[str] = mapped_column(Text, default="")


class SemesterRow(Base):
    """The school calendar: one row per (school year, term), shared by all groups."""

    __tablename__ = "semesters"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer)
    term: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("school_year", "term", name="uq_semesters_year_term"),)


class AuditRow(Base):
    """Append-only history: who changed what, when. SQLite triggers refuse UPDATE/DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


# The tables of each activity kind live in modules of their own; importing them here puts
# them into Base.metadata wherever the models are used (alembic, tests, the dataset).
from jituan_desktop.persistence import (  # noqa: E402, F401, I001
    course_models,
    research_models,
    placement_models,
    rotation_models,
    agreement_models,
)
