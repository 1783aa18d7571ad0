"""Single-file copies of the database with SQLite's online backup API (STACK.md gotcha 24)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path


def backup_database(source: Path, target_dir: Path, label: str) -> Path:
    """Copy ``source`` into ``target_dir`` as ``<stem>-<label>-<timestamp>.db``; return it.

    The copy is written under a temporary name and renamed, so a power cut leaves either
    no backup or a complete one.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{source.stem}-{label}-{stamp}.db"
    tmp = target.with_suffix(".db.part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target
