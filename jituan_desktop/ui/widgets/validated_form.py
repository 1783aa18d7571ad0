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

Every message shows at once (so a disabled OK always has a visible reason), except that an
empty text field nobody has typed into yet stays quiet: a new, empty form does not open
covered in "required" messages. While OK is disabled and no message shows, a neutral hint
says that required fields are missing; after OK was tried everything shows.

The dialog opens with the focus in its first field (unless the subclass focused another
one), OK is the default button (Enter accepts once the form is valid, never cancels), and
Escape or Cancel asks before it throws edits away.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtGui import QKeyEvent, QShowEvent
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
from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts

D = TypeVar("D")

INVALID_PROPERTY = "invalid"
INVALID_STYLESHEET = '*[invalid="true"] { border: 1px solid #c62828; }'
"""The red border for invalid fields; the application stylesheet may restyle it."""

_MESSAGE_STYLESHEET = "color: #c62828;"
_HINT_STYLESHEET = "color: #5f6368;"
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


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
        self._show_all = False  # OK was tried: every message shows
        self._fields: list[QWidget] = []  # registered inputs, in order (for the first focus)
        self._report = ValidationReport()
        self._accepted: D | None = None
        self._shown_once = False
        self._initial: tuple[D] | None = None  # the draft when first shown

        self.content = QVBoxLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button.setEnabled(False)
        # Enter means OK (and does nothing while OK is disabled); a focused Cancel must not
        # become the default button
        self.ok_button.setDefault(True)
        self.cancel_button.setAutoDefault(False)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("formHint")
        self.hint_label.setStyleSheet(_HINT_STYLESHEET)
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.content, 1)
        layout.addWidget(self.errors.form_label)
        layout.addWidget(self.hint_label)
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
        """Revalidate whenever ``widget`` changes; ``field`` marks it as edited for messages.

        The first widget watched gets the focus when the dialog opens (the first enabled
        one, unless the subclass has focused a widget itself)."""
        signal = _change_signal(widget)
        if signal is None:
            raise TypeError(f"don't know which signal of {type(widget).__name__} to watch")
        signal.connect(lambda *_args: self._changed(field))
        if widget not in self._fields:
            self._fields.append(widget)

    # ---- state --------------------------------------------------------------------------

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def cancel_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

    @property
    def report(self) -> ValidationReport:
        """The report of the last validation."""
        return self._report

    @property
    def accepted_draft(self) -> D | None:
        """The draft OK was accepted with; None until then (or after Cancel)."""
        return self._accepted

    def revalidate(self) -> ValidationReport:
        """Validate the current draft, show its messages (see the module docstring) and
        enable OK only when it is valid."""
        self._report = self.validate(self.draft())
        shown = {field for field in self._report if not self._quiet(field)}
        self.errors.show(self._report, only=shown)
        self.hint_label.setText(_("Fill in the required fields to enable OK."))
        self.hint_label.setVisible(not self._report.ok and not shown)
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
            self._show_all = True
            self.revalidate()
            return
        self._accepted = self.draft()
        super().accept()

    def reject(self) -> None:
        """Cancel, Escape or the close button: ask first when the form was changed."""
        if self.has_changes() and not prompts.confirm(
                self, _("Discard changes?"),
                _("The changes in this form have not been saved. Discard them?")):
            return
        self._accepted = None
        super().reject()

    def has_changes(self) -> bool:
        """Whether the draft differs from the one the dialog was opened with."""
        return self._initial is not None and self.draft() != self._initial[0]

    def showEvent(self, event: QShowEvent) -> None:
        # In case a subclass did not call revalidate() at the end of __init__.
        self.revalidate()
        if not self._shown_once:
            self._shown_once = True
            self._initial = (self.draft(),)
            self._focus_first_field()
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a focused button other than OK (Cancel) presses that button: it is not
        # auto-default, so the key would otherwise reach the default button, OK.
        focus = self.focusWidget()
        if (
            event.key() in _ENTER_KEYS
            and isinstance(focus, QPushButton)
            and focus is not self.ok_button
            and focus.isEnabled()
        ):
            focus.click()
            return
        super().keyPressEvent(event)

    def _focus_first_field(self) -> None:
        focused = self.focusWidget()
        if focused is not None and focused not in self.buttons.buttons():
            return  # the subclass chose where to start
        for widget in self._fields:
            if widget.isEnabled() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _quiet(self, field: str) -> bool:
        """Whether ``field``'s message waits: an empty text field nobody has edited yet."""
        if self._show_all or field in self._touched or field not in self.errors.fields:
            return False
        widget = self.errors.widget(field)
        if isinstance(widget, QLineEdit):
            return not widget.text().strip()
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            return not widget.toPlainText().strip()
        return False

    def _changed(self, field: str | None) -> None:
        if field is not None:
            self._touched.add(field)
        self.revalidate()


def _change_signal(widget: QObject) -> SignalInstance | None:
    """The "value changed" signal of a common input widget, or of a composite one that
    declares a ``value_changed`` signal (e.g. ``OptionalDateEdit``)."""
    composite = getattr(widget, "value_changed", None)
    if isinstance(composite, SignalInstance):
        return composite
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
