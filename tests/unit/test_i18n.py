"""The catalogs are complete and current, and formatting follows the active locale."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from jituan_desktop import i18n, paths

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+(?:![rs])?\}")


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "i18n" / locale / "LC_MESSAGES" / "jituan.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_template_lists_exactly_the_strings_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "i18n" / "babel.cfg"), "--no-location", "-k", "_", "-k", "N_",
                    "-k", "ngettext:1,2", "-o", str(fresh), "jituan_desktop"],
                   cwd=ROOT, check=True, capture_output=True)
    with fresh.open("rb") as f:
        in_code = {m.id for m in read_po(f) if m.id}
    with (ROOT / "i18n" / "jituan.pot").open("rb") as f:
        in_template = {m.id for m in read_po(f) if m.id}
    assert in_code - in_template == set(), "run: python i18n/sync_catalogs.py"
    assert in_template - in_code == set(), "run: python i18n/sync_catalogs.py"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_message_is_translated(locale: str) -> None:
    with (ROOT / "i18n" / "jituan.pot").open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    catalog = _catalog(locale)
    translated = {m.id for m in catalog if m.id and not m.fuzzy and (
        all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert sorted(wanted - translated, key=str) == []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message in _catalog(locale):
        if not message.id or isinstance(message.id, tuple):
            continue
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
            PLACEHOLDER.findall(message.id)), message.id


def test_chinese_is_the_default_and_english_switches() -> None:
    assert i18n.current_locale() == "zh_CN"
    assert i18n._("Schools") == "学校"
    i18n.install("en", paths.catalogs_dir())
    assert i18n._("Schools") == "Schools"


def test_school_year_and_semester_labels() -> None:
    assert i18n.format_semester(2024, 1) == "2024—2025学年第一学期"
    assert i18n.format_semester(2024, 2) == "2024—2025学年第二学期"
    i18n.install("en", paths.catalogs_dir())
    assert i18n.format_semester(2024, 1) == "2024–2025 school year, first semester"


def test_dates_and_numbers_follow_the_locale() -> None:
    day = dt.date(2024, 6, 17)
    assert i18n.format_date(day) == "2024年6月17日"
    assert i18n.format_number(12345) == "12,345"
    assert i18n.format_percent(0.125) == "12.5%"
    i18n.install("en", paths.catalogs_dir())
    assert i18n.format_date(day) == "June 17, 2024"


def test_unknown_locale_falls_back_to_chinese() -> None:
    i18n.install("fr", paths.catalogs_dir())
    assert i18n.current_locale() == "zh_CN"


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """Babel's extractor cannot see ``_("…")`` inside an f-string: such text stays English."""
    pattern = re.compile(r"""\bf(["'])[^"'\n]*\{_\(["']""")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "jituan_desktop").rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
