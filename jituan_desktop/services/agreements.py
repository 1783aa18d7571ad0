"""Cooperation agreements: records, pre-filled drafts, the printed PDF and its export.

An agreement can be edited while it is a draft. Exporting its PDF for signing finalises it:
from then on the content is frozen (the signatures cover exactly that PDF), and a change
needs a new version (``new_version`` copies it as a new draft).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jituan_desktop.atomic import write_bytes_atomic
from jituan_desktop.documents.agreement_pdf import (
    AgreementDocument,
    PartyInfo,
    RenderedPdf,
    render_agreement,
)
from jituan_desktop.documents.templates import AgreementTemplate, TemplateError, load_for
from jituan_desktop.domain.agreements import (
    Agreement,
    AgreementParty,
    AgreementScope,
    AgreementStatus,
    AgreementTask,
    Indicator,
    party_label,
    validate_agreement,
)
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.validation import ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.persistence.agreement_models import (
    AgreementIndicatorRow,
    AgreementPartyRow,
    AgreementRow,
    AgreementTaskRow,
)
from jituan_desktop.persistence.models import GroupRow, MembershipRow, SchoolRow, TeacherRow
from jituan_desktop.services.base import Changes, Database, NotFound, diff

SCALAR_FIELDS = ("group_id", "number", "title", "profile_id", "model_label", "scope",
                 "term_start", "term_end", "goals", "funding_fen", "funding_text", "assessment",
                 "copies", "filing_authority", "signing_place", "signing_date", "status")


@dataclasses.dataclass(frozen=True)
class GroupSchool:
    """A school that is (or was) in the group, as an agreement party can be chosen."""

    id: int
    name: str
    legal_representative: str
    is_core: bool
    left: bool


@dataclasses.dataclass(frozen=True)
class ModelChoice:
    """A cooperation model an agreement can be written for, with what follows from it: the
    template's title, the five task headings and the template's default tasks."""

    label: str  # the profile's local label, stored in ``Agreement.model_label``
    name: str  # as shown: the full label where the profile has one
    canonical: str
    headings: tuple[str, ...]
    other_heading: str
    title: str
    default_tasks: tuple[AgreementTask, ...]


class AgreementFrozen(ValidationError):
    """The agreement was finalised for signing; it cannot change any more."""


class AgreementService:
    def __init__(self, db: Database, profiles: Mapping[str, PolicyProfile], templates: Path,
                 settings_path: Path | None = None) -> None:
        self.db = db
        self.profiles = profiles
        self.templates = templates
        self.settings_path = settings_path  # the chosen PDF fonts are read from it

    # ---- reading ------------------------------------------------------------------------

    def list(self, group_id: int) -> list[Agreement]:
        with self.db.reading() as s:
            ids = s.scalars(select(AgreementRow.id).where(
                AgreementRow.group_id == group_id, AgreementRow.deleted_at.is_(None))
                .order_by(AgreementRow.id.desc())).all()
            return [self._load(s, i) for i in ids]

    def get(self, agreement_id: int) -> Agreement:
        with self.db.reading() as s:
            row = s.get(AgreementRow, agreement_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(agreement_id)
            return self._load(s, agreement_id)

    def latest_for_group(self, group_id: int) -> int | None:
        """The group's most recent agreement (highest id), or None."""
        with self.db.reading() as s:
            return s.scalar(select(func.max(AgreementRow.id)).where(
                AgreementRow.group_id == group_id, AgreementRow.deleted_at.is_(None)))

    def group_schools(self, group_id: int) -> list[GroupSchool]:
        """The schools that are or were in the group (core school first)."""
        with self.db.reading() as s:
            rows = s.execute(select(MembershipRow, SchoolRow).join(
                SchoolRow, SchoolRow.id == MembershipRow.school_id).where(
                MembershipRow.group_id == group_id, MembershipRow.deleted_at.is_(None),
                SchoolRow.deleted_at.is_(None)).order_by(MembershipRow.joined_on)).all()
        schools: dict[int, GroupSchool] = {}
        for membership, school in rows:
            known = schools.get(school.id)
            schools[school.id] = GroupSchool(
                school.id, school.name, school.legal_representative,
                membership.role == "core" or bool(known and known.is_core),
                membership.left_on is not None and not (known and not known.left))
        return sorted(schools.values(), key=lambda x: (not x.is_core, x.left, x.id))

    # ---- drafts -------------------------------------------------------------------------

    def template_for(self, group_id: int, model_label: str | None = None) -> AgreementTemplate:
        """The template for the group's agreements under ``model_label`` (default: the
        group's own model)."""
        group = self._group(group_id)
        canonical = self._canonical(group)
        if model_label is not None:
            canonical = self.canonical_for(group.profile_id, model_label) or canonical
        return load_for(self.templates, group.profile_id, canonical)

    def canonical_for(self, profile_id: str, model_label: str) -> str:
        profile = self.profiles.get(profile_id)
        model = profile.model(model_label) if profile else None
        return model.canonical if model else ""

    def model_choices(self, group_id: int) -> list[ModelChoice]:
        """The cooperation models the group's profile offers, in the profile's order (the
        group's own model first when the profile does not know it); each with its template's
        title, task headings and default tasks."""
        group = self._group(group_id)
        profile = self.profiles.get(group.profile_id)
        models = list(profile.models) if profile else []
        labels = [(m.local_label, m.full_label or m.local_label, m.canonical) for m in models]
        if group.model_label not in {m.local_label for m in models}:
            labels.insert(0, (group.model_label, group.model_label, self._canonical(group)))
        choices = []
        for label, name, canonical in labels:
            try:
                template = load_for(self.templates, group.profile_id, canonical)
            except TemplateError:
                if label == group.model_label:
                    raise
                continue  # a broken template of another model must not block the editor
            choices.append(ModelChoice(
                label, name, canonical, self.headings(group.profile_id, label),
                template.other_heading,
                template.title.format_map(_Blank(region=group.region, group=group.name)),
                self.default_tasks(group.profile_id, label, canonical, template)))
        return choices

    def headings(self, profile_id: str, model_label: str) -> tuple[str, ...]:
        profile = self.profiles.get(profile_id)
        model = profile.model(model_label) if profile else None
        return model.headings if model else ()

    def new_draft(self, group_id: int, scope: AgreementScope,
                  school_ids: list[int] | None = None) -> Agreement:
        """A draft pre-filled from the template and the profile: the core school as 甲方,
        the other schools in use (or ``school_ids``) as 乙方, 丙方 …"""
        group = self._group(group_id)
        template = self.template_for(group_id)
        schools = [x for x in self.group_schools(group_id) if not x.left]
        if school_ids is not None:
            by_id = {x.id: x for x in self.group_schools(group_id)}
            chosen = [by_id[i] for i in school_ids if i in by_id]
        else:
            chosen = schools[:2] if scope is AgreementScope.PAIR else schools
        parties = tuple(AgreementParty(n, party_label(n), x.id, x.legal_representative,
                                       "校长", school_name=x.name)
                        for n, x in enumerate(chosen, start=1))
        today = dt.date.today()
        start = dt.date(today.year if today.month < 9 else today.year + 1, 9, 1)
        title = template.title.format_map(_Blank(region=group.region, group=group.name))
        return Agreement(
            id=None, group_id=group_id, number=self._next_number(group_id, start.year),
            title=title, profile_id=group.profile_id, model_label=group.model_label,
            scope=scope, term_start=start, term_end=dt.date(start.year + 3, 7, 31),
            funding_text="", assessment="", copies=len(parties) + 1,
            parties=parties, tasks=self.default_tasks(group.profile_id, group.model_label,
                                                      self._canonical(group), template))

    def default_tasks(self, profile_id: str, model_label: str, canonical: str,
                      template: AgreementTemplate) -> tuple[AgreementTask, ...]:
        headings = self.headings(profile_id, model_label)
        profile = self.profiles.get(profile_id)
        tasks = []
        for item in template.default_tasks:
            if item.model and item.model != canonical:
                continue
            params: dict[str, Any] = {}
            if item.rule:
                rule = profile.rule_by_id(item.rule) if profile else None
                if rule is None:
                    continue
                params = dict(rule.params)
            if item.heading == 6 or item.heading > len(headings):
                heading = template.other_heading
            else:
                heading = headings[item.heading - 1]
            try:
                text = item.text.format(**params)
            except (KeyError, ValueError, IndexError) as exc:
                raise TemplateError(template.path, f"default task '{item.text}': {exc}") from exc
            tasks.append(AgreementTask(heading, text))
        return tuple(tasks)

    # ---- writing ------------------------------------------------------------------------

    def validate(self, draft: Agreement) -> ValidationReport:
        school_ids = [x.id for x in self.group_schools(draft.group_id or -1)]
        others = [a.number for a in self.list(draft.group_id or -1) if a.id != draft.id]
        return validate_agreement(draft, school_ids, others)

    def validate_restore(self, agreement_id: int) -> ValidationReport:
        with self.db.reading() as s:
            if s.get(AgreementRow, agreement_id) is None:
                raise NotFound(agreement_id)
            draft = self._load(s, agreement_id)
        return self.validate(draft)

    def save(self, draft: Agreement) -> tuple[Agreement, Changes]:
        report = self.validate(draft)
        if not report.ok:
            raise ValidationError(report)
        with self.db.unit_of_work() as s:
            if draft.id is None:
                row = AgreementRow(**_scalars(draft))
                s.add(row)
                s.flush()
                self.db.audit(s, "create", "agreement", row.id,
                              _("Added agreement {name}").format(name=draft.number),
                              group_id=draft.group_id, details=_details(draft))
            else:
                row = s.get(AgreementRow, draft.id)
                if row is None or row.deleted_at is not None:
                    raise NotFound(draft.id)
                if row.status == AgreementStatus.FINAL.value:
                    raise AgreementFrozen(ValidationReport({"": _(
                        "The agreement {number} was finalised for signing and cannot be "
                        "changed. Make a new version of it instead.").format(
                            number=row.number)}))
                before = _details(self._load(s, draft.id))
                for key, value in _scalars(draft).items():
                    setattr(row, key, value)
                s.execute(delete(AgreementPartyRow).where(
                    AgreementPartyRow.agreement_id == row.id))
                s.execute(delete(AgreementIndicatorRow).where(
                    AgreementIndicatorRow.agreement_id == row.id))
                s.execute(delete(AgreementTaskRow).where(AgreementTaskRow.agreement_id == row.id))
                self.db.audit(s, "update", "agreement", row.id,
                              _("Changed agreement {name}").format(name=draft.number),
                              group_id=draft.group_id, details=diff(before, _details(draft)))
            _write_children(s, row.id, draft)
            saved = self._load(s, row.id)
        return saved, Changes.of("agreement", ids=[saved.id or 0])

    def finalise(self, agreement_id: int) -> Changes:
        with self.db.unit_of_work() as s:
            row = s.get(AgreementRow, agreement_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(agreement_id)
            if row.status != AgreementStatus.FINAL.value:
                row.status = AgreementStatus.FINAL.value
                self.db.audit(s, "update", "agreement", row.id,
                              _("Finalised agreement {name} for signing").format(
                                  name=row.number), group_id=row.group_id,
                              details={"status": ["draft", "final"]})
        return Changes.of("agreement", ids=[agreement_id])

    def reopen(self, agreement_id: int) -> Changes:
        """Undo of finalising (only while nothing was signed: the page checks that)."""
        with self.db.unit_of_work() as s:
            row = s.get(AgreementRow, agreement_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(agreement_id)
            row.status = AgreementStatus.DRAFT.value
            self.db.audit(s, "update", "agreement", row.id,
                          _("Reopened agreement {name} as a draft").format(name=row.number),
                          group_id=row.group_id, details={"status": ["final", "draft"]})
        return Changes.of("agreement", ids=[agreement_id])

    def new_version(self, agreement_id: int) -> tuple[Agreement, Changes]:
        """A draft copy of the agreement with the next free number (…-v2, -v3 …)."""
        source = self.get(agreement_id)
        numbers = {a.number for a in self.list(source.group_id or -1)}
        base = source.number.split("-v")[0]
        n = 2
        while f"{base}-v{n}" in numbers:
            n += 1
        return self.save(dataclasses.replace(source, id=None, number=f"{base}-v{n}",
                                             status=AgreementStatus.DRAFT))

    # ---- the document -------------------------------------------------------------------

    def document(self, agreement: Agreement) -> AgreementDocument:
        group = self._group(agreement.group_id or -1)
        # the template follows the agreement's own model (the editor may choose another one
        # of the profile's models than the group's)
        canonical = (self.canonical_for(agreement.profile_id, agreement.model_label)
                     or self._canonical(group))
        template = load_for(self.templates, agreement.profile_id, canonical)
        profile = self.profiles.get(agreement.profile_id)
        model = profile.model(agreement.model_label) if profile else None
        first_role = template.first_role or (profile.role_labels(agreement.model_label)[0]
                                             if profile else "")
        ids = [p.school_id for p in agreement.parties if p.school_id is not None]
        with self.db.reading() as s:
            schools = {r.id: r for r in s.scalars(select(SchoolRow).where(SchoolRow.id.in_(ids)))}
            teachers = dict(s.execute(select(TeacherRow.school_id, func.count()).where(
                TeacherRow.school_id.in_(ids), TeacherRow.deleted_at.is_(None))
                .group_by(TeacherRow.school_id)).all())
        parties = []
        for p in agreement.parties:
            school = schools.get(p.school_id or -1)
            parties.append(PartyInfo(
                p.order, p.label, first_role if p.order == 1 else template.other_role,
                school.name if school else p.school_name,
                school.credit_code if school else "", school.address if school else "",
                p.representative or (school.legal_representative if school else ""),
                teachers.get(p.school_id, 0)))
        return AgreementDocument(agreement, template, model.headings if model else (),
                                 (model.full_label or model.local_label) if model
                                 else agreement.model_label, canonical, group.region,
                                 tuple(parties), group.name)

    def render_draft(self, draft: Agreement) -> RenderedPdf:
        """The PDF of an unsaved draft (the editor's live preview). Thread-safe: reads only."""
        from jituan_desktop.documents import fonts

        body_key, title_key = self._font_keys()
        choice = fonts.choose_fonts(body_key, title_key)
        return render_agreement(self.document(draft), fonts.register(choice.body),
                                fonts.register(choice.title))

    def render_pdf(self, agreement_id: int) -> RenderedPdf:
        return self.render_draft(self.get(agreement_id))

    def export_pdf(self, agreement_id: int, path: Path, *, finalise: bool = True,
                   progress: Any = None) -> RenderedPdf:
        """Write the agreement's PDF (with empty signature fields when the signing module is
        there) atomically to ``path`` and, by default, finalise the agreement for signing.

        ``progress`` (``ui.tasks.Progress`` or None) hears each step and may cancel before
        the file is written. A failed write (``OSError``) leaves no file and no change."""
        def step(done: int, text: str) -> None:
            if progress is not None:
                progress.check()
                progress.report(done, 3, text)

        step(0, _("Making the PDF…"))
        agreement = self.get(agreement_id)
        rendered = self.render_draft(agreement)
        step(1, _("Adding the signature fields…"))
        data = with_signature_fields(rendered, agreement.number)
        step(2, _("Writing the file…"))
        write_bytes_atomic(path, data)
        with self.db.unit_of_work() as s:
            row = s.get(AgreementRow, agreement_id)
            self.db.audit(s, "export", "agreement", agreement_id,
                          _("Exported agreement {name} as PDF").format(
                              name=row.number if row else agreement_id),
                          group_id=row.group_id if row else None,
                          details={"file": str(path), "pages": rendered.page_count})
        if finalise:
            self.finalise(agreement_id)
        return dataclasses.replace(rendered, data=data)

    # ---- helpers ------------------------------------------------------------------------

    def _font_keys(self) -> tuple[str, str]:
        if self.settings_path is None:
            return "", ""
        from jituan_desktop.settings import Settings

        settings = Settings.load(self.settings_path)
        return (getattr(settings, "pdf_body_font", ""), getattr(settings, "pdf_title_font", ""))

    def _group(self, group_id: int) -> GroupRow:
        with self.db.reading() as s:
            group = s.get(GroupRow, group_id)
            if group is None:
                raise NotFound(group_id)
            s.expunge(group)
            return group

    def _canonical(self, group: GroupRow) -> str:
        if group.model_canonical:
            return group.model_canonical
        profile = self.profiles.get(group.profile_id)
        model = profile.model(group.model_label) if profile else None
        return model.canonical if model else ""

    def _next_number(self, group_id: int, year: int) -> str:
        numbers = {a.number for a in self.list(group_id)}
        n = 1
        while f"JT-{year}-{n:03d}" in numbers:
            n += 1
        return f"JT-{year}-{n:03d}"

    def _load(self, s: Session, agreement_id: int) -> Agreement:
        row = s.get(AgreementRow, agreement_id)
        if row is None:
            raise NotFound(agreement_id)
        parties = s.execute(select(AgreementPartyRow, SchoolRow.name).join(
            SchoolRow, SchoolRow.id == AgreementPartyRow.school_id).where(
            AgreementPartyRow.agreement_id == agreement_id)
            .order_by(AgreementPartyRow.order)).all()
        indicators = s.scalars(select(AgreementIndicatorRow).where(
            AgreementIndicatorRow.agreement_id == agreement_id)
            .order_by(AgreementIndicatorRow.position))
        tasks = s.scalars(select(AgreementTaskRow).where(
            AgreementTaskRow.agreement_id == agreement_id).order_by(AgreementTaskRow.position))
        values = {k: getattr(row, k) for k in SCALAR_FIELDS}
        values["scope"] = AgreementScope(row.scope)
        values["status"] = AgreementStatus(row.status)
        return Agreement(
            id=row.id, **values,
            parties=tuple(AgreementParty(p.order, p.label, p.school_id, p.representative,
                                         p.representative_title, school_name=name)
                          for p, name in parties),
            indicators=tuple(Indicator(i.name, i.unit, i.baseline, i.target, i.due)
                             for i in indicators),
            tasks=tuple(AgreementTask(t.heading, t.text) for t in tasks))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def with_signature_fields(rendered: RenderedPdf, number: str = "") -> bytes:
    """The PDF with one empty signature field per party, when the signing side provides
    ``signing.fields.add_signature_fields``; else the PDF as rendered. ``number``: the
    协议编号, recorded with the parties for the signer."""
    try:
        from jituan_desktop.signing.fields import add_signature_fields  # type: ignore
    except ImportError:
        return rendered.data
    return add_signature_fields(rendered.data, rendered.signature_boxes, number=number)


def _scalars(draft: Agreement) -> dict[str, Any]:
    values = {k: getattr(draft, k) for k in SCALAR_FIELDS}
    values["scope"] = draft.scope.value
    values["status"] = draft.status.value
    values["number"] = draft.number.strip()
    values["title"] = draft.title.strip()
    return values


def _details(draft: Agreement) -> dict[str, Any]:
    values = _scalars(draft)
    values["parties"] = json.dumps([[p.order, p.label, p.school_id, p.representative]
                                    for p in draft.parties], ensure_ascii=False)
    values["indicators"] = json.dumps([dataclasses.astuple(i) for i in draft.indicators],
                                      ensure_ascii=False)
    values["tasks"] = json.dumps([[t.heading, t.text] for t in draft.tasks], ensure_ascii=False)
    return values


def _write_children(s: Session, agreement_id: int, draft: Agreement) -> None:
    for party in draft.parties:
        s.add(AgreementPartyRow(agreement_id=agreement_id, order=party.order, label=party.label,
                                school_id=party.school_id,
                                representative=party.representative.strip(),
                                representative_title=party.representative_title.strip()))
    for position, x in enumerate(draft.indicators):
        s.add(AgreementIndicatorRow(agreement_id=agreement_id, position=position,
                                    name=x.name.strip(), unit=x.unit.strip(),
                                    baseline=x.baseline.strip(), target=x.target.strip(),
                                    due=x.due.strip()))
    for position, t in enumerate(draft.tasks):
        s.add(AgreementTaskRow(agreement_id=agreement_id, position=position, heading=t.heading,
                               text=t.text.strip()))
    s.flush()


# ---- the JSON dataset's third pass (services/dataset_check.py) -------------------------------

DOCUMENT_SECTIONS = ("agreements", "agreement_parties", "agreement_indicators",
                     "agreement_tasks", "memberships")


def document_agreement_reports(rows: Mapping[str, list[tuple[str, Any]]]) \
        -> list[tuple[str, ValidationReport]]:
    """Each agreement of an imported file as the editor checks it (``rows``: section →
    ``(position, record)``; records in the recycle bin are skipped)."""
    def children(key: str) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for _where, row in rows.get(key, []):
            out.setdefault(row.agreement_id, []).append(row)
        return out

    parties, indicators, tasks = (children("agreement_parties"),
                                  children("agreement_indicators"), children("agreement_tasks"))
    schools_of: dict[int, set[int]] = {}
    for _where, m in rows.get("memberships", []):
        if m.deleted_at is None:
            schools_of.setdefault(m.group_id, set()).add(m.school_id)
    live = [(w, r) for w, r in rows.get("agreements", []) if r.deleted_at is None]
    numbers: dict[int, list[str]] = {}
    for _where, r in live:
        numbers.setdefault(r.group_id, []).append(r.number.strip())
    reports = []
    for where, r in live:
        try:
            scope, status = AgreementScope(r.scope), AgreementStatus(r.status)
        except ValueError:
            continue  # the first pass reports values outside the vocabulary
        draft = Agreement(
            id=r.id, group_id=r.group_id, number=r.number, title=r.title,
            profile_id=r.profile_id, model_label=r.model_label, scope=scope,
            term_start=r.term_start, term_end=r.term_end, goals=r.goals,
            funding_fen=r.funding_fen, funding_text=r.funding_text, assessment=r.assessment,
            copies=r.copies, filing_authority=r.filing_authority,
            signing_place=r.signing_place, signing_date=r.signing_date, status=status,
            parties=tuple(AgreementParty(p.signing_order, p.label, p.school_id,
                                         p.representative, p.representative_title)
                          for p in sorted(parties.get(r.id, []), key=lambda p: p.signing_order)),
            indicators=tuple(Indicator(i.name, i.unit, i.baseline, i.target, i.due)
                             for i in indicators.get(r.id, [])),
            tasks=tuple(AgreementTask(t.heading, t.text) for t in tasks.get(r.id, [])))
        others = list(numbers.get(r.group_id, []))
        others.remove(r.number.strip())
        reports.append((where, validate_agreement(draft, schools_of.get(r.group_id, set()),
                                                  others)))
    return reports
