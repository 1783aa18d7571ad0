"""The engine factory: the SQLite settings every connection gets."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from jituan_desktop.persistence.engine import make_engine, make_session_factory, sqlite_url
from jituan_desktop.persistence.models import TeacherRow


def pragma(engine, name: str):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_the_app_engine_uses_wal_foreign_keys_and_full_sync(services) -> None:
    # GIVEN a fresh database opened by the app
    engine = services.engine
    # THEN every connection has the settings of the architecture
    assert pragma(engine, "journal_mode") == "wal"
    assert pragma(engine, "foreign_keys") == 1
    assert pragma(engine, "synchronous") == 2  # FULL
    assert pragma(engine, "busy_timeout") == 5000


def test_a_second_connection_gets_the_same_settings(services) -> None:
    with services.engine.connect() as a, services.engine.connect() as b:
        assert a.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert b.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_migration_engine_turns_foreign_keys_off(tmp_path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.db"), foreign_keys=False)
    try:
        assert pragma(engine, "foreign_keys") == 0
        assert pragma(engine, "journal_mode") == "wal"
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(services, counts) -> None:
    before = counts(services)
    with pytest.raises(IntegrityError), services.db.unit_of_work() as s:
        s.execute(insert(TeacherRow), [{"school_id": 12345, "name": "无校教师",
                                        "title": "first", "cadre_rank": "none"}])
    assert counts(services) == before


def test_ddl_and_writes_roll_back_together(tmp_path) -> None:
    # SQLAlchemy emits BEGIN itself, so even CREATE TABLE is undone by a rollback
    engine = make_engine(sqlite_url(tmp_path / "x.db"))
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("abort")
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM sqlite_master WHERE name = 't'")).scalar() == 0
    finally:
        engine.dispose()


def test_sessions_keep_loaded_values_after_commit(tmp_path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.db"))
    try:
        factory = make_session_factory(engine)
        assert factory.kw["expire_on_commit"] is False
    finally:
        engine.dispose()
