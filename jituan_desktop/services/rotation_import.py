"""Import teacher rotations from .xlsx (an ``ImportSource`` for the generic import dialog).

One sheet 交流轮岗, one row per rotation; columns in ``HEADERS`` and docs/rotations.md. The
teacher is found by 工号 (staff number) at the sending school, or by name when the name is
unique there. Every row is checked with the rules of the form, against the rotations already
saved and the rows above it; the commit writes every row in one transaction, or none.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jituan_desktop.domain.charter import Membership
from jituan_desktop.domain.rotations import (
    ROTATION_LIMITS,
    Appraisal,
    Rotation,
    RotationContext,
    RotationForm,
    validate_rotation,
)
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow
from jituan_desktop.services.base import Changes
from jituan_desktop.services.rotations import RotationService
from jituan_desktop.services.xlsx_import import (
    ImportPreview,
    PreviewSheet,
    ProgressFn,
    RowReader,
    SheetTable,
    choice_words,
    file_problem,
    read_workbook,
    write_template,
)

SHEET = "交流轮岗"
HEADERS: dict[str, tuple[str, ...]] = {
    "teacher": ("教师姓名", "姓名", "教师", "teacher"),
    "staff_no": ("工号", "教职工号", "教师工号", "staff number"),
    "from_school": ("派出学校", "派出校", "from"),
    "to_school": ("接收学校", "接收校", "流入学校", "to"),
    "form": ("形式", "交流形式", "轮岗形式", "form"),
    "team": ("组团名称", "组团", "team"),
    "start": ("开始日期", "开始", "start"),
    "planned_end": ("计划结束", "计划结束日期", "planned end"),
    "actual_end": ("实际结束", "实际结束日期", "actual end"),
    "backbone": ("骨干教师", "是否骨干", "骨干", "backbone"),
    "appraisal": ("考核结果", "考核", "appraisal"),
    "notes": ("备注", "notes"),
}
REQUIRED = ("teacher", "from_school", "to_school", "form", "start", "planned_end")
FORM_WORDS = {"驻教": "resident", "驻校": "resident", "走教": "itinerant", "支教": "support",
              "挂职": "attachment", "挂职锻炼": "attachment", "组团流入": "team", "组团": "team"}
APPRAISAL_WORDS = {"优秀": "excellent", "合格": "pass", "称职": "pass", "基本合格": "basic",
                   "基本称职": "basic", "不合格": "fail", "不称职": "fail"}
NOTES = [
    ("教师姓名", "必填。须是派出学校的在册教师。"),
    ("工号", "选填；派出学校有同名教师时必填（与教师名单中的工号一致）。"),
    ("派出学校", "必填；学校全称或简称，须在开始日期时是本集团成员校。"),
    ("接收学校", "必填；同上，且不能与派出学校相同。"),
    ("形式", "必填：驻教、走教、支教、挂职、组团流入。"),
    ("组团名称", "形式为“组团流入”时必填；同一团队的教师填写相同名称。"),
    ("开始日期", "必填，如 2025-09-01；按开始日期所在学年统计。"),
    ("计划结束", "必填，不得早于开始日期。"),
    ("实际结束", "选填；交流结束后填写。"),
    ("骨干教师", "选填：是/否；留空时取教师名单中的骨干标记。"),
    ("考核结果", "选填：优秀、合格、基本合格、不合格。"),
    ("备注", "选填。"),
]
EXAMPLE = ("张三", "01023", "阿拉善左旗巴彦浩特第一实验小学", "阿拉善左旗巴彦浩特第五小学",
           "驻教", "", "2025-09-01", "2028-08-31", "", "是", "", "担任语文教研组长")
_FIELD_COLUMNS = {"teacher_id": "teacher", "from_school_id": "from_school",
                  "to_school_id": "to_school", "form": "form", "team_name": "team",
                  "start_on": "start", "planned_end": "planned_end",
                  "actual_end": "actual_end", "appraisal": "appraisal"}


class RotationImportSource:
    """Rotations of one group from a workbook (``services.xlsx_import.ImportSource``)."""

    def __init__(self, rotations: RotationService, group_id: int) -> None:
        self.rotations = rotations
        self.group_id = group_id

    @property
    def title(self) -> str:
        return _("Import teacher rotations")

    def template(self, path: Path) -> None:
        write_template(path, [(SHEET, HEADERS)], NOTES, {SHEET: [EXAMPLE]})

    def read(self, path: Path, progress: ProgressFn | None = None) -> ImportPreview[Rotation]:
        try:
            workbook = read_workbook(path)
        except Exception as exc:  # any unreadable file becomes one message
            problem, details = file_problem(exc, path)
            return ImportPreview(path, (), (problem,), details=details)
        table, problems = SheetTable.find(workbook, (SHEET, "rotations"), HEADERS, REQUIRED,
                                          sheet_index=0)
        if table is None:
            return ImportPreview(path, (), tuple(problems))
        lookup = self._lookup()
        records: list[Rotation] = []
        rows = []
        all_problems = []
        written: dict[int | None, list[Rotation]] = defaultdict(list)
        for done, row in enumerate(table.readers()):
            draft = self._draft(row, lookup)
            if draft is not None and not row.errors:
                others = tuple(lookup.existing.get(draft.teacher_id, [])) + tuple(
                    written[draft.teacher_id])
                members = frozenset(m.school_id for m in lookup.memberships
                                    if m.school_id is not None and draft.start_on
                                    and m.active_on(draft.start_on))
                report = validate_rotation(draft, RotationContext(
                    lookup.teacher_schools, members, lookup.school_names, others))
                for field_name, message in report.items():
                    row.error(message, _FIELD_COLUMNS.get(field_name))
                if report.ok:
                    records.append(draft)
                    written[draft.teacher_id].append(draft)
            rows.append(row.preview_row())
            all_problems.extend(row.problems)
            if progress and done % 200 == 0:
                progress(done, len(table.body))
        sheet = PreviewSheet(table.name, table.headers(), tuple(rows))
        return ImportPreview(path, tuple(records), tuple(all_problems), (sheet,))

    def _lookup(self) -> _Lookup:
        service = self.rotations
        memberships = service.groups.memberships(self.group_id)
        with service.db.reading() as s:
            teachers = s.execute(select(TeacherRow.id, TeacherRow.school_id, TeacherRow.name,
                                        TeacherRow.staff_no, TeacherRow.is_backbone).where(
                TeacherRow.deleted_at.is_(None))).all()
        schools: dict[str, int] = {}
        names: dict[int, str] = {}
        for m in memberships:
            if m.school_id is not None:
                names[m.school_id] = m.school_name
                schools[m.school_name] = m.school_id
        with service.db.reading() as s:
            short = s.execute(select(SchoolRow.id, SchoolRow.short_name).where(
                SchoolRow.id.in_(list(names)))).all()
        for school_id, short_name in short:
            if short_name:
                schools.setdefault(short_name, school_id)
        existing: dict[int | None, list[Rotation]] = defaultdict(list)
        for rotation in service.list(self.group_id):
            existing[rotation.teacher_id].append(rotation)
        return _Lookup(schools, names, memberships, {t.id: t.school_id for t in teachers},
                       teachers, existing)

    def _draft(self, row: RowReader, lookup: _Lookup) -> Rotation | None:
        name = row.text("teacher", required=True)
        staff_no = row.text("staff_no")
        from_id = self._school(row, "from_school", lookup)
        to_id = self._school(row, "to_school", lookup)
        form = row.choice("form", choice_words(RotationForm, FORM_WORDS))
        team = row.text("team", limit=ROTATION_LIMITS["team_name"])
        start = row.date("start", required=True)
        planned = row.date("planned_end", required=True)
        actual = row.date("actual_end")
        appraisal = row.choice("appraisal", choice_words(Appraisal, APPRAISAL_WORDS),
                               default=Appraisal.NONE)
        notes = row.text("notes")
        teacher = None
        if name and from_id is not None:
            found = [t for t in lookup.teachers if t.school_id == from_id and t.name == name
                     and (not staff_no or t.staff_no == staff_no)]
            if not found:
                row.error(_("No teacher “{name}”{staff} at {school}.").format(
                    name=name, staff=f"（{staff_no}）" if staff_no else "",
                    school=lookup.school_names.get(from_id, "")), "teacher")
            elif len(found) > 1:
                row.error(_("{school} has several teachers called “{name}”; give the staff "
                            "number.").format(name=name,
                                              school=lookup.school_names.get(from_id, "")),
                          "staff_no")
            else:
                teacher = found[0]
        backbone = row.boolean("backbone", default=bool(teacher and teacher.is_backbone))
        if teacher is None or form is None or start is None or planned is None:
            return None
        return Rotation(None, self.group_id, teacher.id, from_id, to_id, form, start, planned,
                        actual, backbone, team if form is RotationForm.TEAM else "",
                        appraisal or Appraisal.NONE, notes, teacher_name=name,
                        staff_no=teacher.staff_no,
                        from_name=lookup.school_names.get(from_id or -1, ""),
                        to_name=lookup.school_names.get(to_id or -1, ""))

    @staticmethod
    def _school(row: RowReader, field_name: str, lookup: _Lookup) -> int | None:
        text = row.text(field_name, required=True)
        if not text:
            return None
        school_id = lookup.schools.get(text)
        if school_id is None:
            row.error(_("“{name}” is not a school of the group.").format(name=text),
                      field_name)
        return school_id

    def commit(self, preview: ImportPreview[Rotation],
               progress: ProgressFn | None = None) -> tuple[int, Changes]:
        """Write every rotation of a clean preview in one transaction, or none."""
        if not preview.ok:
            raise ValueError("only a preview without problems can be imported")
        ids: list[int] = []
        service = self.rotations
        with service.db.unit_of_work() as s:
            for done, draft in enumerate(preview.records):
                try:
                    row = service.write(s, draft, created_summary=_(
                        "Imported rotation {name}").format(name=draft.label))
                except ValidationError as exc:  # something changed since the preview
                    raise ValidationError(ValidationReport({"": _(
                        "The rotation {name} is no longer valid: {problem} Read the workbook "
                        "again.").format(name=draft.label, problem=exc.report.text())})) \
                        from exc
                ids.append(row.id)
                if progress and (done % 100 == 0 or done + 1 == len(preview.records)):
                    progress(done + 1, len(preview.records))
            service.db.audit(s, "import", "rotation", None, _(
                "Imported {n} teacher rotations from {file}").format(
                    n=len(ids), file=preview.path.name), group_id=self.group_id)
        return len(ids), Changes.of("rotation", ids=ids)


@dataclasses.dataclass(frozen=True)
class _Lookup:
    schools: dict[str, int]  # full or short name → id, schools of the group
    school_names: dict[int, str]
    memberships: list[Membership]
    teacher_schools: dict[int, int]
    teachers: list[Any]  # rows: id, school_id, name, staff_no, is_backbone
    existing: dict[int | None, list[Rotation]]
