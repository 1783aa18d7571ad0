"""What an agreement PDF says about itself, for the signer and the verifier.

The renderer writes into the PDF document information dictionary:

* ``/Title``: the agreement's title;
* ``/Subject``: the 协议编号;
* ``/Keywords``: ``jituan-agreement:`` followed by compact JSON
  ``{"number": "…", "parties": [[order, "甲方", "school name"], …]}``, the parties in signing
  order (order 1 signs first). ``/Keywords`` is a plain text entry every PDF tool shows and
  keeps through incremental updates, so signatures added later do not lose it.

``read_agreement_metadata(pdf_bytes)`` reads it back (with pypdfium2, imported lazily) and
raises ``NotAnAgreement`` for a PDF this program did not render.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

KEYWORDS_PREFIX = "jituan-agreement:"


class NotAnAgreement(ValueError):
    """The PDF carries no agreement metadata (or it is damaged)."""


@dataclass(frozen=True)
class AgreementParty:
    order: int
    label: str
    school_name: str


@dataclass(frozen=True)
class AgreementMetadata:
    number: str
    title: str
    parties: tuple[AgreementParty, ...]


def parse_keywords(keywords: str, title: str = "") -> AgreementMetadata:
    if not keywords.startswith(KEYWORDS_PREFIX):
        raise NotAnAgreement("no agreement metadata in /Keywords")
    try:
        data = json.loads(keywords[len(KEYWORDS_PREFIX):])
        parties = tuple(AgreementParty(int(o), str(label), str(name))
                        for o, label, name in data["parties"])
        return AgreementMetadata(str(data["number"]), title, parties)
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAnAgreement(f"damaged agreement metadata: {exc}") from exc


def read_agreement_metadata(pdf_bytes: bytes) -> AgreementMetadata:
    """The number, title and parties (in signing order) of an agreement PDF."""
    import pypdfium2 as pdfium

    from jituan_desktop.pdfium_lock import PDFIUM_LOCK

    with PDFIUM_LOCK:  # PDFium is not thread-safe
        try:
            pdf = pdfium.PdfDocument(pdf_bytes)
        except pdfium.PdfiumError as exc:
            raise NotAnAgreement(f"not a readable PDF: {exc}") from exc
        try:
            info = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
    return parse_keywords(info.get("Keywords", ""), info.get("Title", ""))
