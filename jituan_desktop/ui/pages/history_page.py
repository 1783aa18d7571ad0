"""History: the audit log of every change (who changed what, when), newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    "region": N_("Region"), "model_label": N_("Model"), "legal_structure": N_("Legal structure"),
    "stage_type": N_("Stages"), "zone": N_("Zone"), "founded_on": N_("Founded on"),
    "role": N_("Role"), "role_label": N_("Role label"), "joined_on": N_("Joined on"),
    "left_on": N_("Last day in the group"), "join_note": N_("Note on joining"),
    "leave_reason": N_("Reason for leaving"), "leave_evidence": N_("Evidence of leaving"),
    "person_name": N_("Name"), "duty": N_("Duty"), "kind": N_("Kind"),
    "start_year": N_("First school year"), "body": N_("Text"),
}
"""Readable names of the fields that appear in history details; others show as stored."""

ENTITY_FIELD_LABELS = {"teacher": {"title": N_("Professional title"), "name": N_("Name")}}
"""Where a field means something else for one kind of record (a plan's title is its
heading, a teacher's the professional title)."""

HIDDEN_FIELDS = frozenset({"group_id", "teacher_id", "sort_order", "profile_id"})
"""Internal references that say nothing to the reader."""

_ENUM_FIELDS: dict[str, dict[str, Any]] = {
    "school": {"stage": Stage},
    "teacher": {"title": TeacherTitle, "cadre_rank": CadreRank},
    "group": {"legal_structure": LegalStructure, "stage_type": StageType},
    "membership": {"role": SchoolRole},
    "leader": {"role": LeaderRole},
    "charter_section": {"kind": SectionKind},
    "plan": {"kind": PlanKind},
}




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
               school_names: Mapping[int, str] | None = None) -> str:
    """One stored detail value of a record of kind ``entity`` as the user reads it;
    ``school_names`` turns a ``school_id`` into the school's name."""
    if value is None or value == "" or value == []:
        return "—"
    if field_name == "school_id" and isinstance(value, int) and school_names:
        return school_names.get(value, str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    enum = _ENUM_FIELDS.get(entity, {}).get(field_name)
    if enum is not None and isinstance(value, str):
        try:
            return str(enum(value).label())
        except ValueError:
            return value
    if field_name.endswith("_on") and isinstance(value, str):
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def details_text(entry: HistoryEntry, school_names: Mapping[int, str] | None = None) -> str:
    """``field: old → new`` per changed field (or ``field: value`` for additions)."""
    lines = []
    for field_name, value in (entry.details or {}).items():
        if field_name in HIDDEN_FIELDS:
            continue
        label = ENTITY_FIELD_LABELS.get(entry.entity, {}).get(field_name) \
            or FIELD_LABELS.get(field_name)
        name = _(label) if label else field_name
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            old, new = (value_text(field_name, v, entry.entity, school_names) for v in value)
            lines.append(f"{name}: {old} → {new}")
        else:
            lines.append(f"{name}: {value_text(field_name, value, entry.entity, school_names)}")
    return "\n".join(lines)


class HistoryPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._school_names: dict[int, str] = {}
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
        self._school_names = {s.id: s.name for s in self.ctx.services.schools.list()
                              if s.id is not None}
        self.list.set_rows(entries)
        self._show_details(self.list.selected())

    def _on_changes(self, changes: Changes) -> None:
        # every write adds to the history, whatever it touched
        self.request_refresh()

    def _show_details(self, entry: HistoryEntry | None) -> None:
        if entry is None:
            self.details.clear()
            return
        when = format_datetime(entry.at)
        head = "\n".join([entry.summary, _("{who}, {when}").format(who=entry.actor, when=when)])
        body = details_text(entry, self._school_names)
        self.details.setPlainText(f"{head}\n\n{body}" if body else head)

