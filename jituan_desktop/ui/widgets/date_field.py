"""Date inputs that speak ``datetime.date`` and allow "not set"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from jituan_desktop.i18n import _

_SENTINEL = QDate(1900, 1, 1)


class DateEdit(QDateEdit):
    """A QDateEdit with a calendar popup and ISO display; ``optional`` adds a "not set" value
    (shown when the date is at its minimum, a standard Qt idiom)."""

    def __init__(self, value: dt.date | None = None, *, optional: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self._optional = optional
        if optional:
            self.setMinimumDate(_SENTINEL)
            self.setSpecialValueText(_("not set"))
        self.set_value(value if value is not None or optional else dt.date.today())

    def value(self) -> dt.date | None:
        qdate = self.date()
        if self._optional and qdate == _SENTINEL:
            return None
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(_SENTINEL if self._optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))
