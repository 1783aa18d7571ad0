"""Edit a cooperation agreement: tabs for the basics, parties, goals and indicators, tasks
under the model's five headings, funding and assessment, copies and filing; the printed
document is previewed live beside the form (re-rendered ~400 ms after the last edit).

Where the group's profile has several cooperation models (Yuyao: 融合型/共建型/协作型) the
model can be chosen on the Basics tab (default: the group's model); the task headings, the
default tasks and the template follow the choice. Tasks the user edited are replaced only
after asking; kept tasks (and all tasks, when the new model's template has none) move to the
new model's heading at the same position."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.agreements import (
    Agreement,
    AgreementParty,
    AgreementTask,
    Indicator,
    parse_yuan,
    party_label,
)
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _
from jituan_desktop.services.agreements import GroupSchool, ModelChoice
from jituan_desktop.ui import prompts
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.pdf_preview import PdfPreview
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

INDICATOR_HEADERS = (N_("Indicator"), N_("Unit"), N_("Baseline"), N_("Target"), N_("By when"))


class AgreementDialog(ValidatedDialog[Agreement]):
    def __init__(self, parent: QWidget | None, agreement: Agreement,
                 schools: list[GroupSchool], headings: tuple[str, ...], other_heading: str,
                 validate: Callable[[Agreement], ValidationReport],
                 render: Callable[[Agreement], bytes] | None = None,
                 models: list[ModelChoice] | None = None) -> None:
        """``models``: the cooperation models to choose from (``AgreementService.
        model_choices``); None: the agreement's model only."""
        super().__init__(parent)
        self._original = agreement
        self._models = list(models or [])
        self._model = next((m for m in self._models if m.label == agreement.model_label),
                           None)
        self._schools = schools
        self._validate = validate
        self._render = render
        self.setWindowTitle(_("Agreement {number}").format(number=agreement.number))
        self.resize(initial_size(self.screen().availableGeometry() if self.screen() else None))
        self.tabs = QTabWidget()
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        self.preview = PdfPreview(self)
        splitter.addWidget(self.preview)
        splitter.setSizes([self.width() // 2, self.width() - self.width() // 2])
        self.content.addWidget(splitter, 1)

        # basics
        basics = QWidget()
        form = QFormLayout(basics)
        self.number_edit = QLineEdit(agreement.number)
        self.add_row(form, _("Agreement number"), "number", self.number_edit)
        self.title_edit = QLineEdit(agreement.title)
        self.add_row(form, _("Title"), "title", self.title_edit)
        self.model_box = QComboBox()
        self.model_box.setObjectName("modelBox")
        for choice in self._models:
            self.model_box.addItem(choice.name, choice.label)
        if self.model_box.findData(agreement.model_label) < 0:
            self.model_box.addItem(agreement.model_label, agreement.model_label)
        self.model_box.setCurrentIndex(self.model_box.findData(agreement.model_label))
        self.model_box.setEnabled(self.model_box.count() > 1)
        self.model_box.setToolTip(_("The template and the five task headings follow the "
                                    "cooperation model."))
        self.add_row(form, _("Cooperation model"), "model_label", self.model_box)
        self.model_box.currentIndexChanged.connect(lambda *_a: self._model_chosen())
        self.scope_label = QLineEdit(agreement.scope.label())
        self.scope_label.setReadOnly(True)
        form.addRow(_("Parties"), self.scope_label)
        self.start_edit = DateEdit(agreement.term_start)
        self.add_row(form, _("Term starts"), "term_start", self.start_edit)
        self.end_edit = DateEdit(agreement.term_end)
        self.add_row(form, _("Term ends"), "term_end", self.end_edit)
        self.signing_date_edit = DateEdit(agreement.signing_date, optional=True,
                                          label=_("Print the signing date"))
        self.add_row(form, _("Signing date"), "signing_date", self.signing_date_edit)
        self.tabs.addTab(_scrolled(basics), _("Basics"))

        # parties
        parties = QWidget()
        box = QVBoxLayout(parties)
        self.party_table = QTableWidget(0, 3)
        self.party_table.setHorizontalHeaderLabels([_("Party"), _("School"),
                                                    _("Legal representative")])
        self.party_table.horizontalHeader().setStretchLastSection(True)
        self.party_table.setColumnWidth(1, 300)
        for party in agreement.parties:
            self._add_party_row(party)
        buttons = QHBoxLayout()
        self.add_party_button = QPushButton(_("Add party"))
        self.add_party_button.clicked.connect(lambda: self._add_party_row(None))
        self.remove_party_button = QPushButton(_("Remove party"))
        self.remove_party_button.clicked.connect(self._remove_party)
        buttons.addWidget(self.add_party_button)
        buttons.addWidget(self.remove_party_button)
        buttons.addStretch(1)
        box.addWidget(self.errors.bind("parties", self.party_table))
        box.addLayout(buttons)
        self.party_table.itemChanged.connect(lambda *_a: self._changed("parties"))
        self.tabs.addTab(parties, _("Parties"))

        # goals & indicators
        goals = QWidget()
        box = QVBoxLayout(goals)
        form = QFormLayout()
        # the goals box a few lines high at the top; the indicator table takes the rest
        self.goals_edit = QPlainTextEdit(agreement.goals)
        lines = self.goals_edit.fontMetrics().lineSpacing()
        self.goals_edit.setMinimumHeight(3 * lines + 12)
        self.goals_edit.setMaximumHeight(6 * lines + 12)
        self.add_row(form, _("Overall goal"), "goals", self.goals_edit)
        box.addLayout(form)
        self.indicator_table = QTableWidget(0, len(INDICATOR_HEADERS))
        self.indicator_table.setHorizontalHeaderLabels([_(h) for h in INDICATOR_HEADERS])
        # every column fits the tab's width (no horizontal scroll bar hiding "By when"): the
        # indicator's name takes the room left by the short columns
        header = self.indicator_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicator_table.setWordWrap(True)
        for x in agreement.indicators:
            self._add_indicator_row(x)
        self.indicator_table.itemChanged.connect(lambda *_a: self._changed("indicators"))
        box.addWidget(self.errors.bind("indicators", self.indicator_table), 1)
        box.addLayout(_add_remove_row(
            _("Add indicator"), lambda: self._add_indicator_row(None),
            _("Remove indicator"), lambda: self._remove_row(self.indicator_table, "indicators")))
        self.tabs.addTab(goals, _("Goals and indicators"))

        # tasks
        tasks = QWidget()
        box = QVBoxLayout(tasks)
        self._headings = [*headings, other_heading]
        self.task_table = QTableWidget(0, 2)
        self.task_table.setHorizontalHeaderLabels([_("Heading"), _("Task")])
        self.task_table.setColumnWidth(0, 130)
        self.task_table.horizontalHeader().setStretchLastSection(True)
        for task in agreement.tasks:
            self._add_task_row(task)
        self.task_table.itemChanged.connect(lambda *_a: self._changed("tasks"))
        box.addWidget(self.errors.bind("tasks", self.task_table))
        box.addLayout(_add_remove_row(
            _("Add task"), lambda: self._add_task_row(None),
            _("Remove task"), lambda: self._remove_row(self.task_table, "tasks")))
        self.tabs.addTab(tasks, _("Tasks"))

        # funding & assessment
        funding = QWidget()
        form = QFormLayout(funding)
        self.amount_edit = QLineEdit(_yuan_text(agreement.funding_fen))
        self.amount_edit.setPlaceholderText(_("In yuan, e.g. 120000 or 12万"))
        self.add_row(form, _("Funding (yuan)"), "funding_fen", self.amount_edit)
        self.funding_edit = QPlainTextEdit(agreement.funding_text)
        self.funding_edit.setPlaceholderText(_("Empty: the template's wording"))
        self.add_row(form, _("Sources and uses"), "funding_text", self.funding_edit)
        self.assessment_edit = QPlainTextEdit(agreement.assessment)
        self.assessment_edit.setPlaceholderText(_("Empty: the template's wording"))
        self.add_row(form, _("Assessment clause"), "assessment", self.assessment_edit)
        self.tabs.addTab(_scrolled(funding), _("Funding and assessment"))

        # copies & filing
        filing = QWidget()
        form = QFormLayout(filing)
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(0, 99)
        self.copies_spin.setValue(agreement.copies)
        self.add_row(form, _("Copies"), "copies", self.copies_spin)
        self.filing_edit = QLineEdit(agreement.filing_authority)
        self.add_row(form, _("Filed with"), "filing_authority", self.filing_edit)
        self.place_edit = QLineEdit(agreement.signing_place)
        self.add_row(form, _("Signing place"), "signing_place", self.place_edit)
        self.tabs.addTab(_scrolled(filing), _("Copies and filing"))

        self.revalidate()
        self.update_preview()

    # ---- rows ---------------------------------------------------------------------------

    def _school_box(self, school_id: int | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("(choose a school)"), None)
        for school in self._schools:
            combo.addItem(school.name, school.id)
        combo.setCurrentIndex(max(0, combo.findData(school_id)))
        combo.currentIndexChanged.connect(lambda *_a: self._changed("parties"))
        return combo

    def _add_party_row(self, party: AgreementParty | None) -> None:
        row = self.party_table.rowCount()
        self.party_table.insertRow(row)
        label = QTableWidgetItem(party.label if party else party_label(row + 1))
        self.party_table.setItem(row, 0, label)
        self.party_table.setCellWidget(row, 1, self._school_box(party.school_id if party
                                                                else None))
        self.party_table.setItem(row, 2, QTableWidgetItem(party.representative if party
                                                          else ""))
        self._changed("parties")

    def _remove_party(self) -> None:
        self._remove_row(self.party_table, "parties")
        for row in range(self.party_table.rowCount()):  # 甲乙丙丁 follow the order
            self.party_table.item(row, 0).setText(party_label(row + 1))

    def _add_indicator_row(self, x: Indicator | None) -> None:
        row = self.indicator_table.rowCount()
        self.indicator_table.insertRow(row)
        values = dataclasses.astuple(x) if x else ("",) * len(INDICATOR_HEADERS)
        for column, value in enumerate(values):
            self.indicator_table.setItem(row, column, QTableWidgetItem(value))
        self._changed("indicators")

    def _add_task_row(self, task: AgreementTask | None) -> None:
        row = self.task_table.rowCount()
        self.task_table.insertRow(row)
        combo = QComboBox()
        combo.addItems(self._headings)
        if task and task.heading not in self._headings:
            combo.addItem(task.heading)
        combo.setCurrentText(task.heading if task else self._headings[0])
        combo.currentIndexChanged.connect(lambda *_a: self._changed("tasks"))
        self.task_table.setCellWidget(row, 0, combo)
        self.task_table.setItem(row, 1, QTableWidgetItem(task.text if task else ""))
        self._changed("tasks")

    def _remove_row(self, table: QTableWidget, field: str) -> None:
        row = table.currentRow()
        if row < 0:
            row = table.rowCount() - 1
        if row >= 0:
            table.removeRow(row)
            self._changed(field)

    # ---- cooperation model --------------------------------------------------------------

    def _model_chosen(self) -> None:
        label = self.model_box.currentData()
        new = next((m for m in self._models if m.label == label), None)
        old = self._model
        if new is None or old is None or new.label == old.label:
            self._changed("model_label")
            return
        current = self._tasks()
        replace = bool(new.default_tasks)  # else the template has none: keep the tasks
        if replace and current and current != old.default_tasks:
            replace = prompts.confirm(self, _("Change the cooperation model"), _(
                "The tasks were edited. Replace them with the tasks of the template for "
                "{model}?\n\nChoose No to keep your tasks; they move to the headings of "
                "{model}.").format(model=new.name))
        old_headings = [*old.headings, old.other_heading]
        moved = {h: (new.headings[i] if i < len(new.headings) else new.other_heading)
                 for i, h in enumerate(old.headings)}
        moved[old.other_heading] = new.other_heading
        tasks = new.default_tasks if replace else tuple(
            AgreementTask(moved.get(t.heading, t.heading) if t.heading in old_headings
                          else t.heading, t.text) for t in current)
        self._headings = [*new.headings, new.other_heading]
        self.task_table.blockSignals(True)
        self.task_table.setRowCount(0)
        for task in tasks:
            self._add_task_row(task)
        self.task_table.blockSignals(False)
        if self.title_edit.text().strip() in ("", old.title):
            self.title_edit.setText(new.title)
        self._model = new
        self._changed("model_label")

    def _tasks(self) -> tuple[AgreementTask, ...]:
        tasks = []
        for row in range(self.task_table.rowCount()):
            combo = self.task_table.cellWidget(row, 0)
            text = self.task_table.item(row, 1)
            if text and text.text().strip():
                tasks.append(AgreementTask(combo.currentText() if isinstance(combo, QComboBox)
                                           else "", text.text().strip()))
        return tuple(tasks)

    # ---- draft and validation -----------------------------------------------------------

    def draft(self) -> Agreement:
        names = {s.id: s.name for s in self._schools}
        parties = []
        for row in range(self.party_table.rowCount()):
            combo = self.party_table.cellWidget(row, 1)
            school_id = combo.currentData() if isinstance(combo, QComboBox) else None
            rep = self.party_table.item(row, 2)
            parties.append(AgreementParty(
                row + 1, party_label(row + 1), school_id, rep.text().strip() if rep else "",
                "校长", school_name=names.get(school_id, "")))
        indicators = []
        for row in range(self.indicator_table.rowCount()):
            cells = [self.indicator_table.item(row, c) for c in range(len(INDICATOR_HEADERS))]
            values = [c.text().strip() if c else "" for c in cells]
            if any(values):
                indicators.append(Indicator(*values))
        fen = parse_yuan(self.amount_edit.text())
        return dataclasses.replace(
            self._original, number=self.number_edit.text().strip(),
            title=self.title_edit.text().strip(),
            model_label=str(self.model_box.currentData() or ""), term_start=self.start_edit.value(),
            term_end=self.end_edit.value(), signing_date=self.signing_date_edit.value(),
            goals=self.goals_edit.toPlainText().strip(),
            funding_fen=-1 if fen is None else fen,
            funding_text=self.funding_edit.toPlainText().strip(),
            assessment=self.assessment_edit.toPlainText().strip(),
            copies=self.copies_spin.value(), filing_authority=self.filing_edit.text().strip(),
            signing_place=self.place_edit.text().strip(), parties=tuple(parties),
            indicators=tuple(indicators), tasks=self._tasks())

    def validate(self, draft: Agreement) -> ValidationReport:
        report = self._validate(draft)
        if parse_yuan(self.amount_edit.text()) is None:
            builder = ReportBuilder()
            builder.add("funding_fen", _("Enter the amount in yuan, e.g. 120000 or 12万."))
            for key, message in report.items():
                builder.add(key, message)
            return builder.build()
        return report

    def _changed(self, field: str | None) -> None:
        if not hasattr(self, "copies_spin"):
            return  # still building the form
        super()._changed(field)
        self.update_preview()

    def update_preview(self) -> None:
        if self._render is None:
            return
        draft = self.draft()
        render = self._render
        self.preview.request(lambda: render(draft))

    @classmethod
    def edit(cls, parent: QWidget | None, agreement: Agreement, schools: list[GroupSchool],
             headings: tuple[str, ...], other_heading: str,
             validate: Callable[[Agreement], ValidationReport],
             render: Callable[[Agreement], bytes] | None = None,
             models: list[ModelChoice] | None = None) -> Agreement | None:
        dialog = cls(parent, agreement, schools, headings, other_heading, validate, render,
                     models)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


PREFERRED_SIZE = QSize(1280, 820)
MIN_SIZE = QSize(760, 480)
SCREEN_MARGIN = 40  # room left around the dialog for the window frame and the task bar


def initial_size(available: QRect | None) -> QSize:
    """The editor's first size: 1280×820, smaller on a small screen (its free area less a
    margin, so OK and Cancel stay on the screen), at least ``MIN_SIZE``."""
    if available is None or available.isEmpty():
        return PREFERRED_SIZE
    return QSize(max(MIN_SIZE.width(), min(PREFERRED_SIZE.width(),
                                           available.width() - 2 * SCREEN_MARGIN)),
                 max(MIN_SIZE.height(), min(PREFERRED_SIZE.height(),
                                            available.height() - 2 * SCREEN_MARGIN)))


def _scrolled(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area: on a low screen the tab scrolls instead of
    making the dialog taller than the screen (which would push OK and Cancel off it)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


def _yuan_text(fen: int) -> str:
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if not cents else f"{yuan}.{cents:02d}"


def _add_remove_row(add_text: str, add: Callable[[], object], remove_text: str,
                    remove: Callable[[], object]) -> QHBoxLayout:
    """The Add / Remove buttons under an editable table, left-aligned."""
    row = QHBoxLayout()
    for text, slot in ((add_text, add), (remove_text, remove)):
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row
