"""Policy rules checked against records: one evaluation module for every record type.

A rule comes from the group's policy profile (``RuleSpec``: ID, key, strength, quote, source,
parameters). The code that checks a rule key is registered here by the module of its record
type (``placements``, ``rotations``, ``courses``, ``research``) for a *scope*: ``"placement"``
for one placement being saved, ``"rotation_year"`` for a school year of rotations, … The facts
a scope's checks receive are a dataclass defined by that module.

Rules record reality, they never block it: a check returns ``Finding`` values, and a broken
rule whose strength is ``default`` (原则上) asks for a written justification instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jituan_desktop.domain.profiles import PolicyProfile, RuleSpec, strength_label
from jituan_desktop.i18n import _

# the modules that register checks; imported on first use so the registry is complete
CHECK_MODULES = ("placements", "rotations", "courses", "research")

Check = Callable[[RuleSpec, Any], Iterable["Finding"]]
_CHECKS: dict[tuple[str, str], Check] = {}
_loaded = False


@dataclass(frozen=True)
class Finding:
    """What one rule says about the facts: broken or met, with the numbers in ``message``."""

    rule: RuleSpec
    message: str  # concrete and in the user's language: "planned 16 days, at most 14"
    broken: bool = True
    fields: tuple[str, ...] = ()  # the form fields it is shown next to

    @property
    def needs_justification(self) -> bool:
        """A broken 原则上 rule: recorded anyway, with the reason written down."""
        return self.broken and self.rule.strength == "default"

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def explanation(self) -> str:
        """Rule ID, strength, message, quote and source on separate lines (tooltips, history)."""
        head = _("{rule} ({strength}): {message}").format(
            rule=self.rule.id, strength=strength_label(self.rule.strength), message=self.message)
        return "\n".join([head,
                          self.rule.quote, _("Source: {source}").format(source=self.rule.source)])


def rule_check(scope: str, key: str) -> Callable[[Check], Check]:
    """Register ``check`` for rules with ``key`` when facts of ``scope`` are evaluated."""

    def register(check: Check) -> Check:
        if (scope, key) in _CHECKS:
            raise ValueError(f"two checks for {key} in scope {scope}")
        _CHECKS[(scope, key)] = check
        return check

    return register


def _load_checks() -> None:
    global _loaded
    if not _loaded:
        for name in CHECK_MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True


def rules_in_scope(profile: PolicyProfile, scope: str) -> list[RuleSpec]:
    """The profile's rules that ``scope`` checks, in the profile's order."""
    _load_checks()
    return [rule for rule in profile.rules if (scope, rule.key) in _CHECKS]


def evaluate(profile: PolicyProfile, scope: str, facts: Any) -> list[Finding]:
    """Every finding of the profile's rules on ``facts``; a profile without a rule skips it."""
    return [found for rule in rules_in_scope(profile, scope)
            for found in _CHECKS[(scope, rule.key)](rule, facts)]


def broken(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.broken]


FLAG_MARK = "⚑"


def flag_text(findings: Iterable[Finding]) -> str:
    """``⚑ HY-02 HY-03``: the broken rules, each once, in the order found; "" when none.

    Every list's "Rule flags" column shows this (red), with the explanations in its tooltip.
    """
    ids = dict.fromkeys(f.rule_id for f in findings if f.broken)
    return f"{FLAG_MARK} {' '.join(ids)}" if ids else ""


def explanations(findings: Iterable[Finding]) -> str:
    """Every finding's explanation, broken rules first, for a tooltip or a details pane."""
    ordered = sorted(findings, key=lambda f: not f.broken)
    return "\n\n".join(f.explanation() for f in ordered)
