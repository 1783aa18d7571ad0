"""Add or edit a placement application, with the policy rules checked beside the form.

``PlacementDialog.edit(parent, draft, people, schools, check) -> Placement | None``; ``check``
is the service's ``check`` (input report and rule findings), so the dialog needs no database.
Input problems disable OK; broken rules only show (and a 原则上 rule asks for a justification).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.enums import CadreRank
from jituan_desktop.domain.placements import (
    VETO_FIELDS,
    VETO_LABELS,
    Placement,
    PlacementKind,
)
from jituan_desktop.domain.rules import Finding
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.rule_findings import FLAG_STYLESHEET, RuleFindingsView, flag_fields
from jituan_desktop.ui.widgets.validated_form import INVALID_STYLESHEET, ValidatedDialog

Check = Callable[[Placement], tuple[ValidationReport, list[Finding]]]


def person_label(t: Teacher, short_names: dict[int | None, str]) -> str:
    school = short_names.get(t.school_id) or t.school_name
    if t.cadre_rank is CadreRank.NONE:
        return f"{t.name}（{school}）"
    return f"{t.name}（{school}，{t.position or t.cadre_rank.label()}）"


def _text_box(text: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


PREFERRED_WIDTH = 980  # the form and the rule findings side by side
MARGIN = 12


def available_geometry(widget: QWidget | None) -> QRect:
    """The usable part (without task bars) of the screen ``widget`` is on, else the
    primary screen's."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_into(dialog: QWidget, available: QRect) -> None:
    """Shrink ``dialog`` (frame and title bar included) to ``available`` and move it inside,
    so its buttons stay on a small screen such as 1366×768."""
    frame = dialog.frameGeometry().size() - dialog.geometry().size()
    limit = available.size() - frame - QSize(2 * MARGIN, 2 * MARGIN)
    dialog.resize(dialog.size().boundedTo(limit).expandedTo(dialog.minimumSize()))
    outer = dialog.frameGeometry()
    x = min(max(outer.x(), available.x()), available.right() - outer.width() + 1)
    y = min(max(outer.y(), available.y()), available.bottom() - outer.height() + 1)
    dialog.move(max(x, available.x()), max(y, available.y()))


class PlacementDialog(ValidatedDialog[Placement]):
    def __init__(self, parent: QWidget | None, draft: Placement, people: Sequence[Teacher],
                 schools: Sequence[tuple[int, str]], check: Check,
                 profile_name: str = "") -> None:
        super().__init__(parent)
        self.setStyleSheet(INVALID_STYLESHEET + FLAG_STYLESHEET)
        self._original = draft
        self._check = check
        self._findings: list[Finding] = []
        self._people = {t.id: t for t in people}
        self.setWindowTitle(_("New placement application") if draft.id is None
                            else _("Edit placement of {name}").format(name=draft.person_name))
        self.setMinimumWidth(min(PREFERRED_WIDTH, available_geometry(parent).width() - 2 * MARGIN))
        short = {sid: name for sid, name in schools}
        form = QFormLayout()
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        self.content.addLayout(columns)

        self.person_box = QComboBox()
        self.person_box.addItem(_("Choose a person…"), None)
        for t in people:
            self.person_box.addItem(person_label(t, short), t.id)
        if draft.teacher_id is not None and self.person_box.findData(draft.teacher_id) < 0:
            self.person_box.addItem(draft.person_name or f"#{draft.teacher_id}", draft.teacher_id)
        self.person_box.setCurrentIndex(max(0, self.person_box.findData(draft.teacher_id)))
        self.add_row(form, _("Person"), "teacher_id", self.person_box)
        self.kind_box = QComboBox()
        for value, label in PlacementKind.choices():
            self.kind_box.addItem(label, value)
        self.kind_box.setCurrentIndex(self.kind_box.findData(draft.kind.value))
        self.add_row(form, _("Kind"), "kind", self.kind_box)
        self.home_box = self._school_box(schools, draft.home_school_id, draft.home_school_name)
        self.add_row(form, _("Home school"), "home_school_id", self.home_box)
        self.host_box = self._school_box(schools, draft.host_school_id, draft.host_school_name)
        self.add_row(form, _("Host school"), "host_school_id", self.host_box)
        self.mentor_edit = QLineEdit(draft.mentor)
        self.mentor_edit.setPlaceholderText(_("e.g. the mentor of a new teacher (HY-09)"))
        self.add_row(form, _("Mentor"), "mentor", self.mentor_edit)
        self.purpose_edit = _text_box(draft.purpose, 2)
        self.add_row(form, _("Purpose"), "purpose", self.purpose_edit)
        self.applied_on = DateEdit(draft.applied_on)
        self.add_row(form, _("Applied on"), "applied_on", self.applied_on)
        self.planned_start = DateEdit(draft.planned_start)
        self.add_row(form, _("Planned start"), "planned_start", self.planned_start)
        self.planned_end = DateEdit(draft.planned_end)
        self.add_row(form, _("Planned end"), "planned_end", self.planned_end)
        hint = _("Recorded by the workflow steps; correct it here if needed")
        self.actual_start = DateEdit(draft.actual_start, optional=True, tooltip=hint)
        self.add_row(form, _("Actual start"), "actual_start", self.actual_start)
        self.actual_end = DateEdit(draft.actual_end, optional=True, tooltip=hint)
        self.add_row(form, _("Actual end"), "actual_end", self.actual_end)
        self.returned_on = DateEdit(draft.returned_on, optional=True, tooltip=hint)
        self.add_row(form, _("Back at home school on"), "returned_on", self.returned_on)

        self.veto_group = QGroupBox(_("Veto conditions (一票否决): tick what applies"))
        veto_layout = QVBoxLayout(self.veto_group)
        self.veto_checks: dict[str, QCheckBox] = {}
        for name in VETO_FIELDS:
            check_box = QCheckBox(_(VETO_LABELS[name]))
            check_box.setChecked(bool(getattr(draft, name)))
            veto_layout.addWidget(check_box)
            self.veto_checks[name] = check_box
            self.watch(check_box, "veto")
        form.addRow(self.errors.bind("veto", self.veto_group))

        self.justification_edit = _text_box(draft.justification, 2)
        self.justification_edit.setPlaceholderText(_("Needed when a rule that applies “in "
                                                     "principle” (原则上) is exceeded"))
        self.add_row(form, _("Justification"), "justification", self.justification_edit)
        self.notes_edit = _text_box(draft.notes, 2)
        self.add_row(form, _("Notes"), "notes", self.notes_edit)

        side = QVBoxLayout()
        heading = QLabel(_("Policy rules: {profile}").format(profile=profile_name)
                         if profile_name else _("Policy rules"))
        heading.setWordWrap(True)
        side.addWidget(heading)
        self.findings_view = RuleFindingsView(_(
            "The group's policy profile has no rules for placements: the placement is "
            "recorded without checks."))
        side.addWidget(self.findings_view, 1)
        columns.addLayout(side, 2)
        self._flag_widgets: dict[str, QWidget] = {
            "teacher_id": self.person_box, "host_school_id": self.host_box,
            "applied_on": self.applied_on, "planned_start": self.planned_start,
            "planned_end": self.planned_end, "actual_end": self.actual_end,
            "returned_on": self.returned_on, "veto": self.veto_group}
        self.person_box.currentIndexChanged.connect(self._person_changed)
        self.revalidate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_into(self, available_geometry(self))

    @staticmethod
    def _school_box(schools: Sequence[tuple[int, str]], current: int | None,
                    name: str) -> QComboBox:
        box = QComboBox()
        box.addItem(_("Choose a school…"), None)
        for school_id, label in schools:
            box.addItem(label, school_id)
        if current is not None and box.findData(current) < 0:
            box.addItem(name or f"#{current}", current)  # e.g. no longer in the group
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _person_changed(self, *_args: object) -> None:
        """The home school follows the person chosen (it can still be changed)."""
        person = self._people.get(self.person_box.currentData())
        if person is not None:
            index = self.home_box.findData(person.school_id)
            if index >= 0:
                self.home_box.setCurrentIndex(index)

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def draft(self) -> Placement:
        person = self._people.get(self.person_box.currentData())
        return dataclasses.replace(
            self._original,
            teacher_id=self.person_box.currentData(),
            person_name=person.name if person else self._original.person_name,
            kind=PlacementKind(self.kind_box.currentData()),
            home_school_id=self.home_box.currentData(),
            host_school_id=self.host_box.currentData(),
            mentor=self.mentor_edit.text().strip(),
            purpose=self.purpose_edit.toPlainText().strip(),
            applied_on=self.applied_on.value(),
            planned_start=self.planned_start.value(),
            planned_end=self.planned_end.value(),
            actual_start=self.actual_start.value(),
            actual_end=self.actual_end.value(),
            returned_on=self.returned_on.value(),
            justification=self.justification_edit.toPlainText().strip(),
            notes=self.notes_edit.toPlainText().strip(),
            **{name: box.isChecked() for name, box in self.veto_checks.items()},
        )

    def validate(self, draft: Placement) -> ValidationReport:
        report, self._findings = self._check(draft)
        self.findings_view.set_findings(self._findings, justified=bool(draft.justification))
        flag_fields(self._findings, self._flag_widgets)
        return report

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Placement, people: Sequence[Teacher],
             schools: Sequence[tuple[int, str]], check: Check,
             profile_name: str = "") -> Placement | None:
        """Show the dialog modally; the accepted placement, or None when cancelled."""
        dialog = cls(parent, draft, people, schools, check, profile_name)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()
