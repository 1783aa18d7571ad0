"""Sign an agreement PDF as one party: the file, the party (the next one in the signing order
is preselected and explained), the identity and its passphrase, an optional seal picture with
its true diameter, and the file to write. The signing itself runs on the task runner."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.services.signing import SignOutcome
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog

PDF_FILTER_TEXT = "PDF (*.pdf)"
PNG_FILTER_TEXT = "PNG (*.png)"
SIGN_DIR = "agreement_sign"

log = logging.getLogger(__name__)
_signed_before = False  # the first signature of a process is the "cold" one


@dataclass(frozen=True)
class SignDraft:
    source: Path | None
    party: int | None
    identity_id: int | None
    passphrase: str
    role: str
    seal: Path | None
    seal_mm: float
    output: Path | None


@dataclass(frozen=True)
class PdfState:
    """What the chosen PDF says: its parties and which have signed; or why it cannot be used."""

    parties: tuple[tuple[int, str, str, bool], ...] = ()  # order, label, school, signed
    problem: str = ""

    @property
    def next_party(self) -> int | None:
        return next((order for order, _l, _s, signed in self.parties if not signed), None)


def read_pdf_state(path: Path) -> PdfState:
    from pyhanko.sign.fields import enumerate_sig_fields

    from jituan_desktop.signing.agreement_info import open_reader, read_signed_parties
    from jituan_desktop.signing.errors import SigningError

    try:
        data = path.read_bytes()
        reader = open_reader(data)
        info = read_signed_parties(data, reader)
        filled = {name: value is not None for name, value, _r in enumerate_sig_fields(reader)}
    except OSError as exc:
        return PdfState(problem=_("The file cannot be read: {error}").format(
            error=exc.strerror or exc))
    except SigningError as exc:
        return PdfState(problem=str(exc))
    return PdfState(tuple((p.order, p.label, p.school_name, filled.get(p.field_name, False))
                          for p in info.parties))


_preloaded = threading.Event()


def _start_preload() -> None:
    """Import pyHanko and load the appearance font in the background while the user fills in
    the dialog: the first signature of a process otherwise pays for both when "Sign" is
    clicked (benchmarks/RESULTS.md, "cold")."""
    if _preloaded.is_set():
        return
    _preloaded.set()

    def preload() -> None:
        try:
            from jituan_desktop.signing.sign import preload as run_preload

            run_preload()
        except Exception:  # only an optimisation: signing reports real problems itself
            log.debug("preloading the signing modules failed", exc_info=True)

    threading.Thread(target=preload, name="signing-preload", daemon=True).start()


class SignDialog(ValidatedDialog[SignDraft]):
    def __init__(self, parent: QWidget | None, ctx: AppContext,
                 source: Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Sign agreement PDF"))
        self.resize(640, 0)
        self.state = PdfState()
        form = QFormLayout()
        self.content.addLayout(form)
        self.source = QLineEdit(str(source) if source else "")
        self._browse_row(form, _("Agreement PDF"), "source", self.source, self._browse_source)
        self.party = QComboBox()
        self.add_row(form, _("Signing as"), "party", self.party)
        self.turn = QLabel()
        self.turn.setWordWrap(True)
        form.addRow("", self.turn)
        self.identity = QComboBox()
        for identity in ctx.services.signing.list():
            if identity.can_sign:
                self.identity.addItem(identity.display, identity.id)
        self.add_row(form, _("Signing identity"), "identity", self.identity)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(form, _("Passphrase"), "passphrase", self.passphrase)
        self.role = QLineEdit(_("Principal"))
        self.add_row(form, _("Role"), "role", self.role)
        self.seal = QLineEdit()
        self.seal.setPlaceholderText(_("optional: the school's seal as a transparent PNG"))
        self._browse_row(form, _("Seal picture"), "seal", self.seal, self._browse_seal)
        self.seal_mm = QDoubleSpinBox()
        self.seal_mm.setRange(10.0, 80.0)
        self.seal_mm.setValue(42.0)
        self.seal_mm.setSuffix(" mm")
        self.add_row(form, _("Seal diameter (true size)"), "seal_mm", self.seal_mm)
        self.output = QLineEdit()
        self._browse_row(form, _("Save signed PDF as"), "output", self.output,
                         self._browse_output)
        self.source.textChanged.connect(self._source_changed)
        self.identity.currentIndexChanged.connect(lambda _i: self._preselect_party())
        self._source_changed(self.source.text())
        self.revalidate()
        _start_preload()

    def _browse_row(self, form: QFormLayout, label: str, name: str, field: QLineEdit,
                    slot: object) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field)
        button = QPushButton(_("Choose…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        form.addRow(label, self.errors.bind(name, box))
        self.watch(field, name)

    def _browse_source(self) -> None:
        path = prompts.open_file(self, _("Agreement PDF"), PDF_FILTER_TEXT,
                                 self.ctx.recent_dir(SIGN_DIR)
                                 or self.ctx.recent_dir("agreement_pdf"))  # the export folder
        if path:
            self.ctx.remember_dir(SIGN_DIR, path)
            self.source.setText(str(path))

    def _browse_seal(self) -> None:
        path = prompts.open_file(self, _("Seal picture"), PNG_FILTER_TEXT,
                                 self.ctx.recent_dir("seal"))
        if path:
            self.ctx.remember_dir("seal", path)
            self.seal.setText(str(path))

    def _browse_output(self) -> None:
        path = prompts.save_file(self, _("Save signed PDF as"), PDF_FILTER_TEXT,
                                 Path(self.output.text()).name, self.ctx.recent_dir(SIGN_DIR))
        if path:
            self.output.setText(str(path if path.suffix.lower() == ".pdf"
                                    else path.with_suffix(".pdf")))

    def _source_changed(self, text: str) -> None:
        path = Path(text.strip()) if text.strip() else None
        self.state = read_pdf_state(path) if path and path.is_file() else PdfState()
        self.party.clear()
        for order, label, school, signed in self.state.parties:
            mark = _(" (signed)") if signed else ""
            self.party.addItem(f"{order}. {label} {school}{mark}", order)
        self._preselect_party()
        if path is not None and not self.output.text():
            following = self.state.next_party or 1
            self.output.setText(str(path.with_name(f"{path.stem}-{following}.pdf")))

    def _preselect_party(self) -> None:
        """The party of the chosen identity's school if it is that party's turn, else the next
        party in order, explained in words."""
        wanted = self.state.next_party
        if wanted is None:
            self.turn.setText(_("Every party has signed this PDF.") if self.state.parties
                              else "")
            return
        self.party.setCurrentIndex(self.party.findData(wanted))
        order, label, school, _signed = self.state.parties[wanted - 1]
        before = [f"{lb}" for o, lb, _s, signed in self.state.parties if o < wanted and signed]
        self.turn.setText(_("It is the turn of {label} {school} (party {n} of {total}).").format(
            label=label, school=school, n=order, total=len(self.state.parties))
            + (" " + _("Already signed: {parties}.").format(parties="、".join(before))
               if before else ""))

    def draft(self) -> SignDraft:
        def path(field: QLineEdit) -> Path | None:
            return Path(field.text().strip()) if field.text().strip() else None

        return SignDraft(path(self.source), self.party.currentData(),
                         self.identity.currentData(), self.passphrase.text(),
                         self.role.text().strip(), path(self.seal), self.seal_mm.value(),
                         path(self.output))

    def validate(self, draft: SignDraft) -> ValidationReport:
        r = ReportBuilder()
        if draft.source is None:
            r.add("source", _("Choose the agreement PDF."))
        elif not draft.source.is_file():
            r.add("source", _("This file does not exist."))
        elif self.state.problem:
            r.add("source", self.state.problem)
        elif self.state.parties and self.state.next_party is None:
            r.add("source", _("Every party has signed this PDF."))
        r.check(draft.party is not None or not self.state.parties, "party",
                _("Choose the party that signs."))
        if draft.party is not None and self.state.next_party not in (None, draft.party):
            r.add("party", _("Out of order: party {n} has to sign first.").format(
                n=self.state.next_party))
        r.check(draft.identity_id is not None, "identity", _(
            "No identity can sign on this computer: create or import one under Signing "
            "identities first."))
        r.check(bool(draft.passphrase), "passphrase", _("Enter the identity's passphrase."))
        if draft.seal is not None and not draft.seal.is_file():
            r.add("seal", _("This file does not exist."))
        if draft.output is None:
            r.add("output", _("Choose where to save the signed PDF."))
        elif draft.source is not None and draft.output.resolve() == draft.source.resolve():
            r.add("output", _("Save as a new file; the file you sign from stays unchanged."))
        return r.build()


def sign_with_dialog(parent: QWidget | None, ctx: AppContext, source: Path | None = None) -> None:
    """Ask, then sign on the task runner, then say what happened."""
    draft = SignDialog(parent, ctx, source).ask()
    if draft is None:
        return
    assert draft.source and draft.output and draft.party is not None
    service = ctx.services.signing

    def work(_progress: object) -> SignOutcome:
        global _signed_before
        start = time.perf_counter()
        outcome = service.sign_agreement_file(
            draft.source, draft.output, passphrase=draft.passphrase, party=draft.party,
            identity_id=draft.identity_id, role=draft.role, seal_png=draft.seal,
            seal_mm=draft.seal_mm)
        log.info("signing took %.2f s (%s; passphrase check and file writing included)",
                 time.perf_counter() - start,
                 "warm" if _signed_before else "cold: first signature of this process")
        _signed_before = True
        return outcome

    def done(outcome: SignOutcome) -> None:
        text = _("{label} {school} signed ({n} of {total}). Saved as {file}.").format(
            label=outcome.party_label, school=outcome.school_name, n=outcome.party_order,
            total=outcome.parties, file=outcome.output)
        if outcome.party_order < outcome.parties:
            text += "\n\n" + _("Give this file to the next school (for example on a USB "
                               "stick); it adds its signature in the same way.")
        elif outcome.locked:
            text += "\n\n" + _("This was the last signature: it locked the document (锁定), "
                               "so no further changes or signatures are allowed.")
        for warning in outcome.warnings:
            text += "\n\n" + warning
        prompts.info(parent, _("Signed"), text)

    def failed(exc: BaseException) -> None:
        from jituan_desktop.signing.errors import SigningError

        if isinstance(exc, SigningError):
            prompts.error(parent, _("Not signed"), str(exc))
        else:
            ctx.write_failed(parent, exc, _("Not signed"))

    ctx.runner.run(_("Signing…"), work, done, on_error=failed, parent=parent)


def install_signing_actions(window: QWidget, ctx: AppContext) -> None:
    """The Agreements page's toolbar gets Sign / Verify / Signing identities (the page's
    ``add_toolbar_action`` hook; the menu bar stays as it is)."""
    from PySide6.QtGui import QAction

    from jituan_desktop.ui.dialogs.identity_dialogs import IdentitiesDialog
    from jituan_desktop.ui.dialogs.verify_dialog import verify_with_dialog

    actions = ((_("Sign PDF…"), lambda: sign_with_dialog(window, ctx)),
               (_("Verify PDF…"), lambda: verify_with_dialog(window, ctx)),
               (_("Signing identities…"), lambda: IdentitiesDialog(window, ctx).exec()))
    page = next((p for p in getattr(window, "pages", []) if hasattr(p, "add_toolbar_action")),
                None)
    if page is not None:
        for text, slot in actions:
            action = QAction(text, page)
            action.triggered.connect(slot)
            page.add_toolbar_action(action)
