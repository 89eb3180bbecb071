"""Read case inputs (JSON, YAML, folders, CSV, Excel workbooks) into raw mappings.

Nothing here judges a case: ``validate.parse_case`` does that. The readers only
turn each input into the nested mapping of ``docs/case-record.md`` (spreadsheet
columns ``child.given_names`` become ``{"child": {"given_names": ...}}``, rows of
the ``family`` and ``evidence`` sheets become list items of their case) and
report what stops them from doing so: a file that cannot be read, a column
that matches no field, a row that belongs to no case, a case id used twice.

Every problem names the file, sheet, row, column or case id, never the content
of a cell: cells hold children's names and stories, and problems end up in
terminals, logs and manifests.

Problems about a whole file (not one case) carry the file in ``case_id``, as
``errors.InputError`` does.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.utils import get_column_letter

from .errors import InputError, Problem
from .i18n import N_
from .model import Event
from .schema import Field, fields_of, normalize_header, sheet_fields

CASE_FILE_SUFFIXES = (".json", ".yaml", ".yml")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Spreadsheet formats openpyxl cannot open: say "save as .xlsx" rather than "corrupt".
OTHER_SPREADSHEET_SUFFIXES = (".xls", ".ods", ".numbers")
LIST_SEPARATOR = ";"
# Limits against hostile or broken files (a 600-byte YAML "alias bomb"
# expands to gigabytes): a case file, CSV or JSON of more than this many
# bytes, and a YAML document whose aliases (``*name``) expand it past this
# many values, are refused.
MAX_TEXT_BYTES = 20 * 1024 * 1024
MAX_YAML_VALUES = 1_000_000

# The sheets of a batch workbook. ``events`` (dated incidents, ``claim.events``)
# is optional and not in the spec's list of three: without it a spreadsheet
# could not carry the events a case file can.
SHEETS = ("cases", "family", "evidence", "events")
CHILD_SHEETS = ("family", "evidence", "events")
# Where the rows of each child sheet go inside their case.
CHILD_SHEET_TARGETS: dict[str, tuple[str, ...]] = {
    "family": ("family",),
    "evidence": ("evidence",),
    "events": ("claim", "events"),
}
# Sheet names accepted in a workbook, compared without case (Spanish too, since
# people rename the tabs of the template).
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "cases": ("cases", "casos"),
    "family": ("family", "familia"),
    "evidence": ("evidence", "pruebas"),
    "events": ("events", "hechos"),
}
CASE_ID_FIELD = Field("case_id", "text", "Clave del caso", "Case id", required=True)


@dataclass
class RawCase:
    """One case as read, before validation.

    ``source`` says where it came from ("cases.xlsx, sheet cases, row 3" or a
    file path) so a person can find it; it never holds a cell's content.
    """

    source: str
    data: dict

    @property
    def case_id(self) -> str | None:
        return _case_id_text(self.data.get("case_id"))


# ---------------------------------------------------------------------------
# Columns of the sheets


def sheet_columns(sheet: str) -> tuple[Field, ...]:
    """The columns of one batch sheet, ``events`` included."""
    if sheet == "events":
        return (CASE_ID_FIELD, *fields_of(Event))
    return sheet_fields(sheet)


def column_aliases(sheet: str) -> dict[str, str]:
    """Accepted header spellings (normalized) -> field path; mirrors
    ``schema.header_aliases`` and covers the ``events`` sheet as well."""
    aliases: dict[str, str] = {}
    for field in sheet_columns(sheet):
        for spelling in (field.path, field.label_es, field.label_en, field.header):
            aliases[normalize_header(spelling)] = field.path
    return aliases


# ---------------------------------------------------------------------------
# Entry point


def read_inputs(paths: Iterable[str | Path]) -> tuple[list[RawCase], list[Problem]]:
    """Read every input; one unreadable input does not stop the others.

    Returns the cases in input order and every problem found. A case id used a
    second time (in the same input or another one) is reported and that second
    case is left out: its documents would overwrite the first one's.
    """
    problems: list[Problem] = []
    cases = list(iter_inputs(paths, problems))
    return cases, problems


def iter_inputs(paths: Iterable[str | Path], problems: list[Problem]) -> Iterator[RawCase]:
    """``read_inputs`` one case at a time, for a batch: the files of a folder
    are read as their cases are taken, so a run over thousands of files
    starts with the first one and never holds every case in memory. Each
    problem is appended to ``problems`` when it is found."""
    first_source: dict[str, str] = {}
    for path in paths:
        try:
            for case in _iter_input(Path(path), problems):
                if not _repeated_id(case, first_source, problems):
                    yield case
        except InputError as exc:
            problems.append(exc.problem)


def _iter_input(path: Path, problems: list[Problem]) -> Iterator[RawCase]:
    if path.is_dir():
        yield from _iter_folder(path, problems)
        return
    found, trouble = read_input(path)
    problems.extend(trouble)
    yield from found


def read_input(path: Path) -> tuple[list[RawCase], list[Problem]]:
    """Read one input path; raises ``InputError`` when it cannot be read at all."""
    source = str(path)
    if not path.exists():
        raise InputError(source, N_("Cannot find {source}."))
    if path.is_dir():
        return read_folder(path)
    suffix = path.suffix.lower()
    if suffix in CASE_FILE_SUFFIXES:
        return read_case_file(path)
    if suffix == ".csv":
        return read_csv_cases(path)
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path)
    if suffix in OTHER_SPREADSHEET_SUFFIXES:
        raise InputError(source, N_("Cannot read {source}: this spreadsheet format is not supported; save it as an "
                                    "Excel workbook (.xlsx)."))
    raise InputError(source, N_("Cannot read {source}: use a .xlsx workbook, a .csv file, a .json or .yaml case file, "
                                "or a folder of case files."))


def _repeated_id(case: RawCase, first_source: dict[str, str], problems: list[Problem]) -> bool:
    """Whether the case's id was used before (then reported); remembers it."""
    case_id = case.case_id
    if case_id is not None and case_id in first_source:
        problems.append(Problem(
            field="case_id",
            message=N_("This case id is already used by {first}; this case ({source}) was left out."),
            params={"first": first_source[case_id], "source": case.source},
            case_id=case_id[:64],
        ))
        return True
    if case_id is not None:
        first_source[case_id] = case.source
    return False


def _case_id_text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------------------
# JSON and YAML case files


def read_case_file(path: Path) -> tuple[list[RawCase], list[Problem]]:
    """One case (a mapping) or a list of cases, in JSON or YAML."""
    source = str(path)
    if path.suffix.lower() == ".json":
        documents = [_load_json(path)]
    else:
        documents = _load_yaml(path)
    documents = [doc for doc in documents if doc is not None]
    if len(documents) == 1 and isinstance(documents[0], dict):
        return [RawCase(source, documents[0])], []
    if len(documents) == 1 and isinstance(documents[0], list):
        items = documents[0]
    elif len(documents) > 1:  # a YAML stream: one case per document
        items = documents
    else:
        raise InputError(source,
                         N_("{source} holds no case: expected one case (a group of fields) or a list of cases."))
    cases: list[RawCase] = []
    problems: list[Problem] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            cases.append(RawCase(f"{source}, case {number}", item))
        else:
            problems.append(Problem(
                field="",
                message=N_("Item {item} of {source} is not a case: a case is a group of fields, not a list or a single "
                           "value."),
                params={"item": number, "source": source},
                case_id=source,
            ))
    return cases, problems


def _read_text(path: Path, *, legacy_fallback: bool = False) -> str:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise InputError(str(path), N_("Cannot read {source}: it is larger than {limit} MB; "
                                       "split it into smaller files."), limit=MAX_TEXT_BYTES // (1024 * 1024))
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if legacy_fallback:
            # Excel for Windows saves "CSV" in the Windows code page, not UTF-8.
            return data.decode("cp1252", errors="replace")
        raise InputError(str(path),
                         N_("Cannot read {source}: the text is not UTF-8; save the file as UTF-8.")) from None


def _load_json(path: Path) -> Any:
    text = _read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # Only the position: the parser's excerpt could quote a child's story.
        raise InputError(str(path), N_("Cannot read {source}: it is not valid JSON (line {line}, column {column})."),
                         line=exc.lineno, column=exc.colno) from None


class _TooLarge(Exception):
    pass


# libyaml's parser when PyYAML was built with it (it parses a batch's file
# about ten times faster; an unchanged re-run is mostly reading its input),
# with the same safe constructors as SafeLoader.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CaseLoader(_SafeBase):
    """Safe YAML, except that an impossible date (2026-02-30) stays text so the
    validator reports that one field instead of the whole file failing; and a
    document whose aliases (``*name``) would expand it past
    ``MAX_YAML_VALUES`` values is refused before it is built."""

    def construct_document(self, node):
        if _expanded_size(node, {}) > MAX_YAML_VALUES:
            raise _TooLarge()
        return super().construct_document(node)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values ``node`` holds once every alias is written out
    (counted once per distinct node, so a bomb is measured, not expanded)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a node that contains itself counts once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[key] = min(size, MAX_YAML_VALUES + 1)
    return memo[key]


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_CaseLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _load_yaml(path: Path) -> list[Any]:
    text = _read_text(path)
    try:
        return list(yaml.load_all(text, Loader=_CaseLoader))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            raise InputError(str(path),
                             N_("Cannot read {source}: it is not valid YAML (line {line}, column {column})."),
                             line=mark.line + 1, column=mark.column + 1) from None
        raise InputError(str(path), N_("Cannot read {source}: it is not valid YAML.")) from None
    except yaml.YAMLError:
        raise InputError(str(path), N_("Cannot read {source}: it is not valid YAML.")) from None
    except _TooLarge:
        raise InputError(str(path), N_("Cannot read {source}: its YAML aliases (*name) repeat parts of it into "
                                       "more than {limit} values; write the cases out in full."),
                         limit=f"{MAX_YAML_VALUES:,}") from None


# ---------------------------------------------------------------------------
# Folders


def read_folder(folder: Path) -> tuple[list[RawCase], list[Problem]]:
    """Every case file in the folder (not its sub-folders), sorted by name, and
    a ``cases.csv`` with its ``family.csv``/``evidence.csv``; an unreadable
    file is reported and the others are still read."""
    problems: list[Problem] = []
    cases = list(_iter_folder(folder, problems))
    return cases, problems


def _iter_folder(folder: Path, problems: list[Problem]) -> Iterator[RawCase]:
    """``read_folder``, one file at a time."""
    found_any = False
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue  # hidden files and office lock files
        if path.suffix.lower() in CASE_FILE_SUFFIXES:
            reader = read_case_file
        elif path.name.lower() == "cases.csv":
            reader = read_csv_cases
        else:
            continue
        found_any = True
        try:
            got, trouble = reader(path)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        problems.extend(trouble)
        yield from got
    if not found_any:
        raise InputError(str(folder), N_("The folder {source} holds no case files (.json, .yaml, .yml or cases.csv)."))


# ---------------------------------------------------------------------------
# Sheets: CSV files and Excel workbooks become the same ``Sheet`` and are read
# by the same code.


@dataclass
class Sheet:
    kind: str  # cases | family | evidence | events
    file: str  # the file, for messages
    title: str  # the sheet's own name ("casos"), or the kind for a CSV file
    header: list[Any]  # the first row that is not blank
    rows: list[tuple[int, list[Any]]]  # rows below it: (row number as the spreadsheet shows it, cells)
    in_workbook: bool = True
    empty_formulas: tuple[str, ...] = ()  # cells (A1 form) holding a formula with no saved result

    def where(self, row: int) -> str:
        if self.in_workbook:
            return f"{self.file}, sheet {self.title}, row {row}"
        return f"{self.file}, row {row}"

    def problem(self, field: str, message: str, *, case_id: str | None = None, **params: Any) -> Problem:
        params = {"file": self.file, "sheet": self.title, **params}
        return Problem(field=field, message=message, params=params, case_id=case_id or self.file)


def read_sheets(sheets: dict[str, Sheet], source: str) -> tuple[list[RawCase], list[Problem]]:
    """Cases from the ``cases`` sheet, with the rows of the other sheets attached."""
    problems: list[Problem] = []
    for each in sheets.values():
        if each.empty_formulas:
            found = ", ".join(each.empty_formulas[:10]) + (" …" if len(each.empty_formulas) > 10 else "")
            problems.append(each.problem(
                "", N_("Sheet '{sheet}' of {file}: the cells {cells} hold formulas with no saved result, so they "
                       "were read as empty. Open the workbook in Excel or LibreOffice and save it, or type the "
                       "values."), cells=found))
    cases_sheet = sheets["cases"]
    columns, trouble = _map_columns(cases_sheet)
    problems += trouble
    cases: list[RawCase] = []
    for row_number, cells in cases_sheet.rows:
        record = _row_record(cells, columns)
        if record:  # blank rows (or rows with only unknown columns) are skipped
            cases.append(RawCase(cases_sheet.where(row_number), record))
    if not cases:
        raise InputError(source, N_("{source} holds no case: the cases sheet has no filled rows."))

    by_id: dict[str, RawCase] = {}
    for case in cases:
        if case.case_id is not None:
            by_id.setdefault(case.case_id, case)  # a repeated id is reported by read_inputs
    for kind in CHILD_SHEETS:
        if kind in sheets:
            problems += _attach_rows(sheets[kind], by_id)
    return cases, problems


def _attach_rows(sheet: Sheet, by_id: dict[str, RawCase]) -> list[Problem]:
    columns, problems = _map_columns(sheet)
    for row_number, cells in sheet.rows:
        record = _row_record(cells, columns)
        if not record:
            continue
        case_id = _case_id_text(record.pop("case_id", None))
        if case_id is None:
            problems.append(sheet.problem(
                "case_id",
                N_("Row {row} of sheet '{sheet}' in {file} has no case id, so it belongs to no case; it was not read."),
                row=row_number))
            continue
        case = by_id.get(case_id)
        if case is None:
            problems.append(sheet.problem(
                "case_id",
                N_("Row {row} of sheet '{sheet}' in {file} names a case id that is not in the cases sheet; it was not "
                   "read."),
                case_id=case_id[:64], row=row_number))
            continue
        if record:
            _append_item(case.data, CHILD_SHEET_TARGETS[sheet.kind], record)
    return problems


def _append_item(data: dict, target: tuple[str, ...], item: dict) -> None:
    *parents, key = target
    for name in parents:
        data = data.setdefault(name, {})
    data.setdefault(key, []).append(item)


def _map_columns(sheet: Sheet) -> tuple[dict[int, Field], list[Problem]]:
    """Which column holds which field, from the header row. Unknown, repeated
    and unnamed columns are reported once per sheet (not per row); the known
    columns are still read."""
    problems: list[Problem] = []
    aliases = column_aliases(sheet.kind)
    by_path = {field.path: field for field in sheet_columns(sheet.kind)}
    columns: dict[int, Field] = {}
    for index, heading in enumerate(sheet.header):
        name = "" if heading is None else str(heading).strip()
        if not name:
            if any(index < len(cells) and _is_filled(cells[index]) for _, cells in sheet.rows):
                problems.append(sheet.problem(
                    "", N_("Column {column} of sheet '{sheet}' in {file} has values but no header; it was not read."),
                    column=_column_letter(index)))
            continue
        path = aliases.get(normalize_header(name))
        if path is None:
            problems.append(sheet.problem(
                name[:80],
                N_("Unknown column in sheet '{sheet}' of {file}: it matches no field name or label, so it was not "
                   "read. Check the spelling against the template workbook.")))
        elif path in {field.path for field in columns.values()}:
            problems.append(sheet.problem(
                path, N_("Two columns of sheet '{sheet}' in {file} are the same field; only the first one was read.")))
        else:
            columns[index] = by_path[path]
    return columns, problems


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def _is_filled(value: Any) -> bool:
    return _clean_cell(value) is not None


def _row_record(cells: list[Any], columns: dict[int, Field]) -> dict:
    """One row as a nested mapping; empty cells are left out."""
    record: dict = {}
    for index, field in columns.items():
        if index >= len(cells):
            continue
        value = _cell_value(cells[index], field)
        if value is not None:
            _set_path(record, field.path, value)
    return record


def _set_path(record: dict, path: str, value: Any) -> None:
    *parents, key = path.split(".")
    for name in parents:
        record = record.setdefault(name, {})
    record[key] = value


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00(\.0+)?)?$")


def _clean_cell(value: Any) -> Any:
    """A cell as a plain value, or None when it is empty."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)  # Excel stores every number as a float
    if isinstance(value, datetime):
        return value.date()  # every date field is a day; Excel has no date-only type
    if isinstance(value, time):
        return value.isoformat()
    return value


def _cell_value(raw: Any, field: Field) -> Any:
    """A cell converted for its field, or None when it is empty."""
    value = _clean_cell(raw)
    if value is None:
        return None
    if field.kind in ("enum_list", "text_list"):
        items = [part.strip() for part in _as_text(value).split(LIST_SEPARATOR)]
        return [item for item in items if item] or None
    if field.kind == "text" and not isinstance(value, bool) and isinstance(value, (int, float, date)):
        return _as_text(value)  # a licence or postal code the sheet took for a number
    if field.kind == "date" and isinstance(value, str):
        match = _MIDNIGHT.match(value)  # "2026-03-02 00:00:00" from a CSV export
        return match.group(1) if match else value
    return value


def _as_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


# ---------------------------------------------------------------------------
# CSV


def read_csv_cases(path: Path) -> tuple[list[RawCase], list[Problem]]:
    """A cases sheet as CSV, with ``family.csv``, ``evidence.csv`` and
    ``events.csv`` read from the same folder when they are there."""
    kind = path.stem.lower()
    if kind in CHILD_SHEETS:
        raise InputError(str(path), N_("{source} is the {sheet} sheet: give the cases sheet (for example cases.csv) "
                                       "and keep this file beside it."),
                         sheet=kind)
    sheets = {"cases": _read_csv_sheet(path, "cases")}
    for child in CHILD_SHEETS:
        beside = _sibling(path, f"{child}.csv")
        if beside is not None:
            sheets[child] = _read_csv_sheet(beside, child)
    return read_sheets(sheets, str(path))


def _sibling(path: Path, name: str) -> Path | None:
    for candidate in path.parent.iterdir():
        if candidate.is_file() and candidate.name.lower() == name:
            return candidate
    return None


def _read_csv_sheet(path: Path, kind: str) -> Sheet:
    text = _read_text(path, legacy_fallback=True)
    delimiter = _guess_delimiter(text, kind)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise InputError(str(path), N_("Cannot read {source}: it is not a valid CSV file.")) from None
    header, body = _split_header(list(enumerate(rows, start=1)))
    return Sheet(kind, str(path), kind, header, body, in_workbook=False)


def _guess_delimiter(text: str, kind: str) -> str:
    """Comma, or the semicolon that Excel in Spanish uses, or a tab: whichever
    splits the first line into the most known headers."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    aliases = column_aliases(kind)
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = sum(normalize_header(cell) in aliases for cell in header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_header(rows: list[tuple[int, list[Any]]]) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """The header (the first row that is not blank) and the rows below it."""
    for position, (_, cells) in enumerate(rows):
        if any(_is_filled(cell) for cell in cells):
            return list(cells), rows[position + 1:]
    return [], []


# ---------------------------------------------------------------------------
# Excel


def read_workbook(path: Path) -> tuple[list[RawCase], list[Problem]]:
    """A batch workbook: sheet ``cases`` and, when present, ``family``,
    ``evidence`` and ``events``; other sheets (the template's code list) are
    ignored."""
    return read_sheets(_workbook_sheets(path), str(path))


def _workbook_sheets(path: Path) -> dict[str, Sheet]:
    source = str(path)
    # openpyxl warns about workbook features it drops (extensions, styles);
    # they do not matter for reading values, and must not become errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - a damaged file fails in many ways (zip, XML, KeyError…)
            raise InputError(source, N_("Cannot read {source}: it is not a valid Excel workbook (.xlsx).")) from None
        try:
            titles = {title.strip().lower(): title for title in workbook.sheetnames}
            sheets: dict[str, Sheet] = {}
            for kind in SHEETS:
                title = next((titles[name] for name in SHEET_NAMES[kind] if name in titles), None)
                if title is None:
                    continue
                worksheet = workbook[title]
                worksheet.reset_dimensions()  # some writers record a wrong size; read every cell
                rows = [(number, list(cells))
                        for number, cells in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1)]
                header, body = _split_header(rows)
                sheets[kind] = Sheet(kind, source, title, header, body,
                                     empty_formulas=_empty_formulas(path, title, rows))
        except Exception:  # noqa: BLE001 - same: damage inside the archive shows up while reading
            raise InputError(source, N_("Cannot read {source}: it is not a valid Excel workbook (.xlsx).")) from None
        finally:
            workbook.close()
    if "cases" not in sheets:
        raise InputError(source, N_("Cannot read {source}: it has no sheet named 'cases' (or 'casos')."))
    return sheets


def _empty_formulas(path: Path, title: str, values: list[tuple[int, list[Any]]]) -> tuple[str, ...]:
    """Cells holding a formula whose result was never saved (a workbook
    written by a program that does not calculate): openpyxl reads them as
    empty, and an empty cell must not pass for a value silently."""
    if not any(cell is None for _, cells in values for cell in cells):
        return ()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        worksheet = workbook[title]
        worksheet.reset_dimensions()
        found = []
        for (number, cells), formulas in zip(values, worksheet.iter_rows(min_row=1, values_only=True), strict=False):
            for index, formula in enumerate(formulas):
                if isinstance(formula, str) and formula.startswith("=") and \
                        (index >= len(cells) or cells[index] is None):
                    found.append(f"{_column_letter(index)}{number}")
        return tuple(found)
    finally:
        workbook.close()
