"""Import joint research sessions WITH attendance from .xlsx (the first user of xlsx_import).

The workbook has two sheets, as a group office keeps them: 教研活动 (one row per session,
numbered in the column 活动编号) and 考勤 (one row per teacher and session, the session named
by its 活动编号). Columns: see ``SESSION_HEADERS``/``ATTENDANCE_HEADERS`` and
docs/research.md. Everything is checked first (the same rules as the form); the commit writes
all sessions in one transaction or none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.research import (
    ATTENDANCE_LIMITS,
    CHINESE_MODE_WORDS,
    CHINESE_STATUS_WORDS,
    CHINESE_TYPE_WORDS,
    SESSION_LIMITS,
    AttendanceEntry,
    AttendanceStatus,
    DeliveryMode,
    ResearchSession,
    ResearchType,
    ValidationContext,
    to_minute,
    validate_session,
)
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import SchoolRow, TeacherRow
from jituan_desktop.persistence.research_models import ResearchSessionRow
from jituan_desktop.services.base import Changes
from jituan_desktop.services.research import ResearchService
from jituan_desktop.services.xlsx_import import (
    ImportPreview,
    PreviewSheet,
    ProgressFn,
    RowProblem,
    RowReader,
    SheetTable,
    choice_words,
    file_problem,
    normalize_header,
    read_workbook,
    write_template,
)

SESSIONS_SHEET = "教研活动"
ATTENDANCE_SHEET = "考勤"
SESSION_HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("活动编号", "编号", "序号", "number", "no"),
    "held_on": ("日期", "活动日期", "date"),
    "start": ("开始时间", "开始", "start"),
    "end": ("结束时间", "结束", "end"),
    "subject": ("学科", "subject"),
    "stage": ("学段", "stage"),
    "kind": ("活动类型", "类型", "type"),
    "host": ("主办学校", "承办学校", "host", "hostschool"),
    "schools": ("参与学校", "参加学校", "schools", "participatingschools"),
    "mode": ("形式", "活动形式", "线上/线下", "mode"),
    "topic": ("主题", "活动主题", "topic"),
    "lead_teacher": ("主讲人", "主讲教师", "执教教师", "leadteacher"),
    "minutes": ("活动纪要", "纪要", "minutes"),
}
SESSION_REQUIRED = ("number", "held_on", "start", "end", "subject", "kind", "host")
ATTENDANCE_HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("活动编号", "编号", "number", "no"),
    "name": ("姓名", "教师姓名", "name"),
    "school": ("学校", "所在学校", "school"),
    "staff_no": ("工号", "教师编号", "staffno"),
    "status": ("考勤", "出勤情况", "状态", "status"),
    "remark": ("备注", "remark"),
}
ATTENDANCE_REQUIRED = ("number", "name", "school")
STAGE_WORDS = {"小学": "primary", "初中": "junior", "高中": "senior", "幼儿园": "kindergarten",
               "九年一贯制": "nine_year", "完全中学": "complete_secondary"}


def _split_names(text: str) -> list[str]:
    for separator in ("，", ",", "；", ";", "/", "\n"):
        text = text.replace(separator, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


class ResearchImport:
    """``ImportSource`` of research sessions for one group."""

    def __init__(self, research: ResearchService, group_id: int) -> None:
        self.research = research
        self.group_id = group_id

    @property
    def title(self) -> str:
        return _("Import joint research sessions")

    def template(self, path: Path) -> None:
        notes = [
            ("活动编号", _("Required: any number or code that is unique in the sheet; the "
                        "attendance rows name the session by it.")),
            ("日期", _("Required: a date, e.g. 2025-10-08")),
            ("开始时间 / 结束时间", _("Required: e.g. 14:30; the end must be after the start")),
            ("活动类型", "、".join(k for k in CHINESE_TYPE_WORDS if len(k) > 2)),
            ("主办学校 / 参与学校", _("Full or short names as listed under Schools; several "
                                  "participating schools separated by 、. The host school "
                                  "always takes part.")),
            ("学段", "小学 / 初中 / 高中 / 九年一贯制"),
            ("形式", "线下 / 线上 / 线上线下"),
            ("考勤", "出席 / 迟到 / 请假 / 缺席 " + _("(empty means present)")),
            ("工号", _("Only needed when a school has two teachers of the same name.")),
        ]
        examples = {
            SESSIONS_SHEET: [[1, "2025-10-08", "14:30", "16:00", "语文", "小学", "集体备课",
                              "一实小", "一实小、五小", "线下", "单元整体教学设计", "张老师",
                              "研讨要点……"]],
            ATTENDANCE_SHEET: [[1, "张三", "一实小", "", "出席", ""]],
        }
        write_template(path, [(SESSIONS_SHEET, SESSION_HEADERS),
                              (ATTENDANCE_SHEET, ATTENDANCE_HEADERS)], notes, examples)

    # ---- reading ------------------------------------------------------------------------

    def read(self, path: Path, progress: ProgressFn | None = None
             ) -> ImportPreview[ResearchSession]:
        try:
            workbook = read_workbook(path)
        except Exception as exc:  # a broken file makes openpyxl raise almost anything
            problem, details = file_problem(exc, path)
            return ImportPreview(path, (), (problem,), (), details)
        sessions_table, problems = SheetTable.find(
            workbook, (SESSIONS_SHEET, "sessions"), SESSION_HEADERS, SESSION_REQUIRED,
            sheet_index=0)
        attendance_rows = next((rows for title, rows in workbook.items()
                                if normalize_header(title) in (ATTENDANCE_SHEET, "attendance")),
                               [])
        attendance_table = None
        if any(c not in (None, "") for row in attendance_rows for c in row):
            # the attendance sheet is optional: checked only when it holds something
            attendance_table, more = SheetTable.find(
                workbook, (ATTENDANCE_SHEET, "attendance"), ATTENDANCE_HEADERS,
                ATTENDANCE_REQUIRED)
            problems += more
        if sessions_table is None:
            return ImportPreview(path, (), tuple(problems), (), "")

        schools = self.research.group_schools(self.group_id)
        with self.research.db.reading() as s:
            teachers = s.execute(select(TeacherRow.id, TeacherRow.name, TeacherRow.school_id,
                                        TeacherRow.staff_no).where(
                TeacherRow.deleted_at.is_(None))).all()
            existing = {(d, m, subj, host) for d, m, subj, host in s.execute(
                select(ResearchSessionRow.held_on, ResearchSessionRow.start_minute,
                       ResearchSessionRow.subject, ResearchSessionRow.host_school_id).where(
                    ResearchSessionRow.group_id == self.group_id,
                    ResearchSessionRow.deleted_at.is_(None)))}
            school_rows = s.execute(select(SchoolRow.id, SchoolRow.name, SchoolRow.short_name)
                                    .where(SchoolRow.deleted_at.is_(None))).all()
        all_schools = {i: name for i, name, _short in school_rows}
        group_ids = {ref.id for ref in schools}
        by_name = {name: i for i, name, _short in school_rows if i in group_ids}
        for i, _name, short in school_rows:
            if short and i in group_ids:
                by_name.setdefault(short, i)
        any_name = {name: i for i, name, _short in school_rows} | {
            short: i for i, _name, short in school_rows if short}
        teacher_index: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
        for teacher_id, name, school_id, staff_no in teachers:
            teacher_index[(name, school_id)].append((teacher_id, staff_no or ""))

        type_words = choice_words(ResearchType, CHINESE_TYPE_WORDS)
        mode_words = choice_words(DeliveryMode, CHINESE_MODE_WORDS)
        stage_words = choice_words(Stage, STAGE_WORDS)
        status_words = choice_words(AttendanceStatus, CHINESE_STATUS_WORDS)

        # sessions
        drafts: dict[str, tuple[RowReader, ResearchSession]] = {}
        session_readers: list[RowReader] = []
        total = len(sessions_table.body) + (len(attendance_table.body) if attendance_table
                                            else 0)
        for done, row in enumerate(sessions_table.readers()):
            session_readers.append(row)
            number = row.text("number", required=True)
            held_on = row.date("held_on", required=True)
            start = row.time("start", required=True)
            end = row.time("end", required=True)
            subject = row.text("subject", required=True, limit=SESSION_LIMITS["subject"])
            stage = row.choice("stage", stage_words, default=Stage.PRIMARY)
            kind = row.choice("kind", type_words)
            mode = row.choice("mode", mode_words, default=DeliveryMode.OFFLINE)
            topic = row.text("topic", limit=SESSION_LIMITS["topic"])
            lead = row.text("lead_teacher", limit=SESSION_LIMITS["lead_teacher"])
            minutes = row.text("minutes")
            host_name = row.text("host", required=True)
            host = by_name.get(host_name)
            if host_name and host is None:
                row.error(_("“{name}” is not a school of this group.").format(name=host_name),
                          "host")
            school_ids = {host} if host is not None else set()
            for name in _split_names(row.text("schools")):
                school_id = by_name.get(name)
                if school_id is None:
                    row.error(_("“{name}” is not a school of this group.").format(name=name),
                              "schools")
                else:
                    school_ids.add(school_id)
            if number in drafts:
                row.error(_("The number {number} is used by two sessions.").format(
                    number=number), "number")
            if row.errors or held_on is None or start is None or end is None or kind is None:
                drafts.setdefault(number, (row, _placeholder(self.group_id)))
                continue
            draft = ResearchSession(
                None, self.group_id, held_on, to_minute(start), to_minute(end), subject,
                stage or Stage.PRIMARY, kind, host, tuple(sorted(school_ids)),
                mode or DeliveryMode.OFFLINE, topic, lead, minutes)
            if (held_on, draft.start_minute, subject, host) in existing:
                row.error(_("This session is already recorded (same date, start, subject and "
                            "host school)."))
            drafts[number] = (row, draft)
            if progress and done % 200 == 0:
                progress(done, total)

        # attendance
        attendance: dict[str, list[AttendanceEntry]] = defaultdict(list)
        attendance_readers: list[RowReader] = []
        keys: list[tuple[RowReader, str, int]] = []  # row, session number, teacher id
        if attendance_table is not None:
            for done, row in enumerate(attendance_table.readers()):
                attendance_readers.append(row)
                number = row.text("number", required=True)
                name = row.text("name", required=True)
                school_name = row.text("school", required=True)
                staff_no = row.text("staff_no")
                status = row.choice("status", status_words, default=AttendanceStatus.PRESENT)
                remark = row.text("remark", limit=ATTENDANCE_LIMITS["remark"])
                if number and number not in drafts:
                    row.error(_("No session with the number {number} in the sheet {sheet}.")
                              .format(number=number, sheet=SESSIONS_SHEET), "number")
                school_id = by_name.get(school_name) or any_name.get(school_name)
                if school_name and school_id is None:
                    row.error(_("Unknown school “{name}”.").format(name=school_name), "school")
                teacher_id = None
                if school_id is not None and name:
                    found = teacher_index.get((name, school_id), [])
                    if staff_no:
                        found = [f for f in found if f[1] == staff_no]
                    if not found:
                        row.error(_("No teacher {name} at {school}: add the teacher under "
                                    "Teachers first.").format(name=name, school=school_name),
                                  "name")
                    elif len(found) > 1:
                        row.error(_("{school} has several teachers called {name}: add the "
                                    "staff number.").format(name=name, school=school_name),
                                  "staff_no")
                    else:
                        teacher_id = found[0][0]
                if teacher_id is not None and not row.errors:
                    if any(e.teacher_id == teacher_id for e in attendance[number]):
                        row.error(_("This teacher is listed twice for the session."), "name")
                    else:
                        attendance[number].append(AttendanceEntry(
                            teacher_id, status or AttendanceStatus.PRESENT, remark, name,
                            school_id))
                        keys.append((row, number, teacher_id))
                if progress and done % 500 == 0:
                    progress(len(session_readers) + done, total)

        # each session with its attendance, checked as the form checks it
        names = {t[0]: t[1] for t in teachers}
        teacher_schools = {t[0]: t[2] for t in teachers}
        group_schools = {ref.id: ref for ref in schools}
        context = ValidationContext(group_schools, teacher_schools, names,
                                    {k: v for k, v in all_schools.items()
                                     if k not in group_schools})
        records: list[ResearchSession] = []
        for number, (row, draft) in drafts.items():
            if row.errors:
                continue
            draft = dataclasses.replace(draft, attendance=tuple(attendance.get(number, ())))
            report = validate_session(draft, context)
            for key, message in report.items():
                if key == "attendance":
                    self._blame_attendance(keys, number, draft, context, message)
                else:
                    row.error(message, _FIELD_COLUMNS.get(key))
            if report.ok:
                records.append(draft)
        readers = session_readers + attendance_readers
        all_problems = problems + [p for r in readers for p in r.problems]
        if not all_problems and not records:
            all_problems.append(RowProblem(0, "", _("The sheet has no session rows below the "
                                                    "headers."), sessions_table.name))
        sheets = [PreviewSheet(sessions_table.name, sessions_table.headers(),
                               tuple(r.preview_row() for r in session_readers))]
        if attendance_table is not None:
            sheets.append(PreviewSheet(attendance_table.name, attendance_table.headers(),
                                       tuple(r.preview_row() for r in attendance_readers)))
        if all_problems:
            records = []
        return ImportPreview(path, tuple(records), tuple(all_problems), tuple(sheets))

    @staticmethod
    def _blame_attendance(keys: list[tuple[RowReader, str, int]], number: str,
                          draft: ResearchSession, context: ValidationContext,
                          message: str) -> None:
        """Put an attendance problem on the attendance rows of the session that cause it."""
        taking_part = set(draft.school_ids)
        blamed = False
        for row, key_number, teacher_id in keys:
            if key_number != number:
                continue
            school = context.teacher_schools.get(teacher_id)
            if school not in taking_part:
                name = context.teacher_names.get(teacher_id, "")
                row.error(_("{name} teaches at a school that is not among the participating "
                            "schools of session {number}.").format(name=name, number=number),
                          "school")
                blamed = True
        if not blamed:
            for row, key_number, _teacher_id in keys:
                if key_number == number:
                    row.error(message)
                    break

    # ---- writing ------------------------------------------------------------------------

    def commit(self, preview: ImportPreview[ResearchSession],
               progress: ProgressFn | None = None) -> tuple[int, Changes]:
        """Write every session of a clean preview in one transaction, or none."""
        if not preview.ok:
            raise ValueError("only a preview without problems can be imported")
        ids: list[int] = []
        with self.research.db.unit_of_work() as s:
            for done, draft in enumerate(preview.records):
                report = validate_session(draft, self.research.validation_context(s, draft))
                if not report.ok:  # something changed since the preview
                    raise ValidationError(ValidationReport({"": _(
                        "The session of {date} ({subject}) is no longer valid: {problem} "
                        "Read the workbook again.").format(
                            date=draft.held_on.isoformat(), subject=draft.subject,
                            problem=report.text())}))
                ids.append(self.research.write(s, draft, audit_action="import"))
                if progress and (done % 100 == 0 or done + 1 == len(preview.records)):
                    progress(done + 1, len(preview.records))
            self.research.db.audit(s, "import", "research_session", None, _(
                "Imported {n} joint research sessions from {file}").format(
                    n=len(ids), file=preview.path.name), group_id=self.group_id)
        return len(ids), Changes.of("research_session", ids=ids)


_FIELD_COLUMNS = {"held_on": "held_on", "end_minute": "end", "subject": "subject",
                  "host_school_id": "host", "school_ids": "schools", "topic": "topic",
                  "lead_teacher": "lead_teacher"}


def _placeholder(group_id: int) -> ResearchSession:
    """Stands for a session row with errors, so its attendance rows still find the number."""
    return ResearchSession(None, group_id, dt.date.min, 0, 0, "", Stage.PRIMARY,
                           ResearchType.OTHER, None)
