"""Teachers: fast listing (tens of thousands of rows), save, validation."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import Teacher, validate_teacher
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow, TeacherSubjectRow
from jituan_desktop.services.base import Changes, Database, NotFound, diff

_TITLES = {m.value: m for m in TeacherTitle}
_RANKS = {m.value: m for m in CadreRank}
COLUMNS = [f.name for f in dataclasses.fields(Teacher)
           if f.name not in ("id", "school_name", "subjects")]


def teacher_values(t: Teacher) -> dict[str, object]:
    values = {name: getattr(t, name) for name in COLUMNS}
    values["name"] = t.name.strip()
    values["title"] = t.title.value
    values["cadre_rank"] = t.cadre_rank.value
    return values


class TeacherService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, school_ids: Iterable[int] | None = None) -> list[Teacher]:
        """Active teachers (optionally of some schools), ordered by school then name.

        Two flat Core queries instead of ORM objects: 50,000 teachers load in about 0.5 s.
        """
        where = [TeacherRow.deleted_at.is_(None), SchoolRow.deleted_at.is_(None)]
        if school_ids is not None:
            where.append(TeacherRow.school_id.in_(list(school_ids)))
        cols = [getattr(TeacherRow, c) for c in COLUMNS]
        query = (select(TeacherRow.id, SchoolRow.name, *cols)
                 .join(SchoolRow, SchoolRow.id == TeacherRow.school_id).where(*where)
                 .order_by(SchoolRow.name, TeacherRow.name, TeacherRow.id))
        subjects_query = (select(TeacherSubjectRow.teacher_id, TeacherSubjectRow.subject)
                          .join(TeacherRow, TeacherRow.id == TeacherSubjectRow.teacher_id)
                          .join(SchoolRow, SchoolRow.id == TeacherRow.school_id).where(*where)
                          .order_by(TeacherSubjectRow.teacher_id, TeacherSubjectRow.position))
        with self.db.reading() as s:
            conn = s.connection()
            rows = conn.execute(query).all()
            found: dict[int, list[str]] = defaultdict(list)
            for teacher_id, subject in conn.execute(subjects_query):
                found[teacher_id].append(subject)
        return [self._to_teacher(r, tuple(found.get(r[0], ()))) for r in rows]

    @staticmethod
    def _to_teacher(row: Sequence[Any], subjects: tuple[str, ...]) -> Teacher:
        values = dict(zip(COLUMNS, row[2:], strict=True))
        values["title"] = _TITLES[values["title"]]
        values["cadre_rank"] = _RANKS[values["cadre_rank"]]
        return Teacher(id=row[0], school_name=row[1], subjects=subjects, **values)

    def get(self, teacher_id: int) -> Teacher:
        with self.db.reading() as s:
            row = s.get(TeacherRow, teacher_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(teacher_id)
            return self._from_row(s, row)

    def _from_row(self, s: Session, row: TeacherRow) -> Teacher:
        school = s.get(SchoolRow, row.school_id)
        values = {c: getattr(row, c) for c in COLUMNS}
        return self._to_teacher([row.id, school.name if school else "", *values.values()],
                                tuple(sub.subject for sub in row.subjects))

    def validate(self, draft: Teacher) -> ValidationReport:
        return validate_teacher(draft)

    def validate_restore(self, teacher_id: int) -> ValidationReport:
        """The teacher in the recycle bin, checked as if saved again now."""
        with self.db.reading() as s:
            row = s.get(TeacherRow, teacher_id)
            if row is None:
                raise NotFound(teacher_id)
            draft = self._from_row(s, row)
        return self.validate(draft)

    def save(self, draft: Teacher) -> tuple[Teacher, Changes]:
        report = self.validate(draft)
        if not report.ok:
            raise ValidationError(report)
        with self.db.unit_of_work() as s:
            row = self.write(s, draft)
        return self.get(row.id), Changes.of("teacher", ids=[row.id])

    def write(self, s: Session, draft: Teacher, *, audit_action: str | None = None) -> TeacherRow:
        """Insert or update inside an open unit of work (also used by the xlsx import)."""
        values = teacher_values(draft)
        school = s.get(SchoolRow, draft.school_id)
        if school is None or school.deleted_at is not None:
            raise ValidationError(ValidationReport({"school_id": _("The school does not exist "
                                                                   "(any more).")}))
        if draft.id is None:
            row = TeacherRow(**values)
            s.add(row)
            action, summary = "create", _("Added teacher {name} ({school})")
            details = values | {"subjects": list(draft.subjects)}
        else:
            row = s.get(TeacherRow, draft.id)
            if row is None or row.deleted_at is not None:
                raise NotFound(draft.id)
            before = {k: getattr(row, k) for k in values} | {
                "subjects": [x.subject for x in row.subjects]}
            for key, value in values.items():
                setattr(row, key, value)
            action, summary = "update", _("Changed teacher {name} ({school})")
            details = diff(before, values | {"subjects": list(draft.subjects)})
        # keep existing subject rows: deleting and re-inserting the same key in one flush
        # would collide on the primary key
        existing = {x.subject: x for x in row.subjects}
        row.subjects = [existing.get(sub) or TeacherSubjectRow(subject=sub)
                        for sub in draft.subjects]
        for position, subject_row in enumerate(row.subjects):
            subject_row.position = position
        s.flush()
        self.db.audit(s, audit_action or action, "teacher", row.id,
                      summary.format(name=row.name, school=school.name), details=details)
        return row
