"""The append-only history: every write leaves an entry (who, what, when); none can be edited."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from jituan_desktop.domain.charter import CharterSection, Group, Leader, Membership, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.i18n import _, format_date, format_semester
from jituan_desktop.services.base import Changes, Database, diff, upsert

ACTOR = "测试员"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def writes(services):
    """(description, write) for every kind of write a user can make."""
    state: dict[str, object] = {}

    def school() -> None:
        state["school"], _ = services.schools.save(School(None, "第一实验小学"))

    def group() -> None:
        draft = Group(None, "贺兰山教育集团", "alxa_2024", "共建型")
        if "group" in state:  # the second call edits the group
            draft = dataclasses.replace(state["group"], zone="巴彦浩特片区")
        state["group"], _ = services.groups.save_group(draft)

    def teacher() -> None:
        services.teachers.save(Teacher(None, state["school"].id, "王建华", subjects=("语文",)))

    def membership() -> None:
        services.groups.save_membership(Membership(
            None, state["group"].id, state["school"].id, SchoolRole.CORE, dt.date(2024, 9, 1)))

    def leader() -> None:
        services.charter.save_leader(Leader(None, state["group"].id, LeaderRole.LEADER, "王建华"))

    def section() -> None:
        services.charter.save_section(CharterSection(None, state["group"].id,
                                                     SectionKind.CUSTOM, "附则"))

    def plan() -> None:
        services.charter.save_plan(Plan(None, state["group"].id, PlanKind.ANNUAL, 2025, "计划"))

    def semester() -> None:
        services.calendar.ensure_school_years(2025, 2025)

    def delete() -> None:
        services.recycle_bin.delete("school", state["school"].id)

    def restore() -> None:
        services.recycle_bin.restore("school", state["school"].id)

    return [("school", school), ("group", group), ("group", group), ("teacher", teacher),
            ("membership", membership), ("leader", leader), ("charter_section", section),
            ("plan", plan), ("semester", semester), ("school", delete), ("school", restore)]


def test_every_write_adds_a_history_entry_with_who_what_and_when(services) -> None:
    for entity, write in writes(services):
        # GIVEN the history so far
        before = services.recycle_bin.history()
        start = now()
        # WHEN a user action writes something
        write()
        # THEN new entries name the actor, the kind of record, and a time during the write
        after = services.recycle_bin.history()
        new = after[:len(after) - len(before)]
        assert new, entity
        assert new[-1].entity == entity, [e.entity for e in new]
        for entry in new:
            assert entry.actor == ACTOR
            assert entry.action in ("create", "update", "delete", "restore")
            assert entry.summary
            assert start - dt.timedelta(seconds=1) <= entry.at <= now()


def test_history_is_newest_first_and_can_be_filtered(services, add_school) -> None:
    a = add_school("甲校")
    b = add_school("乙校")
    services.schools.save(School(a.id, "甲校", notes="备注"))
    history = services.recycle_bin.history()
    assert [h.id for h in history] == sorted((h.id for h in history), reverse=True)
    assert [h.action for h in services.recycle_bin.history(entity="school",
                                                           entity_id=a.id)] == [
        "update", "create"]
    assert [h.entity_id for h in services.recycle_bin.history(limit=1)] == [a.id]
    assert {h.entity_id for h in services.recycle_bin.history(entity="school")} == {a.id, b.id}
    assert services.recycle_bin.history(entity="teacher") == []
    assert history[0].kind_label


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = '别人'",
    "DELETE FROM audit_log",
])
def test_the_history_cannot_be_edited_or_deleted_in_sqlite(services, add_school,
                                                           statement: str) -> None:
    # GIVEN a history with an entry
    add_school("甲校")
    before = services.recycle_bin.history()
    # WHEN someone edits or deletes it with SQL
    with pytest.raises(DatabaseError, match="append-only"), services.engine.begin() as conn:
        conn.execute(text(statement))
    # THEN the database refuses and the history is unchanged
    assert services.recycle_bin.history() == before


def test_a_failed_unit_of_work_leaves_no_history(services, counts) -> None:
    before = counts(services)
    with pytest.raises(RuntimeError), services.db.unit_of_work() as s:
        services.db.audit(s, "create", "school", None, "半截")
        s.flush()
        raise RuntimeError("power cut")
    assert counts(services) == before


def test_upsert_writes_only_changed_fields_to_the_history(services, add_school) -> None:
    from jituan_desktop.persistence.models import SchoolRow

    school = add_school("甲校", address="旧")
    db: Database = services.db
    with db.unit_of_work() as s:
        upsert(db, s, SchoolRow, school.id, {"name": "甲校", "address": "新"}, "school",
               created="Added {name}", changed="Changed {name}")
    latest = services.recycle_bin.history()[0]
    assert latest.summary == "Changed 甲校"
    assert latest.details == {"address": ["旧", "新"]}


def test_upsert_takes_a_summary_function_and_a_group_of_the_row(services) -> None:
    from jituan_desktop.persistence.models import GroupRow, SemesterRow

    db: Database = services.db
    seen: list[object] = []

    def summary(row, before) -> str:  # type: ignore[no-untyped-def]
        seen.append(before)
        return f"{row.school_year}/{row.term} {{not a template}}"

    with db.unit_of_work() as s:
        # a row without a recycle bin (semesters) is inserted, then updated
        row = upsert(db, s, SemesterRow, None, {"school_year": 2030, "term": 1,
                                                "starts_on": dt.date(2030, 9, 1),
                                                "ends_on": dt.date(2031, 1, 31)},
                     "semester", created=summary, changed=summary)
        upsert(db, s, SemesterRow, row.id, {"ends_on": dt.date(2031, 1, 20)}, "semester",
               created=summary, changed=summary)
        group = upsert(db, s, GroupRow, None, {
            "name": "集团", "profile_id": "alxa_2024", "model_label": "共建型",
            "legal_structure": "multi", "stage_type": "same_stage"}, "group",
            created="Created {name}", changed="Changed {name}", group_id=lambda r: r.id)
    assert seen == [None, {"ends_on": dt.date(2031, 1, 31)}]
    group_entry, update, create = services.recycle_bin.history()[:3]
    assert (create.action, create.summary) == ("create", "2030/1 {not a template}")
    assert (update.action, update.details) == ("update", {"ends_on": ["2031-01-31",
                                                                      "2031-01-20"]})
    assert (group_entry.summary, group_entry.group_id) == ("Created 集团", group.id)


def test_names_in_use_leave_out_the_recycle_bin_and_the_record_itself(services,
                                                                      add_school) -> None:
    from jituan_desktop.persistence.models import SchoolRow
    from jituan_desktop.services.base import names_in_use

    a, b, c = add_school("甲校"), add_school("乙校"), add_school("丙校")
    services.recycle_bin.delete("school", c.id)
    with services.db.reading() as s:
        assert names_in_use(s, SchoolRow) == {"甲校", "乙校"}
        assert names_in_use(s, SchoolRow, except_id=a.id) == {"乙校"}
    assert b.name


def test_the_refactored_writes_keep_their_history_summaries(services, add_school) -> None:
    # groups, memberships and semesters write through upsert; their summaries are unchanged
    school = add_school("第一实验小学")
    group, _changes = services.groups.save_group(Group(None, "贺兰山教育集团", "alxa_2024",
                                                       "共建型"))
    services.groups.save_group(dataclasses.replace(group, zone="片区"))
    period, _changes = services.groups.save_membership(Membership(
        None, group.id, school.id, SchoolRole.MEMBER, dt.date(2024, 9, 1)))
    services.groups.save_membership(dataclasses.replace(period, join_note="批复"))
    services.groups.save_membership(dataclasses.replace(
        period, join_note="批复", left_on=dt.date(2025, 8, 31), leave_reason="撤并"))
    services.calendar.ensure_school_years(2024, 2024)
    first = next(x for x in services.calendar.semesters() if x.term == 1)
    services.calendar.save(dataclasses.replace(first, ends_on=dt.date(2025, 1, 20)))
    summaries = [(h.entity, h.action, h.group_id, h.summary)
                 for h in reversed(services.recycle_bin.history())][1:]
    assert summaries == [
        ("group", "create", group.id, _("Created group {name}").format(name=group.name)),
        ("group", "update", group.id, _("Changed the charter of {name}").format(
            name=group.name)),
        ("membership", "create", group.id, _("{school} joined the group on {date} as {role}")
         .format(school=school.name, date=format_date(dt.date(2024, 9, 1)),
                 role=SchoolRole.MEMBER.label())),
        ("membership", "update", group.id, _("Changed the membership of {school}").format(
            school=school.name)),
        ("membership", "update", group.id, _("{school} left the group on {date}: {reason}")
         .format(school=school.name, date=format_date(dt.date(2025, 8, 31)), reason="撤并")),
        ("semester", "create", None, _("Added {semester}").format(semester=first.label)),
        ("semester", "create", None, _("Added {semester}").format(
            semester=format_semester(2024, 2))),
        ("semester", "update", None, _("Changed the dates of {semester}").format(
            semester=first.label)),
    ]


def test_diff_and_changes_values() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    both = Changes.of("school", ids=[1, None]) | Changes.of("teacher", ids=[2])  # type: ignore[list-item]
    assert both.kinds == {"school", "teacher"} and both.ids == {1, 2}
    assert both.touches("teacher", "plan") and not both.touches("plan")
    assert not Changes().touches("school")


def test_history_times_are_shown_in_the_computers_time_zone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import time

    from jituan_desktop.services.base import local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time(dt.datetime(2025, 3, 1, 8, 0)) == dt.datetime(2025, 3, 1, 16, 0)
    finally:
        monkeypatch.undo()
        time.tzset()
