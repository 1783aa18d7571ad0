"""Schools through the service: validation before writing, history, listing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop.domain.enums import Stage
from jituan_desktop.domain.schools import School, Teacher
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.services.base import NotFound

VALID_CODE = "91350100M000100Y43"
ACTOR = "测试员"  # the actor of the conftest databases


def test_a_saved_school_is_listed_with_its_fields(services) -> None:
    # GIVEN an empty database
    # WHEN a school is saved with spaces around its texts and a lower-case credit code
    school, changes = services.schools.save(School(
        None, "  阿拉善左旗第五小学 ", short_name=" 五小", credit_code=VALID_CODE.lower(),
        stage=Stage.NINE_YEAR, is_rural=True))
    # THEN it is listed, trimmed, with an upper-case code
    assert changes.touches("school") and school.id in changes.ids
    [listed] = services.schools.list()
    assert listed == dataclasses.replace(school, teacher_count=0)
    assert listed.name == "阿拉善左旗第五小学"
    assert listed.short_name == "五小"
    assert listed.credit_code == VALID_CODE
    assert listed.stage is Stage.NINE_YEAR and listed.is_rural
    assert services.schools.get(school.id) == listed


def test_schools_are_listed_by_name_with_their_teacher_count(services, add_school) -> None:
    # GIVEN two schools, the second one added with two teachers
    add_school("乙校")
    b = add_school("甲校")
    for name in ("张一", "张二"):
        services.teachers.save(Teacher(None, b.id, name))
    # WHEN the schools are listed THEN they come sorted by name, with their teacher counts
    listed = [(s.name, s.teacher_count) for s in services.schools.list()]
    assert listed == sorted([("乙校", 0), ("甲校", 2)])


@pytest.mark.parametrize(("draft", "field"), [
    (School(None, ""), "name"),
    (School(None, "   "), "name"),
    (School(None, "丙校", credit_code="91350100M000100Y44"), "credit_code"),
    (School(None, "丙校", is_small_rural=True), "is_small_rural"),
])
def test_bad_school_input_is_refused_and_nothing_is_written(services, add_school, counts,
                                                            draft: School, field: str) -> None:
    # GIVEN a database with one school
    add_school("甲校")
    before = counts(services)
    # WHEN an invalid draft is saved
    with pytest.raises(ValidationError) as caught:
        services.schools.save(draft)
    # THEN the report names the field and neither rows nor history changed
    assert field in caught.value.report
    assert counts(services) == before


def test_a_duplicate_school_name_is_refused(services, add_school, counts) -> None:
    add_school("甲校")
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.schools.save(School(None, " 甲校 "))
    assert "name" in caught.value.report
    assert counts(services) == before
    assert "name" in services.schools.validate(School(None, "甲校"))


def test_renaming_a_school_to_its_own_name_is_not_a_duplicate(services, add_school) -> None:
    school = add_school("甲校")
    assert services.schools.validate(dataclasses.replace(school, notes="改备注")).ok


def test_a_school_in_the_recycle_bin_frees_its_name(services, add_school) -> None:
    school = add_school("甲校")
    services.recycle_bin.delete("school", school.id)
    assert services.schools.validate(School(None, "甲校")).ok


def test_editing_a_school_writes_the_changed_fields_to_the_history(services, add_school) -> None:
    # GIVEN a school
    school = add_school("甲校", address="旧地址")
    # WHEN its address is changed
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    services.schools.save(dataclasses.replace(school, address="新地址"))
    # THEN the latest history entry says who changed what, and when
    [latest, created] = services.recycle_bin.history(entity="school", entity_id=school.id)
    assert (latest.actor, latest.action, latest.entity) == (ACTOR, "update", "school")
    assert latest.details == {"address": ["旧地址", "新地址"]}
    assert before <= latest.at <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert created.action == "create" and created.actor == ACTOR
    assert services.schools.get(school.id).address == "新地址"


def test_getting_or_editing_a_missing_school_raises_not_found(services, add_school) -> None:
    with pytest.raises(NotFound):
        services.schools.get(999)
    school = add_school("甲校")
    services.recycle_bin.delete("school", school.id)
    with pytest.raises(NotFound):
        services.schools.get(school.id)
    with pytest.raises(NotFound):
        services.schools.save(dataclasses.replace(school, notes="x"))
