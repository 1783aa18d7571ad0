"""Schools: list, save, move to the recycle bin."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.schools import School, validate_school
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow
from jituan_desktop.services.base import Changes, Database, NotFound, names_in_use, upsert

FIELDS = [f.name for f in dataclasses.fields(School) if f.name not in ("id", "teacher_count")]


def to_school(row: SchoolRow, teacher_count: int = 0) -> School:
    values = {name: getattr(row, name) for name in FIELDS}
    values["stage"] = Stage(row.stage)
    return School(id=row.id, teacher_count=teacher_count, **values)


def school_values(school: School) -> dict[str, object]:
    values = {name: getattr(school, name) for name in FIELDS}
    for key in ("name", "short_name", "credit_code", "address", "legal_representative"):
        values[key] = str(values[key]).strip()
    values["credit_code"] = str(values["credit_code"]).upper()
    values["stage"] = school.stage.value
    return values


class SchoolService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self) -> list[School]:
        with self.db.reading() as s:
            counts = dict(s.execute(
                select(TeacherRow.school_id, func.count()).where(TeacherRow.deleted_at.is_(None))
                .group_by(TeacherRow.school_id)).all())
            rows = s.scalars(select(SchoolRow).where(SchoolRow.deleted_at.is_(None))
                             .order_by(SchoolRow.name)).all()
            return [to_school(r, counts.get(r.id, 0)) for r in rows]

    def get(self, school_id: int) -> School:
        with self.db.reading() as s:
            row = s.get(SchoolRow, school_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(school_id)
            return to_school(row)

    def validate(self, draft: School) -> ValidationReport:
        with self.db.reading() as s:
            names = names_in_use(s, SchoolRow, except_id=draft.id)
        return validate_school(draft, names)

    def validate_restore(self, school_id: int) -> ValidationReport:
        """The school in the recycle bin, checked as if it were saved again now."""
        with self.db.reading() as s:
            row = s.get(SchoolRow, school_id)
            if row is None:
                raise NotFound(school_id)
            draft = to_school(row)
        return self.validate(draft)

    def save(self, draft: School) -> tuple[School, Changes]:
        report = self.validate(draft)
        if not report.ok:
            raise ValidationError(report)
        with self.db.unit_of_work() as s:
            row = upsert(self.db, s, SchoolRow, draft.id, school_values(draft), "school",
                         created=_("Added school {name}"), changed=_("Changed school {name}"))
            return to_school(row), Changes.of("school", ids=[row.id])
