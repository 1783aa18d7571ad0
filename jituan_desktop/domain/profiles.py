"""Policy profiles: one TOML file per scheme (a region's document), read into frozen values.

A profile holds what the app shows and later checks for groups under that scheme: the source
documents, the cooperation models with their own slogans (never shared across regions), the
role labels, the agreement the scheme requires, an optional size limit and the rules, each
citing the seed text. The files live in ``resources/profiles``; the caller passes the folder.

Every read is checked: a missing key, a value of the wrong type, an unknown strength or model
id, a duplicate rule and an unexpected key all raise ``ProfileError`` naming the file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jituan_desktop.i18n import N_, _

STRENGTHS = frozenset({"must", "must_not", "default", "may", "target"})  # DOMAIN §0.3
LEGAL_STRUCTURES = frozenset({"single", "multi"})
CANONICAL_MODELS = frozenset({  # DOMAIN §1.7
    "merged", "co_built", "collaborative", "entrusted", "stage_articulation",
    "university_affiliated", "flagship_assisted_paired", "district_cluster", "zone",
})
DOCUMENT_KINDS = frozenset({"implementation_plan", "notice", "implementing_opinions",
                            "news_report"})

_MISSING: Any = object()
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class ProfileError(Exception):
    """A profile file cannot be read or is malformed. The message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class SourceDocument:
    title: str
    issuer: str
    doc_number: str  # 文号, "" when the document has none
    date: dt.date | None
    seed_file: str  # file name in the seed folder
    kind: str  # one of DOCUMENT_KINDS
    basis: str = ""  # the higher document it implements, e.g. 内教发〔2023〕20号
    note: str = ""


@dataclass(frozen=True)
class CooperationModel:
    local_label: str  # as the document writes it; printed, and selects slogans and rules
    canonical: str  # cross-region id for analytics (DOMAIN §1.7 cross-walk)
    legal_structure: str | None = None  # "single" / "multi" where the document says
    slogans: tuple[str, ...] = ()  # management-mode slogan, exact, in order
    min_members: int | None = None  # members exclude the core school
    max_members: int | None = None
    requires_agreement: bool = False
    full_label: str = ""
    focus_areas: tuple[str, ...] = ()  # areas of work where the document gives no slogan
    assessment_dimensions: tuple[str, ...] = ()
    core_role_labels: tuple[str, ...] = ()  # empty: the profile's labels apply
    member_role_labels: tuple[str, ...] = ()
    tentative: bool = False  # the canonical mapping is a guess (DOMAIN §1.7)
    quotes: tuple[str, ...] = ()  # 「…」 definition text from the document

    @property
    def headings(self) -> tuple[str, ...]:
        """Task headings for agreements and plans: the slogans, else the focus areas."""
        return self.slogans or self.focus_areas


@dataclass(frozen=True)
class AgreementBasis:
    title: str
    models: tuple[str, ...]  # local labels of the models that need it
    parties: tuple[str, ...]  # who signs, in the document's words
    rule_ref: str
    quote: str
    source: str
    alt_titles: tuple[str, ...] = ()
    per_pair: bool = False  # one agreement per core-member pair rather than per group
    note: str = ""


@dataclass(frozen=True)
class RuleSpec:
    id: str  # e.g. "ALX-04"
    key: str  # e.g. "group.max_members"
    strength: str  # one of STRENGTHS
    quote: str  # 「…」 seed text
    source: str  # document title and clause
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    note: str = ""


@dataclass(frozen=True)
class MemberLimit:
    """The most member schools a group may have (the core school not counted by default)."""

    value: int
    strength: str
    rule_ref: str
    quote: str
    source: str
    counts_core: bool = False


@dataclass(frozen=True)
class SloganSet:
    """A scheme-wide slogan (principles, goals, measures), each item exact seed text."""

    label_zh: str
    label_en: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PolicyProfile:
    id: str
    sort_order: int
    display_name_zh: str
    display_name_en: str
    region_zh: str
    region_en: str
    normative: bool  # False for a news report: its rules are meeting-announced
    status_label_zh: str  # e.g. 政策文件, 会议部署
    status_label_en: str
    valid_from: dt.date | None
    documents: tuple[SourceDocument, ...]
    models: tuple[CooperationModel, ...]
    core_role_labels: tuple[str, ...]
    member_role_labels: tuple[str, ...]
    agreements: tuple[AgreementBasis, ...]
    max_members: MemberLimit | None
    exclusive_membership: bool  # a school may belong to one group at a time
    exclusive_membership_ref: str  # rule id, "" when no document says so
    exclusive_membership_quote: str
    exclusive_membership_note: str
    rules: tuple[RuleSpec, ...]
    scheme_slogans: tuple[SloganSet, ...] = ()
    notes: tuple[str, ...] = ()

    def display_name(self, locale: str) -> str:
        return self.display_name_zh if _is_chinese(locale) else self.display_name_en

    def region(self, locale: str) -> str:
        return self.region_zh if _is_chinese(locale) else self.region_en

    def status_label(self, locale: str) -> str:
        return self.status_label_zh if _is_chinese(locale) else self.status_label_en

    def model(self, local_label: str) -> CooperationModel | None:
        """The model with this local label (or full label), if the scheme has one."""
        return next((m for m in self.models if local_label in (m.local_label, m.full_label)),
                    None)

    def rule(self, key: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.key == key), None)

    def rule_by_id(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def agreement_for(self, local_label: str) -> AgreementBasis | None:
        return next((a for a in self.agreements if local_label in a.models), None)

    def role_labels(self, local_label: str | None = None) -> tuple[str, str]:
        """The (core, member) labels to print for a group of this model."""
        model = self.model(local_label) if local_label else None
        core = model.core_role_labels if model and model.core_role_labels else None
        member = model.member_role_labels if model and model.member_role_labels else None
        return (core or self.core_role_labels)[0], (member or self.member_role_labels)[0]

    @property
    def exclusive_membership_citation(self) -> str:
        """Rule id and quote behind exclusive membership, for messages; "" when none."""
        return f"{self.exclusive_membership_ref} {self.exclusive_membership_quote}".strip()


def _is_chinese(locale: str) -> bool:
    return locale.lower().startswith("zh")


# ---- reading ------------------------------------------------------------------------------


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


class _Table:
    """Checked access to one TOML table; keys nobody read are reported by ``done``."""

    def __init__(self, data: Mapping[str, Any], path: Path, where: str = "") -> None:
        self.data, self.path, self.where = data, path, where
        self._read: set[str] = set()

    def error(self, problem: str, key: str = "") -> ProfileError:
        place = ".".join(p for p in (self.where, key) if p)
        return ProfileError(self.path, f"{problem} ({place})" if place else problem)

    def _get(self, key: str, kind: type | tuple[type, ...], kind_name: str,
             default: Any) -> Any:
        self._read.add(key)
        if key not in self.data:
            if default is _MISSING:
                where = f" in {self.where}" if self.where else ""
                raise ProfileError(self.path, f"missing required key '{key}'{where}")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(f"'{key}' must be {kind_name}, not {type(value).__name__}", key)
        return value

    def text(self, key: str, default: Any = _MISSING, *, required: bool = False) -> str:
        value: str = self._get(key, str, "a string", default)
        if required and not value.strip():
            raise self.error(f"'{key}' must not be empty", key)
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value: bool = self._get(key, bool, "true or false", default)
        return value

    def integer(self, key: str, default: Any = _MISSING) -> int:
        value: int = self._get(key, int, "an integer", default)
        return value

    def opt_int(self, key: str) -> int | None:
        value: int | None = self._get(key, int, "an integer", None)
        return value

    def texts(self, key: str, default: Any = ()) -> tuple[str, ...]:
        values = self._get(key, list, "a list of strings", default)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.error(f"'{key}' must be a list of non-empty strings", key)
        return tuple(values)

    def mapping(self, key: str) -> Mapping[str, Any]:
        frozen: Mapping[str, Any] = _freeze(self._get(key, dict, "a table", {}))
        return frozen

    def date(self, key: str) -> dt.date | None:
        value = self._get(key, (str, dt.date), "a 'YYYY-MM-DD' string or a date", _MISSING)
        if isinstance(value, dt.datetime):
            raise self.error(f"'{key}' must be a date without a time", key)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise self.error(f"'{key}' is not a YYYY-MM-DD date: {value!r}", key) from None

    def choice(self, key: str, allowed: frozenset[str], default: Any = _MISSING) -> Any:
        value = self._get(key, str, "a string", default)
        if value is not None and value not in allowed:
            raise self.error(f"unknown {key} '{value}' (expected one of: "
                             f"{', '.join(sorted(allowed))})", key)
        return value

    def table(self, key: str) -> _Table:
        return _Table(self._get(key, dict, "a table", _MISSING), self.path, self._sub(key))

    def opt_table(self, key: str) -> _Table | None:
        data = self._get(key, dict, "a table", None)
        return None if data is None else _Table(data, self.path, self._sub(key))

    def tables(self, key: str, default: Any = _MISSING) -> list[_Table]:
        items = self._get(key, list, "an array of tables", default)
        if not all(isinstance(t, dict) for t in items):
            raise self.error(f"'{key}' must be an array of tables", key)
        return [_Table(t, self.path, f"{self._sub(key)}[{i}]") for i, t in enumerate(items)]

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise self.error(f"unexpected key(s): {', '.join(unknown)}")

    def _sub(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key


def _document(t: _Table) -> SourceDocument:
    doc = SourceDocument(
        title=t.text("title", required=True), issuer=t.text("issuer", required=True),
        doc_number=t.text("doc_number"), date=t.date("date"),
        seed_file=t.text("seed_file", required=True), kind=t.choice("kind", DOCUMENT_KINDS),
        basis=t.text("basis", ""), note=t.text("note", ""))
    t.done()
    return doc


def _model(t: _Table) -> CooperationModel:
    model = CooperationModel(
        local_label=t.text("local_label", required=True),
        canonical=t.choice("canonical", CANONICAL_MODELS),
        legal_structure=t.choice("legal_structure", LEGAL_STRUCTURES, None),
        slogans=t.texts("slogans"), min_members=t.opt_int("min_members"),
        max_members=t.opt_int("max_members"),
        requires_agreement=t.flag("requires_agreement", False),
        full_label=t.text("full_label", ""), focus_areas=t.texts("focus_areas"),
        assessment_dimensions=t.texts("assessment_dimensions"),
        core_role_labels=t.texts("core_role_labels"),
        member_role_labels=t.texts("member_role_labels"),
        tentative=t.flag("tentative", False), quotes=t.texts("quotes"))
    t.done()
    low, high = model.min_members, model.max_members
    if (low is not None and low < 0) or (low is not None and high is not None and low > high):
        raise t.error(f"member range {low}..{high} is invalid")
    return model


def _agreement(t: _Table) -> AgreementBasis:
    basis = AgreementBasis(
        title=t.text("title", required=True), models=t.texts("models", _MISSING),
        parties=t.texts("parties", _MISSING), rule_ref=t.text("rule", required=True),
        quote=t.text("quote", required=True), source=t.text("source", required=True),
        alt_titles=t.texts("alt_titles"), per_pair=t.flag("per_pair", False),
        note=t.text("note", ""))
    t.done()
    return basis


def _rule(t: _Table) -> RuleSpec:
    rule = RuleSpec(
        id=t.text("id", required=True), key=t.text("key", required=True),
        strength=t.choice("strength", STRENGTHS), quote=t.text("quote", required=True),
        source=t.text("source", required=True), params=t.mapping("params"),
        note=t.text("note", ""))
    t.done()
    return rule


def _member_limit(t: _Table) -> MemberLimit:
    limit = MemberLimit(
        value=t.integer("value"), strength=t.choice("strength", STRENGTHS),
        rule_ref=t.text("rule", required=True), quote=t.text("quote", required=True),
        source=t.text("source", required=True),
        counts_core=t.flag("counts_core", False))
    t.done()
    return limit


def _slogan_set(t: _Table) -> SloganSet:
    slogans = SloganSet(label_zh=t.text("label_zh", required=True),
                        label_en=t.text("label_en", required=True),
                        items=t.texts("items", _MISSING))
    t.done()
    return slogans


def _unique(t: _Table, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise t.error(f"duplicate {what} '{value}'")
        seen.add(value)


def load_profile(path: Path) -> PolicyProfile:
    """Read one profile file; raise ``ProfileError`` naming the file and the problem."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ProfileError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, f"not valid TOML: {exc}") from exc
    t = _Table(data, path)
    profile_id = t.text("id", required=True)
    roles = t.table("roles")
    exclusive = t.table("exclusive_membership")
    limit = t.opt_table("max_members")
    core_labels, member_labels = roles.texts("core", _MISSING), roles.texts("member", _MISSING)
    roles.done()
    if not core_labels or not member_labels:
        raise roles.error("both 'core' and 'member' need at least one label")

    profile = PolicyProfile(
        id=profile_id, sort_order=t.integer("sort_order"),
        display_name_zh=t.text("display_name_zh", required=True),
        display_name_en=t.text("display_name_en", required=True),
        region_zh=t.text("region_zh", required=True),
        region_en=t.text("region_en", required=True),
        normative=t.flag("normative"),
        status_label_zh=t.text("status_label_zh", required=True),
        status_label_en=t.text("status_label_en", required=True),
        valid_from=t.date("valid_from"),
        documents=tuple(_document(d) for d in t.tables("documents")),
        models=tuple(_model(m) for m in t.tables("models")),
        core_role_labels=core_labels, member_role_labels=member_labels,
        agreements=tuple(_agreement(a) for a in t.tables("agreements", [])),
        max_members=_member_limit(limit) if limit else None,
        exclusive_membership=exclusive.flag("value"),
        exclusive_membership_ref=exclusive.text("rule"),
        exclusive_membership_quote=exclusive.text("quote"),
        exclusive_membership_note=exclusive.text("note", ""),
        rules=tuple(_rule(r) for r in t.tables("rules")),
        scheme_slogans=tuple(_slogan_set(s) for s in t.tables("scheme_slogans", [])),
        notes=t.texts("notes"))
    exclusive.done()
    t.done()
    _check(profile, t)
    return profile


def _check(p: PolicyProfile, t: _Table) -> None:
    """Cross-field consistency of a profile read from ``t``."""
    if p.id != t.path.stem:
        raise t.error(f"id '{p.id}' does not match the file name '{t.path.name}'")
    if p.normative and not p.documents:
        raise t.error("a normative profile needs at least one source document")
    if not p.models:
        raise t.error("a profile needs at least one cooperation model")
    if p.exclusive_membership and not (p.exclusive_membership_ref
                                       and p.exclusive_membership_quote):
        raise t.error("exclusive membership needs the rule and quote that impose it")
    _unique(t, "model label", [m.local_label for m in p.models])
    _unique(t, "rule id", [r.id for r in p.rules])
    _unique(t, "rule key", [r.key for r in p.rules])
    labels = {m.local_label for m in p.models}
    for basis in p.agreements:
        if unknown := [m for m in basis.models if m not in labels]:
            raise t.error(f"agreement '{basis.title}' names unknown model(s): "
                          f"{', '.join(unknown)}")
    for m in p.models:
        if m.requires_agreement and p.agreement_for(m.local_label) is None:
            raise t.error(f"model '{m.local_label}' requires an agreement but no agreement "
                          "lists it")
    limit = p.max_members
    rule = p.rule_by_id(limit.rule_ref) if limit else None
    if limit and rule and (rule.strength != limit.strength or rule.quote != limit.quote
                           or rule.params.get("value", limit.value) != limit.value):
        raise t.error(f"max_members disagrees with rule {rule.id} (strength, quote or value)")


def load_profiles(directory: Path) -> dict[str, PolicyProfile]:
    """Every ``*.toml`` profile in ``directory``, keyed by id, in ``sort_order``."""
    if not directory.is_dir():
        raise ProfileError(directory, "the profile folder does not exist")
    profiles: dict[str, PolicyProfile] = {}
    for path in sorted(directory.glob("*.toml")):
        profile = load_profile(path)
        if profile.id in profiles:
            raise ProfileError(path, f"duplicate profile id '{profile.id}'")
        profiles[profile.id] = profile
    ordered = sorted(profiles.values(), key=lambda p: (p.sort_order, p.id))
    return {p.id: p for p in ordered}


def load_local_profiles(directory: Path, installed: Mapping[str, PolicyProfile]
                        ) -> tuple[dict[str, PolicyProfile], list[ProfileError]]:
    """The user's own profiles (``*.toml`` in ``directory``, which may not exist) next to the
    installed ones. A file that cannot be read, or that reuses an installed or earlier id, is
    left out and reported instead, so one bad local file never stops the program."""
    found: dict[str, PolicyProfile] = {}
    problems: list[ProfileError] = []
    for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            problems.append(exc)
            continue
        if profile.id in installed or profile.id in found:
            problems.append(ProfileError(path, f"the profile id '{profile.id}' is already used; "
                                               "give the copy an id of its own"))
            continue
        found[profile.id] = profile
    return found, problems


def merged_profiles(*groups: Mapping[str, PolicyProfile]) -> dict[str, PolicyProfile]:
    """Several sets of profiles as one, in ``sort_order``."""
    every = [p for group in groups for p in group.values()]
    return {p.id: p for p in sorted(every, key=lambda p: (p.sort_order, p.id))}


STRENGTH_LABELS = {
    "must": N_("must"),
    "must_not": N_("must not"),
    "default": N_("as a rule (原则上)"),
    "may": N_("may"),
    "target": N_("target"),
}


def strength_label(strength: str) -> str:
    """The modal strength of a rule (DOMAIN.md §0.3) in the user's language."""
    return _(STRENGTH_LABELS[strength]) if strength in STRENGTH_LABELS else strength
