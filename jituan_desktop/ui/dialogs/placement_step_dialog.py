"""Record the next workflow step of a placement: which step, when, by whom, with a comment.

``PlacementStepDialog.ask_step(parent, placement, actors, last_step_on) -> StepDraft | None``.
Only the steps that may follow the placement's status are offered (HY-06 order), so an
approval before the review cannot even be chosen; the service refuses it as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from jituan_desktop.domain.placements import (
    Placement,
    PlacementAction,
    available_actions,
    validate_step,
)
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _, format_date
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog


@dataclass(frozen=True)
class StepDraft:
    action: PlacementAction
    on: dt.date
    actor: str
    comment: str


def default_day(placement: Placement, action: PlacementAction,
                last_step_on: dt.date | None = None, today: dt.date | None = None) -> dt.date:
    """The date a step usually has: the planned dates for start and end, the application
    date for the submission, else today; but never in the future (a step records what
    happened) and never before the previous step."""
    today = today or dt.date.today()
    if action is PlacementAction.START:
        day = placement.planned_start
    elif action is PlacementAction.END:
        day = placement.planned_end
    elif action is PlacementAction.RETURN:
        day = (placement.actual_end or placement.planned_end) + dt.timedelta(days=1)
    elif action is PlacementAction.SUBMIT:
        day = placement.applied_on
    else:
        day = today
    day = min(day, today)
    return max(day, last_step_on) if last_step_on is not None else day


class PlacementStepDialog(ValidatedDialog[StepDraft]):
    def __init__(self, parent: QWidget | None, placement: Placement,
                 actors: Mapping[PlacementAction, str], last_step_on: dt.date | None) -> None:
        super().__init__(parent)
        self._placement = placement
        self._actors = actors
        self._last = last_step_on
        self.setWindowTitle(_("Workflow step: {name}").format(name=placement.person_name))
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.content.addLayout(form)
        status = QLabel(_("Now: {status}").format(status=placement.status.label()))
        form.addRow(_("Status"), status)
        self.action_box = QComboBox()
        for action in available_actions(placement.status):
            self.action_box.addItem(action.label(), action.value)
        self.add_row(form, _("Step"), "action", self.action_box)
        self.on_edit = DateEdit(default_day(placement, self._action(), last_step_on))
        self.add_row(form, _("Date"), "on", self.on_edit)
        # a warning, not an error: a step may be entered ahead, but usually it is a typo
        self.future_warning = QLabel()
        self.future_warning.setObjectName("future_warning")
        self.future_warning.setWordWrap(True)
        self.future_warning.setStyleSheet("color: #8a5a00;")
        self.future_warning.setVisible(False)
        form.addRow("", self.future_warning)
        self.on_edit.dateChanged.connect(self._date_changed)
        self.actor_edit = QLineEdit(actors.get(self._action(), ""))
        self.actor_edit.setPlaceholderText(_("Office or person, e.g. 县教育体育局基教股"))
        self.add_row(form, _("By"), "actor", self.actor_edit)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(self.comment_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.add_row(form, _("Comment or reason"), "comment", self.comment_edit)
        if last_step_on is not None:
            form.addRow("", QLabel(_("Previous step on {date}").format(
                date=format_date(last_step_on))))
        self.action_box.currentIndexChanged.connect(self._action_changed)
        self._date_changed()
        self.revalidate()

    def _date_changed(self, *_args: object) -> None:
        future = self.on_edit.value() > dt.date.today()
        self.future_warning.setText(_(
            "⚠ This date is in the future ({date}). A workflow step records what has "
            "happened: check the date before you save.").format(
                date=format_date(self.on_edit.value())) if future else "")
        self.future_warning.setVisible(future)

    def _action(self) -> PlacementAction:
        return PlacementAction(self.action_box.currentData() or PlacementAction.SUBMIT.value)

    def _action_changed(self, *_args: object) -> None:
        action = self._action()
        self.on_edit.set_value(default_day(self._placement, action, self._last))
        if action in self._actors:
            self.actor_edit.setText(self._actors[action])

    def draft(self) -> StepDraft:
        return StepDraft(self._action(), self.on_edit.value(), self.actor_edit.text().strip(),
                         self.comment_edit.toPlainText().strip())

    def validate(self, draft: StepDraft) -> ValidationReport:
        if self.action_box.count() == 0:
            return ValidationReport({"action": _("This placement is closed: no step follows.")})
        return validate_step(draft.action, draft.on, draft.actor, draft.comment, self._last)

    @classmethod
    def ask_step(cls, parent: QWidget | None, placement: Placement,
                 actors: Mapping[PlacementAction, str],
                 last_step_on: dt.date | None) -> StepDraft | None:
        dialog = cls(parent, placement, actors, last_step_on)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()
