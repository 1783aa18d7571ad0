"""Verify any agreement PDF: a row per signature, colour-coded, the verdict in plain words and
the details (fingerprint, time source, what changed) of the selected signature."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.i18n import N_, _, format_datetime
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext

STATUS_LABELS = {"valid": N_("Valid"), "untrusted": N_("Intact, unknown identity"),
                 "changed": N_("Changed after signing"), "broken": N_("Broken"),
                 "extra_signature": N_("Not a signature of the agreement"),
                 "out_of_order": N_("Signed out of order"),
                 "not_a_party": N_("Signer is not this party")}
STATUS_COLOURS = {"valid": "#d8f0d8", "untrusted": "#fff1c2", "changed": "#f8d0d0",
                  "broken": "#f8d0d0", "extra_signature": "#f8d0d0",
                  "out_of_order": "#f8d0d0", "not_a_party": "#f8d0d0"}


RESULT, PARTY, SIGNER, KNOWN, TIME = range(5)


def signer_text(name: str, organisation: str) -> str:
    """"王建华（某某小学）" / "Wang Jianhua (… School)"; the name alone without organisation."""
    if not organisation:
        return name or "?"
    return _("{name} ({organisation})").format(name=name or "?", organisation=organisation)


def known_text(identity: str | None, registered_school: str | None,
               party_school: str | None) -> str:
    """Whether the certificate is registered on this computer: "yes", or the school it is
    registered for when that is not the party's own (the signer column already names the
    person)."""
    if not identity:
        return _("no")
    if registered_school and registered_school != party_school:
        return _("yes: {school}").format(school=registered_school)
    return _("yes")


def short_time(s: object) -> str:
    """The signing time alone (the details and the tooltip say where it comes from); a mark
    for a time from the signer's own clock."""
    signed_at = s.signing_time  # type: ignore[attr-defined]
    if signed_at is None:
        return _("unknown")
    text = format_datetime(signed_at.astimezone().replace(tzinfo=None), "short")
    return text if s.timestamped else text + " *"  # type: ignore[attr-defined]


class VerifyDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext, path: Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = None
        self.setWindowTitle(_("Verify agreement PDF"))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = QLabel(_("No file chosen."))
        choose = QPushButton(_("Choose PDF…"))
        choose.clicked.connect(self.choose)
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setMargin(8)
        layout.addWidget(self.verdict)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Result"), _("Party"), _("Signer"),
                                              _("Known identity"), _("Time")])
        self.table.horizontalHeaderItem(TIME).setToolTip(_(
            "* the signer's computer clock; no timestamp server"))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # short columns as wide as their contents, the free text (party, signer) shares
        # the rest: no horizontal scroll bar, no cut time
        header = self.table.horizontalHeader()
        for column in range(self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                        if column in (PARTY, SIGNER)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.itemSelectionChanged.connect(self._show_details)
        layout.addWidget(self.table, 1)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if path is not None:
            self.verify(path)

    def choose(self) -> None:
        path = prompts.open_file(self, _("Verify agreement PDF"), "PDF (*.pdf)",
                                 self.ctx.recent_dir("agreement_verify"))
        if path is not None:
            self.ctx.remember_dir("agreement_verify", path)
            self.verify(path)

    def verify(self, path: Path) -> None:
        from jituan_desktop.signing.errors import SigningError

        self.file_label.setText(str(path))
        try:
            report = self.ctx.services.signing.verify_file(path)
        except SigningError as exc:
            prompts.error(self, _("Not verified"), str(exc))
            return
        self.show_report(report)

    def show_report(self, report: object) -> None:
        self.report = report
        signatures = report.signatures  # type: ignore[attr-defined]
        ok = report.ok  # type: ignore[attr-defined]
        colour = "#d8f0d8" if ok and all(s.trusted for s in signatures) else (
            "#fff1c2" if ok else "#f8d0d0")
        self.verdict.setStyleSheet(f"background:{colour}; border-radius:4px;")
        self.verdict.setText(report.verdict())  # type: ignore[attr-defined]
        self.table.setRowCount(len(signatures))
        schools = self.ctx.services.signing.identity_schools()
        for r, s in enumerate(signatures):
            party = f"{s.party.label} {s.party.school_name}" if s.party else s.field_name
            values = [(_(STATUS_LABELS[s.status.value]), s.verdict()),
                      (party, party),
                      (signer_text(s.signer_name, s.signer_organisation), None),
                      (known_text(s.known_identity, schools.get(s.fingerprint),
                                  s.party.school_name if s.party else None), s.known_identity),
                      (short_time(s), s.time_text())]
            for c, (value, tip) in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tip or value)
                item.setBackground(QBrush(QColor(STATUS_COLOURS[s.status.value])))
                self.table.setItem(r, c, item)
        if signatures:
            self.table.selectRow(0)
        else:
            self.details.setPlainText("")

    def _show_details(self) -> None:
        from jituan_desktop.signing.identities import format_fingerprint

        rows = self.table.selectionModel().selectedRows()
        if not rows or self.report is None:
            return
        s = self.report.signatures[rows[0].row()]  # type: ignore[attr-defined]
        lines = [s.verdict(), "",
                 _("Signer: {signer}").format(signer=signer_text(s.signer_name,
                                                                 s.signer_organisation)),
                 _("Known identity: {label}").format(label=s.known_identity)
                 if s.known_identity else _("Known identity: no"),
                 _("Certificate fingerprint (SHA-256):"), format_fingerprint(s.fingerprint), "",
                 _("Time: {time}").format(time=s.time_text()),
                 _("Reason: {reason}").format(reason=s.reason or "—"),
                 _("Signed bytes intact: {answer}").format(
                     answer=_("yes") if s.intact else _("no")),
                 _("Changed after signing: {answer}").format(
                     answer=(_("yes") + f" — {s.change_note}") if s.changed_after else _("no"))]
        if s.locks_document:
            lines.append(_("This signature locks the document (锁定): no further changes or "
                           "signatures are allowed after it."))
        self.details.setPlainText("\n".join(lines))


def verify_with_dialog(parent: QWidget | None, ctx: AppContext, path: Path | None = None) -> None:
    dialog = VerifyDialog(parent, ctx, path)
    if path is None:
        dialog.choose()
    dialog.exec()
