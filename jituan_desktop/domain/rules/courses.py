"""Checks of the courses rules (registered with rules.rule_check)."""
