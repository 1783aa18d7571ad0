"""The whole dataset as one versioned JSON document (see docs/data-format.md).

Export writes atomically. Import checks the entire file first (format, version, types,
lengths, links between records) and then replaces the dataset in one transaction after a
backup, so a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Table, delete, func, insert, select

from jituan_desktop.atomic import write_text_atomic
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import (
    AuditRow,
    CharterSectionRow,
    GroupRow,
    LeaderRow,
    MembershipRow,
    PlanRow,
    SchoolRow,
    SemesterRow,
    TeacherRow,
    TeacherSubjectRow,
)
from jituan_desktop.services.base import Changes, Database

FORMAT_NAME = "jituan-desktop-dataset"
FORMAT_VERSION = 1

# JSON key → table, parents before children (import order; deletion runs in reverse)
SECTIONS: dict[str, Table] = {
    "semesters": SemesterRow.__table__,
    "schools": SchoolRow.__table__,
    "teachers": TeacherRow.__table__,
    "teacher_subjects": TeacherSubjectRow.__table__,
    "groups": GroupRow.__table__,
    "memberships": MembershipRow.__table__,
    "leaders": LeaderRow.__table__,
    "charter_sections": CharterSectionRow.__table__,
    "plans": PlanRow.__table__,
}
HISTORY_KEY = "history"

# Upgrades of older files, keyed by the version they upgrade *from* (none yet).
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class DatasetError(Exception):
    """The file cannot be imported; ``problems`` lists what is wrong, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems[:20]))
        self.problems = problems


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, int]
    backup: Path | None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


class DatasetService:
    def __init__(self, db: Database, backup: Callable[[], Path | None]) -> None:
        self.db = db
        self._backup = backup

    # ---- export --------------------------------------------------------------------------

    def export_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                               "exported_at": dt.datetime.now().isoformat(timespec="seconds")}
        with self.db.reading() as s:
            for key, table in SECTIONS.items():
                rows = s.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                doc[key] = [{k: _encode(v) for k, v in row.items()} for row in rows]
            audit = AuditRow.__table__
            doc[HISTORY_KEY] = [
                {k: _encode(v) for k, v in row.items() if k != "id"}
                for row in s.execute(select(audit).order_by(audit.c.id)).mappings()]
        return doc

    def export_json(self, path: Path) -> dict[str, int]:
        doc = self.export_document()
        write_text_atomic(path, json.dumps(doc, ensure_ascii=False, indent=1))
        return {key: len(doc[key]) for key in SECTIONS}

    # ---- import --------------------------------------------------------------------------

    def read_document(self, path: Path) -> dict[str, Any]:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise DatasetError([_("The file cannot be read: {error}").format(error=exc)]) from exc
        except ValueError as exc:
            raise DatasetError([_("The file is not valid JSON: {error}").format(
                error=exc)]) from exc
        return self.check_document(doc)

    def check_document(self, doc: Any) -> dict[str, Any]:
        """Return the document upgraded to FORMAT_VERSION; raise DatasetError listing problems."""
        if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
            raise DatasetError([_("This is not a Jituan Desktop data file.")])
        version = doc.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise DatasetError([_("The file has no valid format version.")])
        if version > FORMAT_VERSION:
            raise DatasetError([_("The file was written by a newer version of Jituan Desktop "
                                  "(format {found}; this version reads up to {known}). Install "
                                  "the newer version to import it.").format(
                                      found=version, known=FORMAT_VERSION)])
        while version < FORMAT_VERSION:
            doc = UPGRADES[version](doc)
            version = doc["format_version"]
        problems: list[str] = []
        for key, table in SECTIONS.items():
            records = doc.get(key, [])
            if not isinstance(records, list):
                problems.append(_("“{key}” must be a list.").format(key=key))
                continue
            for i, record in enumerate(records):
                problems.extend(_check_record(key, i, record, table))
        if not isinstance(doc.get(HISTORY_KEY, []), list):
            problems.append(_("“{key}” must be a list.").format(key=HISTORY_KEY))
        if not problems:
            problems.extend(_check_links(doc))
        if problems:
            raise DatasetError(problems)
        return doc

    def import_json(self, path: Path) -> tuple[ImportSummary, Changes]:
        """Replace the dataset with the file's. All or nothing; the old data is backed up."""
        doc = self.read_document(path)
        backup = self._backup()
        counts: dict[str, int] = {}
        with self.db.unit_of_work() as s:
            for table in reversed(SECTIONS.values()):
                s.execute(delete(table))
            for key, table in SECTIONS.items():
                records = [_decode(r, table) for r in doc.get(key, [])]
                # an executemany uses the first record's keys for all: group by key set
                by_keys: dict[frozenset[str], list[dict[str, Any]]] = {}
                for record in records:
                    by_keys.setdefault(frozenset(record), []).append(record)
                for batch in by_keys.values():
                    s.execute(insert(table), batch)
                counts[key] = len(records)
            history_empty = s.scalar(select(func.count()).select_from(AuditRow)) == 0
            audit = AuditRow.__table__
            if history_empty and doc.get(HISTORY_KEY):
                s.execute(insert(audit), [_decode(r, audit) for r in doc[HISTORY_KEY]])
            self.db.audit(s, "import", "dataset", None,
                          _("Replaced the dataset with {file}").format(file=path.name),
                          details={"counts": counts, "backup": str(backup) if backup else None})
        return ImportSummary(counts, backup), Changes.of(*SECTIONS, "recycle_bin")


def _check_record(key: str, index: int, record: Any, table: Table) -> list[str]:
    where = f"{key}[{index + 1}]"
    if not isinstance(record, dict):
        return [_("{where}: must be an object.").format(where=where)]
    problems = []
    for column in table.columns:
        value = record.get(column.name)
        if value is None:
            if not column.nullable and column.default is None and not (
                    column.primary_key and isinstance(column.type, Integer)):
                problems.append(_("{where}: “{field}” is missing.").format(
                    where=where, field=column.name))
            continue
        if not _type_ok(column.type, value):
            problems.append(_("{where}: “{field}” has an invalid value {value!r}.").format(
                where=where, field=column.name, value=value))
    return problems


def _type_ok(type_: Any, value: Any) -> bool:
    try:
        if isinstance(type_, Boolean):
            return isinstance(value, bool)
        if isinstance(type_, Integer):
            return isinstance(value, int) and not isinstance(value, bool)
        if isinstance(type_, DateTime):
            dt.datetime.fromisoformat(value)
        elif isinstance(type_, Date):
            dt.date.fromisoformat(value)
        elif isinstance(type_, String):
            return isinstance(value, str) and (type_.length is None or len(value) <= type_.length)
    except (TypeError, ValueError):
        return False
    return True


def _decode(record: dict[str, Any], table: Table) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        if column.name not in record:
            continue
        value = record[column.name]
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        out[column.name] = value
    return out


LINKS = [  # (section, field, target section, nullable)
    ("teachers", "school_id", "schools", False),
    ("teacher_subjects", "teacher_id", "teachers", False),
    ("memberships", "group_id", "groups", False),
    ("memberships", "school_id", "schools", False),
    ("leaders", "group_id", "groups", False),
    ("leaders", "school_id", "schools", True),
    ("leaders", "teacher_id", "teachers", True),
    ("charter_sections", "group_id", "groups", False),
    ("plans", "group_id", "groups", False),
]


def _check_links(doc: dict[str, Any]) -> list[str]:
    ids = {key: {r.get("id") for r in doc.get(key, [])} for key in SECTIONS}
    problems = []
    for key, records in doc.items():
        if key in ids and len(ids[key]) != len(records) and key != "teacher_subjects":
            problems.append(_("“{key}” contains the same id twice.").format(key=key))
    for section, field_name, target, nullable in LINKS:
        for i, record in enumerate(doc.get(section, [])):
            value = record.get(field_name)
            if (value is None and nullable) or value in ids[target]:
                continue
            problems.append(_("{where}: “{field}” refers to a record that is not in the "
                              "file ({value}).").format(where=f"{section}[{i + 1}]",
                                                        field=field_name, value=value))
    return problems
