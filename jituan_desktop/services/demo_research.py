"""The demo group's joint research sessions: 2025—2026 and the first semester of 2026—2027.

Written through the research service, with attendance from the participating schools'
teachers and a few generated attachments (small PNG photos and text sign-in sheets) in the
attachment store. Most subjects reach ALX-20's five sessions per semester; 道德与法治 has only
four in the first semester of 2025—2026 and 科学 three in the second, so the page has flags to
show. Deterministic (fixed seed, fixed dates).
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from typing import Any

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.research import (
    AttachmentKind,
    AttendanceEntry,
    AttendanceStatus,
    DeliveryMode,
    ResearchSession,
    ResearchType,
)

# (school year, term) → subject → sessions
PLAN: dict[tuple[int, int], dict[str, int]] = {
    (2025, 1): {"语文": 6, "数学": 5, "英语": 5, "科学": 5, "道德与法治": 4},
    (2025, 2): {"语文": 5, "数学": 6, "英语": 5, "科学": 3, "道德与法治": 5},
    (2026, 1): {"语文": 5, "数学": 5, "英语": 5, "科学": 5, "道德与法治": 5},
}
TYPES = [ResearchType.COLLECTIVE_PREP, ResearchType.OBSERVATION, ResearchType.EXPERT_LECTURE,
         ResearchType.CLASS_CONTEST, ResearchType.FORUM, ResearchType.SEMINAR,
         ResearchType.SYNC_CLASS]
TYPE_WEIGHTS = [30, 25, 10, 8, 7, 8, 12]
TOPICS = {
    "语文": ["统编教材单元整体教学设计", "整本书阅读推进课", "习作教学的支架设计",
           "古诗词教学中的情境创设", "低年级识字写字教学"],
    "数学": ["“数与代数”大单元教学", "计算教学中的算理与算法", "数学实践活动设计",
           "作业分层设计与批改", "图形与几何的直观教学"],
    "英语": ["小学英语绘本阅读教学", "英语课堂的情境对话", "单元主题意义探究",
           "英语书写与语音教学"],
    "科学": ["探究式实验教学", "科学观察记录单的使用", "跨学科主题学习设计", "校园气象站项目"],
    "道德与法治": ["法治教育融入课堂", "时政素材的课堂运用", "议题式教学实践", "红色资源进课堂"],
}
REMARKS = {AttendanceStatus.LATE: ["路远迟到10分钟", "送学生离校后到会"],
           AttendanceStatus.EXCUSED: ["病假", "外出培训", "带学生参加比赛"],
           AttendanceStatus.ABSENT: ["未说明原因", ""]}


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small one-colour PNG (the demo's "photos"), without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + \
        chunk(b"IEND", b"")


def _dates(rng: random.Random, school_year: int, term: int, count: int) -> list[dt.date]:
    """School days spread over the semester's teaching weeks (not the holidays)."""
    if term == 1:
        first, last = dt.date(school_year, 9, 8), dt.date(school_year + 1, 1, 9)
    else:
        first, last = dt.date(school_year + 1, 3, 2), dt.date(school_year + 1, 6, 26)
    span = (last - first).days
    days = []
    for index in range(count):
        day = first + dt.timedelta(days=span * index // count + rng.randint(0, span // count))
        while day.weekday() >= 5:  # weekends
            day -= dt.timedelta(days=1)
        days.append(min(day, last))
    return days


def build_demo_research(services: Any, group_id: int) -> int:
    """Record the demo sessions; the number written."""
    rng = random.Random(20242)
    research = services.research
    memberships = services.groups.memberships(group_id)
    teachers = services.teachers.list()
    core = next(m.school_id for m in memberships if m.role.value == "core")
    by_school: dict[int, list[Any]] = {}
    for teacher in teachers:
        by_school.setdefault(teacher.school_id, []).append(teacher)
    sessions: list[ResearchSession] = []
    for (year, term), subjects in PLAN.items():
        for subject, count in subjects.items():
            for index, day in enumerate(_dates(rng, year, term, count)):
                active = [m.school_id for m in memberships if m.active_on(day)]
                host = core if index % 2 == 0 else rng.choice(active)
                others = [s for s in active if s != host]
                school_ids = tuple(sorted({host, *rng.sample(others, rng.randint(1, min(
                    3, len(others))))}))
                kind = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
                start = rng.choice([8 * 60 + 30, 9 * 60 + 40, 14 * 60, 14 * 60 + 30,
                                    15 * 60 + 10])
                attendance = []
                for school_id in school_ids:
                    staff = [t for t in by_school.get(school_id, []) if subject in t.subjects]
                    for teacher in staff[:6]:
                        status = rng.choices(list(AttendanceStatus), weights=[86, 5, 6, 3])[0]
                        remark = rng.choice(REMARKS[status]) if status in REMARKS else ""
                        attendance.append(AttendanceEntry(teacher.id, status, remark))
                lead_pool = [t for t in by_school.get(host, []) if subject in t.subjects] or \
                    by_school.get(host, [])
                lead = rng.choice(lead_pool).name if lead_pool else ""
                topic = rng.choice(TOPICS[subject])
                minutes = (f"一、{topic}：主讲教师展示课例，与会教师分组研讨。\n"
                           "二、各校交流本学科教学进度与问题，形成改进建议"
                           f"{rng.randint(2, 5)}条。\n"
                           "三、下次活动由集团学科中心组统一安排。")
                sessions.append(ResearchSession(
                    None, group_id, day, start, start + rng.choice([60, 90, 90, 120]), subject,
                    Stage.PRIMARY, kind, host, school_ids,
                    rng.choices(list(DeliveryMode), weights=[70, 15, 15])[0], topic, lead,
                    minutes, tuple(attendance)))
                if kind == ResearchType.SYNC_CLASS:  # its debrief a few days later
                    debrief_day = day + dt.timedelta(days=rng.choice([1, 2, 3, 6]))
                    sessions.append(ResearchSession(
                        None, group_id, debrief_day, 15 * 60 + 30, 16 * 60 + 30, subject,
                        Stage.PRIMARY, ResearchType.SYNC_DEBRIEF, host, school_ids,
                        DeliveryMode.ONLINE, f"同步课堂研讨：{topic}", lead,
                        "双边课堂情况反馈，确定下一轮同步课堂的改进点。",
                        tuple(attendance[:4])))
    ids = []
    with services.db.unit_of_work() as s:
        for session in sorted(sessions, key=lambda x: (x.held_on, x.start_minute)):
            ids.append(research.write(s, session))
    # a few attachments: photos and sign-in sheets of the first sessions
    colours = [(196, 222, 240), (240, 214, 180), (205, 232, 200), (230, 200, 220)]
    for number, session_id in enumerate(ids[:6]):
        sha256, size = research.store.store_bytes(
            _png(96, 64, colours[number % len(colours)]), f"活动照片{number + 1}.png")
        research.attach_stored(session_id, sha256, f"活动照片{number + 1}.png", size,
                               AttachmentKind.PHOTO)
        sign_in = f"签到表（演示）\n活动编号：{session_id}\n".encode()
        sha256, size = research.store.store_bytes(sign_in, "签到表.txt")
        research.attach_stored(session_id, sha256, "签到表.txt", size, AttachmentKind.SIGN_IN)
    return len(ids)
