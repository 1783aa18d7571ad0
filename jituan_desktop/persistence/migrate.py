"""Bring a database file to the current schema at startup.

Order: check it is SQLite at all → read its revision → at head: done (alembic is not even
imported) → unknown revision: refuse, it comes from a newer version → older: back it up, then
upgrade in one transaction on a foreign-keys-off engine and check foreign keys before commit.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from jituan_desktop.i18n import _
from jituan_desktop.paths import migrations_dir
from jituan_desktop.persistence.backup import backup_database
from jituan_desktop.persistence.engine import make_engine, sqlite_url
from jituan_desktop.persistence.errors import (
    MigrationFailed,
    NewerDatabaseError,
    NotADatabaseError,
)

log = logging.getLogger(__name__)

HEAD_REVISION = "0006"  # tests assert this equals alembic's head
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def read_revision(path: Path) -> str | None:
    """The alembic revision stored in ``path``; None for a new or empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as f:
        if f.read(16) != SQLITE_HEADER:
            raise NotADatabaseError(_("{file} is not a Jituan Desktop database (it is not an "
                                      "SQLite file).").format(file=path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                                 "name='alembic_version'").fetchone()
        if not has_table:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            if tables.fetchone()[0]:
                raise NotADatabaseError(_("{file} is an SQLite database of another program."
                                          ).format(file=path))
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None and conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table' "
                                        "AND name != 'alembic_version'").fetchone()[0]:
            raise NotADatabaseError(_("{file} has tables but no schema version; it was not "
                                      "made by Jituan Desktop or is damaged.").format(file=path))
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise NotADatabaseError(_("{file} is damaged and cannot be read: {error}").format(
            file=path, error=exc)) from exc
    finally:
        conn.close()


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def upgrade_database(path: Path, backups_dir: Path) -> MigrationResult:
    """Create or upgrade ``path`` to HEAD_REVISION. Raises StorageError subclasses."""
    current = read_revision(path)
    if current == HEAD_REVISION:
        return MigrationResult(current, HEAD_REVISION, None)
    if current is not None and current not in known_revisions():
        raise NewerDatabaseError(_("This database was written by a newer version of Jituan "
                                   "Desktop (schema {rev}). Install the newer version to open "
                                   "it; nothing was changed.").format(rev=current))
    backup = None
    if current is not None:
        backup = backup_database(path, backups_dir, f"before-upgrade-from-{current}")
        log.info("backed up %s to %s before upgrading from %s", path, backup, current)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _run_alembic(path)
    except MigrationFailed:
        raise
    except Exception as exc:  # a bug in a migration: the transaction rolled back
        log.exception("upgrading %s from %s failed", path, current)
        raise MigrationFailed(_("The database could not be upgraded to this version's schema "
                                "({error}); nothing was changed. Please report this problem.")
                              .format(error=exc) + (
                                  "\n" + _("A copy from before the attempt is in {file}.")
                                  .format(file=backup) if backup else "")) from exc
    log.info("database %s upgraded from %s to %s", path, current, HEAD_REVISION)
    return MigrationResult(current, HEAD_REVISION, backup)


def _run_alembic(path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    engine = make_engine(sqlite_url(path), foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise MigrationFailed(_("The upgrade would break links between records "
                                        "({n} problems); nothing was changed.").format(
                                            n=len(broken)))
    finally:
        engine.dispose()
