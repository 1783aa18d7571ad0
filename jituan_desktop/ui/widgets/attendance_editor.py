"""Attendance of a research session: one row per teacher with status and remark.

Taking attendance is a few clicks: “Add subject teachers” lists every teacher of the
participating schools who teaches the session's subject, “Add all teachers” every teacher of
those schools, and “All present” marks the rows; the status of a row is a combo box (Tab to
it, arrow keys to change), Delete removes the selected rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.research import AttendanceEntry, AttendanceStatus
from jituan_desktop.i18n import _, format_number
from jituan_desktop.services.research import TeacherChoice

NAME, SCHOOL, STATUS, REMARK = range(4)


class AttendanceEditor(QWidget):
    """``value()`` is the attendance as entries; ``value_changed`` on every edit."""

    value_changed = Signal(object)

    def __init__(self, teachers: Sequence[TeacherChoice],
                 schools: Callable[[], set[int]], subject: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teachers = {t.id: t for t in teachers}
        self._schools = schools  # the participating schools, as chosen in the form
        self._subject = subject
        self._order: list[int] = []  # teacher ids, in row order

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([_("Teacher"), _("School"), _("Attendance"),
                                              _("Remark")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(REMARK, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(NAME, 110)
        self.table.setColumnWidth(SCHOOL, 200)
        self.table.setColumnWidth(STATUS, 90)
        self.table.itemChanged.connect(self._emit)

        self.subject_button = QPushButton(_("Add subject teachers"))
        self.subject_button.setToolTip(_("Add every teacher of the participating schools who "
                                         "teaches the session's subject"))
        self.subject_button.clicked.connect(self.add_subject_teachers)
        self.all_button = QPushButton(_("Add all teachers"))
        self.all_button.setToolTip(_("Add every teacher of the participating schools"))
        self.all_button.clicked.connect(self.add_all_teachers)
        self.pick_box = QComboBox()
        self.pick_box.setMinimumContentsLength(14)
        self.pick_box.setToolTip(_("Add one teacher of a participating school"))
        self.pick_button = QPushButton(_("Add"))
        self.pick_button.clicked.connect(self._add_picked)
        self.present_button = QPushButton(_("All present"))
        self.present_button.clicked.connect(self.mark_all_present)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Remove the selected teachers from the attendance "
                                        "(Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.summary = QLabel()

        buttons = QHBoxLayout()
        for widget in (self.subject_button, self.all_button, self.pick_box, self.pick_button,
                       self.present_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.refresh_choices()

    # ---- value --------------------------------------------------------------------------

    def value(self) -> tuple[AttendanceEntry, ...]:
        entries = []
        for row, teacher_id in enumerate(self._order):
            box = self.table.cellWidget(row, STATUS)
            status = AttendanceStatus(box.currentData()) if isinstance(box, QComboBox) else \
                AttendanceStatus.PRESENT
            remark_item = self.table.item(row, REMARK)
            remark = remark_item.text() if remark_item is not None else ""
            teacher = self._teachers.get(teacher_id)
            entries.append(AttendanceEntry(
                teacher_id, status, remark, teacher.name if teacher else "",
                teacher.school_id if teacher else None))
        return tuple(entries)

    def set_value(self, entries: Sequence[AttendanceEntry]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._order = []
        for entry in entries:
            self._append(entry)
        self.table.blockSignals(False)
        self._emit()

    # ---- actions ------------------------------------------------------------------------

    def add_subject_teachers(self) -> None:
        subject = self._subject().strip()
        self._add([t for t in self._candidates() if not subject or subject in t.subjects])

    def add_all_teachers(self) -> None:
        self._add(self._candidates())

    def mark_all_present(self) -> None:
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, STATUS)
            if isinstance(box, QComboBox):
                box.setCurrentIndex(box.findData(AttendanceStatus.PRESENT.value))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self._order[row]
        self._emit()

    def refresh_choices(self) -> None:
        """Fill the one-teacher picker with the teachers not listed yet."""
        self.pick_box.clear()
        for teacher in self._candidates():
            self.pick_box.addItem(f"{teacher.name}（{teacher.school_name}）", teacher.id)
        self.pick_box.setEnabled(self.pick_box.count() > 0)
        self.pick_button.setEnabled(self.pick_box.count() > 0)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Delete and self.table.hasFocus():
            self.remove_selected()
            return
        super().keyPressEvent(event)

    # ---- internals ----------------------------------------------------------------------

    def _candidates(self) -> list[TeacherChoice]:
        schools = self._schools()
        listed = set(self._order)
        return [t for t in self._teachers.values()
                if t.school_id in schools and t.id not in listed]

    def _add_picked(self) -> None:
        teacher_id = self.pick_box.currentData()
        if isinstance(teacher_id, int) and teacher_id in self._teachers:
            self._add([self._teachers[teacher_id]])

    def _add(self, teachers: Sequence[TeacherChoice]) -> None:
        self.table.blockSignals(True)
        for teacher in teachers:
            self._append(AttendanceEntry(teacher.id, AttendanceStatus.PRESENT, "",
                                         teacher.name, teacher.school_id))
        self.table.blockSignals(False)
        self._emit()

    def _append(self, entry: AttendanceEntry) -> None:
        teacher = self._teachers.get(entry.teacher_id)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._order.append(entry.teacher_id)
        name = QTableWidgetItem(teacher.name if teacher else entry.teacher_name)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        school = QTableWidgetItem(teacher.school_name if teacher else "")
        school.setFlags(school.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, NAME, name)
        self.table.setItem(row, SCHOOL, school)
        box = QComboBox()
        for value, label in AttendanceStatus.choices():
            box.addItem(label, value)
        box.setCurrentIndex(box.findData(entry.status.value))
        box.currentIndexChanged.connect(self._emit)
        self.table.setCellWidget(row, STATUS, box)
        self.table.setItem(row, REMARK, QTableWidgetItem(entry.remark))

    def _emit(self, *_args: object) -> None:
        value = self.value()
        counts = dict.fromkeys(AttendanceStatus, 0)
        for entry in value:
            counts[entry.status] += 1
        self.summary.setText(_("{n} teachers: {present} present, {late} late, {excused} "
                               "excused, {absent} absent").format(
            n=format_number(len(value)), present=counts[AttendanceStatus.PRESENT],
            late=counts[AttendanceStatus.LATE], excused=counts[AttendanceStatus.EXCUSED],
            absent=counts[AttendanceStatus.ABSENT]))
        self.refresh_choices()
        self.value_changed.emit(value)
