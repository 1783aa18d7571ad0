"""The two composite fields of the course form: the teachers (checkable, searchable) and the
students each school enrols (one row per school of the group)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.courses import Enrolment, TeacherInfo
from jituan_desktop.i18n import _

MAX_TYPED_STUDENTS = 99999
"""The spin boxes allow more than the form accepts, so a wrong number gets a message."""


class TeacherPicker(QWidget):
    """Teachers of the group's schools with a check box each; the first checked is the lead.

    Space toggles the current teacher; the search box narrows the list."""

    value_changed = Signal()

    def __init__(self, teachers: Mapping[int, TeacherInfo], school_names: Mapping[int, str],
                 chosen: Iterable[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen: list[int] = list(chosen)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Find a teacher or school…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(110)
        self.list.setMaximumHeight(150)
        # the course's teachers on top, in their order; then by school and name
        rank = {teacher_id: i for i, teacher_id in enumerate(self._chosen)}
        ordered = sorted(teachers.items(),
                         key=lambda item: (rank.get(item[0], len(rank)),
                                           school_names.get(item[1].school_id, ""),
                                           item[1].name))
        known = {teacher_id for teacher_id, _info in ordered}
        for teacher_id, info in ordered:
            self._add(teacher_id, _("{teacher} ({school})").format(
                teacher=info.name, school=school_names.get(info.school_id, "")))
        for teacher_id in self._chosen:  # no longer in use: shown so it can be removed
            if teacher_id not in known:
                self._add(teacher_id, _("Teacher #{id} (no longer in use)").format(
                    id=teacher_id))
        self.list.itemChanged.connect(self._toggled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.setFocusProxy(self.list)

    def _add(self, teacher_id: int, text: str) -> None:
        item = QListWidgetItem(text, self.list)
        item.setData(Qt.ItemDataRole.UserRole, teacher_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if teacher_id in self._chosen
                           else Qt.CheckState.Unchecked)

    def value(self) -> tuple[int, ...]:
        return tuple(self._chosen)

    def set_checked(self, teacher_id: int, checked: bool) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == teacher_id:
                item.setCheckState(Qt.CheckState.Checked if checked
                                   else Qt.CheckState.Unchecked)

    def _toggled(self, item: QListWidgetItem) -> None:
        teacher_id = item.data(Qt.ItemDataRole.UserRole)
        checked = item.checkState() == Qt.CheckState.Checked
        if checked and teacher_id not in self._chosen:
            self._chosen.append(teacher_id)
        elif not checked and teacher_id in self._chosen:
            self._chosen.remove(teacher_id)
        else:
            return
        self.value_changed.emit()

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())


class EnrolmentTable(QTableWidget):
    """One row per school of the group: students enrolled (0 = none)."""

    value_changed = Signal()

    def __init__(self, school_names: Mapping[int, str], school_ids: Iterable[int],
                 enrolments: Iterable[Enrolment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        students = {e.school_id: e.students for e in enrolments}
        ids = list(dict.fromkeys([*school_ids, *students]))  # outside schools kept, shown
        self.setColumnCount(2)
        self.setRowCount(len(ids))
        self.setHorizontalHeaderLabels([_("School"), _("Students")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through the spin boxes
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._spins: list[tuple[int, QSpinBox]] = []
        for row, school_id in enumerate(ids):
            self.setItem(row, 0, QTableWidgetItem(school_names.get(school_id)
                                                  or f"#{school_id}"))
            spin = QSpinBox(self)
            spin.setRange(0, MAX_TYPED_STUDENTS)
            spin.setSpecialValueText(_("none"))
            spin.setAccessibleName(school_names.get(school_id, ""))
            spin.setValue(students.get(school_id, 0))
            spin.valueChanged.connect(lambda _v: self.value_changed.emit())
            self.setCellWidget(row, 1, spin)
            self._spins.append((school_id, spin))
        rows_height = sum(self.rowHeight(r) for r in range(min(len(ids), 6)))
        self.setFixedHeight(header.sizeHint().height() + rows_height + 4)

    def value(self) -> tuple[Enrolment, ...]:
        return tuple(Enrolment(school_id, spin.value()) for school_id, spin in self._spins
                     if spin.value() != 0)

    def spin_for(self, school_id: int) -> QSpinBox:
        return next(spin for sid, spin in self._spins if sid == school_id)
