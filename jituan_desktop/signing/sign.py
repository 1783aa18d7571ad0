"""Add one party's PAdES signature to an agreement PDF, in the fixed signing order.

Before party N signs: the PDF must name its parties and hold their empty fields; fields
Party1 … PartyN-1 must be signed and PartyN empty (else "out of order"); every existing
signature must be intact with nothing but later signatures added after it (else "changed");
and the identity must belong to party N's school (else "not a party"). The signature is an
incremental update, so earlier signatures stay valid. Returns the new bytes; the caller writes
them (atomically) — nothing here touches a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass

from jituan_desktop.i18n import _
from jituan_desktop.signing.agreement_info import (
    AgreementInfo,
    Party,
    open_reader,
    read_signed_parties,
    same_name,
)
from jituan_desktop.signing.appearance import AppearanceText, Seal, render_appearance
from jituan_desktop.signing.errors import ChangedAfterSigning, NotAParty, OutOfOrder, SigningError
from jituan_desktop.signing.identities import LoadedIdentity
from jituan_desktop.signing.verify import IdentitySchools, KnownIdentities, verify_pdf

DEFAULT_REASON = "签署合作协议"


@dataclass(frozen=True)
class SignRequest:
    party: int  # 1-based signing order
    signer_name: str = ""  # default: the certificate's CN
    role: str = ""  # 校长, 法定代表人, …
    reason: str = DEFAULT_REASON
    location: str = ""
    seal: Seal | None = None
    identity_school: str | None = None  # the school a registered identity belongs to


@dataclass(frozen=True)
class SignResult:
    data: bytes
    agreement: AgreementInfo
    party: Party
    locked: bool  # this signature locked the document (the last party's field has a /Lock)


__all__ = ["DEFAULT_REASON", "SignRequest", "SignResult", "same_name", "sign_pdf"]


def check_order(info: AgreementInfo, filled: dict[str, bool], order: int) -> Party:
    """Party ``order`` if it is its turn; OutOfOrder otherwise."""
    party = info.party(order)
    missing = [p for p in info.parties if p.field_name not in filled]
    if missing:
        raise SigningError(_("This PDF has no signature field for {label} {school}; render the "
                             "agreement again with Jituan Desktop.").format(
            label=missing[0].label, school=missing[0].school_name))
    if filled[party.field_name]:
        raise OutOfOrder(_("{label} {school} has signed this agreement already.").format(
            label=party.label, school=party.school_name))
    for earlier in info.parties:
        if earlier.order < order and not filled[earlier.field_name]:
            raise OutOfOrder(_("Out of order: {label} {school} has to sign before {party}.")
                             .format(label=earlier.label, school=earlier.school_name,
                                     party=party.label))
    return party


def check_party(party: Party, identity: LoadedIdentity, identity_school: str | None) -> None:
    """The identity's school (registered here, else the certificate's O) must be the party."""
    school = identity_school if identity_school is not None else identity.info.organisation
    if not same_name(school, party.school_name):
        raise NotAParty(_("Not a party of this agreement: the identity belongs to \"{school}\", "
                          "but {label} is \"{party}\".").format(
            school=school or identity.info.subject_text, label=party.label,
            party=party.school_name))


def _signer(identity: LoadedIdentity) -> object:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    key = asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(  # type: ignore[attr-defined]
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert = asn1_x509.Certificate.load(identity.certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in identity.chain]
    loaded_key = identity.key

    class _LoadedKeySigner(signers.SimpleSigner):
        """pyHanko re-parses the DER key for every raw signature (twice per PDF signature), and
        cryptography re-checks an RSA key on each parse: ~130 ms each for RSA 3072. The key
        is already loaded (and checked once) by load_pkcs12, so sign with it directly."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric import ec, rsa
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from pyhanko.sign.general import get_pyca_cryptography_hash

            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(loaded_key, rsa.RSAPrivateKey):
                return loaded_key.sign(data, PKCS1v15(), hash_algo)
            if mechanism == "ecdsa" and isinstance(loaded_key, ec.EllipticCurvePrivateKey):
                return loaded_key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return _LoadedKeySigner(signing_cert=cert, signing_key=key,
                            # the signing certificate is embedded by pyHanko itself: listing
                            # it here too would embed it twice
                            cert_registry=SimpleCertificateStore.from_certs(chain))


def _reserved_bytes(identity: LoadedIdentity) -> int:
    """Room for the CMS signature in /Contents (hex: twice its DER size). pyHanko would
    otherwise make a whole dummy signature first just to measure it; the CMS holds the
    certificates, the signature value and a few hundred bytes of attributes."""
    from cryptography.hazmat.primitives import serialization

    certs = sum(len(c.public_bytes(serialization.Encoding.DER))
                for c in (identity.certificate, *identity.chain))
    key_bytes = (getattr(identity.key, "key_size", 4096) + 7) // 8
    return 2 * (certs + key_bytes + 2048)


def _field_size(reader: object, name: str) -> tuple[float, float]:
    from pyhanko.sign.fields import enumerate_sig_fields

    for found, _value, ref in enumerate_sig_fields(reader, with_name=name):
        if found == name:
            rect = [float(v) for v in ref.get_object()["/Rect"]]
            return abs(rect[2] - rect[0]), abs(rect[3] - rect[1])
    raise SigningError(_("The signature field {name} is missing.").format(name=name))


def sign_pdf(data: bytes, identity: LoadedIdentity, request: SignRequest,
             known: KnownIdentities, *, now: dt.datetime | None = None,
             identity_schools: IdentitySchools | None = None) -> SignResult:
    """Party ``request.party`` signs ``data``; SigningError (with a user message) if refused.

    Refused too when any existing signature is not acceptable to ``verify_pdf`` (broken,
    changed after, in a field of no party, out of order, or by another school)."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import (
        AxisAlignment,
        BoxConstraints,
        InnerScaling,
        Margins,
        SimpleBoxLayoutRule,
    )
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter, enumerate_sig_fields
    from pyhanko.stamp import StaticStampStyle

    reader = open_reader(data)
    info = read_signed_parties(data, reader)
    filled = {name: value is not None for name, value, _ref in enumerate_sig_fields(reader)}
    party = check_order(info, filled, request.party)
    if any(filled.values()):
        report = verify_pdf(data, known, identity_schools=identity_schools)
        if not report.ok:
            raise ChangedAfterSigning(_("Signing refused: {verdict}").format(
                verdict=report.verdict()))
    check_party(party, identity, request.identity_school)
    now = now or dt.datetime.now().astimezone()
    width, height = _field_size(reader, party.field_name)
    name = request.signer_name or identity.info.common_name
    picture = render_appearance((width, height), AppearanceText(
        signer=name, role=request.role, signed_at=now.replace(tzinfo=None),
        reason=request.reason, fingerprint=identity.info.fingerprint), request.seal)
    style = StaticStampStyle(
        background=PdfImage(picture, box=BoxConstraints(width, height)),
        background_opacity=1.0, border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(0), inner_content_scaling=InnerScaling.STRETCH_FILL))
    meta = signers.PdfSignatureMetadata(
        field_name=party.field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        reason=request.reason or None, location=request.location or None, name=name,
        docmdp_permissions=MDPPerm.NO_CHANGES)  # used only by the last party's /Lock
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    try:
        signers.PdfSigner(meta, signer=_signer(identity), stamp_style=style).sign_pdf(
            writer, existing_fields_only=True, bytes_reserved=_reserved_bytes(identity),
            output=out)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(_("The signature could not be made: {error}").format(
            error=exc)) from exc
    locked = party.order == len(info.parties) and _field_locks(reader, party.field_name)
    return SignResult(out.getvalue(), info, party, locked)


def preload() -> None:
    """Import pyHanko's signing modules and load the appearance font, so that the first
    signature of a process costs what later ones do (the sign dialog calls this in the
    background when it opens; benchmarks/RESULTS.md has the cold and warm figures)."""
    import pyhanko.pdf_utils.incremental_writer
    import pyhanko.sign.signers
    import pyhanko.sign.validation
    import pyhanko.stamp  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401

    with contextlib.suppress(SigningError):  # no CJK font: signing will say so
        render_appearance((60.0, 40.0), AppearanceText("预热", "", dt.datetime(2026, 1, 1), ""))


def _field_locks(reader: object, name: str) -> bool:
    from pyhanko.sign.fields import enumerate_sig_fields

    for found, _value, ref in enumerate_sig_fields(reader, with_name=name):
        lock = ref.get_object().get("/Lock")
        return found == name and lock is not None and int(lock.get_object().get("/P", 0)) == 1
    return False
