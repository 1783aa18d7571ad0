"""Signing time per signer (see README.md). Not a test: prints figures, asserts nothing.

ours:      ``signing.sign.sign_pdf`` for party 1 and party 2 of a two-party agreement: order and
           party checks, verification of the earlier signature (party 2), the visible
           appearance with Chinese name/role/time/reason and a seal PNG drawn with Pillow.
baseline:  a raw pyHanko PAdES signature into the same empty field with pyHanko's default
           (Latin) stamp text: no checks, no CJK text, no seal.
reference: pyHanko drawing the same Chinese text itself with an embedded font subset
           (GlyphAccumulatorFactory), the way STACK.md gotcha 15 measured it.

Run: ``.venv/bin/python benchmarks/bench_signing.py`` (or through benchmarks/run.py).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_ms, report

PASSPHRASE = "bench-2026!"
SCHOOLS = ("阿拉善左旗第一实验小学", "阿拉善左旗巴彦浩特第三小学")


def agreement(folder: Path) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from jituan_desktop.documents.signature_boxes import SignatureBox, field_name
    from jituan_desktop.signing.appearance import find_cjk_font
    from jituan_desktop.signing.fields import add_signature_fields

    pdfmetrics.registerFont(TTFont("BenchCJK", str(find_cjk_font()), subfontIndex=0))
    out = io.BytesIO()
    c = Canvas(out, initialFontName="BenchCJK")
    c.setFont("BenchCJK", 12)
    for line in range(40):
        c.drawString(72, 780 - line * 18, f"第{line + 1}条　合作协议正文，双方协商一致。")
    c.showPage()
    boxes = []
    for i, school in enumerate(SCHOOLS):
        c.drawString(60 + i * 260, 600, f"{'甲乙'[i]}方（盖章）：{school}")
        boxes.append(SignatureBox(i + 1, f"{'甲乙'[i]}方", school, field_name(i + 1), 1,
                                  (60 + i * 260, 420, 260 + i * 260, 560)))
    c.showPage()
    c.save()
    return add_signature_fields(out.getvalue(), boxes)


def seal(folder: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 590, 590), outline=(210, 20, 20, 230), width=24)
    draw.regular_polygon((300, 300, 90), 5, fill=(210, 20, 20, 230))
    image.save(folder / "seal.png")
    return folder / "seal.png"


def bench_signing(folder: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    from jituan_desktop.signing.appearance import find_cjk_font, load_seal
    from jituan_desktop.signing.identities import create_identity, load_pkcs12
    from jituan_desktop.signing.sign import SignRequest, _signer, sign_pdf

    data = agreement(folder)
    ids = []
    for i, school in enumerate(SCHOOLS):
        create_identity(folder / f"{i}.p12", school_name=school, representative="张明",
                        passphrase=PASSPHRASE)
        ids.append(load_pkcs12(folder / f"{i}.p12", PASSPHRASE))
    known = {i.info.fingerprint: i.info.subject_text for i in ids}
    the_seal = load_seal(seal(folder))
    first = sign_pdf(data, ids[0], SignRequest(1, role="校长", seal=the_seal), known).data

    def ours_first() -> object:
        return sign_pdf(data, ids[0], SignRequest(1, role="校长", seal=the_seal), known)

    def ours_second() -> object:
        return sign_pdf(first, ids[1], SignRequest(2, role="校长", seal=the_seal), known)

    def raw(stamp_style: object = None) -> Callable[[], object]:
        def sign() -> object:
            meta = signers.PdfSignatureMetadata(field_name="Party1", md_algorithm="sha256",
                                                subfilter=SigSeedSubFilter.PADES)
            writer = IncrementalPdfFileWriter(io.BytesIO(data))
            return signers.PdfSigner(meta, signer=_signer(ids[0]),
                                     stamp_style=stamp_style).sign_pdf(writer,
                                                                       output=io.BytesIO())
        return sign

    baseline = median_ms(raw())
    report("signing, party 1 (Chinese text + seal, checks)", median_ms(ours_first), baseline)
    report("signing, party 2 (same + verifies party 1 first)", median_ms(ours_second), baseline)

    # reference: pyHanko subsetting the CJK font for the same text (one face out of the .ttc)
    from fontTools.ttLib import TTCollection, TTFont
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = find_cjk_font()
    face = folder / "face.ttf"
    (TTCollection(str(font)).fonts[0] if font.suffix == ".ttc" else TTFont(str(font))).save(
        str(face))
    style = TextStampStyle(stamp_text="签署人：张明\n职务：校长\n时间：%(ts)s\n事由：签署合作协议",
                           border_width=0, text_box_style=TextBoxStyle(
                               font=GlyphAccumulatorFactory(str(face), font_size=8)))
    report("reference: pyHanko CJK stamp text (font subset per signature)",
           median_ms(raw(style), repeat=3), baseline)


COLD_CHILD = """
import sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
import logging
logging.disable(logging.WARNING)
from jituan_desktop.signing.identities import load_pkcs12
ident = load_pkcs12(Path({p12!r}), {passphrase!r})
data = Path({pdf!r}).read_bytes()
loaded = time.perf_counter()
from jituan_desktop.signing import sign
if {preload}:
    sign.preload()
ready = time.perf_counter()
sign.sign_pdf(data, ident, sign.SignRequest(1, role="校长"), {{}})
first = time.perf_counter()
sign.sign_pdf(data, ident, sign.SignRequest(1, role="校长"), {{}})
second = time.perf_counter()
print((first - ready) * 1000, (second - first) * 1000, (ready - loaded) * 1000)
"""


def bench_cold(folder: Path) -> None:
    """The first signature in a fresh process (imports pyHanko, loads the font) against the
    second; and the first after ``sign.preload()`` (what the sign dialog does when it opens)."""
    import subprocess

    from jituan_desktop.signing.identities import create_identity

    pdf = folder / "cold.pdf"
    pdf.write_bytes(agreement(folder))
    p12 = folder / "cold.p12"
    create_identity(p12, school_name=SCHOOLS[0], representative="张明", passphrase=PASSPHRASE)
    root = str(Path(__file__).resolve().parents[1])
    for preload in (False, True):
        runs = []
        for _ in range(3):
            code = COLD_CHILD.format(root=root, p12=str(p12), passphrase=PASSPHRASE,
                                     pdf=str(pdf), preload=preload)
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout.split()
            runs.append([float(v) for v in out])
        first, second, pre = (statistics.median(r[i] for r in runs) for i in range(3))
        what = f"after preload ({pre:.0f} ms in the background)" if preload else "cold"
        print(f"signing, party 1, first signature of a process, {what}: {first:.0f} ms; "
              f"the next one {second:.0f} ms")


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        bench_cold(Path(tmp))
        bench_signing(Path(tmp))


if __name__ == "__main__":
    main()
