"""Checks of the research rules (registered with rules.rule_check)."""
