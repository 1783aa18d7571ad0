"""Joint research (联合教研): the group's sessions with filters (semester, school, subject,
type), add/edit/delete with undo, attendance and attachments, an Excel import, an Excel export
of the filtered list, and the counts per subject and semester with the flags of the group's
policy rules (ALX-20, YY-06, YY-12)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSplitter,
    QTabWidget,
    QWidget,
)

from jituan_desktop.domain.calendar import Semester
from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.research import (
    Attachment,
    AttendanceStatus,
    ResearchSession,
    ResearchType,
    duration_text,
    minute_text,
)
from jituan_desktop.domain.rules import Finding
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import N_, _, format_date, format_number
from jituan_desktop.services.base import Changes
from jituan_desktop.services.research import Compliance, export_sessions_xlsx, semester_of
from jituan_desktop.services.research_import import ResearchImport
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.research_dialog import ResearchDialog
from jituan_desktop.ui.dialogs.xlsx_import_dialog import XlsxImportDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.tasks import Progress
from jituan_desktop.ui.undo import PageUndo
from jituan_desktop.ui.widgets import attachment_panel
from jituan_desktop.ui.widgets.attachment_panel import AttachmentPanel
from jituan_desktop.ui.widgets.common import details_label, new_shortcut
from jituan_desktop.ui.widgets.record_list import RecordListView
from jituan_desktop.ui.widgets.record_page_parts import (
    CountsPanel,
    LatestLoad,
    RecordActions,
    RecordSelection,
    choice_filter,
    flag_column,
    lay_out_page,
    newest_first,
    push_button,
    refill,
    show_flags_in_red,
    toolbar_rows,
)

ENTITY = "research_session"
WORKBOOK_DIR = "research_workbooks"
ATTACHMENT_DIR = "research_attachments"
EXPORT_DIR = "research_exports"
XLSX_FILTER = N_("Excel workbooks (*.xlsx)")
_TYPE_ORDER = {t: i for i, t in enumerate(ResearchType)}


def today() -> dt.date:
    """Today's date (a function, so tests can choose the day)."""
    return dt.date.today()


@dataclass(frozen=True)
class _Loaded:
    """What the page shows, loaded on the task runner."""

    sessions: list[ResearchSession]
    semesters: list[Semester]
    compliance: Compliance
    short_names: dict[int | None, str]


def _attendance_text(session: ResearchSession) -> str:
    counts = session.attendance_counts()
    total = session.attendee_count
    if not total:
        return ""
    return _("{present}/{total}").format(
        present=counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE], total=total)


def research_columns(short_names: dict[int | None, str],
                     flags: dict[int, tuple[Finding, ...]]) -> list[Column[ResearchSession]]:
    return [
        Column(N_("Date"), lambda s: s.held_on),
        Column(N_("Time"), lambda s: f"{minute_text(s.start_minute)}–"
               f"{minute_text(s.end_minute)}", sort_key=lambda s: s.start_minute),
        Column(N_("Duration"), lambda s: duration_text(s.duration_minutes),
               sort_key=lambda s: s.duration_minutes, align_right=True),
        Column(N_("Subject"), lambda s: s.subject),
        Column(N_("Type"), lambda s: s.kind.label(), sort_key=lambda s: _TYPE_ORDER[s.kind]),
        Column(N_("Hosting school"), lambda s: short_names.get(s.host_school_id)
               or s.host_school_name, tooltip=lambda s: s.host_school_name),
        Column(N_("Schools"), lambda s: len(s.school_ids), align_right=True,
               tooltip=lambda s: "\n".join(short_names.get(i) or str(i) for i in s.school_ids)),
        Column(N_("Mode"), lambda s: s.mode.label()),
        Column(N_("Topic"), lambda s: s.topic),
        Column(N_("Lead teacher"), lambda s: s.lead_teacher),
        Column(N_("Attendance"), _attendance_text, sort_key=lambda s: s.attendee_count,
               align_right=True, tooltip=lambda s: _("present or late / listed")),
        Column(N_("Files"), lambda s: s.attachment_count or "", align_right=True,
               sort_key=lambda s: s.attachment_count),
        flag_column(lambda s: flags.get(s.id or -1, ())),
    ]


class ResearchPage(Page):
    kinds = frozenset({ENTITY, "school", "teacher", "group", "membership", "semester",
                       "recycle_bin"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._short_names: dict[int | None, str] = {}
        self._flags: dict[int, tuple[Finding, ...]] = {}
        self._semesters: list[Semester] = []
        self._compliance: Compliance | None = None
        self._loads = LatestLoad(self)
        self.undo = PageUndo(ctx, self)

        self.semester_box = QComboBox()
        self.semester_box.setMinimumContentsLength(18)  # "2025—2026学年第一学期"
        self.semester_box.setToolTip(_("Show the sessions of one semester"))
        self.school_box = QComboBox()
        self.school_box.setMinimumContentsLength(10)
        self.school_box.setToolTip(_("Show the sessions a school hosted or took part in"))
        self.subject_box = QComboBox()
        self.subject_box.setMinimumContentsLength(6)
        self.subject_box.setToolTip(_("Show the sessions of one subject"))
        self.type_box = choice_filter(_("All types"), ResearchType.choices())
        boxes = (self.semester_box, self.school_box, self.subject_box, self.type_box)
        for box in boxes:
            box.currentIndexChanged.connect(self._apply_filter)

        self.add_button = push_button(
            _("Add session…"), _("Record a joint research session (Ctrl+N)"), self.add_session)
        self.edit_button = push_button(_("Edit…"), _("Edit the selected session (Enter)"),
                                       self.edit_selected)
        self.delete_button = push_button(
            _("Move to recycle bin"), _("Move the selected session to the recycle bin "
                                        "(Delete)"), self.delete_selected)
        self.import_button = push_button(
            _("Import from Excel…"), _("Import sessions with their attendance from a workbook "
                                       "(a template can be downloaded there)"),
            self.import_workbook)
        self.export_button = push_button(
            _("Export list (Excel)…"), _("Save the sessions the filters show, with their "
                                         "duration in minutes, as an Excel workbook"),
            self.export_list)

        self.list: RecordListView[ResearchSession] = RecordListView(
            research_columns(self._short_names, self._flags), self)
        show_flags_in_red(self.list)
        self.list.activated.connect(self.edit_session)
        self.list.selection_changed.connect(self._show_details)
        self.list.delete_requested.connect(lambda _row: self.delete_selected())
        self._selection = RecordSelection(self, self.list, boxes)
        self._actions: RecordActions[ResearchSession] = RecordActions(
            self, self.undo, ENTITY, self._selection.select)
        filters, actions = toolbar_rows(
            [(_("Semester:"), self.semester_box), (_("School:"), self.school_box),
             (_("Subject:"), self.subject_box), (_("Type:"), self.type_box)], self.list,
            [self.add_button, self.edit_button, self.delete_button],
            [self.import_button, self.export_button], self.undo)

        # below the list: the selected session, and the counts with their flags
        self.details = details_label(self)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.attachments = AttachmentPanel(self)
        self.attachments.add_requested.connect(self.add_attachment)
        self.attachments.open_requested.connect(self.open_attachment)
        self.attachments.remove_requested.connect(self.remove_attachment)
        session_tab = QWidget(self)
        session_layout = QHBoxLayout(session_tab)
        session_layout.addWidget(self.details, 3)
        session_layout.addWidget(self.attachments, 2)

        self.counts = CountsPanel(_("Sessions per subject and semester"), self)
        self.counts.cell_activated.connect(self._show_count)
        self.counts.flag_activated.connect(
            lambda data: self._show_count(data) if data else None)
        self.grid, self.flags, self.rule_label = (self.counts.grid, self.counts.flags,
                                                  self.counts.rule_label)
        counts_tab = self.counts

        self.tabs = QTabWidget(self)
        self.tabs.addTab(session_tab, _("Session and attachments"))
        self.tabs.addTab(counts_tab, _("Counts and rules"))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        new_shortcut(self, self.add_session)
        lay_out_page(self, filters, actions, splitter)
        self.request_refresh()

    @staticmethod
    def title() -> str:
        return _("Joint research")

    # ---- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        group_id = self.ctx.group_id
        for widget in (self.add_button, self.import_button, self.export_button):
            widget.setEnabled(group_id is not None)
        self._flags.clear()
        self._loads.cancel()
        if group_id is None:
            self._compliance = None
            self.list.set_rows([])
            self._fill_filters([])
            self._show_counts()
            self._show_details(None)
            return
        # tens of thousands of sessions take about a second: load off the GUI thread and show
        # only the newest load when refreshes overlap
        services = self.ctx.services
        day = today()

        def load(_progress: Progress) -> _Loaded:
            sessions = services.research.list(group_id)
            semesters = services.calendar.semesters()
            return _Loaded(sessions, semesters, services.research.compliance(
                group_id, sessions, semesters, day),
                {s.id: s.display_name for s in services.schools.list()})

        self._loads.run(_("Loading research sessions…"), load, self._show_loaded)

    def _show_loaded(self, loaded: _Loaded) -> None:
        self._semesters = loaded.semesters
        self._compliance = loaded.compliance
        self._flags.clear()
        self._flags.update(loaded.compliance.session_findings)
        self._short_names.clear()
        self._short_names.update(loaded.short_names)
        selected = self.list.selected()
        self._fill_filters(loaded.sessions)
        self.list.set_rows(loaded.sessions)
        self._apply_filter()
        self._selection.restore(selected, reveal_pending=False)
        self._show_counts()
        self._show_details(self.list.selected())

    def _semester_key(self, day: dt.date) -> str:
        """The semester filter's value: "2025-1" (a string survives a QVariant)."""
        semester = semester_of(day, self._semesters)
        return f"{semester.school_year}-{semester.term}"

    def _fill_filters(self, sessions: list[ResearchSession]) -> None:
        semesters = {self._semester_key(s.held_on): semester_of(s.held_on, self._semesters)
                     for s in sessions}
        refill(self.semester_box, _("All semesters"),
               [(semesters[key].label, key) for key in sorted(semesters, reverse=True)])
        school_ids = sorted({i for s in sessions for i in s.school_ids},
                            key=lambda i: self._short_names.get(i) or "")
        refill(self.school_box, _("All schools"),
               [(self._short_names.get(i) or str(i), i) for i in school_ids])
        refill(self.subject_box, _("All subjects"),
               [(subject, subject) for subject in sorted({s.subject for s in sessions})])

    def _apply_filter(self, *_args: object) -> None:
        semester = self.semester_box.currentData()
        school = self.school_box.currentData()
        subject = self.subject_box.currentData()
        kind = self.type_box.currentData()
        if semester is None and school is None and subject is None and kind is None:
            self.list.set_filter(None)
            return
        self.list.set_filter(
            lambda s: (semester is None or self._semester_key(s.held_on) == semester)
            and (school is None or school in s.school_ids or s.host_school_id == school)
            and (subject is None or s.subject == subject)
            and (kind is None or s.kind.value == kind))

    # ---- counts and flags ---------------------------------------------------------------

    def _show_counts(self) -> None:
        compliance = self._compliance
        if compliance is None or not compliance.subject_counts:
            self.counts.reset()
            self.counts.finish(_("No sessions recorded yet."))
            return
        semesters: dict[tuple[int, int], Semester] = {}
        for item in compliance.subject_counts:
            semesters.setdefault((item.semester.school_year, item.semester.term), item.semester)
        keys = [(x.school_year, x.term) for x in newest_first(semesters.values(), lambda x: x)]
        subjects = sorted({item.subject for item in compliance.subject_counts})
        self.counts.reset([semesters[k].label for k in keys], subjects)
        broken: list[tuple[Finding, object]] = []
        for item in compliance.subject_counts:
            key = (item.semester.school_year, item.semester.term)
            data = (f"{key[0]}-{key[1]}", item.subject)
            self.counts.set_cell(subjects.index(item.subject), keys.index(key),
                                 format_number(item.count), data, findings=item.findings,
                                 broken=item.broken, mark=True)
            broken.extend((f, data) for f in item.findings if f.broken)
        broken.extend((f, None) for f in compliance.year_findings if f.broken)
        for findings in compliance.session_findings.values():
            broken.extend((f, None) for f in findings if f.broken)
        for finding, data in broken:
            self.counts.add_flag(finding, data)
        if not self._has_rules():
            text = _("The group's policy profile sets no rule on joint research, so no flags "
                     "are shown.")
        elif not broken:
            text = _("Every semester and school year meets the rules.")
        else:
            text = _("Select a flag for the rule's wording and source; double-click a count to "
                     "list those sessions.")
        self.counts.finish(text)

    def _has_rules(self) -> bool:
        compliance = self._compliance
        return compliance is not None and (
            any(item.findings for item in compliance.subject_counts)
            or bool(compliance.year_findings) or bool(compliance.session_findings))

    def _show_count(self, data: object) -> None:
        """List the sessions of one count: ``data`` is (semester key, subject)."""
        key, subject = data  # type: ignore[misc]
        self.semester_box.setCurrentIndex(max(0, self.semester_box.findData(key)))
        self.subject_box.setCurrentIndex(max(0, self.subject_box.findData(subject)))
        self.school_box.setCurrentIndex(0)
        self.type_box.setCurrentIndex(0)

    # ---- add, edit, delete --------------------------------------------------------------

    def _edit(self, draft: ResearchSession) -> ResearchSession | None:
        service = self.ctx.services.research
        schools = service.group_schools(draft.group_id or -1)
        teachers = service.teachers_of(s.id for s in schools)
        return ResearchDialog.edit(self, draft, schools, teachers, service.validate)

    def add_session(self) -> None:
        group_id = self.ctx.group_id
        if group_id is None:
            return
        subject = self.subject_box.currentData()
        draft = ResearchSession(None, group_id, today(), 14 * 60 + 30, 16 * 60,
                                subject if isinstance(subject, str) else "", Stage.PRIMARY,
                                ResearchType(self.type_box.currentData() or "collective_prep"),
                                None)
        result = self._edit(draft)
        if result is None:
            return
        self._actions.save_new(lambda: self.ctx.services.research.save(result),
                               lambda s: s.label)

    def edit_selected(self) -> None:
        session = self.list.selected()
        if session is not None:
            self.edit_session(session)

    def edit_session(self, session: ResearchSession) -> None:
        if session.id is None:
            return
        # edited as stored now, with its attendance (the list holds attendance counts only)
        self._actions.edit_stored(session.id, self.ctx.services.research, self._edit,
                                  lambda s: s.label)

    def delete_selected(self) -> None:
        session = self.list.selected()
        if session is None or session.id is None:
            return
        self._actions.delete(session.id, session.label, _(
            "Move the session “{label}” to the recycle bin?\nYou can restore it from the "
            "recycle bin.").format(label=session.label))

    # ---- import -------------------------------------------------------------------------

    def import_workbook(self) -> None:
        group_id = self.ctx.group_id
        if group_id is None:
            return
        XlsxImportDialog.run(self, self.ctx, ResearchImport(self.ctx.services.research,
                                                            group_id), WORKBOOK_DIR)

    # ---- export -------------------------------------------------------------------------

    def shown_sessions(self) -> list[ResearchSession]:
        """The sessions the filters and the search let through, in the list's order."""
        proxy = self.list.proxy
        return [self.list.model.row_at(proxy.mapToSource(proxy.index(i, 0)).row())
                for i in range(proxy.rowCount())]

    def export_list(self) -> None:
        """Save the listed sessions as .xlsx (with the duration in minutes), off the GUI
        thread; the file is written under a temporary name and renamed at the end."""
        sessions = self.shown_sessions()
        if not sessions:
            prompts.info(self, _("Nothing to export"), _("No session is listed."))
            return
        path = prompts.save_file(self, _("Export the sessions"), _(XLSX_FILTER),
                                 _("joint research sessions") + ".xlsx",
                                 directory=self.ctx.recent_dir(EXPORT_DIR))
        if path is None:
            return
        self.ctx.remember_dir(EXPORT_DIR, path)
        self.export_to(path if path.suffix.lower() == ".xlsx"
                       else path.with_name(path.name + ".xlsx"), sessions)

    def export_to(self, target: Path, sessions: list[ResearchSession]) -> None:
        names = dict(self._short_names)

        def work(progress: Progress) -> int:
            def check(done: int, total: int) -> None:
                progress.check()
                progress.report(done, total)

            return export_sessions_xlsx(target, sessions, names, check)

        self.ctx.runner.run(
            _("Exporting {n} sessions…").format(n=format_number(len(sessions))), work,
            lambda n: prompts.info(self, _("Export finished"), _(
                "{n} sessions were saved to {path}.").format(n=format_number(n), path=target)),
            on_error=lambda exc: prompts.error(self, _("Not exported"), str(exc)),
            parent=self)

    # ---- attachments --------------------------------------------------------------------

    def add_attachment(self) -> None:
        session = self.list.selected()
        if session is None or session.id is None:
            return
        path = prompts.open_file(self, _("Attach a file"), _("All files (*)"),
                                 directory=self.ctx.recent_dir(ATTACHMENT_DIR))
        if path is None:
            return
        self.ctx.remember_dir(ATTACHMENT_DIR, path)
        self.attach_file(session.id, path)

    def attach_file(self, session_id: int, path: Path) -> None:
        """Copy ``path`` into the store on the task runner (progress, Cancel), then add it."""
        service = self.ctx.services.research
        try:
            service.store.check_source(path)  # a clear message at once, before any copying
        except ValidationError as exc:
            self.ctx.write_failed(self, exc, _("Not attached"))
            return

        def work(progress: Progress) -> tuple[Attachment, Changes]:
            def report(done: int, total: int) -> None:
                progress.check()
                progress.report(done, total)

            return service.add_attachment(session_id, path, report)

        self.ctx.runner.run(_("Copying {file}…").format(file=path.name), work,
                            self._attached,
                            on_error=lambda exc: self.ctx.write_failed(
                                self, exc, _("Not attached")),
                            on_cancelled=lambda: prompts.info(
                                self, _("Not attached"), _("The copy was cancelled; nothing "
                                                           "was attached.")),
                            parent=self)

    def _attached(self, result: tuple[Attachment, Changes]) -> None:
        attachment, changes = result
        self.ctx.publish(changes)
        self._record_attachment_step(attachment, added=True)

    def _record_attachment_step(self, attachment: Attachment, *, added: bool) -> None:
        service = self.ctx.services.research
        current = [attachment]  # the row's id changes when it is attached again

        def remove() -> Changes:
            _gone, changes = service.remove_attachment(current[0].id or -1)
            return changes

        def attach() -> Changes:
            current[0], changes = service.restore_attachment(current[0])
            return changes

        label = attachment.file_name
        if added:
            self.undo.record(_("Attach “{name}”").format(name=label), remove, attach)
        else:
            self.undo.record(_("Remove attachment “{name}”").format(name=label), attach,
                             remove)

    def open_attachment(self, attachment: Attachment) -> None:
        try:
            path = self.ctx.services.research.attachment_path(attachment)
        except ValidationError as exc:
            prompts.error(self, _("Cannot open the attachment"), exc.report.text())
            return
        if not attachment_panel.open_url(path):
            prompts.error(self, _("Cannot open the attachment"), _(
                "No program is set up to open {file}. The stored copy is {path}.").format(
                    file=attachment.file_name, path=path))

    def remove_attachment(self, attachment: Attachment) -> None:
        if attachment.id is None:
            return
        if not prompts.confirm(self, _("Remove attachment"), _(
                "Remove “{name}” from this session?").format(name=attachment.file_name)):
            return
        attachment_id = attachment.id
        removed = self.ctx.write(self, lambda: self.ctx.services.research.remove_attachment(
            attachment_id))
        if removed is not None:
            self._record_attachment_step(removed, added=False)

    # ---- view ---------------------------------------------------------------------------

    def _show_details(self, session: ResearchSession | None) -> None:
        self.edit_button.setEnabled(session is not None)
        self.delete_button.setEnabled(session is not None)
        if session is None or session.id is None:
            self.details.clear()
            self.attachments.set_attachments([], enabled=False)
            return
        service = self.ctx.services.research
        self.attachments.set_attachments(service.attachments(session.id), enabled=True)
        counts = session.attendance_counts()
        schools = "、".join(self._short_names.get(i) or str(i) for i in session.school_ids)
        lines = [
            _("{date} {time} ({duration}), {mode}").format(
                date=format_date(session.held_on), time=f"{minute_text(session.start_minute)}–"
                f"{minute_text(session.end_minute)}",
                duration=duration_text(session.duration_minutes), mode=session.mode.label()),
            _("Host: {host}    Schools: {schools}").format(host=session.host_school_name,
                                                          schools=schools),
            _("Topic: {topic}    Lead teacher: {lead}").format(
                topic=session.topic or "—", lead=session.lead_teacher or "—"),
            _("Attendance: {present} present, {late} late, {excused} excused, {absent} "
              "absent").format(present=counts[AttendanceStatus.PRESENT],
                               late=counts[AttendanceStatus.LATE],
                               excused=counts[AttendanceStatus.EXCUSED],
                               absent=counts[AttendanceStatus.ABSENT]),
        ]
        for finding in self._flags.get(session.id, ()):
            lines.append(("⚑ " if finding.broken else "✓ ") + finding.explanation().split(
                "\n")[0])
        if session.minutes:
            first = session.minutes.strip().splitlines()[0] if session.minutes.strip() else ""
            lines.append(_("Minutes: {text}").format(text=first + (
                " …" if len(session.minutes.strip().splitlines()) > 1 else "")))
        self.details.setText("\n".join(lines))

