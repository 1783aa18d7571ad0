"""Follow-along placements (跟岗锻炼与学习): the group's applications, their approval steps
and the policy rules they meet or break.

Filters by semester, school (home or host), kind and status; add, edit, workflow step, move
to the recycle bin; undo/redo of the last additions, deletions and edits. Workflow steps are
not undone: an approval or a return is a recorded fact with its own history entry, and a
wrong step is corrected by editing the dates (see docs/placements.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.enums import CadreRank
from jituan_desktop.domain.placements import (
    CADRE_RANK_ORDER,
    Placement,
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.domain.rules import FLAG_MARK, explanations, rules_in_scope
from jituan_desktop.domain.rules.placements import SCOPE, days_between
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.i18n import N_, _, current_locale, format_date
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.placement_dialog import PlacementDialog
from jituan_desktop.ui.dialogs.placement_step_dialog import PlacementStepDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView
from jituan_desktop.ui.widgets.record_page_parts import (
    RULE_FLAGS,
    LatestLoad,
    RecordActions,
    RecordSelection,
    choice_filter,
    lay_out_page,
    push_button,
    refill,
    show_flags_in_red,
)
from jituan_desktop.ui.widgets.rule_findings import RuleFindingsView

_STATUS_ORDER = {status: index for index, status in enumerate(PlacementStatus)}


def placement_columns(short_names: dict[int | None, str],
                      semester_of: Callable[[Placement], str],
                      flag_tooltip: Callable[[Placement], str | None] | None = None,
                      ) -> list[Column[Placement]]:
    """The list's columns. "Rule flags" shows the rules broken at the last save or step as
    ``flag_text`` does (``⚑ HY-02 HY-08``, stored with the placement, so a long list needs no
    rule check per row); ``flag_tooltip`` explains them when the mouse rests on one."""

    def school(school_id: int | None, full: str) -> str:
        return short_names.get(school_id) or full

    return [
        Column(N_("Person"), lambda p: p.person_name),
        Column(N_("Cadre rank"), lambda p: p.person_rank.label()
               if p.person_rank is not CadreRank.NONE else "",
               sort_key=lambda p: -CADRE_RANK_ORDER[p.person_rank]),
        Column(N_("Kind"), lambda p: p.kind.label()),
        Column(N_("Home school"), lambda p: school(p.home_school_id, p.home_school_name),
               tooltip=lambda p: p.home_school_name),
        Column(N_("Host school"), lambda p: school(p.host_school_id, p.host_school_name),
               tooltip=lambda p: p.host_school_name),
        Column(N_("Semester"), semester_of, sort_key=lambda p: p.start),
        Column(N_("Start"), lambda p: p.start),
        Column(N_("End"), lambda p: p.end),
        Column(N_("Days"), lambda p: days_between(p.start, p.end, "inclusive"),
               align_right=True),
        Column(RULE_FLAGS, lambda p: f"{FLAG_MARK} {p.flags}" if p.flags else "",
               sort_key=lambda p: p.flags or None,
               tooltip=lambda p: flag_tooltip(p) if p.flags and flag_tooltip else None),
        # last: it stretches, so hiding the flags (a profile without placement rules)
        # resizes no other column
        Column(N_("Status"), lambda p: p.status.label(),
               sort_key=lambda p: _STATUS_ORDER[p.status]),
    ]


class PlacementsPage(Page):
    kinds = frozenset({"placement", "teacher", "school", "membership", "group", "semester",
                       "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._short_names: dict[int | None, str] = {}
        self._semesters: list[Semester] = []
        self._people: list[Teacher] = []
        self._schools: list[tuple[int, str]] = []
        self.undo = PageUndo(ctx, self)
        self._actions: RecordActions[Placement] = RecordActions(self, self.undo, "placement",
                                                                self.select_placement)
        self._loads = LatestLoad(self)
        self._flag_tips: dict[Placement, str] = {}

        self.semester_box = QComboBox()
        self.school_box = QComboBox()
        self.school_box.setMinimumContentsLength(12)
        self.kind_box = choice_filter(_("All kinds"), PlacementKind.choices())
        self.status_box = choice_filter(_("All statuses"), PlacementStatus.choices())
        for box in (self.semester_box, self.school_box, self.kind_box, self.status_box):
            box.currentIndexChanged.connect(self._apply_filter)

        self.add_button = push_button(
            _("New application…"), _("Add a placement application (Ctrl+N)"),
            self.add_placement)
        self.edit_button = push_button(_("Edit…"), _("Edit the selected placement (Enter)"),
                                       self.edit_selected)
        self.step_button = push_button(
            _("Workflow step…"), _("Record the next step: submit, review, approve, reject, "
                                   "start, end, return (Ctrl+Enter)"), self.step_selected)
        self.delete_button = push_button(
            _("Move to recycle bin"), _("Move the selected placement to the recycle bin "
                                        "(Delete)"), self.delete_selected)
        undo_button, redo_button = QToolButton(), QToolButton()
        undo_button.setDefaultAction(self.undo.undo_action)
        redo_button.setDefaultAction(self.undo.redo_action)

        filters = QHBoxLayout()
        for label, box in ((_("Semester:"), self.semester_box), (_("School:"), self.school_box),
                           (_("Kind:"), self.kind_box), (_("Status:"), self.status_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addStretch(1)
        toolbar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.step_button,
                       self.delete_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(undo_button)
        toolbar.addWidget(redo_button)

        self.list: RecordListView[Placement] = RecordListView(
            placement_columns(self._short_names, self.semester_label, self.flag_tooltip), self)
        show_flags_in_red(self.list)
        self._flags_column = [c.header for c in self.list.model.columns].index(RULE_FLAGS)
        self.list.activated.connect(self.edit_placement)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self._selection = RecordSelection(self, self.list)
        self.details = details_label(self)
        self.steps_label = details_label(self)
        self.findings_view = RuleFindingsView(_(
            "No policy rule of this group's profile applies to placements."))
        self.findings_view.setMinimumHeight(120)
        below = QWidget()
        below_layout = QHBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        text_column = QVBoxLayout()
        text_column.addWidget(self.details)
        text_column.addWidget(self.steps_label, 1)
        below_layout.addLayout(text_column, 3)
        below_layout.addWidget(self.findings_view, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 260])

        new_shortcut(self, self.add_placement)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.step_selected)

        lay_out_page(self, filters, toolbar, splitter)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Follow-along placements")

    # ---- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.ctx.services
        group_id = self.ctx.group_id
        members = services.groups.memberships(group_id) if group_id is not None else []
        school_ids = list(dict.fromkeys(m.school_id for m in members if m.school_id))
        schools = {s.id: s for s in services.schools.list()}
        self._schools = [(sid, schools[sid].name) for sid in school_ids if sid in schools]
        self._short_names.clear()
        self._short_names.update((s.id, s.display_name) for s in schools.values())
        self._people = services.teachers.list(school_ids) if school_ids else []
        self._semesters = sorted(services.calendar.semesters(), key=lambda s: s.starts_on)
        self._fill_filters()
        self._flag_tips.clear()
        # a profile without placement rules (Alxa) never flags one: no empty column
        profile = services.placements.profile_of(group_id)
        self._show_flags_column(profile is not None and bool(rules_in_scope(profile, SCOPE)))
        self.add_button.setEnabled(group_id is not None)
        # tens of thousands of placements take about a second: load off the GUI thread and
        # show only the newest load when refreshes overlap
        placements = services.placements
        self._loads.run(_("Loading placements…"), lambda _progress: placements.list(group_id),
                        self._show_rows)

    def _show_rows(self, rows: list[Placement]) -> None:
        self.list.set_rows(rows)
        self._apply_filter()
        self._selection.restore()
        self._show_details(self.list.selected())

    def select_placement(self, placement_id: int) -> None:
        """Select it now, or once the list being loaded contains it."""
        if not self.list.select_id(placement_id):
            self._selection.pending = placement_id

    def semester_label(self, p: Placement) -> str:
        found = next((s for s in self._semesters if s.contains(p.start)), None)
        return found.label if found else ""

    def _show_flags_column(self, shown: bool) -> None:
        table = self.list.table
        header = table.horizontalHeader()
        if header.isSectionHidden(self._flags_column) == (not shown):
            return
        # quietly: the list takes any column resize it did not make for the user's, and
        # would then no longer fit its columns to the next group's rows
        blocker = QSignalBlocker(header)
        header.setSectionHidden(self._flags_column, not shown)
        header.resizeSections()  # now, not on Qt's delayed resize with the signals on
        blocker.unblock()
        table.updateGeometries()
        table.viewport().update()

    def flag_tooltip(self, p: Placement) -> str:
        """The stored flags explained: each flagged rule's finding as checked now (ID,
        strength, numbers, quote and source), else its quote from the profile."""
        if p not in self._flag_tips:
            flagged = p.flags.split()
            found = [f for f in self.ctx.services.placements.findings(p)
                     if f.broken and f.rule_id in flagged]
            text = explanations(found)
            profile = self.ctx.services.placements.profile_of(p.group_id)
            for rule_id in flagged:
                rule = next((r for r in profile.rules if r.id == rule_id), None) if profile \
                    else None
                if rule is not None and all(f.rule_id != rule_id for f in found):
                    text += ("\n\n" if text else "") + f"{rule.id}\n{rule.quote}"
            head = _("Rules broken at the last save or step")
            self._flag_tips[p] = f"{head}\n\n{text}" if text else head
        return self._flag_tips[p]

    def _fill_filters(self) -> None:
        refill(self.semester_box, _("All semesters"),
               [(s.label, s.id) for s in reversed(self._semesters)])
        refill(self.school_box, _("All schools"),
               [(self._short_names.get(sid) or name, sid) for sid, name in self._schools])

    def _apply_filter(self, *_args: object) -> None:
        semester = next((s for s in self._semesters if s.id == self.semester_box.currentData()),
                        None)
        school, kind, status = (self.school_box.currentData(), self.kind_box.currentData(),
                                self.status_box.currentData())

        def keep(p: Placement) -> bool:
            return ((semester is None or (p.start <= semester.ends_on
                                          and semester.starts_on <= p.end))
                    and (school is None or school in (p.home_school_id, p.host_school_id))
                    and (kind is None or p.kind.value == kind)
                    and (status is None or p.status.value == status))

        filtering = any(x is not None for x in (semester, school, kind, status))
        self.list.set_filter(keep if filtering else None)

    # ---- add, edit, delete --------------------------------------------------------------

    def _profile_name(self) -> str:
        profile = self.ctx.services.placements.profile_of(self.ctx.group_id)
        return profile.display_name(current_locale()) if profile else ""

    def _ask(self, draft: Placement) -> Placement | None:
        return PlacementDialog.edit(self, draft, self._people, self._schools,
                                    self.ctx.services.placements.check, self._profile_name())

    def add_placement(self) -> None:
        if self.ctx.group_id is None:
            return
        today = dt.date.today()
        start = today + dt.timedelta(days=14)
        draft = Placement(None, self.ctx.group_id, None, PlacementKind.LEARNING, None, None,
                          today, start, start + dt.timedelta(days=11))
        result = self._ask(draft)
        if result is None:
            return
        self._actions.save_new(lambda: self.ctx.services.placements.save(result),
                               lambda p: p.person_name)

    def edit_selected(self) -> None:
        placement = self.list.selected()
        if placement is not None:
            self.edit_placement(placement)

    def edit_placement(self, placement: Placement) -> None:
        result = self._ask(placement)
        if result is None or result == placement:
            return
        service = self.ctx.services.placements
        saved = self.ctx.write(self, lambda: service.save(result))
        if saved is None or saved.id is None:
            return
        self.undo.record_guarded(
            saved.person_name, placement, saved,
            lambda values, expected: service.get(values.id or 0).status is expected.status,
            lambda values: service.save(values)[1],
            N_("A workflow step was recorded since this edit; it cannot be undone any more."))
        self.select_placement(saved.id)

    def delete_selected(self) -> None:
        placement = self.list.selected()
        if placement is None or placement.id is None:
            return
        self._actions.delete(placement.id, placement.person_name, _(
            "Move the placement of {name} ({start} to {end}) to the recycle bin?\nYou can "
            "restore it from the recycle bin.").format(
                name=placement.person_name, start=format_date(placement.start),
                end=format_date(placement.end)))

    # ---- workflow -----------------------------------------------------------------------

    def step_selected(self) -> None:
        placement = self.list.selected()
        if placement is None or placement.id is None:
            return
        service = self.ctx.services.placements
        steps = service.steps(placement.id)
        last = max((s.on for s in steps), default=None)
        home = placement.home_school_name
        host = placement.host_school_name
        actors = {PlacementAction.SUBMIT: home, PlacementAction.START: host,
                  PlacementAction.END: host, PlacementAction.RETURN: home,
                  PlacementAction.REVIEW: service.reviewer(placement.group_id),
                  PlacementAction.APPROVE: service.approver(placement.group_id,
                                                            placement.person_rank)}
        step = PlacementStepDialog.ask_step(self, placement, actors, last)
        if step is None:
            return
        placement_id = placement.id
        # not recorded for undo: a step is a fact (who approved when), kept in the history
        saved = self.ctx.write(self, lambda: service.step(placement_id, step.action, step.on,
                                                          step.actor, step.comment))
        if saved is not None:
            self.select_placement(placement_id)

    # ---- view ---------------------------------------------------------------------------

    def _show_details(self, placement: Placement | None) -> None:
        for button in (self.edit_button, self.step_button, self.delete_button):
            button.setEnabled(placement is not None)
        if placement is None or placement.id is None:
            self.details.clear()
            self.steps_label.clear()
            self.findings_view.set_findings([])
            return
        self.step_button.setEnabled(placement.status not in (PlacementStatus.RETURNED,
                                                             PlacementStatus.REJECTED))
        parts = [_("Purpose: {value}").format(value=placement.purpose or "—")]
        if placement.mentor:
            parts.append(_("Mentor: {value}").format(value=placement.mentor))
        parts.append(_("Applied on: {value}").format(value=format_date(placement.applied_on)))
        parts.append(_("Planned: {start} to {end}").format(
            start=format_date(placement.planned_start), end=format_date(placement.planned_end)))
        if placement.returned_on:
            parts.append(_("Back at home school: {value}").format(
                value=format_date(placement.returned_on)))
        if placement.justification:
            parts.append(_("Justification: {text}").format(text=placement.justification))
        self.details.setText("\n".join(parts))
        lines = [_("Workflow steps:")]
        for step in self.ctx.services.placements.steps(placement.id):
            line = "  " + _("{date}  {step}  by {actor}").format(
                date=format_date(step.on), step=step.action.label(), actor=step.actor)
            if step.comment:
                line += "：" + step.comment
            lines.append(line)
        if len(lines) == 1:
            lines.append("  " + _("none yet (draft)"))
        self.steps_label.setText("\n".join(lines))
        self.findings_view.set_findings(self.ctx.services.placements.findings(placement),
                                        justified=bool(placement.justification))
