"""Agreements: drafts pre-filled from template and profile, validation, freezing, versions,
the PDF export and the dataset round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from jituan_desktop.bootstrap import Services
from jituan_desktop.documents.agreement_metadata import read_agreement_metadata
from jituan_desktop.domain.agreements import AgreementScope, AgreementStatus, Indicator
from jituan_desktop.domain.schools import School
from jituan_desktop.domain.validation import ValidationError


def demo_group(services: Services) -> int:
    return services.groups.list()[0].id


def test_demo_group_has_the_whole_group_agreement(demo_services: Services) -> None:
    group_id = demo_group(demo_services)
    agreement_id = demo_services.agreements.latest_for_group(group_id)
    assert agreement_id is not None
    agreement = demo_services.agreements.get(agreement_id)
    assert agreement.scope is AgreementScope.GROUP
    assert agreement.funding_fen == 120000 * 100
    assert len(agreement.indicators) == 5
    assert [p.label for p in agreement.parties] == ["甲方", "乙方", "丙方", "丁方"]
    assert agreement.parties[0].school_name == "阿拉善左旗巴彦浩特第一实验小学"
    # the school that left the group is not a party
    assert "阿拉善左旗宗别立镇小学" not in agreement.party_names()
    headings = {t.heading for t in agreement.tasks}
    assert {"资源共享", "教学共研", "文化共生"} <= headings
    # tasks from the profile's rules: ALX-20 gives the five joint research sessions
    assert any("不少于5次" in t.text for t in agreement.tasks)


def test_pair_draft_takes_core_school_as_first_party(demo_services: Services) -> None:
    draft = demo_services.agreements.new_draft(demo_group(demo_services), AgreementScope.PAIR)
    assert len(draft.parties) == 2
    assert draft.parties[0].label == "甲方"
    assert draft.parties[0].school_name == "阿拉善左旗巴彦浩特第一实验小学"
    assert draft.number != demo_services.agreements.get(
        demo_services.agreements.latest_for_group(demo_group(demo_services))).number


def test_invalid_drafts_are_refused_with_reasons(demo_services: Services) -> None:
    service = demo_services.agreements
    draft = service.new_draft(demo_group(demo_services), AgreementScope.PAIR)
    bad = dataclasses.replace(
        draft, term_end=draft.term_start - dt.timedelta(days=1), funding_fen=-1,
        parties=(draft.parties[0], dataclasses.replace(draft.parties[1],
                                                       school_id=draft.parties[0].school_id)),
        indicators=(Indicator("骨干教师数", "人", "3", ""),))
    report = service.validate(bad)
    assert set(report) >= {"term_end", "funding_fen", "parties", "indicators"}
    with pytest.raises(ValidationError):
        service.save(bad)
    assert service.validate(dataclasses.replace(draft, parties=()))["parties"]


def test_party_outside_the_group_is_refused(demo_services: Services) -> None:
    stranger, _changes = demo_services.schools.save(School(None, "另一所学校"))
    draft = demo_services.agreements.new_draft(demo_group(demo_services), AgreementScope.PAIR)
    bad = dataclasses.replace(draft, parties=(draft.parties[0], dataclasses.replace(
        draft.parties[1], school_id=stranger.id, school_name=stranger.name)))
    assert "另一所学校" in demo_services.agreements.validate(bad)["parties"]


def test_export_finalises_and_freezes(demo_services: Services, tmp_path: Path) -> None:
    service = demo_services.agreements
    agreement_id = service.latest_for_group(demo_group(demo_services))
    target = tmp_path / "协议.pdf"
    rendered = service.export_pdf(agreement_id, target)
    assert target.read_bytes()[:5] == b"%PDF-"
    assert len(rendered.signature_boxes) == 4
    meta = read_agreement_metadata(target.read_bytes())
    assert meta.number == "HLS-JT-2025-001"
    assert [p.label for p in meta.parties] == ["甲方", "乙方", "丙方", "丁方"]
    frozen = service.get(agreement_id)
    assert frozen.status is AgreementStatus.FINAL
    with pytest.raises(ValidationError):
        service.save(dataclasses.replace(frozen, goals="改一改"))
    copy, _changes = service.new_version(agreement_id)
    assert copy.status is AgreementStatus.DRAFT and copy.number == "HLS-JT-2025-001-v2"
    assert copy.indicators == frozen.indicators and copy.tasks == frozen.tasks


def test_edit_is_one_transaction_with_history(demo_services: Services) -> None:
    service = demo_services.agreements
    agreement = service.get(service.latest_for_group(demo_group(demo_services)))
    saved, changes = service.save(dataclasses.replace(
        agreement, indicators=agreement.indicators[:2], goals="新的总体目标"))
    assert changes.touches("agreement")
    assert saved.indicators == agreement.indicators[:2] and saved.goals == "新的总体目标"
    history = demo_services.recycle_bin.history(entity="agreement", entity_id=agreement.id)
    assert history[0].action == "update" and "goals" in history[0].details


def test_delete_and_restore(demo_services: Services) -> None:
    service = demo_services.agreements
    group_id = demo_group(demo_services)
    agreement_id = service.latest_for_group(group_id)
    demo_services.recycle_bin.delete("agreement", agreement_id)
    assert service.latest_for_group(group_id) is None
    demo_services.recycle_bin.restore("agreement", agreement_id)
    assert service.latest_for_group(group_id) == agreement_id


def test_dataset_round_trip_keeps_agreements(demo_services: Services, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    demo_services.dataset.export_json(path)
    before = demo_services.agreements.get(
        demo_services.agreements.latest_for_group(demo_group(demo_services)))
    demo_services.dataset.import_json(path)
    after = demo_services.agreements.get(before.id)
    assert after == before


def test_dataset_check_applies_the_agreement_rules(demo_services: Services) -> None:
    doc = demo_services.dataset.export_document()
    doc["agreements"][0]["term_end"] = "2020-01-01"
    with pytest.raises(Exception) as info:
        demo_services.dataset.check_document(doc)
    assert "agreements[1]" in str(getattr(info.value, "problems", info.value))


def test_the_models_of_a_yuyao_group_to_choose_from(services: Services, add_group) -> None:
    # GIVEN a Yuyao group of the 共建型 model
    group = add_group("余姚教共体", profile_id="yuyao_2020", model_label="共建型")
    service = services.agreements

    # WHEN the editor asks for the models
    choices = {c.label: c for c in service.model_choices(group.id)}

    # THEN the three agreement models are offered, each with its five headings and tasks
    assert {"融合型", "共建型", "协作型"} <= set(choices)
    assert choices["融合型"].headings == ("师资同盘", "教学同步", "研训同频", "文化同系",
                                         "考核一体")
    assert choices["协作型"].headings[0] == "愿景协同"
    for label in ("融合型", "共建型", "协作型"):
        headings = {*choices[label].headings, choices[label].other_heading}
        assert choices[label].default_tasks
        assert {t.heading for t in choices[label].default_tasks} <= headings
    assert choices["融合型"].name == "融合型教共体"


def test_the_template_follows_the_agreement_model(demo_services: Services) -> None:
    # GIVEN the demo group (阿拉善 共建型, whose template is alxa_2024/co_built.toml)
    service = demo_services.agreements
    group_id = demo_group(demo_services)
    draft = service.new_draft(group_id, AgreementScope.PAIR)
    assert service.document(draft).template.path.name == "co_built.toml"

    # WHEN the agreement is written for 协作型 instead
    choice = next(c for c in service.model_choices(group_id) if c.label == "协作型")
    other = dataclasses.replace(draft, model_label="协作型", tasks=choice.default_tasks)

    # THEN the document uses that model's template (the default one) and headings
    document = service.document(other)
    assert document.template.path.name == "default.toml"
    assert document.template.path == service.template_for(group_id, "协作型").path
    assert document.template.path.parent.name == "default"
    assert "学校建设顶层设计" in choice.headings
    saved, _changes = service.save(other)
    assert saved.model_label == "协作型"
    assert service.render_pdf(saved.id or -1).page_count >= 5


def test_the_exported_pdf_has_an_empty_signature_field_per_party(
        demo_services: Services, tmp_path: Path) -> None:
    pytest.importorskip("jituan_desktop.signing.fields")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    service = demo_services.agreements
    target = tmp_path / "协议.pdf"
    rendered = service.export_pdf(service.latest_for_group(demo_group(demo_services)), target)

    with target.open("rb") as f:
        fields = [(name, value, ref.get_object())
                  for name, value, ref in enumerate_sig_fields(PdfFileReader(f))]
    assert [name for name, _v, _o in fields] == ["Party1", "Party2", "Party3", "Party4"]
    assert all(value is None for _n, value, _o in fields)  # none signed yet
    # each field holds a 42 mm seal and none overlaps another (same signature page)
    mm = 72 / 25.4
    rects = [[float(v) for v in o["/Rect"]] for _n, _v, o in fields]
    for x1, y1, x2, y2 in rects:
        assert x2 - x1 >= 42 * mm and y2 - y1 >= 42 * mm
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert len({b.page for b in rendered.signature_boxes}) == 1
