"""What the policy rules say about a record, shown next to its form (any record kind).

::

    findings = RuleFindingsView(empty_text=_("No rule of this profile applies."))
    layout.addWidget(findings)
    findings.set_findings(service.findings(draft))      # list[rules.Finding]
    flag_fields(findings_list, {"planned_end": end_edit, "teacher_id": person_box})

Each finding is one paragraph: a mark (✗ broken hard rule, ! broken 原则上 rule that needs a
justification, ✓ met, i information), the rule ID, its strength in the user's language and
the concrete message. A broken rule also shows the exact quote and its source below; a met
rule expands to them through its ▸ link. The fields' tooltips (``flag_fields``) hold
``Finding.explanation()`` (ID, strength, message, quote, source).
``flag_fields`` marks the form fields a broken finding concerns (border and tooltip), so the
flag is visible next to the field itself. Rules never block saving; this widget only informs.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from jituan_desktop.domain.profiles import strength_label
from jituan_desktop.domain.rules import Finding
from jituan_desktop.i18n import _

FLAG_PROPERTY = "ruleFlag"
FLAG_STYLESHEET = ('*[ruleFlag="hard"] { border: 1px solid #c62828; } '
                   '*[ruleFlag="default"] { border: 1px solid #d08700; }')
"""Borders of fields concerned by a broken rule; add it to the dialog's stylesheet."""

_COLORS = {"hard": "#c62828", "default": "#b26a00", "met": "#2e7d32", "info": "#5f6368"}
_MARKS = {"hard": "✗", "default": "!", "met": "✓", "info": "i"}


def severity(finding: Finding) -> str:
    """``hard`` (a broken must/must_not), ``default`` (a broken 原则上 rule), ``met`` or
    ``info`` (a broken may/target rule: information only)."""
    if not finding.broken:
        return "met"
    if finding.rule.strength in ("must", "must_not"):
        return "hard"
    return "default" if finding.rule.strength == "default" else "info"


def finding_html(finding: Finding, *, with_quote: bool, justified: bool = False) -> str:
    level = severity(finding)
    strength = html.escape(strength_label(finding.rule.strength))
    head = (f'<span style="color:{_COLORS[level]}; font-weight:bold">{_MARKS[level]} '
            f'{html.escape(finding.rule_id)}</span> '
            f'<span style="color:{_COLORS[level]}">{strength}</span>　'
            f'{html.escape(finding.message)}')
    if level == "default":
        note = _("(justified)") if justified else _("(write a justification)")
        head += ' <span style="color:#b26a00">' + html.escape(note) + "</span>"
    if not with_quote:
        return head
    source = _("Source: {source}").format(source=finding.rule.source)
    return (head + '<br><span style="color:#5f6368">' + html.escape(finding.rule.quote)
            + "<br>" + html.escape(source) + "</span>")


class RuleFindingsView(QTextBrowser):
    """The findings as read-only rich text: broken ones first, each with its quote and
    source; a met rule's quote opens with its "▸" link (click, or Tab to it and Enter)."""

    def __init__(self, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleFindings")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._toggle)
        self._empty_text = empty_text or _("No policy rule applies.")
        self._findings: list[Finding] = []
        self._expanded: set[int] = set()
        self._justified = False
        self.set_findings([])

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def text(self) -> str:
        """What the view shows, as plain text (for tests and copying)."""
        return self.toPlainText()

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        if not self._findings:
            self._render()

    def set_findings(self, findings: Sequence[Finding], *, justified: bool = False) -> None:
        """Show ``findings``; ``justified``: the record already carries a justification for
        its broken 原则上 rules."""
        self._justified = justified
        order = {"hard": 0, "default": 1, "info": 2, "met": 3}
        ordered = sorted(findings, key=lambda f: order[severity(f)])  # stable: profile order
        if ordered != self._findings:
            self._expanded.clear()
        self._findings = ordered
        self._render()

    def expand(self, index: int) -> None:
        """Show the quote and source of the ``index``-th finding (as its link does)."""
        self._expanded.add(index)
        self._render()

    def _toggle(self, url: QUrl) -> None:
        index = int(url.fragment() or -1)
        self._expanded.symmetric_difference_update({index})
        self._render()

    def _render(self) -> None:
        if not self._findings:
            self.setHtml(f'<p style="color:#5f6368">{html.escape(self._empty_text)}</p>')
            return
        parts = []
        for index, finding in enumerate(self._findings):
            shown = finding.broken or index in self._expanded
            text = finding_html(finding, with_quote=shown, justified=self._justified)
            if not finding.broken:
                mark = "▾" if shown else "▸"
                text += f' <a href="#{index}" style="text-decoration:none">{mark}</a>'
            parts.append(f'<p style="margin-bottom:6px">{text}</p>')
        self.setHtml("".join(parts))


def flag_fields(findings: Sequence[Finding], widgets: Mapping[str, QWidget]) -> None:
    """Mark each widget whose field a broken finding names; clear the others."""
    flagged: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.broken and severity(finding) in ("hard", "default"):
            for name in finding.fields:
                flagged.setdefault(name, []).append(finding)
    for name, widget in widgets.items():
        found = flagged.get(name, [])
        level = ("hard" if any(severity(f) == "hard" for f in found)
                 else "default" if found else "")
        if (widget.property(FLAG_PROPERTY) or "") != level:
            widget.setProperty(FLAG_PROPERTY, level)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        widget.setToolTip("\n\n".join(f.explanation() for f in found))
