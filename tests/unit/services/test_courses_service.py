"""Shared courses through the service: save with history, refusals that write nothing, the
recycle bin, ALX-19 over the demo group, the dataset, and a long list."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

import pytest
from sqlalchemy import func, insert, select

from jituan_desktop.bootstrap import Services, current_group_id
from jituan_desktop.domain.courses import Course, Delivery, Enrolment
from jituan_desktop.domain.validation import ValidationError
from jituan_desktop.i18n import format_date
from jituan_desktop.persistence.course_models import (
    SharedCourseEnrolmentRow,
    SharedCourseRow,
    SharedCourseTeacherRow,
)
from jituan_desktop.services.base import NotFound
from jituan_desktop.settings import Settings


@pytest.fixture
def group_id(demo_services: Services) -> int:
    found = current_group_id(demo_services, Settings())
    assert found is not None
    return found


def draft(svc: Services, group_id: int, **changes: object) -> Course:
    schools = {s.display_name: s.id for s in svc.schools.list()}
    semester = next(x for x in svc.calendar.semesters() if (x.school_year, x.term) == (2026, 1))
    core = schools["一实小"]
    teacher = next(t for t in svc.teachers.list() if t.school_id == core)
    course = Course(None, group_id, semester.id, "校园合唱", core, subject="音乐",
                    delivery=Delivery.SYNCHRONOUS, capacity=80, teacher_ids=(teacher.id,),
                    enrolments=(Enrolment(schools["五小"], 30),))
    return dataclasses.replace(course, **changes)


def count_rows(svc: Services) -> tuple[int, int, int]:
    with svc.db.reading() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))  # type: ignore[return-value]
                     for t in (SharedCourseRow, SharedCourseTeacherRow,
                               SharedCourseEnrolmentRow))


def test_the_demo_group_has_two_school_years_of_courses(demo_services, group_id) -> None:
    courses = demo_services.courses.list(group_id)
    assert len(courses) >= 19
    assert {c.semester_order for c in courses} == {(2025, 1), (2025, 2), (2026, 1), (2026, 2)}
    assert any(c.over_capacity for c in courses)
    assert any(c.delivery is Delivery.DUAL_TEACHER and len(c.teacher_ids) == 2 for c in courses)


def test_the_demo_breaks_alx19_in_a_few_semesters(demo_services, group_id) -> None:
    overview = demo_services.courses.overview(group_id, today=dt.date(2027, 9, 1))
    assert [r.id for r in overview.rules] == ["ALX-19"]
    broken = {o.semester.label: [f.message for f in o.broken()] for o in overview.semesters}
    assert len(broken) == 4
    first, second, third, fourth = broken.values()
    assert len(first) == 1 and "宗别立" in first[0]  # a member school with no course
    assert len(second) == 1 and "宗别立" in second[0]  # left on 2026-07-15, still counted
    assert third == []
    assert len(fourth) == 1 and "4" in fourth[0]  # four courses in the group


def test_alx19_is_not_yet_due_before_the_semester_ends(demo_services, group_id) -> None:
    """2026—2027 second semester has four courses: on its last day not yet due (shown, not
    broken), from the next day broken."""
    last = next(s for s in demo_services.calendar.semesters()
                if (s.school_year, s.term) == (2026, 2)).ends_on
    for day, broken in ((dt.date(2026, 11, 27), False), (last, False),
                        (last + dt.timedelta(days=1), True)):
        overview = demo_services.courses.overview(group_id, today=day)
        item = next(o for o in overview.semesters
                    if (o.semester.school_year, o.semester.term) == (2026, 2))
        total = item.findings[-1]  # the group's total comes last
        assert total.broken is broken and not total.fields
        assert (format_date(last) in total.message) is not broken  # "…ends on <last>"


def test_save_then_edit_keeps_children_and_writes_history(demo_services, group_id) -> None:
    svc = demo_services
    saved, changes = svc.courses.save(draft(svc, group_id))
    assert changes.touches("course") and saved.id in changes.ids
    assert saved.provider_name == "阿拉善左旗巴彦浩特第一实验小学" and saved.teacher_names
    schools = {s.display_name: s.id for s in svc.schools.list()}
    wider = dataclasses.replace(saved, capacity=100, enrolments=(
        Enrolment(schools["五小"], 35), Enrolment(schools["蒙古族实验学校"], 20)))
    edited, _ = svc.courses.save(wider)
    assert edited.capacity == 100 and [e.students for e in edited.enrolments] == [35, 20]
    history = svc.recycle_bin.history(entity="course", entity_id=saved.id)
    assert [h.action for h in history] == ["update", "create"]
    assert history[0].details["capacity"] == [80, 100]
    assert "校园合唱" in history[1].summary


def test_bad_input_is_refused_and_nothing_is_written(demo_services, group_id) -> None:
    svc = demo_services
    before = count_rows(svc)
    outsider, _ = svc.schools.save(dataclasses.replace(svc.schools.list()[0], id=None,
                                                       name="集团外学校", short_name=""))
    for bad in (draft(svc, group_id, provider_school_id=outsider.id),
                draft(svc, group_id, enrolments=(Enrolment(outsider.id, 10),)),
                draft(svc, group_id, capacity=-1),
                draft(svc, group_id, enrolments=(Enrolment(outsider.id, -5),))):
        with pytest.raises(ValidationError) as caught:
            svc.courses.save(bad)
        assert caught.value.report.text()
    assert count_rows(svc) == before


def test_a_school_that_left_cannot_provide_in_a_later_semester(demo_services,
                                                              group_id) -> None:
    svc = demo_services
    gone = next(s for s in svc.schools.list() if s.display_name == "宗别立小学")
    report = svc.courses.validate(draft(svc, group_id, provider_school_id=gone.id))
    assert "宗别立" in report["provider_school_id"]


def test_delete_restore_and_a_restore_that_no_longer_fits(demo_services, group_id) -> None:
    svc = demo_services
    saved, _ = svc.courses.save(draft(svc, group_id))
    svc.recycle_bin.delete("course", saved.id)
    assert all(c.id != saved.id for c in svc.courses.list(group_id))
    with pytest.raises(NotFound):
        svc.courses.save(saved)
    svc.recycle_bin.restore("course", saved.id)
    assert any(c.id == saved.id for c in svc.courses.list(group_id))
    # its only teacher goes to the recycle bin: the course cannot come back without one
    svc.recycle_bin.delete("course", saved.id)
    svc.recycle_bin.delete("teacher", saved.teacher_ids[0])
    with pytest.raises(ValidationError, match="校园合唱"):
        svc.recycle_bin.restore("course", saved.id)


def test_export_import_round_trip_keeps_the_courses(demo_services, services, group_id,
                                                    tmp_path) -> None:
    path = tmp_path / "data.json"
    demo_services.dataset.export_json(path)
    services.dataset.import_json(path)
    assert services.courses.list(group_id) == demo_services.courses.list(group_id)


def test_a_dataset_with_a_course_a_form_would_refuse_is_refused(demo_services, tmp_path
                                                                ) -> None:
    from jituan_desktop.services.dataset import DatasetError

    doc = demo_services.dataset.export_document()
    doc["shared_courses"][0]["capacity"] = 0
    doc["shared_course_enrolments"][0]["students"] = -2
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.import_json(path)
    text = "\n".join(caught.value.problems)
    assert "shared_courses[1].capacity" in text and "enrolments" in text


def test_a_long_list_loads_quickly(demo_services, group_id) -> None:
    svc = demo_services
    template = svc.courses.list(group_id)[0]
    with svc.db.unit_of_work() as s:
        conn = s.connection()
        first = conn.execute(select(func.max(SharedCourseRow.id))).scalar_one() + 1
        conn.execute(insert(SharedCourseRow), [
            {"id": first + i, "group_id": group_id, "semester_id": template.semester_id,
             "provider_school_id": template.provider_school_id, "title": f"课程{i}",
             "course_type": "feature", "subject": "", "delivery": "offline",
             "schedule": "", "capacity": 30, "notes": ""} for i in range(20000)])
        conn.execute(insert(SharedCourseTeacherRow), [
            {"course_id": first + i, "teacher_id": template.teacher_ids[0], "position": 0}
            for i in range(20000)])
    started = time.perf_counter()
    courses = svc.courses.list(group_id)
    overview = svc.courses.overview(group_id, courses)
    assert len(courses) >= 20019 and overview.semesters
    assert time.perf_counter() - started < 5
