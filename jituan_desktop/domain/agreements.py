"""Cooperation agreements (合作协议): the record, its validation and the Chinese number
formats the printed document needs (人民币大写, 二〇二六年 dates, 第一条 numbering).

An agreement is made for one pair (支援学校 + 受援学校, Yuyao style) or for the whole group
(甲/乙/丙/丁 …). Its fixed wording comes from a template file (``documents/templates.py``);
the record holds only what differs per agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from jituan_desktop.domain.enums import LabeledEnum
from jituan_desktop.domain.validation import ReportBuilder, ValidationReport
from jituan_desktop.i18n import N_, _

# Column lengths (``persistence/agreement_models.py`` builds its ``String(n)`` from these).
AGREEMENT_LIMITS = {"number": 40, "title": 100, "profile_id": 40, "model_label": 40,
                    "filing_authority": 100, "signing_place": 100}
PARTY_LIMITS = {"label": 10, "representative": 50, "representative_title": 50}
INDICATOR_LIMITS = {"name": 100, "unit": 20, "baseline": 40, "target": 40, "due": 40}
TASK_LIMITS = {"heading": 40}

MAX_FUNDING_FEN = 10**13  # 一千亿元: far above any school budget, below 大写's units
PARTY_LABELS = ("甲方", "乙方", "丙方", "丁方", "戊方", "己方", "庚方", "辛方", "壬方", "癸方")


class AgreementScope(LabeledEnum):
    PAIR = "pair"
    GROUP = "group"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"pair": N_("Pair (supporting + supported school)"),
                "group": N_("Whole group")}


class AgreementStatus(LabeledEnum):
    DRAFT = "draft"
    FINAL = "final"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"draft": N_("Draft"), "final": N_("Finalised for signing")}


@dataclass(frozen=True)
class AgreementParty:
    order: int  # 1-based: the signing order
    label: str  # 甲方, 乙方, …
    school_id: int | None
    representative: str = ""  # 法定代表人 (usually the principal)
    representative_title: str = "校长"
    school_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str = ""
    baseline: str = ""
    target: str = ""
    due: str = ""  # e.g. 2027年7月


@dataclass(frozen=True)
class AgreementTask:
    heading: str  # one of the model's five headings (or 自选项目)
    text: str


@dataclass(frozen=True)
class Agreement:
    id: int | None
    group_id: int | None
    number: str  # 协议编号
    title: str
    profile_id: str
    model_label: str
    scope: AgreementScope = AgreementScope.PAIR
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    goals: str = ""
    funding_fen: int = 0
    funding_text: str = ""
    assessment: str = ""
    copies: int = 3
    filing_authority: str = ""
    signing_place: str = ""
    signing_date: dt.date | None = None  # None: left blank for handwriting
    status: AgreementStatus = AgreementStatus.DRAFT
    parties: tuple[AgreementParty, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    tasks: tuple[AgreementTask, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.status is AgreementStatus.FINAL

    def party_names(self) -> str:
        return "、".join(p.school_name for p in self.parties)


def party_label(order: int) -> str:
    """甲方 for 1, 乙方 for 2, … (天干); beyond ten parties 第11方."""
    return PARTY_LABELS[order - 1] if 1 <= order <= len(PARTY_LABELS) else f"第{order}方"


def validate_agreement(draft: Agreement, group_school_ids: Iterable[int],
                       other_numbers: Iterable[str] = ()) -> ValidationReport:
    """``group_school_ids``: the schools that are (or were) in the group; ``other_numbers``:
    the 协议编号 of the group's other agreements."""
    report = ReportBuilder()
    if not draft.number.strip():
        report.add("number", _("Enter the agreement number."))
    elif draft.number.strip() in set(other_numbers):
        report.add("number", _("Another agreement of this group already has this number."))
    report.check(bool(draft.title.strip()), "title", _("Enter the title of the agreement."))
    report.check(bool(draft.model_label), "model_label", _("Choose the cooperation model."))
    if draft.term_start is None:
        report.add("term_start", _("Enter the first day of the term."))
    if draft.term_end is None:
        report.add("term_end", _("Enter the last day of the term."))
    elif draft.term_start and draft.term_end <= draft.term_start:
        report.add("term_end", _("The term must end after it starts."))
    if draft.funding_fen < 0:
        report.add("funding_fen", _("The funding amount cannot be negative."))
    elif draft.funding_fen >= MAX_FUNDING_FEN:
        report.add("funding_fen", _("The funding amount is too large."))
    report.check(1 <= draft.copies <= 20, "copies",
                 _("The number of copies must lie between 1 and 20."))
    report.check_lengths(draft, AGREEMENT_LIMITS)
    _check_parties(report, draft, set(group_school_ids))
    for index, indicator in enumerate(draft.indicators, start=1):
        if not indicator.name.strip():
            report.add("indicators", _("Indicator {n} has no name.").format(n=index))
        elif not indicator.target.strip():
            report.add("indicators", _("Enter the target of the indicator “{name}”.").format(
                name=indicator.name))
        for key, limit in INDICATOR_LIMITS.items():
            if len(getattr(indicator, key)) > limit:
                report.add("indicators", _("Indicator {n}: at most {limit} characters per "
                                           "cell.").format(n=index, limit=limit))
    for task in draft.tasks:
        if len(task.heading) > TASK_LIMITS["heading"]:
            report.add("tasks", _("A task heading has at most {n} characters.").format(
                n=TASK_LIMITS["heading"]))
    return report.build()


def _check_parties(report: ReportBuilder, draft: Agreement, in_group: set[int]) -> None:
    if len(draft.parties) < 2:
        report.add("parties", _("An agreement needs at least two parties."))
        return
    if draft.scope is AgreementScope.PAIR and len(draft.parties) != 2:
        report.add("parties", _("A pair agreement has exactly two parties; choose “Whole "
                                "group” for more."))
    seen: set[int] = set()
    for party in draft.parties:
        if party.school_id is None:
            report.add("parties", _("Choose the school of {party}.").format(party=party.label))
        elif party.school_id in seen:
            report.add("parties", _("{school} is a party twice.").format(
                school=party.school_name or party.school_id))
        elif party.school_id not in in_group:
            report.add("parties", _("{school} is not a school of this group.").format(
                school=party.school_name or party.school_id))
        if party.school_id is not None:
            seen.add(party.school_id)
        for key, limit in PARTY_LIMITS.items():
            if len(getattr(party, key)) > limit:
                report.add("parties", _("{party}: at most {n} characters per field.").format(
                    party=party.label, n=limit))


# ---- Chinese number formats ------------------------------------------------------------------

_DIGITS_UPPER = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS_UPPER = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")
_DIGITS_LOWER = "〇一二三四五六七八九"
_NUMERALS = "零一二三四五六七八九"


def _four_digits(n: int, digits: str, units: tuple[str, ...]) -> str:
    """0 < n < 10000, with 零 for inner gaps (壹仟零伍)."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += digits[0]
            zero = False
        text += digits[digit] + units[position]
    return text


def _integer_upper(n: int, digits: str = _DIGITS_UPPER,
                   units: tuple[str, ...] = _SMALL_UNITS_UPPER) -> str:
    if n == 0:
        return digits[0]
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += digits[0]
        text += _four_digits(group, digits, units) + _BIG_UNITS[index]
        need_zero = False
    return text


def rmb_upper(fen: int) -> str:
    """An amount in fen as 人民币大写 without the 人民币 prefix: 壹拾贰万元整, 伍分,
    壹佰万零贰仟零叁元肆角整 (common financial practice: 整 after 元 or 角, not after 分)."""
    if fen < 0:
        raise ValueError("negative amount")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "零元整"
    text = _integer_upper(yuan) + "元" if yuan else ""
    if jiao == 0 and fen_digit == 0:
        return text + "整"
    if jiao:
        text += _DIGITS_UPPER[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        return text + _DIGITS_UPPER[fen_digit] + "分"
    return text + "整"


def rmb_lower(fen: int) -> str:
    """¥120,000.00."""
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 21 → 二十一, 100 → 一百 (clause and copy numbers)."""
    if n < 0:
        raise ValueError("negative number")
    text = _integer_upper(n, _NUMERALS, ("", "十", "百", "千"))
    return text[1:] if 10 <= n < 20 else text


def chinese_date(day: dt.date) -> str:
    """二〇二六年十一月二十六日 (ceremonial style, DOMAIN §3.6: 〇 is U+3007)."""
    year = "".join(_DIGITS_LOWER[int(c)] for c in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def arabic_date(day: dt.date) -> str:
    """2026年9月1日 (GB/T 9704-2012: Arabic numerals, no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def school_years_between(start: dt.date, end: dt.date) -> int:
    """How many school years a term covers (September to July counts as one)."""
    first = start.year if start.month >= 8 else start.year - 1
    last = end.year - 1 if end.month <= 8 else end.year
    return max(1, last - first + 1)


def parse_yuan(text: str) -> int | None:
    """``"120000"``, ``"120,000.5"`` or ``"12万"`` as fen; None when it is not an amount."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("元", "")
    factor = 1
    if cleaned.endswith("万"):
        cleaned, factor = cleaned[:-1], 10000
    if not cleaned:
        return 0
    try:
        from decimal import Decimal, InvalidOperation

        value = Decimal(cleaned) * factor
    except (InvalidOperation, ValueError):
        return None
    fen = value * 100
    if fen != fen.to_integral_value():
        return None
    return int(fen)
