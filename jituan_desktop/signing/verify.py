"""Check every signature of an agreement PDF and say in plain words what it means.

pyHanko's ``valid`` alone does not mean "not tampered" (STACK.md gotcha 16), so a signature
counts as good only when its bytes are intact, its cryptography is valid, and nothing was
added after it except the following parties' signatures: every later revision of the file must
be one that a later signature covers, pyHanko's difference analysis must find no more than
signature-field filling, and the last signature must cover the whole file.

"Trusted" is decided by this app: a certificate is trusted when its fingerprint is one of the
identities registered here (the school's own, or a certificate the other school handed over
and the user imported). Self-signed certificates are otherwise only "intact, from an unknown
identity": the user compares the fingerprint with the other school.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from jituan_desktop.i18n import _, format_datetime
from jituan_desktop.signing.agreement_info import AgreementInfo, Party, open_reader, read_parties
from jituan_desktop.signing.errors import SigningError

log = logging.getLogger(__name__)

# fingerprint (hex) -> a label of the registered identity, e.g. "阿拉善左旗第一实验小学 / 张明"
KnownIdentities = Mapping[str, str]


class Status(enum.Enum):
    VALID = "valid"  # intact, unchanged after it, from a known identity
    UNTRUSTED = "untrusted"  # intact and unchanged, but the certificate is not known here
    CHANGED = "changed"  # intact when signed, but the file was changed afterwards
    BROKEN = "broken"  # the signed bytes or the signature itself were altered


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    party: Party | None
    signer_name: str  # certificate CN
    signer_organisation: str  # certificate O
    fingerprint: str  # SHA-256 of the signer's certificate, hex ("" if unreadable)
    known_identity: str | None  # the registered identity's label, None if unknown here
    signing_time: dt.datetime | None  # aware
    timestamped: bool  # True: from a timestamp authority; False: the signer's computer clock
    intact: bool
    valid: bool
    changed_after: bool
    change_note: str
    locks_document: bool
    reason: str
    status: Status

    @property
    def ok(self) -> bool:
        return self.status in (Status.VALID, Status.UNTRUSTED)

    @property
    def trusted(self) -> bool:
        return self.status is Status.VALID

    def time_text(self) -> str:
        if self.signing_time is None:
            return _("unknown")
        local = self.signing_time.astimezone().replace(tzinfo=None)
        if self.timestamped:
            return _("{time} (from a timestamp server)").format(time=format_datetime(local))
        return _("{time} (the signer's computer clock; no timestamp)").format(
            time=format_datetime(local))

    def verdict(self) -> str:
        who = self.signer_name or _("an unnamed signer")
        if self.status is Status.BROKEN:
            return _("Broken: the signed content or the signature itself was altered. Do not "
                     "rely on this signature.")
        if self.status is Status.CHANGED:
            return _("Signed by {who}, but the document was changed after this signature: "
                     "{note}").format(who=who, note=self.change_note)
        if self.status is Status.UNTRUSTED:
            return _("Intact and unchanged, but the certificate of {who} is not one of the "
                     "known identities on this computer. Compare its fingerprint with the "
                     "school before you rely on it.").format(who=who)
        return _("Valid: signed by {who} ({identity}); the document is unchanged since.").format(
            who=who, identity=self.known_identity)


@dataclass(frozen=True)
class DocumentReport:
    file_name: str
    sha256: str
    agreement: AgreementInfo | None
    signatures: tuple[SignatureReport, ...] = ()
    problem: str | None = None  # the file could not be read as a signed PDF at all
    unsigned: tuple[Party, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Every signature intact and unchanged (the CLI's exit code 0)."""
        return self.problem is None and bool(self.signatures) and all(
            s.ok for s in self.signatures)

    @property
    def complete(self) -> bool:
        return self.ok and not self.unsigned

    @property
    def locked(self) -> bool:
        return self.ok and any(s.locks_document for s in self.signatures)

    def verdict(self) -> str:
        if self.problem:
            return self.problem
        if not self.signatures:
            return _("This PDF has no signatures yet.")
        broken = sum(s.status is Status.BROKEN for s in self.signatures)
        changed = sum(s.status is Status.CHANGED for s in self.signatures)
        untrusted = sum(s.status is Status.UNTRUSTED for s in self.signatures)
        if broken:
            return _("Do not rely on this document: {n} of its signatures are broken (the "
                     "signed content was altered).").format(n=broken)
        if changed:
            return _("Do not rely on this document: it was changed after it was signed.")
        total = len(self.signatures) + len(self.unsigned)
        if self.unsigned:
            text = _("Signed by {done} of {total} parties so far; the signatures are intact and "
                     "the document is unchanged. Next to sign: {next}.").format(
                done=len(self.signatures), total=total,
                next=f"{self.unsigned[0].label} {self.unsigned[0].school_name}".strip())
        else:
            text = _("All {total} parties have signed; every signature is intact and the "
                     "document is unchanged.").format(total=total)
            if self.locked:
                text += " " + _("The last signature locked the document against any change.")
        if untrusted:
            text += " " + _("{n} of the certificates are not known on this computer: compare "
                            "their fingerprints with the schools.").format(n=untrusted)
        return text


def quiet_pyhanko_logging() -> None:
    """pyHanko logs a WARNING with a traceback for every self-signed certificate (STACK.md
    gotcha 17); the verdict already says it, so keep the log readable."""
    for name in ("pyhanko.sign.validation.generic_cms", "pyhanko_certvalidator",
                 "pyhanko.sign.validation.pdf_embedded"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _modification_note(level: object, coverage: object, extra_revisions: int,
                       docmdp_ok: bool | None) -> str | None:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if extra_revisions:
        return _("{n} update(s) that are not signatures were added to the file after it.").format(
            n=extra_revisions)
    if docmdp_ok is False:
        return _("the changes made after it are not allowed by the document's lock.")
    if level is not None and level not in (ModificationLevel.NONE,
                                           ModificationLevel.LTA_UPDATES,
                                           ModificationLevel.FORM_FILLING):
        return _("content was added or altered after it (not just further signatures).")
    if coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                        SignatureCoverageLevel.ENTIRE_REVISION):
        return _("it does not cover the document it belongs to.")
    return None


def _report_one(sig: object, index: int, later: list[int], total_revisions: int,
                info: AgreementInfo | None, known: KnownIdentities) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    name = sig.field_name  # type: ignore[attr-defined]
    party = None
    if info is not None and name.startswith("Party") and name[5:].isdigit():
        party = next((p for p in info.parties if p.order == int(name[5:])), None)
    sig_dict = sig.sig_object  # type: ignore[attr-defined]
    reason = str(sig_dict.get("/Reason", ""))
    cert = None
    try:
        cert = sig.signer_cert  # type: ignore[attr-defined]
    except Exception:
        cert = None
    fp = hashlib.sha256(cert.dump()).hexdigest() if cert is not None else ""
    cn = org = ""
    if cert is not None:
        subject = cert.subject.native
        cn, org = str(subject.get("common_name", "")), str(subject.get("organization_name", ""))
    try:
        # trust is decided here (known fingerprints), not by a trust list: no roots at all
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[],
                                                               allow_fetching=False))
        intact, valid = bool(status.intact), bool(status.valid)
        signed_at = status.signer_reported_dt
        timestamped = status.timestamp_validity is not None
        if timestamped:
            signed_at = status.timestamp_validity.timestamp
        signed_rev = sig.signed_revision  # type: ignore[attr-defined]
        extra = sum(1 for r in range(signed_rev + 1, total_revisions) if r not in later)
        note = _modification_note(status.modification_level, status.coverage, extra,
                                   status.docmdp_ok)
        if note is None and not later and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            note = _("data was appended to the file after the last signature.")
    except Exception as exc:
        log.info("signature %s could not be validated: %s", name, exc)
        intact = valid = False
        signed_at, timestamped, note = None, False, None
    if not (intact and valid):
        result = Status.BROKEN
    elif note:
        result = Status.CHANGED
    elif fp in known:
        result = Status.VALID
    else:
        result = Status.UNTRUSTED
    lock = sig.sig_field.get("/Lock") if hasattr(sig, "sig_field") else None  # type: ignore
    return SignatureReport(
        field_name=name, party=party, signer_name=cn, signer_organisation=org, fingerprint=fp,
        known_identity=known.get(fp), signing_time=signed_at, timestamped=timestamped,
        intact=intact, valid=valid, changed_after=bool(note), change_note=note or "",
        locks_document=lock is not None and int(lock.get_object().get("/P", 0)) == 1,
        reason=reason, status=result)


def verify_pdf(data: bytes, known: KnownIdentities, file_name: str = "") -> DocumentReport:
    """The report for ``data``; never raises for a bad file (the report says what is wrong)."""
    quiet_pyhanko_logging()
    digest = hashlib.sha256(data).hexdigest()
    try:
        reader = open_reader(data)
        sigs = list(reader.embedded_signatures)  # type: ignore[attr-defined]
        total_revisions = reader.xrefs.total_revisions  # type: ignore[attr-defined]
    except SigningError as exc:
        return DocumentReport(file_name, digest, None, problem=str(exc))
    except Exception as exc:
        return DocumentReport(file_name, digest, None, problem=_(
            "The PDF is damaged and its signatures cannot be checked: {error}").format(error=exc))
    try:
        info: AgreementInfo | None = read_parties(data, reader)
    except SigningError:
        info = None
    sigs.sort(key=lambda s: s.signed_revision)
    revisions = [s.signed_revision for s in sigs]
    reports = tuple(_report_one(sig, i, revisions[i + 1:], total_revisions, info, known)
                    for i, sig in enumerate(sigs))
    signed = {r.field_name for r in reports}
    unsigned = tuple(p for p in (info.parties if info else ()) if p.field_name not in signed)
    return DocumentReport(file_name, digest, info, reports, unsigned=unsigned)


def report_as_dict(report: DocumentReport) -> dict[str, object]:
    """The report for ``--format json`` (stable keys, ISO times in UTC)."""
    def party(p: Party | None) -> dict[str, object] | None:
        return None if p is None else {"order": p.order, "label": p.label,
                                       "school": p.school_name}

    return {
        "file": report.file_name,
        "sha256": report.sha256,
        "ok": report.ok,
        "complete": report.complete,
        "locked": report.locked,
        "problem": report.problem,
        "agreement_number": report.agreement.number if report.agreement else None,
        "verdict": report.verdict(),
        "signatures": [{
            "field": s.field_name,
            "party": party(s.party),
            "signer": s.signer_name,
            "organisation": s.signer_organisation,
            "fingerprint": s.fingerprint,
            "known_identity": s.known_identity,
            "signing_time": s.signing_time.astimezone(dt.UTC).isoformat()
            if s.signing_time else None,
            "time_source": "timestamp" if s.timestamped else "signer_clock",
            "intact": s.intact,
            "valid": s.valid,
            "changed_after_signing": s.changed_after,
            "change_note": s.change_note,
            "trusted": s.trusted,
            "locks_document": s.locks_document,
            "reason": s.reason,
            "status": s.status.value,
            "verdict": s.verdict(),
        } for s in report.signatures],
        "unsigned_parties": [party(p) for p in report.unsigned],
    }
