"""What every service needs: units of work, the acting user, the audit trail, Changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jituan_desktop.i18n import _
from jituan_desktop.persistence.errors import StorageError
from jituan_desktop.persistence.models import AuditRow, utcnow


@dataclass(frozen=True)
class Changes:
    """What a write touched, so open views can decide whether to refresh."""

    kinds: frozenset[str] = frozenset()
    ids: frozenset[int] = field(default=frozenset())

    @classmethod
    def of(cls, *kinds: str, ids: Iterable[int] = ()) -> Changes:
        return cls(frozenset(kinds), frozenset(i for i in ids if i is not None))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.ids | other.ids)

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))


class NotFound(LookupError):
    """The record does not exist or is in the recycle bin."""


class WriteFailed(StorageError):
    """The database refused a write; the transaction was rolled back."""


class Database:
    """Hands out one unit of work per user action and records who acted."""

    def __init__(self, session_factory: sessionmaker[Session], actor: str) -> None:
        self.session_factory = session_factory
        self.actor = actor

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back on any exception."""
        try:
            with self.session_factory.begin() as session:
                yield session
        except OperationalError as exc:  # locked by another copy, disk full, read-only file …
            raise WriteFailed(_("The database could not be written (it may be busy in another "
                                "copy of the program, or the disk is full). Nothing was "
                                "changed.") + f"\n\n{exc.orig}") from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.session_factory() as session:
            yield session

    def audit(self, session: Session, action: str, entity: str, entity_id: int | None,
              summary: str, *, group_id: int | None = None,
              details: dict[str, Any] | None = None) -> None:
        session.add(AuditRow(at=utcnow(), actor=self.actor, action=action, entity=entity,
                             entity_id=entity_id, group_id=group_id, summary=summary,
                             details=_jsonable(details) if details else None))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Fields that changed, as ``{field: [old, new]}`` for the history."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def upsert(db: Database, s: Session, row_cls: type[Any], record_id: int | None,
           values: dict[str, Any], entity: str, *, created: str, changed: str,
           group_id: int | None = None) -> Any:
    """Insert (``record_id`` None) or update a soft-deletable row and write its history.

    ``created``/``changed`` are translated summaries; ``{name}`` may appear in them and is
    filled from ``values["name"|"title"|"person_name"]``.
    """
    name = values.get("name") or values.get("title") or values.get("person_name") or ""
    if record_id is None:
        row = row_cls(**values)
        s.add(row)
        s.flush()
        db.audit(s, "create", entity, row.id, created.format(name=name), group_id=group_id,
                 details=values)
        return row
    row = s.get(row_cls, record_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(record_id)
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    db.audit(s, "update", entity, row.id, changed.format(name=name), group_id=group_id,
             details=diff(before, values))
    return row


def local_time(utc: dt.datetime) -> dt.datetime:
    """A naive UTC time from the database as the computer's local wall-clock time."""
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
