"""Signing identities of the schools, and signing and verifying agreement PDFs.

An identity's key lives only in a password-protected PKCS#12 file in the data folder's
``identities/`` folder; the database keeps the certificate and its metadata (never the
passphrase). A row without a PKCS#12 file is another school's certificate, imported so that
its signatures are recognised as known. pyHanko and the signing package are imported inside
the methods: opening the app must not pay for them (STACK.md gotcha 19).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from jituan_desktop.atomic import write_bytes_atomic
from jituan_desktop.domain.validation import ReportBuilder, ValidationError, ValidationReport
from jituan_desktop.i18n import _
from jituan_desktop.paths import DataPaths
from jituan_desktop.persistence.agreement_models import SigningIdentityRow
from jituan_desktop.persistence.models import SchoolRow
from jituan_desktop.services.base import Changes, Database, NotFound

if TYPE_CHECKING:
    from jituan_desktop.signing.identities import CertificateInfo, LoadedIdentity
    from jituan_desktop.signing.verify import DocumentReport

REPRESENTATIVE_MAX = 50
LABEL_MAX = 100
ENTITY = "signing_identity"


@dataclass(frozen=True)
class SigningIdentity:
    id: int
    school_id: int
    school_name: str
    label: str
    fingerprint: str
    subject: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    p12_path: Path | None  # None: a certificate only (another school's)
    certificate_pem: str

    @property
    def can_sign(self) -> bool:
        return self.p12_path is not None

    @property
    def display(self) -> str:
        return f"{self.school_name} — {self.label}"


@dataclass(frozen=True)
class NewIdentity:
    """What the create form asks for."""

    school_id: int | None
    representative: str
    passphrase: str
    passphrase_again: str


@dataclass(frozen=True)
class SignOutcome:
    output: Path
    party_label: str
    school_name: str
    party_order: int
    parties: int
    locked: bool
    warnings: tuple[str, ...]


class SigningService:
    def __init__(self, db: Database, data: DataPaths) -> None:
        self.db = db
        self.folder = data.identities

    # ---- identities ----------------------------------------------------------------------

    def _to_identity(self, row: SigningIdentityRow, school_name: str) -> SigningIdentity:
        return SigningIdentity(
            row.id, row.school_id, school_name, row.label, row.fingerprint, row.subject,
            row.valid_from, row.valid_to, self.folder / row.p12_file if row.p12_file else None,
            row.certificate_pem)

    def list(self, school_id: int | None = None) -> list[SigningIdentity]:
        with self.db.reading() as s:
            query = (select(SigningIdentityRow, SchoolRow.name)
                     .join(SchoolRow, SchoolRow.id == SigningIdentityRow.school_id)
                     .where(SigningIdentityRow.deleted_at.is_(None))
                     .order_by(SchoolRow.name, SigningIdentityRow.id))
            if school_id is not None:
                query = query.where(SigningIdentityRow.school_id == school_id)
            return [self._to_identity(row, name) for row, name in s.execute(query)]

    def get(self, identity_id: int) -> SigningIdentity:
        for identity in self.list():
            if identity.id == identity_id:
                return identity
        raise NotFound(identity_id)

    def known_identities(self) -> dict[str, str]:
        """fingerprint → "school — label", for the verifier."""
        return {i.fingerprint: i.display for i in self.list()}

    def identity_schools(self) -> dict[str, str]:
        """fingerprint → the school the identity is registered for (the signer's party)."""
        return {i.fingerprint: i.school_name for i in self.list()}

    def validate_new(self, draft: NewIdentity) -> ValidationReport:
        from jituan_desktop.signing.identities import passphrase_problem

        r = ReportBuilder()
        r.check(draft.school_id is not None, "school", _("Choose the school."))
        name = draft.representative.strip()
        r.check(bool(name), "representative", _("Enter the name of the person who signs."))
        r.check(len(name) <= REPRESENTATIVE_MAX, "representative",
                _("At most {n} characters.").format(n=REPRESENTATIVE_MAX))
        problem = passphrase_problem(draft.passphrase)
        if problem:
            r.add("passphrase", problem)
        r.check(draft.passphrase == draft.passphrase_again, "passphrase_again",
                _("The two passphrases differ."))
        if draft.school_id is not None:
            with self.db.reading() as s:
                school = s.get(SchoolRow, draft.school_id)
                r.check(school is not None and school.deleted_at is None, "school",
                        _("This school no longer exists."))
        return r.build()

    def _school_name(self, school_id: int) -> str:
        with self.db.reading() as s:
            school = s.get(SchoolRow, school_id)
            if school is None or school.deleted_at is not None:
                raise ValidationError(ValidationReport({"school": _(
                    "This school no longer exists.")}))
            return school.name

    def _fingerprint_in_use(self, fingerprint: str, except_id: int | None = None) -> bool:
        with self.db.reading() as s:
            query = select(SigningIdentityRow.id).where(
                SigningIdentityRow.fingerprint == fingerprint,
                SigningIdentityRow.deleted_at.is_(None))
            if except_id is not None:
                query = query.where(SigningIdentityRow.id != except_id)
            return s.scalar(query) is not None

    def _register(self, school_id: int, info: CertificateInfo, pem: str, p12_name: str | None,
                  label: str, summary: str) -> tuple[SigningIdentity, Changes]:
        values = {"school_id": school_id, "label": label[:LABEL_MAX],
                  "fingerprint": info.fingerprint, "subject": info.subject_text[:300],
                  "valid_from": info.valid_from, "valid_to": info.valid_to,
                  "p12_file": p12_name, "certificate_pem": pem}
        with self.db.unit_of_work() as s:
            row = SigningIdentityRow(**values)
            s.add(row)
            s.flush()
            self.db.audit(s, "create", ENTITY, row.id, summary,
                          details={k: v for k, v in values.items() if k != "certificate_pem"})
            school = s.get(SchoolRow, school_id)
            identity = self._to_identity(row, school.name if school else "")
        return identity, Changes.of(ENTITY, ids=[identity.id])

    def _store_p12(self, data: bytes) -> str:
        name = f"{uuid.uuid4().hex}.p12"
        write_bytes_atomic(self.folder / name, data)
        return name

    def create(self, draft: NewIdentity) -> tuple[SigningIdentity, Changes]:
        """A new key and self-signed certificate for the school (takes about a second)."""
        from cryptography.hazmat.primitives import serialization

        from jituan_desktop.signing.identities import create_identity, load_pkcs12

        report = self.validate_new(draft)
        if not report.ok:
            raise ValidationError(report)
        assert draft.school_id is not None
        school = self._school_name(draft.school_id)
        name = f"{uuid.uuid4().hex}.p12"
        path = self.folder / name
        info = create_identity(path, school_name=school,
                               representative=draft.representative.strip(),
                               passphrase=draft.passphrase)
        try:
            cert = load_pkcs12(path, draft.passphrase).certificate
            pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
            return self._register(draft.school_id, info, pem, name,
                                  draft.representative.strip(),
                                  _("Created the signing identity of {school} ({name})").format(
                                      school=school, name=draft.representative.strip()))
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def import_p12(self, school_id: int, source: Path, passphrase: str,
                   label: str = "") -> tuple[SigningIdentity, Changes]:
        """Register a PKCS#12 file: its key and certificate are stored in the data folder as a
        new PKCS#12 under the same passphrase with the best available encryption (never the
        file as given: it may be unprotected or use legacy RC2/3DES). An empty passphrase is
        refused. WrongPassphrase / SigningError / ValidationError."""
        from cryptography.hazmat.primitives import serialization

        from jituan_desktop.signing.errors import SigningError
        from jituan_desktop.signing.identities import (
            load_pkcs12_bytes,
            protected_pkcs12,
            require_passphrase,
        )

        school = self._school_name(school_id)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise SigningError(_("The file {file} cannot be read: {error}").format(
                file=source, error=exc.strerror or exc)) from exc
        require_passphrase(passphrase)
        loaded = load_pkcs12_bytes(data, passphrase)
        self._check_new_fingerprint(loaded.info.fingerprint)
        name = self._store_p12(protected_pkcs12(loaded, passphrase))
        try:
            pem = loaded.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
            return self._register(
                school_id, loaded.info, pem, name, label or loaded.info.common_name or school,
                _("Imported a signing identity for {school} ({subject})").format(
                    school=school, subject=loaded.info.subject_text))
        except BaseException:
            (self.folder / name).unlink(missing_ok=True)
            raise

    def import_certificate(self, school_id: int, source: Path,
                           label: str = "") -> tuple[SigningIdentity, Changes]:
        """Register another school's certificate (no key): its signatures become known."""
        from cryptography.hazmat.primitives import serialization

        from jituan_desktop.signing.identities import certificate_info, read_certificate_file

        school = self._school_name(school_id)
        cert = read_certificate_file(source)
        info = certificate_info(cert)
        self._check_new_fingerprint(info.fingerprint)
        pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        return self._register(school_id, info, pem, None, label or info.common_name or school,
                              _("Imported the certificate of {school} ({subject})").format(
                                  school=school, subject=info.subject_text))

    def _check_new_fingerprint(self, fingerprint: str) -> None:
        if self._fingerprint_in_use(fingerprint):
            raise ValidationError(ValidationReport({"file": _(
                "This certificate is registered already.")}))

    def validate_restore(self, identity_id: int) -> ValidationReport:
        with self.db.reading() as s:
            row = s.get(SigningIdentityRow, identity_id)
            fingerprint = row.fingerprint if row else ""
        return ValidationReport({"file": _("the same certificate is registered again.")}
                                if self._fingerprint_in_use(fingerprint, identity_id) else {})

    def export_certificate(self, identity_id: int, path: Path) -> None:
        """The certificate (never the key) as PEM, for the other school to import."""
        write_bytes_atomic(path, self.get(identity_id).certificate_pem.encode("ascii"))

    def open_identity(self, identity_id: int, passphrase: str) -> tuple[LoadedIdentity, str]:
        """The loaded key and certificate, and the school it is registered for."""
        from jituan_desktop.signing.errors import SigningError
        from jituan_desktop.signing.identities import load_pkcs12

        identity = self.get(identity_id)
        if identity.p12_path is None:
            raise SigningError(_("{name} is a certificate of another school, without a key: it "
                                 "cannot sign.").format(name=identity.display))
        loaded = load_pkcs12(identity.p12_path, passphrase)
        if loaded.info.fingerprint != identity.fingerprint:
            raise SigningError(_("The identity file of {name} was replaced by another one; "
                                 "import it again.").format(name=identity.display))
        return loaded, identity.school_name

    def identity_for_file(self, p12: Path, passphrase: str) -> tuple[LoadedIdentity, str | None]:
        """An identity from any PKCS#12 file, and its school if the certificate is registered."""
        from jituan_desktop.signing.identities import load_pkcs12

        loaded = load_pkcs12(p12, passphrase)
        school = next((i.school_name for i in self.list()
                       if i.fingerprint == loaded.info.fingerprint), None)
        return loaded, school

    # ---- signing and verifying -------------------------------------------------------------

    def sign_agreement_file(self, source: Path, output: Path, *, passphrase: str, party: int,
                            identity_id: int | None = None, p12: Path | None = None,
                            signer_name: str = "", role: str = "", reason: str = "",
                            seal_png: Path | None = None, seal_mm: float | None = None,
                            ) -> SignOutcome:
        """Party ``party`` signs ``source`` into ``output`` (written atomically; ``source`` is
        never changed; nothing is written when signing is refused). SigningError."""
        from jituan_desktop.signing.appearance import DEFAULT_SEAL_MM, load_seal
        from jituan_desktop.signing.errors import SigningError
        from jituan_desktop.signing.sign import DEFAULT_REASON, SignRequest, sign_pdf

        if output.resolve() == source.resolve():
            raise SigningError(_("Save the signed agreement as a new file; the file you sign "
                                 "from is kept unchanged."))
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise SigningError(_("The file {file} cannot be read: {error}").format(
                file=source, error=exc.strerror or exc)) from exc
        if identity_id is not None:
            loaded, school = self.open_identity(identity_id, passphrase)
        elif p12 is not None:
            loaded, school = self.identity_for_file(p12, passphrase)
        else:
            raise SigningError(_("Choose the signing identity."))
        seal = load_seal(seal_png, seal_mm or DEFAULT_SEAL_MM) if seal_png else None
        result = sign_pdf(data, loaded, SignRequest(
            party=party, signer_name=signer_name, role=role, reason=reason or DEFAULT_REASON,
            seal=seal, identity_school=school), self.known_identities(),
            identity_schools=self.identity_schools())
        try:
            write_bytes_atomic(output, result.data)
        except OSError as exc:
            raise SigningError(_("The signed file {file} could not be written: {error}").format(
                file=output, error=exc.strerror or exc)) from exc
        return SignOutcome(output, result.party.label, result.party.school_name,
                           result.party.order, len(result.agreement.parties), result.locked,
                           (seal.warning,) if seal and seal.warning else ())

    def verify_bytes(self, data: bytes, file_name: str = "") -> DocumentReport:
        from jituan_desktop.signing.verify import verify_pdf

        return verify_pdf(data, self.known_identities(), file_name,
                          identity_schools=self.identity_schools())

    def verify_file(self, path: Path) -> DocumentReport:
        from jituan_desktop.signing.errors import SigningError

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SigningError(_("The file {file} cannot be read: {error}").format(
                file=path, error=exc.strerror or exc)) from exc
        return self.verify_bytes(data, path.name)
