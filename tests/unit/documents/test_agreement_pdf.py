"""The printed agreement: embedded subset fonts only, extractable Chinese text, pages that
render, signature boxes, metadata; templates and fonts; Chinese number formats."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
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


@poppler
def test_pages_render(demo_pdf, tmp_path: Path) -> None:
    path, rendered = demo_pdf
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")],
                   check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == rendered.page_count >= 8


def test_one_signature_box_per_party_with_room_for_a_seal(demo_pdf) -> None:
    _path, rendered = demo_pdf
    boxes = rendered.signature_boxes
    assert [b.order for b in boxes] == [1, 2, 3, 4]
    assert [b.field_name for b in boxes] == ["Party1", "Party2", "Party3", "Party4"]
    mm = 72 / 25.4
    for box in boxes:
        x1, y1, x2, y2 = box.box
        assert x2 - x1 >= 60 * mm and y2 - y1 >= 25 * mm
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
