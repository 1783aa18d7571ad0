"""Validation reports: a mapping of field name to a message in the user's language.

Forms call a pure ``validate_*`` function on every edit and show the messages next to the
fields; services call the same function before writing, so the GUI and the console agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from jituan_desktop.i18n import _


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

    def check_lengths(self, record: object, limits: Mapping[str, int]) -> None:
        """Report each text field of ``record`` longer than its limit (``{field: n}``).

        The limits are the column lengths of the database, so a record that passes fits its
        table and survives an export and re-import.
        """
        for field_name, limit in limits.items():
            value = getattr(record, field_name)
            if isinstance(value, str) and len(value) > limit:
                self.add(field_name, _("At most {n} characters.").format(n=limit))

    def build(self) -> ValidationReport:
        return ValidationReport(dict(self._errors))


class ValidationError(Exception):
    """A write was refused because its input is invalid; carries the report."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text())
        self.report = report
