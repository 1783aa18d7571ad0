"""Tables of the placement records (imported at the end of models.py so Base.metadata has them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jituan_desktop.domain.placements import PLACEMENT_LIMITS, STEP_LIMITS
from jituan_desktop.persistence.models import Base, SoftDelete, TeacherRow, Timestamps


class PlacementRow(Timestamps, SoftDelete, Base):
    """One 跟岗锻炼 / 跟岗学习 application and what became of it."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(PLACEMENT_LIMITS["kind"]))
    home_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    host_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    mentor: Mapped[str] = mapped_column(String(PLACEMENT_LIMITS["mentor"]), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    applied_on: Mapped[dt.date] = mapped_column(Date)
    planned_start: Mapped[dt.date] = mapped_column(Date, index=True)
    planned_end: Mapped[dt.date] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(PLACEMENT_LIMITS["status"]), default="draft")
    ethics_violation_sanctioned: Mapped[bool] = mapped_column(Boolean, default=False)
    refuses_assignment: Mapped[bool] = mapped_column(Boolean, default=False)
    frequent_sick_leave_cannot_full_load: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[str] = mapped_column(String(PLACEMENT_LIMITS["flags"]), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    # read-only, for labels (the recycle bin); writes go through teacher_id
    teacher: Mapped[TeacherRow] = relationship(viewonly=True)

    __table_args__ = (Index("ix_placements_group_status", "group_id", "status"),)


class PlacementStepRow(Timestamps, Base):
    """A recorded step of the approval chain; steps are facts and are never edited."""

    __tablename__ = "placement_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    action: Mapped[str] = mapped_column(String(STEP_LIMITS["action"]))
    status: Mapped[str] = mapped_column(String(STEP_LIMITS["status"]))
    on: Mapped[dt.date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(STEP_LIMITS["actor"]))
    comment: Mapped[str] = mapped_column(Text, default="")
