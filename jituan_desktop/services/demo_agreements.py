"""The demo group's cooperation agreement: the whole-group 共建型 agreement (四方), with five
indicators, the template's tasks plus the group's own, and 120,000 元 funding."""

from __future__ import annotations

import dataclasses
import datetime as dt

from jituan_desktop.domain.agreements import AgreementScope, AgreementTask, Indicator

INDICATORS = (
    Indicator("成员校市级以上骨干教师人数", "人", "6", "12", "2028年7月"),
    Indicator("集团共享课程门数", "门", "2", "8", "2027年7月"),
    Indicator("各学科联合教研次数（每学期）", "次", "2", "5", "2026年1月"),
    Indicator("成员校学业质量监测合格率", "%", "82", "92", "2028年7月"),
    Indicator("教师交流轮岗人数（每学年）", "人", "3", "8", "2026年7月"),
)

EXTRA_TASKS = (
    AgreementTask("管理共进", "核心校派出1名副校长到温都尔勒图镇中心小学挂职，任期一学年。"),
    AgreementTask("教学共研", "利用“三个课堂”开展同步课堂，每周不少于2节，覆盖全部成员校。"),
    AgreementTask("文化共生", "蒙古族实验学校牵头开展民族传统体育和非遗进校园活动。"),
)


def build_demo_agreements(services, group_id: int) -> int:  # type: ignore[no-untyped-def]
    """Save the demo agreement; returns its id."""
    agreements = services.agreements
    draft = agreements.new_draft(group_id, AgreementScope.GROUP)
    draft = dataclasses.replace(
        draft, number="HLS-JT-2025-001", term_start=dt.date(2025, 9, 1),
        term_end=dt.date(2028, 7, 31),
        goals="用三年时间，实现集团内各成员校管理规范、师资均衡、质量提升，成员校骨干教师数量翻一番，"
              "形成优势互补、资源共享、管理共进、教学共研、文化共生的共建格局",
        funding_fen=120000 * 100,
        funding_text="经费由阿拉善左旗教育体育局安排的集团化办学专项经费和各方年度预算共同保障，"
                     "主要用于联合教研、教师交流补助、培训和共享课程建设",
        filing_authority="阿拉善左旗教育体育局", signing_place="阿拉善左旗巴彦浩特镇",
        indicators=INDICATORS, tasks=draft.tasks + EXTRA_TASKS)
    saved, _changes = agreements.save(draft)
    return saved.id
