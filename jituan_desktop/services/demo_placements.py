"""Demo placements: a second demo group on the Huaiyuan profile, with two school years of
跟岗锻炼 / 跟岗学习 in every workflow state, and a few rule-free placements in the Alxa group.

The Huaiyuan group is fictional: a core school and three member schools, 40 teachers with
cadre ranks, memberships from 2025-09-01. Some placements break rules on purpose so the
flags can be seen: a 16-day 跟岗学习 with its justification (HY-02), a sixth cadre on
placement at the same time (HY-03), a re-application within two years (HY-04, rejected) and
a late return (HY-08). Built through the services, so every step is in the history.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jituan_desktop.domain.charter import Group, Membership
from jituan_desktop.domain.enums import (
    CadreRank,
    LegalStructure,
    SchoolRole,
    Stage,
    StageType,
    TeacherTitle,
)
from jituan_desktop.domain.placements import (
    Placement,
    PlacementAction,
    PlacementKind,
    PlacementStatus,
)
from jituan_desktop.domain.schools import School, Teacher

GROUP_NAME = "怀远县荆涂实验小学教育集团"
JOINED = dt.date(2025, 9, 1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
GIVEN = ["子轩", "雨桐", "浩然", "梓涵", "俊熙", "诗琪", "明远", "思彤", "家豪", "雅婷", "志刚",
         "玉梅", "文静", "国华", "晓丽", "春燕", "德胜", "秀兰", "振宇", "慧敏"]
SUBJECTS = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术"]
# (position, rank) of the first teachers of a school; the core school has more cadres
CORE_CADRES = [("校长", CadreRank.SCHOOL_LEADER), ("副校长", CadreRank.SCHOOL_LEADER),
               ("教务处主任", CadreRank.MIDDLE), ("德育处主任", CadreRank.MIDDLE),
               ("教务处副主任", CadreRank.MIDDLE_DEPUTY), ("总务处副主任", CadreRank.MIDDLE_DEPUTY),
               ("教科室主任", CadreRank.MIDDLE), ("办公室主任", CadreRank.MIDDLE)]
MEMBER_CADRES = [*CORE_CADRES[:4], ("教务处副主任", CadreRank.MIDDLE_DEPUTY)]

SCHOOLS = [  # school, teachers, role
    (School(None, "怀远县荆涂实验小学", "荆涂实小", "", "安徽省蚌埠市怀远县城关镇禹王路", "陈国华",
            Stage.PRIMARY, is_quality=True), 16, SchoolRole.CORE),
    (School(None, "怀远县河溜镇中心小学", "河溜中心小学", "", "怀远县河溜镇", "刘德胜",
            Stage.PRIMARY, is_rural=True), 8, SchoolRole.MEMBER),
    (School(None, "怀远县常坟镇中心小学", "常坟中心小学", "", "怀远县常坟镇", "张秀兰",
            Stage.PRIMARY, is_rural=True, is_weak=True), 8, SchoolRole.MEMBER),
    (School(None, "怀远县城南新区小学", "城南新区小学", "", "怀远县城南新区", "周振宇",
            Stage.PRIMARY, is_new=True), 8, SchoolRole.MEMBER),
]

REVIEWER = "县教育体育局基教股"
FINAL = PlacementStatus.RETURNED


@dataclass(frozen=True)
class Plan:
    """One demo placement: who (school index, teacher index), where, when, how far it got."""

    kind: PlacementKind
    home: int
    person: int
    host: int
    start: dt.date
    days: int
    purpose: str
    status: PlacementStatus = FINAL
    returned_after: int = 1  # days between end and return
    justification: str = ""
    mentor: str = ""
    rejection: str = ""
    applied_on: dt.date | None = None


D = dt.date
CADRE, LEARN = PlacementKind.CADRE_EXERCISE, PlacementKind.LEARNING
DIAGNOSE = "协助成员校开展教学管理诊断，提出改进建议"
PLANS = [
    # 2025-2026: five core cadres in member schools at once (HY-01, counted by HY-03) …
    Plan(CADRE, 0, 2, 1, D(2025, 11, 3), 12, DIAGNOSE),
    Plan(CADRE, 0, 3, 2, D(2025, 11, 3), 12, "诊断德育工作和班主任队伍建设"),
    Plan(CADRE, 0, 4, 3, D(2025, 11, 3), 12, "指导新建校教学常规管理", returned_after=3),
    Plan(CADRE, 0, 5, 1, D(2025, 11, 3), 12, "诊断后勤保障和校园安全管理"),
    Plan(CADRE, 0, 6, 2, D(2025, 11, 3), 12, "指导校本教研和课题研究"),
    # … and a sixth cadre learning at the core school in the same days: HY-03 broken
    Plan(LEARN, 1, 2, 0, D(2025, 11, 10), 12, "学习核心校教学管理和质量监测做法",
         justification="核心校承办市级教学开放周，机会难得，经集团理事会研究同意。"),
    Plan(LEARN, 1, 6, 0, D(2025, 12, 1), 12, "跟随导师学习低年级识字教学", mentor="core:9"),
    Plan(LEARN, 2, 6, 0, D(2025, 12, 1), 12, "学习小学数学单元整体教学", mentor="core:10"),
    Plan(LEARN, 3, 5, 0, D(2025, 12, 8), 10, "学习英语课堂教学组织", mentor="core:11"),
    # a 16-day 跟岗学习 with its justification (HY-02 原则上)
    Plan(LEARN, 2, 7, 0, D(2026, 3, 2), 16, "新教师跟随导师完整经历一个教学单元",
         mentor="core:9", justification="新教师师徒结对（HY-09），需跟完一个完整单元，"
         "比两周多两天，已征得两校同意。"),
    # a late return (HY-08)
    Plan(LEARN, 3, 6, 0, D(2026, 4, 13), 12, "学习科学实验教学", mentor="core:12",
         returned_after=6),
    Plan(LEARN, 1, 7, 0, D(2026, 5, 11), 12, "学习体育大课间组织", mentor="core:13"),
    # 2026-2027: a re-application within two years of the first one (HY-04), rejected
    Plan(CADRE, 0, 2, 2, D(2026, 10, 19), 12, DIAGNOSE, status=PlacementStatus.REJECTED,
         rejection="该同志2025年11月跟岗锻炼结束后未满两年，不得再次申请（HY-04）。",
         applied_on=D(2026, 9, 15)),
    Plan(LEARN, 1, 5, 0, D(2026, 10, 12), 12, "学习作业设计与批改", mentor="core:10"),
    Plan(LEARN, 2, 5, 0, D(2026, 11, 9), 12, "学习阅读教学", mentor="core:9",
         status=PlacementStatus.ENDED),
    Plan(CADRE, 0, 7, 3, D(2026, 11, 23), 12, "指导新建校办公室和档案管理",
         status=PlacementStatus.ACTIVE),
    Plan(LEARN, 3, 7, 0, D(2026, 12, 7), 12, "学习音乐社团活动组织", mentor="core:14",
         status=PlacementStatus.APPROVED),
    Plan(LEARN, 1, 4, 0, D(2027, 3, 8), 12, "学习教务管理信息化", status=PlacementStatus.REVIEWED),
    Plan(LEARN, 2, 4, 0, D(2027, 4, 12), 12, "学习课后服务课程建设",
         status=PlacementStatus.SUBMITTED),
    Plan(LEARN, 3, 3, 0, D(2027, 5, 10), 12, "学习学生综合素质评价", mentor="core:15",
         status=PlacementStatus.DRAFT),
]

_ORDER = [PlacementStatus.SUBMITTED, PlacementStatus.REVIEWED, PlacementStatus.APPROVED,
          PlacementStatus.ACTIVE, PlacementStatus.ENDED, PlacementStatus.RETURNED]


def build_demo_placements(services, alxa_group_id: int) -> int:  # type: ignore[no-untyped-def]
    """Add the Huaiyuan demo group and the demo placements; returns the new group's id."""
    _alxa_placements(services, alxa_group_id)
    rng = random.Random(3032)
    group, _ = services.groups.save_group(Group(
        None, GROUP_NAME, "huaiyuan", "多校协同", short_name="荆涂实小教育集团",
        region="安徽省蚌埠市怀远县", legal_structure=LegalStructure.MULTI,
        stage_type=StageType.SAME_STAGE, founded_on=JOINED,
        notes="演示数据：本集团及其学校、教师均为虚构，用于演示跟岗锻炼与跟岗学习的审批和规则提示。"))
    staff: list[list[Teacher]] = []
    used = {t.name for t in services.teachers.list()}
    for index, (draft, count, role) in enumerate(SCHOOLS):
        school, _ = services.schools.save(draft)
        services.groups.save_membership(Membership(
            None, group.id, school.id, role, JOINED,
            role_label="核心校" if index == 0 else "成员校",
            join_note="县教育体育局批准组建教育集团时加入"))
        cadres = CORE_CADRES if role is SchoolRole.CORE else MEMBER_CADRES
        teachers = [_teacher(rng, school, index, i, cadres, used) for i in range(count)]
        with services.db.unit_of_work() as s:
            for teacher in teachers:
                services.teachers.write(s, teacher)
        staff.append(sorted(services.teachers.list([school.id]), key=lambda t: t.staff_no))
    for plan in PLANS:
        _record(services, group.id, plan, staff)
    return group.id


def _teacher(rng: random.Random, school: School, school_index: int, i: int,
             cadres: list[tuple[str, CadreRank]], used: set[str]) -> Teacher:
    name = school.legal_representative if i == 0 else ""
    while not name or name in used:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    used.add(name)
    position, rank = cadres[i] if i < len(cadres) else ("", CadreRank.NONE)
    title = TeacherTitle.SENIOR if rank is not CadreRank.NONE else rng.choice(
        [TeacherTitle.FIRST, TeacherTitle.SECOND, TeacherTitle.SECOND, TeacherTitle.UNRATED])
    years = 1 if title is TeacherTitle.UNRATED else rng.randint(4, 25)
    return Teacher(None, school.id, name, gender=rng.choice("男女女"),
                   staff_no=f"HY{school_index + 1:02d}{i + 1:03d}",
                   subjects=(SUBJECTS[(i + school_index) % len(SUBJECTS)],), title=title,
                   cadre_rank=rank, position=position, is_backbone=school_index == 0 and i >= 9,
                   backbone_level="县级" if school_index == 0 and i >= 9 else "",
                   hired_on=dt.date(2026 - years, 9, 1))


def _record(services, group_id: int, plan: Plan, staff: list[list[Teacher]]) -> None:  # type: ignore[no-untyped-def]
    person = staff[plan.home][plan.person]
    mentor = staff[0][int(plan.mentor.split(":")[1])].name if plan.mentor else ""
    end = plan.start + dt.timedelta(days=plan.days - 1)
    applied = plan.applied_on or plan.start - dt.timedelta(days=28)
    placement, _ = services.placements.save(Placement(
        None, group_id, person.id, plan.kind, person.school_id, staff[plan.host][0].school_id,
        applied, plan.start, end, mentor=mentor, purpose=plan.purpose,
        justification=plan.justification))
    home_name, host_name = placement.home_school_name, placement.host_school_name
    approver = "县教育体育局" + services.placements.approver(group_id, person.cadre_rank)
    steps = [
        (PlacementAction.SUBMIT, applied, home_name, "经学校行政会研究，同意推荐。"),
        (PlacementAction.REVIEW, applied + dt.timedelta(days=4), REVIEWER, "材料齐全，同意。"),
        (PlacementAction.APPROVE, applied + dt.timedelta(days=9), approver, "同意。"),
        (PlacementAction.START, plan.start, host_name, ""),
        (PlacementAction.END, end, host_name, "完成跟岗任务，提交跟岗总结。"),
        (PlacementAction.RETURN, end + dt.timedelta(days=plan.returned_after), home_name,
         "已回原学校上岗。"),
    ]
    if plan.status is PlacementStatus.REJECTED:
        services.placements.step(placement.id, PlacementAction.SUBMIT, applied, home_name)
        services.placements.step(placement.id, PlacementAction.REJECT,
                                 applied + dt.timedelta(days=4), REVIEWER, plan.rejection)
        return
    if plan.status is PlacementStatus.DRAFT:
        return
    for (action, on, actor, comment), status in zip(steps, _ORDER, strict=True):
        services.placements.step(placement.id, action, on, actor, comment)
        if status is plan.status:
            return


def _alxa_placements(services, group_id: int) -> None:  # type: ignore[no-untyped-def]
    """A few placements in the Alxa group: recorded and approved, no rule flags (the Alxa
    profile has no placement rules)."""
    members = services.groups.memberships(group_id)
    core = next(m.school_id for m in members if m.role is SchoolRole.CORE)
    others = [m.school_id for m in members if m.role is SchoolRole.MEMBER and m.left_on is None]
    staff = {sid: sorted(services.teachers.list([sid]), key=lambda t: t.staff_no)
             for sid in [core, *others]}
    plans = [
        Plan(CADRE, 0, 3, 1, D(2025, 10, 13), 10, "协助成员校梳理教学常规"),
        Plan(CADRE, 0, 4, 2, D(2026, 4, 7), 10, "指导成员校开展校本教研"),
        Plan(LEARN, 1, 6, 0, D(2026, 5, 11), 12, "学习核心校课后服务做法", mentor="core:8"),
    ]
    schools = [core, *others]
    for plan in plans:
        home, host = schools[plan.home], schools[plan.host]
        person = staff[home][plan.person]
        end = plan.start + dt.timedelta(days=plan.days - 1)
        applied = plan.start - dt.timedelta(days=21)
        mentor = staff[core][8].name if plan.mentor else ""
        placement, _ = services.placements.save(Placement(
            None, group_id, person.id, plan.kind, home, host, applied, plan.start, end,
            mentor=mentor, purpose=plan.purpose))
        for action, on, actor in [
                (PlacementAction.SUBMIT, applied, placement.home_school_name),
                (PlacementAction.REVIEW, applied + dt.timedelta(days=3), "旗教育体育局"),
                (PlacementAction.APPROVE, applied + dt.timedelta(days=6), "旗教育体育局"),
                (PlacementAction.START, plan.start, placement.host_school_name),
                (PlacementAction.END, end, placement.host_school_name),
                (PlacementAction.RETURN, end + dt.timedelta(days=1),
                 placement.home_school_name)]:
            services.placements.step(placement.id, action, on, actor)
