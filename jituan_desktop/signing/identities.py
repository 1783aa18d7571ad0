"""Signing identities: a private key and its certificate, kept only in a PKCS#12 file.

A school's identity is created in the app (RSA 3072 key, self-signed X.509 certificate with
O = school name and CN = representative) or imported from any standard PKCS#12 file, e.g. one
made with ``openssl pkcs12 -export``. The passphrase protects the file and is never stored.
The SHA-256 fingerprint of the certificate, read aloud or printed, lets the other school
check that the certificate in a signed PDF is really ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from jituan_desktop.atomic import write_bytes_atomic
from jituan_desktop.i18n import _
from jituan_desktop.signing.errors import SigningError, WrongPassphrase

KEY_BITS = 3072
VALID_YEARS = 10
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class CertificateInfo:
    """What the user sees of a certificate."""

    fingerprint: str  # SHA-256 of the DER certificate, 64 lowercase hex digits
    common_name: str  # CN: the representative
    organisation: str  # O: the school
    valid_from: dt.datetime  # UTC, naive
    valid_to: dt.datetime
    self_signed: bool

    @property
    def subject_text(self) -> str:
        return " / ".join(part for part in (self.organisation, self.common_name) if part)


@dataclass(frozen=True)
class LoadedIdentity:
    key: object  # a cryptography private key
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    info: CertificateInfo


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def format_fingerprint(hex_digits: str, *, per_line: int = 8) -> str:
    """``AB12 CD34 …`` in groups of four, ``per_line`` groups a line: easy to read aloud."""
    digits = hex_digits.replace(" ", "").replace(":", "").upper()
    groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    lines = [" ".join(groups[i:i + per_line]) for i in range(0, len(groups), per_line)]
    return "\n".join(lines)


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        fingerprint=fingerprint(cert),
        common_name=_name_part(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_part(cert.subject, NameOID.ORGANIZATION_NAME),
        valid_from=cert.not_valid_before_utc.replace(tzinfo=None),
        valid_to=cert.not_valid_after_utc.replace(tzinfo=None),
        self_signed=cert.issuer == cert.subject,
    )


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too weak, or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return _("Use at least {n} characters.").format(n=MIN_PASSPHRASE)
    if passphrase.isdigit() or passphrase.isalpha():
        return _("Mix letters with digits or other characters.")
    return None


def passphrase_strength(passphrase: str) -> str:
    """A short hint shown while the user types a new passphrase."""
    if passphrase_problem(passphrase):
        return _("weak")
    kinds = sum(any(test(c) for c in passphrase) for test in
                (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    return _("strong") if len(passphrase) >= 12 and kinds >= 3 else _("fair")


def create_identity(path: Path, *, school_name: str, representative: str, passphrase: str,
                    now: dt.datetime | None = None) -> CertificateInfo:
    """Make a key and a self-signed certificate and write them to ``path`` (PKCS#12, atomic)."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise SigningError(_("The passphrase is too weak: {problem}").format(problem=problem))
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, school_name),
        x509.NameAttribute(NameOID.COMMON_NAME, representative),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now.replace(year=now.year + VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        f"{school_name} {representative}".encode(), key, cert, None,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    write_bytes_atomic(path, data)
    return certificate_info(cert)


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3"
    except Exception:
        return False


def load_pkcs12_bytes(data: bytes, passphrase: str) -> LoadedIdentity:
    """Open a PKCS#12 identity; WrongPassphrase or SigningError with a clear message."""
    if not _looks_like_pkcs12(data):
        raise SigningError(_("This file is not a signing identity (PKCS#12, .p12 or .pfx)."))
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, passphrase.encode("utf-8") if passphrase else None)
    except ValueError as exc:
        raise WrongPassphrase(_("The passphrase is wrong: the signing identity could not be "
                                "opened. Check the passphrase (it is case-sensitive) and "
                                "try again.")) from exc
    if key is None or cert is None:
        raise SigningError(_("The PKCS#12 file holds no private key and certificate pair; "
                             "it cannot be used for signing."))
    return LoadedIdentity(key, cert, tuple(extra or ()), certificate_info(cert))


def protected_pkcs12(identity: LoadedIdentity, passphrase: str) -> bytes:
    """``identity`` as a new PKCS#12 file under ``passphrase`` with the best encryption
    cryptography offers (AES-256, PBKDF2): an imported file may be unprotected or use legacy
    RC2/3DES, and is never stored as given. SigningError for an empty passphrase."""
    require_passphrase(passphrase)
    name = " ".join(p for p in (identity.info.organisation, identity.info.common_name) if p)
    return pkcs12.serialize_key_and_certificates(
        name.encode("utf-8") or None, identity.key,  # type: ignore[arg-type]
        identity.certificate, list(identity.chain) or None,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))


def require_passphrase(passphrase: str) -> None:
    """SigningError when an identity to import comes without a passphrase."""
    if not passphrase:
        raise SigningError(_("A signing identity is kept only under a passphrase, and none was "
                             "given. If the file has no passphrase, protect it with one first "
                             "(for example with \"openssl pkcs12 -export\") and import it "
                             "again."))


def load_pkcs12(path: Path, passphrase: str) -> LoadedIdentity:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(_("The signing identity {file} cannot be read: {error}").format(
            file=path, error=exc.strerror or exc)) from exc
    return load_pkcs12_bytes(data, passphrase)


def read_certificate_file(path: Path) -> x509.Certificate:
    """A certificate the other school exported (.cer/.crt, PEM or DER)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(_("The certificate {file} cannot be read: {error}").format(
            file=path, error=exc.strerror or exc)) from exc
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise SigningError(_("This file is not a certificate (.cer, .crt or .pem).")) from exc


def export_certificate(cert: x509.Certificate, path: Path) -> None:
    """Write the certificate (never the key) as PEM, for the other school."""
    write_bytes_atomic(path, cert.public_bytes(serialization.Encoding.PEM))
