"""Preferences: ``SettingsDialog.edit(parent, settings) -> Settings | None``.

Returns a new ``Settings`` (the one passed in is not modified); the caller saves it. The
language takes effect at the next start; the name for the history when the services are
next built (or when the caller sets ``services.db.actor``).
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import SUPPORTED_LOCALES, _
from jituan_desktop.settings import Settings, merge
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
"""Each language in its own name (not translated)."""

MAX_ACTOR_NAME = 50


class SettingsDialog(ValidatedDialog[Settings]):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(420)
        form = QFormLayout()
        self.content.addLayout(form)

        self.language_box = QComboBox()
        for code in SUPPORTED_LOCALES:
            self.language_box.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(settings.language)))
        self.add_row(form, _("Language"), "language", self.language_box)
        note = QLabel(_("A new language is used after the program is restarted."))
        note.setObjectName("restartNote")
        note.setWordWrap(True)
        form.addRow("", note)

        self.actor_edit = QLineEdit(settings.actor_name)
        self.actor_edit.setMaxLength(MAX_ACTOR_NAME + 10)
        self.actor_edit.setPlaceholderText(_("Empty: the computer's user name ({user})").format(
            user=_login_name()))
        self.add_row(form, _("Your name for the history"), "actor_name", self.actor_edit)
        explanation = QLabel(_("The history records this name with every change you make."))
        explanation.setWordWrap(True)
        form.addRow("", explanation)
        self.revalidate()

    def draft(self) -> Settings:
        return merge(self._settings, language=str(self.language_box.currentData()),
                     actor_name=self.actor_edit.text().strip())

    def validate(self, draft: Settings) -> ValidationReport:
        report = ReportBuilder()
        report.check(draft.language in SUPPORTED_LOCALES, "language", _("Choose a language."))
        report.check(len(draft.actor_name) <= MAX_ACTOR_NAME, "actor_name",
                     _("The name is too long (at most {n} characters).").format(
                         n=MAX_ACTOR_NAME))
        return report.build()

    @classmethod
    def edit(cls, parent: QWidget | None, settings: Settings) -> Settings | None:
        """Show the dialog modally; the changed settings, or None when cancelled."""
        dialog = cls(parent, settings)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "?"
