"""Import a teacher list from .xlsx: preview with per-row errors, then all-or-nothing commit.

The first sheet's first non-empty row holds the headers, in Chinese or English (see
``HEADERS``); 姓名 and 学校 are required. Schools are matched by full or short name.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import Teacher, split_subjects, validate_teacher
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow, TeacherSubjectRow
from jituan_desktop.services.base import Changes, Database
from jituan_desktop.services.schools import SchoolService
from jituan_desktop.services.teachers import TeacherService, teacher_values
from jituan_desktop.services.xlsx_import import read_problem

log = logging.getLogger(__name__)

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
MAX_ROWS = 20000
INSERT_CHUNK = 1000
"""Teachers inserted per statement; progress is reported after each chunk."""
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", ""}


def _labels(enum: type[Any], extra: dict[str, str]) -> dict[str, Any]:
    table = {m.value: m for m in enum} | {m.label(): m for m in enum}
    return table | {k: enum(v) for k, v in extra.items()}


TITLE_WORDS = {"正高级": "senior_professor", "正高级教师": "senior_professor", "高级": "senior",
               "高级教师": "senior", "一级": "first", "一级教师": "first", "二级": "second",
               "二级教师": "second", "三级": "third", "三级教师": "third", "未定级": "unrated",
               "": "unrated"}
RANK_WORDS = {"": "none", "无": "none", "中层副职": "middle_deputy", "中层正职": "middle",
              "中层": "middle", "校级": "school_leader", "校领导": "school_leader"}


@dataclass(frozen=True)
class ImportRow:
    line: int  # spreadsheet row number, as the user sees it
    teacher: Teacher | None
    errors: tuple[str, ...]
    values: tuple[str, ...]  # the row's cells as text, for the preview


@dataclass(frozen=True)
class ImportPreview:
    path: Path
    headers: tuple[str, ...]
    rows: tuple[ImportRow, ...]
    problems: tuple[str, ...]  # file-level problems (missing columns, not an xlsx, …)
    details: str = ""  # the technical error behind a problem, for a tooltip or details box

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and all(not r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(1 for r in self.rows if r.errors)


def _norm(text: Any) -> str:
    return "".join(str(text or "").split()).lower()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class TeacherImportService:
    def __init__(self, db: Database, schools: SchoolService, teachers: TeacherService) -> None:
        self.db = db
        self.schools = schools
        self.teachers = teachers

    def preview(self, path: Path, progress: Callable[[int, int], None] | None = None) -> \
            ImportPreview:
        try:
            sheet_rows = self._read(path)
        except Exception as exc:  # a broken file makes openpyxl raise almost anything
            log.info("cannot read %s", path, exc_info=exc)
            details = "".join(traceback.format_exception_only(exc)).strip()
            return ImportPreview(path, (), (), (read_problem(exc, path),), details)
        header_index = next((i for i, row in enumerate(sheet_rows) if any(row)), None)
        if header_index is None:
            return ImportPreview(path, (), (), (_("The workbook's first sheet is empty."),))
        headers = tuple(_cell_text(c) for c in sheet_rows[header_index])
        columns: dict[str, int] = {}
        for i, header in enumerate(headers):
            for field_name, names in HEADERS.items():
                if _norm(header) in names and field_name not in columns:
                    columns[field_name] = i
        missing = [HEADERS[f][0] for f in REQUIRED if f not in columns]
        if missing:
            return ImportPreview(path, headers, (), (_("Required columns are missing: {cols}. "
                                                       "The first row must hold the column "
                                                       "names.").format(cols="、".join(missing)),))
        body = sheet_rows[header_index + 1:]
        if len(body) > MAX_ROWS:
            return ImportPreview(path, headers, (), (_("The sheet has {n} rows; at most {max} can "
                                                       "be imported at once.").format(
                                                           n=len(body), max=MAX_ROWS),))
        schools = {}
        for school in self.schools.list():
            schools[school.name] = school.id
            if school.short_name:
                schools.setdefault(school.short_name, school.id)
        with self.db.reading() as s:
            existing = _existing_teachers(s)
        # the words accepted for titles and ranks depend on the language: built once per preview
        words = _Words(_labels(TeacherTitle, TITLE_WORDS), _labels(CadreRank, RANK_WORDS))
        rows = []
        seen: set[tuple[str, int | None, str]] = set()
        for offset, cells in enumerate(body):
            if not any(c not in (None, "") for c in cells):
                continue
            line = header_index + offset + 2
            row = self._parse(line, cells, columns, schools, seen, existing, words)
            rows.append(row)
            if progress and offset % 500 == 0:
                progress(offset, len(body))
        problems = () if rows else (_("The sheet has no teacher rows below the headers."),)
        return ImportPreview(path, headers, tuple(rows), problems)

    @staticmethod
    def _read(path: Path) -> list[tuple[Any, ...]]:
        from openpyxl import load_workbook  # lazy: 0.2 s import

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some programs write a wrong <dimension> (e.g. "A1")
            return [tuple(r) for r in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()

    def _parse(self, line: int, cells: tuple[Any, ...], columns: dict[str, int],
               schools: dict[str, int | None], seen: set[tuple[str, int | None, str]],
               existing: _Existing, words: _Words) -> ImportRow:
        def get(field_name: str) -> Any:
            i = columns.get(field_name)
            return cells[i] if i is not None and i < len(cells) else None

        text = {f: _cell_text(get(f)) for f in HEADERS}
        errors: list[str] = []
        school_id = schools.get(text["school"])
        if text["school"] and school_id is None:
            errors.append(_("Unknown school “{name}”: add it under Schools first.").format(
                name=text["school"]))
        flags = {}
        for field_name in ("is_backbone", "rotation_eligible"):
            word = _norm(text[field_name])
            if word not in YES | NO:
                errors.append(_("“{value}” in column {col} must be 是 or 否.").format(
                    value=text[field_name], col=HEADERS[field_name][0]))
            flags[field_name] = word in YES
        title = words.titles.get(text["title"])
        if title is None:
            errors.append(_("Unknown title “{value}”.").format(value=text["title"]))
        rank = words.ranks.get(text["cadre_rank"])
        if rank is None:
            errors.append(_("Unknown cadre rank “{value}”.").format(value=text["cadre_rank"]))
        hired_on = None
        raw_hired = get("hired_on")
        if isinstance(raw_hired, dt.datetime | dt.date):
            hired_on = raw_hired if type(raw_hired) is dt.date else raw_hired.date()
        elif text["hired_on"]:
            try:
                day = text["hired_on"].replace("/", "-")  # 2019/9/1 as typed in a text cell
                hired_on = dt.datetime.strptime(day, "%Y-%m-%d").date()
            except ValueError:
                errors.append(_("“{value}” is not a date (use 2020-09-01).").format(
                    value=text["hired_on"]))
        teacher = Teacher(
            id=None, school_id=school_id, name=text["name"], gender=text["gender"],
            staff_no=text["staff_no"], subjects=split_subjects(text["subjects"]),
            title=title or TeacherTitle.UNRATED, cadre_rank=rank or CadreRank.NONE,
            position=text["position"], backbone_level=text["backbone_level"],
            hired_on=hired_on, **flags)
        report = validate_teacher(teacher)
        errors.extend(f"{HEADERS[key][0]}：{msg}" if key in HEADERS else msg
                      for key, msg in report.items() if key != "school_id" or not text["school"])
        key = (teacher.name, school_id, teacher.staff_no)
        if key in seen:
            errors.append(_("This teacher appears twice in the sheet."))
        elif _already_there(existing, teacher):
            errors.append(_("This teacher already exists (same name and school, and the same "
                            "staff number if both have one). Remove the row from the sheet."))
        seen.add(key)
        values = tuple(text[f] for f in HEADERS)
        return ImportRow(line, None if errors else teacher, tuple(errors), values)

    def commit(self, preview: ImportPreview,
               progress: Callable[[int, int], None] | None = None) -> tuple[int, Changes]:
        """Add every teacher of a valid preview in one transaction, with one history entry.

        Bulk inserts (``INSERT … RETURNING``, ``INSERT_CHUNK`` rows per chunk): 20,000 teachers
        take about a second. ``progress(done, total)`` is called after each chunk; an exception it
        raises (e.g. cancellation) rolls everything back. Raises ``ValidationError`` when a
        school went to the recycle bin or a teacher was added since the preview.
        """
        if not preview.ok:
            raise ValueError("only a preview without errors can be imported")
        rows = [row for row in preview.rows if row.teacher is not None]
        teachers = [row.teacher for row in rows if row.teacher is not None]
        with self.db.unit_of_work() as s:
            school_names = dict(s.execute(
                select(SchoolRow.id, SchoolRow.name).where(SchoolRow.deleted_at.is_(None))).all())
            if any(t.school_id not in school_names for t in teachers):
                raise ValidationError(ValidationReport({"school_id": _(
                    "The school does not exist (any more).")}))
            existing = _existing_teachers(s)
            added = [str(row.line) for row in rows
                     if row.teacher is not None and _already_there(existing, row.teacher)]
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


@dataclass(frozen=True)
class _Words:
    """The accepted words for the title and cadre rank columns."""

    titles: dict[str, TeacherTitle]
    ranks: dict[str, CadreRank]


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


def _insert_teachers(s: Session, teachers: list[Teacher],
                     progress: Callable[[int, int], None] | None) -> list[int]:
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
