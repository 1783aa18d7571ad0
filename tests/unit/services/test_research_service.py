"""Saving, listing, checking and deleting joint research sessions through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from jituan_desktop.domain.research import AttendanceEntry, AttendanceStatus, ResearchType
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import format_date
from jituan_desktop.persistence.models import AuditRow
from jituan_desktop.persistence.research_models import (
    ResearchAttendanceRow,
    ResearchSchoolRow,
    ResearchSessionRow,
)
from jituan_desktop.services.research import semester_of
from tests.unit.services.test_research_fixtures import DAY, build_world, session


@pytest.fixture
def world(services, add_school, add_group, join):
    return build_world(services, add_school, add_group, join)


def count(services, row) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count()).select_from(row))


def test_a_session_is_saved_with_its_schools_and_attendance(services, world) -> None:
    saved, changes = services.research.save(session(world))
    assert changes.touches("research_session") and saved.id in changes.ids
    again = services.research.get(saved.id)
    assert again.school_ids == tuple(sorted((world.core, world.member)))
    assert {(e.teacher_name, e.status, e.remark) for e in again.attendance} == {
        ("王老师", AttendanceStatus.PRESENT, ""), ("张老师", AttendanceStatus.LATE, "路远")}
    [listed] = services.research.list(world.group_id)
    assert listed.id == saved.id and listed.attendee_count == 2
    assert listed.attendance_counts()[AttendanceStatus.LATE] == 1
    assert listed.host_school_name == "第一实验小学" and listed.duration_minutes == 90


def test_an_edit_replaces_schools_and_attendance_and_is_in_the_history(services, world) -> None:
    saved, _ = services.research.save(session(world))
    edited = session(world, id=saved.id, school_ids=(world.core,), attendance=(
        AttendanceEntry(world.teachers["王老师"], AttendanceStatus.EXCUSED, "病假"),))
    services.research.save(edited)
    again = services.research.get(saved.id)
    assert again.school_ids == (world.core,)
    assert [(e.teacher_name, e.status) for e in again.attendance] == [
        ("王老师", AttendanceStatus.EXCUSED)]
    with services.db.reading() as s:
        actions = list(s.scalars(select(AuditRow.action).where(
            AuditRow.entity == "research_session").order_by(AuditRow.id)))
    assert actions == ["create", "update"]


@pytest.mark.parametrize("change, field", [
    ({"end_minute": 14 * 60}, "end_minute"),
    ({"end_minute": 14 * 60 + 30}, "end_minute"),
    ({"subject": " "}, "subject"),
])
def test_bad_input_is_refused_and_nothing_is_written(services, world, change, field) -> None:
    with pytest.raises(ValidationError) as raised:
        services.research.save(session(world, **change))
    assert field in raised.value.report
    assert count(services, ResearchSessionRow) == 0


def test_end_before_start_says_so(services, world) -> None:
    report = services.research.validate(session(world, end_minute=13 * 60))
    assert "14:30" in report["end_minute"]


def test_a_teacher_of_a_school_that_did_not_take_part_is_refused(services, world) -> None:
    draft = session(world, attendance=(AttendanceEntry(world.teachers["赵老师"]),))
    with pytest.raises(ValidationError) as raised:
        services.research.save(draft)
    assert "赵老师" in raised.value.report["attendance"]
    assert "外集团小学" in raised.value.report["attendance"]
    assert count(services, ResearchSessionRow) == 0
    assert count(services, ResearchAttendanceRow) == 0


def test_a_teacher_of_a_member_school_not_ticked_is_refused(services, world) -> None:
    draft = session(world, school_ids=(world.core,))  # 张老师 of 第五小学 is listed
    report = services.research.validate(draft)
    assert "张老师" in report["attendance"]


def test_a_host_school_outside_the_group_is_refused(services, world) -> None:
    draft = session(world, host_school_id=world.outsider,
                    school_ids=tuple(sorted((world.outsider, world.core))), attendance=())
    report = services.research.validate(draft)
    assert "host_school_id" in report and "school_ids" in report


def test_the_host_must_take_part(services, world) -> None:
    report = services.research.validate(session(world, school_ids=(world.member,),
                                                attendance=()))
    assert "school_ids" in report


def test_a_teacher_listed_twice_is_refused(services, world) -> None:
    twice = (AttendanceEntry(world.teachers["王老师"]), AttendanceEntry(world.teachers["王老师"]))
    assert "attendance" in services.research.validate(session(world, attendance=twice))


def test_delete_and_restore_through_the_recycle_bin(services, world) -> None:
    saved, _ = services.research.save(session(world))
    services.recycle_bin.delete("research_session", saved.id)
    assert services.research.list(world.group_id) == []
    [item] = services.recycle_bin.list()
    assert item.entity == "research_session" and "语文" in item.label
    services.recycle_bin.restore("research_session", saved.id)
    assert [s.id for s in services.research.list(world.group_id)] == [saved.id]


def test_restore_is_refused_when_an_attendee_was_deleted_meanwhile(services, world) -> None:
    saved, _ = services.research.save(session(world))
    services.recycle_bin.delete("research_session", saved.id)
    services.recycle_bin.delete("teacher", world.teachers["张老师"])
    with pytest.raises(ValidationError):
        services.recycle_bin.restore("research_session", saved.id)


def test_compliance_counts_per_subject_and_semester_with_alx20(services, world) -> None:
    for offset in range(4):
        services.research.save(session(world, held_on=DAY + dt.timedelta(days=offset)))
    services.research.save(session(world, subject="数学", attendance=()))
    sessions = services.research.list(world.group_id)
    result = services.research.compliance(world.group_id, sessions,
                                          services.calendar.semesters(), dt.date(2026, 3, 1))
    counts = {(c.subject, c.count, c.broken) for c in result.subject_counts}
    assert counts == {("语文", 4, True), ("数学", 1, True)}
    [chinese] = [c for c in result.subject_counts if c.subject == "语文"]
    assert chinese.findings[0].rule_id == "ALX-20"
    services.research.save(session(world, held_on=DAY + dt.timedelta(days=10)))
    sessions = services.research.list(world.group_id)
    result = services.research.compliance(world.group_id, sessions,
                                          services.calendar.semesters(), dt.date(2026, 3, 1))
    assert {(c.subject, c.count, c.broken) for c in result.subject_counts
            if c.subject == "语文"} == {("语文", 5, False)}


def test_alx20_is_not_yet_due_until_the_semester_has_ended(services, world) -> None:
    services.research.save(session(world, subject="数学", attendance=()))
    sessions = services.research.list(world.group_id)
    semesters = services.calendar.semesters()
    last = semester_of(DAY, semesters).ends_on
    for day, broken in ((DAY, False), (last, False), (last + dt.timedelta(days=1), True)):
        result = services.research.compliance(world.group_id, sessions, semesters, day)
        [maths] = result.subject_counts
        [finding] = maths.findings
        assert finding.rule_id == "ALX-20" and finding.broken is broken
        assert (format_date(last) in finding.message) is not broken  # "…ends on <last>"


def test_a_yuyao_group_gets_yy06_and_yy12_findings(services, add_school, add_group,
                                                    join) -> None:
    from jituan_desktop.domain.enums import SchoolRole, Stage
    from tests.unit.services.test_research_fixtures import World

    def world_of(model: str, name: str) -> World:
        group = add_group(name, profile_id="yuyao_2020", model_label=model)
        a = add_school(name + "城区小学", stage=Stage.PRIMARY)
        b = add_school(name + "乡村小学", stage=Stage.PRIMARY)
        join(group, a, SchoolRole.CORE, dt.date(2025, 9, 1))
        join(group, b, SchoolRole.MEMBER, dt.date(2025, 9, 1))
        return World(group.id, a.id, b.id, -1, {})

    semesters = services.calendar.semesters()
    after_year = dt.date(2026, 9, 1)
    # YY-12 (同步课堂 debrief) is a rule of 协作型 groups, YY-06 one of 片区 groups
    collab = world_of("协作型", "余姚协作")
    services.research.save(session(collab, kind=ResearchType.SEMINAR, attendance=()))
    lesson, _ = services.research.save(session(collab, kind=ResearchType.SYNC_CLASS,
                                               attendance=(), held_on=DAY))
    result = services.research.compliance(collab.group_id, services.research.list(
        collab.group_id), semesters, after_year)
    assert result.year_findings == ()
    assert [(f.rule_id, f.broken) for f in result.session_findings[lesson.id]] == [
        ("YY-12", True)]
    assert result.subject_counts and not any(c.findings for c in result.subject_counts)

    zone = world_of("片区学校教共体", "余姚片区")
    services.research.save(session(zone, kind=ResearchType.SEMINAR, attendance=()))
    sessions = services.research.list(zone.group_id)
    result = services.research.compliance(zone.group_id, sessions, semesters, after_year)
    assert [(f.rule_id, f.broken) for f in result.year_findings] == [("YY-06", True)]
    # YY-06 is per school year: not yet due until the year's last semester has ended
    year_end = max((s.ends_on for s in semesters if s.school_year == 2025 and s.term == 2),
                   default=dt.date(2026, 8, 31))
    for day, broken in ((DAY + dt.timedelta(days=30), False), (year_end, False),
                        (year_end + dt.timedelta(days=1), True)):
        result = services.research.compliance(zone.group_id, sessions, semesters, day)
        [finding] = result.year_findings
        assert finding.rule_id == "YY-06" and finding.broken is broken


def test_sessions_survive_an_export_and_import_and_bad_ones_are_refused(
        services, world, tmp_path) -> None:
    import json

    from jituan_desktop.services.dataset import DatasetError

    saved, _ = services.research.save(session(world))
    (tmp_path / "p.png").write_bytes(b"photo")
    services.research.add_attachment(saved.id, tmp_path / "p.png")
    doc = services.dataset.export_document()
    assert len(doc["research_sessions"]) == 1 and len(doc["research_attendance"]) == 2
    # the derived duration is exported (14:30–16:00) and ignored by the import below
    assert doc["research_sessions"][0]["duration_minutes"] == 90
    assert doc["research_attachments"][0]["sha256"] and doc["research_attachments"][0]["size"]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc, ensure_ascii=False))
    services.dataset.import_json(good)
    again = services.research.get(saved.id)
    assert len(again.attendance) == 2 and again.attachment_count == 1
    # a teacher of the school outside the group on the attendance: refused as a whole
    doc["research_attendance"].append({"session_id": saved.id,
                                       "teacher_id": world.teachers["赵老师"],
                                       "status": "present", "remark": ""})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(DatasetError) as raised:
        services.dataset.import_json(bad)
    assert any("research_sessions[1]" in p for p in raised.value.problems)
    assert len(services.research.get(saved.id).attendance) == 2


def test_the_demo_group_has_two_school_years_of_sessions_some_breaking_alx20(
        demo_services) -> None:
    from jituan_desktop.services.demo import GROUP_NAME

    [group] = [g for g in demo_services.groups.list() if g.name == GROUP_NAME]
    sessions = demo_services.research.list(group.id)
    years = {s.held_on.year if s.held_on.month >= 9 else s.held_on.year - 1 for s in sessions}
    assert years == {2025, 2026}
    assert all(s.attendee_count for s in sessions)
    assert {s.kind for s in sessions} >= {ResearchType.SYNC_CLASS, ResearchType.SYNC_DEBRIEF}
    with_files = [s for s in sessions if s.attachment_count]
    assert with_files
    for attachment in demo_services.research.attachments(with_files[0].id):
        assert demo_services.research.attachment_path(attachment).is_file()
    result = demo_services.research.compliance(group.id, sessions,
                                               demo_services.calendar.semesters(),
                                               dt.date(2027, 2, 1))
    broken = {(c.semester.label, c.subject) for c in result.subject_counts if c.broken}
    assert broken == {("2025—2026学年第一学期", "道德与法治"), ("2025—2026学年第二学期", "科学")}
    for session_row in sessions:  # every demo session passes the form's own checks
        assert demo_services.research.validate(demo_services.research.get(session_row.id)).ok


def _bulk_sessions(services, world, n: int) -> None:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work() as s:
        conn = s.connection()
        conn.execute(insert(ResearchSessionRow), [
            {"id": 100 + i, "group_id": world.group_id,
             "held_on": DAY + dt.timedelta(days=i % 600), "start_minute": 14 * 60,
             "end_minute": 14 * 60 + 30 + i % 90, "subject": ("语文", "数学", "科学")[i % 3],
             "stage": "primary", "kind": "collective_prep", "host_school_id": world.core,
             "mode": "offline", "topic": f"主题{i}", "lead_teacher": "", "minutes": ""}
            for i in range(n)])
        conn.execute(insert(ResearchSchoolRow), [
            {"session_id": 100 + i, "school_id": school}
            for i in range(n) for school in (world.core, world.member)])
        conn.execute(insert(ResearchAttendanceRow), [
            {"session_id": 100 + i, "teacher_id": world.teachers["王老师"],
             "status": "present", "remark": ""} for i in range(n)])


def test_a_list_of_20000_sessions_loads_and_checks_within_bounds(services, world) -> None:
    import time

    n = 20_000
    _bulk_sessions(services, world, n)
    started = time.perf_counter()
    sessions = services.research.list(world.group_id)
    listed = time.perf_counter() - started
    assert len(sessions) == n and len({s.id for s in sessions}) == n
    assert all(len(s.school_ids) == 2 and s.attendee_count == 1 for s in sessions)
    assert listed < 15, f"listing {n} sessions took {listed:.1f} s"
    started = time.perf_counter()
    services.research.compliance(world.group_id, sessions, services.calendar.semesters(),
                                 dt.date(2026, 11, 27))
    assert time.perf_counter() - started < 15


def test_the_excel_export_has_the_duration_in_minutes(services, world, tmp_path) -> None:
    from openpyxl import load_workbook

    from jituan_desktop.services.research import (
        DURATION_COLUMN,
        EXPORT_HEADERS,
        export_sessions_xlsx,
    )

    services.research.save(session(world))  # 14:30–16:00: 90 minutes, 1 present + 1 late
    services.research.save(session(world, start_minute=8 * 60, end_minute=8 * 60 + 45,
                                   subject="数学", attendance=()))
    sessions = services.research.list(world.group_id)
    names = {world.core: "一实小", world.member: "五小"}
    target = tmp_path / "out" / "sessions.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")  # replaced as a whole
    assert export_sessions_xlsx(target, sessions, names) == 2
    assert [p.name for p in target.parent.iterdir()] == ["sessions.xlsx"]  # no temp file left
    book = load_workbook(target, read_only=True)
    try:  # a read-only workbook keeps its file open until closed
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    from jituan_desktop.i18n import _

    assert rows[0] == tuple(_(h) for h in EXPORT_HEADERS)
    by_subject = {r[4]: r for r in rows[1:]}
    assert by_subject["语文"][DURATION_COLUMN] == 90
    assert by_subject["数学"][DURATION_COLUMN] == 45
    chinese = by_subject["语文"]
    assert chinese[0].date() == DAY and chinese[1:3] == ("14:30", "16:00")
    assert chinese[6] == "一实小" and chinese[7] == "一实小、五小"
    assert chinese[-2:] == (2, 2)  # present (late counts as present) / listed


def test_sync_class_debriefs_are_found_as_a_scan_of_every_session_finds_them(
        services, add_group) -> None:
    """The debrief lookup (by subject and date, with bisect) gives the findings the rule gives
    with every session of the group to look through: debriefs before the class, on the same
    day, two in time, of another subject, none at all."""
    import random

    from jituan_desktop.domain.enums import Stage
    from jituan_desktop.domain.research import ResearchSession
    from jituan_desktop.domain.rules import evaluate
    from jituan_desktop.domain.rules.research import SessionFact, SyncFacts

    group = add_group("余姚协作体", profile_id="yuyao_2020", model_label="协作型")
    rng = random.Random(7)
    kinds = [ResearchType.SYNC_CLASS, ResearchType.SYNC_DEBRIEF, ResearchType.SEMINAR]
    sessions = [ResearchSession(
        i, group.id, DAY + dt.timedelta(days=rng.randrange(120)), 14 * 60, 15 * 60,
        rng.choice(["语文", "数学", "英语"]), Stage.PRIMARY, rng.choice(kinds), 1, (1,))
        for i in range(1, 400)]
    today = DAY + dt.timedelta(days=60)
    result = services.research.compliance(group.id, sessions, services.calendar.semesters(),
                                          today)
    profile = services.profiles["yuyao_2020"]
    facts = [SessionFact(x.id, x.held_on, x.subject, x.kind, 1) for x in sessions]
    expected = {f.id: [(x.rule_id, x.broken, x.message) for x in evaluate(
        profile, "research_session", SyncFacts(f, tuple(facts), today, "协作型"))]
        for f in facts if f.kind == ResearchType.SYNC_CLASS}
    assert {k: [(x.rule_id, x.broken, x.message) for x in v]
            for k, v in result.session_findings.items()} == expected
    outcomes = {x[1] for found in expected.values() for x in found}
    assert outcomes == {True, False}  # both in time and late (or missing) debriefs occur


def test_an_edit_of_every_field_is_in_the_history(services, world) -> None:
    from jituan_desktop.domain.enums import Stage
    from jituan_desktop.domain.research import DeliveryMode
    from jituan_desktop.services.research import SESSION_FIELDS

    saved, _ = services.research.save(session(world))
    edited = session(
        world, id=saved.id, held_on=DAY + dt.timedelta(days=1), start_minute=8 * 60,
        end_minute=9 * 60, subject="数学", stage=Stage.JUNIOR, kind=ResearchType.SEMINAR,
        host_school_id=world.member, mode=DeliveryMode.ONLINE, topic="新主题",
        lead_teacher="王老师", minutes="纪要", school_ids=(world.member,),
        attendance=(AttendanceEntry(world.teachers["张老师"], AttendanceStatus.LATE, "堵车"),))
    services.research.save(edited)
    with services.db.reading() as s:
        details = s.scalars(select(AuditRow.details).where(
            AuditRow.entity == "research_session").order_by(AuditRow.id.desc())).first()
    assert set(details) == (set(SESSION_FIELDS) - {"group_id"}) | {
        "school_ids", "attendance", "remarks"}
    assert details["mode"] == ["offline", "online"]
    assert details["start_minute"] == ["14:30", "08:00"]
    assert details["attendance"] == {str(world.teachers["王老师"]): ["present", None]}
    assert details["remarks"] == {str(world.teachers["张老师"]): ["路远", "堵车"]}


def test_a_change_of_mode_alone_is_in_the_history(services, world) -> None:
    from jituan_desktop.domain.research import DeliveryMode

    saved, _ = services.research.save(session(world))
    services.research.save(session(world, id=saved.id, mode=DeliveryMode.ONLINE))
    with services.db.reading() as s:
        details = s.scalars(select(AuditRow.details).where(
            AuditRow.entity == "research_session").order_by(AuditRow.id.desc())).first()
    assert details == {"mode": ["offline", "online"]}
