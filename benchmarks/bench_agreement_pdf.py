"""The printed agreement (see README.md). Not a test: prints figures, asserts nothing.

The demo database (``open_services(DataPaths(tmp, demo=True), Settings())``) and its group
agreement (四方 共建型, five indicators, eight tasks, attachments 1–4).

render:    ``AgreementService.render_pdf`` vs. a raw ReportLab platypus document of the same
           Chinese text (the rendered PDF's text, page by page) in the same TTF body font,
           16 pt, CJK wrapping. The fonts are registered once, before either is timed.
export:    ``export_pdf`` (render + empty signature fields + atomic write + history entry;
           not finalised, so it can repeat) vs. ``render_pdf``.
preview:   the first page as the preview shows it (pypdfium2 at the preview's 100 dpi, then
           PIL → QImage as ``pdf_preview.render_pages`` does) vs. pypdfium2 rendering the raw
           document's first page at the same scale to a bare bitmap; and every page
           (``render_pages``) vs. ``render_pdf``.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_agreement_pdf.py`` (or
through benchmarks/run.py).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_ms, report

PREVIEW_DPI = 100  # PdfPreview's default, used by the agreements page and the editor


def page_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def raw_document(texts: list[str], font: str) -> bytes:
    """The same text in the same font: one paragraph per line, a page break per page."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName=font, fontSize=16, leading=28.9, wordWrap="CJK")
    story: list[Any] = []
    for text in texts:
        story += [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]
        story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, initialFontName=font).build(story)
    return out.getvalue()


def first_page_bitmap(data: bytes, *, as_preview: bool) -> object:
    import pypdfium2 as pdfium
    from PySide6.QtGui import QImage

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        bitmap = page.render(scale=PREVIEW_DPI / 72, fill_color=(255, 255, 255, 255))
        if not as_preview:
            page.close()
            return bitmap
        pil = bitmap.to_pil().convert("RGB")
        image = QImage(pil.tobytes(), pil.width, pil.height, 3 * pil.width,
                       QImage.Format.Format_RGB888).copy()
        page.close()
        return image
    finally:
        pdf.close()


def bench_agreement_pdf(root: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from jituan_desktop import paths
    from jituan_desktop.bootstrap import open_services
    from jituan_desktop.documents import fonts
    from jituan_desktop.settings import Settings
    from jituan_desktop.ui.widgets.pdf_preview import render_pages

    QApplication.instance() or QApplication([])  # QImage wants a GUI application
    services = open_services(paths.DataPaths(root, demo=True), Settings())
    agreements = services.agreements
    group_id = services.groups.list()[0].id
    agreement_id = agreements.latest_for_group(group_id)
    assert agreement_id is not None, "the demo has an agreement"
    # register the fonts once (the service's first render does), before anything is timed
    rendered = agreements.render_pdf(agreement_id)
    body = fonts.register(fonts.choose_fonts(*agreements._font_keys()).body)
    texts = page_texts(rendered.data)
    raw = raw_document(texts, body)
    print(f"demo agreement: {rendered.page_count} pages, {sum(len(t) for t in texts):,} "
          f"characters, {len(rendered.data) / 1024:.0f} KiB; raw document: "
          f"{len(page_texts(raw))} pages, {len(raw) / 1024:.0f} KiB; body font {body}")

    render_ms = median_ms(lambda: agreements.render_pdf(agreement_id))
    report("agreement render_pdf vs. raw ReportLab, same text and font", render_ms,
           median_ms(lambda: raw_document(texts, body)))
    out = root / "agreement.pdf"
    report("agreement export_pdf (signature fields, atomic write) vs. render_pdf",
           median_ms(lambda: agreements.export_pdf(agreement_id, out, finalise=False)),
           render_ms)
    report(f"preview, first page at {PREVIEW_DPI} dpi → QImage vs. bare pypdfium2 bitmap of "
           "the raw document's first page",
           median_ms(lambda: first_page_bitmap(rendered.data, as_preview=True), 10),
           median_ms(lambda: first_page_bitmap(raw, as_preview=False), 10))
    report(f"preview, all {rendered.page_count} pages (render_pages) vs. render_pdf",
           median_ms(lambda: render_pages(rendered.data, PREVIEW_DPI)), render_ms)
    services.close()


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="jituan-bench-") as tmp:
        bench_agreement_pdf(Path(tmp))


if __name__ == "__main__":
    main()
