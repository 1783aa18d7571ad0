"""Who signs an agreement PDF, in which order: read from the PDF itself.

The document side writes the agreement's number and ordered parties into the PDF
(``documents/agreement_metadata.read_agreement_metadata``); ``add_signature_fields`` also
names each party in its field's tooltip (/TU ``甲方：school``). ``read_parties`` prefers the
document side's reader and falls back to the fields, so a PDF with signature fields is enough.
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass

from jituan_desktop.documents.signature_boxes import field_name
from jituan_desktop.i18n import _
from jituan_desktop.signing.errors import SigningError

TOOLTIP_SEPARATOR = "："
INFO_KEY = "/JituanAgreement"  # fallback: JSON in the document information dictionary


@dataclass(frozen=True)
class Party:
    order: int
    label: str  # 甲方, 乙方, …
    school_name: str

    @property
    def field_name(self) -> str:
        return field_name(self.order)


@dataclass(frozen=True)
class AgreementInfo:
    number: str  # 协议编号; "" when the PDF does not say
    parties: tuple[Party, ...]

    def party(self, order: int) -> Party:
        for party in self.parties:
            if party.order == order:
                return party
        raise SigningError(_("This agreement has no party {n}; its parties are numbered 1 to "
                             "{count} in signing order.").format(n=order,
                                                                 count=len(self.parties)))


def same_name(a: str, b: str) -> bool:
    """The same school name, ignoring width variants (NFKC) and white space; never empty."""
    def norm(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split())
    return bool(a.strip()) and norm(a) == norm(b)


def tooltip(label: str, school_name: str) -> str:
    return f"{label}{TOOLTIP_SEPARATOR}{school_name}"


def _from_document_side(data: bytes) -> AgreementInfo | None:
    try:
        from jituan_desktop.documents.agreement_metadata import read_agreement_metadata
    except ImportError:  # the document side is not installed in this build
        return None
    meta = read_agreement_metadata(data)
    if meta is None:
        return None
    parties = tuple(Party(int(getattr(p, "order", i + 1)), str(getattr(p, "label", "")),
                          str(getattr(p, "school_name", "")))
                    for i, p in enumerate(meta.parties))
    return AgreementInfo(str(getattr(meta, "number", "") or ""), parties) if parties else None


def _from_reader(reader: object) -> AgreementInfo | None:
    """The info-dictionary JSON, else the tooltips of the Party fields."""
    from pyhanko.sign.fields import enumerate_sig_fields

    info = reader.trailer_view.get("/Info")  # type: ignore[attr-defined]
    info = info.get_object() if info is not None else None
    if info is not None and INFO_KEY in info:
        try:
            raw = json.loads(str(info[INFO_KEY]))
            return AgreementInfo(str(raw.get("number", "")), tuple(
                Party(int(p["order"]), str(p["label"]), str(p["school_name"]))
                for p in raw["parties"]))
        except (ValueError, KeyError, TypeError):
            pass
    parties = []
    for name, _value, ref in enumerate_sig_fields(reader):
        if not name.startswith("Party") or not name[5:].isdigit():
            continue
        text = str(ref.get_object().get("/TU", ""))
        label, _sep, school = text.partition(TOOLTIP_SEPARATOR)
        parties.append(Party(int(name[5:]), label, school))
    if not parties:
        return None
    return AgreementInfo("", tuple(sorted(parties, key=lambda p: p.order)))


def open_reader(data: bytes) -> object:
    """A pyHanko reader over ``data``; SigningError for what is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise SigningError(_("This file is not a PDF document."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 - forces the trailer and catalog to be read
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SigningError(_("The PDF is damaged or incomplete (perhaps copied only in part) "
                             "and cannot be read: {error}").format(error=exc)) from exc
    return reader


def read_parties(data: bytes, reader: object | None = None) -> AgreementInfo:
    """The number and ordered parties of the agreement in ``data``; SigningError if unknown."""
    info = None
    try:
        info = _from_document_side(data)
    except Exception:
        info = None
    if info is None:
        info = _from_reader(reader if reader is not None else open_reader(data))
    if info is None:
        raise SigningError(_("This PDF is not a cooperation agreement from Jituan Desktop: it "
                             "names no parties and has no signature fields."))
    return info


def first_signed_revision(data: bytes, reader: object) -> bytes | None:
    """The file as the first (earliest) signature covers it, or None when nothing is signed.

    The parties must be read from here, not from the latest revision: an update added after a
    signature (even one made together with a later signature) could otherwise rename them."""
    sigs = list(reader.embedded_signatures)  # type: ignore[attr-defined]
    if not sigs:
        return None
    first = min(sigs, key=lambda s: s.signed_revision)
    byte_range = [int(v) for v in first.sig_object["/ByteRange"]]
    end = byte_range[2] + byte_range[3]
    return data[:end] if 0 < end <= len(data) else None


def read_signed_parties(data: bytes, reader: object | None = None) -> AgreementInfo:
    """The parties as they were when the first party signed (``read_parties`` of the revision
    the first signature covers), or of the file itself when it is not signed yet."""
    reader = reader if reader is not None else open_reader(data)
    try:
        signed = first_signed_revision(data, reader)
    except Exception:  # a damaged signature dictionary: the verifier reports it
        signed = None
    if signed is None:
        return read_parties(data, reader)
    return read_parties(signed)
