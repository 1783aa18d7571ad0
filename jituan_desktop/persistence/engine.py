"""Engine factory with the SQLite settings verified in STACK.md §8 and gotchas 22–23."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """One engine per process. For SQLite: WAL, foreign keys, FULL sync, transactional DDL.

    ``foreign_keys=False`` is for the migration engine only (batch migrations copy parent
    tables; see STACK.md gotcha 23).
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (DDL included)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA synchronous=FULL")  # records people cannot re-type
        cur.execute("PRAGMA busy_timeout=5000")  # a second copy of the program waits, not fails
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services build DTOs after commit without new queries
    return sessionmaker(engine, expire_on_commit=False)
