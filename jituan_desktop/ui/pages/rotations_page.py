"""Teacher rotation (交流轮岗): per school year and sending school, who rotated against the rules
of the group's profile (ALX-11/12/15, SZ-01); below, every rotation with add, edit, recycle
bin, undo and an xlsx import (its dialog offers the template).

Rotations are filtered by school year, not by semester: a rotation lasts years (ALX-13: at
least 3) and the share rules count the rotations *started* in a school year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.rotations import (
    EligibleCount,
    Rotation,
    RotationForm,
    RotationStatus,
)
from jituan_desktop.domain.rules import Finding
from jituan_desktop.domain.schools import School
from jituan_desktop.i18n import N_, _, format_percent, format_school_year
from jituan_desktop.services.rotation_import import RotationImportSource
from jituan_desktop.services.rotations import YearSummary
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.rotation_dialog import RotationChoices, RotationDialog
from jituan_desktop.ui.dialogs.rotation_eligible_dialog import EligibleCountDialog
from jituan_desktop.ui.dialogs.xlsx_import_dialog import XlsxImportDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.tasks import Progress
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView
from jituan_desktop.ui.widgets.record_page_parts import (
    LatestLoad,
    RecordActions,
    RecordSelection,
    choice_filter,
    flag_column,
    lay_out_page,
    push_button,
    refill,
    show_flags_in_red,
    toolbar_rows,
)

BROKEN = "✗"
MET = "✓"
WORKBOOK_DIR = "rotation_workbooks"


def today() -> dt.date:
    """Today's date (a function, so tests can choose the day)."""
    return dt.date.today()


@dataclass(frozen=True)
class _Loaded:
    """What the page shows, loaded on the task runner."""

    schools: list[School]
    short: dict[int | None, str]
    rotations: list[Rotation]
    terms: dict[int, list[Finding]]
    summaries: list[YearSummary]


def flags_text(findings: list[Finding] | tuple[Finding, ...]) -> str:
    """``✗ ALX-11  ✓ ALX-12``: each rule once, broken if any of its findings is."""
    state: dict[str, bool] = {}
    for finding in findings:
        state[finding.rule_id] = state.get(finding.rule_id, False) or finding.broken
    return "  ".join(f"{BROKEN if broken else MET} {rule}" for rule, broken in state.items())


def explanations(findings: list[Finding] | tuple[Finding, ...]) -> str:
    ordered = sorted(findings, key=lambda f: not f.broken)
    return "\n\n".join(f"{BROKEN if f.broken else MET} {f.explanation()}" for f in ordered)


def _percent(value: float | None) -> str:
    return format_percent(value, 1) if value is not None else "—"


NOT_APPLIED = "—"


def _rules_tooltip(s: YearSummary) -> str:
    if s.findings:
        return explanations(s.findings)
    return "\n".join(x for x in (_("No rule of the group's profile applies to this row."),
                                  s.not_applied) if x)


def summary_columns(short: dict[int | None, str] | None = None) -> list[Column[YearSummary]]:
    """``short``: school id → short name (the full name in the tooltip), filled by the page.
    A row no share rule counts shows "—" in "Head count needed" and "Rules", the reason in
    the tooltip (a member school that is not a quality school under ALX-11, …)."""
    short = short if short is not None else {}
    return [
        Column(N_("School year"), lambda s: format_school_year(s.facts.school_year),
               sort_key=lambda s: s.facts.school_year),
        Column(N_("Sending school"),
               lambda s: short.get(s.facts.school_id) or s.facts.school_name
               if s.facts.school_id is not None else s.facts.school_name,
               sort_key=lambda s: (s.facts.school_id is None, s.facts.school_name),
               tooltip=lambda s: s.facts.school_name),
        Column(N_("Rotated / eligible"), lambda s: f"{s.counted} / {s.base}",
               sort_key=lambda s: s.counted, align_right=True,
               tooltip=lambda s: _("Entered by the group") if s.facts.eligible_entered
               else _("Counted from the teacher list")),
        Column(N_("Share"), lambda s: _percent(s.share), sort_key=lambda s: s.share or 0,
               align_right=True),
        Column(N_("Head count needed"),
               lambda s: NOT_APPLIED if s.required is None else str(s.required),
               sort_key=lambda s: s.required or 0, align_right=True,
               tooltip=lambda s: s.not_applied or None),
        Column(N_("Backbone"), lambda s: f"{s.backbone} ({_percent(s.backbone_share)})",
               sort_key=lambda s: s.backbone_share or 0, align_right=True),
        Column(N_("Rules"), lambda s: flags_text(s.findings) or NOT_APPLIED,
               sort_key=lambda s: -len(s.broken), tooltip=_rules_tooltip),
    ]


def rotation_columns(short: dict[int | None, str],
                     terms: dict[int, list[Finding]]) -> list[Column[Rotation]]:
    """``short``: school id → short name (full name in the tooltip); ``terms``: rotation id →
    its one-rotation findings (ALX-13); both filled by the page."""
    day = today()
    return [
        Column(N_("Teacher"), lambda r: r.teacher_name, tooltip=lambda r: r.staff_no or None),
        Column(N_("Sending school"), lambda r: short.get(r.from_school_id) or r.from_name,
               tooltip=lambda r: r.from_name),
        Column(N_("Receiving school"), lambda r: short.get(r.to_school_id) or r.to_name,
               tooltip=lambda r: r.to_name),
        Column(N_("Form"), lambda r: r.form.label(), sort_key=lambda r: r.form.value),
        Column(N_("Team name"), lambda r: r.team_name),
        Column(N_("Start date"), lambda r: r.start_on),
        Column(N_("Planned end"), lambda r: r.planned_end),
        Column(N_("Actual end"), lambda r: r.actual_end),
        Column(N_("Backbone"), lambda r: r.is_backbone),
        Column(N_("Status"), lambda r: r.status(day).label(),
               sort_key=lambda r: r.status(day).value),
        Column(N_("Appraisal"), lambda r: r.appraisal.label() if r.appraisal.value else ""),
        flag_column(lambda r: terms.get(r.id or 0, [])),
    ]


class FlagDelegate(QStyledItemDelegate):
    """Shows an overview rules cell with a broken rule (✗) in red."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if BROKEN in str(index.data() or ""):
            option.palette.setColor(QPalette.ColorRole.Text, QColor("#c62828"))  # type: ignore[attr-defined]


class RotationsPage(Page):
    kinds = frozenset({"rotation", "rotation_eligible", "teacher", "school", "membership",
                       "group", "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._schools: list[School] = []
        self._short: dict[int | None, str] = {}
        self._terms: dict[int, list[Finding]] = {}
        self.undo = PageUndo(ctx, self)

        self.year_box = self._filter_box(_("Show one school year"))
        self.school_box = self._filter_box(_("Show the rotations from or to one school"))
        # short names keep it narrow; the full name is the item's tooltip
        self.school_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.school_box.setMinimumContentsLength(8)
        self.form_box = choice_filter(_("All forms"), RotationForm.choices())
        self.form_box.setToolTip(_("Show one form of rotation"))
        self.status_box = choice_filter(_("All states"), RotationStatus.choices())
        self.status_box.setToolTip(_("Show rotations in one state"))

        self._loads = LatestLoad(self)
        self.add_button = push_button(_("Add rotation…"), _("Add a rotation (Ctrl+N)"),
                                      self.add_rotation)
        self.edit_button = push_button(_("Edit…"), _("Edit the selected rotation (Enter)"),
                                       self.edit_selected)
        self.delete_button = push_button(
            _("Move to recycle bin"), _("Move the selected rotation to the recycle bin "
                                        "(Delete)"), self.delete_selected)
        self.eligible_button = push_button(
            _("Eligible teachers…"), _("Enter the rotation-eligible teachers of the school and "
                                       "school year selected in the overview"),
            self.edit_eligible)
        self.import_button = push_button(
            _("Import from Excel…"), _("Import rotations from a workbook (a template can be "
                                       "downloaded there)"), self.import_workbook)

        self.overview: RecordListView[YearSummary] = RecordListView(
            summary_columns(self._short), self)
        self.overview.table.setItemDelegateForColumn(6, FlagDelegate(self.overview.table))
        self.overview.selection_changed.connect(self._show_summary)
        self.overview.activated.connect(lambda _row: self.edit_eligible())
        # a few rows per school year: the year and school filters are enough, and the room of
        # its search row is one more row in view
        self.overview.search_box.hide()
        self.overview.count_label.hide()
        # the rules' wording of the selected row goes in a panel beside the overview (under
        # it, it took most of the box and left room for about three rows at 1366×768)
        self.summary_details = details_label(self)
        self.summary_details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary_scroll = QScrollArea()
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_scroll.setWidget(self.summary_details)
        self.summary_scroll.setMinimumWidth(220)
        box = QGroupBox(_("Per school year and sending school"))
        box_layout = QVBoxLayout(box)
        self.overview_split = QSplitter(Qt.Orientation.Horizontal)
        self.overview_split.addWidget(self.overview)
        self.overview_split.addWidget(self.summary_scroll)
        self.overview_split.setStretchFactor(0, 3)
        self.overview_split.setStretchFactor(1, 1)
        self.overview_split.setSizes([900, 330])
        box_layout.addWidget(self.overview_split, 1)

        self.list: RecordListView[Rotation] = RecordListView(
            rotation_columns(self._short, self._terms), self)
        show_flags_in_red(self.list)
        self.list.activated.connect(self.edit_rotation)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self._selection = RecordSelection(self, self.list)
        self._actions: RecordActions[Rotation] = RecordActions(self, self.undo, "rotation",
                                                               self._selection.select)
        self.details = details_label(self)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.list, 1)
        lower_layout.addWidget(self.details)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 360])
        new_shortcut(self, self.add_rotation)
        for box in (self.year_box, self.school_box, self.form_box, self.status_box):
            box.currentIndexChanged.connect(self._apply_filters)

        filters, toolbar = toolbar_rows(
            [(_("School year:"), self.year_box), (_("School:"), self.school_box),
             (_("Form:"), self.form_box), (_("Status:"), self.status_box)], self.list,
            [self.add_button, self.edit_button, self.delete_button],
            [self.eligible_button, self.import_button], self.undo)
        lay_out_page(self, filters, toolbar, splitter)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Teacher rotation")

    def _filter_box(self, tooltip: str) -> QComboBox:
        box = QComboBox()
        box.setToolTip(tooltip)
        return box

    # ---- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        enabled = group_id is not None
        for widget in (self.add_button, self.import_button, self.eligible_button):
            widget.setEnabled(enabled)
        self._loads.cancel()
        if group_id is None:
            self._schools = []
            self.overview.set_rows([])
            self.list.set_rows([])
            return
        # thousands of rotations and their checks: load off the GUI thread and show only the
        # newest load when refreshes overlap
        services = self.ctx.services
        day = today()

        def load(_progress: Progress) -> _Loaded:
            members = services.groups.memberships(group_id)
            by_id = {s.id: s for s in services.schools.list()}
            seen: dict[int, School] = {}
            for m in members:
                if m.school_id in by_id:
                    seen.setdefault(m.school_id, by_id[m.school_id])
            rotations = services.rotations.list(group_id)
            return _Loaded(list(seen.values()),
                           {s.id: s.display_name for s in by_id.values()}, rotations,
                           services.rotations.term_findings_by_id(group_id, rotations),
                           services.rotations.year_summaries(group_id, day, rotations))

        self._loads.run(_("Loading rotations…"), load, self._show_loaded)

    def _show_loaded(self, loaded: _Loaded) -> None:
        self._schools = loaded.schools
        self._short.clear()
        self._short.update(loaded.short)
        self._terms.clear()
        self._terms.update(loaded.terms)
        selected = self.list.selected()
        self._fill_filters(loaded.summaries)
        self.overview.set_rows(loaded.summaries)
        self.list.set_rows(loaded.rotations)
        self._apply_filters()
        self._selection.restore(selected)
        self._show_summary(self.overview.selected())
        self._show_details(self.list.selected())

    def _fill_filters(self, summaries: list[YearSummary]) -> None:
        years = sorted({s.facts.school_year for s in summaries}, reverse=True)
        refill(self.year_box, _("All school years"),
               [(format_school_year(y), y) for y in years])
        refill(self.school_box, _("All schools"),
               [(self._short.get(s.id) or s.name, s.id) for s in self._schools])
        for index, school in enumerate(self._schools, start=1):
            self.school_box.setItemData(index, school.name, Qt.ItemDataRole.ToolTipRole)

    def _apply_filters(self, *_args: object) -> None:
        year = self.year_box.currentData()
        school = self.school_box.currentData()
        form = self.form_box.currentData()
        status = self.status_box.currentData()
        day = today()

        def keep(r: Rotation) -> bool:
            return ((year is None or r.school_year == year)
                    and (school is None or school in (r.from_school_id, r.to_school_id))
                    and (form is None or r.form.value == form)
                    and (status is None or r.status(day).value == status))

        def keep_summary(s: YearSummary) -> bool:
            return ((year is None or s.facts.school_year == year)
                    and (school is None or s.facts.school_id in (school, None)))

        filtering = any(x is not None for x in (year, school, form, status))
        self.list.set_filter(keep if filtering else None)
        self.overview.set_filter(keep_summary if year is not None or school is not None
                                 else None)

    # ---- add, edit, delete -----------------------------------------------------------

    def _choices(self) -> RotationChoices:
        return RotationChoices(self._schools, self.ctx.services.teachers.list(
            [s.id for s in self._schools if s.id is not None]))

    def _term(self, draft: Rotation) -> list[Finding]:
        service = self.ctx.services.rotations
        return service.term_findings(draft, service.profile(draft.group_id or -1))

    def add_rotation(self) -> None:
        if self.ctx.group_id is None:
            return
        school = self.school_box.currentData()
        draft = Rotation(None, self.ctx.group_id, None, school, None)
        result = RotationDialog.edit(self, draft, self._choices(),
                                     self.ctx.services.rotations.validate, self._term)
        if result is None:
            return
        self._actions.save_new(lambda: self.ctx.services.rotations.save(result),
                               lambda r: r.label)

    def edit_selected(self) -> None:
        rotation = self.list.selected()
        if rotation is not None:
            self.edit_rotation(rotation)

    def edit_rotation(self, rotation: Rotation) -> None:
        if rotation.id is None:
            return
        service = self.ctx.services.rotations
        self._actions.edit_stored(rotation.id, service, lambda before: RotationDialog.edit(
            self, before, self._choices(), service.validate, self._term), lambda r: r.label)

    def delete_selected(self) -> None:
        rotation = self.list.selected()
        if rotation is None or rotation.id is None:
            return
        self._actions.delete(rotation.id, rotation.label, _(
            "Move the rotation “{name}” to the recycle bin?\nYou can restore it from the "
            "recycle bin.").format(name=rotation.label))

    # ---- eligible teachers -----------------------------------------------------------

    def edit_eligible(self) -> None:
        summary = self.overview.selected()
        if summary is None or summary.facts.school_id is None or self.ctx.group_id is None:
            prompts.info(self, _("Eligible teachers"), _(
                "Select a school's row in the overview first (the group's row adds up its "
                "schools)."))
            return
        facts = summary.facts
        service = self.ctx.services.rotations
        before = next((c for c in service.eligible_counts(self.ctx.group_id)
                       if (c.school_id, c.school_year) == (facts.school_id, facts.school_year)),
                      EligibleCount(None, self.ctx.group_id, facts.school_id,
                                    facts.school_year, None))
        result = EligibleCountDialog.edit(self, before, facts.school_name,
                                          facts.listed_eligible)
        if result is None or result == before:
            return
        if self.ctx.write(self, lambda: (True, service.save_eligible(result))):
            label = _("eligible teachers of {school}, {year}").format(
                school=facts.school_name, year=format_school_year(facts.school_year))
            group_id = self.ctx.group_id

            def unchanged(values: EligibleCount, expected: EligibleCount) -> bool:
                current = next((c.eligible for c in service.eligible_counts(group_id)
                                if (c.school_id, c.school_year)
                                == (values.school_id, values.school_year)), None)
                return current == expected.eligible

            self.undo.record_guarded(label, before, result, unchanged, service.save_eligible)

    # ---- import ------------------------------------------------------------------------

    def import_source(self) -> RotationImportSource | None:
        if self.ctx.group_id is None:
            return None
        return RotationImportSource(self.ctx.services.rotations, self.ctx.group_id)

    def import_workbook(self) -> None:
        source = self.import_source()
        if source is not None:
            XlsxImportDialog.run(self, self.ctx, source, WORKBOOK_DIR)

    # ---- view --------------------------------------------------------------------------

    def _show_summary(self, summary: YearSummary | None) -> None:
        self.eligible_button.setEnabled(summary is not None and summary.facts.school_id
                                        is not None)
        if summary is None:
            self.summary_details.clear()
            return
        text = _rules_tooltip(summary)
        if summary.findings and summary.not_applied:
            text += "\n\n" + summary.not_applied
        self.summary_details.setText(text)

    def _show_details(self, rotation: Rotation | None) -> None:
        self.edit_button.setEnabled(rotation is not None)
        self.delete_button.setEnabled(rotation is not None)
        if rotation is None:
            self.details.clear()
            return
        parts = [rotation.label]
        if rotation.staff_no:
            parts.append(_("Staff number: {value}").format(value=rotation.staff_no))
        term = explanations(self._terms.get(rotation.id or 0, []))
        text = "    ".join(parts)
        if rotation.notes:
            text += "\n" + _("Notes: {value}").format(value=rotation.notes)
        if term:
            text += "\n" + term
        self.details.setText(text)
