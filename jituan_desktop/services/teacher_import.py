"""Import a teacher list from .xlsx: an ``ImportSource`` of the generic import layer.

The first sheet's first non-empty row holds the headers, in Chinese or English (see
``HEADERS``); 姓名 and 学校 are required. Schools are matched by full or short name. A row
is refused when it names a teacher twice in the sheet or one already there (same name and
school, and the same staff number when both have one). The commit adds every teacher of a
clean preview in one transaction with bulk inserts (20,000 teachers in about a second).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import Teacher, split_subjects, validate_teacher
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import N_, _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow, TeacherSubjectRow
from jituan_desktop.services.base import Changes, Database
from jituan_desktop.services.schools import SchoolService
from jituan_desktop.services.teachers import TeacherService, teacher_values
from jituan_desktop.services.xlsx_import import (
    ImportPreview,
    PreviewSheet,
    ProgressFn,
    RowProblem,
    RowReader,
    SheetTable,
    choice_words,
    file_problem,
    read_workbook,
    write_template,
)

# field → accepted header texts (compared without spaces, case-insensitive)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "教师姓名", "name"),
    "school": ("学校", "所在学校", "school"),
    "gender": ("性别", "gender"),
    "staff_no": ("工号", "教师编号", "staffno", "staffnumber"),
    "subjects": ("学科", "任教学科", "subjects", "subject"),
    "title": ("职称", "title"),
    "position": ("职务", "position"),
    "cadre_rank": ("干部级别", "cadrerank"),
    "is_backbone": ("骨干教师", "是否骨干", "backbone"),
    "backbone_level": ("骨干级别", "backbonelevel"),
    "rotation_eligible": ("可交流轮岗", "符合交流条件", "rotationeligible"),
    "hired_on": ("入职日期", "参加工作时间", "hiredon"),
}
REQUIRED = ("name", "school")
FIELD_LABELS = (N_("Name"), N_("School"), N_("Gender"), N_("Staff number"), N_("Subjects"),
                N_("Professional title"), N_("Position"), N_("Cadre rank"), N_("Backbone"),
                N_("Backbone level"), N_("Rotation eligible"), N_("Hired on"))
"""What each column of ``HEADERS`` means, for the preview in another language than Chinese."""
SHEET = "教师"
INSERT_CHUNK = 1000
"""Teachers inserted per statement; progress is reported after each chunk."""

TITLE_WORDS = {"正高级": "senior_professor", "正高级教师": "senior_professor", "高级": "senior",
               "高级教师": "senior", "一级": "first", "一级教师": "first", "二级": "second",
               "二级教师": "second", "三级": "third", "三级教师": "third", "未定级": "unrated",
               "": "unrated"}
RANK_WORDS = {"": "none", "无": "none", "中层副职": "middle_deputy", "中层正职": "middle",
              "中层": "middle", "校级": "school_leader", "校领导": "school_leader"}


@dataclass(frozen=True)
class ImportedTeacher:
    """A record of a teacher preview: the teacher and its spreadsheet row."""

    line: int
    teacher: Teacher


class TeacherImportService:
    """Teachers of any school from a workbook (``services.xlsx_import.ImportSource``)."""

    def __init__(self, db: Database, schools: SchoolService, teachers: TeacherService) -> None:
        self.db = db
        self.schools = schools
        self.teachers = teachers

    @property
    def title(self) -> str:
        return _("Import teachers from Excel")

    def template(self, path: Path) -> None:
        """An empty import workbook: the headers on the first sheet, explanations on a second."""
        explanations = {
            "name": _("Required."),
            "school": _("Required: the school's full or short name as listed under Schools."),
            "gender": "男 / 女",
            "subjects": _("Several subjects separated by 、 e.g. 语文、数学"),
            "title": "正高级 / 高级 / 一级 / 二级 / 三级 / 未定级",
            "cadre_rank": "无 / 中层副职 / 中层正职 / 校级",
            "is_backbone": "是 / 否",
            "rotation_eligible": "是 / 否",
            "hired_on": _("A date, e.g. 2020-09-01"),
        }
        notes = [(names[0], explanations.get(field_name, "")) for field_name, names in
                 HEADERS.items()]
        write_template(path, [(SHEET, HEADERS)], notes)

    # ---- reading ------------------------------------------------------------------------

    def read(self, path: Path, progress: ProgressFn | None = None
             ) -> ImportPreview[ImportedTeacher]:
        try:
            workbook = read_workbook(path)
        except Exception as exc:  # a broken file makes openpyxl raise almost anything
            problem, details = file_problem(exc, path)
            return ImportPreview(path, (), (problem,), (), details)
        table, problems = SheetTable.find(workbook, (), HEADERS, REQUIRED, sheet_index=0)
        if table is None:
            return ImportPreview(path, (), tuple(problems))
        schools: dict[str, int | None] = {}
        for school in self.schools.list():
            schools[school.name] = school.id
            if school.short_name:
                schools.setdefault(school.short_name, school.id)
        with self.db.reading() as s:
            existing = _existing_teachers(s)
        # the words accepted for titles and ranks depend on the language: built once per preview
        titles = choice_words(TeacherTitle, TITLE_WORDS)
        ranks = choice_words(CadreRank, RANK_WORDS)
        records: list[ImportedTeacher] = []
        rows = []
        all_problems: list[RowProblem] = []
        seen: set[tuple[str, int | None, str]] = set()
        for done, row in enumerate(table.readers()):
            teacher = _teacher(row, schools, titles, ranks)
            key = (teacher.name, teacher.school_id, teacher.staff_no)
            if key in seen:
                row.error(_("This teacher appears twice in the sheet."))
            elif _already_there(existing, teacher):
                row.error(_("This teacher already exists (same name and school, and the same "
                            "staff number if both have one). Remove the row from the sheet."))
            seen.add(key)
            if not row.errors:
                records.append(ImportedTeacher(row.line, teacher))
            rows.append(row.preview_row())
            all_problems.extend(row.problems)
            if progress and done % 500 == 0:
                progress(done, len(table.body))
        if not rows:
            all_problems.append(RowProblem(0, "", _(
                "The sheet has no teacher rows below the headers."), table.name))
        sheet = PreviewSheet(table.name, table.headers(), tuple(rows), FIELD_LABELS)
        return ImportPreview(path, tuple(records), tuple(all_problems), (sheet,))

    # ---- writing ------------------------------------------------------------------------

    def commit(self, preview: ImportPreview[ImportedTeacher],
               progress: ProgressFn | None = None) -> tuple[int, Changes]:
        """Add every teacher of a valid preview in one transaction, with one history entry.

        Bulk inserts (``INSERT … RETURNING``, ``INSERT_CHUNK`` rows per chunk): 20,000 teachers
        take about a second. ``progress(done, total)`` is called after each chunk; an exception it
        raises (e.g. cancellation) rolls everything back. Raises ``ValidationError`` when a
        school went to the recycle bin or a teacher was added since the preview.
        """
        if not preview.ok:
            raise ValueError("only a preview without errors can be imported")
        teachers = [record.teacher for record in preview.records]
        with self.db.unit_of_work() as s:
            school_names = dict(s.execute(
                select(SchoolRow.id, SchoolRow.name).where(SchoolRow.deleted_at.is_(None))).all())
            if any(t.school_id not in school_names for t in teachers):
                raise ValidationError(ValidationReport({"school_id": _(
                    "The school does not exist (any more).")}))
            existing = _existing_teachers(s)
            added = [str(record.line) for record in preview.records
                     if _already_there(existing, record.teacher)]
            if added:
                raise ValidationError(ValidationReport({"name": _(
                    "The teachers of rows {lines} were added since the workbook was read. Open "
                    "the workbook again.").format(lines=", ".join(added[:20]))}))
            ids = _insert_teachers(s, teachers, progress)
            subjects = [{"teacher_id": teacher_id, "subject": subject, "position": position}
                        for teacher_id, teacher in zip(ids, teachers, strict=True)
                        for position, subject in enumerate(teacher.subjects)]
            if subjects:
                s.execute(insert(TeacherSubjectRow), subjects)
            by_school: dict[str, list[str]] = defaultdict(list)
            for teacher in teachers:
                by_school[school_names[teacher.school_id]].append(teacher.name)
            self.db.audit(s, "import", "teacher", None,
                          _("Imported {n} teachers from {file}").format(
                              n=len(ids), file=preview.path.name),
                          details=dict(sorted(by_school.items())))
        return len(ids), Changes.of("teacher", ids=ids)


def _teacher(row: RowReader, schools: dict[str, int | None],
             titles: dict[str, TeacherTitle], ranks: dict[str, CadreRank]) -> Teacher:
    """The row's teacher; every problem of the row is added to ``row``."""
    school_name = row.text("school")
    school_id = schools.get(school_name)
    if school_name and school_id is None:
        row.error(_("Unknown school “{name}”: add it under Schools first.").format(
            name=school_name), "school")
    teacher = Teacher(
        id=None, school_id=school_id, name=row.text("name"), gender=row.text("gender"),
        staff_no=row.text("staff_no"), subjects=split_subjects(row.text("subjects")),
        title=row.choice("title", titles, default=TeacherTitle.UNRATED) or TeacherTitle.UNRATED,
        cadre_rank=row.choice("cadre_rank", ranks, default=CadreRank.NONE) or CadreRank.NONE,
        position=row.text("position"), backbone_level=row.text("backbone_level"),
        hired_on=row.date("hired_on"), is_backbone=row.boolean("is_backbone"),
        rotation_eligible=row.boolean("rotation_eligible"))
    for key, message in validate_teacher(teacher).items():
        if key != "school_id" or not school_name:  # an unknown school is reported above
            row.error(message, key if key in HEADERS else None)
    return teacher


_Existing = dict[tuple[str, int], set[str]]
"""(name, school id) → the staff numbers ("" for none) of the teachers already there."""


def _existing_teachers(s: Session) -> _Existing:
    found: _Existing = defaultdict(set)
    query = select(TeacherRow.name, TeacherRow.school_id, TeacherRow.staff_no).where(
        TeacherRow.deleted_at.is_(None))
    for name, school_id, staff_no in s.execute(query):
        found[(name, school_id)].add(staff_no or "")
    return found


def _already_there(existing: _Existing, teacher: Teacher) -> bool:
    """Same name and school, and the same staff number when both have one."""
    if teacher.school_id is None:
        return False
    numbers = existing.get((teacher.name.strip(), teacher.school_id))
    if not numbers:
        return False
    return not teacher.staff_no or "" in numbers or teacher.staff_no in numbers


def _insert_teachers(s: Session, teachers: list[Teacher], progress: ProgressFn | None
                     ) -> list[int]:
    """Insert the teacher rows; their new ids in the same order.

    Many rows per statement with ``RETURNING`` (SQLite 3.35+, PostgreSQL). The rows come back
    in no guaranteed order, so each is matched by its name, school and staff number, which a
    clean preview has made unique; SQLAlchemy's ``sort_by_parameter_order`` would insert row
    by row on SQLite. Without ``RETURNING``, or with keys that are not unique, one row per
    statement.
    """
    values = [teacher_values(t) for t in teachers]
    keys = [(v["name"], v["school_id"], v["staff_no"]) for v in values]
    bulk = s.get_bind().dialect.insert_executemany_returning and len(set(keys)) == len(keys)
    statement = insert(TeacherRow).returning(TeacherRow.id, TeacherRow.name,
                                             TeacherRow.school_id, TeacherRow.staff_no)
    ids: list[int] = []
    for start in range(0, len(values), INSERT_CHUNK):
        chunk = values[start:start + INSERT_CHUNK]
        if bulk:
            new = {(name, school_id, staff_no): teacher_id
                   for teacher_id, name, school_id, staff_no in s.execute(statement, chunk)}
            ids.extend(new[key] for key in keys[start:start + INSERT_CHUNK])
        else:
            ids.extend(_insert_one(s, row) for row in chunk)
        if progress:
            progress(len(ids), len(values))
    return ids


def _insert_one(s: Session, values: dict[str, object]) -> int:
    key = s.execute(insert(TeacherRow).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])
