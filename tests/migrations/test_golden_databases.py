"""Golden databases: one per released schema, opened and upgraded by the current code.

``golden_0001.db`` was made by ``make_golden_0001.py`` (see its docstring). Each test works on a
copy in ``tmp_path``; the committed files are never written.

When a schema 0002 is released, add here: a test that copies ``golden_0001.db``, opens it with
``open_services`` and asserts ``services.migration.from_revision == "0001"``, that
``services.migration.backup`` exists and still reads as revision 0001 with every record, and
that the upgraded records read the same through the services; then make ``golden_0002.db``
with a ``make_golden_0002.py`` run by the 0002 code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from jituan_desktop import paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.domain.enums import SchoolRole, TeacherTitle
from jituan_desktop.persistence.migrate import HEAD_REVISION, read_revision, upgrade_database
from jituan_desktop.settings import Settings

HERE = Path(__file__).parent
GOLDEN = HERE / "golden_0001.db"
ACTOR = "测试员"
GOLDEN_ACTOR = "金样本录入员"  # make_golden_0001.ACTOR


@pytest.fixture
def golden_copy(tmp_path) -> paths.DataPaths:
    data = paths.DataPaths(tmp_path / "data")
    data.database.parent.mkdir(parents=True)
    shutil.copyfile(GOLDEN, data.database)
    return data


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_golden_file_is_one_small_sqlite_file_at_0001() -> None:
    assert GOLDEN.stat().st_size < 200 * 1024
    assert GOLDEN.read_bytes()[:16] == b"SQLite format 3\x00"
    # bytes 18-19 are 1/1 for a rollback journal and 2/2 for WAL: the file needs no -wal
    assert GOLDEN.read_bytes()[18:20] == b"\x01\x01"
    assert not GOLDEN.with_name(GOLDEN.name + "-wal").exists()
    conn = sqlite3.connect(f"file:{GOLDEN}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_reading_the_revision_does_not_touch_the_golden_file() -> None:
    before = digest(GOLDEN)
    assert read_revision(GOLDEN) == "0001"
    assert digest(GOLDEN) == before


def test_a_0001_database_opens_and_its_records_read_through_the_services(golden_copy) -> None:
    # WHEN a copy of the 0001 golden database is opened by the current program
    services = open_services(golden_copy, Settings(actor_name=ACTOR))
    try:
        assert services.migration.from_revision == "0001"
        assert services.migration.to_revision == HEAD_REVISION
        # THEN the group, its schools and membership history read as they were written
        [group] = services.groups.list()
        assert group.name == "贺兰山教育集团" and group.founded_on == dt.date(2024, 9, 1)
        assert group.profile_id == "alxa_2024" and group.model_label == "共建型"
        schools = {s.name: s for s in services.schools.list()}
        core = schools["阿拉善左旗巴彦浩特第一实验小学"]
        member = schools["阿拉善左旗宗别立镇小学"]
        assert core.credit_code == "91350100M000100Y43" and core.is_quality
        assert member.is_rural and member.is_small_rural and member.is_weak
        periods = services.groups.memberships(group.id)
        assert [(m.school_id, m.role, m.left_on) for m in periods] == [
            (core.id, SchoolRole.CORE, None),
            (member.id, SchoolRole.MEMBER, dt.date(2025, 8, 31))]
        assert periods[1].leave_reason == "学校撤并"
        assert [m.school_id for m in services.groups.members_on(group.id,
                                                                dt.date(2025, 9, 1))] == [
            core.id]
        # AND the teachers with their subjects in order
        teachers = {t.name: t for t in services.teachers.list()}
        assert set(teachers) == {"王建华", "苏日娜", "赵国庆"}
        assert teachers["苏日娜"].subjects == ("蒙古语文", "语文", "道德与法治")
        assert teachers["王建华"].subjects == ("数学", "科学")
        assert teachers["王建华"].title is TeacherTitle.SENIOR
        assert teachers["赵国庆"].school_id == member.id
        # AND the charter, calendar, recycle bin and history
        assert services.charter.leaders(group.id)[0].person_name == "王建华"
        assert any(s.body for s in services.charter.sections(group.id))
        assert [p.start_year for p in services.charter.plans(group.id)] == [2025]
        assert [(x.entity, x.label) for x in services.recycle_bin.list()] == [("plan", "草稿")]
        assert [(s.school_year, s.term) for s in services.calendar.semesters()] == [
            (2025, 2), (2025, 1)]
        history = services.recycle_bin.history()
        assert len(history) == 16 and {h.actor for h in history} == {GOLDEN_ACTOR}
        assert services.dataset.export_document()["teacher_subjects"]
        # AND new writes work on it
        services.recycle_bin.restore("plan", services.recycle_bin.list()[0].id)
        assert services.recycle_bin.history()[0].actor == ACTOR
    finally:
        services.close()


def test_upgrading_the_0001_golden_copy_backs_it_up_first(golden_copy) -> None:
    result = upgrade_database(golden_copy.database, golden_copy.backups)
    assert result.from_revision == "0001"
    assert result.to_revision == HEAD_REVISION
    assert read_revision(golden_copy.database) == HEAD_REVISION
    # the backup is the untouched 0001 database
    assert result.backup is not None and read_revision(result.backup) == "0001"
    assert dump(result.backup) == dump(GOLDEN)


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# The heads of released versions: each must keep a golden database the current code upgrades.
# Revisions 0002-0006 were released together (version 0.2), so only their head counts.
RELEASED_HEADS = ("0001", HEAD_REVISION)


def test_every_released_schema_has_a_golden_database() -> None:
    for revision in RELEASED_HEADS:
        assert (HERE / f"golden_{revision}.db").exists(), revision
        assert (HERE / f"make_golden_{revision}.py").exists(), revision


def test_the_0006_golden_database_opens_and_every_kind_of_record_reads(tmp_path) -> None:
    # GIVEN a copy of a database written by the 0006 release (the demo, every record kind)
    data = paths.DataPaths(tmp_path / "data")
    data.database.parent.mkdir(parents=True)
    shutil.copyfile(HERE / "golden_0006.db", data.database)
    with sqlite3.connect(data.database) as conn:
        empty = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            if conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] == 0]
    assert set(empty) <= {"signing_identities"}
    # WHEN the current program opens it
    services = open_services(data, Settings(actor_name=ACTOR))
    try:
        # THEN it needs no upgrade, and the records read through the services
        assert services.migration.from_revision == HEAD_REVISION == "0006"
        group_id = services.groups.list()[0].id
        for listed in (services.courses.list, services.research.list,
                       services.placements.list, services.rotations.list,
                       services.agreements.list):
            assert listed(group_id)
        # AND its export passes the import checks unchanged
        services.dataset.check_document(services.dataset.export_document())
    finally:
        services.close()
