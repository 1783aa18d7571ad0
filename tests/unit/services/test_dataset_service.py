"""The whole dataset as JSON: export, check, import (all or nothing, backed up first)."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from jituan_desktop.services.dataset import FORMAT_NAME, FORMAT_VERSION, SECTIONS, DatasetError

ACTOR = "测试员"


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("exported_at", "history")}


@pytest.fixture
def demo_doc(demo_services) -> dict[str, Any]:
    return demo_services.dataset.export_document()


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_export_writes_every_section_and_returns_counts(demo_services, tmp_path) -> None:
    out = tmp_path / "sub" / "集团数据.json"
    counts = demo_services.dataset.export_json(out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT_NAME and doc["format_version"] == FORMAT_VERSION
    assert counts == {key: len(doc[key]) for key in SECTIONS}
    # the Alxa demo group (5 schools, 120 teachers) and the Huaiyuan one (4 schools, 40)
    assert counts["schools"] == 9 and counts["teachers"] == 160 and counts["groups"] == 2
    assert "巴彦浩特贺兰山教育集团" in out.read_text(encoding="utf-8")  # not \\u-escaped
    assert doc["history"] and all("id" not in h for h in doc["history"])
    assert list(out.parent.iterdir()) == [out]  # no temporary files left


def test_export_then_import_into_a_fresh_database_reproduces_the_export(
        demo_services, services, tmp_path) -> None:
    # GIVEN the demo exported to a file
    path = tmp_path / "demo.json"
    demo_services.dataset.export_json(path)
    original = demo_services.dataset.export_document()
    # WHEN it is imported into a fresh, empty database
    summary, changes = services.dataset.import_json(path)
    # THEN exporting that database gives the same records
    assert comparable(services.dataset.export_document()) == comparable(original)
    assert summary.counts == {key: len(original[key]) for key in SECTIONS}
    assert changes.touches("school", "teacher", "recycle_bin")
    # AND the services read the records as in the demo
    assert services.schools.list() == demo_services.schools.list()
    assert services.teachers.list() == demo_services.teachers.list()
    group = services.groups.list()[0]
    assert services.groups.memberships(group.id) == demo_services.groups.memberships(group.id)
    # AND the history came along (the fresh database had none), plus the import itself
    history = services.recycle_bin.history(limit=100_000)
    assert len(history) == len(original["history"]) + 1
    assert (history[0].action, history[0].entity, history[0].actor) == (
        "import", "dataset", ACTOR)


def test_import_replaces_existing_data_and_backs_up_the_old_database(
        demo_services, services, add_school, tmp_path) -> None:
    # GIVEN a database with one school of its own
    add_school("自己的学校")
    path = tmp_path / "demo.json"
    demo_services.dataset.export_json(path)
    # WHEN the demo file is imported
    summary, _ = services.dataset.import_json(path)
    # THEN the old school is gone, replaced by the file's
    assert "自己的学校" not in {s.name for s in services.schools.list()}
    assert len(services.schools.list()) == 9
    # AND a backup of the old database exists and holds the old school
    assert summary.backup is not None and summary.backup.exists()
    assert summary.backup.parent == services.data.backups
    conn = sqlite3.connect(summary.backup)
    try:
        assert conn.execute("SELECT name FROM schools").fetchall() == [("自己的学校",)]
    finally:
        conn.close()
    # AND the history of the database that received the file is kept
    assert any(h.summary and h.entity == "school" and h.action == "create"
               for h in services.recycle_bin.history())


def bad_documents(doc: dict[str, Any]) -> dict[str, Any]:
    newer = copy.deepcopy(doc) | {"format_version": FORMAT_VERSION + 1}
    wrong_type = copy.deepcopy(doc)
    wrong_type["schools"][0]["is_rural"] = "是"
    wrong_number = copy.deepcopy(doc)
    wrong_number["teachers"][0]["school_id"] = "1"
    too_long = copy.deepcopy(doc)
    too_long["schools"][0]["credit_code"] = "1" * 19
    missing_school = copy.deepcopy(doc)
    missing_school["teachers"][0]["school_id"] = 999
    missing_field = copy.deepcopy(doc)
    del missing_field["schools"][0]["stage"]
    bad_date = copy.deepcopy(doc)
    bad_date["memberships"][0]["joined_on"] = "2024年9月1日"
    not_a_list = copy.deepcopy(doc) | {"schools": {"1": "x"}}
    not_an_object = copy.deepcopy(doc)
    not_an_object["plans"][0] = "计划"
    twice = copy.deepcopy(doc)
    twice["schools"].append(copy.deepcopy(twice["schools"][0]))
    no_version = {k: v for k, v in doc.items() if k != "format_version"}
    return meaning_problems(doc) | {"newer format version": newer, "wrong type": wrong_type,
            "number as text": wrong_number, "too long": too_long,
            "teacher of a missing school": missing_school, "missing field": missing_field,
            "bad date": bad_date, "section not a list": not_a_list,
            "record not an object": not_an_object, "same id twice": twice,
            "no format version": no_version, "another JSON": {"format": "other", "x": 1},
            "a JSON list": [1, 2, 3]}


def changed(doc: dict[str, Any], key: str, index: int, **values: Any) -> dict[str, Any]:
    """A copy of ``doc`` whose ``doc[key][index]`` has the given values."""
    doc = copy.deepcopy(doc)
    doc[key][index].update(values)
    return doc


def appended(doc: dict[str, Any], key: str, index: int, **values: Any) -> dict[str, Any]:
    """A copy of ``doc`` with a copy of ``doc[key][index]`` (given values) added to ``key``."""
    doc = copy.deepcopy(doc)
    doc[key].append(copy.deepcopy(doc[key][index]) | values)
    return doc


def meaning_problems(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Files whose every field has the right type, but whose records cannot be used."""
    new_id = 10_000
    member = next(i for i, m in enumerate(doc["memberships"])
                  if m["role"] == "member" and m["left_on"] is None)
    left = next(i for i, m in enumerate(doc["memberships"]) if m["left_on"])
    history_without_actor = copy.deepcopy(doc)
    del history_without_actor["history"][0]["actor"]
    history_without_time = copy.deepcopy(doc)
    del history_without_time["history"][0]["at"]
    return {
        "unknown stage": changed(doc, "schools", 0, stage="bogus"),
        "unknown title": changed(doc, "teachers", 0, title="boss"),
        "unknown cadre rank": changed(doc, "teachers", 0, cadre_rank="king"),
        "unknown school role": changed(doc, "memberships", 0, role="chief"),
        "unknown leader role": changed(doc, "leaders", 0, role="boss"),
        "unknown section kind": changed(doc, "charter_sections", 0, kind="poem"),
        "unknown plan kind": changed(doc, "plans", 0, kind="ten_year"),
        "unknown legal structure": changed(doc, "groups", 0, legal_structure="none"),
        "unknown stage type": changed(doc, "groups", 0, stage_type="mixed"),
        "third term": changed(doc, "semesters", 0, term=3),
        "staff number too long": changed(doc, "teachers", 0, staff_no="1" * 31),
        "two schools of one name": changed(doc, "schools", 1, name=doc["schools"][0]["name"]),
        "two groups of one name": appended(doc, "groups", 0, id=new_id),
        "uninstalled profile": changed(doc, "groups", 0, profile_id="atlantis_2099"),
        "model not in the profile": changed(doc, "groups", 0, model_label="联盟型"),
        "two core schools at once": changed(doc, "memberships", member, role="core"),
        "left before joining": changed(doc, "memberships", left, left_on="2020-01-01"),
        "same school twice in a group": appended(doc, "memberships", member, id=new_id),
        "same semester twice": appended(doc, "semesters", 0, id=new_id),
        "same subject twice": appended(doc, "teacher_subjects", 0),
        "second standard section": appended(doc, "charter_sections", 0, id=new_id),
        "same plan twice": appended(doc, "plans", 0, id=new_id),
        "leader without a name": changed(doc, "leaders", 0, person_name=" "),
        "invalid credit code": changed(doc, "schools", 0, credit_code="I" * 18),
        "history entry not an object": changed(doc, "history", 0) | {
            "history": ["改了点东西"]},
        "history entry without actor": history_without_actor,
        "history entry without time": history_without_time,
        "history time not a time": changed(doc, "history", 0, at="昨天"),
        "history not a list": copy.deepcopy(doc) | {"history": {"a": 1}},
    }


CASES = ["newer format version", "wrong type", "number as text", "too long",
         "teacher of a missing school", "missing field", "bad date", "section not a list",
         "record not an object", "same id twice", "no format version", "another JSON",
         "a JSON list",
         "unknown stage", "unknown title", "unknown cadre rank", "unknown school role",
         "unknown leader role", "unknown section kind", "unknown plan kind",
         "unknown legal structure", "unknown stage type", "third term",
         "staff number too long", "two schools of one name", "two groups of one name",
         "uninstalled profile", "model not in the profile", "two core schools at once",
         "left before joining", "same school twice in a group", "same semester twice",
         "same subject twice", "second standard section", "same plan twice",
         "leader without a name", "invalid credit code", "history entry not an object",
         "history entry without actor", "history entry without time",
         "history time not a time", "history not a list"]


def test_the_case_list_is_complete(demo_doc) -> None:
    assert sorted(bad_documents(demo_doc)) == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_with_problems_and_nothing_changes(demo_services, demo_doc,
                                                                 snapshot, tmp_path,
                                                                 case: str) -> None:
    # GIVEN the demo database and a broken copy of its export
    path = write(tmp_path / "bad.json", bad_documents(demo_doc)[case])
    before = snapshot(demo_services)
    # WHEN it is imported
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.import_json(path)
    # THEN there is a list of problems, no backup was made and nothing changed
    assert caught.value.problems and all(caught.value.problems)
    assert str(caught.value)
    assert not demo_services.data.backups.exists() or not any(
        demo_services.data.backups.iterdir())
    assert snapshot(demo_services) == before


def test_problems_say_which_record_and_field(demo_services, demo_doc, tmp_path) -> None:
    doc = bad_documents(demo_doc)["teacher of a missing school"]
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    [problem] = caught.value.problems
    assert "teachers[1]" in problem and "school_id" in problem and "999" in problem
    doc = bad_documents(demo_doc)["wrong type"]
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    assert any("schools[1]" in p and "is_rural" in p for p in caught.value.problems)


def test_every_problem_of_a_file_is_listed(demo_services, demo_doc, tmp_path) -> None:
    doc = copy.deepcopy(demo_doc)
    for school in doc["schools"]:
        school["name"] = 42
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    assert len(caught.value.problems) == len(doc["schools"])


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe\x00garbage",
                                     "集团".encode("gbk")])
def test_malformed_or_unreadable_files_are_refused(demo_services, snapshot, tmp_path,
                                                   content: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    before = snapshot(demo_services)
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.import_json(path)
    assert caught.value.problems
    assert snapshot(demo_services) == before


def test_a_missing_file_is_refused(services, tmp_path) -> None:
    with pytest.raises(DatasetError):
        services.dataset.import_json(tmp_path / "nowhere.json")


def test_a_file_of_a_newer_format_names_both_versions_in_english(demo_services, demo_doc,
                                                                 tmp_path) -> None:
    from jituan_desktop import i18n, paths

    i18n.install("en", paths.catalogs_dir())
    doc = demo_doc | {"format_version": FORMAT_VERSION + 1}
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.import_json(write(tmp_path / "new.json", doc))
    [problem] = caught.value.problems
    assert "newer version" in problem
    assert str(FORMAT_VERSION + 1) in problem and str(FORMAT_VERSION) in problem


def test_sections_missing_from_a_file_are_imported_as_empty(services, demo_services,
                                                            tmp_path) -> None:
    doc = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
           "schools": [{"id": 3, "name": "唯一的学校", "stage": "primary"}]}
    summary, _ = demo_services.dataset.import_json(write(tmp_path / "small.json", doc))
    assert summary.counts["schools"] == 1 and summary.counts["teachers"] == 0
    [school] = demo_services.schools.list()
    assert (school.id, school.name, school.is_rural) == (3, "唯一的学校", False)
    assert demo_services.groups.list() == []


def test_records_with_different_optional_fields_keep_all_their_values(services,
                                                                      tmp_path) -> None:
    doc = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "schools": [
        {"id": 1, "name": "甲校", "stage": "primary"},
        {"id": 2, "name": "乙校", "stage": "primary", "is_rural": True, "notes": "村小"}]}
    services.dataset.import_json(write(tmp_path / "mixed.json", doc))
    second = services.schools.get(2)
    assert second.is_rural and second.notes == "村小"


def test_meaning_problems_name_the_record_and_field(demo_services, demo_doc, tmp_path) -> None:
    # GIVEN the review's example: an unknown stage, which made every later start fail
    doc = meaning_problems(demo_doc)["unknown stage"]
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    [problem] = caught.value.problems
    assert "schools[1]" in problem and "stage" in problem and "bogus" in problem
    # AND a rule of the forms names the record, the field and the rule's own message
    doc = meaning_problems(demo_doc)["two core schools at once"]
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    member = next(i for i, m in enumerate(doc["memberships"])
                  if m["role"] == "core" and m["school_id"] != 1)
    core_name = next(s["name"] for s in doc["schools"] if s["id"] == 1)
    assert any(f"memberships[{member + 1}].role" in p and core_name in p
               for p in caught.value.problems)
    doc = meaning_problems(demo_doc)["uninstalled profile"]
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.read_document(write(tmp_path / "bad.json", doc))
    assert any("groups[1].profile_id" in p and "atlantis_2099" in p
               for p in caught.value.problems)


def test_records_in_the_recycle_bin_do_not_block_names_or_periods(services, demo_doc,
                                                                  tmp_path) -> None:
    # GIVEN a file where a deleted school shares a live school's name, and a deleted core
    # period overlaps the live core's
    doc = changed(demo_doc, "schools", 1, name=demo_doc["schools"][0]["name"],
                  deleted_at="2026-01-01T00:00:00")
    member = next(i for i, m in enumerate(doc["memberships"])
                  if m["role"] == "member" and m["left_on"] is None)
    doc = appended(doc, "memberships", member, id=10_000, role="core",
                   deleted_at="2026-01-01T00:00:00")
    # WHEN it is imported  THEN it is accepted as it is
    summary, _changes = services.dataset.import_json(write(tmp_path / "ok.json", doc))
    assert summary.counts["schools"] == len(doc["schools"])
    assert len(services.schools.list()) == len(doc["schools"]) - 1


def test_a_record_without_an_id_is_still_compared_with_the_others(services, tmp_path) -> None:
    doc = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
           "groups": [{"id": 1, "name": "集团", "profile_id": "alxa_2024",
                       "model_label": "共建型", "legal_structure": "multi",
                       "stage_type": "same_stage"}],
           "charter_sections": [{"id": 5, "group_id": 1, "kind": "coordination",
                                 "title": "协调机制"},
                                {"group_id": 1, "kind": "coordination", "title": "协调"}]}
    with pytest.raises(DatasetError) as caught:
        services.dataset.import_json(write(tmp_path / "bad.json", doc))
    assert [p for p in caught.value.problems if "charter_sections[2].kind" in p]


def test_an_import_reports_the_record_kinds_the_views_listen_to(services, demo_services,
                                                                tmp_path) -> None:
    path = tmp_path / "demo.json"
    demo_services.dataset.export_json(path)
    _summary, changes = services.dataset.import_json(path)
    # every kind a page shows: the recycle bin's kinds, semesters and the bin itself
    from jituan_desktop.services.recycle_bin import KINDS

    assert set(KINDS) | {"semester", "recycle_bin"} <= changes.kinds


def test_a_refusal_by_the_database_is_a_dataset_error_and_changes_nothing(
        demo_services, demo_doc, snapshot, tmp_path, monkeypatch) -> None:
    # GIVEN a file the checks would refuse (a subject twice), with the checks switched off,
    # so that only the database's own constraint stands in the way
    from jituan_desktop.services import dataset

    monkeypatch.setattr(dataset, "find_problems", lambda doc, profiles: [])
    path = write(tmp_path / "bad.json", meaning_problems(demo_doc)["same subject twice"])
    before = snapshot(demo_services)
    # WHEN it is imported  THEN a DatasetError explains it and nothing changed
    with pytest.raises(DatasetError) as caught:
        demo_services.dataset.import_json(path)
    assert "teacher_subjects" in str(caught.value)
    assert snapshot(demo_services) == before


def test_a_null_where_the_column_has_a_default_counts_as_missing(services, tmp_path) -> None:
    # (it used to reach the database as NULL and fail on its NOT NULL constraint)
    doc = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "schools": [
        {"id": 1, "name": "甲校", "stage": "primary", "is_rural": None, "notes": None}]}
    services.dataset.import_json(write(tmp_path / "nulls.json", doc))
    school = services.schools.get(1)
    assert school.is_rural is False and school.notes == ""


VERSION_1_SECTIONS = ("semesters", "schools", "teachers", "teacher_subjects", "groups",
                      "memberships", "leaders", "charter_sections", "plans")


def test_a_version_1_file_is_upgraded_and_imports_with_no_activity_records(
        demo_doc, services, tmp_path) -> None:
    # GIVEN a file written by version 1, which knew only the foundation's records
    v1 = {k: v for k, v in demo_doc.items()
          if k in VERSION_1_SECTIONS or k in ("format", "exported_at", "history")}
    v1["format_version"] = 1
    # WHEN it is imported
    summary, _changes = services.dataset.import_json(write(tmp_path / "v1.json", v1))
    # THEN its records are there and every section added since is empty
    assert summary.counts["teachers"] == 160
    assert {k: n for k, n in summary.counts.items() if k not in VERSION_1_SECTIONS} == {
        k: 0 for k in SECTIONS if k not in VERSION_1_SECTIONS}
    assert services.dataset.export_document()["format_version"] == FORMAT_VERSION == 2


def test_signing_identities_travel_as_certificates_and_do_not_block_an_import(
        demo_services, services, tmp_path) -> None:
    from jituan_desktop.services.signing import NewIdentity

    # GIVEN a school's signing identity in the demo
    school = demo_services.schools.list()[0]
    identity, _changes = demo_services.signing.create(
        NewIdentity(school.id, "王建华", "Hl-2026-签章!", "Hl-2026-签章!"))
    path = tmp_path / "demo.json"
    demo_services.dataset.export_json(path)
    # WHEN the file replaces the demo's own data, and is imported into another database
    demo_services.dataset.import_json(path)
    services.dataset.import_json(path)
    # THEN the certificate (not the key, not the passphrase) is known in both
    for target in (demo_services, services):
        [copy] = target.signing.list()
        assert copy.fingerprint == identity.fingerprint
    assert "Hl-2026" not in path.read_text(encoding="utf-8")
