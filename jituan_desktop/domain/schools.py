"""Schools and teachers: records and their validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jituan_desktop.domain.credit_code import is_valid_credit_code
from jituan_desktop.domain.enums import CadreRank, Stage, TeacherTitle
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _

# Column lengths (``persistence/models.py`` builds its ``String(n)`` from these): a record that
# passes its validator fits its table, so every export can be imported again.
SCHOOL_LIMITS = {"name": 100, "short_name": 50, "credit_code": 18, "address": 200,
                 "legal_representative": 50, "stage": 30}
TEACHER_LIMITS = {"name": 50, "gender": 2, "staff_no": 30, "title": 30, "cadre_rank": 30,
                  "position": 50, "backbone_level": 30}
MAX_SUBJECT = 20  # one subject of a teacher (teacher_subjects.subject)
MAX_NAME = SCHOOL_LIMITS["name"]


@dataclass(frozen=True)
class School:
    """A school as on its legal-person certificate (事业单位法人证书)."""

    id: int | None
    name: str
    short_name: str = ""
    credit_code: str = ""
    address: str = ""
    legal_representative: str = ""
    stage: Stage = Stage.PRIMARY
    is_rural: bool = False
    is_small_rural: bool = False
    is_quality: bool = False
    is_weak: bool = False
    is_new: bool = False
    is_former_ethnic_language: bool = False
    is_private: bool = False
    is_general_high_school: bool = False
    notes: str = ""
    teacher_count: int = 0  # filled by list queries, ignored on save

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def kind_labels(self) -> list[str]:
        """The school's character flags as short translated words."""
        flags = [
            (self.is_quality, _("quality")),
            (self.is_rural, _("rural")),
            (self.is_small_rural, _("small rural")),
            (self.is_weak, _("weak")),
            (self.is_new, _("new")),
            (self.is_former_ethnic_language, _("former ethnic-language")),
            (self.is_private, _("private")),
            (self.is_general_high_school, _("general high school")),
        ]
        words = [word for on, word in flags if on]
        if not self.is_rural and not self.is_small_rural:
            words.insert(0, _("urban"))
        return words


@dataclass(frozen=True)
class Teacher:
    id: int | None
    school_id: int | None
    name: str
    gender: str = ""
    staff_no: str = ""
    subjects: tuple[str, ...] = ()
    title: TeacherTitle = TeacherTitle.UNRATED
    cadre_rank: CadreRank = CadreRank.NONE
    position: str = ""
    is_backbone: bool = False
    backbone_level: str = ""
    rotation_eligible: bool = False
    hired_on: dt.date | None = None
    notes: str = ""
    school_name: str = field(default="", compare=False)  # filled by queries, ignored on save

    @property
    def subjects_text(self) -> str:
        return "、".join(self.subjects)


def split_subjects(text: str) -> tuple[str, ...]:
    """``"语文、数学"`` / ``"语文,数学"`` / ``"语文；数学"`` → ``("语文", "数学")``, order kept."""
    for sep in ",，;；/／ ":
        text = text.replace(sep, "、")
    seen: list[str] = []
    for part in text.split("、"):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return tuple(seen)


def validate_school(draft: School, other_names: set[str]) -> ValidationReport:
    """``other_names``: full names of the other schools still in use (not in the recycle bin)."""
    report = ReportBuilder()
    name = draft.name.strip()
    if not name:
        report.add("name", _("Enter the school's full name."))
    elif name in other_names:
        report.add("name", _("Another school already has this name."))
    report.check_lengths(draft, SCHOOL_LIMITS)
    code = draft.credit_code.strip()
    if code and not is_valid_credit_code(code):
        report.add("credit_code", _("This is not a valid unified social credit code "
                                    "(18 characters with a correct check character)."))
    if draft.is_small_rural and not draft.is_rural:
        report.add("is_small_rural", _("A small rural school must also be marked rural."))
    return report.build()


def validate_teacher(draft: Teacher) -> ValidationReport:
    report = ReportBuilder()
    name = draft.name.strip()
    if not name:
        report.add("name", _("Enter the teacher's name."))
    report.check_lengths(draft, TEACHER_LIMITS)
    if draft.school_id is None:
        report.add("school_id", _("Choose the teacher's school."))
    if draft.gender not in ("", "男", "女"):
        report.add("gender", _("Gender must be 男 or 女, or left empty."))
    if any(len(s) > MAX_SUBJECT for s in draft.subjects):
        report.add("subjects", _("A subject name is too long (at most 20 characters)."))
    if draft.hired_on and draft.hired_on > dt.date.today():
        report.add("hired_on", _("The hiring date lies in the future."))
    return report.build()
