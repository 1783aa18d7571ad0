"""Empty signature fields, one per party, added before the first signature.

The last party's field carries a lock dictionary (/Lock: all fields, /P 1), set here when the
agreement is rendered: when the last party signs, that signature locks the document (锁定: no
further changes allowed). It is not a certification signature (PDF allows those only as the
FIRST signature). This app's verifier and pyHanko report the lock and flag any change or
signature added after it; poppler's pdfsig does not display the lock (docs/signing.md).

A field covers the renderer's seal box exactly: a 70 × 46 mm area under each party's name
that carries no text (documents/agreement_pdf.py ``SEAL_BOX_W``/``SEAL_BOX_H``), so the school
seal (about 42 mm across, shown at its true size) and the signature text sit inside it with
2 mm to spare and cover nothing printed. ``field_rect`` still grows a box smaller than
``MIN_FIELD_MM`` around its centre: PDFs exported before the seal box existed had a lower box
under the signature lines (a seal over text there stays readable: the appearance is
transparent).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from jituan_desktop.documents.signature_boxes import SignatureBox
from jituan_desktop.i18n import _
from jituan_desktop.signing.agreement_info import INFO_KEY, open_reader, tooltip
from jituan_desktop.signing.errors import SigningError

MIN_FIELD_MM = 46.0
MIN_FIELD_PT = MIN_FIELD_MM / 25.4 * 72


def field_rect(box: tuple[float, float, float, float],
               page: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """``box`` grown around its centre to at least MIN_FIELD_PT each way, kept on the page."""
    x1, y1, x2, y2 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(
        box[1], box[3])
    rect = [x1, y1, x2, y2]
    for lo, hi, page_lo, page_hi in ((0, 2, page[0], page[2]), (1, 3, page[1], page[3])):
        grow = max(0.0, MIN_FIELD_PT - (rect[hi] - rect[lo])) / 2
        rect[lo], rect[hi] = rect[lo] - grow, rect[hi] + grow
        if rect[lo] < page_lo:
            rect[lo], rect[hi] = page_lo, rect[hi] + (page_lo - rect[lo])
        if rect[hi] > page_hi:
            rect[lo], rect[hi] = rect[lo] - (rect[hi] - page_hi), page_hi
    return rect[0], rect[1], rect[2], rect[3]


def _media_box(page: object) -> tuple[float, float, float, float]:
    node = page
    while node is not None:
        if "/MediaBox" in node:  # type: ignore[operator]
            x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])  # type: ignore[index]
            return x1, y1, x2, y2
        parent = node.get("/Parent")  # type: ignore[attr-defined]
        node = parent.get_object() if parent is not None else None
    return 0.0, 0.0, 595.27, 841.89  # A4, the size every agreement is printed on


def add_signature_fields(data: bytes, boxes: Sequence[SignatureBox], *, number: str = "",
                         lock_after_last: bool = True) -> bytes:
    """``data`` with an empty field per box (incremental update); the input is not changed."""
    import json

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import (
        FieldMDPAction,
        FieldMDPSpec,
        MDPPerm,
        SigFieldSpec,
        append_signature_field,
        enumerate_sig_fields,
    )

    if not boxes:
        raise SigningError(_("The agreement has no signature boxes."))
    ordered = sorted(boxes, key=lambda b: b.order)
    if [b.order for b in ordered] != list(range(1, len(ordered) + 1)):
        raise SigningError(_("The signature boxes must be numbered 1, 2, … in signing order."))
    reader = open_reader(data)
    existing = {name for name, _v, _r in enumerate_sig_fields(reader)}
    if existing & {b.field_name for b in ordered}:
        raise SigningError(_("This PDF has signature fields already."))
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    for box in ordered:
        try:
            media = _media_box(writer.find_page_for_modification(box.page)[0].get_object())
        except (IndexError, KeyError, ValueError) as exc:
            raise SigningError(_("The signature box of {label} is on page {page}, which the "
                                 "PDF does not have.").format(label=box.party_label,
                                                             page=box.page + 1)) from exc
        last = box.order == len(ordered)
        lock = {}
        if last and lock_after_last:
            lock = {"field_mdp_spec": FieldMDPSpec(FieldMDPAction.ALL),
                    "doc_mdp_update_value": MDPPerm.NO_CHANGES}
        append_signature_field(writer, SigFieldSpec(
            box.field_name, on_page=box.page,
            box=field_rect(box.box, tuple(media)),  # type: ignore[arg-type]
            readable_field_name=tooltip(box.party_label, box.school_name), **lock))
    # the parties, for a reader that has nothing else (see agreement_info)
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is not None:
        info[generic.NameObject(INFO_KEY)] = generic.TextStringObject(json.dumps({
            "number": number,
            "parties": [{"order": b.order, "label": b.party_label, "school_name": b.school_name}
                        for b in ordered]}, ensure_ascii=False))
        writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
