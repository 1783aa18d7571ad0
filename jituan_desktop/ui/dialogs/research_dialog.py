"""Record or edit a joint research session: ``ResearchDialog.edit(parent, draft, schools,
teachers, validate) -> ResearchSession | None``.

Three tabs: the session (date, times with the duration, subject, stage, type, host and
participating schools, mode, topic, lead teacher), the attendance, and the minutes. Every
edit is validated at once with the service's ``validate`` (end before start, a teacher of a
school that did not take part, a host outside the group …).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.research import (
    DeliveryMode,
    ResearchSession,
    ResearchType,
    SchoolRef,
    duration_text,
)
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.services.research import TeacherChoice
from jituan_desktop.ui.widgets.attendance_editor import AttendanceEditor
from jituan_desktop.ui.widgets.common import enum_box
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

SUBJECT_CHOICES = ("语文", "数学", "英语", "科学", "道德与法治", "物理", "化学", "生物", "历史",
                   "地理", "音乐", "体育", "美术", "信息科技", "劳动", "心理健康", "蒙古语文")




def _qtime(minute: int) -> QTime:
    return QTime(minute // 60 % 24, minute % 60)


def _minute(edit: QTimeEdit) -> int:
    time = edit.time()
    return time.hour() * 60 + time.minute()


class SchoolChecklist(QListWidget):
    """Checkable schools; ``value()`` the checked ids, ``value_changed`` on every click."""

    value_changed = Signal(object)

    def __init__(self, schools: Sequence[SchoolRef], checked: Sequence[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for school in schools:
            item = QListWidgetItem(school.name)
            item.setData(Qt.ItemDataRole.UserRole, school.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if school.id in checked
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
        for school_id in checked:  # e.g. a school in the recycle bin: shown, to be removed
            if school_id not in {s.id for s in schools}:
                item = QListWidgetItem(f"#{school_id}")
                item.setData(Qt.ItemDataRole.UserRole, school_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.addItem(item)
        self.setFixedHeight(min(150, 22 * max(3, self.count()) + 8))
        self.itemChanged.connect(lambda _item: self.value_changed.emit(self.value()))

    def value(self) -> tuple[int, ...]:
        return tuple(sorted(
            int(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked))

    def check(self, school_id: int) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == school_id:
                self.item(i).setCheckState(Qt.CheckState.Checked)


class ResearchDialog(ValidatedDialog[ResearchSession]):
    def __init__(self, parent: QWidget | None, draft: ResearchSession,
                 schools: Sequence[SchoolRef], teachers: Sequence[TeacherChoice],
                 validate: Callable[[ResearchSession], ValidationReport]) -> None:
        super().__init__(parent)
        self._original = draft
        self._validate = validate
        self.setWindowTitle(_("Record joint research session") if draft.id is None
                            else _("Edit joint research session"))
        self.resize(760, 560)
        self.tabs = QTabWidget()
        self.content.addWidget(self.tabs)

        page = QWidget()
        form = QFormLayout(page)
        self.tabs.addTab(page, _("Session"))
        self.date_edit = DateEdit(draft.held_on)
        self.add_row(form, _("Date"), "held_on", self.date_edit)
        self.start_edit = QTimeEdit(_qtime(draft.start_minute))
        self.start_edit.setDisplayFormat("HH:mm")
        self.end_edit = QTimeEdit(_qtime(draft.end_minute))
        self.end_edit.setDisplayFormat("HH:mm")
        self.duration_label = QLabel()
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_edit)
        row.addWidget(QLabel("—"))
        row.addWidget(self.end_edit)
        row.addWidget(self.duration_label)
        row.addStretch(1)
        self.watch(self.start_edit, "end_minute")
        form.addRow(_("Time"), self.errors.bind("end_minute", times))
        self.watch(self.end_edit, "end_minute")

        self.subject_box = QComboBox()
        self.subject_box.setEditable(True)
        self.subject_box.addItems(list(SUBJECT_CHOICES))
        self.subject_box.setEditText(draft.subject)
        self.add_row(form, _("Subject"), "subject", self.subject_box)
        self.stage_box = enum_box(Stage.choices(), draft.stage.value)
        self.add_row(form, _("Stage"), "stage", self.stage_box)
        self.kind_box = enum_box(ResearchType.choices(), draft.kind.value)
        self.add_row(form, _("Type"), "kind", self.kind_box)
        self.host_box = QComboBox()
        self.host_box.addItem(_("Choose the host school…"), None)
        for school in schools:
            self.host_box.addItem(school.name, school.id)
        if draft.host_school_id is not None and self.host_box.findData(draft.host_school_id) < 0:
            self.host_box.addItem(draft.host_school_name or f"#{draft.host_school_id}",
                                  draft.host_school_id)
        self.host_box.setCurrentIndex(max(0, self.host_box.findData(draft.host_school_id)))
        self.add_row(form, _("Hosting school"), "host_school_id", self.host_box)
        self.schools_list = SchoolChecklist(schools, draft.school_ids)
        schools_row = self.errors.bind("school_ids", self.schools_list)
        # the checklist keeps its height; extra room goes below the form, not into the list
        schools_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        form.addRow(_("Participating schools"), schools_row)
        self.watch(self.schools_list, "school_ids")
        self.host_box.currentIndexChanged.connect(self._host_changed)
        self.mode_box = enum_box(DeliveryMode.choices(), draft.mode.value)
        self.add_row(form, _("Mode"), "mode", self.mode_box)
        self.topic_edit = QLineEdit(draft.topic)
        self.topic_edit.setPlaceholderText(_("e.g. 统编教材单元整体教学设计"))
        self.add_row(form, _("Topic"), "topic", self.topic_edit)
        self.lead_edit = QLineEdit(draft.lead_teacher)
        self.lead_edit.setPlaceholderText(_("Who led or gave the lesson / lecture"))
        self.add_row(form, _("Lead teacher"), "lead_teacher", self.lead_edit)

        attendance_page = QWidget()
        attendance_layout = QVBoxLayout(attendance_page)
        self.attendance = AttendanceEditor(teachers, lambda: set(self.schools_list.value()),
                                           lambda: self.subject_box.currentText())
        self.attendance.set_value(draft.attendance)
        attendance_layout.addWidget(self.errors.bind("attendance", self.attendance))
        self.watch(self.attendance, "attendance")
        self.schools_list.value_changed.connect(lambda _v: self.attendance.refresh_choices())
        self.tabs.addTab(attendance_page, _("Attendance"))

        minutes_page = QWidget()
        minutes_layout = QVBoxLayout(minutes_page)
        self.minutes_edit = QPlainTextEdit(draft.minutes)
        self.minutes_edit.setPlaceholderText(_("The minutes: what was presented, discussed and "
                                               "agreed"))
        minutes_layout.addWidget(self.minutes_edit)
        self.watch(self.minutes_edit, "minutes")
        self.tabs.addTab(minutes_page, _("Minutes"))
        self.revalidate()

    def _host_changed(self, *_args: object) -> None:
        host = self.host_box.currentData()
        if isinstance(host, int):
            self.schools_list.check(host)

    def draft(self) -> ResearchSession:
        host = self.host_box.currentData()
        return dataclasses.replace(
            self._original, held_on=self.date_edit.value(),
            start_minute=_minute(self.start_edit), end_minute=_minute(self.end_edit),
            subject=self.subject_box.currentText().strip(),
            stage=Stage(self.stage_box.currentData()),
            kind=ResearchType(self.kind_box.currentData()),
            host_school_id=host if isinstance(host, int) else None,
            school_ids=self.schools_list.value(), mode=DeliveryMode(self.mode_box.currentData()),
            topic=self.topic_edit.text(), lead_teacher=self.lead_edit.text(),
            minutes=self.minutes_edit.toPlainText(), attendance=self.attendance.value())

    def validate(self, draft: ResearchSession) -> ValidationReport:
        minutes = draft.end_minute - draft.start_minute
        self.duration_label.setText(_("Duration: {duration}").format(
            duration=duration_text(minutes)) if minutes > 0 else "")
        report = self._validate(draft)
        if "attendance" in report:  # the message sits on the attendance tab: point there
            self.tabs.setTabText(1, _("Attendance") + " ⚠")
        else:
            self.tabs.setTabText(1, _("Attendance"))
        return report

    @classmethod
    def edit(cls, parent: QWidget | None, draft: ResearchSession, schools: Sequence[SchoolRef],
             teachers: Sequence[TeacherChoice],
             validate: Callable[[ResearchSession], ValidationReport]) -> ResearchSession | None:
        return cls(parent, draft, schools, teachers, validate).ask()
