"""Refresh the gettext catalogs after changing user-visible strings.

    python i18n/sync_catalogs.py

1. extracts every ``_()``, ``N_()`` and ``ngettext()`` string from jituan_desktop/ into
   i18n/jituan.pot (no line numbers, so the template only changes when strings do);
2. updates i18n/zh_CN and i18n/en from it (new strings appear untranslated in zh_CN and are
   reported; a test fails until they are translated);
3. fills the English catalog: source strings are English, so msgstr = msgid.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "i18n"
POT = I18N / "jituan.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2"]


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def extract(target: Path) -> None:
    pybabel("extract", "-F", str(I18N / "babel.cfg"), "--no-location", "--sort-output",
            "--omit-header", *KEYWORDS, "-o", str(target), "jituan_desktop")


def main() -> int:
    extract(POT)
    for locale in ("zh_CN", "en"):
        po = I18N / locale / "LC_MESSAGES" / "jituan.po"
        if po.exists():
            pybabel("update", "-i", str(POT), "-d", str(I18N), "-D", "jituan", "-l", locale,
                    "--no-fuzzy-matching", "--omit-header", "--ignore-obsolete")
        else:
            pybabel("init", "-i", str(POT), "-d", str(I18N), "-D", "jituan", "-l", locale)
    en = I18N / "en" / "LC_MESSAGES" / "jituan.po"
    with en.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if message.id:
            message.string = message.id
    with en.open("wb") as f:
        write_po(f, catalog, omit_header=True, no_location=True, sort_output=True)
    with (I18N / "zh_CN" / "LC_MESSAGES" / "jituan.po").open("rb") as f:
        zh = read_po(f, locale="zh_CN")
    missing = [m.id for m in zh if m.id and (m.fuzzy or not (
        all(m.string) if isinstance(m.string, tuple) else m.string))]
    for message_id in missing:
        print(f"untranslated (zh_CN): {message_id!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
