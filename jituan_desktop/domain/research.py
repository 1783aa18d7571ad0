"""Joint teaching-research sessions (联合教研): the records, their vocabularies and checks.

A session belongs to a group; it has a host school and the schools that took part (the host
always among them), attendance per teacher and attachments (photos, sign-in sheets, slides)
kept in the content-addressed attachment store. Times are minutes after midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jituan_desktop.domain.enums import LabeledEnum, Stage
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _, format_date

SESSION_LIMITS = {"subject": 20, "topic": 200, "lead_teacher": 50}
ATTENDANCE_LIMITS = {"remark": 200}
ATTACHMENT_LIMITS = {"file_name": 255, "sha256": 64, "extension": 16}
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
"""Largest file the attachment store accepts (200 MB): photos, scans and slides fit, a video
of a whole lesson belongs on the school's video platform."""


class ResearchType(LabeledEnum):
    COLLECTIVE_PREP = "collective_prep"
    OBSERVATION = "observation"
    EXPERT_LECTURE = "expert_lecture"
    CLASS_CONTEST = "class_contest"
    FORUM = "forum"
    SYNC_CLASS = "sync_class"
    SYNC_DEBRIEF = "sync_debrief"
    SEMINAR = "seminar"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "collective_prep": N_("Collective lesson preparation"),
            "observation": N_("Lesson observation"),
            "expert_lecture": N_("Expert teacher lecture"),
            "class_contest": N_("Classroom teaching contest"),
            "forum": N_("Forum / salon"),
            "sync_class": N_("Synchronised class"),
            "sync_debrief": N_("Synchronised class debrief"),
            "seminar": N_("Thematic seminar"),
            "other": N_("Other"),
        }


CHINESE_TYPE_WORDS = {
    "集体备课": "collective_prep", "教学观摩": "observation", "观摩课": "observation",
    "名师讲座": "expert_lecture", "讲座": "expert_lecture", "课堂比武": "class_contest",
    "论坛沙龙": "forum", "论坛": "forum", "沙龙": "forum", "同步课堂": "sync_class",
    "同步课堂研讨": "sync_debrief", "同步教学研讨": "sync_debrief", "专题研讨": "seminar",
    "专题研讨交流": "seminar", "其他": "other",
}
"""The words principals write for the types (import and the docs)."""


class DeliveryMode(LabeledEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    HYBRID = "hybrid"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"offline": N_("On site"), "online": N_("Online"),
                "hybrid": N_("On site and online")}


CHINESE_MODE_WORDS = {"线下": "offline", "现场": "offline", "线上": "online", "网络": "online",
                      "线上线下": "hybrid", "线上+线下": "hybrid", "线上线下结合": "hybrid"}


class AttendanceStatus(LabeledEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"present": N_("Present"), "late": N_("Late"), "excused": N_("Excused"),
                "absent": N_("Absent")}


CHINESE_STATUS_WORDS = {"出席": "present", "到会": "present", "签到": "present",
                        "已到": "present", "迟到": "late", "请假": "excused",
                        "缺席": "absent", "未到": "absent", "缺勤": "absent"}


class AttachmentKind(LabeledEnum):
    PHOTO = "photo"
    SIGN_IN = "sign_in"
    SLIDES = "slides"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"photo": N_("Photo"), "sign_in": N_("Sign-in sheet"),
                "slides": N_("Slides"), "other": N_("Other file")}


def guess_attachment_kind(file_name: str) -> AttachmentKind:
    lower = file_name.lower()
    if "签到" in file_name or "sign" in lower:
        return AttachmentKind.SIGN_IN
    if lower.endswith((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".heic", ".webp")):
        return AttachmentKind.PHOTO
    if lower.endswith((".ppt", ".pptx", ".key", ".odp")):
        return AttachmentKind.SLIDES
    return AttachmentKind.OTHER


@dataclass(frozen=True)
class AttendanceEntry:
    teacher_id: int
    status: AttendanceStatus = AttendanceStatus.PRESENT
    remark: str = ""
    # read-only, for display
    teacher_name: str = ""
    school_id: int | None = None


@dataclass(frozen=True)
class Attachment:
    id: int | None
    session_id: int
    sha256: str
    file_name: str
    size: int
    kind: AttachmentKind = AttachmentKind.OTHER
    added_at: dt.datetime | None = None

    @property
    def extension(self) -> str:
        return stored_extension(self.file_name)


def stored_extension(file_name: str) -> str:
    """The extension kept on the stored file (so the system viewer picks the right program);
    "" when it is missing or implausibly long."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if not suffix or len(suffix) > ATTACHMENT_LIMITS["extension"] - 1 or not suffix.isalnum():
        return ""
    return "." + suffix


@dataclass(frozen=True)
class ResearchSession:
    id: int | None
    group_id: int | None
    held_on: dt.date
    start_minute: int
    end_minute: int
    subject: str
    stage: Stage
    kind: ResearchType
    host_school_id: int | None
    school_ids: tuple[int, ...] = ()  # participating schools, the host included
    mode: DeliveryMode = DeliveryMode.OFFLINE
    topic: str = ""
    lead_teacher: str = ""
    minutes: str = ""
    attendance: tuple[AttendanceEntry, ...] = ()
    # read-only, for lists
    host_school_name: str = ""
    attachment_count: int = 0
    status_counts: tuple[int, ...] = ()  # per AttendanceStatus, when ``attendance`` is not loaded

    @property
    def duration_minutes(self) -> int:
        return self.end_minute - self.start_minute

    @property
    def label(self) -> str:
        return _("{date} {subject} {type}").format(
            date=format_date(self.held_on), subject=self.subject, type=self.kind.label())

    def attendance_counts(self) -> dict[AttendanceStatus, int]:
        if not self.attendance and self.status_counts:
            return dict(zip(AttendanceStatus, self.status_counts, strict=True))
        counts = dict.fromkeys(AttendanceStatus, 0)
        for entry in self.attendance:
            counts[entry.status] += 1
        return counts

    @property
    def attendee_count(self) -> int:
        return len(self.attendance) or sum(self.status_counts)


def minute_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def duration_text(minutes: int) -> str:
    """"1 h 30 min" in the user's language."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return _("{h} h {m} min").format(h=hours, m=rest)
    if hours:
        return _("{h} h").format(h=hours)
    return _("{m} min").format(m=rest)


def to_minute(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@dataclass(frozen=True)
class SchoolRef:
    """What validation needs to know of a school."""

    id: int
    name: str
    in_group: bool = True


@dataclass(frozen=True)
class ValidationContext:
    """The group's schools (members at any time: a school that has left took part in earlier
    sessions) and the school of each teacher named in the attendance."""

    schools: Mapping[int, SchoolRef] = field(default_factory=dict)
    teacher_schools: Mapping[int, int] = field(default_factory=dict)
    teacher_names: Mapping[int, str] = field(default_factory=dict)
    other_school_names: Mapping[int, str] = field(default_factory=dict)  # outside the group


def validate_session(draft: ResearchSession, context: ValidationContext) -> ValidationReport:
    r = ReportBuilder()
    r.check(draft.group_id is not None, "", _("Choose or create a group first."))
    r.check(bool(draft.subject.strip()), "subject", _("Enter the subject."))
    r.check_lengths(draft, SESSION_LIMITS)
    r.check(0 <= draft.start_minute < 24 * 60 and 0 < draft.end_minute <= 24 * 60, "end_minute",
            _("Times must lie within one day."))
    r.check(draft.end_minute > draft.start_minute, "end_minute",
            _("The session must end after it starts ({start}).").format(
                start=minute_text(draft.start_minute)))
    if draft.host_school_id is None:
        r.add("host_school_id", _("Choose the school that hosted the session."))
    elif draft.host_school_id not in context.schools:
        r.add("host_school_id", _("The host school is not a school of this group."))
    outside = [i for i in draft.school_ids if i not in context.schools]
    r.check(not outside, "school_ids",
            _("Only schools of this group can take part."))
    r.check(len(set(draft.school_ids)) == len(draft.school_ids), "school_ids",
            _("A school is listed twice."))
    if draft.host_school_id is not None and draft.host_school_id not in draft.school_ids:
        r.add("school_ids", _("The host school must be among the participating schools."))
    taking_part = set(draft.school_ids)
    seen: set[int] = set()
    for entry in draft.attendance:
        name = context.teacher_names.get(entry.teacher_id) or entry.teacher_name or \
            str(entry.teacher_id)
        school = context.teacher_schools.get(entry.teacher_id)
        if school is None:
            r.add("attendance", _("The teacher {name} does not exist (any more).").format(
                name=name))
        elif school not in taking_part:
            school_name = context.schools[school].name if school in context.schools else \
                context.other_school_names.get(school, "")
            r.add("attendance", _("{name} teaches at {school}, which did not take part in "
                                  "this session. Add the school or remove the teacher from "
                                  "the attendance.").format(name=name, school=school_name or
                                                            _("another school")))
        if entry.teacher_id in seen:
            r.add("attendance", _("{name} is listed twice in the attendance.").format(
                name=name))
        seen.add(entry.teacher_id)
        if len(entry.remark) > ATTENDANCE_LIMITS["remark"]:
            r.add("attendance", _("The remark for {name} is longer than {n} characters.")
                  .format(name=name, n=ATTENDANCE_LIMITS["remark"]))
    return r.build()


def sessions_by_subject(sessions: Iterable[ResearchSession]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for session in sessions:
        counts[session.subject] = counts.get(session.subject, 0) + 1
    return counts
