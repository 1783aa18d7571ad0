"""Checks of the placements rules (registered with rules.rule_check)."""
