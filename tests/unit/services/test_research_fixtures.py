"""Helpers (no tests): a small group for the research tests, with two member schools, one
school outside the group and their teachers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jituan_desktop.domain.enums import SchoolRole, Stage
from jituan_desktop.domain.research import (
    AttendanceEntry,
    AttendanceStatus,
    ResearchSession,
    ResearchType,
)
from jituan_desktop.domain.schools import Teacher

DAY = dt.date(2025, 10, 8)


@dataclass(frozen=True)
class World:
    group_id: int
    core: int
    member: int
    outsider: int
    teachers: dict[str, int]  # name → id


def build_world(services, add_school, add_group, join) -> World:  # type: ignore[no-untyped-def]
    group = add_group("贺兰山教育集团")
    core = add_school("第一实验小学", stage=Stage.PRIMARY, short_name="一实小")
    member = add_school("第五小学", stage=Stage.PRIMARY, short_name="五小")
    outsider = add_school("外集团小学", stage=Stage.PRIMARY)
    join(group, core, SchoolRole.CORE, dt.date(2025, 9, 1))
    join(group, member, SchoolRole.MEMBER, dt.date(2025, 9, 1))
    teachers = {}
    for name, school, subject in (("王老师", core, "语文"), ("李老师", core, "数学"),
                                  ("张老师", member, "语文"), ("赵老师", outsider, "语文")):
        saved, _changes = services.teachers.save(Teacher(None, school.id, name,
                                                         subjects=(subject,)))
        teachers[name] = saved.id
    return World(group.id, core.id, member.id, outsider.id, teachers)


def session(world: World, **changes) -> ResearchSession:  # type: ignore[no-untyped-def]
    values = dict(
        id=None, group_id=world.group_id, held_on=DAY, start_minute=14 * 60 + 30,
        end_minute=16 * 60, subject="语文", stage=Stage.PRIMARY,
        kind=ResearchType.COLLECTIVE_PREP, host_school_id=world.core,
        school_ids=tuple(sorted((world.core, world.member))), topic="单元整体教学")
    if "attendance" not in changes:
        values["attendance"] = (
            AttendanceEntry(world.teachers["王老师"]),
            AttendanceEntry(world.teachers["张老师"], AttendanceStatus.LATE, "路远"))
    values.update(changes)
    return ResearchSession(**values)
