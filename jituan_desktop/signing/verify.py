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

A signature also has to belong to the agreement: the parties are read from the revision the
first signature covers (a later update cannot rename them), and signature k (in the order the
signatures were added) must sit in the field of party k and come from party k's school — the
school a registered identity belongs to, else the certificate's organisation (O). A signature
in any other field, a party that signed before an earlier one, or a signer from another school
makes the document not acceptable, whatever the cryptography says.

The bytes of /Contents are checked too, as pyHanko and poppler do not: the embedded
certificate must carry a valid signature of its issuer (itself, for the self-signed
certificates this app makes), and everything after the DER-encoded CMS must be zero padding.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from jituan_desktop.i18n import _, format_datetime, ngettext
from jituan_desktop.signing.agreement_info import (
    AgreementInfo,
    Party,
    open_reader,
    read_signed_parties,
    same_name,
)
from jituan_desktop.signing.errors import SigningError

log = logging.getLogger(__name__)

# fingerprint (hex) -> a label of the registered identity, e.g. "阿拉善左旗第一实验小学 / 张明"
KnownIdentities = Mapping[str, str]
# fingerprint (hex) -> the school a registered identity belongs to
IdentitySchools = Mapping[str, str]


class Status(enum.Enum):
    VALID = "valid"  # intact, unchanged after it, from a known identity
    UNTRUSTED = "untrusted"  # intact and unchanged, but the certificate is not known here
    CHANGED = "changed"  # intact when signed, but the file was changed afterwards
    BROKEN = "broken"  # the signed bytes or the signature itself were altered
    EXTRA_SIGNATURE = "extra_signature"  # in a field that belongs to no party of the agreement
    OUT_OF_ORDER = "out_of_order"  # in a party's field, but before an earlier party signed
    NOT_A_PARTY = "not_a_party"  # in a party's field, but the signer is another school


NOT_ACCEPTABLE = (Status.EXTRA_SIGNATURE, Status.OUT_OF_ORDER, Status.NOT_A_PARTY)


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
        if self.status is Status.EXTRA_SIGNATURE:
            return _("Not part of the agreement: {who} ({organisation}) signed in the field "
                     "\"{field}\", which belongs to none of its parties. Do not rely on this "
                     "document.").format(who=who, organisation=self.signer_organisation or "?",
                                         field=self.field_name)
        party = f"{self.party.label} {self.party.school_name}" if self.party else self.field_name
        if self.status is Status.OUT_OF_ORDER:
            return _("Out of order: this signature in the field of {party} was added before "
                     "the parties ahead of it in the signing order had signed. Do not rely on "
                     "this document.").format(party=party)
        if self.status is Status.NOT_A_PARTY:
            return _("Not a party: {who} ({organisation}) signed in the field of {party}, but "
                     "is not from that school. Do not rely on this document.").format(
                who=who, organisation=self.signer_organisation or "?", party=party)
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
        """Every signature intact, unchanged and by the right party in turn (exit code 0)."""
        return self.problem is None and self.agreement is not None and bool(
            self.signatures) and all(s.ok for s in self.signatures)

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
            return ngettext("Do not rely on this document: {n} of its signatures is broken "
                            "(the signed content was altered).",
                            "Do not rely on this document: {n} of its signatures are broken "
                            "(the signed content was altered).", broken).format(n=broken)
        if changed:
            return _("Do not rely on this document: it was changed after it was signed.")
        if self.agreement is None:
            return _("The signatures are intact, but this PDF does not name the parties of a "
                     "cooperation agreement, so they cannot be checked against them.")
        if any(s.status is Status.EXTRA_SIGNATURE for s in self.signatures):
            return _("Do not rely on this document: it carries a signature that belongs to "
                     "none of the agreement's parties.")
        if any(s.status is Status.NOT_A_PARTY for s in self.signatures):
            return _("Do not rely on this document: a signature in a party's field was made "
                     "by someone who is not from that party's school.")
        if any(s.status is Status.OUT_OF_ORDER for s in self.signatures):
            return _("Do not rely on this document: the parties did not sign in the agreed "
                     "order (party 1 first, then 2, …).")
        total = len(self.agreement.parties)
        if self.unsigned:
            text = _("Signed by {done} of {total} parties so far; the signatures are intact and "
                     "the document is unchanged. Next to sign: {next}.").format(
                done=total - len(self.unsigned), total=total,
                next=f"{self.unsigned[0].label} {self.unsigned[0].school_name}".strip())
        else:
            text = _("All {total} parties have signed; every signature is intact and the "
                     "document is unchanged.").format(total=total)
            if self.locked:
                text += " " + _("The last signature locked the document against any change.")
        if untrusted:
            text += " " + ngettext(
                "{n} of the certificates is not known on this computer: compare its "
                "fingerprint with the school.",
                "{n} of the certificates are not known on this computer: compare their "
                "fingerprints with the schools.", untrusted).format(n=untrusted)
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
        return ngettext("{n} update that is not a signature was added to the file after it.",
                        "{n} updates that are not signatures were added to the file after it.",
                        extra_revisions).format(n=extra_revisions)
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


def _der_length(data: bytes) -> int | None:
    """The length of the DER element at the start of ``data`` (header included), or None."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    first = data[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if not 1 <= n <= 4 or len(data) < 2 + n:
        return None
    return 2 + n + int.from_bytes(data[2:2 + n], "big")


def _self_signature_ok(cert: object) -> bool:
    """Whether the certificate's own key verifies its signature (a self-signed certificate)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = cert.public_key()  # type: ignore[attr-defined]
    algo = cert.signature_hash_algorithm  # type: ignore[attr-defined]
    sig, tbs = cert.signature, cert.tbs_certificate_bytes  # type: ignore[attr-defined]
    try:
        if isinstance(key, rsa.RSAPublicKey) and algo is not None:
            key.verify(sig, tbs, padding.PKCS1v15(), algo)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algo is not None:
            key.verify(sig, tbs, ec.ECDSA(algo))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _contents_intact(sig: object, known: KnownIdentities) -> bool:
    """Nothing but zero bytes after the CMS in /Contents, and an embedded certificate whose
    bytes are its issuer's: verified by its own key (the self-signed certificates this app
    makes), by an issuer embedded in the CMS, or byte for byte a registered certificate
    (its fingerprint is known). A certificate that cannot be checked in any of these ways is
    treated as altered. None of this is covered by the signature value, so pyHanko's
    ``intact`` does not see it."""
    from cryptography import x509 as crypto_x509

    contents = bytes(sig.sig_object["/Contents"])  # type: ignore[attr-defined]
    length = _der_length(contents)
    if length is None or length > len(contents) or any(contents[length:]):
        return False
    # every certificate in the CMS, duplicates included (pyHanko's lists leave copies out)
    embedded = [choice.chosen for choice in
                sig.signed_data["certificates"]]  # type: ignore[attr-defined]
    if not embedded:
        return False
    certs = [crypto_x509.load_der_x509_certificate(c.dump()) for c in embedded]
    return all(_certificate_checked(c, certs, known) for c in certs)


def _certificate_checked(cert: object, embedded: list[object], known: KnownIdentities) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    der = cert.public_bytes(serialization.Encoding.DER)  # type: ignore[attr-defined]
    if hashlib.sha256(der).hexdigest() in known or _self_signature_ok(cert):
        return True
    for issuer in embedded:
        if issuer is not cert and issuer.subject == cert.issuer:  # type: ignore[attr-defined]
            try:
                cert.verify_directly_issued_by(issuer)  # type: ignore[attr-defined]
                return True
            except (InvalidSignature, ValueError, TypeError):
                continue
    return False


def _signer_school(fingerprint: str, organisation: str, schools: IdentitySchools) -> str:
    """The school a registered identity belongs to, else the certificate's O."""
    return schools.get(fingerprint, organisation)


def _report_one(sig: object, later: list[int], total_revisions: int,
                info: AgreementInfo | None, position: int, known: KnownIdentities,
                schools: IdentitySchools) -> SignatureReport:
    """``position``: 1 for the earliest signature, 2 for the next, … — the party it must be."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    name = sig.field_name  # type: ignore[attr-defined]
    party = None
    if info is not None and name.startswith("Party") and name[5:].isdigit():
        party = next((p for p in info.parties if p.order == int(name[5:])), None)
    sig_dict = sig.sig_object  # type: ignore[attr-defined]
    reason = str(sig_dict.get("/Reason", ""))
    fp = cn = org = ""
    try:
        cert = sig.signer_cert  # type: ignore[attr-defined]
        fp = hashlib.sha256(cert.dump()).hexdigest()
        subject = cert.subject.native
        cn, org = str(subject.get("common_name", "")), str(subject.get("organization_name", ""))
    except Exception:
        cert = None
    try:
        # trust is decided here (known fingerprints), not by a trust list: no roots at all
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[],
                                                               allow_fetching=False))
        intact, valid = bool(status.intact), bool(status.valid)
        if intact and not _contents_intact(sig, known):
            intact = False
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
    if cert is None or not (intact and valid):
        result = Status.BROKEN
    elif note:
        result = Status.CHANGED
    elif info is not None and party is None:
        result = Status.EXTRA_SIGNATURE
    elif party is not None and party.order != position:
        result = Status.OUT_OF_ORDER
    elif party is not None and not same_name(_signer_school(fp, org, schools),
                                             party.school_name):
        result = Status.NOT_A_PARTY
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


def verify_pdf(data: bytes, known: KnownIdentities, file_name: str = "", *,
               identity_schools: IdentitySchools | None = None) -> DocumentReport:
    """The report for ``data``; never raises for a bad file (the report says what is wrong).

    ``identity_schools``: the school each registered identity (by fingerprint) belongs to; a
    signer that is not registered is matched to the party by its certificate's O."""
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
        info: AgreementInfo | None = read_signed_parties(data, reader)
    except SigningError:
        info = None
    sigs.sort(key=lambda s: s.signed_revision)
    revisions = [s.signed_revision for s in sigs]
    reports = tuple(_report_one(sig, revisions[i + 1:], total_revisions, info, i + 1, known,
                                identity_schools or {})
                    for i, sig in enumerate(sigs))
    signed = {r.field_name for r in reports if r.ok}
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
