"""Joint teaching-research sessions: list, save (with schools and attendance), attachments,
and the policy checks per subject and semester, school year and synchronised class."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from jituan_desktop.atomic import write_bytes_atomic
from jituan_desktop.domain.calendar import Semester, default_range, school_year_of
from jituan_desktop.domain.dates import school_year_end
from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.research import (
    Attachment,
    AttachmentKind,
    AttendanceEntry,
    AttendanceStatus,
    DeliveryMode,
    ResearchSession,
    ResearchType,
    SchoolRef,
    ValidationContext,
    guess_attachment_kind,
    minute_text,
    validate_session,
)
from jituan_desktop.domain.rules import Finding, evaluate
from jituan_desktop.domain.rules.research import SemesterFacts, SessionFact, SyncFacts, YearFacts
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import N_, _, format_date, format_school_year, format_semester
from jituan_desktop.persistence.models import (
    GroupRow,
    MembershipRow,
    SchoolRow,
    TeacherRow,
    TeacherSubjectRow,
)
from jituan_desktop.persistence.research_models import (
    ResearchAttachmentRow,
    ResearchAttendanceRow,
    ResearchSchoolRow,
    ResearchSessionRow,
)
from jituan_desktop.services.attachments import AttachmentStore, attachment_error
from jituan_desktop.services.base import Changes, Database, NotFound, diff, utcnow

SESSION_FIELDS = ("group_id", "held_on", "start_minute", "end_minute", "subject", "stage",
                  "kind", "host_school_id", "mode", "topic", "lead_teacher", "minutes")
ProgressFn = Callable[[int, int], None]


def session_values(draft: ResearchSession) -> dict[str, Any]:
    values = {k: getattr(draft, k) for k in SESSION_FIELDS}
    for key in ("stage", "kind", "mode"):
        values[key] = values[key].value
    values["subject"] = draft.subject.strip()
    values["topic"] = draft.topic.strip()
    values["lead_teacher"] = draft.lead_teacher.strip()
    return values


_STAGES = {m.value: m for m in Stage}
_TYPES = {m.value: m for m in ResearchType}
_MODES = {m.value: m for m in DeliveryMode}


def _to_session(row: Any, **extra: Any) -> ResearchSession:
    """A row (ORM or Core, with the session's columns) as a record; dict lookups instead of
    Enum() calls keep 50,000 rows fast."""
    return ResearchSession(
        id=row.id, group_id=row.group_id, held_on=row.held_on, start_minute=row.start_minute,
        end_minute=row.end_minute, subject=row.subject, stage=_STAGES[row.stage],
        kind=_TYPES[row.kind], host_school_id=row.host_school_id,
        mode=_MODES[row.mode], topic=row.topic, lead_teacher=row.lead_teacher,
        minutes=row.minutes, **extra)


@dataclass(frozen=True)
class TeacherChoice:
    """A teacher of a participating school, for taking attendance."""

    id: int
    name: str
    school_id: int
    school_name: str
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubjectCount:
    """One row of the page's table: a subject in a semester with its findings."""

    semester: Semester
    subject: str
    count: int
    findings: tuple[Finding, ...] = ()

    @property
    def broken(self) -> bool:
        return any(f.broken for f in self.findings)


@dataclass(frozen=True)
class Compliance:
    subject_counts: tuple[SubjectCount, ...]
    year_findings: tuple[Finding, ...]
    session_findings: dict[int, tuple[Finding, ...]]  # session id → findings (YY-12)


def semester_of(day: dt.date, semesters: Sequence[Semester]) -> Semester:
    """The calendar's semester containing ``day``, or the default one."""
    for semester in semesters:
        if semester.contains(day):
            return semester
    year = school_year_of(day)
    term = 1 if dt.date(year, 9, 1) <= day <= default_range(year, 1)[1] else 2
    start, end = default_range(year, term)
    return Semester(None, year, term, start, end)


class ResearchService:
    def __init__(self, db: Database, store: AttachmentStore,
                 profiles: dict[str, PolicyProfile] | None = None) -> None:
        self.db = db
        self.store = store
        self.profiles = profiles or {}

    # ---- reading ----------------------------------------------------------------------

    def list(self, group_id: int) -> list[ResearchSession]:
        """The group's sessions (without attendance entries: counts only), newest first.

        Flat queries, so tens of thousands of sessions load in well under a second."""
        with self.db.reading() as s:
            rows = s.execute(
                select(*ResearchSessionRow.__table__.c, SchoolRow.name.label("host_name"))
                .join(SchoolRow, SchoolRow.id == ResearchSessionRow.host_school_id)
                .where(ResearchSessionRow.group_id == group_id,
                       ResearchSessionRow.deleted_at.is_(None))
                .order_by(ResearchSessionRow.held_on.desc(),
                          ResearchSessionRow.start_minute.desc())).all()
            live = select(ResearchSessionRow.id).where(
                ResearchSessionRow.group_id == group_id, ResearchSessionRow.deleted_at.is_(None))
            schools: dict[int, list[int]] = defaultdict(list)
            for session_id, school_id in s.execute(
                    select(ResearchSchoolRow.session_id, ResearchSchoolRow.school_id)
                    .where(ResearchSchoolRow.session_id.in_(live))
                    .order_by(ResearchSchoolRow.school_id)):
                schools[session_id].append(school_id)
            attendance: dict[int, dict[str, int]] = defaultdict(dict)
            for session_id, status, count in s.execute(
                    select(ResearchAttendanceRow.session_id, ResearchAttendanceRow.status,
                           func.count()).where(ResearchAttendanceRow.session_id.in_(live))
                    .group_by(ResearchAttendanceRow.session_id, ResearchAttendanceRow.status)):
                attendance[session_id][status] = count
            attachments = dict(s.execute(
                select(ResearchAttachmentRow.session_id, func.count())
                .where(ResearchAttachmentRow.session_id.in_(live))
                .group_by(ResearchAttachmentRow.session_id)).all())
        result = []
        for row in rows:
            counts = attendance.get(row.id, {})
            result.append(_to_session(
                row, school_ids=tuple(schools.get(row.id, ())), host_school_name=row.host_name,
                attachment_count=attachments.get(row.id, 0),
                status_counts=tuple(counts.get(status.value, 0) for status in AttendanceStatus)
                if counts else ()))
        return result

    def get(self, session_id: int) -> ResearchSession:
        with self.db.reading() as s:
            return self._get(s, session_id, include_deleted=False)

    def _get(self, s: Session, session_id: int, *, include_deleted: bool) -> ResearchSession:
        row = s.get(ResearchSessionRow, session_id)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(session_id)
        school_ids = tuple(s.scalars(select(ResearchSchoolRow.school_id).where(
            ResearchSchoolRow.session_id == session_id).order_by(ResearchSchoolRow.school_id)))
        entries = tuple(
            AttendanceEntry(a.teacher_id, AttendanceStatus(a.status), a.remark, name, school_id)
            for a, name, school_id in s.execute(
                select(ResearchAttendanceRow, TeacherRow.name, TeacherRow.school_id)
                .join(TeacherRow, TeacherRow.id == ResearchAttendanceRow.teacher_id)
                .where(ResearchAttendanceRow.session_id == session_id)
                .order_by(TeacherRow.school_id, TeacherRow.name)))
        host = s.get(SchoolRow, row.host_school_id)
        count = s.scalar(select(func.count()).select_from(ResearchAttachmentRow).where(
            ResearchAttachmentRow.session_id == session_id)) or 0
        return _to_session(row, school_ids=school_ids, attendance=entries,
                           host_school_name=host.name if host else "", attachment_count=count)

    def group_schools(self, group_id: int) -> list[SchoolRef]:
        """Every school that is or was a member of the group (not in the recycle bin)."""
        with self.db.reading() as s:
            return self._group_schools(s, group_id)

    @staticmethod
    def _group_schools(s: Session, group_id: int) -> list[SchoolRef]:
        rows = s.execute(
            select(SchoolRow.id, SchoolRow.name).join(
                MembershipRow, MembershipRow.school_id == SchoolRow.id)
            .where(MembershipRow.group_id == group_id, MembershipRow.deleted_at.is_(None),
                   SchoolRow.deleted_at.is_(None)).distinct().order_by(SchoolRow.name)).all()
        return [SchoolRef(school_id, name) for school_id, name in rows]

    def teachers_of(self, school_ids: Iterable[int]) -> list[TeacherChoice]:
        """The teachers (not in the recycle bin) of these schools, by school and name."""
        ids = list(school_ids)
        if not ids:
            return []
        with self.db.reading() as s:
            rows = s.execute(
                select(TeacherRow.id, TeacherRow.name, TeacherRow.school_id, SchoolRow.name)
                .join(SchoolRow, SchoolRow.id == TeacherRow.school_id)
                .where(TeacherRow.school_id.in_(ids), TeacherRow.deleted_at.is_(None))
                .order_by(SchoolRow.name, TeacherRow.name)).all()
            subjects: dict[int, list[str]] = defaultdict(list)
            for teacher_id, subject in s.execute(
                    select(TeacherSubjectRow.teacher_id, TeacherSubjectRow.subject)
                    .where(TeacherSubjectRow.teacher_id.in_([r[0] for r in rows]))
                    .order_by(TeacherSubjectRow.position)):
                subjects[teacher_id].append(subject)
        return [TeacherChoice(i, name, school, school_name, tuple(subjects.get(i, ())))
                for i, name, school, school_name in rows]

    # ---- validation and saving --------------------------------------------------------

    def validation_context(self, s: Session, draft: ResearchSession) -> ValidationContext:
        schools = {ref.id: ref for ref in self._group_schools(s, draft.group_id or -1)}
        teacher_ids = [e.teacher_id for e in draft.attendance]
        teacher_schools: dict[int, int] = {}
        names: dict[int, str] = {}
        for start in range(0, len(teacher_ids), 500):
            for teacher_id, name, school_id in s.execute(
                    select(TeacherRow.id, TeacherRow.name, TeacherRow.school_id).where(
                        TeacherRow.id.in_(teacher_ids[start:start + 500]),
                        TeacherRow.deleted_at.is_(None))):
                teacher_schools[teacher_id] = school_id
                names[teacher_id] = name
        # the school of a teacher outside the group is named in the message
        others = dict(s.execute(select(SchoolRow.id, SchoolRow.name).where(
            SchoolRow.id.in_(set(teacher_schools.values()) - set(schools)))).all())
        return ValidationContext(schools, teacher_schools, names, others)

    def validate(self, draft: ResearchSession) -> ValidationReport:
        with self.db.reading() as s:
            return validate_session(draft, self.validation_context(s, draft))

    def validate_restore(self, session_id: int) -> ValidationReport:
        """A session in the recycle bin, checked as if saved again now (a school may have
        been removed from the group, a teacher deleted)."""
        with self.db.reading() as s:
            draft = self._get(s, session_id, include_deleted=True)
            return validate_session(draft, self.validation_context(s, draft))

    def save(self, draft: ResearchSession) -> tuple[ResearchSession, Changes]:
        """Insert or update the session with its schools and attendance: one transaction."""
        with self.db.unit_of_work() as s:
            report = validate_session(draft, self.validation_context(s, draft))
            if not report.ok:
                raise ValidationError(report)
            session_id = self.write(s, draft)
            saved = self._get(s, session_id, include_deleted=False)
        return saved, Changes.of("research_session", ids=[session_id])

    def write(self, s: Session, draft: ResearchSession, *, audit_action: str | None = None) -> int:
        """Write a validated draft inside an open unit of work; its id."""
        values = session_values(draft)
        label = _("{date} {subject} {type}").format(
            date=format_date(draft.held_on), subject=values["subject"], type=draft.kind.label())
        attendance = {e.teacher_id: (e.status.value, e.remark.strip()) for e in draft.attendance}
        if draft.id is None:
            row = ResearchSessionRow(**values)
            s.add(row)
            s.flush()
            before_schools: set[int] = set()
            before_attendance: dict[int, tuple[str, str]] = {}
            changes = values
            action = audit_action or "create"
            summary = _("Recorded the joint research session {name}").format(name=label)
        else:
            row = s.get(ResearchSessionRow, draft.id)
            if row is None or row.deleted_at is not None:
                raise NotFound(draft.id)
            before = {k: getattr(row, k) for k in values}
            for key, value in values.items():
                setattr(row, key, value)
            before_schools = set(s.scalars(select(ResearchSchoolRow.school_id).where(
                ResearchSchoolRow.session_id == row.id)))
            before_attendance = {a.teacher_id: (a.status, a.remark) for a in s.scalars(
                select(ResearchAttendanceRow).where(ResearchAttendanceRow.session_id == row.id))}
            changes = diff(before, values)
            action = audit_action or "update"
            summary = _("Changed the joint research session {name}").format(name=label)
        if set(draft.school_ids) != before_schools:
            s.execute(delete(ResearchSchoolRow).where(ResearchSchoolRow.session_id == row.id))
            s.execute(insert(ResearchSchoolRow), [{"session_id": row.id, "school_id": i}
                                                  for i in sorted(set(draft.school_ids))])
            changes = dict(changes, school_ids=[sorted(before_schools),
                                                sorted(set(draft.school_ids))])
        if attendance != before_attendance:
            s.execute(delete(ResearchAttendanceRow).where(
                ResearchAttendanceRow.session_id == row.id))
            if attendance:
                s.execute(insert(ResearchAttendanceRow), [
                    {"session_id": row.id, "teacher_id": t, "status": st, "remark": rm}
                    for t, (st, rm) in attendance.items()])
            teachers = sorted(set(attendance) | set(before_attendance))
            statuses = {str(t): [before_attendance.get(t, (None, ""))[0],
                                 attendance.get(t, (None, ""))[0]] for t in teachers
                        if before_attendance.get(t, (None, ""))[0]
                        != attendance.get(t, (None, ""))[0]}
            # a remark changed on its own is an edit too (the status alone would hide it)
            remarks = {str(t): [before_attendance.get(t, (None, ""))[1],
                                attendance.get(t, (None, ""))[1]] for t in teachers
                       if before_attendance.get(t, (None, ""))[1]
                       != attendance.get(t, (None, ""))[1]}
            if statuses:
                changes = dict(changes, attendance=statuses)
            if remarks:
                changes = dict(changes, remarks=remarks)
        self.db.audit(s, action, "research_session", row.id, summary, group_id=row.group_id,
                      details=_readable_times(changes))
        return int(row.id)

    # ---- attachments ------------------------------------------------------------------

    def attachments(self, session_id: int) -> list[Attachment]:
        with self.db.reading() as s:
            rows = s.scalars(select(ResearchAttachmentRow).where(
                ResearchAttachmentRow.session_id == session_id)
                .order_by(ResearchAttachmentRow.added_at, ResearchAttachmentRow.id))
            return [_to_attachment(r) for r in rows]

    def add_attachment(self, session_id: int, source: Path,
                       progress: ProgressFn | None = None) -> tuple[Attachment, Changes]:
        """Copy ``source`` into the store (off the GUI thread: it streams and reports
        ``progress``), then add the attachment row in one transaction."""
        with self.db.reading() as s:
            self._live_session(s, session_id)
        self.store.check_source(source)  # size and readability before any copying
        sha256, size = self.store.store(source, progress)
        kind = guess_attachment_kind(source.name)
        return self.attach_stored(session_id, sha256, source.name, size, kind)

    def restore_attachment(self, attachment: Attachment) -> tuple[Attachment, Changes]:
        """Attach a removed file again (undo): its content must still be in the store."""
        if not self.store.exists(attachment.sha256, attachment.file_name):
            raise attachment_error(_("The file {file} is no longer in the attachment store.")
                                   .format(file=attachment.file_name))
        return self.attach_stored(attachment.session_id, attachment.sha256,
                                       attachment.file_name, attachment.size, attachment.kind)

    def attach_stored(self, session_id: int, sha256: str, file_name: str, size: int,
                           kind: AttachmentKind) -> tuple[Attachment, Changes]:
        """Add the row of a file already in the store (``store.store``/``store_bytes``)."""
        name = file_name[-255:]
        with self.db.unit_of_work() as s:
            session = self._live_session(s, session_id)
            same = s.scalar(select(ResearchAttachmentRow).where(
                ResearchAttachmentRow.session_id == session_id,
                ResearchAttachmentRow.sha256 == sha256))
            if same is not None:
                raise attachment_error(_("This file is already attached to the session (as "
                                         "“{name}”).").format(name=same.file_name))
            row = ResearchAttachmentRow(session_id=session_id, sha256=sha256, file_name=name,
                                        size=size, kind=kind.value, added_at=utcnow())
            s.add(row)
            s.flush()
            self.db.audit(s, "update", "research_session", session_id,
                          _("Attached {file} to the research session of {date}").format(
                              file=name, date=format_date(session.held_on)),
                          group_id=session.group_id,
                          details={"attachment": name, "sha256": sha256, "size": size})
            attachment = _to_attachment(row)
        return attachment, Changes.of("research_session", ids=[session_id])

    def remove_attachment(self, attachment_id: int) -> tuple[Attachment, Changes]:
        """Remove the attachment row; the stored file stays (other sessions may use the same
        content, and undo can attach it again)."""
        with self.db.unit_of_work() as s:
            row = s.get(ResearchAttachmentRow, attachment_id)
            if row is None:
                raise NotFound(attachment_id)
            session = self._live_session(s, row.session_id)
            attachment = _to_attachment(row)
            s.delete(row)
            self.db.audit(s, "update", "research_session", session.id,
                          _("Removed the attachment {file} from the research session of "
                            "{date}").format(file=row.file_name,
                                             date=format_date(session.held_on)),
                          group_id=session.group_id,
                          details={"attachment": row.file_name, "sha256": row.sha256})
        return attachment, Changes.of("research_session", ids=[attachment.session_id])

    def attachment_path(self, attachment: Attachment) -> Path:
        """The stored file; ``ValidationError`` with a clear message when it is missing."""
        path = self.store.path_for(attachment.sha256, attachment.file_name)
        if not path.is_file():
            raise attachment_error(_(
                "The stored copy of {file} is missing from the attachment store ({folder}). "
                "Restore the data folder from a backup, or attach the file again.").format(
                    file=attachment.file_name, folder=self.store.root))
        return path

    @staticmethod
    def _live_session(s: Session, session_id: int) -> ResearchSessionRow:
        row = s.get(ResearchSessionRow, session_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(session_id)
        return row

    # ---- policy checks ----------------------------------------------------------------

    def compliance(self, group_id: int, sessions: Sequence[ResearchSession],
                   semesters: Sequence[Semester], today: dt.date) -> Compliance:
        """Counts per subject per semester (ALX-20), seminars per school year (YY-06) and the
        debrief of each synchronised class (YY-12), as the group's profile defines them."""
        with self.db.reading() as s:
            group = s.get(GroupRow, group_id)
            profile = self.profiles.get(group.profile_id) if group is not None else None
            model = group.model_label if group is not None else ""
        facts = [SessionFact(x.id, x.held_on, x.subject, x.kind, len(x.school_ids))
                 for x in sessions]
        by_semester: dict[tuple[int, int], list[SessionFact]] = defaultdict(list)
        semester_of_key: dict[tuple[int, int], Semester] = {}
        for fact in facts:
            semester = semester_of(fact.held_on, semesters)
            key = (semester.school_year, semester.term)
            by_semester[key].append(fact)
            semester_of_key[key] = semester
        subjects = tuple(sorted({f.subject for f in facts}))
        counts: list[SubjectCount] = []
        for key in sorted(by_semester, reverse=True):
            semester = semester_of_key[key]
            label = format_semester(*key)
            held = tuple(by_semester[key])
            for subject in subjects:
                n = sum(1 for f in held if f.subject == subject)
                found = evaluate(profile, "research_semester", SemesterFacts(
                    label, (subject,), held, semester.ends_on, today)) if profile else []
                counts.append(SubjectCount(semester, subject, n, tuple(found)))
        year_findings: list[Finding] = []
        if profile:
            by_year: dict[int, list[SessionFact]] = defaultdict(list)
            for (school_year, _term), held in by_semester.items():
                by_year[school_year].extend(held)
            for year in sorted(by_year, reverse=True):
                # the year's last semester ends it; without a calendar entry, 31 August
                ends_on = max((x.ends_on for x in semesters
                               if x.school_year == year and x.term == 2),
                              default=school_year_end(year))
                year_findings.extend(evaluate(profile, "research_year", YearFacts(
                    format_school_year(year), tuple(by_year[year]), ends_on, today, model)))
        session_findings: dict[int, tuple[Finding, ...]] = {}
        if profile:
            # only a debrief of the same subject on or after the class matters, and the rule
            # takes the first one: the debriefs by subject and date, found with bisect (a scan
            # of every debrief of the subject per class was quadratic)
            debriefs: dict[str, list[SessionFact]] = defaultdict(list)
            for fact in facts:
                if fact.kind == ResearchType.SYNC_DEBRIEF:
                    debriefs[fact.subject].append(fact)
            days: dict[str, list[dt.date]] = {}
            for subject, found in debriefs.items():
                found.sort(key=lambda f: f.held_on)
                days[subject] = [f.held_on for f in found]
            for fact in facts:
                if fact.kind == ResearchType.SYNC_CLASS and fact.id is not None:
                    same = debriefs.get(fact.subject, [])
                    at = bisect_left(days.get(fact.subject, []), fact.held_on)
                    session_findings[fact.id] = tuple(evaluate(
                        profile, "research_session", SyncFacts(
                            fact, tuple(same[at:at + 1]), today, model)))
        return Compliance(tuple(counts), tuple(year_findings), session_findings)


def _readable_times(details: dict[str, Any]) -> dict[str, Any]:
    """The history shows 14:30, not 870 minutes after midnight."""
    def text(value: Any) -> Any:
        if isinstance(value, int):
            return minute_text(value)
        if isinstance(value, list):
            return [text(v) for v in value]
        return value

    return {k: text(v) if k in ("start_minute", "end_minute") else v
            for k, v in details.items()}


def _to_attachment(row: ResearchAttachmentRow) -> Attachment:
    return Attachment(row.id, row.session_id, row.sha256, row.file_name, row.size,
                      AttachmentKind(row.kind), row.added_at)


def time_range_text(session: ResearchSession) -> str:
    return f"{minute_text(session.start_minute)}–{minute_text(session.end_minute)}"


DOCUMENT_SECTIONS = ("research_sessions", "research_session_schools", "research_attendance",
                     "research_attachments", "memberships", "schools", "teachers")
"""The dataset sections ``document_research_reports`` reads."""


def document_research_reports(rows: Callable[[str], list[tuple[str, Any]]]
                              ) -> list[tuple[str, ValidationReport]]:
    """The research records of a dataset document checked as the session form checks them
    (schools of the group, attendance of participating schools, end after start; records in
    the recycle bin count as existing, as they did when the session was saved) and every
    attachment with a well-formed SHA-256, once per session. ``rows(section)`` gives
    ``(position, row)`` pairs as ``dataset_check`` reads them."""
    # schools, periods and teachers in the recycle bin count: a session keeps the schools and
    # teachers it had when it was recorded, whatever was deleted afterwards
    school_names = {row.id: row.name for _w, row in rows("schools")}
    group_schools: dict[int, dict[int, SchoolRef]] = defaultdict(dict)
    for _w, row in rows("memberships"):
        if row.school_id in school_names:
            group_schools[row.group_id][row.school_id] = SchoolRef(
                row.school_id, school_names[row.school_id])
    teacher_schools = {row.id: row.school_id for _w, row in rows("teachers")}
    teacher_names = {row.id: row.name for _w, row in rows("teachers")}
    schools_of: dict[int, list[int]] = defaultdict(list)
    for _w, row in rows("research_session_schools"):
        schools_of[row.session_id].append(row.school_id)
    attendance_of: dict[int, list[AttendanceEntry]] = defaultdict(list)
    for _w, row in rows("research_attendance"):
        attendance_of[row.session_id].append(AttendanceEntry(
            row.teacher_id, AttendanceStatus(row.status), row.remark))
    reports: list[tuple[str, ValidationReport]] = []
    for where, row in rows("research_sessions"):
        if row.deleted_at is not None:
            continue
        draft = _to_session(row, school_ids=tuple(sorted(schools_of.get(row.id, ()))),
                            attendance=tuple(attendance_of.get(row.id, ())))
        context = ValidationContext(group_schools.get(row.group_id, {}), teacher_schools,
                                    teacher_names)
        report = validate_session(draft, context)
        if not report.ok:
            reports.append((where, report))
    seen: set[tuple[int, str]] = set()
    for where, row in rows("research_attachments"):
        sha = str(row.sha256)
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            reports.append((where, ValidationReport({"sha256": _(
                "Not a SHA-256 (64 hexadecimal digits).")})))
        elif (row.session_id, sha) in seen:
            reports.append((where, ValidationReport({"sha256": _(
                "The same file is attached twice to one session.")})))
        seen.add((row.session_id, sha))
    return reports


# ---- Excel export of a list of sessions ------------------------------------------------

EXPORT_HEADERS = (N_("Date"), N_("Start"), N_("End"), N_("Duration (minutes)"), N_("Subject"),
                  N_("Type"), N_("Hosting school"), N_("Participating schools"), N_("Mode"),
                  N_("Topic"), N_("Lead teacher"), N_("Present"), N_("Listed"))
"""The columns of ``export_sessions_xlsx`` (shown through ``_()``)."""
DURATION_COLUMN = 3


def export_row(session: ResearchSession, school_names: dict[int | None, str]) -> list[Any]:
    """One session as a row of the export: numbers stay numbers (the duration in minutes)."""
    counts = session.attendance_counts()
    return [session.held_on, minute_text(session.start_minute), minute_text(session.end_minute),
            session.duration_minutes, session.subject, session.kind.label(),
            school_names.get(session.host_school_id) or session.host_school_name,
            "、".join(school_names.get(i) or str(i) for i in session.school_ids),
            session.mode.label(), session.topic, session.lead_teacher,
            counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE],
            session.attendee_count]


def export_sessions_xlsx(path: Path, sessions: Sequence[ResearchSession],
                         school_names: dict[int | None, str],
                         check: Callable[[int, int], None] | None = None) -> int:
    """Write ``sessions`` (in this order) to one sheet of a new .xlsx at ``path``; returns the
    number of rows. Built with openpyxl's write-only workbook in memory, then written with
    ``atomic.write_bytes_atomic`` (temporary file beside ``path``, renamed over it), so a
    cancelled or failed export leaves any old file intact. ``check(done, total)`` is called
    every 500 rows (it may raise to cancel)."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Joint research"))
    header = []
    for text in EXPORT_HEADERS:
        cell = WriteOnlyCell(sheet, _(text))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    total = len(sessions)
    for done, session in enumerate(sessions, start=1):
        row = export_row(session, school_names)
        date_cell = WriteOnlyCell(sheet, row[0])
        date_cell.number_format = "yyyy-mm-dd"
        sheet.append([date_cell, *row[1:]])
        if check is not None and done % 500 == 0:
            check(done, total)
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    return total
