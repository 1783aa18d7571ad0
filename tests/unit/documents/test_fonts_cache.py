"""The persistent font discovery cache: unchanged font files are not opened again, changed,
added and removed ones are noticed, a damaged cache is ignored and rebuilt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jituan_desktop.documents import fonts
from jituan_desktop.documents.fonts import FontFace


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Font files are "examined" without fontTools: every file is usable with one face
    named after its content; returns the names of the files examined, in order."""
    seen: list[str] = []

    def inspect(path: Path) -> list[FontFace]:
        seen.append(path.name)
        family = path.read_text(encoding="utf-8").strip()
        return [FontFace(str(path), 0, family, family)] if family else []

    monkeypatch.setattr(fonts, "inspect_font_file", inspect)
    return seen


def _font(folder: Path, name: str, family: str, mtime: int = 1_700_000_000) -> Path:
    path = folder / name
    path.write_text(family, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def _families(folder: Path, cache: Path | None) -> list[str]:
    return [f.family for f in fonts.discover([folder], refresh=True, cache_path=cache)]


def test_unchanged_files_are_reused(tmp_path: Path, opened: list[str]) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "cache" / "fonts.json"
    folder.mkdir()
    _font(folder, "simsun.ttc", "SimSun")
    _font(folder, "kaiti.ttf", "KaiTi")
    _font(folder, "symbol.ttf", "")  # examined, not usable: remembered as such
    assert _families(folder, cache) == ["KaiTi", "SimSun"]
    assert sorted(opened) == ["kaiti.ttf", "simsun.ttc", "symbol.ttf"]
    assert cache.exists()
    opened.clear()
    assert _families(folder, cache) == ["KaiTi", "SimSun"]
    assert opened == []  # everything came from the cache


def test_changed_added_and_removed_files_are_noticed(tmp_path: Path,
                                                     opened: list[str]) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "fonts.json"
    folder.mkdir()
    changed = _font(folder, "simsun.ttc", "SimSun")
    removed = _font(folder, "kaiti.ttf", "KaiTi")
    _font(folder, "fangsong.ttf", "FangSong")
    _families(folder, cache)
    opened.clear()
    _font(folder, changed.name, "SimSun New", mtime=1_700_000_100)  # new time (and size)
    removed.unlink()
    _font(folder, "simhei.ttf", "SimHei")
    assert _families(folder, cache) == ["FangSong", "SimHei", "SimSun New"]
    assert sorted(opened) == ["simhei.ttf", "simsun.ttc"]
    stored = json.loads(cache.read_text(encoding="utf-8"))["files"]
    assert str(removed) not in stored  # the removed file is forgotten
    assert len(stored) == 3


def test_only_the_modification_time_changed(tmp_path: Path, opened: list[str]) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "fonts.json"
    folder.mkdir()
    path = _font(folder, "simsun.ttc", "SimSun")
    _families(folder, cache)
    opened.clear()
    os.utime(path, (1_700_000_500, 1_700_000_500))  # same size, another time
    _families(folder, cache)
    assert opened == ["simsun.ttc"]


@pytest.mark.parametrize("content", ["{not json", "[]", '{"version": 999, "files": {}}',
                                     '{"version": 1, "sample": "x", "files": {}}', ""])
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, opened: list[str],
                                                 content: str) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "fonts.json"
    folder.mkdir()
    _font(folder, "simsun.ttc", "SimSun")
    cache.write_text(content, encoding="utf-8")
    assert _families(folder, cache) == ["SimSun"]
    assert opened == ["simsun.ttc"]
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["version"] == fonts.CACHE_VERSION
    opened.clear()
    assert _families(folder, cache) == ["SimSun"]
    assert opened == []


def test_a_damaged_entry_is_examined_again(tmp_path: Path, opened: list[str]) -> None:
    folder, cache = tmp_path / "fonts", tmp_path / "fonts.json"
    folder.mkdir()
    path = _font(folder, "simsun.ttc", "SimSun")
    _families(folder, cache)
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["files"][str(path)]["faces"] = [["zero"]]
    cache.write_text(json.dumps(data), encoding="utf-8")
    opened.clear()
    assert _families(folder, cache) == ["SimSun"]
    assert opened == ["simsun.ttc"]


def test_other_folders_entries_are_kept(tmp_path: Path, opened: list[str]) -> None:
    first, second, cache = tmp_path / "a", tmp_path / "b", tmp_path / "fonts.json"
    first.mkdir()
    second.mkdir()
    _font(first, "simsun.ttc", "SimSun")
    _font(second, "kaiti.ttf", "KaiTi")
    _families(first, cache)
    _families(second, cache)
    opened.clear()
    assert _families(first, cache) == ["SimSun"]
    assert opened == []


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, opened: list[str]) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    _font(folder, "simsun.ttc", "SimSun")
    blocker = tmp_path / "file"
    blocker.write_text("in the way", encoding="utf-8")
    assert _families(folder, blocker / "fonts.json") == ["SimSun"]


def test_no_cache_file(tmp_path: Path, opened: list[str]) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    _font(folder, "simsun.ttc", "SimSun")
    assert _families(folder, None) == ["SimSun"]
    assert list(tmp_path.iterdir()) == [folder]


def test_the_default_cache_file_can_be_moved(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JITUAN_FONT_CACHE", str(tmp_path / "c.json"))
    assert fonts.cache_file() == tmp_path / "c.json"
    monkeypatch.delenv("JITUAN_FONT_CACHE")
    assert fonts.cache_file().name == "fonts.json"


def test_warm_up_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def none(*_a: object, **_k: object) -> list[FontFace]:
        return []

    monkeypatch.setattr(fonts, "discover", none)
    fonts.warm_up()  # NoUsableFont is swallowed: the first PDF reports it


def test_the_program_warms_the_fonts_up_in_the_background(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from jituan_desktop import app
    from jituan_desktop.settings import Settings

    calls: list[tuple[str, str, str]] = []

    def warm_up(body: str = "", title: str = "") -> None:
        calls.append((threading.current_thread().name, body, title))

    monkeypatch.setattr(fonts, "warm_up", warm_up)
    settings = Settings(pdf_body_font="/f/simsun.ttc#0", pdf_title_font="/f/simhei.ttf#0")
    thread = app.start_font_warm_up(settings)
    thread.join(5)
    assert thread.daemon  # never keeps the program from ending
    assert calls == [("font-warm-up", "/f/simsun.ttc#0", "/f/simhei.ttf#0")]
