"""Validation reports: a mapping of field name to a message in the user's language.

Forms call a pure ``validate_*`` function on every edit and show the messages next to the
fields; services call the same function before writing, so the GUI and the console agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ValidationReport(Mapping[str, str]):
    """Field → message. Empty means valid. ``""`` is the key for form-wide problems."""

    errors: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.errors[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self) -> str:
        """All messages on one line each, for a message box or the console."""
        return "\n".join(self.errors.values())


class ReportBuilder:
    """Collects the first message per field."""

    def __init__(self) -> None:
        self._errors: dict[str, str] = {}

    def add(self, field_name: str, message: str) -> None:
        self._errors.setdefault(field_name, message)

    def check(self, condition: bool, field_name: str, message: str) -> None:
        if not condition:
            self.add(field_name, message)

    def build(self) -> ValidationReport:
        return ValidationReport(dict(self._errors))


class ValidationError(Exception):
    """A write was refused because its input is invalid; carries the report."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text())
        self.report = report
