"""Groups and their membership history through the service."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.charter import Group, Membership
from jituan_desktop.domain.enums import SchoolRole, SectionKind
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.services.base import NotFound
from jituan_desktop.services.groups import STANDARD_SECTIONS, GroupService

ACTOR = "测试员"
D = dt.date
CORE, MEMBER = SchoolRole.CORE, SchoolRole.MEMBER


@pytest.fixture
def group(add_group) -> Group:
    return add_group("贺兰山教育集团")


@pytest.fixture
def core(add_school):
    return add_school("第一实验小学")


@pytest.fixture
def member(add_school):
    return add_school("温都尔勒图镇中心小学", is_rural=True)


# ---- groups -------------------------------------------------------------------------------


def test_a_new_group_is_listed_with_its_model_and_the_standard_sections(services) -> None:
    # WHEN a group is created
    group, changes = services.groups.save_group(Group(
        None, " 贺兰山教育集团 ", "alxa_2024", "共建型", founded_on=D(2024, 9, 1)))
    # THEN it is listed with a trimmed name and its model's canonical name
    assert changes.touches("group", "charter_section")
    assert services.groups.list() == [group]
    assert group.name == "贺兰山教育集团"
    assert group.model_canonical == "co_built"
    assert services.groups.get(group.id) == group
    assert services.groups.profile_of(group) is services.profiles["alxa_2024"]
    # AND its charter starts with the four standard sections, empty
    sections = services.charter.sections(group.id)
    assert [s.kind for s in sections] == list(STANDARD_SECTIONS)
    assert all(s.body == "" for s in sections)
    # AND the history says who created it
    [entry] = services.recycle_bin.history(entity="group")
    assert (entry.actor, entry.action, entry.entity_id, entry.group_id) == (
        ACTOR, "create", group.id, group.id)


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"), ({"name": "  "}, "name"), ({"name": "贺兰山教育集团"}, "name"),
    ({"profile_id": ""}, "profile_id"), ({"profile_id": "atlantis"}, "profile_id"),
    ({"model_label": "委托管理式"}, "model_label"),
    ({"founded_on": dt.date.today() + dt.timedelta(days=1)}, "founded_on"),
])
def test_bad_group_input_is_refused_and_nothing_is_written(services, group, counts,
                                                           change, field) -> None:
    # GIVEN a group called 贺兰山教育集团
    before = counts(services)
    # WHEN another group is saved with bad input
    draft = dataclasses.replace(Group(None, "另一个集团", "alxa_2024", "共建型"), **change)
    with pytest.raises(ValidationError) as caught:
        services.groups.save_group(draft)
    # THEN the field is named and the database is unchanged (rows and history)
    assert field in caught.value.report
    assert counts(services) == before


def test_editing_a_group_records_the_change(services, group) -> None:
    edited, _ = services.groups.save_group(dataclasses.replace(group, zone="巴彦浩特片区"))
    assert services.groups.get(group.id).zone == "巴彦浩特片区" == edited.zone
    latest = services.recycle_bin.history(entity="group", entity_id=group.id)[0]
    assert latest.action == "update" and latest.details == {"zone": ["", "巴彦浩特片区"]}
    # no second set of standard sections on edit
    assert len(services.charter.sections(group.id)) == len(STANDARD_SECTIONS)


def test_editing_a_deleted_group_raises_not_found(services, group) -> None:
    services.recycle_bin.delete("group", group.id)
    assert services.groups.list() == []
    with pytest.raises(NotFound):
        services.groups.get(group.id)
    with pytest.raises(NotFound):
        services.groups.save_group(dataclasses.replace(group, zone="x"))


# ---- memberships --------------------------------------------------------------------------


def test_joining_and_leaving_keeps_the_period_with_its_leave_date(services, group, core, member,
                                                                  join) -> None:
    # GIVEN a core school and a member school since 2024-09-01
    join(group, core, CORE, D(2024, 9, 1), role_label="核心校")
    period = join(group, member, MEMBER, D(2024, 9, 1), role_label="成员校")
    # WHEN the member leaves on 2025-08-31 with a reason
    left, changes = services.groups.save_membership(dataclasses.replace(
        period, left_on=D(2025, 8, 31), leave_reason="学校撤并",
        leave_evidence="教体发〔2025〕31号"))
    # THEN the period stays in the history of memberships, with its leave date and reason
    assert changes.touches("membership")
    periods = services.groups.memberships(group.id)
    assert [(m.school_name, m.role, m.left_on) for m in periods] == [
        (core.name, CORE, None), (member.name, MEMBER, D(2025, 8, 31))]
    assert periods[1].leave_reason == "学校撤并" and periods[1] == left
    # AND members_on() knows who was in the group on a given day
    assert [m.school_id for m in services.groups.members_on(group.id, D(2024, 8, 31))] == []
    assert {m.school_id for m in services.groups.members_on(group.id, D(2025, 8, 31))} == {
        core.id, member.id}
    assert [m.school_id for m in services.groups.members_on(group.id, D(2025, 9, 1))] == [
        core.id]
    # AND the history has both the joining and the leaving, by the actor
    history = services.recycle_bin.history(entity="membership", entity_id=period.id)
    assert [(h.action, h.actor, h.group_id) for h in history] == [
        ("update", ACTOR, group.id), ("create", ACTOR, group.id)]
    assert history[0].details["left_on"] == [None, "2025-08-31"]


def test_memberships_list_core_first_then_current_then_past(services, group, add_school,
                                                            join) -> None:
    gone = add_school("宗别立镇小学")
    late = add_school("第五小学")
    first = add_school("第一实验小学")
    join(group, gone, MEMBER, D(2024, 9, 1), left_on=D(2025, 8, 31), leave_reason="撤并")
    join(group, late, MEMBER, D(2025, 9, 1))
    join(group, first, CORE, D(2024, 9, 1))
    assert [m.school_name for m in services.groups.memberships(group.id)] == [
        "第一实验小学", "第五小学", "宗别立镇小学"]


def bad_membership(group, core, member):
    """Drafts that must be refused once ``core`` is the core school from 2024-09-01 on."""
    return [
        (Membership(None, group.id, core.id, MEMBER, D(2025, 3, 1)), "role"),  # core and member
        (Membership(None, group.id, member.id, CORE, D(2025, 3, 1)), "role"),  # two cores
        (Membership(None, group.id, core.id, CORE, D(2025, 3, 1)), "joined_on"),  # twice
        (Membership(None, group.id, member.id, MEMBER, D(2025, 3, 1), left_on=D(2025, 1, 1),
                    leave_reason="撤并"), "left_on"),  # leaves before joining
        (Membership(None, group.id, member.id, MEMBER, D(2024, 9, 1), left_on=D(2025, 8, 31)),
         "leave_reason"),  # leaves without a reason
        (Membership(None, group.id, None, MEMBER, D(2024, 9, 1)), "school_id"),
        (Membership(None, group.id, member.id, MEMBER, None), "joined_on"),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("case", range(7))
def test_bad_membership_input_is_refused_and_nothing_is_written(services, group, core, member,
                                                                join, counts, case) -> None:
    # GIVEN a group whose core school joined on 2024-09-01
    join(group, core, CORE, D(2024, 9, 1))
    draft, field = bad_membership(group, core, member)[case]
    before = counts(services)
    # WHEN the bad draft is saved
    with pytest.raises(ValidationError) as caught:
        services.groups.save_membership(draft)
    # THEN the report names the field and nothing was written
    assert field in caught.value.report
    assert counts(services) == before
    assert field in services.groups.validate_membership(draft)


def test_a_leave_date_before_the_join_date_is_refused_on_edit_too(services, group, member,
                                                                  join, counts) -> None:
    period = join(group, member, MEMBER, D(2024, 9, 1))
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.groups.save_membership(dataclasses.replace(
            period, left_on=D(2024, 6, 30), leave_reason="撤并"))
    assert "left_on" in caught.value.report
    assert counts(services) == before
    assert services.groups.memberships(group.id)[0].left_on is None


def test_a_new_core_may_take_over_after_the_old_one_left(services, group, core, member,
                                                         join) -> None:
    old = join(group, core, CORE, D(2024, 9, 1))
    services.groups.save_membership(dataclasses.replace(old, left_on=D(2025, 8, 31),
                                                        leave_reason="转为成员校"))
    join(group, member, CORE, D(2025, 9, 1))
    join(group, core, MEMBER, D(2025, 9, 1))
    on = services.groups.members_on(group.id, D(2025, 10, 1))
    assert {(m.school_id, m.role) for m in on} == {(member.id, CORE), (core.id, MEMBER)}


def test_saving_a_membership_for_a_deleted_school_raises_not_found(services, group, member,
                                                                   counts) -> None:
    services.recycle_bin.delete("school", member.id)
    before = counts(services)
    with pytest.raises(NotFound):
        services.groups.save_membership(Membership(None, group.id, member.id, MEMBER,
                                                   D(2024, 9, 1)))
    assert counts(services) == before


def test_saving_a_membership_for_a_deleted_group_raises_not_found(services, group, member,
                                                                  counts) -> None:
    services.recycle_bin.delete("group", group.id)
    before = counts(services)
    with pytest.raises(NotFound):
        services.groups.save_membership(Membership(None, group.id, member.id, MEMBER,
                                                   D(2024, 9, 1)))
    assert counts(services) == before


def test_periods_of_a_deleted_school_are_hidden_until_it_is_restored(services, group, core,
                                                                     member, join) -> None:
    # GIVEN a core and a member school in the group
    join(group, core, CORE, D(2024, 9, 1))
    join(group, member, MEMBER, D(2024, 9, 1))
    # WHEN the member school goes to the recycle bin
    services.recycle_bin.delete("school", member.id)
    # THEN its period is neither listed nor counted among the members on a day
    assert [m.school_id for m in services.groups.memberships(group.id)] == [core.id]
    assert [m.school_id for m in services.groups.members_on(group.id, D(2025, 1, 1))] == [
        core.id]
    # AND when it is restored, its period is back
    services.recycle_bin.restore("school", member.id)
    assert {m.school_id for m in services.groups.memberships(group.id)} == {core.id, member.id}


def test_a_deleted_schools_periods_do_not_block_new_ones(services, group, core, member,
                                                        join) -> None:
    # GIVEN the core school in the recycle bin
    join(group, core, CORE, D(2024, 9, 1))
    services.recycle_bin.delete("school", core.id)
    # WHEN another school becomes core for the same period  THEN that is allowed
    draft = Membership(None, group.id, member.id, CORE, D(2024, 9, 1))
    assert services.groups.membership_context(draft).group_memberships == ()
    assert services.groups.validate_membership(draft).ok
    join(group, member, CORE, D(2024, 9, 1))


# ---- one group per school? ----------------------------------------------------------------


def exclusive_service(services) -> GroupService:
    """The same database, but the Alxa profile limits a school to one group."""
    profiles = dict(services.profiles)
    profiles["alxa_2024"] = dataclasses.replace(
        profiles["alxa_2024"], exclusive_membership=True, exclusive_membership_ref="TEST-01",
        exclusive_membership_quote="「每所学校只能加入一个教育集团」")
    return GroupService(services.db, profiles)


def test_no_shipped_profile_limits_a_school_to_one_group(services) -> None:
    # the exclusive rule is tested below with a modified profile; when a shipped profile gains
    # it, test_second_group_follows_each_shipped_profile covers that profile as well
    assert services.profiles
    assert not [p.id for p in services.profiles.values() if p.exclusive_membership]


def test_a_school_in_two_groups_is_refused_when_the_profile_forbids_it(services, add_group,
                                                                       member, counts) -> None:
    # GIVEN a profile with exclusive membership and a school in group A since 2024-09-01
    groups = exclusive_service(services)
    a = add_group("甲集团")
    b = add_group("乙集团")
    groups.save_membership(Membership(None, a.id, member.id, MEMBER, D(2024, 9, 1)))
    before = counts(services)
    # WHEN the school joins group B while still in A
    with pytest.raises(ValidationError) as caught:
        groups.save_membership(Membership(None, b.id, member.id, MEMBER, D(2025, 9, 1)))
    # THEN it is refused, citing the rule, and nothing was written
    assert "school_id" in caught.value.report
    assert "TEST-01" in caught.value.report["school_id"]
    assert counts(services) == before
    assert groups.memberships(b.id) == []


def test_under_an_exclusive_profile_a_school_may_move_after_leaving(services, add_group,
                                                                    member) -> None:
    groups = exclusive_service(services)
    a, b = add_group("甲集团"), add_group("乙集团")
    period, _ = groups.save_membership(Membership(None, a.id, member.id, MEMBER, D(2024, 9, 1)))
    groups.save_membership(dataclasses.replace(period, left_on=D(2025, 8, 31),
                                               leave_reason="划入乙集团"))
    moved, _ = groups.save_membership(Membership(None, b.id, member.id, MEMBER, D(2025, 9, 1)))
    assert groups.memberships(b.id) == [moved]


def test_a_school_in_a_deleted_group_is_free_to_join_another(services, add_group,
                                                             member) -> None:
    groups = exclusive_service(services)
    a, b = add_group("甲集团"), add_group("乙集团")
    groups.save_membership(Membership(None, a.id, member.id, MEMBER, D(2024, 9, 1)))
    services.recycle_bin.delete("group", a.id)
    assert groups.validate_membership(Membership(None, b.id, member.id, MEMBER,
                                                 D(2025, 9, 1))).ok


def test_a_school_in_two_groups_is_allowed_when_the_profile_allows_it(services, add_group,
                                                                      member) -> None:
    # GIVEN the shipped Alxa profile, which does not limit a school to one group
    assert not services.profiles["alxa_2024"].exclusive_membership
    a, b = add_group("甲集团"), add_group("乙集团")
    services.groups.save_membership(Membership(None, a.id, member.id, MEMBER, D(2024, 9, 1)))
    # WHEN the school joins a second group  THEN both periods are kept
    services.groups.save_membership(Membership(None, b.id, member.id, MEMBER, D(2025, 9, 1)))
    assert len(services.groups.members_on(a.id, D(2025, 10, 1))) == 1
    assert len(services.groups.members_on(b.id, D(2025, 10, 1))) == 1


def test_second_group_follows_each_shipped_profile(services, member) -> None:
    for profile in services.profiles.values():
        label = profile.models[0].local_label
        a, _ = services.groups.save_group(Group(None, f"{profile.id}-甲", profile.id, label))
        b, _ = services.groups.save_group(Group(None, f"{profile.id}-乙", profile.id, label))
        services.groups.save_membership(Membership(None, a.id, member.id, MEMBER,
                                                   D(2024, 9, 1)))
        report = services.groups.validate_membership(Membership(None, b.id, member.id, MEMBER,
                                                                D(2025, 9, 1)))
        assert ("school_id" in report) == profile.exclusive_membership, profile.id


def test_standard_section_kinds_are_the_four_charter_parts() -> None:
    assert set(STANDARD_SECTIONS) == set(SectionKind) - {SectionKind.CUSTOM}
