"""Signing identities (签章证书): the list per school, create, import, fingerprint, export,
delete. The passphrase is typed here and handed to the service; it is never stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _, format_date
from jituan_desktop.services.signing import NewIdentity, SigningIdentity
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

P12_FILTER = "PKCS#12 (*.p12 *.pfx)"
CERT_FILTER = "X.509 (*.cer *.crt *.pem)"
IDENTITY_DIR = "identities"


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def ask_passphrase(parent: QWidget | None, title: str, text: str) -> str | None:
    """A passphrase, typed hidden; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
    return value if ok else None


class NewIdentityDialog(ValidatedDialog[NewIdentity]):
    """School, representative, passphrase twice (with a strength hint)."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("New signing identity"))
        intro = QLabel(_("A key and certificate are made on this computer and kept in a file "
                         "protected by the passphrase. The passphrase is not stored anywhere: "
                         "if it is forgotten, the identity cannot sign any more."))
        intro.setWordWrap(True)
        self.content.addWidget(intro)
        form = QFormLayout()
        self.content.addLayout(form)
        self.school = QComboBox()
        for school in ctx.services.schools.list():
            self.school.addItem(school.name, school.id)
        self.representative = QLineEdit()
        self.passphrase = _password_field()
        self.passphrase_again = _password_field()
        self.strength = QLabel()
        self.add_row(form, _("School"), "school", self.school)
        self.add_row(form, _("Representative (signs)"), "representative", self.representative)
        self.add_row(form, _("Passphrase"), "passphrase", self.passphrase)
        form.addRow("", self.strength)
        self.add_row(form, _("Passphrase again"), "passphrase_again", self.passphrase_again)
        self.passphrase.textChanged.connect(self._show_strength)
        self.revalidate()

    def _show_strength(self, text: str) -> None:
        from jituan_desktop.signing.identities import passphrase_strength

        self.strength.setText(_("Strength: {level}").format(level=passphrase_strength(text))
                              if text else "")

    def draft(self) -> NewIdentity:
        return NewIdentity(self.school.currentData(), self.representative.text(),
                           self.passphrase.text(), self.passphrase_again.text())

    def validate(self, draft: NewIdentity) -> ValidationReport:
        return self.ctx.services.signing.validate_new(draft)


class FingerprintDialog(QDialog):
    """The fingerprint in large groups of four, to read aloud or print for the other school."""

    def __init__(self, parent: QWidget | None, identity: SigningIdentity) -> None:
        from jituan_desktop.signing.identities import format_fingerprint

        super().__init__(parent)
        self.setWindowTitle(_("Certificate fingerprint"))
        self.identity = identity
        self.text = format_fingerprint(identity.fingerprint, per_line=4)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{school} — {label}").format(school=identity.school_name,
                                                               label=identity.label)))
        layout.addWidget(QLabel(_("Valid from {start} to {end}").format(
            start=format_date(identity.valid_from.date()),
            end=format_date(identity.valid_to.date()))))
        shown = QLabel(self.text)
        shown.setFont(QFont(["DejaVu Sans Mono", "Consolas", "monospace"], 14))
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(shown)
        hint = QLabel(_("Compare these 64 characters with the other school (by phone or on "
                        "paper) before you trust a signature made with this certificate."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        print_button.clicked.connect(self.print_sheet)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def sheet_html(self) -> str:
        lines = "<br>".join(self.text.splitlines())
        title = _("Certificate fingerprint (SHA-256)")
        return (f"<h2>{title}</h2>"
                f"<p>{self.identity.school_name}<br>{self.identity.subject}</p>"
                f"<p style='font-family:monospace;font-size:16pt'>{lines}</p>")

    def print_sheet(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setHtml(self.sheet_html())
        doc.print_(printer)


class IdentitiesDialog(QDialog):
    """Every registered identity; the actions on the selected one."""

    COLUMNS = 5

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Signing identities"))
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Each school signs with its own identity. Identities with a key can "
                         "sign on this computer; a certificate handed over by another school "
                         "only lets this computer recognise that school's signatures."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([_("School"), _("Name"), _("Fingerprint"),
                                              _("Valid until"), _("Can sign here")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
                ("new", _("New…"), self.create),
                ("import", _("Import PKCS#12…"), self.import_p12),
                ("import_cert", _("Import certificate…"), self.import_certificate),
                ("fingerprint", _("Fingerprint…"), self.show_fingerprint),
                ("export", _("Export certificate…"), self.export_certificate),
                ("delete", _("Delete"), self.delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        self.identities = self.ctx.services.signing.list()
        self.table.setRowCount(len(self.identities))
        for r, identity in enumerate(self.identities):
            short = " ".join(identity.fingerprint[i:i + 4].upper() for i in range(0, 16, 4))
            values = [identity.school_name, identity.label, short + " …",
                      format_date(identity.valid_to.date()),
                      _("yes") if identity.can_sign else _("no (certificate only)")]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> SigningIdentity | None:
        rows = self.table.selectionModel().selectedRows()
        return self.identities[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for key in ("fingerprint", "export", "delete"):
            self.buttons[key].setEnabled(chosen)

    def _select(self, identity_id: int) -> None:
        for r, identity in enumerate(self.identities):
            if identity.id == identity_id:
                self.table.selectRow(r)

    def _school_for_import(self) -> int | None:
        from PySide6.QtWidgets import QInputDialog

        schools = self.ctx.services.schools.list()
        if not schools:
            prompts.error(self, _("Import"), _("Add the school first."))
            return None
        names = [s.name for s in schools]
        name, ok = QInputDialog.getItem(self, _("Import"), _("For which school?"), names, 0,
                                        False)
        return schools[names.index(name)].id if ok else None

    def create(self) -> None:
        draft = NewIdentityDialog(self, self.ctx).ask()
        if draft is None:
            return
        saved = self.ctx.write(self, lambda: self.ctx.services.signing.create(draft))
        if saved is not None:
            self.refresh()
            self._select(saved.id)
            FingerprintDialog(self, saved).exec()

    def import_p12(self) -> None:
        from jituan_desktop.signing.errors import SigningError

        path = prompts.open_file(self, _("Import PKCS#12"), P12_FILTER,
                                 self.ctx.recent_dir(IDENTITY_DIR))
        if path is None:
            return
        self.ctx.remember_dir(IDENTITY_DIR, path)
        school_id = self._school_for_import()
        if school_id is None:
            return
        passphrase = ask_passphrase(self, _("Import PKCS#12"), _("Passphrase of {file}:").format(
            file=path.name))
        if passphrase is None:
            return
        try:
            saved = self.ctx.write(self, lambda: self.ctx.services.signing.import_p12(
                school_id, path, passphrase))
        except SigningError as exc:
            prompts.error(self, _("Not imported"), str(exc))
            return
        if saved is not None:
            self.refresh()
            self._select(saved.id)

    def import_certificate(self) -> None:
        from jituan_desktop.signing.errors import SigningError

        path = prompts.open_file(self, _("Import certificate"), CERT_FILTER,
                                 self.ctx.recent_dir(IDENTITY_DIR))
        if path is None:
            return
        school_id = self._school_for_import()
        if school_id is None:
            return
        try:
            saved = self.ctx.write(self, lambda: self.ctx.services.signing.import_certificate(
                school_id, path))
        except SigningError as exc:
            prompts.error(self, _("Not imported"), str(exc))
            return
        if saved is not None:
            self.refresh()
            self._select(saved.id)
            FingerprintDialog(self, saved).exec()

    def show_fingerprint(self) -> None:
        identity = self.selected()
        if identity is not None:
            FingerprintDialog(self, identity).exec()

    def export_certificate(self) -> None:
        identity = self.selected()
        if identity is None:
            return
        path = prompts.save_file(self, _("Export certificate"), CERT_FILTER,
                                 f"{identity.school_name}.cer", self.ctx.recent_dir(IDENTITY_DIR))
        if path is None:
            return
        self.ctx.remember_dir(IDENTITY_DIR, path)
        try:
            self.ctx.services.signing.export_certificate(identity.id, Path(path))
        except OSError as exc:
            prompts.error(self, _("Not exported"), str(exc))
            return
        prompts.info(self, _("Export certificate"), _(
            "The certificate (without the key) was saved as {file}. Give it to the other "
            "school together with the printed fingerprint.").format(file=path))

    def delete(self) -> None:
        identity = self.selected()
        if identity is None or not prompts.confirm(self, _("Delete"), _(
                "Move the identity {name} to the recycle bin? Signatures already made stay "
                "valid; you can restore it from the recycle bin.").format(
                    name=identity.display)):
            return
        try:
            changes = self.ctx.services.recycle_bin.delete("signing_identity", identity.id)
        except ValidationError as exc:
            prompts.error(self, _("Not deleted"), exc.report.text())
            return
        self.ctx.publish(changes)
        self.refresh()
