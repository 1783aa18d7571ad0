"""Add or edit a shared course: ``CourseDialog.edit(parent, draft, ctx) -> Course | None``.

Errors block OK (red, next to the field); warnings (enrolment over capacity, a dual-teacher
classroom's local co-teacher) show in amber and the course can still be saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from jituan_desktop.domain.courses import (
    Course,
    CourseContext,
    CourseType,
    Delivery,
    course_warnings,
    validate_course,
)
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.ui.widgets.common import enum_box
from jituan_desktop.ui.widgets.course_fields import (
    MAX_TYPED_STUDENTS,
    EnrolmentTable,
    TeacherPicker,
)
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

_WARNING_STYLESHEET = "color: #b26a00;"


class CourseDialog(ValidatedDialog[Course]):
    def __init__(self, parent: QWidget | None, draft: Course, ctx: CourseContext,
                 short_names: Mapping[int, str] | None = None) -> None:
        super().__init__(parent)
        self._original = draft
        self._ctx = ctx
        self.setWindowTitle(_("Add shared course") if draft.id is None
                            else _("Edit shared course"))
        self.setMinimumWidth(560)
        form = QFormLayout()
        self.content.addLayout(form)

        self.semester_box = QComboBox()
        self.semester_box.addItem(_("Choose a semester…"), None)
        for semester in sorted(ctx.semesters.values(), key=lambda x: (-x.school_year, -x.term)):
            self.semester_box.addItem(semester.label, semester.id)
        self.semester_box.setCurrentIndex(max(0, self.semester_box.findData(draft.semester_id)))
        self.add_row(form, _("Semester"), "semester_id", self.semester_box)

        self.title_edit = QLineEdit(draft.title)
        self.title_edit.setPlaceholderText(_("e.g. 绘本阅读与表达"))
        self.add_row(form, _("Course title"), "title", self.title_edit)

        group_schools = list(dict.fromkeys(p.school_id for p in ctx.periods
                                           if p.school_id is not None))
        self.provider_box = QComboBox()
        self.provider_box.addItem(_("Choose a school…"), None)
        for school_id in group_schools:
            self.provider_box.addItem(ctx.school_names.get(school_id, ""), school_id)
        if draft.provider_school_id is not None and \
                self.provider_box.findData(draft.provider_school_id) < 0:
            # e.g. from an import: shown (and flagged) rather than silently changed
            self.provider_box.addItem(draft.provider_name or ctx.school_names.get(
                draft.provider_school_id, f"#{draft.provider_school_id}"),
                draft.provider_school_id)
        self.provider_box.setCurrentIndex(
            max(0, self.provider_box.findData(draft.provider_school_id)))
        self.add_row(form, _("Providing school"), "provider_school_id", self.provider_box)

        self.type_box = enum_box(CourseType.choices(), draft.course_type.value)
        self.add_row(form, _("Type"), "course_type", self.type_box)
        self.subject_edit = QLineEdit(draft.subject)
        self.subject_edit.setPlaceholderText(_("e.g. 科学 (optional)"))
        self.add_row(form, _("Subject"), "subject", self.subject_edit)
        self.delivery_box = enum_box(Delivery.choices(), draft.delivery.value)
        self.add_row(form, _("Delivery"), "delivery", self.delivery_box)
        self.schedule_edit = QLineEdit(draft.schedule)
        self.schedule_edit.setPlaceholderText(_("e.g. 每周三下午第7—8节"))
        self.add_row(form, _("Schedule"), "schedule", self.schedule_edit)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, MAX_TYPED_STUDENTS)
        self.capacity_spin.setValue(draft.capacity)
        self.capacity_spin.setSuffix(_(" students"))
        self.add_row(form, _("Capacity"), "capacity", self.capacity_spin)

        self.teachers = TeacherPicker(ctx.teachers, short_names or ctx.school_names,
                                      draft.teacher_ids)
        self.teachers.setToolTip(_("Check the teachers (Space); the first one checked is the "
                                   "lead teacher."))
        self.add_row(form, _("Teachers"), "teacher_ids", self.teachers)
        self.enrolments = EnrolmentTable(ctx.school_names, group_schools, draft.enrolments)
        self.enrolments.setToolTip(_("Students of each school enrolled in the course"))
        self.add_row(form, _("Enrolment"), "enrolments", self.enrolments)

        self.notes_edit = QPlainTextEdit(draft.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 2 + 12)
        self.add_row(form, _("Notes"), "notes", self.notes_edit)

        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("formWarning")
        self.warning_label.setStyleSheet(_WARNING_STYLESHEET)
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.content.addWidget(self.warning_label)
        self.revalidate()

    def draft(self) -> Course:
        return dataclasses.replace(
            self._original,
            semester_id=self.semester_box.currentData(),
            title=self.title_edit.text().strip(),
            provider_school_id=self.provider_box.currentData(),
            course_type=CourseType(self.type_box.currentData()),
            subject=self.subject_edit.text().strip(),
            delivery=Delivery(self.delivery_box.currentData()),
            schedule=self.schedule_edit.text().strip(),
            capacity=self.capacity_spin.value(),
            teacher_ids=self.teachers.value(),
            enrolments=self.enrolments.value(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def validate(self, draft: Course) -> ValidationReport:
        return validate_course(draft, self._ctx)

    def revalidate(self) -> ValidationReport:
        report = super().revalidate()
        warnings = course_warnings(self.draft(), self._ctx)
        self.warning_label.setText("\n".join(
            _("Note: {message}").format(message=m) for m in warnings.values()))
        self.warning_label.setVisible(bool(warnings))
        return report

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Course, ctx: CourseContext,
             short_names: Mapping[int, str] | None = None) -> Course | None:
        """Show the dialog modally; the accepted course, or None when cancelled.
        ``short_names``: school id → short name, to keep the teacher list narrow."""
        dialog = cls(parent, draft, ctx, short_names)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


