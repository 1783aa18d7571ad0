"""The demo group's shared courses: two school years, written through the course service.

Most semesters meet ALX-19; a few do not, so its flags have something to show:
宗别立镇小学 (no teachers of its own, merged away in July 2026) provides no course in either
semester of 2025—2026, and in the second semester of 2026—2027 the group plans only four
courses (one per school). One course is booked over its capacity (a warning, not an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jituan_desktop.domain.courses import Course, CourseType, Delivery, Enrolment
from jituan_desktop.domain.schools import Teacher

CORE, RURAL, WEAK, ETHNIC = "一实小", "温都尔勒图小学", "五小", "蒙古族实验学校"


@dataclass(frozen=True)
class DemoCourse:
    semester: tuple[int, int]  # (school year, term)
    provider: str  # short name of the school
    title: str
    course_type: CourseType
    subject: str
    delivery: Delivery
    schedule: str
    capacity: int
    enrolled: Sequence[tuple[str, int]]  # (short name, students)
    co_teacher_from: str = ""  # a dual-teacher classroom's local co-teacher


_Y1, _Y2 = (2025, 1), (2025, 2)
_Y3, _Y4 = (2026, 1), (2026, 2)
T, D = CourseType, Delivery

COURSES = [
    DemoCourse(_Y1, CORE, "绘本阅读与表达", T.SCHOOL_BASED, "语文", D.SYNCHRONOUS,
               "每周二下午第7节", 120, [(CORE, 45), (RURAL, 18), (WEAK, 40)]),
    DemoCourse(_Y1, CORE, "小小科学家实验室", T.SCIENCE_LAB, "科学", D.DUAL_TEACHER,
               "每周四下午第7—8节", 80, [(CORE, 30), (RURAL, 20)], co_teacher_from=RURAL),
    DemoCourse(_Y1, RURAL, "戈壁植物观察研学", T.STUDY_PRACTICE, "科学", D.OFFLINE,
               "10月中旬，两天", 60, [(RURAL, 22), (CORE, 30)]),
    DemoCourse(_Y1, WEAK, "课后书法托管", T.AFTER_SCHOOL, "美术", D.OFFLINE,
               "周一至周五16:30—17:30", 50, [(WEAK, 35), (CORE, 12)]),
    DemoCourse(_Y1, ETHNIC, "蒙古族传统文化与马头琴", T.FEATURE, "音乐", D.DEDICATED,
               "每周三下午第6节", 90, [(ETHNIC, 30), (RURAL, 15), (WEAK, 30)]),
    DemoCourse(_Y2, CORE, "校园足球", T.FEATURE, "体育", D.OFFLINE,
               "每周一、三下午课后", 60, [(CORE, 40), (WEAK, 24)]),
    DemoCourse(_Y2, CORE, "编程启蒙（Scratch）", T.SCIENCE_LAB, "信息科技", D.ONLINE,
               "每周五下午第7节", 200, [(CORE, 60), (RURAL, 25), (ETHNIC, 40)]),
    DemoCourse(_Y2, RURAL, "沙漠种植小农场", T.STUDY_PRACTICE, "科学", D.OFFLINE,
               "4月—6月，每两周一次", 40, [(RURAL, 22), (WEAK, 20)]),
    DemoCourse(_Y2, WEAK, "暑期托管与阅读营", T.HOLIDAY_CARE, "语文", D.OFFLINE,
               "7月13日—8月7日工作日上午", 100, [(WEAK, 70), (CORE, 38)]),
    DemoCourse(_Y2, ETHNIC, "安代舞", T.FEATURE, "体育", D.SYNCHRONOUS,
               "每周二下午第7节", 120, [(ETHNIC, 40), (CORE, 45), (RURAL, 20)]),
    DemoCourse(_Y3, CORE, "数学思维拓展", T.SCHOOL_BASED, "数学", D.DUAL_TEACHER,
               "每周三下午第7节", 90, [(CORE, 40), (WEAK, 45)], co_teacher_from=WEAK),
    DemoCourse(_Y3, CORE, "英语绘本戏剧", T.SCHOOL_BASED, "英语", D.SYNCHRONOUS,
               "每周五下午第6节", 100, [(CORE, 40), (RURAL, 20), (ETHNIC, 35)]),
    DemoCourse(_Y3, RURAL, "马鬃绕线画", T.FEATURE, "美术", D.DEDICATED,
               "每周四下午第7节", 60, [(RURAL, 20), (CORE, 25)]),
    DemoCourse(_Y3, WEAK, "课后科学社团", T.AFTER_SCHOOL, "科学", D.OFFLINE,
               "每周二、四16:30—17:30", 50, [(WEAK, 30), (CORE, 20)]),
    DemoCourse(_Y3, ETHNIC, "蒙古文书法", T.FEATURE, "美术", D.DEDICATED,
               "每周一下午第7节", 60, [(ETHNIC, 30), (CORE, 35)]),  # over capacity
    DemoCourse(_Y4, CORE, "校园足球", T.FEATURE, "体育", D.OFFLINE,
               "每周一、三下午课后", 60, [(CORE, 40), (WEAK, 20)]),
    DemoCourse(_Y4, RURAL, "戈壁植物观察研学", T.STUDY_PRACTICE, "科学", D.OFFLINE,
               "5月中旬，两天", 60, [(RURAL, 22), (ETHNIC, 30)]),
    DemoCourse(_Y4, WEAK, "暑期托管与阅读营", T.HOLIDAY_CARE, "语文", D.OFFLINE,
               "7月中旬起四周", 100, [(WEAK, 60), (RURAL, 18)]),
    DemoCourse(_Y4, ETHNIC, "安代舞", T.FEATURE, "体育", D.SYNCHRONOUS,
               "每周二下午第7节", 120, [(ETHNIC, 40), (CORE, 45)]),
]


def _teacher(staff: Sequence[Teacher], school_id: int, subject: str) -> Teacher:
    """A teacher of the school who teaches the subject (else the school's first teacher who
    is not a school leader)."""
    mine = [t for t in staff if t.school_id == school_id]
    return next((t for t in mine if subject in t.subjects and not t.position),
                next(t for t in mine if not t.position))


def build_demo_courses(services, group_id: int) -> None:  # type: ignore[no-untyped-def]
    """Add the demo courses to the demo group (its schools, teachers and semesters exist)."""
    schools = {s.display_name: s.id for s in services.schools.list()}
    semesters = {(x.school_year, x.term): x.id for x in services.calendar.semesters()}
    staff = services.teachers.list()
    for demo in COURSES:
        provider = schools[demo.provider]
        teachers = [_teacher(staff, provider, demo.subject).id]
        if demo.co_teacher_from:
            teachers.append(_teacher(staff, schools[demo.co_teacher_from], demo.subject).id)
        services.courses.save(Course(
            None, group_id, semesters[demo.semester], demo.title, provider, demo.course_type,
            demo.subject, demo.delivery, demo.schedule, demo.capacity, tuple(teachers),
            tuple(Enrolment(schools[name], n) for name, n in demo.enrolled)))
