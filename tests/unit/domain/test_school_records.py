"""Schools and teachers as plain records: validation, subjects, display helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jituan_desktop import i18n, paths
from jituan_desktop.domain.schools import (
    School,
    Teacher,
    split_subjects,
    validate_school,
    validate_teacher,
)
from jituan_desktop.i18n import _

VALID_CODE = "91350100M000100Y43"


# ---- schools ------------------------------------------------------------------------------


def test_a_complete_school_is_valid() -> None:
    report = validate_school(School(None, "第一小学", credit_code=VALID_CODE), {"第二小学"})
    assert report.ok
    assert len(report) == 0


@pytest.mark.parametrize("name", ["", "   ", "\t"])
def test_a_school_without_a_name_is_refused(name: str) -> None:
    report = validate_school(School(None, name), set())
    assert not report.ok
    assert "name" in report


def test_a_name_longer_than_100_characters_is_refused() -> None:
    assert "name" in validate_school(School(None, "校" * 101), set())
    assert validate_school(School(None, "校" * 100), set()).ok


def test_a_duplicate_school_name_is_refused_even_with_spaces_around_it() -> None:
    # GIVEN another school called 第一小学
    # WHEN a draft is called " 第一小学 "
    report = validate_school(School(None, " 第一小学 "), {"第一小学"})
    # THEN the name is refused
    assert "name" in report


def test_an_invalid_credit_code_is_refused_and_an_empty_one_is_allowed() -> None:
    assert "credit_code" in validate_school(School(None, "甲校", credit_code="123"), set())
    assert "credit_code" in validate_school(
        School(None, "甲校", credit_code=VALID_CODE[:17] + "0"), set())
    assert validate_school(School(None, "甲校", credit_code=""), set()).ok


def test_a_small_rural_school_must_be_rural() -> None:
    assert "is_small_rural" in validate_school(School(None, "甲校", is_small_rural=True), set())
    assert validate_school(School(None, "甲校", is_rural=True, is_small_rural=True), set()).ok


def test_several_problems_are_reported_at_once_with_a_text_for_each() -> None:
    report = validate_school(School(None, "", credit_code="X", is_small_rural=True), set())
    assert set(report) == {"name", "credit_code", "is_small_rural"}
    assert len(report.text().splitlines()) == 3


def test_display_name_prefers_the_short_name() -> None:
    assert School(None, "阿拉善左旗第五小学", short_name="五小").display_name == "五小"
    assert School(None, "阿拉善左旗第五小学").display_name == "阿拉善左旗第五小学"


def test_kind_labels_name_urban_or_rural_and_the_flags() -> None:
    assert School(None, "x", is_quality=True).kind_labels() == [_("urban"), _("quality")]
    rural = School(None, "x", is_rural=True, is_small_rural=True, is_weak=True).kind_labels()
    assert rural == [_("rural"), _("small rural"), _("weak")]
    i18n.install("en", paths.catalogs_dir())
    assert "urban" in School(None, "x").kind_labels()[0].lower()


# ---- teachers -----------------------------------------------------------------------------

TEACHER = Teacher(None, 1, "张丽", gender="女", subjects=("语文",), hired_on=dt.date(2010, 9, 1))


def test_a_complete_teacher_is_valid() -> None:
    assert validate_teacher(TEACHER).ok


@pytest.mark.parametrize(("change", "field"), [
    ({"name": " "}, "name"),
    ({"name": "名" * 51}, "name"),
    ({"school_id": None}, "school_id"),
    ({"gender": "M"}, "gender"),
    ({"subjects": ("语" * 21,)}, "subjects"),
    ({"hired_on": dt.date.today() + dt.timedelta(days=1)}, "hired_on"),
])
def test_bad_teacher_input_is_reported_on_its_field(change: dict[str, object],
                                                    field: str) -> None:
    report = validate_teacher(dataclasses.replace(TEACHER, **change))  # type: ignore[arg-type]
    assert field in report


@pytest.mark.parametrize("gender", ["", "男", "女"])
def test_gender_may_be_male_female_or_empty(gender: str) -> None:
    assert validate_teacher(dataclasses.replace(TEACHER, gender=gender)).ok


@pytest.mark.parametrize(("text", "expected"), [
    ("语文、数学", ("语文", "数学")),
    ("语文,数学", ("语文", "数学")),
    ("语文，数学；英语", ("语文", "数学", "英语")),
    ("数学/语文／美术", ("数学", "语文", "美术")),
    ("语文 数学", ("语文", "数学")),
    ("语文、、数学、语文", ("语文", "数学")),
    ("  ", ()),
    ("", ()),
])
def test_split_subjects_keeps_order_and_drops_duplicates(text: str,
                                                         expected: tuple[str, ...]) -> None:
    assert split_subjects(text) == expected


def test_subjects_text_joins_with_the_chinese_enumeration_comma() -> None:
    assert dataclasses.replace(TEACHER, subjects=("语文", "数学")).subjects_text == "语文、数学"
