"""Cooperation agreements (合作协议) of the current group: list, preview of the selected one,
new (pair or whole group), edit with live preview, new version, export PDF, print, print any
PDF file (a signed agreement from the USB stick), delete.

The signing side adds its actions with ``add_toolbar_action`` and reads
``selected_agreement_id()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QToolBar, QVBoxLayout, QWidget

from jituan_desktop.documents.fonts import NoUsableFont
from jituan_desktop.documents.templates import TemplateError
from jituan_desktop.domain.agreements import Agreement, AgreementScope, AgreementStatus
from jituan_desktop.i18n import N_, _, format_date
from jituan_desktop.services.base import Changes
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext, file_error_text
from jituan_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets.pdf_preview import PdfPreview
from jituan_desktop.ui.widgets.record_list import RecordListView


def _term(a: Agreement) -> str:
    """Compact, for the list: 2025.9 – 2028.7 (the full dates are in the tooltip)."""
    if a.term_start and a.term_end:
        return (f"{a.term_start.year}.{a.term_start.month} – "
                f"{a.term_end.year}.{a.term_end.month}")
    return ""


def _term_full(a: Agreement) -> str:
    if a.term_start and a.term_end:
        return f"{format_date(a.term_start)} – {format_date(a.term_end)}"
    return ""


class AgreementsPage(Page):
    kinds = frozenset({"agreement", "school", "membership", "group", "recycle_bin",
                       "signature"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.undo = PageUndo(ctx, self)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("agreementsToolbar")
        self.new_pair_action = self._action(_("New pair agreement…"), self.new_pair)
        self.new_group_action = self._action(_("New group agreement…"), self.new_group)
        self.edit_action = self._action(_("Edit…"), self.edit_selected)
        self.version_action = self._action(_("New version"), self.new_version)
        self.export_action = self._action(_("Export PDF…"), self.export_selected)
        self.print_action = self._action(_("Print…"), self.print_selected)
        # a signed agreement is a file (from the other schools, on a USB stick), not a row
        # of the database: printing the row would print it unsigned
        self.print_file_action = self._action(_("Print a PDF file…"), self.print_file)
        self.delete_action = self._action(_("Move to recycle bin"), self.delete_selected)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo.undo_action)
        self.toolbar.addAction(self.undo.redo_action)
        self.toolbar.addSeparator()  # the signing actions follow (add_toolbar_action)

        # the parties last: the one long column stretches to the right edge (elided, in full
        # in the tooltip), so the short columns stay in view without scrolling sideways
        columns: list[Column[Agreement]] = [
            Column(N_("Number"), lambda a: a.number),
            Column(N_("Title"), lambda a: a.title, tooltip=lambda a: a.title),
            Column(N_("Term"), _term, sort_key=lambda a: a.term_start, tooltip=_term_full),
            Column(N_("Status"), lambda a: a.status.label()),
            Column(N_("Parties"), lambda a: a.party_names(),
                   tooltip=lambda a: "\n".join(f"{p.label}：{p.school_name}"
                                                for p in a.parties)),
        ]
        self.list: RecordListView[Agreement] = RecordListView(columns, self)
        self.list.activated.connect(lambda _a: self.edit_selected())
        self.list.selection_changed.connect(self._selected)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self.preview = PdfPreview(self, delay_ms=50)
        splitter = QSplitter()
        splitter.setObjectName("agreementsSplitter")
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 13)  # the list a little wider than the page preview
        splitter.setStretchFactor(1, 10)
        splitter.setSizes([720, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Agreements")

    # ---- for the signing side -----------------------------------------------------------

    def add_toolbar_action(self, action: QAction) -> None:
        """Add an action (Sign…, Verify…) at the end of the page's toolbar."""
        self.toolbar.addAction(action)

    def selected_agreement_id(self) -> int | None:
        agreement = self.list.selected()
        return agreement.id if agreement else None

    # ---- view ---------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda *_a: slot())
        self.toolbar.addAction(action)
        return action

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        rows = self.ctx.services.agreements.list(group_id) if group_id else []
        self.list.set_rows(rows)
        if rows and self.list.selected() is None:
            self.list.select_id(rows[0].id)
        for action in (self.new_pair_action, self.new_group_action):
            action.setEnabled(group_id is not None)
        self._selected(self.list.selected())

    def _selected(self, agreement: Agreement | None) -> None:
        for action in (self.edit_action, self.version_action, self.export_action,
                       self.print_action, self.delete_action):
            action.setEnabled(agreement is not None)
        if agreement is None or agreement.id is None:
            self.preview.clear(_("Choose an agreement to see its printed form."))
            return
        self.edit_action.setText(_("View…") if agreement.is_final else _("Edit…"))
        service = self.ctx.services.agreements
        agreement_id = agreement.id
        self.preview.request(lambda: service.render_pdf(agreement_id).data)

    # ---- actions ------------------------------------------------------------------------

    def new_pair(self) -> None:
        self._new(AgreementScope.PAIR)

    def new_group(self) -> None:
        self._new(AgreementScope.GROUP)

    def _new(self, scope: AgreementScope) -> None:
        if self.ctx.group_id is None:
            return
        try:
            draft = self.ctx.services.agreements.new_draft(self.ctx.group_id, scope)
        except Exception as exc:  # a broken template file: say which
            prompts.error(self, _("No agreement template"), str(exc))
            return
        saved = self._edit_and_save(draft)
        if saved is not None and saved.id is not None:
            self.undo.record_created("agreement", saved.id, saved.number)

    def edit_selected(self) -> None:
        agreement = self.list.selected()
        if agreement is None:
            return
        if agreement.status is AgreementStatus.FINAL:
            prompts.info(self, _("Finalised agreement"), _(
                "The agreement {number} was finalised for signing; its content can no longer "
                "change. Use “New version” to make a changed copy.").format(
                    number=agreement.number))
            return
        before = agreement
        saved = self._edit_and_save(agreement)
        if saved is not None and saved != before:
            service = self.ctx.services.agreements

            def restore(value: Agreement) -> Changes:
                current = service.get(value.id or -1)
                return service.save(type(value)(**{**value.__dict__,
                                                   "status": current.status}))[1]

            self.undo.record_changed(saved.number, lambda: restore(before),
                                     lambda: restore(saved))

    def _edit_and_save(self, draft: Agreement) -> Agreement | None:
        service = self.ctx.services.agreements
        group_id = draft.group_id or -1
        headings = service.headings(draft.profile_id, draft.model_label)
        template = service.template_for(group_id, draft.model_label)
        edited = AgreementDialog.edit(self, draft, service.group_schools(group_id), headings,
                                      template.other_heading, service.validate,
                                      lambda d: service.render_draft(d).data,
                                      service.model_choices(group_id))
        if edited is None:
            return None
        saved = self.ctx.write(self, lambda: service.save(edited))
        if saved is not None:
            self.list.select_id(saved.id)
        return saved

    def new_version(self) -> None:
        agreement = self.list.selected()
        if agreement is None or agreement.id is None:
            return
        agreement_id = agreement.id
        saved = self.ctx.write(self, lambda: self.ctx.services.agreements.new_version(
            agreement_id))
        if saved is not None and saved.id is not None:
            self.undo.record_created("agreement", saved.id, saved.number)
            self.list.select_id(saved.id)

    def export_selected(self) -> None:
        agreement = self.list.selected()
        if agreement is None or agreement.id is None:
            return
        if not agreement.is_final and not prompts.confirm(self, _("Export PDF for signing"), _(
                "After the export the agreement {number} is finalised: its content is frozen "
                "so that the signatures cover exactly this PDF. Continue?").format(
                    number=agreement.number)):
            return
        name = f"{agreement.number} {agreement.title}.pdf".replace("/", "-")
        path = prompts.save_file(self, _("Export PDF"), _("PDF files (*.pdf)"), name,
                                 self.ctx.recent_dir("agreement_pdf"))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        self.ctx.remember_dir("agreement_pdf", path)
        agreement_id = agreement.id
        service = self.ctx.services.agreements

        def done(_result: object) -> None:
            self.ctx.publish(Changes.of("agreement", ids=[agreement_id]))
            prompts.info(self, _("Export PDF"), _("The agreement was saved as {file}.").format(
                file=path))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):  # nothing was written and nothing finalised
                prompts.error(self, _("Not exported"), _(
                    "{reason} The agreement was not exported and is unchanged.").format(
                        reason=file_error_text(exc, path)), details=str(exc))
            elif isinstance(exc, (NoUsableFont, TemplateError)):
                prompts.error(self, _("Not exported"), str(exc))
            else:
                self.ctx.write_failed(self, exc, _("Not exported"))

        # off the GUI thread: rendering and writing take a few seconds on a slow computer;
        # the runner shows a progress dialog when it takes longer than a moment
        self.ctx.runner.run(_("Exporting the agreement…"),
                            lambda progress: service.export_pdf(agreement_id, path,
                                                                progress=progress),
                            done, failed, parent=self)

    def print_selected(self) -> None:
        agreement = self.list.selected()
        if agreement is None or agreement.id is None:
            return
        from jituan_desktop.ui.printing import print_with_preview

        try:
            data = self.ctx.services.agreements.render_pdf(agreement.id).data
        except Exception as exc:  # no usable font, broken template: say so
            prompts.error(self, _("Not printed"), str(exc))
            return
        print_with_preview(self, data, agreement.title)

    def print_file(self, path: Path | None = None) -> bool:
        """Print a PDF file as it is, with its signatures and seals (the print preview shows
        it first). ``path``: the file, else the user chooses one. False if not printed."""
        if path is None:
            path = prompts.open_file(self, _("Print a PDF file"), _("PDF files (*.pdf)"),
                                     self.ctx.recent_dir("agreement_pdf"))
            if path is None:
                return False
        try:
            data = path.read_bytes()
        except OSError as exc:
            prompts.error(self, _("Not printed"), _("The file {file} could not be read.").format(
                file=path), details=str(exc))
            return False
        self.ctx.remember_dir("agreement_pdf", path)
        if b"%PDF-" not in data[:1024]:  # (a PDF may start with a little junk)
            prompts.error(self, _("Not printed"), _(
                "The file {file} is not a PDF document: it cannot be printed.").format(
                    file=path))
            return False
        problem = _pdf_problem(data)
        if problem is not None:
            prompts.error(self, _("Not printed"), _(
                "The file {file} is damaged or protected by a password: it cannot be "
                "printed.").format(file=path), details=problem)
            return False
        from jituan_desktop.ui.printing import print_with_preview

        print_with_preview(self, data, path.stem)
        return True

    def delete_selected(self) -> None:
        agreement = self.list.selected()
        if agreement is None or agreement.id is None:
            return
        if not prompts.confirm(self, _("Move to recycle bin"), _(
                "Move the agreement {number} to the recycle bin? You can restore it from "
                "the recycle bin.").format(number=agreement.number)):
            return
        agreement_id = agreement.id
        if self.ctx.write(self, lambda: (True, self.ctx.services.recycle_bin.delete(
                "agreement", agreement_id))):
            self.undo.record_deleted("agreement", agreement_id, agreement.number)


def _pdf_problem(data: bytes) -> str | None:
    """Why PDFium cannot open ``data`` (damaged, encrypted, no pages), or None."""
    import pypdfium2 as pdfium

    from jituan_desktop.pdfium_lock import PDFIUM_LOCK

    with PDFIUM_LOCK:  # PDFium is not thread-safe: a preview may be rendering
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            return str(exc)
        try:
            return None if len(pdf) else "no pages"
        finally:
            pdf.close()
