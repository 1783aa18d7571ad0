"""Dialogs for the leadership group, charter sections and plans."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from jituan_desktop.domain.charter import CharterSection, Leader, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SectionKind
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _, format_school_year
from jituan_desktop.ui.dialogs.group_dialog import enum_combo
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog


class LeaderDialog(ValidatedDialog[Leader]):
    """A member of the leadership group, picked from the group's teachers or typed in."""

    def __init__(self, parent: QWidget | None, draft: Leader, teachers: Sequence[Teacher],
                 validate: Callable[[Leader], ValidationReport]) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self._teachers = {t.id: t for t in teachers}
        self.setWindowTitle(_("Leadership group member"))
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.content.addLayout(form)
        self.role = enum_combo(LeaderRole, draft.role)
        self.add_row(form, _("Role in the leadership group"), "role", self.role)
        self.teacher = QComboBox()
        self.teacher.addItem(_("(not a teacher of the group)"), None)
        for teacher in teachers:
            self.teacher.addItem(f"{teacher.name}（{teacher.school_name}）", teacher.id)
        self.teacher.setCurrentIndex(max(0, self.teacher.findData(draft.teacher_id)))
        self.add_row(form, _("Teacher"), "teacher_id", self.teacher)
        self.person_name = QLineEdit(draft.person_name)
        self.add_row(form, _("Name"), "person_name", self.person_name)
        self.position = QLineEdit(draft.position)
        self.position.setPlaceholderText(_("e.g. 校长, 教育局副局长"))
        self.add_row(form, _("Position"), "position", self.position)
        self.duty = QPlainTextEdit(draft.duty)
        self.duty.setFixedHeight(60)
        self.add_row(form, _("Duties"), "duty", self.duty)
        self.teacher.currentIndexChanged.connect(lambda _i: self._teacher_chosen())
        self.revalidate()

    def _teacher_chosen(self) -> None:
        teacher = self._teachers.get(self.teacher.currentData())
        if teacher:
            self.person_name.setText(teacher.name)
            if teacher.position:
                self.position.setText(teacher.position)

    def draft(self) -> Leader:
        teacher = self._teachers.get(self.teacher.currentData())
        return dataclasses.replace(
            self._original, role=LeaderRole(self.role.currentData()),
            person_name=self.person_name.text().strip(),
            teacher_id=teacher.id if teacher else None,
            school_id=teacher.school_id if teacher else self._original.school_id,
            position=self.position.text().strip(), duty=self.duty.toPlainText().strip())

    def validate(self, draft: Leader) -> ValidationReport:
        return self._validate(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Leader, teachers: Sequence[Teacher],
             validate: Callable[[Leader], ValidationReport]) -> Leader | None:
        return cls(parent, draft, teachers, validate).ask()


class SectionDialog(ValidatedDialog[CharterSection]):
    def __init__(self, parent: QWidget | None, draft: CharterSection,
                 validate: Callable[[CharterSection], ValidationReport]) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self.setWindowTitle(_("Charter section"))
        self.resize(640, 520)
        form = QFormLayout()
        self.content.addLayout(form)
        self.kind = enum_combo(SectionKind, draft.kind)
        self.add_row(form, _("Kind"), "kind", self.kind)
        self.title_edit = QLineEdit(draft.title)
        self.add_row(form, _("Title"), "title", self.title_edit)
        self.body = QPlainTextEdit(draft.body)
        self.body.setMinimumHeight(300)
        self.add_row(form, _("Text"), "body", self.body)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self.revalidate()

    def _kind_chosen(self) -> None:
        kind = SectionKind(self.kind.currentData())
        if kind is not SectionKind.CUSTOM and not self.title_edit.text().strip():
            self.title_edit.setText(kind.label())

    def draft(self) -> CharterSection:
        return dataclasses.replace(self._original, kind=SectionKind(self.kind.currentData()),
                                   title=self.title_edit.text().strip(),
                                   body=self.body.toPlainText())

    def validate(self, draft: CharterSection) -> ValidationReport:
        return self._validate(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: CharterSection,
             validate: Callable[[CharterSection], ValidationReport]) -> CharterSection | None:
        return cls(parent, draft, validate).ask()


class PlanDialog(ValidatedDialog[Plan]):
    def __init__(self, parent: QWidget | None, draft: Plan,
                 validate: Callable[[Plan], ValidationReport]) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self.setWindowTitle(_("Plan"))
        self.resize(640, 520)
        form = QFormLayout()
        self.content.addLayout(form)
        self.kind = enum_combo(PlanKind, draft.kind)
        self.add_row(form, _("Kind"), "kind", self.kind)
        self.start_year = QSpinBox()
        self.start_year.setRange(1990, 2100)
        self.start_year.setValue(draft.start_year)
        self.add_row(form, _("From school year"), "start_year", self.start_year)
        self.title_edit = QLineEdit(draft.title)
        self.add_row(form, _("Title"), "title", self.title_edit)
        self.body = QPlainTextEdit(draft.body)
        self.body.setMinimumHeight(280)
        self.add_row(form, _("Goals and tasks"), "body", self.body)
        self.start_year.valueChanged.connect(lambda _v: self._show_year())
        self._show_year()
        self.revalidate()

    def _show_year(self) -> None:
        self.start_year.setSuffix(f"  ({format_school_year(self.start_year.value())})")

    def draft(self) -> Plan:
        return dataclasses.replace(self._original, kind=PlanKind(self.kind.currentData()),
                                   start_year=self.start_year.value(),
                                   title=self.title_edit.text().strip(),
                                   body=self.body.toPlainText())

    def validate(self, draft: Plan) -> ValidationReport:
        return self._validate(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Plan,
             validate: Callable[[Plan], ValidationReport]) -> Plan | None:
        return cls(parent, draft, validate).ask()
