"""Chinese fonts for the printed agreement: find the TrueType CJK fonts the computer already
has, pick the body and title fonts (the user's choice from the settings, else the best
available), and register them with ReportLab.

ReportLab embeds only TrueType-outline fonts (a ``glyf`` table); CFF/OpenType-outline fonts
such as Noto CJK are refused (STACK.md gotcha 10), so discovery skips them. Discovery opens
font files with fontTools, which takes seconds on a Windows font folder, so what it finds is
kept per font file (path, size, modification time) in a cache file and reused on later starts;
only new or changed files are opened again. The program warms the search up on a background
thread after its window shows (``warm_up``).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jituan_desktop.i18n import _

# Characters every usable font must have: common agreement text.
SAMPLE = "合作协议甲乙方第一条签订日期年月日盖章法定代表人（）：，。〇壹贰元整"

# Preferred faces, best first (matched against the family name, case-insensitive).
BODY_PREFERENCE = ("fangsong", "仿宋", "simsun", "宋体", "nsimsun", "ar pl uming",
                   "ar pl sungti", "ar pl ukai", "kaiti", "楷体", "wenquanyi zen hei",
                   "wenquanyi micro hei", "microsoft yahei", "droid sans fallback")
TITLE_PREFERENCE = ("fzxiaobiaosong", "小标宋", "stzhongsong", "华文中宋", "simhei", "黑体",
                    "microsoft yahei", "wenquanyi zen hei", "wenquanyi micro hei",
                    "simsun", "ar pl uming", "droid sans fallback")


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int  # subfont index inside a .ttc (0 for .ttf)
    family: str
    full_name: str

    @property
    def key(self) -> str:
        """How the settings store the choice: ``path#index``."""
        return f"{self.path}#{self.index}"

    @property
    def reportlab_name(self) -> str:
        stem = "".join(c for c in Path(self.path).stem if c.isalnum())
        return f"Jituan-{stem}-{self.index}"


class NoUsableFont(Exception):
    """No TrueType CJK font is installed; the message says what to install."""


def font_folders() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path.home() / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
            Path.home() / ".local" / "share" / "fonts"]


def missing_font_message() -> str:
    if sys.platform == "win32":
        return _("No Chinese TrueType font was found. Windows normally has SimSun (宋体) and "
                 "FangSong (仿宋) in C:\\Windows\\Fonts; reinstall them from the Windows "
                 "language settings (Chinese supplemental fonts).")
    return _("No Chinese TrueType font was found. Install one, for example with "
             "“sudo apt install fonts-wqy-zenhei” (or fonts-wqy-microhei, fonts-arphic-uming, "
             "fonts-arphic-ukai), then try again. Noto CJK fonts cannot be embedded in PDF "
             "files by this program.")


def inspect_font_file(path: Path) -> list[FontFace]:
    """The usable faces of one .ttf/.ttc/.otf file: TrueType outlines and the sample
    characters present. Unreadable files give no faces."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    faces: list[FontFace] = []
    try:
        if path.suffix.lower() == ".ttc":
            holder: Any = TTCollection(str(path), lazy=True)
            fonts = list(holder.fonts)
        else:
            holder = TTFont(str(path), lazy=True)
            fonts = [holder]
    except (OSError, TTLibError, AssertionError, ValueError, KeyError, IndexError):
        return []
    try:
        for index, font in enumerate(fonts):
            face = _usable_face(path, index, font)
            if face is not None:
                faces.append(face)
    finally:
        holder.close()
    return faces


def _usable_face(path: Path, index: int, font: Any) -> FontFace | None:
    try:
        if "glyf" not in font or "cmap" not in font:
            return None  # CFF outlines: ReportLab cannot embed them
        cmap = font.getBestCmap() or {}
        if not all(ord(c) in cmap for c in SAMPLE):
            return None
        name = font["name"]
        family = str(name.getDebugName(1) or path.stem)
        return FontFace(str(path), index, family, str(name.getDebugName(4) or family))
    except Exception:  # a broken font must not stop the search
        return None


_lock = threading.Lock()
_discover_lock = threading.Lock()  # one search at a time; the others wait and reuse it
_cache: dict[tuple[str, ...], list[FontFace]] = {}

# The persistent discovery cache (docs/agreements.md): for every font file examined, its size
# and modification time and the usable faces found in it. A file whose size or time changed
# (or a new one) is examined again; entries of removed files are dropped. ``CACHE_VERSION``
# changes whenever what "usable" means changes (the sample characters, the checks).
CACHE_VERSION = 1
_USE_DEFAULT_CACHE = Path()


def cache_file() -> Path:
    """Where the discovery cache lives: ``fonts.json`` in the user's cache folder."""
    from jituan_desktop.paths import font_cache_file

    return font_cache_file()


def discover(folders: list[Path] | None = None, *, refresh: bool = False,
             cache_path: Path | None = _USE_DEFAULT_CACHE) -> list[FontFace]:
    """Every usable CJK face in ``folders`` (default: the system's font folders), sorted by
    family. Cached per folder list for the process, and per font file on disk in
    ``cache_path`` (default ``cache_file()``; None: no file). ``refresh``: forget the
    process's result (the file cache still spares unchanged files)."""
    folders = folders if folders is not None else font_folders()
    key = tuple(str(f) for f in folders)
    with _discover_lock:
        with _lock:
            if not refresh and key in _cache:
                return list(_cache[key])
        path = cache_file() if cache_path is _USE_DEFAULT_CACHE else cache_path
        faces = _search(folders, path)
        with _lock:
            _cache[key] = faces
        return list(faces)


def _search(folders: list[Path], cache_path: Path | None) -> list[FontFace]:
    stored = _load_cache(cache_path) if cache_path is not None else {}
    entries: dict[str, dict[str, Any]] = {}
    faces: list[FontFace] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".ttc", ".otf") or str(path) in entries:
                continue
            if _clearly_latin(path):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            old = stored.get(str(path))
            if (old is not None and old.get("size") == stat.st_size
                    and old.get("mtime_ns") == stat.st_mtime_ns):
                found = _faces_from_entry(str(path), old)
            else:
                found = None
            if found is None:
                found = inspect_font_file(path)
            entries[str(path)] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                  "faces": [[f.index, f.family, f.full_name] for f in found]}
            faces.extend(found)
    faces.sort(key=lambda f: (f.family.lower(), f.index))
    if cache_path is not None:
        # keep what other folder lists found; drop the removed files of the folders searched
        roots = [str(f) for f in folders]
        merged = {p: e for p, e in stored.items() if not _below(p, roots)}
        merged.update(entries)
        if merged != stored:
            _save_cache(cache_path, merged)
    return faces


def _below(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/\\") + os.sep) for r in roots)


def _faces_from_entry(path: str, entry: dict[str, Any]) -> list[FontFace] | None:
    try:
        return [FontFace(path, int(index), str(family), str(full))
                for index, family, full in entry["faces"]]
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry: examine the file again


def _load_cache(path: Path) -> dict[str, dict[str, Any]]:
    """The cached entries by file path; {} when there is no cache or it is unreadable,
    damaged or of another version (it is then rebuilt)."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (not isinstance(data, dict) or data.get("version") != CACHE_VERSION
            or data.get("sample") != SAMPLE or not isinstance(data.get("files"), dict)):
        return {}
    return {str(p): e for p, e in data["files"].items() if isinstance(e, dict)}


def _save_cache(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    import json
    import logging

    from jituan_desktop.atomic import write_text_atomic

    text = json.dumps({"version": CACHE_VERSION, "sample": SAMPLE, "files": entries},
                      ensure_ascii=False, indent=0, sort_keys=True)
    try:
        write_text_atomic(path, text)
    except OSError as exc:  # a cache only: the next start searches again
        logging.getLogger(__name__).info("cannot write the font cache %s: %s", path, exc)


def warm_up(body_key: str = "", title_key: str = "") -> None:
    """Search the fonts and register the chosen ones ahead of the first PDF (the program
    calls this on a background thread once its window shows). Never raises."""
    import logging

    try:
        choice = choose_fonts(body_key, title_key)
        register(choice.body)
        register(choice.title)
    except Exception as exc:  # no font, a broken one: the first PDF reports it properly
        logging.getLogger(__name__).info("font warm-up: %s", exc)


# Large Windows font folders hold hundreds of Latin fonts; their names say so, and opening
# them would only slow the search down.
_LATIN_PREFIXES = ("arial", "times", "cour", "verdana", "tahoma", "georgia", "segoe", "calibri",
                   "cambria", "consola", "candara", "corbel", "constan", "trebuc", "impact",
                   "comic", "lucon", "pala", "dejavu", "liberation", "noto sans mono",
                   "notomono", "notosansmono", "urw", "nimbus", "bahnschrift", "sylfaen")


def _clearly_latin(path: Path) -> bool:
    return path.name.lower().startswith(_LATIN_PREFIXES)


def _pick(faces: list[FontFace], preference: tuple[str, ...]) -> FontFace:
    for wanted in preference:
        for face in faces:
            if wanted in face.family.lower() or wanted in face.full_name.lower():
                return face
    return faces[0]


@dataclass(frozen=True)
class FontChoice:
    body: FontFace
    title: FontFace
    substituted: tuple[str, ...] = ()  # settings keys that were not usable any more


def choose_fonts(body_key: str = "", title_key: str = "",
                 faces: list[FontFace] | None = None) -> FontChoice:
    """The fonts to print with: the saved choices where still usable, else the preferred
    installed faces. Raises NoUsableFont when there is none."""
    faces = discover() if faces is None else faces
    if not faces:
        raise NoUsableFont(missing_font_message())
    by_key = {f.key: f for f in faces}
    missing = tuple(k for k in (body_key, title_key) if k and k not in by_key)
    body = by_key.get(body_key) or _pick(faces, BODY_PREFERENCE)
    title = by_key.get(title_key) or _pick(faces, TITLE_PREFERENCE)
    return FontChoice(body, title, missing)


_registered: set[str] = set()


def register(face: FontFace) -> str:
    """Register ``face`` with ReportLab (once) and return its font name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = face.reportlab_name
    with _lock:
        if name not in _registered:
            pdfmetrics.registerFont(TTFont(name, face.path, subfontIndex=face.index))
            _registered.add(name)
    return name
