"""Teachers through the service: subjects in order, edits, big lists."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import insert

from jituan_desktop.domain.enums import CadreRank, TeacherTitle
from jituan_desktop.domain.schools import Teacher
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.persistence.models import TeacherRow, TeacherSubjectRow
from jituan_desktop.services.base import NotFound

ACTOR = "测试员"


@pytest.fixture
def school(add_school):
    return add_school("阿拉善左旗第一实验小学", short_name="一实小")


def test_a_teacher_round_trips_with_subjects_in_order(services, school) -> None:
    # GIVEN a teacher with three subjects, not in alphabetical order
    draft = Teacher(None, school.id, " 王建华 ", gender="男", staff_no="01001",
                    subjects=("数学", "语文", "科学"), title=TeacherTitle.SENIOR,
                    cadre_rank=CadreRank.SCHOOL_LEADER, position="校长", is_backbone=True,
                    backbone_level="盟级", rotation_eligible=True, hired_on=dt.date(1998, 9, 1),
                    notes="党员")
    # WHEN it is saved and read back
    saved, changes = services.teachers.save(draft)
    # THEN every field is as entered (name trimmed) and the subjects keep their order
    assert changes.touches("teacher") and saved.id in changes.ids
    assert saved == dataclasses.replace(draft, id=saved.id, name="王建华")
    assert saved.school_name == school.name
    assert services.teachers.get(saved.id) == saved
    [listed] = services.teachers.list()
    assert listed == saved and listed.subjects == ("数学", "语文", "科学")


@pytest.mark.parametrize(("old", "new"), [
    (("语文", "数学"), ("数学", "英语")),  # keep one, drop one, add one
    (("语文", "数学"), ("数学", "语文")),  # same subjects, new order
    (("语文",), ("语文", "数学", "英语")),  # keep and add
    (("语文", "数学"), ()),  # remove all
    ((), ("美术",)),
])
def test_editing_subjects_keeps_exactly_the_new_list(services, school, old, new) -> None:
    # GIVEN a teacher with the old subjects
    teacher, _ = services.teachers.save(Teacher(None, school.id, "李海燕", subjects=old))
    # WHEN the subjects are edited
    edited, _ = services.teachers.save(dataclasses.replace(teacher, subjects=new))
    # THEN the teacher has exactly the new subjects, in the new order, also when listed
    assert edited.subjects == new
    assert services.teachers.get(teacher.id).subjects == new
    assert services.teachers.list()[0].subjects == new
    # AND the history records the change of subjects
    latest = services.recycle_bin.history(entity="teacher", entity_id=teacher.id)[0]
    assert latest.action == "update" and latest.actor == ACTOR
    assert latest.details["subjects"] == [list(old), list(new)]


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"), ({"school_id": None}, "school_id"), ({"gender": "x"}, "gender"),
    ({"hired_on": dt.date.today() + dt.timedelta(days=30)}, "hired_on"),
])
def test_bad_teacher_input_is_refused_and_nothing_is_written(services, school, counts,
                                                             change, field) -> None:
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.teachers.save(dataclasses.replace(Teacher(None, school.id, "赵敏"), **change))
    assert field in caught.value.report
    assert counts(services) == before


def test_a_teacher_of_a_deleted_school_is_refused(services, school, counts) -> None:
    services.recycle_bin.delete("school", school.id)
    before = counts(services)
    with pytest.raises(ValidationError) as caught:
        services.teachers.save(Teacher(None, school.id, "赵敏"))
    assert "school_id" in caught.value.report
    assert counts(services) == before


def test_editing_a_teacher_in_the_recycle_bin_raises_not_found(services, school) -> None:
    teacher, _ = services.teachers.save(Teacher(None, school.id, "赵敏"))
    services.recycle_bin.delete("teacher", teacher.id)
    with pytest.raises(NotFound):
        services.teachers.get(teacher.id)
    with pytest.raises(NotFound):
        services.teachers.save(dataclasses.replace(teacher, notes="x"))


def test_list_can_be_limited_to_some_schools(services, school, add_school) -> None:
    other = add_school("阿拉善左旗第五小学")
    services.teachers.save(Teacher(None, school.id, "甲", subjects=("语文",)))
    services.teachers.save(Teacher(None, other.id, "乙", subjects=("数学",)))
    only_other = services.teachers.list([other.id])
    assert [(t.name, t.subjects, t.school_name) for t in only_other] == [
        ("乙", ("数学",), "阿拉善左旗第五小学")]
    assert services.teachers.list([]) == []
    assert len(services.teachers.list()) == 2


def test_a_list_of_20000_teachers_returns_them_all(services, add_school) -> None:
    # GIVEN 20,000 teachers in two schools, each with one or two subjects (bulk-inserted)
    a, b = add_school("甲校"), add_school("乙校")
    n = 20_000
    rows = [{"id": i + 1, "school_id": a.id if i % 2 else b.id, "name": f"教师{i:05d}",
             "title": "first", "cadre_rank": "none"} for i in range(n)]
    subjects = [{"teacher_id": i + 1, "subject": "语文", "position": 0} for i in range(n)]
    subjects += [{"teacher_id": i + 1, "subject": "数学", "position": 1}
                 for i in range(0, n, 3)]
    with services.db.unit_of_work() as s:
        s.execute(insert(TeacherRow), rows)
        s.execute(insert(TeacherSubjectRow), subjects)
    # WHEN they are listed
    teachers = services.teachers.list()
    # THEN all come back, ordered by school name then teacher name, with their subjects
    assert len(teachers) == n
    assert len({t.id for t in teachers}) == n
    keys = [(t.school_name, t.name) for t in teachers]
    assert keys == sorted(keys)
    by_id = {t.id: t for t in teachers}
    assert by_id[1].subjects == ("语文", "数学")
    assert by_id[2].subjects == ("语文",)
    assert by_id[n].school_name == "甲校" and by_id[n - 1].school_name == "乙校"
    assert {s.name: s.teacher_count for s in services.schools.list()} == {
        "甲校": n // 2, "乙校": n // 2}
    assert len(services.teachers.list([a.id])) == n // 2
