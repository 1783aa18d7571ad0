"""History: the audit log of every change (who changed what, when), newest first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.agreements import AgreementScope, AgreementStatus
from jituan_desktop.domain.courses import CourseType, Delivery
from jituan_desktop.domain.enums import (
    CadreRank,
    LeaderRole,
    LegalStructure,
    PlanKind,
    SchoolRole,
    SectionKind,
    Stage,
    StageType,
    TeacherTitle,
)
from jituan_desktop.domain.placements import (
    VETO_LABELS,
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.domain.research import AttendanceStatus, DeliveryMode, ResearchType
from jituan_desktop.domain.rotations import Appraisal, RotationForm
from jituan_desktop.i18n import N_, _, format_date, format_datetime
from jituan_desktop.services.base import Changes
from jituan_desktop.services.recycle_bin import ACTION_LABELS, HistoryEntry
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.widgets.record_list import RecordListView

FIELD_LABELS = {
    "name": N_("Record name"), "short_name": N_("Short name"), "credit_code": N_("Credit code"),
    "address": N_("Address"), "legal_representative": N_("Legal representative"),
    "stage": N_("Stage"), "is_rural": N_("Rural"), "is_small_rural": N_("Small rural"),
    "is_quality": N_("Quality school"), "is_weak": N_("Weak school"), "is_new": N_("New school"),
    "is_former_ethnic_language": N_("Former ethnic-language school"),
    "is_private": N_("Private"), "is_general_high_school": N_("General high school"),
    "notes": N_("Notes"), "school_id": N_("School"), "gender": N_("Gender"),
    "staff_no": N_("Staff number"), "subjects": N_("Subjects"), "title": N_("Title"),
    "cadre_rank": N_("Cadre rank"), "position": N_("Position"), "is_backbone": N_("Backbone"),
    "backbone_level": N_("Backbone level"), "rotation_eligible": N_("Rotation eligible"),
    "hired_on": N_("Hired on"), "starts_on": N_("Starts on"), "ends_on": N_("Ends on"),
    "region": N_("Region"), "model_label": N_("Model"),
    "model_canonical": N_("Cross-region model"), "legal_structure": N_("Legal structure"),
    "stage_type": N_("Stages"), "zone": N_("Zone"), "founded_on": N_("Founded on"),
    "role": N_("Role"), "role_label": N_("Role label"), "joined_on": N_("Joined on"),
    "left_on": N_("Last day in the group"), "join_note": N_("Note on joining"),
    "leave_reason": N_("Reason for leaving"), "leave_evidence": N_("Evidence of leaving"),
    "person_name": N_("Name"), "duty": N_("Duty"), "kind": N_("Kind"),
    "start_year": N_("First school year"), "body": N_("Text"),
    # placements (and their workflow steps)
    "teacher_id": N_("Teacher"), "home_school_id": N_("Home school"),
    "host_school_id": N_("Host school"), "mentor": N_("Mentor"), "purpose": N_("Purpose"),
    "applied_on": N_("Applied on"), "planned_start": N_("Planned start"),
    "planned_end": N_("Planned end"), "actual_start": N_("Actual start"),
    "actual_end": N_("Actual end"), "returned_on": N_("Back at the home school on"),
    "status": N_("Status"), "justification": N_("Justification"), "flags": N_("Rule flags"),
    "findings": N_("Rules broken"), "action": N_("Step"), "on": N_("Date"), "actor": N_("By"),
    "comment": N_("Comment"), **VETO_LABELS,
    # shared courses
    "semester_id": N_("Semester"), "provider_school_id": N_("Provider school"),
    "course_type": N_("Course type"), "subject": N_("Subject"), "delivery": N_("Delivery"),
    "schedule": N_("Schedule"), "capacity": N_("Capacity"), "teacher_ids": N_("Teachers"),
    "enrolments": N_("Enrolments"),
    # joint research
    "held_on": N_("Held on"), "start_minute": N_("Start time"), "end_minute": N_("End time"),
    "mode": N_("Mode"), "topic": N_("Topic"), "lead_teacher": N_("Lead teacher"),
    "minutes": N_("Minutes"), "school_ids": N_("Participating schools"),
    "attendance": N_("Attendance"), "remarks": N_("Attendance remarks"),
    "attachment": N_("Attachment"), "size": N_("Size"),
    # rotations
    "from_school_id": N_("Sending school"), "to_school_id": N_("Receiving school"),
    "form": N_("Form"), "start_on": N_("Start date"), "team_name": N_("Team name"),
    "appraisal": N_("Appraisal"), "school_year": N_("School year"),
    "eligible": N_("Eligible teachers"), "note": N_("Note"),
    # agreements
    "number": N_("Number"), "scope": N_("Scope"), "term_start": N_("Term starts"),
    "term_end": N_("Term ends"), "goals": N_("Goals"), "funding_fen": N_("Funding"),
    "funding_text": N_("Funding arrangements"), "assessment": N_("Assessment"),
    "copies": N_("Copies"), "filing_authority": N_("Filing authority"),
    "signing_place": N_("Signing place"), "signing_date": N_("Signing date"),
    "parties": N_("Parties"), "indicators": N_("Indicators"), "tasks": N_("Tasks"),
}
"""Readable names of the fields that appear in history details; others show as stored."""

ENTITY_FIELD_LABELS = {
    "teacher": {"title": N_("Professional title"), "name": N_("Name")},
    "placement": {"teacher_id": N_("Person")},
    "course": {"title": N_("Course title")},
    "research_session": {"host_school_id": N_("Hosting school")},
}
"""Where a field means something else for one kind of record (a plan's title is its
heading, a teacher's the professional title)."""

HIDDEN_FIELDS = frozenset({"group_id", "sort_order", "profile_id", "sha256"})
"""Internal references that say nothing to the reader."""

LIST_FIELDS = frozenset({"findings"})
"""Always a list (never ``[old, new]``): the rules broken at a save or step, one a line
(the rule's quote and source, stored too, are left out here)."""

ENTITY_HIDDEN_FIELDS = {"leader": frozenset({"teacher_id"})}
"""Hidden for one kind of record only (a leader's name is already in ``person_name``)."""

_ENUM_FIELDS: dict[str, dict[str, Any]] = {
    "school": {"stage": Stage},
    "teacher": {"title": TeacherTitle, "cadre_rank": CadreRank},
    "group": {"legal_structure": LegalStructure, "stage_type": StageType},
    "membership": {"role": SchoolRole},
    "leader": {"role": LeaderRole},
    "charter_section": {"kind": SectionKind},
    "plan": {"kind": PlanKind},
    "placement": {"kind": PlacementKind, "status": PlacementStatus, "action": PlacementAction},
    "course": {"course_type": CourseType, "delivery": Delivery},
    "research_session": {"kind": ResearchType, "mode": DeliveryMode, "stage": Stage,
                         "attendance": AttendanceStatus},
    "rotation": {"form": RotationForm, "appraisal": Appraisal},
    "agreement": {"scope": AgreementScope, "status": AgreementStatus},
}
"""Stored enum values per kind of record, shown by their labels (for ``attendance`` the
values of its per-teacher mapping)."""

MODEL_LABELS = {
    "merged": N_("Merged"), "co_built": N_("Co-built"), "collaborative": N_("Collaborative"),
    "entrusted": N_("Entrusted management"), "stage_articulation": N_("Stage articulation"),
    "university_affiliated": N_("University-affiliated"),
    "flagship_assisted_paired": N_("Flagship-assisted pairing"),
    "district_cluster": N_("District cluster"), "zone": N_("School zone"),
}
"""The cross-region model ids of domain/profiles.py ``CANONICAL_MODELS`` (a group's
``model_canonical``), as the user reads them."""

LONG_VALUE = 40
"""Old and new values longer than this (or of several lines) show as two blocks."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MINUTE_FIELDS = frozenset({"start_minute", "end_minute"})
_DICT_KEYS = {"enrolments": "school", "attendance": "teacher", "remarks": "teacher"}
"""Mappings stored by id: whose names their keys are."""


@dataclass(frozen=True)
class Names:
    """Names for the ids stored in history details (an unknown id shows as ``#id``)."""

    schools: Mapping[int, str] = field(default_factory=dict)
    teachers: Mapping[int, str] = field(default_factory=dict)
    semesters: Mapping[int, str] = field(default_factory=dict)


def _reference(field_name: str) -> str | None:
    """Which names a field's ids are: ``school`` for school_id, host_school_id, school_ids …"""
    for kind in ("school", "teacher", "semester"):
        if field_name in (f"{kind}_id", f"{kind}_ids") or field_name.endswith(
                (f"_{kind}_id", f"_{kind}_ids")):
            return kind
    return "teacher" if field_name == "person_id" else None


def _name(names: Names, kind: str, value: object) -> str:
    table: Mapping[int, str] = getattr(names, f"{kind}s")
    try:
        key = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
    return table.get(key, f"#{key}")




def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


COLUMNS: list[Column[HistoryEntry]] = [
    Column(N_("Time"), lambda e: e.at),
    Column(N_("Who"), lambda e: e.actor),
    Column(N_("Action"), lambda e: action_label(e.action)),
    Column(N_("Kind"), lambda e: e.kind_label),
    Column(N_("Summary"), lambda e: e.summary, tooltip=lambda e: e.summary),
]


def value_text(field_name: str, value: object, entity: str = "",
               school_names: Mapping[int, str] | None = None,
               names: Names | None = None) -> str:
    """One stored detail value of a record of kind ``entity`` as the user reads it: ids of
    schools, teachers and semesters as names, enum values as labels, ISO dates formatted,
    minutes of the day as HH:MM, booleans as yes/no (``school_names`` is the older way to
    pass ``names.schools``)."""
    if names is None:
        names = Names(schools=school_names or {})
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    reference = _reference(field_name)
    if isinstance(value, list | tuple):
        if reference is not None:
            return "、".join(_name(names, reference, v) for v in value)
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(_mapping_item(field_name, k, v, entity, names)
                        for k, v in value.items())
    if reference is not None and isinstance(value, int):
        return _name(names, reference, value)
    if field_name in _MINUTE_FIELDS and isinstance(value, int):
        return f"{value // 60:02d}:{value % 60:02d}"
    if field_name.endswith("_fen") and isinstance(value, int):
        return _("{amount} yuan").format(amount=f"{value / 100:,.2f}")
    if field_name == "model_canonical" and isinstance(value, str):
        label = MODEL_LABELS.get(value)
        return _(label) if label else value
    enum = _ENUM_FIELDS.get(entity, {}).get(field_name)
    if enum is not None and isinstance(value, str):
        try:
            return str(enum(value).label())
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _mapping_item(field_name: str, key: object, value: object, entity: str,
                  names: Names) -> str:
    """One entry of a mapping by id, e.g. enrolments ``{school: students}`` or attendance
    ``{teacher: [old, new]}``."""
    kind = _DICT_KEYS.get(field_name)
    who = _name(names, kind, key) if kind else str(key)
    if isinstance(value, list) and len(value) == 2:
        old, new = (value_text(field_name, v, entity, names=names) for v in value)
        return f"{who} {old} → {new}"
    return f"{who} {value_text(field_name, value, entity, names=names)}"


def _first_line(value: object) -> str:
    return str(value).split("\n", 1)[0]


def _indent(text: str) -> str:
    """A block under its field: every line indented, so where it ends stays visible."""
    return "\n".join("  " + line if line else "" for line in text.split("\n"))


def details_text(entry: HistoryEntry, school_names: Mapping[int, str] | None = None,
                 names: Names | None = None) -> str:
    """``field: old → new`` per changed field (or ``field: value`` for additions)."""
    if names is None:
        names = Names(schools=school_names or {})
    hidden = HIDDEN_FIELDS | ENTITY_HIDDEN_FIELDS.get(entry.entity, frozenset())
    lines = []
    for field_name, value in (entry.details or {}).items():
        if field_name in hidden:
            continue
        label = ENTITY_FIELD_LABELS.get(entry.entity, {}).get(field_name) \
            or FIELD_LABELS.get(field_name)
        name = _(label) if label else field_name
        if field_name in LIST_FIELDS and isinstance(value, list):
            lines.append(f"{name}:" + ("".join(f"\n  • {_first_line(v)}" for v in value)
                                       if value else " —"))
        elif entry.action == "update" and isinstance(value, list) and len(value) == 2:
            old, new = (value_text(field_name, v, entry.entity, names=names) for v in value)
            if any("\n" in text or len(text) > LONG_VALUE for text in (old, new)):
                # minutes, goals …: "old → new" would run two texts together
                lines.append(f"{name}:")
                lines.append(_indent(_("Old: {value}").format(value=old)))
                lines.append(_indent(_("New: {value}").format(value=new)))
            else:
                lines.append(f"{name}: {old} → {new}")
        else:
            lines.append(f"{name}: {value_text(field_name, value, entry.entity, names=names)}")
    return "\n".join(lines)


class HistoryPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._names: Names | None = None
        self.group_check = QCheckBox(_("Only the current group"))
        self.group_check.setToolTip(_("Show only changes to the current group's own records "
                                      "(charter, members, leadership, plans)"))
        self.group_check.toggled.connect(lambda _checked: self.refresh())
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.group_check)
        toolbar.addStretch(1)

        self.list: RecordListView[HistoryEntry] = RecordListView(COLUMNS, self)
        self.list.selection_changed.connect(self._show_details)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(_("Select a change to see which fields it touched."))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("History")

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        self.group_check.setEnabled(group_id is not None)
        only_group = self.group_check.isChecked() and group_id is not None
        entries = self.ctx.services.recycle_bin.history(
            group_id=group_id if only_group else None)
        self._names = None  # looked up again when a change is shown
        self.list.set_rows(entries)
        self._show_details(self.list.selected())

    def _on_changes(self, changes: Changes) -> None:
        # every write adds to the history, whatever it touched
        self.request_refresh()

    def _lookup_names(self) -> Names:
        """The names of schools, teachers and semesters (teachers can be tens of thousands:
        read once after a refresh, and only when a change is shown)."""
        if self._names is None:
            services = self.ctx.services
            self._names = Names(
                schools={s.id: s.name for s in services.schools.list() if s.id is not None},
                teachers={t.id: t.name for t in services.teachers.list() if t.id is not None},
                semesters={m.id: m.label for m in services.calendar.semesters()
                           if m.id is not None})
        return self._names

    def _show_details(self, entry: HistoryEntry | None) -> None:
        if entry is None:
            self.details.clear()
            return
        when = format_datetime(entry.at)
        head = "\n".join([entry.summary, _("{who}, {when}").format(who=entry.actor, when=when)])
        body = details_text(entry, names=self._lookup_names())
        self.details.setPlainText(f"{head}\n\n{body}" if body else head)

