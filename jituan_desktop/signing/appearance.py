"""What a signature looks like on the page: name, role, time, reason and the school's seal.

Why an image: pyHanko draws stamp text with a subset of the font embedded per signature, and
subsetting a 5–10 MB CJK font costs about 1 s each time (STACK.md gotcha 15). Pillow draws the
same glyphs from the font file without subsetting, in a few milliseconds, so the text lines
are rendered with Pillow at print resolution onto a transparent canvas of exactly the
field's size, the user's seal PNG is laid over it at its true diameter, and the picture is the
signature's appearance (benchmarks/bench_signing.py measures both ways). The text is then not
selectable in the appearance, which does not matter: the signer's name, time and reason are
also in the signature dictionary, where verifiers read them.

The app never draws a seal itself: only the image the school provides is used.

The appearance is part of a Chinese legal document, so its labels and date format are fixed
Chinese (签署人 / 职务 / 时间 / 事由 / 证书, ``2026年11月27日 08:18``) whatever the UI
language is: they are deliberately not translated.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from jituan_desktop import paths
from jituan_desktop.i18n import _
from jituan_desktop.signing.errors import SigningError

DPI = 250  # print quality for 8 pt text, still small (the image is mostly transparent)
MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
DEFAULT_SEAL_MM = 42.0  # the usual diameter of a school's official seal (公章)
SEAL_MM_RANGE = (10.0, 80.0)
TEXT_COLOUR = (20, 30, 70, 255)
PADDING_PT = 4.0

# Fonts with TrueType outlines that Pillow (FreeType) reads, bundled first, then the system's.
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
)


@dataclass(frozen=True)
class AppearanceText:
    signer: str  # the representative who signs
    role: str  # 校长, 法定代表人, …
    signed_at: dt.datetime  # local time of the signer's computer
    reason: str
    fingerprint: str = ""  # the certificate's SHA-256, hex

    def lines(self) -> list[str]:
        """The text drawn on the page: fixed Chinese, not the UI language (see above)."""
        lines = [f"签署人：{self.signer}"]
        if self.role:
            lines.append(f"职务：{self.role}")
        lines.append(f"时间：{chinese_datetime(self.signed_at)}")
        if self.reason:
            lines.append(f"事由：{self.reason}")
        if self.fingerprint:
            short = " ".join(self.fingerprint[i:i + 4].upper() for i in range(0, 16, 4))
            lines.append(f"证书指纹：{short} …")
        return lines


def chinese_datetime(moment: dt.datetime) -> str:
    """``2026年11月27日 08:18``: the date as written in a Chinese document."""
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


@dataclass(frozen=True, eq=False)  # hashed by identity, for the resize cache
class Seal:
    image: Image.Image  # RGBA
    diameter_mm: float
    warning: str | None  # e.g. the PNG is not transparent


def find_cjk_font() -> Path:
    """A font with Chinese glyphs: one bundled in resources/fonts, else a system font."""
    bundled = sorted((paths.resources_dir() / "fonts").glob("*.tt[fc]"))
    for candidate in [*bundled, *map(Path, _FONT_CANDIDATES)]:
        if candidate.is_file():
            return candidate
    raise SigningError(_("No font with Chinese characters was found on this computer "
                         "(for example WenQuanYi Micro Hei or Microsoft YaHei).") + (
                             "" if sys.platform != "linux" else
                             " " + _("Install the package fonts-wqy-microhei.")))


@functools.lru_cache(maxsize=16)
def _font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, index=0)


def load_seal(path: Path, diameter_mm: float = DEFAULT_SEAL_MM) -> Seal:
    """Open the school's seal picture; SigningError if unreadable, a warning if not see-through."""
    low, high = SEAL_MM_RANGE
    if not low <= diameter_mm <= high:
        raise SigningError(_("The seal diameter must be between {low} and {high} mm.").format(
            low=int(low), high=int(high)))
    try:
        with Image.open(path) as raw:
            raw.load()
            image = raw.convert("RGBA")
            had_alpha = raw.mode in ("RGBA", "LA", "PA") or "transparency" in raw.info
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise SigningError(_("The seal image {file} cannot be read; use a PNG picture of the "
                             "seal on a transparent background.").format(file=path.name)) from exc
    warning = None
    corners = [image.getpixel((x, y))[3] for x in (0, image.width - 1)  # type: ignore[index]
               for y in (0, image.height - 1)]
    if not had_alpha or min(corners) == 255:
        warning = _("The seal image is not transparent: its background will cover the text "
                    "under it. A PNG with a transparent background looks right.")
    return Seal(image, diameter_mm, warning)


def _px(points: float) -> int:
    return round(points * DPI / PT_PER_INCH)


@functools.lru_cache(maxsize=4)
def _sized_seal(seal: Seal) -> Image.Image:
    """The seal scaled to its true diameter at DPI (kept: the next signer often uses it)."""
    diameter = _px(seal.diameter_mm / MM_PER_INCH * PT_PER_INCH)
    ratio = diameter / max(seal.image.width, seal.image.height)
    return seal.image.resize((max(1, round(seal.image.width * ratio)),
                              max(1, round(seal.image.height * ratio))),
                             Image.Resampling.LANCZOS)


def render_appearance(size_pt: tuple[float, float], text: AppearanceText,
                      seal: Seal | None = None, font_path: Path | None = None) -> Image.Image:
    """The transparent picture of the signature, ``size_pt`` (width, height) in PDF points."""
    width_pt, height_pt = size_pt
    if seal is not None:
        seal_pt = seal.diameter_mm / MM_PER_INCH * PT_PER_INCH
        if seal_pt > min(width_pt, height_pt) + 0.5:
            raise SigningError(_("A seal of {mm} mm does not fit into the signature box "
                                 "({w} × {h} mm). Check the seal's diameter.").format(
                mm=f"{seal.diameter_mm:g}", w=round(width_pt / PT_PER_INCH * MM_PER_INCH),
                h=round(height_pt / PT_PER_INCH * MM_PER_INCH)))
    canvas = Image.new("RGBA", (_px(width_pt), _px(height_pt)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(canvas)
    font_file = str(font_path or find_cjk_font())
    lines = text.lines()
    pad = _px(PADDING_PT)
    stamp = _sized_seal(seal) if seal is not None else None
    # the seal goes to the right edge and the text to the left, at a legible size: at most
    # the ends of the longest lines lie under the seal, as a seal pressed over a signature
    text_width = canvas.width
    if stamp is not None:
        text_width = max(canvas.width - stamp.width, canvas.width * 62 // 100)
    # 9 pt for the signer's name, 7.5 pt for the rest; smaller when a line is too wide
    sizes = [9.0] + [7.5] * (len(lines) - 1)
    scale = 1.0
    for line, size in zip(lines, sizes, strict=True):
        needed = draw.textlength(line, font=_font(font_file, _px(size)))
        scale = min(scale, (text_width - 2 * pad) / needed if needed else 1.0)
    total = sum(_px(s * scale * 1.35) for s in sizes)
    scale = min(scale, (canvas.height - 2 * pad) / total) if total else scale
    y = (canvas.height - sum(_px(s * scale * 1.35) for s in sizes)) // 2
    for line, size in zip(lines, sizes, strict=True):
        font = _font(font_file, max(6, _px(size * scale)))
        draw.text((pad, y), line, font=font, fill=TEXT_COLOUR)
        y += _px(size * scale * 1.35)
    if stamp is not None:
        canvas.alpha_composite(stamp, (canvas.width - stamp.width,
                                       (canvas.height - stamp.height) // 2))
    return canvas
