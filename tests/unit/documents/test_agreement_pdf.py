"""The printed agreement: embedded subset fonts only, extractable Chinese text, pages that
render, signature boxes, metadata; templates and fonts; Chinese number formats."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from jituan_desktop.bootstrap import Services
from jituan_desktop.documents.agreement_metadata import (
    NotAnAgreement,
    read_agreement_metadata,
)
from jituan_desktop.documents.fonts import choose_fonts, discover, inspect_font_file
from jituan_desktop.documents.templates import TemplateError, load_template
from jituan_desktop.domain.agreements import chinese_date, chinese_number, rmb_lower, rmb_upper

poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing")


@pytest.fixture
def demo_pdf(demo_services: Services, tmp_path: Path) -> tuple[Path, object]:
    service = demo_services.agreements
    rendered = service.render_pdf(service.latest_for_group(demo_services.groups.list()[0].id))
    path = tmp_path / "agreement.pdf"
    path.write_bytes(rendered.data)
    return path, rendered


@poppler
def test_every_font_is_an_embedded_subset(demo_pdf) -> None:
    path, _rendered = demo_pdf
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line


@poppler
def test_chinese_text_is_extractable(demo_pdf) -> None:
    path, _rendered = demo_pdf
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("协议编号：HLS-JT-2025-001", "第一条", "壹拾贰万元整", "¥120,000.00",
                     "（以下无正文）", "甲方（盖章）", "法定代表人或委托代理人（签字）",
                     "附件4", "— 10 —", "阿拉善左旗蒙古族实验学校"):
        # (a phrase may wrap onto the next line)
        assert expected in text or "".join(expected.split()) in "".join(text.split()), expected


# ---- the pages as a principal sees them (pdftoppm images, read with Pillow) --------------
#
# GB/T 9704-2012, hard-coded here on purpose (not imported from the renderer): top margin
# 37 mm, left (binding) 28 mm, text block 156 × 225 mm; the page number below the block.
DPI = 40
PX_PER_MM = DPI / 25.4
TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM = 28.0, 184.0, 37.0, 262.0  # mm from top-left
INK = 230  # a grey level darker than this is ink (thin strokes are light grey at 40 dpi)
SLACK = 1.0  # mm: anti-aliasing and rounding at 40 dpi
# A line may end in a full-width ，or 。 hanging in the right margin (标点悬挂, as Word's
# default 允许标点溢出边界): less than its 16 pt em (5.6 mm), the mark sits left in it.
HANGING = 4.5


@dataclass
class PageImage:
    ink: list[list[bool]]  # [row][column]

    @property
    def width(self) -> int:
        return len(self.ink[0])

    @property
    def height(self) -> int:
        return len(self.ink)

    def bbox_mm(self, left: float, top: float, right: float, bottom: float
                ) -> tuple[float, float, float, float] | None:
        """The ink inside the region (mm from the top-left), as (left, top, right, bottom)."""
        x0, x1 = max(0, round(left * PX_PER_MM)), min(self.width, round(right * PX_PER_MM))
        y0, y1 = max(0, round(top * PX_PER_MM)), min(self.height, round(bottom * PX_PER_MM))
        xs, ys = [], []
        for y in range(y0, y1):
            row = self.ink[y]
            for x in range(x0, x1):
                if row[x]:
                    xs.append(x)
                    ys.append(y)
        if not xs:
            return None
        return (min(xs) / PX_PER_MM, min(ys) / PX_PER_MM, (max(xs) + 1) / PX_PER_MM,
                (max(ys) + 1) / PX_PER_MM)

    def rows_with_ink(self, left: float, right: float) -> list[int]:
        x0, x1 = round(left * PX_PER_MM), round(right * PX_PER_MM)
        return [y for y, row in enumerate(self.ink) if any(row[x0:x1])]

    def longest_run_mm(self, y: int) -> float:
        best = run = 0
        for dark in self.ink[y]:
            run = run + 1 if dark else 0
            best = max(best, run)
        return best / PX_PER_MM


def page_images(path: Path, folder: Path) -> list[PageImage]:
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path),
                    str(folder / "pg")], check=True)
    pages = []
    for png in sorted(folder.glob("pg-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        with Image.open(png) as image:
            grey = image.convert("L")
            w, h = grey.size
            data = grey.tobytes()  # one byte per pixel, row by row
        pages.append(PageImage([[v < INK for v in data[y * w:(y + 1) * w]] for y in range(h)]))
    return pages


@pytest.fixture
def demo_pages(demo_pdf, tmp_path: Path) -> list[PageImage]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils missing")
    path, rendered = demo_pdf
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = page_images(path, folder)
    assert len(pages) == rendered.page_count >= 8
    return pages


def test_text_stays_in_the_text_block_and_the_margins_stay_empty(demo_pages) -> None:
    for n, page in enumerate(demo_pages, start=1):
        width_mm, height_mm = page.width / PX_PER_MM, page.height / PX_PER_MM
        assert abs(width_mm - 210) < 1.5 and abs(height_mm - 297) < 1.5, "not A4"
        inside = page.bbox_mm(TEXT_LEFT, TEXT_TOP, TEXT_RIGHT, TEXT_BOTTOM)
        assert inside is not None, f"page {n} has no text"
        # nothing in the top, left or right margin, down to the bottom of the page
        for where, region in (("top", (0, 0, width_mm, TEXT_TOP - SLACK)),
                              ("left", (0, 0, TEXT_LEFT - SLACK, height_mm)),
                              ("right", (TEXT_RIGHT + HANGING, 0, width_mm, height_mm))):
            assert page.bbox_mm(*region) is None, f"ink in the {where} margin of page {n}"
        # below the text block: only the page number
        band = page.bbox_mm(0, TEXT_BOTTOM + SLACK, width_mm, height_mm)
        assert band is not None, f"page {n} has no page number"
        left, top, right, bottom = band
        assert right - left < 25, f"more than a page number below the text on page {n}"
        assert 297 - bottom > 15 and top - TEXT_BOTTOM > 3, f"page number {n} off its band"


def test_page_numbers_are_centred_in_the_footer_band(demo_pages) -> None:
    for n, page in enumerate(demo_pages, start=1):
        left, _top, right, _bottom = page.bbox_mm(0, TEXT_BOTTOM + SLACK, 210, 297)
        assert abs((left + right) / 2 - 105) < 1.5, f"page number {n} not centred"
        # "— n —": dashes either side, wider as the number gets longer
        assert 12 < right - left < 25


def test_the_title_is_centred_on_the_first_page(demo_pages) -> None:
    page = demo_pages[0]
    rows = page.rows_with_ink(TEXT_LEFT - SLACK, TEXT_RIGHT + SLACK)
    first = rows[0]
    last = first
    while last + 1 in rows:  # the title's first line: ink rows without a white gap
        last += 1
    left, top, right, bottom = page.bbox_mm(0, first / PX_PER_MM, 210,
                                            (last + 1) / PX_PER_MM)
    assert bottom - top > 5, "the title is set large"
    assert right - left > 60, "the title is a line of text"
    assert abs((left + right) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2) < 2, "title not centred"
    assert top - TEXT_TOP < 8, "the title opens the text block"


def test_the_signature_page_leaves_a_blank_box_per_party(demo_pdf, demo_pages) -> None:
    _path, rendered = demo_pdf
    boxes = rendered.signature_boxes
    page = demo_pages[boxes[0].page]
    pt = 25.4 / 72
    for box in boxes:
        x1, y1, x2, y2 = (v * pt for v in box.box)
        left, top, right, bottom = x1, 297 - y2, x2, 297 - y1
        # a 42 mm seal with 2 mm to spare all round, and nothing printed under it
        assert right - left >= 46 and bottom - top >= 46, box
        assert page.bbox_mm(left + 0.5, top + 0.5, right - 0.5, bottom - 0.5) is None, (
            f"text inside the box of {box.party_label}")
        assert left >= TEXT_LEFT - SLACK and right <= TEXT_RIGHT + SLACK
        assert top >= TEXT_TOP - SLACK and bottom <= TEXT_BOTTOM + SLACK
        # the block's school name just above the box, the 签字 label and its ruled line
        # just below it
        assert page.bbox_mm(left, top - 10, right, top) is not None, box
        assert page.bbox_mm(left, bottom, right, bottom + 9) is not None, box
        rule = [y for y in range(round((bottom + 9) * PX_PER_MM),
                                 round((bottom + 22) * PX_PER_MM))
                if page.longest_run_mm(y) >= 60]
        assert rule, f"no line to sign on below the box of {box.party_label}"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            ax1, ay1, ax2, ay2 = a.box
            bx1, by1, bx2, by2 = b.box
            assert ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1, (a, b)


def test_the_layout_checks_notice_a_broken_layout(demo_services: Services,
                                                 tmp_path: Path, monkeypatch) -> None:
    """The image checks above fail for wrong margins or a left-aligned title."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils missing")
    from reportlab.lib.enums import TA_LEFT

    from jituan_desktop.documents import agreement_pdf

    service = demo_services.agreements
    agreement_id = service.latest_for_group(demo_services.groups.list()[0].id)
    monkeypatch.setattr(agreement_pdf, "MARGIN_LEFT", 20 * agreement_pdf.MM)
    path = tmp_path / "narrow.pdf"
    path.write_bytes(service.render_pdf(agreement_id).data)
    (tmp_path / "narrow").mkdir()
    with pytest.raises(AssertionError, match="left margin"):
        test_text_stays_in_the_text_block_and_the_margins_stay_empty(
            page_images(path, tmp_path / "narrow"))
    monkeypatch.undo()

    import reportlab.lib.styles as styles  # (the renderer imports it when it renders)

    real = styles.ParagraphStyle

    def left_title(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "title":
            kwargs["alignment"] = TA_LEFT
        return real(name, *args, **kwargs)

    monkeypatch.setattr(styles, "ParagraphStyle", left_title)
    path = tmp_path / "left.pdf"
    path.write_bytes(service.render_pdf(agreement_id).data)
    (tmp_path / "left").mkdir()
    with pytest.raises(AssertionError, match="title not centred"):
        test_the_title_is_centred_on_the_first_page(page_images(path, tmp_path / "left"))


@poppler
def test_attachment_tables_keep_headers_and_codes_on_one_line(demo_pdf) -> None:
    path, _rendered = demo_pdf
    words = _words(path, 7)
    for header in ("方别", "统一社会信用代码", "法定代表人", "教职工数"):
        assert header in words, header  # one word: not wrapped inside its cell
    code = next(w for w in words if len(w) == 18 and w[:2].isdigit())
    assert words[code][2] - words[code][0] < 38 * 72 / 25.4  # the column's width
    # numbers right-aligned at the table's right edge (184 mm less the cell padding)
    count = next(w for w in words if w.isdigit() and len(w) <= 3)
    assert abs(words[count][2] - (184 * 72 / 25.4 - 3)) < 1.5
    indicator_words = _words(path, 8)
    for header in ("序号", "基线值", "目标值", "完成时间"):
        assert header in indicator_words, header


@poppler
def test_the_signature_page_is_set_in_one_size(demo_pdf) -> None:
    path, rendered = demo_pdf
    words = _words(path, rendered.signature_boxes[0].page + 1)
    place = next(w for w in words if w.startswith("签订地点"))
    date = next(w for w in words if w.startswith("签订日期"))
    heights = {round(words[w][3] - words[w][1], 1) for w in (place, date)}
    assert len(heights) == 1, heights


def _words(path: Path, page: int) -> dict[str, tuple[float, float, float, float]]:
    """pdftotext -bbox: each word on ``page`` (1-based) → x1, y1, x2, y2 (y down)."""
    import re

    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                          "-"], capture_output=True, text=True, check=True).stdout
    return {m[5]: (float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', out)}


def test_headings_are_emboldened_when_body_and_title_share_a_face(demo_pdf) -> None:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    _path, rendered = demo_pdf
    pdf = pdfium.PdfDocument(rendered.data)
    try:
        page = pdf[1]
        text_page = page.get_textpage()
        by_mode: dict[int, str] = {}
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            n = raw.FPDFTextObj_GetText(obj.raw, text_page.raw, None, 0)
            buffer = ctypes.create_string_buffer(n)
            raw.FPDFTextObj_GetText(obj.raw, text_page.raw,
                                    ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), n)
            mode = raw.FPDFTextObj_GetTextRenderMode(obj.raw)
            by_mode[mode] = by_mode.get(mode, "") + buffer.raw[:n - 2].decode("utf-16-le")
    finally:
        pdf.close()
    stroked = by_mode.get(raw.FPDF_TEXTRENDERMODE_FILL_STROKE, "")
    assert "第一条" in "".join(stroked.split()), by_mode.keys()
    assert "各方坚持" in by_mode.get(raw.FPDF_TEXTRENDERMODE_FILL, "")
    assert "各方坚持" not in stroked


def test_exports_carry_their_creation_time_and_tests_can_ask_for_stable_bytes(
        demo_services: Services) -> None:
    from jituan_desktop.documents import fonts
    from jituan_desktop.documents.agreement_pdf import render_agreement

    service = demo_services.agreements
    agreement = service.get(service.latest_for_group(demo_services.groups.list()[0].id))
    choice = fonts.choose_fonts()
    body, title = fonts.register(choice.body), fonts.register(choice.title)
    doc = service.document(agreement)
    year = dt.datetime.now().year
    data = render_agreement(doc, body, title).data
    assert f"/CreationDate (D:{year}".encode() in data
    stable = [render_agreement(doc, body, title, invariant=True).data for _ in range(2)]
    assert stable[0] == stable[1]
    assert b"/CreationDate (D:2000" in stable[0]


def test_one_signature_box_per_party_with_room_for_a_seal(demo_pdf) -> None:
    _path, rendered = demo_pdf
    boxes = rendered.signature_boxes
    assert [b.order for b in boxes] == [1, 2, 3, 4]
    assert [b.field_name for b in boxes] == ["Party1", "Party2", "Party3", "Party4"]
    mm = 72 / 25.4
    for box in boxes:
        x1, y1, x2, y2 = box.box
        # a 42 mm seal with 2 mm to spare all round: the signing side needs no larger field
        assert x2 - x1 >= 46 * mm and y2 - y1 >= 46 * mm
        assert 0 <= x1 < x2 <= 595.3 and 0 <= y1 < y2 <= 841.9
    assert len({b.page for b in boxes}) == 1


def test_metadata_reads_back(demo_pdf) -> None:
    _path, rendered = demo_pdf
    meta = read_agreement_metadata(rendered.data)
    assert meta.number == "HLS-JT-2025-001"
    assert meta.parties[0].label == "甲方" and len(meta.parties) == 4
    with pytest.raises(NotAnAgreement):
        read_agreement_metadata(b"not a pdf")


@pytest.mark.parametrize(("fen", "upper"), [
    (0, "零元整"), (5, "伍分"), (1000, "壹拾元整"), (10000000, "壹拾万元整"),
    (100200340, "壹佰万贰仟零叁元肆角整"), (12000000, "壹拾贰万元整"),
    (1000000001, "壹仟万元零壹分"), (2030000, "贰万零叁佰元整"),
    (123456789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"), (10000100, "壹拾万零壹元整"),
])
def test_rmb_upper(fen: int, upper: str) -> None:
    assert rmb_upper(fen) == upper


def test_rmb_lower_and_chinese_numbers() -> None:
    assert rmb_lower(100200340) == "¥1,002,003.40"
    assert [chinese_number(n) for n in (1, 10, 16, 20, 105)] == ["一", "十", "十六", "二十",
                                                                 "一百零五"]
    assert chinese_date(dt.date(2026, 11, 26)) == "二〇二六年十一月二十六日"
    with pytest.raises(ValueError):
        rmb_upper(-1)


def test_shipped_templates_load() -> None:
    root = Path(__file__).resolve().parents[3] / "resources" / "agreements"
    files = sorted(root.rglob("*.toml"))
    assert {f.parent.name for f in files} >= {"yuyao_2020", "alxa_2024", "default"}
    for path in files:
        assert load_template(path).clauses


@pytest.mark.parametrize(("text", "problem"), [
    ("title = 1", "missing key"),
    ('version = "1"\ntitle = "t"\npreamble = "{nope}"\nattachments = ["a","b","c","d"]\n'
     '[[clauses]]\nheading = "h"', "unknown placeholders"),
    ('version = "1"\ntitle = "t"\npreamble = "p"\nattachments = ["a","b","c","d"]\n'
     '[[clauses]]\nheading = "h"\nkind = "poem"', "kind must be"),
    ("not toml [", "not valid TOML"),
    ('version = "1"\nextra = 2', "unknown keys"),
])
def test_template_errors_name_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_cff_font_is_rejected(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    chars = "合作协议甲乙方第一条签订日期年月日盖章法定代表人（）：，。〇壹贰元整"
    names = [".notdef"] + [f"g{i}" for i in range(len(chars))]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{i}" for i, c in enumerate(chars)})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((0, 100)), pen.lineTo((100, 0)), pen.closePath()
    fb.setupCFF("FakeCJK", {}, {n: pen.getCharString() for n in names}, {})
    fb.setupHorizontalMetrics({n: (500, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Fake CJK", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "FakeCJK.otf"
    fb.save(str(path))
    assert inspect_font_file(path) == []
    assert discover([tmp_path], refresh=True) == []


def test_no_font_explains_what_to_install(tmp_path: Path) -> None:
    from jituan_desktop.documents.fonts import NoUsableFont

    with pytest.raises(NoUsableFont) as info:
        choose_fonts(faces=[])
    assert "fonts-wqy-zenhei" in str(info.value) or "SimSun" in str(info.value)


def test_app_import_does_not_load_pdf_libraries() -> None:
    code = ("import sys, jituan_desktop.app, jituan_desktop.ui.shell; "
            "print([m for m in ('reportlab', 'pypdfium2', 'fontTools') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("length", [19, 30])
def test_long_school_names_stay_in_their_block_on_one_signature_page(
        demo_services: Services, tmp_path: Path, length: int) -> None:
    """A name wider than its column is set smaller (19 characters) or broken between
    characters (30): never drawn across the next block or the margin, and the four blocks
    and 签订地点 stay on the signature page."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils missing")
    import dataclasses

    from jituan_desktop.documents import fonts
    from jituan_desktop.documents.agreement_pdf import render_agreement

    service = demo_services.agreements
    doc = service.document(service.get(service.latest_for_group(
        demo_services.groups.list()[0].id)))
    name = "阿拉善盟阿拉善左旗巴彦浩特镇第二中学附属实验小学分校"[:length]
    doc = dataclasses.replace(doc, parties=tuple(
        dataclasses.replace(p, school_name=name) for p in doc.parties))
    choice = fonts.choose_fonts()
    rendered = render_agreement(doc, fonts.register(choice.body), fonts.register(choice.title))
    path = tmp_path / "long.pdf"
    path.write_bytes(rendered.data)
    sign_page = rendered.signature_boxes[0].page
    assert {b.page for b in rendered.signature_boxes} == {sign_page}
    text = subprocess.run(["pdftotext", "-f", str(sign_page + 1), "-l", str(sign_page + 1),
                           str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "签订地点" in text
    assert "".join(text.split()).count(name) == 4 or len(name) > 20
    words = _words(path, sign_page + 1)
    column = (TEXT_RIGHT - TEXT_LEFT) / 2 * 72 / 25.4
    for word, (x1, _y1, x2, _y2) in words.items():
        if name[:6] in word or word in name:
            assert x2 - x1 <= column, word  # within its own column
    (tmp_path / "pages").mkdir()
    page = page_images(path, tmp_path / "pages")[sign_page]
    assert page.bbox_mm(TEXT_RIGHT + HANGING, 0, 210, 297) is None
