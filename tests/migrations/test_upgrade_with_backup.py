"""The upgrade path (back up, then migrate in one transaction), with a test-only revision 0002.

No schema after 0001 is released yet, so these tests build a migrations folder of their own:
the real ``env.py``, template and 0001, plus a 0002 that adds a column with
``batch_alter_table`` (the table is copied, as real SQLite migrations do). ``migrate`` is
pointed at that folder and at head 0002; the golden 0001 database is upgraded on a copy.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jituan_desktop import paths
from jituan_desktop.persistence import migrate
from jituan_desktop.persistence.errors import MigrationFailed, StorageError

GOLDEN = Path(__file__).parent / "golden_0001.db"

REVISION_0002 = '''"""test-only: schools get a motto

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schools") as batch_op:
        batch_op.add_column(sa.Column("motto", sa.String(length=100), nullable=True))
    {failure}


def downgrade() -> None:
    with op.batch_alter_table("schools") as batch_op:
        batch_op.drop_column("motto")
'''


def migrations_with_0002(folder: Path, *, failing: bool) -> Path:
    real = paths.migrations_dir()
    (folder / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copyfile(real / name, folder / name)
    shutil.copyfile(real / "versions" / "0001_initial_schema.py",
                    folder / "versions" / "0001_initial_schema.py")
    failure = 'raise RuntimeError("0002 broke half-way")' if failing else "pass"
    (folder / "versions" / "0002_school_motto.py").write_text(
        REVISION_0002.replace("{failure}", failure), encoding="utf-8")
    return folder


@pytest.fixture
def database(tmp_path) -> Path:
    db = tmp_path / "data" / "jituan.db"
    db.parent.mkdir()
    shutil.copyfile(GOLDEN, db)
    return db


def use_0002(monkeypatch, tmp_path, *, failing: bool) -> None:
    folder = migrations_with_0002(tmp_path / "migrations", failing=failing)
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0002")


def tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def rows(db: Path, only: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but alembic_version, in stored order; ``only``: the columns
    to read of some tables (else all)."""
    only = only or {}
    conn = sqlite3.connect(db)
    try:
        return {name: conn.execute(f"SELECT {', '.join(only.get(name, ['*']))} FROM {name} "
                                   "ORDER BY rowid").fetchall()
                for name in sorted(tables(db) - {"alembic_version"})}
    finally:
        conn.close()


def columns(db: Path, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def test_the_test_folder_has_0002_as_its_head(monkeypatch, tmp_path) -> None:
    use_0002(monkeypatch, tmp_path, failing=False)
    assert migrate.known_revisions() == {"0001", "0002"}


def test_a_0001_database_is_backed_up_then_upgraded_to_0002(monkeypatch, tmp_path,
                                                             database) -> None:
    # GIVEN a copy of the 0001 golden database and a program whose head is 0002
    use_0002(monkeypatch, tmp_path, failing=False)
    old_rows = rows(GOLDEN)
    assert sum(len(r) for r in old_rows.values()) > 20
    backups = tmp_path / "data" / "backups"
    # WHEN it is opened (upgraded)
    result = migrate.upgrade_database(database, backups)
    # THEN the result says 0001 → 0002 and names the backup
    assert (result.from_revision, result.to_revision) == ("0001", "0002")
    assert result.backup is not None and result.backup.parent == backups
    assert [p.name for p in backups.iterdir()] == [result.backup.name]
    assert "before-upgrade-from-0001" in result.backup.name
    # AND the backup is a complete 0001 database, holding the same schema and rows
    assert migrate.read_revision(result.backup) == "0001"
    golden, copy = sqlite3.connect(GOLDEN), sqlite3.connect(result.backup)
    try:
        assert list(copy.iterdump()) == list(golden.iterdump())
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        golden.close()
        copy.close()
    # AND the database is at 0002 with the new column and every old row
    assert migrate.read_revision(database) == "0002"
    assert "motto" in columns(database, "schools")
    assert columns(database, "schools")[:-1] == columns(GOLDEN, "schools")
    assert rows(database, {"schools": columns(GOLDEN, "schools")}) == old_rows
    assert not {t for t in tables(database) if t.startswith("_alembic_tmp")}
    # AND opening it again does nothing more
    again = migrate.upgrade_database(database, backups)
    assert (again.from_revision, again.backup) == ("0002", None)


def test_a_failing_upgrade_leaves_the_database_as_it_was(monkeypatch, tmp_path,
                                                         database) -> None:
    # GIVEN a 0002 that fails after it has rebuilt the schools table
    use_0002(monkeypatch, tmp_path, failing=True)
    backups = tmp_path / "data" / "backups"
    # WHEN the 0001 database is opened
    with pytest.raises(MigrationFailed) as caught:
        migrate.upgrade_database(database, backups)
    # THEN the user gets a storage error naming the cause and the backup
    assert isinstance(caught.value, StorageError)
    assert "0002 broke half-way" in str(caught.value)
    [backup] = backups.iterdir()
    assert str(backup) in str(caught.value)
    # AND the database is still 0001 with the same tables, columns and rows
    assert migrate.read_revision(database) == "0001"
    assert tables(database) == tables(GOLDEN)
    assert not {t for t in tables(database) if t.startswith("_alembic_tmp")}
    assert columns(database, "schools") == columns(GOLDEN, "schools")
    assert rows(database) == rows(GOLDEN)
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        conn.close()
