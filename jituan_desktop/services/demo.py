"""The ready-made demo group: a fictional but realistic 共建型 education group in Alxa.

One urban quality core school, three member schools (rural, urban weak, former
ethnic-language) and one school that left after a year, about 120 teachers, two school years
of semesters, a leadership group, a filled-in charter and plans. Deterministic (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jituan_desktop.domain.charter import CharterSection, Group, Leader, Membership, Plan
from jituan_desktop.domain.enums import (
    CadreRank,
    LeaderRole,
    LegalStructure,
    PlanKind,
    SchoolRole,
    SectionKind,
    Stage,
    StageType,
    TeacherTitle,
)
from jituan_desktop.domain.schools import School, Teacher

GROUP_NAME = "巴彦浩特贺兰山教育集团"
FIRST_YEAR = 2025
LAST_YEAR = 2026

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = ["晓燕", "建华", "海燕", "丽娟", "志强", "秀英", "文博", "思远", "雅琴", "国庆", "红梅",
         "春花", "晓东", "子涵", "婷婷", "宏伟", "玉兰", "桂芳", "俊杰", "欣怡", "明辉", "敏",
         "静", "磊", "伟", "芳", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超", "霞", "鹏",
         "巴特尔", "其其格", "乌云", "苏日娜", "额尔敦", "斯琴", "那仁", "阿拉坦"]
SUBJECTS = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术", "信息科技"]


@dataclass(frozen=True)
class DemoSchool:
    school: School
    teachers: int
    role: SchoolRole
    joined: dt.date
    left: dt.date | None = None


def demo_schools() -> list[DemoSchool]:
    joined = dt.date(2025, 9, 1)
    return [
        DemoSchool(School(None, "阿拉善左旗巴彦浩特第一实验小学", "一实小", "12152921460123456Q",
                          "内蒙古阿拉善盟阿拉善左旗巴彦浩特镇贺兰山路18号", "王建华", Stage.PRIMARY,
                          is_quality=True), 45, SchoolRole.CORE, joined),
        DemoSchool(School(None, "阿拉善左旗温都尔勒图镇中心小学", "温都尔勒图小学", "",
                          "阿拉善左旗温都尔勒图镇", "苏日娜", Stage.PRIMARY, is_rural=True,
                          is_small_rural=True), 22, SchoolRole.MEMBER, joined),
        DemoSchool(School(None, "阿拉善左旗巴彦浩特第五小学", "五小", "",
                          "阿拉善左旗巴彦浩特镇团结路6号", "李海燕", Stage.PRIMARY, is_weak=True),
                   28, SchoolRole.MEMBER, joined),
        DemoSchool(School(None, "阿拉善左旗蒙古族实验学校", "蒙古族实验学校", "",
                          "阿拉善左旗巴彦浩特镇额鲁特东街", "巴特尔", Stage.NINE_YEAR,
                          is_former_ethnic_language=True), 25, SchoolRole.MEMBER, joined),
        DemoSchool(School(None, "阿拉善左旗宗别立镇小学", "宗别立小学", "",
                          "阿拉善左旗宗别立镇", "赵国庆", Stage.PRIMARY, is_rural=True,
                          is_small_rural=True, is_weak=True), 0, SchoolRole.MEMBER,
                   joined, dt.date(2026, 7, 15)),
    ]


SECTIONS = {
    SectionKind.RULES_OF_PROCEDURE: (
        "一、集团理事会由核心校校长和各成员校校长组成，每学期至少召开两次全体会议，必要时可临时召开。\n"
        "二、会议由理事长（核心校校长）召集和主持；三分之二以上成员校出席方可举行。\n"
        "三、议题由各校提出，经集团办公室汇总后提前五个工作日印发各校。\n"
        "四、会议形成纪要，由集团办公室存档并报旗教体局备案。"),
    SectionKind.DECISION_PROCEDURE: (
        "一、涉及集团发展规划、年度计划、教师交流轮岗和捆绑考核方案等重大事项，须经理事会集体讨论，"
        "过半数同意方可通过。\n二、涉及成员校法人权责的事项，须经该校校务会议讨论同意。\n"
        "三、决议执行情况由集团办公室跟踪督办，并在下次理事会上通报。"),
    SectionKind.COORDINATION: (
        "一、建立“集团—学科组—备课组”三级教研协调机制，各学科每学期开展联合教研不少于5次。\n"
        "二、建立课程资源共享平台，各校每学期至少提供1门共享课程。\n"
        "三、集团办公室设在核心校，负责日常联络、统计和档案管理。"),
    SectionKind.POWERS_LIST: (
        "理事会：审议集团章程、发展规划、年度计划和考核方案。\n"
        "理事长：召集理事会，统筹集团日常工作，代表集团对外联络。\n"
        "成员校校长：组织落实本校承担的集团任务，按期报送工作情况。\n"
        "集团办公室：会务、统计、档案、信息报送。"),
}

PLANS = [
    (PlanKind.THREE_YEAR, 2025, "贺兰山教育集团三年发展规划（2025—2028年）",
     "总体目标：到2028年，集团内各成员校办学质量明显提升，形成“优势互补、资源共享、管理共进、"
     "教学共研、文化共生”的共建格局。\n重点任务：完善集团治理结构；推进教师交流轮岗；建设共享课程"
     "体系；开展联合教研和同步课堂；实施捆绑考核。"),
    (PlanKind.ANNUAL, 2025, "2025—2026学年集团工作计划",
     "1. 完成集团章程修订并报旗教体局备案。\n2. 每学科每学期开展联合教研不少于5次。\n"
     "3. 核心校选派骨干教师到成员校交流。\n4. 建设共享课程不少于5门。"),
    (PlanKind.ANNUAL, 2026, "2026—2027学年集团工作计划",
     "1. 深化同步课堂，覆盖全部成员校。\n2. 开展第二轮教师交流轮岗。\n"
     "3. 完成集团年度捆绑考核并形成报告。"),
]


def build_demo(services) -> int:  # type: ignore[no-untyped-def]
    """Fill an empty database with the demo group; returns the group id."""
    rng = random.Random(20241)
    services.calendar.ensure_school_years(FIRST_YEAR, LAST_YEAR)
    group, _ = services.groups.save_group(Group(
        None, GROUP_NAME, "alxa_2024", "共建型", short_name="贺兰山教育集团",
        region="内蒙古自治区阿拉善盟阿拉善左旗", legal_structure=LegalStructure.MULTI,
        stage_type=StageType.SAME_STAGE, founded_on=dt.date(2025, 9, 1),
        notes="演示数据：本集团及其学校、教师均为虚构，仅供试用。"))
    used_names: set[str] = set()
    core_id = None
    for index, entry in enumerate(demo_schools()):
        school, _ = services.schools.save(entry.school)
        if entry.role is SchoolRole.CORE:
            core_id = school.id
        label = "核心校" if entry.role is SchoolRole.CORE else "成员校"
        services.groups.save_membership(Membership(
            None, group.id, school.id, entry.role, entry.joined, role_label=label,
            left_on=entry.left, join_note="集团成立时加入（旗教体局批复）",
            leave_reason="学校撤并，学生并入温都尔勒图镇中心小学" if entry.left else "",
            leave_evidence="阿左旗教体发〔2026〕31号" if entry.left else ""))
        teachers = [_demo_teacher(rng, school, i, index, used_names) for i in range(entry.teachers)]
        with services.db.unit_of_work() as s:
            for teacher in teachers:
                services.teachers.write(s, teacher)
    staff = services.teachers.list()
    heads = sorted((t for t in staff if t.position == "校长"), key=lambda t: t.school_id != core_id)
    for order, head in enumerate(heads):
        role = LeaderRole.LEADER if order == 0 else LeaderRole.DEPUTY
        services.charter.save_leader(Leader(
            None, group.id, role, head.name, teacher_id=head.id, school_id=head.school_id,
            position="校长", duty="主持集团全面工作" if order == 0 else "负责本校集团任务落实",
            sort_order=order))
    office = next(t for t in staff if t.position == "办公室主任" and t.school_id == core_id)
    services.charter.save_leader(Leader(
        None, group.id, LeaderRole.LIAISON, office.name, teacher_id=office.id,
        school_id=office.school_id, position="办公室主任", duty="集团办公室日常联络与统计"))
    for section in services.charter.sections(group.id):
        if section.kind in SECTIONS:
            services.charter.save_section(CharterSection(
                section.id, group.id, section.kind, section.title, SECTIONS[section.kind],
                section.sort_order))
    services.charter.save_section(CharterSection(
        None, group.id, SectionKind.CUSTOM, "附则",
        "本章程自理事会通过之日起施行，由集团理事会负责解释。"))
    for kind, year, title, body in PLANS:
        services.charter.save_plan(Plan(None, group.id, kind, year, title, body))
    from jituan_desktop.services.demo_courses import build_demo_courses

    build_demo_courses(services, group.id)
    from jituan_desktop.services.demo_research import build_demo_research

    build_demo_research(services, group.id)
    from jituan_desktop.services.demo_rotations import build_demo_rotations

    build_demo_rotations(services, group.id)
    from jituan_desktop.services.demo_placements import build_demo_placements

    build_demo_placements(services, group.id)
    from jituan_desktop.services.demo_agreements import build_demo_agreements

    build_demo_agreements(services, group.id)
    return group.id


def _demo_teacher(rng: random.Random, school: School, i: int, school_index: int,
                  used: set[str]) -> Teacher:
    name = school.legal_representative if i == 0 else ""
    while not name or name in used:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    used.add(name)
    if i == 0:
        position, rank, title = "校长", CadreRank.SCHOOL_LEADER, TeacherTitle.SENIOR
    elif i == 1:
        position, rank, title = "副校长", CadreRank.SCHOOL_LEADER, TeacherTitle.SENIOR
    elif i == 2:
        position, rank, title = "办公室主任", CadreRank.MIDDLE, TeacherTitle.FIRST
    elif i in (3, 4):
        position, rank, title = "教导处副主任", CadreRank.MIDDLE_DEPUTY, TeacherTitle.FIRST
    else:
        position, rank = "", CadreRank.NONE
        title = rng.choices(list(TeacherTitle), weights=[1, 12, 30, 25, 4, 8])[0]
    subjects = [rng.choices(SUBJECTS, weights=[30, 28, 12, 6, 6, 5, 6, 5, 4])[0]]
    if school.is_former_ethnic_language and rng.random() < 0.4:
        subjects = ["蒙古语文", *subjects]
    elif rng.random() < 0.15:
        subjects.append(rng.choice([s for s in SUBJECTS if s not in subjects]))
    years = rng.randint(1, 30)
    backbone = title in (TeacherTitle.SENIOR, TeacherTitle.SENIOR_PRO) or rng.random() < 0.12
    return Teacher(
        None, school.id, name, gender=rng.choice("男女女"),
        staff_no=f"{school_index + 1:02d}{i + 1:03d}", subjects=tuple(subjects), title=title,
        cadre_rank=rank, position=position, is_backbone=backbone,
        backbone_level=rng.choice(["旗级", "盟级", "自治区级"]) if backbone else "",
        rotation_eligible=years >= 6 and rng.random() < 0.8,
        hired_on=dt.date(2026 - years, 9, 1))
