"""The ready-made demo group is complete, valid by the app's own rules, and deterministic."""

from __future__ import annotations

import datetime as dt

from jituan_desktop import paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.domain.charter import validate_membership
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
from jituan_desktop.domain.schools import validate_school, validate_teacher
from jituan_desktop.services.demo import GROUP_NAME, demo_schools
from jituan_desktop.settings import Settings

ACTOR = "测试员"


def test_the_demo_has_one_group_with_its_schools_and_teachers(demo_services) -> None:
    # the Alxa group comes first (the app opens on it); the second demo group, on the
    # Huaiyuan profile, shows the placements (services/demo_placements.py)
    group, second = demo_services.groups.list()
    assert group.name == GROUP_NAME and group.profile_id == "alxa_2024"
    assert second.profile_id == "huaiyuan"
    assert group.model_label in {m.local_label for m in
                                 demo_services.profiles["alxa_2024"].models}
    names = {d.school.name for d in demo_schools()}
    schools = [s for s in demo_services.schools.list() if s.name in names]
    assert len(schools) == len(demo_schools()) == 5
    assert len(demo_services.teachers.list([s.id for s in schools])) == sum(
        d.teachers for d in demo_schools()) == 120
    assert {s.name: s.teacher_count for s in schools} == {
        d.school.name: d.teachers for d in demo_schools()}


def test_the_demo_membership_history_has_one_core_and_one_school_that_left(demo_services) -> None:
    group = demo_services.groups.list()[0]
    periods = demo_services.groups.memberships(group.id)
    assert [m.role for m in periods].count(SchoolRole.CORE) == 1
    left = [m for m in periods if m.left_on]
    assert len(left) == 1 and left[0].leave_reason and left[0].leave_evidence
    after_leaving = demo_services.groups.members_on(group.id, dt.date(2026, 9, 1))
    assert len(after_leaving) == 4
    assert len(demo_services.groups.members_on(group.id, dt.date(2026, 3, 1))) == 5


def test_every_demo_record_passes_the_apps_own_validation(demo_services) -> None:
    schools = demo_services.schools.list()
    for school in schools:
        others = {s.name for s in schools if s.id != school.id}
        assert validate_school(school, others).ok, school.name
    for teacher in demo_services.teachers.list():
        assert validate_teacher(teacher).ok, teacher.name
    for group in demo_services.groups.list():  # the Alxa group and the Huaiyuan one
        assert demo_services.groups.validate_group(group).ok
        for period in demo_services.groups.memberships(group.id):
            context = demo_services.groups.membership_context(period)
            assert validate_membership(period, context).ok, period.school_name


def test_the_demo_charter_is_filled_in(demo_services) -> None:
    group = demo_services.groups.list()[0]
    sections = demo_services.charter.sections(group.id)
    assert all(s.body for s in sections)
    assert {s.kind for s in sections} == set(SectionKind)
    leaders = demo_services.charter.leaders(group.id)
    assert [x.role for x in leaders].count(LeaderRole.LEADER) == 1
    assert leaders[0].role is LeaderRole.LEADER and leaders[0].teacher_id
    assert any(x.role is LeaderRole.LIAISON for x in leaders)
    plans = demo_services.charter.plans(group.id)
    assert {p.kind for p in plans} == {PlanKind.THREE_YEAR, PlanKind.ANNUAL}
    assert len(demo_services.calendar.semesters()) == 4


def test_the_demo_history_is_by_the_demo_and_later_writes_by_the_user(demo_services) -> None:
    history = demo_services.recycle_bin.history(limit=100_000)
    assert history and ACTOR not in {h.actor for h in history}
    group = demo_services.groups.list()[0]
    demo_services.charter.save_plan(demo_services.charter.plans(group.id)[0])
    assert demo_services.recycle_bin.history()[0].actor == ACTOR


def test_opening_the_demo_again_does_not_build_it_twice(demo_services) -> None:
    data = demo_services.data
    before = len(demo_services.recycle_bin.history(limit=100_000))
    demo_services.close()
    again = open_services(paths.DataPaths(data.root, demo=True), Settings(actor_name=ACTOR))
    try:
        assert len(again.groups.list()) == 2  # the Alxa and the Huaiyuan demo groups
        assert len(again.recycle_bin.history(limit=100_000)) == before
    finally:
        again.close()


def test_the_demo_is_deterministic(demo_services, tmp_path) -> None:
    # WHEN the demo is built a second time in another folder
    other = open_services(paths.DataPaths(tmp_path / "again", demo=True),
                          Settings(actor_name=ACTOR))
    try:
        # THEN it has the same teachers with the same subjects
        def people(services):
            return [(t.school_name, t.name, t.subjects, t.title, t.hired_on)
                    for t in services.teachers.list()]

        assert people(other) == people(demo_services)
    finally:
        other.close()


def test_the_demo_lives_in_its_own_database(demo_services, data_dir) -> None:
    assert demo_services.data.database.name == "jituan-demo.db"
    assert demo_services.data.database != paths.DataPaths(data_dir).database
