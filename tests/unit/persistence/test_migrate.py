"""Opening a database file at startup: create, upgrade, or refuse with a clear error."""

from __future__ import annotations

import errno
import sqlite3
import tempfile
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from jituan_desktop import bootstrap, paths
from jituan_desktop.bootstrap import ensure_writable, open_services
from jituan_desktop.persistence import migrate
from jituan_desktop.persistence.backup import backup_database
from jituan_desktop.persistence.errors import (
    DataDirError,
    NewerDatabaseError,
    NotADatabaseError,
    StorageError,
)
from jituan_desktop.persistence.migrate import HEAD_REVISION, read_revision, upgrade_database
from jituan_desktop.settings import Settings

ACTOR = "测试员"


def alembic_script() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return ScriptDirectory.from_config(cfg)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_head_revision_is_alembics_single_head() -> None:
    script = alembic_script()
    assert script.get_heads() == [HEAD_REVISION]
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}
    assert HEAD_REVISION in migrate.known_revisions()


def test_a_new_database_is_created_at_head_without_a_backup(tmp_path) -> None:
    db = tmp_path / "new" / "jituan.db"
    result = upgrade_database(db, tmp_path / "backups")
    assert (result.from_revision, result.to_revision, result.backup) == (
        None, HEAD_REVISION, None)
    assert read_revision(db) == HEAD_REVISION
    assert not (tmp_path / "backups").exists()
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        conn.close()
    assert {"schools", "teachers", "edu_groups", "memberships", "audit_log",
            "alembic_version"} <= tables
    assert triggers == {"audit_log_no_update", "audit_log_no_delete"}


def test_a_database_at_head_is_left_alone(services) -> None:
    path = services.data.database
    services.close()
    result = upgrade_database(path, services.data.backups)
    assert (result.from_revision, result.backup) == (HEAD_REVISION, None)


def test_an_empty_file_is_treated_as_a_new_database(tmp_path) -> None:
    db = tmp_path / "jituan.db"
    db.touch()
    assert read_revision(db) is None
    assert upgrade_database(db, tmp_path / "b").to_revision == HEAD_REVISION
    assert read_revision(db) == HEAD_REVISION


def test_the_fixture_database_was_migrated_on_open(services) -> None:
    assert services.migration.to_revision == HEAD_REVISION
    assert services.migration.from_revision is None


@pytest.mark.parametrize("content", [
    "这是一个文本文件，不是数据库。\n".encode(),
    b"SQLite format 3\x00" + b"\x00\xff" * 100,  # header, then garbage
])
def test_a_file_that_is_not_a_usable_sqlite_database_is_refused(data_dir, content) -> None:
    # GIVEN a text file (or a damaged one) where the database should be
    data = paths.DataPaths(data_dir)
    data.database.parent.mkdir(parents=True)
    data.database.write_bytes(content)
    # WHEN the program opens it
    with pytest.raises(NotADatabaseError) as caught:
        open_services(data, Settings(actor_name=ACTOR))
    # THEN it refuses with a message naming the file, and leaves the file as it was
    assert str(data.database) in str(caught.value)
    assert data.database.read_bytes() == content
    assert isinstance(caught.value, StorageError)


def test_an_sqlite_database_of_another_program_is_refused(data_dir) -> None:
    # GIVEN an SQLite file with tables but no alembic_version
    data = paths.DataPaths(data_dir)
    data.database.parent.mkdir(parents=True)
    conn = sqlite3.connect(data.database)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('张三')")
    conn.commit()
    conn.close()
    before = files_in(data.database.parent)
    # WHEN the program opens it  THEN it refuses and the file is unchanged
    with pytest.raises(NotADatabaseError):
        open_services(data, Settings(actor_name=ACTOR))
    assert files_in(data.database.parent) == before


def test_a_database_of_a_newer_version_is_refused_byte_identical(services) -> None:
    # GIVEN a database whose revision this version does not know
    path = services.data.database
    services.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    content = path.read_bytes()
    # WHEN the program opens it
    with pytest.raises(NewerDatabaseError) as caught:
        open_services(services.data, Settings(actor_name=ACTOR))
    # THEN it refuses, naming the revision, and neither changes nor backs up the file
    assert "9999" in str(caught.value)
    assert path.read_bytes() == content
    assert not services.data.backups.exists()


def test_a_database_with_tables_but_no_revision_row_is_refused(services) -> None:
    path = services.data.database
    services.close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()
    content = path.read_bytes()
    with pytest.raises(StorageError):
        open_services(services.data, Settings(actor_name=ACTOR))
    assert path.read_bytes() == content


def test_read_revision_of_a_missing_file_is_none(tmp_path) -> None:
    assert read_revision(tmp_path / "nothing.db") is None


# ---- the data folder ----------------------------------------------------------------------


def test_a_data_folder_below_a_regular_file_is_refused(tmp_path) -> None:
    # GIVEN a path whose parent is a file, so no folder can be made there
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    # WHEN the program checks or opens that folder  THEN it refuses with DataDirError
    with pytest.raises(DataDirError) as caught:
        ensure_writable(blocker / "data")
    assert str(blocker / "data") in str(caught.value)
    with pytest.raises(DataDirError):
        open_services(paths.DataPaths(blocker / "data"), Settings(actor_name=ACTOR))
    assert blocker.read_text() == "x"


def test_an_unwritable_data_folder_is_refused(tmp_path, monkeypatch) -> None:
    # GIVEN a folder in which no file can be created (simulated: tests run as root)
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    # WHEN it is checked  THEN DataDirError says why, and no database was created
    with pytest.raises(DataDirError) as caught:
        ensure_writable(tmp_path / "data")
    assert "Permission denied" in str(caught.value)
    with pytest.raises(DataDirError):
        bootstrap.open_services(paths.DataPaths(tmp_path / "data"), Settings(actor_name=ACTOR))
    assert not (tmp_path / "data" / "jituan.db").exists()


def test_a_writable_folder_passes_and_keeps_no_probe_file(tmp_path) -> None:
    folder = tmp_path / "a" / "b"
    ensure_writable(folder)
    assert folder.is_dir() and list(folder.iterdir()) == []


# ---- backups ------------------------------------------------------------------------------


def test_a_backup_is_one_complete_file(services, add_school) -> None:
    # GIVEN a database (WAL mode) with a school
    add_school("甲校")
    # WHEN it is backed up
    backup = services.backup("manual")
    # THEN the backup is a single SQLite file, not in WAL mode, holding the school
    assert backup.parent == services.data.backups
    assert "manual" in backup.name and backup.suffix == ".db"
    assert [p.name for p in services.data.backups.iterdir()] == [backup.name]
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT name FROM schools").fetchall() == [("甲校",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
            HEAD_REVISION
    finally:
        conn.close()


def test_a_backup_can_be_opened_as_a_database(services, add_school, tmp_path) -> None:
    add_school("甲校")
    backup = backup_database(services.data.database, tmp_path / "copies", "test")
    restored = paths.DataPaths(tmp_path / "restored")
    restored.database.parent.mkdir(parents=True)
    restored.database.write_bytes(backup.read_bytes())
    again = open_services(restored, Settings(actor_name=ACTOR))
    try:
        assert [s.name for s in again.schools.list()] == ["甲校"]
    finally:
        again.close()
