"""Inline form validation: messages next to fields, OK enabled only when the draft is valid.

A dialog subclasses ``ValidatedDialog``, builds its fields, and implements two methods: a
``draft()`` that reads the widgets into a value and a ``validate(draft)`` that calls the pure
domain function (the same one the service runs before it writes)::

    class SchoolDialog(ValidatedDialog[SchoolDraft]):
        def __init__(self, parent: QWidget | None, draft: SchoolDraft) -> None:
            super().__init__(parent)
            self.setWindowTitle(_("School"))
            form = QFormLayout()
            self.content.addLayout(form)
            self._name = QLineEdit(draft.name)
            self.add_row(form, _("Name"), "name", self._name)
            self.revalidate()

        def draft(self) -> SchoolDraft:
            return SchoolDraft(name=self._name.text().strip())

        def validate(self, draft: SchoolDraft) -> ValidationReport:
            return validate_school(draft)

        @classmethod
        def edit(cls, parent: QWidget | None, draft: SchoolDraft) -> SchoolDraft | None:
            return cls(parent, draft).ask()

Callers and tests then deal in values: ``SchoolDialog.edit(self, draft) -> SchoolDraft | None``.

Messages for a field appear once that field has been edited (or after OK was tried), so a
new, empty form does not open covered in red; OK is disabled from the start all the same.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.validation import ValidationReport

D = TypeVar("D")

INVALID_PROPERTY = "invalid"
INVALID_STYLESHEET = '*[invalid="true"] { border: 1px solid #c62828; }'
"""The red border for invalid fields; the application stylesheet may restyle it."""

_MESSAGE_STYLESHEET = "color: #c62828;"


def _message_label(parent: QWidget | None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("validationMessage")
    label.setStyleSheet(_MESSAGE_STYLESHEET)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    if font.pointSizeF() > 0:  # pixel-sized fonts report -1; setting that warns
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
    label.hide()
    return label


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property(INVALID_PROPERTY)) == invalid:
        return
    widget.setProperty(INVALID_PROPERTY, invalid)
    # A dynamic property only restyles after a re-polish.
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class FormErrors:
    """Shows a ``ValidationReport``: each field's message in a small red label under its
    widget, which also gets the ``invalid`` property; the ``""`` message (and messages for
    fields nobody bound) in ``form_label``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._widgets: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self.form_label = _message_label(parent)

    def bind(self, field: str, widget: QWidget) -> QWidget:
        """Bind ``field`` to ``widget``; returns a container (the widget with its message
        label below it) to put in the layout instead of the bare widget."""
        container = QWidget(widget.parentWidget())
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = _message_label(container)
        layout.addWidget(label)
        self._widgets[field] = widget
        self._labels[field] = label
        return container

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._widgets)

    def widget(self, field: str) -> QWidget:
        return self._widgets[field]

    def message_label(self, field: str) -> QLabel:
        return self._labels[field]

    def show(self, report: Mapping[str, str], only: Collection[str] | None = None) -> None:
        """Show ``report``; with ``only``, just the messages of those fields (``""`` included
        when it is in ``only``); every other label is cleared."""
        def visible(field: str) -> bool:
            return field in report and (only is None or field in only)

        for field, widget in self._widgets.items():
            label = self._labels[field]
            shown = visible(field)
            label.setText(report[field] if shown else "")
            label.setVisible(shown)
            _set_invalid(widget, shown)
        form_messages = [
            message
            for field, message in report.items()
            if field not in self._widgets and visible(field)
        ]
        self.form_label.setText("\n".join(form_messages))
        self.form_label.setVisible(bool(form_messages))


class ValidatedDialog(QDialog, Generic[D]):
    """OK/Cancel dialog whose OK follows ``validate(draft())``; see the module docstring.

    Subclasses add their fields to ``self.content`` (a QVBoxLayout above the form-level
    message and the buttons), register them with ``add_row``/``watch``, and call
    ``revalidate()`` at the end of ``__init__``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(INVALID_STYLESHEET)
        self.errors = FormErrors(self)
        self._touched: set[str] = set()
        self._report = ValidationReport()
        self._accepted: D | None = None

        self.content = QVBoxLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(self.content, 1)
        layout.addWidget(self.errors.form_label)
        layout.addWidget(self.buttons)

    # ---- for subclasses -----------------------------------------------------------------

    def draft(self) -> D:
        """Read the widgets into a draft value."""
        raise NotImplementedError

    def validate(self, draft: D) -> ValidationReport:
        """Check a draft (call the pure domain validation function)."""
        raise NotImplementedError

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        """Add ``widget`` to ``form`` with its message label, bound to ``field`` and watched."""
        form.addRow(label, self.errors.bind(field, widget))
        self.watch(widget, field)

    def watch(self, widget: QWidget, field: str | None = None) -> None:
        """Revalidate whenever ``widget`` changes; ``field`` marks it as edited for messages."""
        signal = _change_signal(widget)
        if signal is None:
            raise TypeError(f"don't know which signal of {type(widget).__name__} to watch")
        signal.connect(lambda *_args: self._changed(field))

    # ---- state --------------------------------------------------------------------------

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def report(self) -> ValidationReport:
        """The report of the last validation."""
        return self._report

    @property
    def accepted_draft(self) -> D | None:
        """The draft OK was accepted with; None until then (or after Cancel)."""
        return self._accepted

    def revalidate(self) -> ValidationReport:
        """Validate the current draft, show messages for edited fields and set OK."""
        self._report = self.validate(self.draft())
        self.errors.show(self._report, only=self._touched | {""} if self._touched else set())
        self.ok_button.setEnabled(self._report.ok)
        return self._report

    def ask(self) -> D | None:
        """Run modally; the accepted draft, or None when cancelled."""
        self.exec()
        self.deleteLater()  # parented to the page; free it once answered
        return self._accepted

    def accept(self) -> None:
        report = self.validate(self.draft())
        if not report.ok:  # e.g. Enter pressed before the last change was validated
            self._touched.update(self.errors.fields)
            self._touched.add("")
            self.revalidate()
            return
        self._accepted = self.draft()
        super().accept()

    def reject(self) -> None:
        self._accepted = None
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        # In case a subclass did not call revalidate() at the end of __init__.
        self.revalidate()
        super().showEvent(event)

    def _changed(self, field: str | None) -> None:
        if field is not None:
            self._touched.add(field)
        self.revalidate()


def _change_signal(widget: QObject) -> SignalInstance | None:
    """The "value changed" signal of a common input widget."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.editTextChanged if widget.isEditable() else widget.currentIndexChanged
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTimeChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        return widget.valueChanged
    return None
