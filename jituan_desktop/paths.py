"""The one module that knows where code-side files and user data live.

Code-side files (resources, catalogs, migrations) sit next to the package in a source
checkout or an editable install, and under ``sys._MEIPASS`` in a PyInstaller bundle. User data
lives in the platformdirs data folder unless ``--data-dir`` names another.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "JituanDesktop"


def install_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    return install_root() / "resources"


def profiles_dir() -> Path:
    return resources_dir() / "profiles"


def catalogs_dir() -> Path:
    return install_root() / "i18n"


def migrations_dir() -> Path:
    # alembic loads these as files at run time; a bundle keeps them at the same relative place
    return install_root() / "jituan_desktop" / "persistence" / "migrations"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def font_cache_file() -> Path:
    """The font discovery cache (``documents/fonts.py``): in the user's cache folder, since
    it describes the computer's fonts, not the data. ``JITUAN_FONT_CACHE`` names another
    file (tests)."""
    import os

    override = os.environ.get("JITUAN_FONT_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "fonts.json"


@dataclass(frozen=True)
class DataPaths:
    """Everything a running instance writes, below one folder."""

    root: Path
    demo: bool = False

    @property
    def database(self) -> Path:
        return self.root / ("demo" if self.demo else "") / (
            "jituan-demo.db" if self.demo else "jituan.db")

    @property
    def backups(self) -> Path:
        return self.database.parent / "backups"

    @property
    def attachments(self) -> Path:
        """The attachment store (files named by SHA-256), next to the database."""
        return self.database.parent / "attachments"

    @property
    def identities(self) -> Path:
        """Signing identities (password-protected PKCS#12 files), next to the database."""
        return self.database.parent / "identities"

    @property
    def profiles(self) -> Path:
        """The user's own policy profiles (docs/rules.md), shared by the demo and real data."""
        return self.root / "profiles"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def lock(self) -> Path:
        return self.database.with_suffix(".lock")
