"""Checks of the rotations rules (registered with rules.rule_check)."""
