"""Per-installation settings in ``settings.json`` in the data folder (Qt-free)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from jituan_desktop.atomic import write_text_atomic
from jituan_desktop.i18n import DEFAULT_LOCALE

log = logging.getLogger(__name__)


@dataclass
class Settings:
    language: str = DEFAULT_LOCALE
    actor_name: str = ""
    current_group_id: int | None = None
    current_demo_group_id: int | None = None
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    recent_dirs: dict[str, str] = field(default_factory=dict)
    pdf_body_font: str = ""  # "path#index" of the agreement body font; "": automatic
    pdf_title_font: str = ""  # same for titles

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings %s unreadable (%s); using defaults", path, exc)
            return cls()
        if not isinstance(data, dict):
            log.warning("settings %s hold no object; using defaults", path)
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def language_for_run(self, option: str | None = None) -> str:
        """The language of this run: ``--lang``, else ``JITUAN_LANG``, else the saved one."""
        return option or os.environ.get("JITUAN_LANG") or self.language

    def save(self, path: Path) -> None:
        write_text_atomic(path, json.dumps(asdict(self), ensure_ascii=False, indent=2))


def merge(settings: Settings, **changes: Any) -> Settings:
    data = asdict(settings) | changes
    return Settings(**data)
