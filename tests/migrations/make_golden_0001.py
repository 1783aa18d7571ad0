"""Make ``golden_0001.db``: a small, realistic database as schema 0001 writes it.

How it was made (once, with the code of the 0001 release)::

    .venv/bin/python tests/migrations/make_golden_0001.py

The records are written through the services, exactly as a user of that release would have
written them, into a temporary data folder; the result is then copied with SQLite's backup API
into one self-contained file (``journal_mode=DELETE``, vacuumed) next to this script.

Do not regenerate the file once a later schema (0002, …) exists: it stands for the databases
that users of the 0001 release have on their disks, and ``test_golden_databases.py`` upgrades
it with the current code. The script refuses to run when the code's head revision is not 0001;
``--force`` overwrites an existing file. Timestamps (created_at, history times) are those of
the moment the file was made, so regenerating changes the bytes but not the records.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from jituan_desktop import paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.domain.charter import CharterSection, Group, Leader, Membership, Plan
from jituan_desktop.domain.enums import (
    CadreRank,
    LeaderRole,
    PlanKind,
    SchoolRole,
    SectionKind,
    Stage,
    TeacherTitle,
)
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.persistence.migrate import HEAD_REVISION
from jituan_desktop.settings import Settings

REVISION = "0001"
TARGET = Path(__file__).with_name(f"golden_{REVISION}.db")
ACTOR = "金样本录入员"

GROUP = "贺兰山教育集团"
CORE_SCHOOL = "阿拉善左旗巴彦浩特第一实验小学"
CORE_CODE = "91350100M000100Y43"
MEMBER_SCHOOL = "阿拉善左旗宗别立镇小学"
TEACHERS = [  # name, school, subjects (in order), title
    ("王建华", CORE_SCHOOL, ("数学", "科学"), TeacherTitle.SENIOR),
    ("苏日娜", CORE_SCHOOL, ("蒙古语文", "语文", "道德与法治"), TeacherTitle.FIRST),
    ("赵国庆", MEMBER_SCHOOL, ("体育",), TeacherTitle.SECOND),
]


def fill(services) -> None:  # type: ignore[no-untyped-def]
    services.calendar.ensure_school_years(2025, 2025)
    group, _ = services.groups.save_group(Group(
        None, GROUP, "alxa_2024", "共建型", short_name="贺兰山集团",
        region="内蒙古自治区阿拉善盟阿拉善左旗", founded_on=dt.date(2024, 9, 1)))
    core, _ = services.schools.save(School(
        None, CORE_SCHOOL, "一实小", CORE_CODE, "巴彦浩特镇贺兰山路18号", "王建华",
        Stage.PRIMARY, is_quality=True))
    member, _ = services.schools.save(School(
        None, MEMBER_SCHOOL, "宗别立小学", stage=Stage.PRIMARY, is_rural=True,
        is_small_rural=True, is_weak=True))
    services.groups.save_membership(Membership(
        None, group.id, core.id, SchoolRole.CORE, dt.date(2024, 9, 1), role_label="核心校"))
    period, _ = services.groups.save_membership(Membership(
        None, group.id, member.id, SchoolRole.MEMBER, dt.date(2024, 9, 1), role_label="成员校"))
    services.groups.save_membership(dataclasses.replace(
        period, left_on=dt.date(2025, 8, 31), leave_reason="学校撤并",
        leave_evidence="阿左旗教体发〔2025〕31号"))
    ids = {CORE_SCHOOL: core.id, MEMBER_SCHOOL: member.id}
    first = None
    for name, school, subjects, title in TEACHERS:
        teacher, _ = services.teachers.save(Teacher(
            None, ids[school], name, gender="男" if name != "苏日娜" else "女",
            subjects=subjects, title=title, hired_on=dt.date(2005, 9, 1),
            cadre_rank=CadreRank.SCHOOL_LEADER if first is None else CadreRank.NONE,
            is_backbone=first is None))
        first = first or teacher
    services.charter.save_leader(Leader(None, group.id, LeaderRole.LEADER, first.name,
                                        teacher_id=first.id, school_id=core.id,
                                        position="校长"))
    rules = next(s for s in services.charter.sections(group.id)
                 if s.kind is SectionKind.RULES_OF_PROCEDURE)
    services.charter.save_section(CharterSection(rules.id, group.id, rules.kind, rules.title,
                                                 "理事会每学期至少召开两次会议。",
                                                 rules.sort_order))
    services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2025,
                                    "2025—2026学年集团工作计划", "1. 完成章程修订。"))
    draft, _ = services.charter.save_plan(Plan(None, group.id, PlanKind.ANNUAL, 2026, "草稿"))
    services.recycle_bin.delete("plan", draft.id)  # one record in the recycle bin


def make(target: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        data = paths.DataPaths(Path(tmp))
        services = open_services(data, Settings(actor_name=ACTOR))
        try:
            fill(services)
        finally:
            services.close()
        copy_database(data.database, target)
    return target


def copy_database(source: Path, target: Path) -> None:
    """One self-contained, vacuumed file (no -wal) with the records of ``source``."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("VACUUM")
    finally:
        dst.close()
        src.close()


def run(argv: list[str] | None, revision: str, target: Path,
        make_file: Callable[[Path], Path], description: str) -> int:
    """The command line of every make_golden script: refuse the wrong schema or overwriting."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    if revision != HEAD_REVISION:
        print(f"the code is at schema {HEAD_REVISION}; golden_{revision}.db must be made with "
              f"the code of schema {revision}", file=sys.stderr)
        return 1
    if target.exists() and not args.force:
        print(f"{target} exists; pass --force to overwrite it", file=sys.stderr)
        return 1
    path = make_file(target)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(argv, REVISION, TARGET, make, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
