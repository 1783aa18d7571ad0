"""Date inputs that speak ``datetime.date``; an optional one may be "not set".

::

    joined = DateEdit(draft.joined_on)                  # a QDateEdit: always a date
    left = DateEdit(draft.left_on, optional=True)       # a check box that enables a date
    left.value()                                        # date, or None when not checked

Both have a calendar popup and show ISO dates (``yyyy-MM-dd``). An optional date is not a
QDateEdit with a sentinel "not set" value (whose calendar opens in the sentinel's year, and
which lets typing mix with the special text): its check box says whether there is a date,
and while it is checked the date field is an ordinary one starting at today or the value.
``ValidatedDialog.watch`` follows it through its ``value_changed`` signal.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, overload

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from jituan_desktop.i18n import _, is_chinese


def date_format() -> str:
    """How date fields show a date: as the lists do, in the interface language."""
    return "yyyy年M月d日" if is_chinese() else "MMM d, yyyy"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RequiredDateEdit(QDateEdit):
    """A QDateEdit with a calendar popup and ISO display; ``value()`` is always a date."""

    def __init__(self, value: dt.date | None = None, *, minimum: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(date_format())
        if minimum is not None:
            self.setMinimumDate(_qdate(minimum))
        self.set_value(value)

    def value(self) -> dt.date:
        qdate = self.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: dt.date | None) -> None:
        """Show ``value`` (None: today)."""
        self.setDate(_qdate(value) if value is not None else QDate.currentDate())


class OptionalDateEdit(QWidget):
    """A check box ("Known:") and a date field it enables; unchecked means no date (None).

    ``check`` and ``date_edit`` are the two parts; ``value_changed`` carries the new value
    (a date or None) whenever either changes what ``value()`` returns.
    """

    value_changed = Signal(object)

    def __init__(self, value: dt.date | None = None, *, label: str | None = None,
                 tooltip: str | None = None, minimum: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # let the "invalid" border of ValidatedDialog's style sheet show around both parts
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.check = QCheckBox(label if label is not None else _("Known:"), self)
        self.check.setToolTip(tooltip if tooltip is not None
                              else _("Clear to leave the date unset"))
        self.date_edit = RequiredDateEdit(value, minimum=minimum, parent=self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date_edit, 1)
        self.setFocusProxy(self.check)
        self._last: dt.date | None = None
        self.set_value(value)
        self.check.toggled.connect(self._toggled)
        self.date_edit.dateChanged.connect(lambda _date: self._emit_if_changed())

    def value(self) -> dt.date | None:
        return self.date_edit.value() if self.check.isChecked() else None

    def set_value(self, value: dt.date | None) -> None:
        """Check the box and show ``value``; None clears the box (the date stays as it was,
        ready for when it is checked again)."""
        if value is not None:
            self.date_edit.set_value(value)
        self.check.setChecked(value is not None)
        self.date_edit.setEnabled(value is not None)
        self._emit_if_changed()

    def _toggled(self, checked: bool) -> None:
        self.date_edit.setEnabled(checked)
        if checked and self.check.hasFocus():
            self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)  # ready for typing
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        value = self.value()
        if value != self._last:
            self._last = value
            self.value_changed.emit(value)


@overload
def DateEdit(value: dt.date | None = None, *, optional: Literal[False] = False,
             minimum: dt.date | None = None,
             parent: QWidget | None = None) -> RequiredDateEdit: ...


@overload
def DateEdit(value: dt.date | None = None, *, optional: Literal[True],
             label: str | None = None, tooltip: str | None = None,
             minimum: dt.date | None = None,
             parent: QWidget | None = None) -> OptionalDateEdit: ...


def DateEdit(value: dt.date | None = None, *, optional: bool = False,
             label: str | None = None, tooltip: str | None = None,
             minimum: dt.date | None = None,
             parent: QWidget | None = None) -> RequiredDateEdit | OptionalDateEdit:
    """A date input: a ``RequiredDateEdit`` (a QDateEdit), or with ``optional`` an
    ``OptionalDateEdit`` whose check box (``label``, default "Known:") says whether there is
    a date. Both have ``value()`` and ``set_value()``."""
    if optional:
        return OptionalDateEdit(value, label=label, tooltip=tooltip, minimum=minimum,
                                parent=parent)
    return RequiredDateEdit(value, minimum=minimum, parent=parent)
