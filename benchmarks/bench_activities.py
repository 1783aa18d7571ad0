"""The four activity lists with 20,000 records each (see README.md). Not a test: prints figures,
asserts nothing.

One fresh database: one group (Alxa profile, so the rules have something to check), four
member schools with 200 teachers each, the semesters of nine school years, then 20,000 shared
courses, 20,000 joint research sessions, 20,000 placements and 20,000 rotations written with
bulk Core inserts (child rows included: course teachers and enrolments, session schools and
attendance).

ours:      ``service.list(group_id)`` + ``RecordListView.set_rows`` (the page's own columns)
           + ``processEvents``, as ``run.py``'s teacher list does.
baseline:  raw ``sqlite3`` SELECTs of the same rows: the main table with the joined names in
           the service's order, plus the child rows the list reads.
rules:     the overview each page computes for the same rows (courses per semester, research
           counts, rotation findings and per-year summaries), against ``service.list`` alone.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_activities.py`` (or through
benchmarks/run.py).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_ms, report

N = 20_000
FIRST_YEAR, LAST_YEAR = 2018, 2026
TEACHERS_PER_SCHOOL = 200
SUBJECTS = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术", "信息科技"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏"
GIVEN = ["晓燕", "建华", "海燕", "丽娟", "志强", "秀英", "文博", "思远", "雅琴", "国庆", "巴特尔",
         "其其格", "乌云", "苏日娜", "额尔敦", "斯琴", "那仁", "阿拉坦", "敏", "静", "磊", "伟"]


# ---- the database ----------------------------------------------------------------------------


class World:
    """The fixed part: group, schools, teachers, semesters (ids as the services saved them)."""

    def __init__(self, services: Any) -> None:
        from jituan_desktop.domain.charter import Group, Membership
        from jituan_desktop.domain.enums import LegalStructure, SchoolRole, StageType
        from jituan_desktop.services.demo import demo_schools

        self.services = services
        joined = dt.date(FIRST_YEAR, 9, 1)
        services.calendar.ensure_school_years(FIRST_YEAR, LAST_YEAR)
        group, _ = services.groups.save_group(Group(
            None, "巴彦浩特贺兰山教育集团", "alxa_2024", "共建型", short_name="贺兰山教育集团",
            region="内蒙古自治区阿拉善盟阿拉善左旗", legal_structure=LegalStructure.MULTI,
            stage_type=StageType.SAME_STAGE, founded_on=joined))
        self.group_id: int = group.id
        self.schools: list[int] = []
        self.core: int = 0
        for entry in demo_schools()[:4]:
            school, _ = services.schools.save(entry.school)
            self.schools.append(school.id)
            if entry.role is SchoolRole.CORE:
                self.core = school.id
            services.groups.save_membership(Membership(
                None, group.id, school.id, entry.role, joined,
                role_label="核心校" if entry.role is SchoolRole.CORE else "成员校"))
        self.semesters = {(x.school_year, x.term): x
                          for x in services.calendar.semesters()}
        self.staff: dict[int, list[tuple[int, str, str]]] = {}  # school → (id, name, subject)
        self._teachers()

    def _teachers(self) -> None:
        from sqlalchemy import insert

        from jituan_desktop.persistence.models import TeacherRow, TeacherSubjectRow

        rng = random.Random(7)
        rows, subjects = [], []
        next_id = 1
        for school_id in self.schools:
            mine = []
            for i in range(TEACHERS_PER_SCHOOL):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                subject = SUBJECTS[i % len(SUBJECTS)]
                rows.append({"id": next_id, "school_id": school_id, "name": name,
                             "staff_no": f"T{school_id:02d}{i:04d}", "title": "first",
                             "cadre_rank": "middle" if i % 25 == 0 else "none",
                             "is_backbone": i % 7 == 0, "rotation_eligible": i % 3 != 0})
                subjects.append({"teacher_id": next_id, "subject": subject, "position": 0})
                mine.append((next_id, name, subject))
                next_id += 1
            self.staff[school_id] = mine
        with self.services.db.unit_of_work() as s:
            s.execute(insert(TeacherRow), rows)
            s.execute(insert(TeacherSubjectRow), subjects)

    def insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        from sqlalchemy import insert

        with self.services.db.unit_of_work() as s:
            for start in range(0, len(rows), 5000):
                s.execute(insert(table), rows[start:start + 5000])


def fill_courses(w: World, rng: random.Random) -> None:
    from jituan_desktop.domain.courses import CourseType, Delivery
    from jituan_desktop.persistence.course_models import (
        SharedCourseEnrolmentRow,
        SharedCourseRow,
        SharedCourseTeacherRow,
    )

    titles = ["绘本阅读与表达", "小小科学家实验室", "戈壁植物观察研学", "课后书法托管", "安代舞",
              "蒙古族传统文化与马头琴", "校园足球", "编程启蒙（Scratch）", "数学思维拓展"]
    semesters = list(w.semesters.values())
    courses, teachers, enrolments = [], [], []
    for i in range(N):
        provider = rng.choice(w.schools)
        teacher_id, _name, subject = rng.choice(w.staff[provider])
        delivery = rng.choice(list(Delivery))
        courses.append({
            "id": i + 1, "group_id": w.group_id, "semester_id": rng.choice(semesters).id,
            "provider_school_id": provider, "title": f"{rng.choice(titles)}（{i % 40 + 1}班）",
            "course_type": rng.choice(list(CourseType)).value, "subject": subject,
            "delivery": delivery.value, "schedule": "每周三下午第7节", "capacity": 120,
            "notes": ""})
        teachers.append({"course_id": i + 1, "teacher_id": teacher_id, "position": 0})
        if delivery is Delivery.DUAL_TEACHER:
            other = rng.choice([s for s in w.schools if s != provider])
            teachers.append({"course_id": i + 1, "teacher_id": rng.choice(w.staff[other])[0],
                             "position": 1})
        enrolled = [provider, *rng.sample([s for s in w.schools if s != provider], 2)]
        enrolments += [{"course_id": i + 1, "school_id": s, "students": rng.randint(15, 45),
                        "position": p} for p, s in enumerate(enrolled)]
    w.insert(SharedCourseRow, courses)
    w.insert(SharedCourseTeacherRow, teachers)
    w.insert(SharedCourseEnrolmentRow, enrolments)


def fill_research(w: World, rng: random.Random) -> None:
    from jituan_desktop.domain.research import AttendanceStatus, DeliveryMode, ResearchType
    from jituan_desktop.persistence.research_models import (
        ResearchAttendanceRow,
        ResearchSchoolRow,
        ResearchSessionRow,
    )

    kinds = list(ResearchType)
    weights = [30, 25, 10, 8, 7, 12, 12, 8, 2]  # in ResearchType's order
    first = dt.date(FIRST_YEAR, 9, 1)
    span = (dt.date(LAST_YEAR + 1, 6, 30) - first).days
    sessions, schools, attendance = [], [], []
    for i in range(N):
        day = first + dt.timedelta(days=rng.randrange(span))
        host = w.core if i % 2 == 0 else rng.choice(w.schools)
        taking_part = sorted({host, *rng.sample(w.schools, rng.randint(1, 3))})
        subject = rng.choice(SUBJECTS[:5])
        start = rng.choice([510, 580, 840, 870, 910])
        lead = next(n for _t, n, s in w.staff[host] if s == subject)
        sessions.append({
            "id": i + 1, "group_id": w.group_id, "held_on": day, "start_minute": start,
            "end_minute": start + rng.choice([60, 90, 120]), "subject": subject,
            "stage": "primary", "kind": rng.choices(kinds, weights)[0].value,
            "host_school_id": host, "mode": rng.choice(list(DeliveryMode)).value,
            "topic": "统编教材单元整体教学设计", "lead_teacher": lead,
            "minutes": "一、主讲教师展示课例，与会教师分组研讨。\n"
                       "二、各校交流本学科教学进度与问题。"})
        for school_id in taking_part:
            schools.append({"session_id": i + 1, "school_id": school_id})
            for teacher_id, _n, s in w.staff[school_id][:18]:
                if s == subject:
                    attendance.append({"session_id": i + 1, "teacher_id": teacher_id,
                                       "status": rng.choices(list(AttendanceStatus),
                                                             [86, 5, 6, 3])[0].value,
                                       "remark": ""})
    w.insert(ResearchSessionRow, sessions)
    w.insert(ResearchSchoolRow, schools)
    w.insert(ResearchAttendanceRow, attendance)


def fill_placements(w: World, rng: random.Random) -> None:
    from jituan_desktop.domain.placements import PlacementKind, PlacementStatus
    from jituan_desktop.persistence.placement_models import PlacementRow

    first = dt.date(FIRST_YEAR, 9, 1)
    span = (dt.date(LAST_YEAR + 1, 6, 30) - first).days
    statuses = list(PlacementStatus)
    rows = []
    for i in range(N):
        home = rng.choice(w.schools)
        host = w.core if home != w.core else rng.choice(w.schools[1:])
        teacher_id = rng.choice(w.staff[home])[0]
        start = first + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.choice([9, 11, 13, 15]))
        status = rng.choice(statuses)
        begun = status in (PlacementStatus.ACTIVE, PlacementStatus.ENDED,
                           PlacementStatus.RETURNED)
        rows.append({
            "id": i + 1, "group_id": w.group_id, "teacher_id": teacher_id,
            "kind": (PlacementKind.CADRE_EXERCISE if home == w.core
                     else PlacementKind.LEARNING).value,
            "home_school_id": home, "host_school_id": host, "mentor": "",
            "purpose": "学习核心校教学管理和质量监测做法",
            "applied_on": start - dt.timedelta(days=30), "planned_start": start,
            "planned_end": end, "actual_start": start if begun else None,
            "actual_end": end if status in (PlacementStatus.ENDED, PlacementStatus.RETURNED)
            else None,
            "returned_on": end + dt.timedelta(days=1) if status is PlacementStatus.RETURNED
            else None,
            "status": status.value, "justification": "", "flags": "HY-02" if i % 17 == 0 else "",
            "notes": ""})
    w.insert(PlacementRow, rows)


def fill_rotations(w: World, rng: random.Random) -> None:
    from jituan_desktop.domain.rotations import Appraisal, RotationForm
    from jituan_desktop.persistence.rotation_models import RotationRow

    forms = list(RotationForm)
    rows = []
    for i in range(N):
        sender = w.core if i % 3 else rng.choice(w.schools)
        receiver = rng.choice([s for s in w.schools if s != sender])
        teacher_id = rng.choice(w.staff[sender])[0]
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        start = dt.date(year, 9, 1)
        form = rng.choice(forms)
        long = form in (RotationForm.RESIDENT, RotationForm.SUPPORT, RotationForm.TEAM)
        planned = dt.date(year + (3 if long else 1), 8, 31 if long else 15)
        ended = planned < dt.date(2026, 9, 1)
        rows.append({
            "id": i + 1, "group_id": w.group_id, "teacher_id": teacher_id,
            "from_school_id": sender, "to_school_id": receiver, "form": form.value,
            "start_on": start, "planned_end": planned, "actual_end": planned if ended else None,
            "is_backbone": i % 4 == 0,
            "team_name": f"{year} 五小数学组团" if form is RotationForm.TEAM else "",
            "appraisal": rng.choice([a for a in Appraisal if a.value]).value if ended else "",
            "notes": "包一个教学班的数学课"})
    w.insert(RotationRow, rows)


# ---- the benchmarks --------------------------------------------------------------------------


def raw(db: Path, *queries: str) -> Callable[[], object]:
    def run() -> None:
        conn = sqlite3.connect(db)
        for query in queries:
            conn.execute(query).fetchall()
        conn.close()
    return run


def shown(app: Any, view: Any, rows: Callable[[], list[Any]]) -> Callable[[], object]:
    def run() -> None:
        view.set_rows(rows())
        app.processEvents()
    return run


def bench_activities(root: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from jituan_desktop import paths
    from jituan_desktop.bootstrap import open_services
    from jituan_desktop.settings import Settings
    from jituan_desktop.ui.pages.courses_page import course_columns
    from jituan_desktop.ui.pages.placements_page import placement_columns
    from jituan_desktop.ui.pages.research_page import research_columns
    from jituan_desktop.ui.pages.rotations_page import rotation_columns
    from jituan_desktop.ui.widgets.record_list import RecordListView

    app = QApplication.instance() or QApplication([])
    services = open_services(paths.DataPaths(root), Settings())
    w = World(services)
    rng = random.Random(20261126)
    for fill in (fill_courses, fill_research, fill_placements, fill_rotations):
        fill(w, rng)
    db = services.data.database
    gid = w.group_id
    short = {s.id: s.display_name for s in services.schools.list()}
    semesters = services.calendar.semesters()
    today = dt.date(2026, 11, 26)
    where = f"WHERE x.group_id = {gid} AND x.deleted_at IS NULL"

    # shared courses
    courses = services.courses
    view = RecordListView(course_columns(short))
    list_ms = median_ms(lambda: courses.list(gid))
    report(f"course_list ({N:,} rows)", median_ms(shown(app, view, lambda: courses.list(gid))),
           median_ms(raw(
               db, "SELECT x.*, m.school_year, m.term, s.name FROM shared_courses x "
               "JOIN semesters m ON m.id = x.semester_id "
               f"JOIN schools s ON s.id = x.provider_school_id {where} "
               "ORDER BY m.school_year DESC, m.term DESC, s.name, x.title, x.id",
               "SELECT t.course_id, t.teacher_id, p.name FROM shared_course_teachers t "
               "JOIN teachers p ON p.id = t.teacher_id JOIN shared_courses x "
               f"ON x.id = t.course_id {where} ORDER BY t.course_id, t.position",
               "SELECT e.course_id, e.school_id, e.students, s.name FROM "
               "shared_course_enrolments e JOIN schools s ON s.id = e.school_id "
               f"JOIN shared_courses x ON x.id = e.course_id {where} "
               "ORDER BY e.course_id, e.position")))
    loaded = courses.list(gid)
    report("  rules: course overview per semester (ALX-19) vs. the list",
           median_ms(lambda: courses.overview(gid, loaded)), list_ms)

    # joint research sessions
    research = services.research
    flags = research.compliance(gid, research.list(gid), semesters, today).session_findings
    view = RecordListView(research_columns(short, flags))
    list_ms = median_ms(lambda: research.list(gid))
    live = f"SELECT id FROM research_sessions x {where}"
    report(f"research_list ({N:,} rows)", median_ms(shown(app, view, lambda: research.list(gid))),
           median_ms(raw(
               db, "SELECT x.*, s.name FROM research_sessions x JOIN schools s "
               f"ON s.id = x.host_school_id {where} "
               "ORDER BY x.held_on DESC, x.start_minute DESC",
               f"SELECT session_id, school_id FROM research_session_schools WHERE session_id "
               f"IN ({live}) ORDER BY school_id",
               "SELECT session_id, status, count(*) FROM research_attendance WHERE session_id "
               f"IN ({live}) GROUP BY session_id, status",
               "SELECT session_id, count(*) FROM research_attachments WHERE session_id "
               f"IN ({live}) GROUP BY session_id")))
    loaded = research.list(gid)
    report("  rules: research counts per subject/semester/year + sync debriefs vs. the list",
           median_ms(lambda: research.compliance(gid, loaded, semesters, today)), list_ms)

    # placements
    placements = services.placements
    by_start = sorted(semesters, key=lambda s: s.starts_on)

    def semester_of(p: Any) -> str:  # as PlacementsPage.semester_label
        found = next((s for s in by_start if s.contains(p.start)), None)
        return found.label if found else ""

    view = RecordListView(placement_columns(short, semester_of))
    report(f"placement_list ({N:,} rows)",
           median_ms(shown(app, view, lambda: placements.list(gid))),
           median_ms(raw(
               db, "SELECT x.*, t.name, t.cadre_rank, h.name, o.name FROM placements x "
               "JOIN teachers t ON t.id = x.teacher_id JOIN schools h "
               "ON h.id = x.home_school_id JOIN schools o ON o.id = x.host_school_id "
               f"{where} ORDER BY x.planned_start DESC, x.id DESC")))

    # rotations
    rotations = services.rotations
    list_ms = median_ms(lambda: rotations.list(gid))
    terms = rotations.term_findings_by_id(gid, rotations.list(gid))
    view = RecordListView(rotation_columns(short, terms))
    report(f"rotation_list ({N:,} rows)",
           median_ms(shown(app, view, lambda: rotations.list(gid))),
           median_ms(raw(
               db, "SELECT x.*, t.name, t.staff_no, f.name, o.name FROM rotations x "
               "JOIN teachers t ON t.id = x.teacher_id JOIN schools f "
               "ON f.id = x.from_school_id JOIN schools o ON o.id = x.to_school_id "
               f"{where} AND t.deleted_at IS NULL AND f.deleted_at IS NULL "
               "AND o.deleted_at IS NULL ORDER BY x.start_on DESC, t.name, x.id")))
    loaded = rotations.list(gid)
    report("  rules: rotation term findings (ALX-13, the list's Rules column) vs. the list",
           median_ms(lambda: rotations.term_findings_by_id(gid, loaded)), list_ms)
    report("  rules: rotation per-year summaries (ALX-11/12/15, of the loaded list) vs. the list",
           median_ms(lambda: rotations.year_summaries(gid, today, loaded)), list_ms)
    services.close()


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="jituan-bench-") as tmp:
        bench_activities(Path(tmp))


if __name__ == "__main__":
    main()
