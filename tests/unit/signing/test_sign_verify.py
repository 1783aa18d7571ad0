"""Sequential signing, its refusals, and verification (pyHanko and poppler's pdfsig)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from jituan_desktop.signing.appearance import load_seal
from jituan_desktop.signing.errors import ChangedAfterSigning, NotAParty, OutOfOrder, SigningError
from jituan_desktop.signing.sign import SignRequest, sign_pdf
from jituan_desktop.signing.verify import Status, report_as_dict, verify_pdf
from tests.unit.signing.conftest import SCHOOL_X, agreement_with_fields


def seal_png(path: Path, *, transparent: bool = True) -> Path:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    ImageDraw.Draw(image).ellipse((5, 5, 295, 295), outline=(220, 0, 0, 255), width=12)
    image.save(path)
    return path


@pytest.fixture
def signed_twice(identities, known, tmp_path) -> bytes:
    seal = load_seal(seal_png(tmp_path / "seal.png"))
    one = sign_pdf(agreement_with_fields(), identities["a"].loaded,
                   SignRequest(1, role="校长", seal=seal), known)
    two = sign_pdf(one.data, identities["b"].loaded, SignRequest(2, role="校长"), known)
    assert not one.locked and two.locked
    return two.data


def pdfsig(data: bytes, tmp_path: Path) -> list[str]:
    """pdfsig's text per signature."""
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    return re.split(r"^Signature #\d+:", out, flags=re.M)[1:]


def test_two_parties_sign_in_turn_and_both_verifiers_agree(signed_twice, known,
                                                           tmp_path) -> None:
    report = verify_pdf(signed_twice, known)
    assert report.ok and report.complete and report.locked
    assert [s.status for s in report.signatures] == [Status.VALID, Status.VALID]
    assert [s.party.label for s in report.signatures] == ["甲方", "乙方"]
    assert not any(s.timestamped for s in report.signatures)
    assert "no timestamp" in report.signatures[0].time_text()
    first, last = pdfsig(signed_twice, tmp_path)
    assert "Signature is Valid" in first and "Signature is Valid" in last
    assert "Total document signed" in last and "Total document signed" not in first
    assert "Party1" in first and "Party2" in last


def test_pyhanko_alone_finds_both_signatures_intact(signed_twice) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(io.BytesIO(signed_twice)).embedded_signatures
    statuses = [validate_pdf_signature(s, ValidationContext(trust_roots=[])) for s in sigs]
    assert all(st.intact and st.valid for st in statuses)


def test_a_party_cannot_sign_before_its_turn_or_twice(identities, known) -> None:
    data = agreement_with_fields()
    with pytest.raises(OutOfOrder, match="甲方"):
        sign_pdf(data, identities["b"].loaded, SignRequest(2), known)
    one = sign_pdf(data, identities["a"].loaded, SignRequest(1), known).data
    with pytest.raises(OutOfOrder, match="already"):
        sign_pdf(one, identities["a"].loaded, SignRequest(1), known)
    with pytest.raises(SigningError, match="no party 3"):
        sign_pdf(one, identities["b"].loaded, SignRequest(3), known)


def test_a_school_that_is_not_the_party_is_refused(identities, known) -> None:
    data = agreement_with_fields()
    with pytest.raises(NotAParty, match=SCHOOL_X):
        sign_pdf(data, identities["x"].loaded, SignRequest(1), known)
    with pytest.raises(NotAParty):  # party 1's identity used for party 2
        one = sign_pdf(data, identities["a"].loaded, SignRequest(1), known).data
        sign_pdf(one, identities["a"].loaded, SignRequest(2), known)


def test_a_registered_identity_counts_for_the_school_it_was_registered_for(identities,
                                                                           known) -> None:
    data = agreement_with_fields()
    # the certificate says another school, but the user registered it for party 1's school
    sign_pdf(data, identities["x"].loaded,
             SignRequest(1, identity_school=agreement_parties_first_school()), known)


def agreement_parties_first_school() -> str:
    from tests.unit.signing.conftest import SCHOOL_A
    return SCHOOL_A


def test_changed_content_after_the_first_signature_is_refused(identities, known) -> None:
    one = sign_pdf(agreement_with_fields(), identities["a"].loaded, SignRequest(1), known).data
    changed = append_page_content(one)
    report = verify_pdf(changed, known)
    assert report.signatures[0].status is Status.CHANGED and not report.ok
    with pytest.raises(ChangedAfterSigning):
        sign_pdf(changed, identities["b"].loaded, SignRequest(2), known)


def append_page_content(data: bytes) -> bytes:
    """A legitimate incremental update that draws on the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = w.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q")
    contents = page["/Contents"]
    arr = generic.ArrayObject([*(contents if isinstance(contents, generic.ArrayObject)
                                 else [page.raw_get("/Contents")]), w.add_object(stream)])
    page["/Contents"] = arr
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_a_flipped_byte_anywhere_in_the_signed_range_is_reported(signed_twice, known) -> None:
    sig_start = signed_twice.rindex(b"/Contents <")
    positions = [200, len(signed_twice) // 3, len(signed_twice) // 2, sig_start - 50,
                 len(signed_twice) - 30]
    for pos in positions:
        data = bytearray(signed_twice)
        data[pos] ^= 0x01
        report = verify_pdf(bytes(data), known)
        assert not report.ok, pos
        assert report.problem or any(s.status in (Status.BROKEN, Status.CHANGED)
                                     for s in report.signatures), pos


def test_an_altered_signature_value_is_reported(signed_twice, known) -> None:
    start = signed_twice.rindex(b"/Contents <") + len(b"/Contents <")
    der_hex_end = signed_twice.index(b">", start)
    hex_text = signed_twice[start:der_hex_end].rstrip(b"0")
    pos = start + len(hex_text) - 40  # inside the RSA signature value at the end of the CMS
    data = bytearray(signed_twice)
    data[pos] = ord("0") if data[pos] != ord("0") else ord("1")
    report = verify_pdf(bytes(data), known)
    assert not report.ok
    assert report.signatures[-1].status is Status.BROKEN


def test_an_update_after_the_last_signature_is_reported(signed_twice, known) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(signed_twice))
    info = w.trailer["/Info"].get_object()
    from pyhanko.pdf_utils import generic
    info["/Producer"] = generic.TextStringObject("someone else")
    w.update_container(info)
    out = io.BytesIO()
    w.write(out)
    report = verify_pdf(out.getvalue(), known)
    assert not report.ok
    assert report.signatures[-1].status is Status.CHANGED
    assert "changed" in report.verdict()
    drawn = verify_pdf(append_page_content(signed_twice), known)
    assert not drawn.ok and drawn.signatures[-1].status is Status.CHANGED


def test_a_signature_by_an_unknown_identity_is_untrusted(identities) -> None:
    one = sign_pdf(agreement_with_fields(), identities["a"].loaded, SignRequest(1), {}).data
    report = verify_pdf(one, {})
    assert report.signatures[0].status is Status.UNTRUSTED
    assert not report.signatures[0].trusted and report.signatures[0].known_identity is None
    assert report.ok and not report.complete  # intact; one party still to sign
    assert report_as_dict(report)["signatures"][0]["trusted"] is False


def test_files_that_are_not_signed_agreements_get_a_verdict_not_a_crash(known) -> None:
    assert verify_pdf(b"hello", known).problem
    truncated = agreement_with_fields()[:3000]
    assert not verify_pdf(truncated, known).ok
    assert "no signatures" in verify_pdf(agreement_with_fields(), known).verdict()


def test_a_non_transparent_seal_warns_and_an_unreadable_one_is_refused(tmp_path) -> None:
    assert load_seal(seal_png(tmp_path / "t.png")).warning is None
    assert load_seal(seal_png(tmp_path / "o.png", transparent=False)).warning
    (tmp_path / "bad.png").write_bytes(b"no picture")
    with pytest.raises(SigningError, match="cannot be read"):
        load_seal(tmp_path / "bad.png")
    with pytest.raises(SigningError, match="diameter"):
        load_seal(tmp_path / "t.png", 200)


def test_a_seal_larger_than_the_box_is_refused(identities, known, tmp_path) -> None:
    seal = load_seal(seal_png(tmp_path / "seal.png"), 70)  # 198 pt > 160 pt box height
    with pytest.raises(SigningError, match="does not fit"):
        sign_pdf(agreement_with_fields(), identities["a"].loaded, SignRequest(1, seal=seal),
                 known)
