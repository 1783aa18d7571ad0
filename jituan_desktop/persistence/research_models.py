"""Tables of the research records (imported at the end of models.py so Base.metadata has them).

``research_sessions`` (soft delete) with its participating schools, attendance and attachment
rows. Attachment files live in the data folder's store, named by their SHA-256; the rows keep
the hash, the original name and the size.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jituan_desktop.domain.research import (
    ATTACHMENT_LIMITS,
    ATTENDANCE_LIMITS,
    SESSION_LIMITS,
)
from jituan_desktop.persistence.models import Base, SoftDelete, Timestamps, utcnow

ENUM_LENGTH = 20


class ResearchSessionRow(Timestamps, SoftDelete, Base):
    __tablename__ = "research_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(SESSION_LIMITS["subject"]), index=True)
    stage: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH), index=True)
    host_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    mode: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    topic: Mapped[str] = mapped_column(String(SESSION_LIMITS["topic"]), default="")
    lead_teacher: Mapped[str] = mapped_column(String(SESSION_LIMITS["lead_teacher"]),
                                              default="")
    minutes: Mapped[str] = mapped_column(Text, default="")


class ResearchSchoolRow(Base):
    """A school that took part in a session (the host included)."""

    __tablename__ = "research_session_schools"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("research_sessions.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)

    __table_args__ = (Index("ix_research_session_schools_school_id", "school_id"),)


class ResearchAttendanceRow(Base):
    __tablename__ = "research_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("research_sessions.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    remark: Mapped[str] = mapped_column(String(ATTENDANCE_LIMITS["remark"]), default="")

    __table_args__ = (Index("ix_research_attendance_teacher_id", "teacher_id"),)


class ResearchAttachmentRow(Timestamps, Base):
    __tablename__ = "research_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("research_sessions.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(ATTACHMENT_LIMITS["sha256"]), index=True)
    file_name: Mapped[str] = mapped_column(String(ATTACHMENT_LIMITS["file_name"]))
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("session_id", "sha256",
                                       name="uq_research_attachments_session_hash"),)
