"""Generic .xlsx import: read sheets, match headers, parse typed cells, preview, commit.

An import is all-or-nothing: ``read`` builds an ``ImportPreview`` (the parsed records, every
problem with its sheet row and column, and the rows as text for the preview table) without
writing anything; ``commit`` writes every record of a preview without problems in ONE
transaction, or nothing.

How to add an import (the research import, ``services/research_import.py``, is an example):

1. Describe each sheet's columns as ``{field: ("中文列名", "别名", "english name")}``; the
   first name is the one written into the template and shown in the preview. Headers are
   compared without spaces and case-insensitively (``normalize_header``).
2. Write a class with the four members of ``ImportSource``:

   * ``title`` — the dialog's title, e.g. ``_("Import joint research sessions")``;
   * ``template(path)`` — write an empty workbook with the headers (``write_template``);
   * ``read(path, progress)`` — ``read_workbook(path)`` (file problems become a
     ``RowProblem`` with row 0 via ``file_problem``), ``SheetTable.find(...)`` for each
     sheet, then one ``RowReader`` per data row: its typed getters (``text``, ``date``,
     ``time``, ``integer``, ``boolean``, ``choice``) collect per-cell messages in the user's
     language; add your own cross-row checks (duplicates, links between sheets, rows that
     exist already) with ``RowReader.error`` and return ``ImportPreview``;
   * ``commit(preview, progress)`` — check once more inside the unit of work what may have
     changed since the preview (raise ``ValidationError``), insert, write one history entry,
     and return ``(count, Changes)``. ``progress(done, total)`` may raise (cancellation):
     the transaction then rolls back.

3. In the page, open ``ui.dialogs.xlsx_import_dialog.XlsxImportDialog.run(page, ctx, source,
   recent_dir_key)``: it chooses the file, offers the template, shows the preview with the
   per-row errors and commits through the task runner with progress and Cancel. (The teacher
   import, ``services/teacher_import.py``, is a source too; its page chooses the file itself
   and uses the dialog's pieces, see ``ui.dialogs.xlsx_import_dialog``.)

Nothing here imports Qt; openpyxl is imported lazily (0.2 s).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from jituan_desktop.i18n import _
from jituan_desktop.services.base import Changes

log = logging.getLogger(__name__)

R = TypeVar("R")
E = TypeVar("E", bound=Enum)
ProgressFn = Callable[[int, int], None]

MAX_ROWS = 20000
"""Data rows per sheet a preview accepts; more is refused with a message."""
YES_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
NO_WORDS = frozenset({"否", "n", "no", "false", "0", "", "无"})

HeaderSpec = Mapping[str, Sequence[str]]
"""field → accepted header texts; the first one names the column in templates and previews."""


# ---- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One problem of the workbook: ``row`` is the spreadsheet row as the user sees it (0 for
    the whole file or sheet), ``column`` the header text ("" for the whole row)."""

    row: int
    column: str
    message: str
    sheet: str = ""

    def text(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “{sheet}”").format(sheet=self.sheet))
        if self.row:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column}").format(column=self.column))
        prefix = "，".join(where)
        return f"{prefix}：{self.message}" if prefix else self.message


@dataclass(frozen=True)
class PreviewRow:
    """A data row as text for the preview table, with its messages."""

    line: int
    values: tuple[str, ...]
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewSheet:
    """One sheet of the preview: its column names (the template's) and its rows. ``labels``
    (optional, untranslated, marked with ``N_``) say what each column means: the preview
    shows "姓名 / Name" in an interface that is not Chinese."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[PreviewRow, ...]
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview(Generic[R]):
    """What an import would write. ``ok``: records and no problem at all."""

    path: Path
    records: tuple[R, ...]
    problems: tuple[RowProblem, ...]
    sheets: tuple[PreviewSheet, ...] = ()
    details: str = ""  # the technical error behind a file problem, for a tooltip

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)

    @property
    def file_problems(self) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.row == 0)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for sheet in self.sheets for row in sheet.rows if row.errors)


class ImportSource(Protocol[R]):
    """One kind of import, as the generic dialog drives it (see the module docstring)."""

    @property
    def title(self) -> str: ...

    def template(self, path: Path) -> None: ...

    def read(self, path: Path, progress: ProgressFn | None = None) -> ImportPreview[R]: ...

    def commit(self, preview: ImportPreview[R],
               progress: ProgressFn | None = None) -> tuple[int, Changes]: ...


# ---- reading ------------------------------------------------------------------------------


def normalize_header(text: Any) -> str:
    """Header text without any whitespace, lower case: "教师 姓名" matches "教师姓名"."""
    return "".join(str(text or "").split()).lower()


def cell_text(value: Any) -> str:
    """A cell as the user would read it: dates as ISO, whole floats without ".0"."""
    if type(value) is str:  # most cells: a fast path for big sheets
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()[:5] if isinstance(value, dt.time) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Workbook = dict[str, list[tuple[Any, ...]]]
"""Sheet name → its rows of cell values, in sheet order."""


def read_workbook(path: Path) -> Workbook:
    """Every sheet's cell values (read-only mode: big files stay light). Raises what openpyxl
    or the file system raise; ``file_problem`` turns that into a message."""
    from openpyxl import load_workbook  # lazy: 0.2 s import

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: Workbook = {}
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some programs write a wrong <dimension> (e.g. "A1")
            sheets[sheet.title] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        return sheets
    finally:
        workbook.close()


def file_problem(exc: BaseException, path: Path) -> tuple[RowProblem, str]:
    """A workbook that cannot be read: the message for the user and the technical details."""
    log.info("cannot read %s", path, exc_info=exc)
    details = "".join(traceback.format_exception_only(exc)).strip()
    return RowProblem(0, "", read_problem(exc, path)), details


def read_problem(exc: BaseException, path: Path) -> str:
    """Why a workbook could not be read, in the user's language."""
    if isinstance(exc, FileNotFoundError):
        return _("The file {file} was not found. It may have been moved, renamed or "
                 "deleted.").format(file=path)
    if isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in (32, 33):
        return _("The file {file} is open in another program. Close it there (for example "
                 "in Excel) and try again.").format(file=path.name)
    if isinstance(exc, PermissionError):
        return _("There is no permission to read the file {file}.").format(file=path)
    if isinstance(exc, OSError) and not isinstance(exc, IsADirectoryError):
        return _("The file {file} could not be read.").format(file=path)
    if path.suffix.lower() == ".xls":
        return _("{file} is an old Excel 97–2003 workbook (.xls). Open it in Excel, save it as "
                 "“Excel Workbook (*.xlsx)” and import that file.").format(file=path.name)
    return _("{file} is not an Excel workbook (.xlsx), or it is damaged. Open it in Excel, "
             "save it as “Excel Workbook (*.xlsx)” and import that file.").format(
                 file=path.name)


@dataclass
class SheetTable:
    """One sheet's header row, matched to fields, and its data rows."""

    name: str
    header_line: int  # spreadsheet row of the headers
    columns: dict[str, int]  # field → column index
    spec: HeaderSpec
    body: list[tuple[int, tuple[Any, ...]]]  # (spreadsheet row, cells), empty rows skipped

    @classmethod
    def find(cls, workbook: Workbook, names: Iterable[str], spec: HeaderSpec,
             required: Iterable[str], *, sheet_index: int | None = None
             ) -> tuple[SheetTable | None, list[RowProblem]]:
        """The sheet called one of ``names`` (or, failing that, the one at ``sheet_index``);
        its first non-empty row holds the headers. Problems: no such sheet, missing required
        columns, too many rows."""
        wanted = {normalize_header(n) for n in names}
        title = next((t for t in workbook if normalize_header(t) in wanted), None)
        if title is None and sheet_index is not None and sheet_index < len(workbook):
            title = list(workbook)[sheet_index]
        first_name = next(iter(names), "")
        if title is None:
            return None, [RowProblem(0, "", _("The workbook has no sheet named “{sheet}”.")
                                     .format(sheet=first_name))]
        rows = workbook[title]
        header_index = next((i for i, row in enumerate(rows) if any(
            c not in (None, "") for c in row)), None)
        if header_index is None:
            return None, [RowProblem(0, "", _("The sheet is empty."), title)]
        columns = match_headers(rows[header_index], spec)
        missing = [spec[f][0] for f in required if f not in columns]
        if missing:
            return None, [RowProblem(0, "", _(
                "Required columns are missing: {cols}. The first row must hold the column "
                "names.").format(cols="、".join(missing)), title)]
        body = [(header_index + offset + 2, cells)
                for offset, cells in enumerate(rows[header_index + 1:])
                if any(c not in (None, "") for c in cells)]
        if len(body) > MAX_ROWS:
            return None, [RowProblem(0, "", _("The sheet has {n} rows; at most {max} can be "
                                              "imported at once.").format(
                                                  n=len(body), max=MAX_ROWS), title)]
        return cls(title, header_index + 1, columns, spec, body), []

    def headers(self) -> tuple[str, ...]:
        """The template's names of all known columns, in ``spec`` order."""
        return tuple(names[0] for names in self.spec.values())

    def readers(self) -> Iterable[RowReader]:
        for line, cells in self.body:
            yield RowReader(self, line, cells)


def match_headers(header_cells: Sequence[Any], spec: HeaderSpec) -> dict[str, int]:
    """field → index of the first column whose header is one of the field's names."""
    accepted = {f: {normalize_header(n) for n in names} for f, names in spec.items()}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        header = normalize_header(cell)
        for field_name, names in accepted.items():
            if header in names and field_name not in columns:
                columns[field_name] = index
                break
    return columns


@dataclass
class RowReader:
    """Typed access to one data row; each getter adds a message for a bad cell and returns
    None (or a neutral value) so all problems of the row are found in one pass."""

    table: SheetTable
    line: int
    cells: tuple[Any, ...]
    errors: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def raw(self, field_name: str) -> Any:
        index = self.table.columns.get(field_name)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def column(self, field_name: str) -> str:
        return self.table.spec[field_name][0]

    def error(self, message: str, field_name: str | None = None) -> None:
        column = self.column(field_name) if field_name else ""
        self.errors.append(f"{column}：{message}" if column else message)
        self.problems.append(RowProblem(self.line, column, message, self.table.name))

    def text(self, field_name: str, *, required: bool = False, limit: int | None = None) -> str:
        value = cell_text(self.raw(field_name))
        if required and not value:
            self.error(_("This column must not be empty."), field_name)
        elif limit is not None and len(value) > limit:
            self.error(_("At most {n} characters.").format(n=limit), field_name)
        return value

    def date(self, field_name: str, *, required: bool = False) -> dt.date | None:
        value, message = parse_date(self.raw(field_name))
        if message:
            self.error(message, field_name)
        elif value is None and required:
            self.error(_("This column must not be empty."), field_name)
        return value

    def time(self, field_name: str, *, required: bool = False) -> dt.time | None:
        value, message = parse_time(self.raw(field_name))
        if message:
            self.error(message, field_name)
        elif value is None and required:
            self.error(_("This column must not be empty."), field_name)
        return value

    def integer(self, field_name: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value, message = parse_int(self.raw(field_name), minimum=minimum, maximum=maximum)
        if message:
            self.error(message, field_name)
        elif value is None and required:
            self.error(_("This column must not be empty."), field_name)
        return value

    def boolean(self, field_name: str, *, default: bool = False) -> bool:
        value, message = parse_bool(self.raw(field_name), default=default)
        if message:
            self.error(message, field_name)
        return value

    def choice(self, field_name: str, words: Mapping[str, E], *,
               default: E | None = None) -> E | None:
        """An enumeration member by stored value, translated label or extra word."""
        value, message = parse_choice(self.raw(field_name), words, default=default)
        if message:
            self.error(message, field_name)
        return value

    def values(self) -> tuple[str, ...]:
        """The row's cells as text, in ``spec`` order, for the preview."""
        return tuple(cell_text(self.raw(f)) for f in self.table.spec)

    def preview_row(self) -> PreviewRow:
        return PreviewRow(self.line, self.values(), tuple(self.errors))


# ---- typed cell parsing (value, message); message "" when fine --------------------------


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """A date cell, or text such as 2025-09-01, 2025/9/1, 2025.9.1, 2025年9月1日."""
    if value in (None, ""):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip()
    for old in ("/", ".", "年", "月"):
        text = text.replace(old, "-")
    text = text.rstrip("日").strip()
    try:
        year, month, day = text.split("-")
        if len(year.strip()) != 4:  # 19-9-1: 2019 or 1919?
            raise ValueError(year)
        return dt.date(int(year), int(month), int(day)), ""
    except (ValueError, TypeError):
        return None, _("“{value}” is not a date (use 2025-09-01).").format(value=value)


def parse_time(value: Any) -> tuple[dt.time | None, str]:
    """A time cell, or text such as 14:30, 14：30, 8:05."""
    if value in (None, ""):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0), ""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0), ""
    if isinstance(value, float) and 0 <= value < 1:  # a time typed as a number of days
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60), ""
    text = str(value).strip().replace("：", ":")
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) in (2, 3):
            return dt.time(parts[0], parts[1]), ""
    except ValueError:
        pass
    return None, _("“{value}” is not a time of day (use 14:30).").format(value=value)


def parse_int(value: Any, *, minimum: int | None = None,
              maximum: int | None = None) -> tuple[int | None, str]:
    if value in (None, ""):
        return None, ""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
    if number is None:
        return None, _("“{value}” is not a whole number.").format(value=value)
    if minimum is not None and number < minimum:
        return None, _("At least {n}.").format(n=minimum)
    if maximum is not None and number > maximum:
        return None, _("At most {n}.").format(n=maximum)
    return number, ""


def parse_bool(value: Any, *, default: bool = False) -> tuple[bool, str]:
    """是/否, yes/no, 1/0, √; an empty cell is ``default``."""
    if value in (None, ""):
        return default, ""
    if isinstance(value, bool):
        return value, ""
    word = normalize_header(cell_text(value))
    if word in YES_WORDS:
        return True, ""
    if word in NO_WORDS:
        return False, ""
    return default, _("“{value}” must be 是 or 否.").format(value=value)


def parse_choice(value: Any, words: Mapping[str, E], *,
                 default: E | None = None) -> tuple[E | None, str]:
    text = cell_text(value)
    if not text:
        return default, "" if default is not None else _("This column must not be empty.")
    found = words.get(text) or words.get(normalize_header(text))
    if found is None:
        return None, _("“{value}” is not one of: {choices}.").format(
            value=text, choices="、".join(dict.fromkeys(
                k for k in words if not k.isascii())) or "、".join(words))
    return found, ""


def choice_words(enum: type[E], extra: Mapping[str, str] | None = None) -> dict[str, E]:
    """Accepted words for an enumeration: stored values, translated labels, ``extra``
    (word → stored value), each also without spaces and in lower case."""
    table: dict[str, E] = {}
    for member in enum:
        table[str(member.value)] = member
        label = getattr(member, "label", None)
        if callable(label):
            table[str(label())] = member
    for word, value in (extra or {}).items():
        table[word] = enum(value)
    return table | {normalize_header(k): v for k, v in table.items()}


# ---- templates ----------------------------------------------------------------------------


def write_template(path: Path, sheets: Sequence[tuple[str, HeaderSpec]],
                   notes: Sequence[tuple[str, str]] = (),
                   examples: Mapping[str, Sequence[Sequence[Any]]] | None = None) -> None:
    """Write an import workbook atomically: one sheet per ``(name, spec)`` with the headers
    (and optional example rows), and a 填写说明 sheet with ``notes`` (column, explanation)."""
    import io

    from openpyxl import Workbook as NewWorkbook  # lazy: 0.2 s import
    from openpyxl.styles import Font

    from jituan_desktop.atomic import write_bytes_atomic

    workbook = NewWorkbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, spec in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append([names[0] for names in spec.values()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            assert cell.column_letter is not None
            sheet.column_dimensions[cell.column_letter].width = 14
        for row in (examples or {}).get(name, ()):
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    if notes:
        sheet = workbook.create_sheet("填写说明")
        sheet.append([_("Column"), _("How to fill it in")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, text in notes:
            sheet.append([column, text])
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    write_bytes_atomic(path, out.getvalue())
