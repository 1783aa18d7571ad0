"""What every service needs: units of work, the acting user, the audit trail, Changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
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


# A history summary: a translated template with ``{name}``, or a function of the written row and
# the values before the write (None for a new row) that returns the finished text.
Summary = str | Callable[[Any, dict[str, Any] | None], str]


def upsert(db: Database, s: Session, row_cls: type[Any], record_id: int | None,
           values: dict[str, Any], entity: str, *, created: Summary, changed: Summary,
           group_id: int | Callable[[Any], int | None] | None = None) -> Any:
    """Insert (``record_id`` None) or update a row and write its history.

    A template summary gets ``{name}`` from ``values["name"|"title"|"person_name"]``.
    ``group_id`` may be a function of the row (a new group is its own group). A row that is
    in the recycle bin is not updated: NotFound.
    """
    name = values.get("name") or values.get("title") or values.get("person_name") or ""

    def summary(text: Summary, row: Any, before: dict[str, Any] | None) -> str:
        return text.format(name=name) if isinstance(text, str) else text(row, before)

    def group_of(row: Any) -> int | None:
        return group_id(row) if callable(group_id) else group_id

    if record_id is None:
        row = row_cls(**values)
        s.add(row)
        s.flush()
        db.audit(s, "create", entity, row.id, summary(created, row, None),
                 group_id=group_of(row), details=values)
        return row
    row = s.get(row_cls, record_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(record_id)
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    db.audit(s, "update", entity, row.id, summary(changed, row, before), group_id=group_of(row),
             details=diff(before, values))
    return row


def names_in_use(s: Session, row_cls: type[Any], *, except_id: int | None = None) -> set[str]:
    """The names of the records of ``row_cls`` not in the recycle bin, but for ``except_id``.

    Schools and groups keep unique names among the records in use.
    """
    query = select(row_cls.name).where(row_cls.deleted_at.is_(None))
    if except_id is not None:
        query = query.where(row_cls.id != except_id)
    return set(s.scalars(query))


def local_time(utc: dt.datetime) -> dt.datetime:
    """A naive UTC time from the database as the computer's local wall-clock time."""
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
