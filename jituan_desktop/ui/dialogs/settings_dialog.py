"""Preferences: ``SettingsDialog.edit(parent, settings, runner) -> Settings | None``.

Returns a new ``Settings`` (the one passed in is not modified); the caller saves it. The
language takes effect at the next start; the name for the history when the services are
next built (or when the caller sets ``services.db.actor``); the fonts for printed documents
with the next PDF (the agreement service reads them from ``settings.json`` for every PDF).

The installed Chinese fonts are listed when the dialog opens: the search (``documents/
fonts.py``, about 2 s on a Linux desktop, longer on a full Windows font folder, then cached
for the process) runs through the task runner, so the dialog stays responsive.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from jituan_desktop.documents import fonts
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import SUPPORTED_LOCALES, _
from jituan_desktop.settings import Settings, merge
from jituan_desktop.ui.tasks import SyncTaskRunner
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
"""Each language in its own name (not translated)."""

MAX_ACTOR_NAME = 50


class SettingsDialog(ValidatedDialog[Settings]):
    def __init__(self, parent: QWidget | None, settings: Settings, runner: Any = None,
                 find_fonts: Callable[[], list[fonts.FontFace]] | None = None) -> None:
        """``runner``: the task runner for the font search (default: run it at once);
        ``find_fonts``: the search itself (default ``fonts.discover``; tests replace it)."""
        super().__init__(parent)
        self._settings = settings
        self._find_fonts = find_fonts or fonts.discover
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
        self._add_font_section()
        self.revalidate()
        (runner or SyncTaskRunner()).run(
            _("Looking for Chinese fonts…"), lambda _progress: self._find_fonts(),
            self._show_fonts, on_error=self._font_search_failed, parent=self)

    # ---- fonts for printed documents ----------------------------------------------------

    def _add_font_section(self) -> None:
        box = QGroupBox(_("Fonts for printed documents"))
        box.setObjectName("fontSection")
        form = QFormLayout(box)
        self.body_font_box = QComboBox()
        self.body_font_box.setObjectName("bodyFontBox")
        self.title_font_box = QComboBox()
        self.title_font_box.setObjectName("titleFontBox")
        for combo, key in ((self.body_font_box, self._settings.pdf_body_font),
                           (self.title_font_box, self._settings.pdf_title_font)):
            # Until the search ends: the saved choice, kept as it is.
            combo.addItem(_("Automatic"), "")
            if key:
                combo.addItem(_font_file_label(key), key)
                combo.setCurrentIndex(1)
            combo.setEnabled(False)
        self.add_row(form, _("Body text"), "pdf_body_font", self.body_font_box)
        self.add_row(form, _("Titles and headings"), "pdf_title_font", self.title_font_box)
        self.font_message = QLabel(_("Looking for the Chinese fonts on this computer…"))
        self.font_message.setObjectName("fontMessage")
        self.font_message.setWordWrap(True)
        form.addRow("", self.font_message)
        self.content.addWidget(box)

    def _show_fonts(self, faces: list[fonts.FontFace]) -> None:
        if not faces:
            for combo in (self.body_font_box, self.title_font_box):
                combo.clear()
                combo.addItem(_("Automatic"), "")
                combo.setEnabled(False)
            self.font_message.setText(fonts.missing_font_message())
            self.font_message.setStyleSheet("color: #b00020;")
            return
        automatic = fonts.choose_fonts(faces=faces)
        lost: list[str] = []
        for combo, key, auto_face in (
                (self.body_font_box, self._settings.pdf_body_font, automatic.body),
                (self.title_font_box, self._settings.pdf_title_font, automatic.title)):
            combo.clear()
            combo.addItem(_("Automatic ({font})").format(font=auto_face.full_name), "")
            for face in faces:
                combo.addItem(_face_label(face), face.key)
                combo.setItemData(combo.count() - 1, face.path, Qt.ItemDataRole.ToolTipRole)
            index = combo.findData(key) if key else 0
            if index < 0:
                lost.append(_font_file_label(key))
                index = 0
            combo.setCurrentIndex(index)
            combo.setEnabled(True)
        if lost:
            self.font_message.setText(_(
                "The font chosen before ({file}) is no longer installed; the automatic choice "
                "is used instead.").format(file="; ".join(dict.fromkeys(lost))))
        else:
            self.font_message.setText(_("The next PDF is made with these fonts."))
        self.revalidate()

    def _font_search_failed(self, exc: BaseException) -> None:
        self.font_message.setText(_("The installed fonts could not be listed ({error}); the "
                                    "automatic choice is used.").format(error=exc))

    def draft(self) -> Settings:
        return merge(self._settings, language=str(self.language_box.currentData()),
                     actor_name=self.actor_edit.text().strip(),
                     pdf_body_font=str(self.body_font_box.currentData() or ""),
                     pdf_title_font=str(self.title_font_box.currentData() or ""))

    def validate(self, draft: Settings) -> ValidationReport:
        report = ReportBuilder()
        report.check(draft.language in SUPPORTED_LOCALES, "language", _("Choose a language."))
        report.check(len(draft.actor_name) <= MAX_ACTOR_NAME, "actor_name",
                     _("The name is too long (at most {n} characters).").format(
                         n=MAX_ACTOR_NAME))
        return report.build()

    @classmethod
    def edit(cls, parent: QWidget | None, settings: Settings,
             runner: Any = None) -> Settings | None:
        """Show the dialog modally; the changed settings, or None when cancelled."""
        dialog = cls(parent, settings, runner)
        try:
            return dialog.ask()
        finally:
            dialog.deleteLater()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "?"


def _face_label(face: fonts.FontFace) -> str:
    """A font as listed: its name and, for a face inside a collection, the file too."""
    name = face.full_name or face.family
    return f"{name}  ({Path(face.path).name})"


def _font_file_label(key: str) -> str:
    """A saved ``path#index`` choice as the user knows it: the file name."""
    return Path(key.rsplit("#", 1)[0]).name or key
