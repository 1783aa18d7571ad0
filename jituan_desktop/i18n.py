"""Translations and locale-aware formatting (gettext catalogs managed with Babel).

Source strings are English; ``i18n/<locale>/LC_MESSAGES/jituan.po`` holds the Chinese and
English catalogs. ``.mo`` files are build outputs: when one is missing or older than its
``.po`` it is compiled in memory (and cached next to the ``.po`` when that folder is writable).

Qt-free: the Qt translator for Qt's own strings is installed by ``install_qt_translations``,
which imports PySide6 only when called.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
import io
import logging
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DOMAIN = "jituan"
DEFAULT_LOCALE = "zh_CN"
SUPPORTED_LOCALES = ("zh_CN", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_locale = DEFAULT_LOCALE


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later with ``_()``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def current_locale() -> str:
    return _locale


def is_chinese() -> bool:
    return _locale.startswith("zh")


def install(locale_name: str, catalog_dir: Path) -> None:
    """Activate ``locale_name`` (one of SUPPORTED_LOCALES) from ``catalog_dir``."""
    global _translations, _locale
    if locale_name not in SUPPORTED_LOCALES:
        log.warning("unsupported locale %r, using %s", locale_name, DEFAULT_LOCALE)
        locale_name = DEFAULT_LOCALE
    _translations = load_translations(locale_name, catalog_dir)
    _locale = locale_name


def load_translations(locale_name: str, catalog_dir: Path) -> gettext.NullTranslations:
    messages = catalog_dir / locale_name / "LC_MESSAGES"
    po, mo = messages / f"{DOMAIN}.po", messages / f"{DOMAIN}.mo"
    # a frozen bundle ships compiled catalogs; its copies do not keep the files' times
    frozen = getattr(sys, "frozen", False)
    if mo.exists() and (frozen or not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po.exists():
        log.warning("no catalog for %s in %s", locale_name, catalog_dir)
        return gettext.NullTranslations()
    data = compile_po(po)
    _try_cache(mo, data)
    return gettext.GNUTranslations(io.BytesIO(data))


def compile_po(po: Path) -> bytes:
    """Compile a ``.po`` file to ``.mo`` bytes (fuzzy entries are left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parent.parent.name)  # the locale's plural rules
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _try_cache(mo: Path, data: bytes) -> None:
    from jituan_desktop.atomic import write_bytes_atomic

    # a read-only install compiles in memory at each start instead (a few ms)
    with contextlib.suppress(OSError):
        write_bytes_atomic(mo, data)


def babel_locale() -> str:
    return "zh_Hans_CN" if is_chinese() else "en_US"


# ---- formatting -------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _babel(name: str) -> Any:
    """The parsed Babel locale: parsing it again on every call costs more than formatting."""
    from babel import Locale

    return Locale.parse(name)


def format_date(value: dt.date | None, length: str = "long") -> str:
    """``2024年6月17日`` / ``June 17, 2024``; empty for None."""
    if value is None:
        return ""
    return _format_date(value, length, babel_locale())


@functools.lru_cache(maxsize=8192)  # lists show the same few hundred dates over and over
def _format_date(value: dt.date, length: str, locale_name: str) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=length, locale=_babel(locale_name))


def format_datetime(value: dt.datetime | None, length: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=length, locale=_babel(babel_locale()))


def format_number(value: float | int) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel(babel_locale()))


def format_percent(value: float, decimals: int = 1) -> str:
    from babel.numbers import format_percent as babel_format_percent

    pattern = "#,##0." + "0" * decimals + "%" if decimals else "#,##0%"
    return babel_format_percent(value, format=pattern, locale=_babel(babel_locale()))


def format_school_year(start_year: int) -> str:
    """``2024—2025学年`` in Chinese, ``2024–2025 school year`` in English."""
    if is_chinese():
        return f"{start_year}—{start_year + 1}学年"
    return _("{start}–{end} school year").format(start=start_year, end=start_year + 1)


def format_semester(start_year: int, term: int) -> str:
    """``2024—2025学年第一学期``; ``term`` is 1 or 2."""
    if is_chinese():
        return f"{format_school_year(start_year)}{'第一学期' if term == 1 else '第二学期'}"
    which = _("first semester") if term == 1 else _("second semester")
    return f"{format_school_year(start_year)}, {which}"


def install_qt_translations(app: Any) -> list[Any]:
    """Install Qt's own ``qtbase_<lang>.qm`` so standard buttons and dialogs match the UI."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                       if is_chinese() else QLocale(QLocale.Language.English,
                                                    QLocale.Country.UnitedStates))
    installed = []
    if is_chinese():
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", path):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("qtbase_zh_CN.qm not found in %s", path)
    return installed
