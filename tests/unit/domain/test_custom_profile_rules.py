"""A custom profile switches a rule on by listing it (docs/rules.md)."""

from __future__ import annotations

import re
from pathlib import Path

from jituan_desktop import paths
from jituan_desktop.domain.profiles import load_profile
from jituan_desktop.domain.rules import rules_in_scope

RULE = '''
[[rules]]
id = "LOCAL-01"
key = "research.joint_sessions_per_subject_per_semester"
strength = "target"
quote = "「每学期每学科开展联合教研不少于3次。」"
source = "本集团2026年度工作计划"
params = { value = 3, min_schools_per_session = 2 }
'''


def test_a_rule_copied_into_the_custom_profile_applies_to_its_groups(tmp_path: Path) -> None:
    shipped = (paths.profiles_dir() / "custom.toml").read_text(encoding="utf-8")
    assert load_profile(paths.profiles_dir() / "custom.toml").rules == ()
    # GIVEN the custom profile with one rule listed (and the empty rules list removed)
    local = tmp_path / "local.toml"
    text = re.sub(r"^rules = \[\]\n", "", shipped, flags=re.M).replace(
        'id = "custom"', 'id = "local"')
    local.write_text(text + RULE, encoding="utf-8")
    profile = load_profile(local)
    # THEN the rule is checked for that profile's groups, with its own threshold and quote
    [rule] = rules_in_scope(profile, "research_semester")
    assert (rule.id, rule.params["value"]) == ("LOCAL-01", 3)
    assert rules_in_scope(profile, "placement") == []
