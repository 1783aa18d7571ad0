"""The whole dataset as one versioned JSON document (see docs/data-format.md).

Export writes atomically. Import checks the entire file first (format, version, types,
lengths, links between records) and then replaces the dataset in one transaction after a
backup, so a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from jituan_desktop.atomic import write_text_atomic
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.i18n import _
from jituan_desktop.persistence.models import AuditRow
from jituan_desktop.services.base import Changes, Database
from jituan_desktop.services.dataset_check import HISTORY_KEY, SECTIONS, decode, find_problems

FORMAT_NAME = "jituan-desktop-dataset"
FORMAT_VERSION = 2

# The record kinds an import replaces, as views listen for them (Changes.kinds)
RECORD_KINDS = ("semester", "school", "teacher", "group", "membership", "leader",
                "charter_section", "plan", "placement", "course", "rotation",
                "rotation_eligible", "agreement", "research_session", "signing_identity",
                "recycle_bin")



def _upgrade_from_1(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added the activity records and agreements: a version 1 file has none."""
    upgraded = dict(doc, format_version=2)
    for key in SECTIONS:
        upgraded.setdefault(key, [])
    return upgraded


# Upgrades of older files, keyed by the version they upgrade *from*.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_from_1}


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
    def __init__(self, db: Database, backup: Callable[[], Path | None],
                 profiles: Mapping[str, PolicyProfile]) -> None:
        """``profiles``: the installed policy profiles; a group of another is refused."""
        self.db = db
        self._backup = backup
        self.profiles = profiles

    # ---- export --------------------------------------------------------------------------

    def export_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                               "exported_at": dt.datetime.now().isoformat(timespec="seconds")}
        with self.db.reading() as s:
            for key, table in SECTIONS.items():
                rows = s.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                doc[key] = [{k: _encode(v) for k, v in row.items()} for row in rows]
            for record in doc.get("research_sessions", []):  # derived, ignored on import
                record["duration_minutes"] = record["end_minute"] - record["start_minute"]
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
        problems = find_problems(doc, self.profiles)
        if problems:
            raise DatasetError(problems)
        return doc

    def import_json(self, path: Path) -> tuple[ImportSummary, Changes]:
        """Replace the dataset with the file's. All or nothing; the old data is backed up."""
        doc = self.read_document(path)
        backup = self._backup()
        counts: dict[str, int] = {}
        try:
            with self.db.unit_of_work() as s:
                for table in reversed(SECTIONS.values()):
                    s.execute(delete(table))
                for key, table in SECTIONS.items():
                    records = [decode(r, table) for r in doc.get(key, [])]
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
                    s.execute(insert(audit), [
                        {k: v for k, v in decode(r, audit).items() if k != "id"}
                        for r in doc[HISTORY_KEY]])
                self.db.audit(s, "import", "dataset", None,
                              _("Replaced the dataset with {file}").format(file=path.name),
                              details={"counts": counts,
                                       "backup": str(backup) if backup else None})
        except IntegrityError as exc:  # the checks should catch everything; the database didn't
            raise DatasetError([_("The database refused the file's records, so nothing was "
                                  "imported: {error}").format(error=exc.orig)]) from exc
        return ImportSummary(counts, backup), Changes.of(*RECORD_KINDS)


def counts_text(counts: Mapping[str, int]) -> str:
    """``学校：5，教师：120，集团：1`` for messages after an export or import."""
    return _("schools: {schools}, teachers: {teachers}, groups: {groups}").format(
        schools=counts["schools"], teachers=counts["teachers"], groups=counts["groups"])
