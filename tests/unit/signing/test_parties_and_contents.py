"""A signature must belong to the agreement (right field, right school, in turn), and nothing in
/Contents outside the signature value may change: cases a reviewer made with plain pyHanko."""

from __future__ import annotations

import io

import pytest

from jituan_desktop.signing.errors import SigningError
from jituan_desktop.signing.sign import SignRequest, sign_pdf
from jituan_desktop.signing.verify import Status, report_as_dict, verify_pdf
from tests.unit.signing.conftest import (
    PASSPHRASE,
    SCHOOL_A,
    SCHOOL_B,
    SCHOOL_X,
    agreement_with_fields,
)


def plain_pyhanko_sign(data: bytes, p12, field: str, *, new_field: bool = False,
                       rename: tuple[str, str] | None = None) -> bytes:
    """Sign ``field`` with pyHanko directly, as anyone could, bypassing the app's checks;
    ``rename`` also replaces a school's name in the parties in the same update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE.encode())
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if new_field:
        fields.append_signature_field(w, fields.SigFieldSpec(field, on_page=0,
                                                             box=(10, 10, 100, 60)))
    if rename:
        info = w.trailer["/Info"].get_object()
        for key in ("/JituanAgreement", "/Keywords"):
            if key in info:
                info[generic.NameObject(key)] = generic.TextStringObject(
                    str(info[key]).replace(*rename))
        w.update_container(info)
    out = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer).sign_pdf(
        w, output=out, existing_fields_only=not new_field)
    return out.getvalue()


@pytest.fixture
def first_signed(identities, known) -> bytes:
    return sign_pdf(agreement_with_fields(), identities["a"].loaded, SignRequest(1),
                    known).data


def test_a_stranger_signing_in_a_party_field_is_not_a_party(first_signed, identities,
                                                            known) -> None:
    data = plain_pyhanko_sign(first_signed, identities["x"].path, "Party2")
    report = verify_pdf(data, known)
    assert [s.status for s in report.signatures] == [Status.VALID, Status.NOT_A_PARTY]
    assert not report.ok and not report.complete
    assert [p.school_name for p in report.unsigned] == [SCHOOL_B]
    assert "not from that party's school" in report.verdict()
    assert SCHOOL_X in report.signatures[1].verdict()
    as_json = report_as_dict(report)
    assert as_json["ok"] is False and as_json["signatures"][1]["status"] == "not_a_party"


def test_the_right_school_signing_with_plain_pyhanko_is_accepted(first_signed, identities,
                                                                 known) -> None:
    data = plain_pyhanko_sign(first_signed, identities["b"].path, "Party2")
    report = verify_pdf(data, known)
    assert report.ok and report.complete, report.verdict()


def test_a_registered_identity_counts_for_its_registered_school_when_verifying(
        identities, known) -> None:
    x = identities["x"].loaded
    one = sign_pdf(agreement_with_fields(), x, SignRequest(1, identity_school=SCHOOL_A),
                   known).data
    assert verify_pdf(one, known).signatures[0].status is Status.NOT_A_PARTY
    report = verify_pdf(one, known, identity_schools={x.info.fingerprint: SCHOOL_A})
    assert report.ok and report.signatures[0].status is Status.UNTRUSTED


def test_the_second_party_signing_first_is_out_of_order_and_blocks_signing(identities,
                                                                           known) -> None:
    data = plain_pyhanko_sign(agreement_with_fields(), identities["b"].path, "Party2")
    report = verify_pdf(data, known)
    assert [s.status for s in report.signatures] == [Status.OUT_OF_ORDER]
    assert not report.ok and "order" in report.verdict()
    with pytest.raises(SigningError, match="Signing refused"):
        sign_pdf(data, identities["a"].loaded, SignRequest(1), known)
    both = plain_pyhanko_sign(data, identities["a"].path, "Party1")  # 甲方 on top, by hand
    assert not verify_pdf(both, known).ok


def test_a_signature_in_a_new_field_is_an_extra_signature(first_signed, identities,
                                                          known) -> None:
    data = plain_pyhanko_sign(first_signed, identities["x"].path, "Extra", new_field=True)
    report = verify_pdf(data, known)
    assert [s.status for s in report.signatures] == [Status.VALID, Status.EXTRA_SIGNATURE]
    assert not report.ok and "none of the agreement's parties" in report.verdict()
    assert "1 of 2" not in report.verdict() and "of 3" not in report.verdict()
    with pytest.raises(SigningError, match="Signing refused"):
        sign_pdf(data, identities["b"].loaded, SignRequest(2), known)


def test_a_signature_added_after_the_lock_is_flagged(first_signed, identities,
                                                     known) -> None:
    two = sign_pdf(first_signed, identities["b"].loaded, SignRequest(2), known)
    assert two.locked and verify_pdf(two.data, known).locked
    data = plain_pyhanko_sign(two.data, identities["x"].path, "Extra", new_field=True)
    report = verify_pdf(data, known)
    assert not report.ok and not report.locked
    assert report.signatures[-1].status is Status.EXTRA_SIGNATURE


def test_parties_are_read_from_the_first_signed_revision(first_signed, identities,
                                                         known) -> None:
    """A stranger renames 乙方 to its own school in the update that carries its signature."""
    data = plain_pyhanko_sign(first_signed, identities["x"].path, "Party2",
                              rename=(SCHOOL_B, SCHOOL_X))
    from jituan_desktop.signing.agreement_info import read_parties

    assert read_parties(data).parties[1].school_name == SCHOOL_X  # the latest /Info says so
    report = verify_pdf(data, known)
    assert report.agreement is not None
    assert [p.school_name for p in report.agreement.parties] == [SCHOOL_A, SCHOOL_B]
    assert report.signatures[1].status is Status.NOT_A_PARTY and not report.ok


# ---- /Contents outside the signature value -------------------------------------------------

def _contents_span(data: bytes) -> tuple[int, bytes]:
    """Where the last signature's hex /Contents starts in the file, and its bytes."""
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    return start, bytes.fromhex(data[start:end].decode("ascii"))


def _offset(contents: bytes, where: str) -> int:
    from asn1crypto import cms

    info = cms.ContentInfo.load(contents)
    signed = info["content"]
    signer = signed["signer_infos"][0]
    length = len(info.dump())
    if where == "certificate":  # the subject's organisation name inside the certificate
        cert = signed["certificates"][0].chosen.dump()
        return contents.index(cert) + cert.index(SCHOOL_A.encode()) + 3
    if where == "signed_attribute":  # a byte of the message digest attribute
        digest = next(a["values"][0].native for a in signer["signed_attrs"]
                      if a["type"].native == "message_digest")
        return contents.index(digest) + 5
    if where == "signature_value":
        return contents.index(signer["signature"].native) + 17
    assert where == "padding"
    return length + 20


@pytest.mark.parametrize("where", ["certificate", "signed_attribute", "signature_value",
                                   "padding"])
def test_a_changed_hex_digit_in_contents_is_broken(first_signed, known, where) -> None:
    start, contents = _contents_span(first_signed)
    pos = start + 2 * _offset(contents, where)
    data = bytearray(first_signed)
    data[pos] = ord("7") if data[pos] != ord("7") else ord("3")
    report = verify_pdf(bytes(data), known)
    assert not report.ok, where
    assert report.problem or report.signatures[0].status is Status.BROKEN, where


def test_the_appearance_text_is_chinese_whatever_the_ui_language() -> None:
    import datetime as dt

    from jituan_desktop.signing.appearance import AppearanceText

    lines = AppearanceText("张明", "校长", dt.datetime(2026, 11, 27, 8, 18), "签署合作协议",
                           "ab" * 32).lines()  # the UI speaks English in these tests
    assert lines[:4] == ["签署人：张明", "职务：校长", "时间：2026年11月27日 08:18",
                         "事由：签署合作协议"]
    assert lines[4].startswith("证书指纹：ABAB ABAB")


def test_a_changed_copy_of_a_certificate_embedded_twice_is_broken(identities, known) -> None:
    """Older versions of this app embedded the signer's certificate twice; pyHanko reads only
    one copy, so a change in the other one has to be caught too."""
    from asn1crypto import cms
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    loaded = signers.SimpleSigner.load_pkcs12(str(identities["a"].path),
                                              passphrase=PASSPHRASE.encode())
    twice = signers.SimpleSigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
        cert_registry=SimpleCertificateStore.from_certs([loaded.signing_cert]))
    out = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Party1"), signer=twice).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(agreement_with_fields()), strict=False),
        output=out, existing_fields_only=True)
    data = out.getvalue()
    assert verify_pdf(data, known).ok
    start, contents = _contents_span(data)
    certs = cms.ContentInfo.load(contents)["content"]["certificates"]
    assert len(certs) == 2
    for copy in range(2):
        der = certs[copy].chosen.dump()
        at = contents.index(der, contents.index(der) + 1 if copy else 0)
        pos = start + 2 * (at + 40)  # inside the to-be-signed part
        changed = bytearray(data)
        changed[pos] = ord("7") if changed[pos] != ord("7") else ord("3")
        report = verify_pdf(bytes(changed), known)
        assert not report.ok and report.signatures[0].status is Status.BROKEN, copy


def test_the_app_embeds_the_signing_certificate_once(first_signed) -> None:
    from asn1crypto import cms

    _start, contents = _contents_span(first_signed)
    assert len(cms.ContentInfo.load(contents)["content"]["certificates"]) == 1
