"""Agreement templates: the fixed wording of the printed agreement, one TOML file per policy
profile and cooperation model, so a bureau can replace it without touching the code.

Lookup order for a group under profile P with canonical model M:
``resources/agreements/P/M.toml`` → ``P/default.toml`` → ``default/default.toml``.
Every file is checked when it is read (keys, types, placeholders, task headings); a problem
raises ``TemplateError`` naming the file. See docs/agreements.md for the format.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Placeholders a template may use; the renderer fills every one of them.
PLACEHOLDERS = frozenset({
    "title", "number", "model", "model_full", "structure", "basis", "region", "group",
    "parties", "both", "each_holds", "first_party", "first_school", "first_representative",
    "others", "term_start", "term_end", "school_years", "goals", "funding_upper",
    "funding_lower", "funding_text", "assessment", "copies", "filing_authority",
    "signing_place",
})
CLAUSE_KINDS = frozenset({"text", "tasks", "indicators"})
TOP_KEYS = {"version", "title", "subtitle", "first_role", "other_role", "basis", "preamble",
            "end_marker", "attachments", "scoring_note", "other_heading", "structure",
            "clauses", "default_tasks", "default_assessment", "default_funding_text"}
REQUIRED = ("version", "title", "preamble", "clauses", "attachments")


class TemplateError(Exception):
    """A template file cannot be read or is malformed; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Clause:
    heading: str  # printed after 第N条
    paragraphs: tuple[str, ...]
    kind: str = "text"  # "tasks": the task list follows; "indicators": the indicator note


@dataclass(frozen=True)
class DefaultTask:
    heading: int  # 1-based index into the model's headings
    text: str
    model: str = ""  # canonical model id; "" for every model
    rule: str = ""  # profile rule id: the task exists only where the profile has that rule


@dataclass(frozen=True)
class AgreementTemplate:
    path: Path
    version: str
    title: str
    subtitle: str
    first_role: str
    other_role: str
    basis: str
    preamble: str
    end_marker: str
    attachments: tuple[str, ...]
    scoring_note: tuple[str, ...]
    other_heading: str
    structure: dict[str, str]
    clauses: tuple[Clause, ...]
    default_tasks: tuple[DefaultTask, ...]
    default_assessment: str
    default_funding_text: str

    def structure_for(self, canonical: str) -> str:
        return self.structure.get(canonical) or self.structure.get("default", "")


def template_path(folder: Path, profile_id: str, canonical: str) -> Path:
    """The file that applies to a profile and model (the first of the lookup order that
    exists)."""
    for candidate in (folder / profile_id / f"{canonical or 'default'}.toml",
                      folder / profile_id / "default.toml",
                      folder / "default" / "default.toml"):
        if candidate.is_file():
            return candidate
    raise TemplateError(folder / "default" / "default.toml", "no agreement template found")


def load_for(folder: Path, profile_id: str, canonical: str) -> AgreementTemplate:
    return load_template(template_path(folder, profile_id, canonical))


def load_template(path: Path) -> AgreementTemplate:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TemplateError(path, f"cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(path, f"is not valid TOML ({exc})") from exc
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise TemplateError(path, f"unknown keys {sorted(unknown)}")
    for key in REQUIRED:
        if key not in data:
            raise TemplateError(path, f"missing key '{key}'")

    def text(key: str, default: str = "", where: dict[str, Any] = data, name: str = "") -> str:
        value = where.get(key, default)
        if not isinstance(value, str):
            raise TemplateError(path, f"'{name or key}' must be text")
        _check_placeholders(path, name or key, value)
        return value

    def texts(key: str, where: dict[str, Any] = data, name: str = "") -> tuple[str, ...]:
        value = where.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TemplateError(path, f"'{name or key}' must be a list of texts")
        for item in value:
            _check_placeholders(path, name or key, item)
        return tuple(value)

    structure = data.get("structure", {})
    if not isinstance(structure, dict) or not all(isinstance(v, str)
                                                  for v in structure.values()):
        raise TemplateError(path, "'structure' must map model ids to texts")
    clauses = []
    raw_clauses = data["clauses"]
    if not isinstance(raw_clauses, list) or not raw_clauses:
        raise TemplateError(path, "'clauses' must be a non-empty list of tables")
    for index, raw in enumerate(raw_clauses, start=1):
        where = f"clauses[{index}]"
        if not isinstance(raw, dict):
            raise TemplateError(path, f"{where} must be a table")
        extra = set(raw) - {"heading", "paragraphs", "kind"}
        if extra:
            raise TemplateError(path, f"{where}: unknown keys {sorted(extra)}")
        heading = text("heading", where=raw, name=f"{where}.heading")
        if not heading:
            raise TemplateError(path, f"{where}: missing 'heading'")
        kind = text("kind", "text", where=raw, name=f"{where}.kind")
        if kind not in CLAUSE_KINDS:
            raise TemplateError(path, f"{where}: kind must be one of {sorted(CLAUSE_KINDS)}")
        clauses.append(Clause(heading, texts("paragraphs", raw, f"{where}.paragraphs"), kind))
    tasks = []
    for index, raw in enumerate(data.get("default_tasks", []), start=1):
        where = f"default_tasks[{index}]"
        if not isinstance(raw, dict) or set(raw) - {"heading", "text", "model", "rule"}:
            raise TemplateError(path, f"{where} must be a table of heading, text, model, rule")
        heading = raw.get("heading")
        if not isinstance(heading, int) or not 1 <= heading <= 6:
            raise TemplateError(path, f"{where}.heading must be a number from 1 to 6")
        body = raw.get("text")
        if not isinstance(body, str) or not body.strip():
            raise TemplateError(path, f"{where}.text must be text")
        tasks.append(DefaultTask(heading, body, str(raw.get("model", "")),
                                 str(raw.get("rule", ""))))
    attachments = texts("attachments")
    if len(attachments) != 4:
        raise TemplateError(path, "'attachments' must name the four attachments")
    return AgreementTemplate(
        path=path, version=str(data["version"]), title=text("title"),
        subtitle=text("subtitle"), first_role=text("first_role"),
        other_role=text("other_role"), basis=text("basis"), preamble=text("preamble"),
        end_marker=text("end_marker", "（以下无正文）"), attachments=attachments,
        scoring_note=texts("scoring_note"), other_heading=text("other_heading", "自选项目"),
        structure=dict(structure), clauses=tuple(clauses), default_tasks=tuple(tasks),
        default_assessment=text("default_assessment"),
        default_funding_text=text("default_funding_text"))


def _check_placeholders(path: Path, where: str, value: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise TemplateError(path, f"'{where}': broken placeholder ({exc})") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise TemplateError(path, f"'{where}': unknown placeholders {sorted(unknown)}; known: "
                            f"{', '.join(sorted(PLACEHOLDERS))}")
