"""Tables of the course records (imported at the end of models.py so Base.metadata has them).

A shared course (``shared_courses``) belongs to a group and a semester and is provided by one
school; its teachers and the schools enrolling students are child rows that go with it (the
course is soft-deleted as a whole).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jituan_desktop.domain.courses import COURSE_LIMITS
from jituan_desktop.persistence.models import Base, SoftDelete, Timestamps


class SharedCourseRow(Timestamps, SoftDelete, Base):
    __tablename__ = "shared_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("edu_groups.id"), index=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semesters.id"), index=True)
    provider_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    title: Mapped[str] = mapped_column(String(COURSE_LIMITS["title"]))
    course_type: Mapped[str] = mapped_column(String(COURSE_LIMITS["course_type"]), index=True)
    subject: Mapped[str] = mapped_column(String(COURSE_LIMITS["subject"]), default="")
    delivery: Mapped[str] = mapped_column(String(COURSE_LIMITS["delivery"]))
    schedule: Mapped[str] = mapped_column(String(COURSE_LIMITS["schedule"]), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")

    teachers: Mapped[list[SharedCourseTeacherRow]] = relationship(
        cascade="all, delete-orphan", order_by="SharedCourseTeacherRow.position",
        lazy="selectin")
    enrolments: Mapped[list[SharedCourseEnrolmentRow]] = relationship(
        cascade="all, delete-orphan", order_by="SharedCourseEnrolmentRow.position",
        lazy="selectin")


class SharedCourseTeacherRow(Base):
    """A teacher of a course; the first is the lead teacher."""

    __tablename__ = "shared_course_teachers"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("shared_courses.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_shared_course_teachers_teacher_id", "teacher_id"),)


class SharedCourseEnrolmentRow(Base):
    """Students of one school enrolled in a course."""

    __tablename__ = "shared_course_enrolments"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("shared_courses.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    students: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_shared_course_enrolments_school_id", "school_id"),)
