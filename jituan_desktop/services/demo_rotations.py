"""Two school years of teacher rotations for the demo group (Alxa profile).

2025—2026: the core school sends five teachers to the rural and the weak school (a 驻教, a 支教
and a 组团流入 team of three), one itinerant teacher to the former ethnic-language school, and
the weak school sends a teacher on an attachment post to the core school. Everything meets
ALX-11/12/13/15. 2026—2027 breaks rules on purpose: the core school sends three of the four it
should (ALX-11), one term is planned for three years minus a day (ALX-13) and the English team
has only two teachers (ALX-15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from jituan_desktop.domain.rotations import Appraisal, EligibleCount, Rotation, RotationForm
from jituan_desktop.domain.schools import Teacher

CORE = "一实小"
RURAL = "温都尔勒图小学"
WEAK = "五小"
ETHNIC = "蒙古族实验学校"
Y1, Y2 = dt.date(2025, 9, 1), dt.date(2026, 9, 1)

# (from, to, form, start, planned end, actual end, backbone, team, appraisal, notes)
PLAN: list[tuple[Any, ...]] = [
    (CORE, WEAK, RotationForm.RESIDENT, Y1, dt.date(2028, 8, 31), None, True, "", "",
     "担任五小语文教研组长，每周示范课1节"),
    (CORE, RURAL, RotationForm.SUPPORT, Y1, dt.date(2028, 8, 31), None, False, "", "",
     "包一个教学班的数学课"),
    (CORE, WEAK, RotationForm.TEAM, Y1, dt.date(2028, 8, 31), None, True, "2025 五小数学组团",
     "", "组团流入：包班上课、教研引领"),
    (CORE, WEAK, RotationForm.TEAM, Y1, dt.date(2028, 8, 31), None, False, "2025 五小数学组团",
     "", ""),
    (CORE, WEAK, RotationForm.TEAM, Y1, dt.date(2028, 8, 31), None, False, "2025 五小数学组团",
     "", ""),
    (CORE, ETHNIC, RotationForm.ITINERANT, Y1, dt.date(2026, 7, 15), dt.date(2026, 7, 15),
     False, "", Appraisal.EXCELLENT.value, "每周二、四到蒙古族实验学校上音乐课"),
    (WEAK, CORE, RotationForm.ATTACHMENT, Y1, dt.date(2026, 7, 15), dt.date(2026, 7, 10),
     False, "", Appraisal.PASS.value, "到核心校教导处挂职学习教学管理"),
    (CORE, RURAL, RotationForm.RESIDENT, Y2, dt.date(2029, 8, 30), None, True, "",
     "", "计划期满日期按旗教体局文件填写，比3年少1天"),
    (CORE, WEAK, RotationForm.TEAM, Y2, dt.date(2029, 8, 31), None, False, "2026 五小英语组团",
     "", "原定3人，1人因病未能成行"),
    (CORE, WEAK, RotationForm.TEAM, Y2, dt.date(2029, 8, 31), None, False, "2026 五小英语组团",
     "", ""),
    (RURAL, CORE, RotationForm.ATTACHMENT, Y2, dt.date(2027, 7, 15), None, False, "", "",
     "到核心校跟岗挂职一学年"),
]
ELIGIBLE = {(CORE, 2025): 15, (CORE, 2026): 20}  # entered by the group office


def build_demo_rotations(services: Any, group_id: int) -> None:
    """Add the demo rotations and the core school's eligible counts to the demo group."""
    schools = {s.display_name: s for s in services.schools.list()}
    staff = services.teachers.list()
    pick = _picker(staff)
    for (school, year), eligible in ELIGIBLE.items():
        services.rotations.save_eligible(EligibleCount(
            None, group_id, schools[school].id, year, eligible, "据旗教体局交流轮岗资格审核名单"))
    for sender, receiver, form, start, planned, actual, backbone, team, grade, notes in PLAN:
        teacher = next(pick(schools[sender].id, backbone))
        services.rotations.save(Rotation(
            None, group_id, teacher.id, schools[sender].id, schools[receiver].id, form, start,
            planned, actual, teacher.is_backbone, team, Appraisal(grade), notes))


def _picker(staff: list[Teacher]) -> Any:
    """A teacher of the school, eligible, backbone or not as asked, each one used once."""
    used: set[int | None] = set()

    def pick(school_id: int, backbone: bool) -> Iterator[Teacher]:
        for teacher in staff:
            if (teacher.school_id == school_id and teacher.id not in used
                    and teacher.is_backbone == backbone and not teacher.position
                    and (teacher.rotation_eligible or not backbone)):
                used.add(teacher.id)
                yield teacher

    return pick
