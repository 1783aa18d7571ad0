"""Agreement PDFs made with ReportLab (a CJK signature page with boxes) and signing identities."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jituan_desktop.documents.signature_boxes import SignatureBox, field_name
from jituan_desktop.signing.appearance import find_cjk_font
from jituan_desktop.signing.fields import add_signature_fields
from jituan_desktop.signing.identities import LoadedIdentity, create_identity, load_pkcs12

SCHOOL_A = "阿拉善左旗第一实验小学"
SCHOOL_B = "阿拉善左旗巴彦浩特第三小学"
SCHOOL_X = "某某无关中学"
PASSPHRASE = "ganbei-2026!"
LABELS = ("甲方", "乙方", "丙方")


def agreement_pdf(schools: tuple[str, ...] = (SCHOOL_A, SCHOOL_B),
                  text: str = "合作协议正文") -> tuple[bytes, list[SignatureBox]]:
    """A two-page agreement: text, then a signature page with one box per school."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(find_cjk_font()), subfontIndex=0))
    out = io.BytesIO()
    c = Canvas(out, pagesize=(595.27, 841.89), initialFontName="WQY")
    c.setFont("WQY", 16)
    c.drawString(72, 760, "集团化办学合作协议")
    c.setFont("WQY", 11)
    c.drawString(72, 730, text)
    c.showPage()
    boxes = []
    for i, school in enumerate(schools):
        x = 60 + (i % 2) * 260
        y = 420 - (i // 2) * 220
        c.setFont("WQY", 11)
        c.drawString(x, y + 180, f"{LABELS[i]}（盖章）：{school}")
        c.rect(x, y, 240, 160)
        boxes.append(SignatureBox(i + 1, LABELS[i], school, field_name(i + 1), 1,
                                  (x, y, x + 240, y + 160)))
    c.showPage()
    c.save()
    return out.getvalue(), boxes


def agreement_with_fields(schools: tuple[str, ...] = (SCHOOL_A, SCHOOL_B), **kw: object) -> bytes:
    data, boxes = agreement_pdf(schools, **kw)  # type: ignore[arg-type]
    return add_signature_fields(data, boxes, number="阿教集协〔2026〕1号")


@dataclass(frozen=True)
class Identity:
    path: Path
    loaded: LoadedIdentity


@pytest.fixture(scope="session")
def identities(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Identity]:
    """One self-made identity per school (RSA key generation takes a moment: once a session)."""
    folder = tmp_path_factory.mktemp("identities")
    result = {}
    for key, school, person in (("a", SCHOOL_A, "张明"), ("b", SCHOOL_B, "李华"),
                                ("x", SCHOOL_X, "王五")):
        path = folder / f"{key}.p12"
        create_identity(path, school_name=school, representative=person, passphrase=PASSPHRASE)
        result[key] = Identity(path, load_pkcs12(path, PASSPHRASE))
    return result


@pytest.fixture
def known(identities: dict[str, Identity]) -> dict[str, str]:
    return {i.loaded.info.fingerprint: i.loaded.info.subject_text
            for k, i in identities.items() if k in "ab"}


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """These tests match the English wording of messages; the app's default is Chinese."""
    from jituan_desktop import i18n, paths

    i18n.install("en", paths.catalogs_dir())
    yield
    i18n.install("zh_CN", paths.catalogs_dir())
