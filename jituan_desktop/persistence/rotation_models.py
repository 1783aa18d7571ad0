"""Tables of the rotation records (imported at the end of models.py so Base.metadata has them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jituan_desktop.domain.rotations import ELIGIBLE_LIMITS, ROTATION_LIMITS
from jituan_desktop.persistence.models import Base, SchoolRow, SoftDelete, TeacherRow, Timestamps


class RotationRow(Timestamps, SoftDelete, Base):
    """One teacher posted from the sending school to another school of the group."""

    __tablename__ = "rotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    from_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    to_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    form: Mapped[str] = mapped_column(String(ROTATION_LIMITS["form"]), index=True)
    start_on: Mapped[dt.date] = mapped_column(Date, index=True)
    planned_end: Mapped[dt.date] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    is_backbone: Mapped[bool] = mapped_column(Boolean, default=False)
    team_name: Mapped[str] = mapped_column(String(ROTATION_LIMITS["team_name"]), default="")
    appraisal: Mapped[str] = mapped_column(String(ROTATION_LIMITS["appraisal"]), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    # read-only, for labels (the recycle bin); writes go through the ids
    teacher: Mapped[TeacherRow] = relationship(viewonly=True)
    from_school: Mapped[SchoolRow] = relationship(viewonly=True, foreign_keys=[from_school_id])
    to_school: Mapped[SchoolRow] = relationship(viewonly=True, foreign_keys=[to_school_id])


class RotationEligibleRow(Timestamps, Base):
    """The rotation-eligible teachers of a school in a school year, as the group counts them
    (the denominator of ALX-11 / SZ-01). ``eligible`` NULL: use the teacher list. Never
    deleted: going back to the teacher list sets NULL, so the history stays complete."""

    __tablename__ = "rotation_eligible_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    school_year: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(ELIGIBLE_LIMITS["note"]), default="")

    __table_args__ = (UniqueConstraint("group_id", "school_id", "school_year",
                                       name="uq_rotation_eligible_counts_group_school_year"),)
