"""The batch workbook template (``puente template-sheet FILE.xlsx``).

Sheets ``cases``, ``family``, ``evidence`` and ``events`` with the headers the
readers accept (``path | Etiqueta | Label``), drop-down lists on every
enumerated and yes/no column, a note on every column that takes several
``;``-separated values, one filled example case (the fictional EX-0001 of
``examples/ana-asylum.yaml``) and a ``listas`` sheet with every allowed code.

The columns come from ``readers.sheet_columns`` (itself ``schema.py``), so the
template and the reader cannot disagree about a header.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .i18n import N_, translate
from .readers import CHILD_SHEET_TARGETS, LIST_SEPARATOR, SHEETS, sheet_columns
from .schema import Field

CODES_SHEET = "listas"
LAST_ROW = 1_048_576  # Excel's last row: drop-downs cover every row a person may fill
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"  # keeps "30700" or "12345678" as text instead of a number
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
BOOL_CHOICES = ("true", "false")
# Excel refuses a workbook whose validation texts exceed these lengths.
MAX_PROMPT_TITLE = 32
MAX_PROMPT = 255
MAX_LIST_FORMULA = 255

# The example row: the fictional case of examples/ana-asylum.yaml (a test
# checks that the two stay the same).
EXAMPLE_CASE: dict[str, Any] = {
    "case_id": "EX-0001",
    "procedures": ["asylum", "coadyuvante"],
    "output_languages": ["es", "en"],
    "filing_date": date(2026, 4, 20),
    "filing_city": "Tapachula",
    "filing_state": "Chiapas",
    "authority": {"comar_office": "Tapachula", "ppnna": "estatal", "ppnna_state": "Chiapas", "inm_office": "Tapachula"},
    "child": {
        "given_names": "Ana Lucía",
        "family_names": "Pérez López",
        "date_of_birth": date(2010, 5, 14),
        "sex": "F",
        "nationality": "GT",
        "country_of_birth": "GT",
        "languages": ["es"],
        "needs_interpreter": False,
        "accompaniment": "unaccompanied",
        "entry_date": date(2026, 3, 2),
        "entry_place": "Ciudad Hidalgo, Chiapas",
        "route": "Huehuetenango → La Mesilla → Ciudad Hidalgo",
        "placement": {"type": "dif_cas", "name": "CAS Tapachula", "city": "Tapachula", "state": "Chiapas"},
        "identity_documents": ["birth_certificate"],
    },
    "claim": {
        "grounds": ["particular_social_group", "gender"],
        "persecutors": "Integrantes del Barrio 18 en su colonia",
        "narrative": (
            "Ana Lucía relata que desde 2025 integrantes de la pandilla la acosaban a la salida de la escuela\n"
            "y exigieron a su abuela una \"renta\" mensual. En enero de 2026 amenazaron con llevársela si la familia "
            "no pagaba.\n"
        ),
        "events": [
            {"date": date(2026, 1, 12), "place": "Huehuetenango", "description": "Amenaza directa frente a la escuela"},
        ],
        "fear_of_return": True,
        "persecutor_kind": "gang",
        "social_group": ("niñas adolescentes guatemaltecas cuyas familias se niegan a pagar la «renta» que exige la "
                         "pandilla que controla su colonia"),
        "state_protection": {"sought": True, "authority": "Policía Nacional Civil", "date": date(2026, 1, 12),
                             "outcome": "no_response"},
        "narrative_en": (
            "Ana Lucía says that from 2025 gang members harassed her on her way out of school\n"
            "and demanded a monthly \"rent\" from her grandmother. In January 2026 they threatened to take her if "
            "the family did not pay.\n"
        ),
        "late_filing_reasons": ["no_information"],
        "late_filing_explanation": "Nadie le informó de su derecho a solicitar refugio hasta que llegó al CAS.",
    },
    "family": [
        {"given_names": "Carmen", "family_names": "López Juárez", "relationship": "grandparent", "sex": "F",
         "nationality": "GT",
         "location_country": "GT", "location_city": "Huehuetenango", "in_mexico": False},
    ],
    "representative": {
        "given_names": "Laura",
        "family_names": "Gómez Ruiz",
        "sex": "F",
        "organization": "Clínica Jurídica Frontera",
        "professional_license": "12345678",
        "email": "laura@example.org",
        "phone": "+52 962 000 0000",
        "address": {"street": "Av. Central Norte 10", "city": "Tapachula", "state": "Chiapas", "postal_code": "30700"},
        "authorized_persons": ["Pedro Sánchez Díaz"],
    },
    "coadyuvante": {"notified_date": date(2026, 3, 3), "expediente": "PPNNA/CHIS/0123/2026", "child_heard": False},
    "screening": {"trafficking_indicators": []},
    "child_views": "Quiere quedarse en México y seguir estudiando.",
    "evidence": [
        {"description": "Acta de nacimiento", "available": True},
        {"description": "Fotografías de las amenazas recibidas", "available": False},
    ],
}


def is_template_example(raw: Any) -> bool:
    """Whether a row read from a sheet is the template's own example case
    (the fictional EX-0001, names unchanged): a paralegal who fills the
    template under it must not get the example generated as a real case."""
    data = getattr(raw, "data", None)
    if not isinstance(data, dict) or ", row " not in str(getattr(raw, "source", "")):
        return False
    given = data.get("child")
    child = given if isinstance(given, dict) else {}
    example = EXAMPLE_CASE["child"]
    return (str(data.get("case_id", "")).strip() == EXAMPLE_CASE["case_id"]
            and str(child.get("given_names", "")).strip() == example["given_names"]
            and str(child.get("family_names", "")).strip() == example["family_names"])


def write_template_workbook(path: str | Path, example: dict[str, Any] | None = EXAMPLE_CASE) -> Path:
    """Write the batch template to ``path``; ``example=None`` leaves the data rows empty."""
    path = Path(path)
    workbook = Workbook()
    data_sheets = [workbook.active] + [workbook.create_sheet() for _ in SHEETS[1:]]
    for worksheet, kind in zip(data_sheets, SHEETS, strict=True):
        worksheet.title = kind
    codes = workbook.create_sheet(CODES_SHEET)
    code_ranges = _write_codes_sheet(codes)

    rows = case_rows(example) if example else {}
    for worksheet, kind in zip(data_sheets, SHEETS, strict=True):
        columns = sheet_columns(kind)
        _write_header(worksheet, columns)
        _add_validations(worksheet, columns, code_ranges)
        for number, row in enumerate(rows.get(kind, []), start=2):
            _write_row(worksheet, columns, number, row)
    workbook.save(path)
    return path


# ---------------------------------------------------------------------------
# Flattening a case into sheet rows


def case_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One case as spreadsheet rows: sheet -> rows, each row column path -> cell
    value (lists joined with ``;``, yes/no as ``true``/``false``)."""
    rows: dict[str, list[dict[str, Any]]] = {"cases": [_flat_row(data, sheet_columns("cases"))]}
    case_id = data.get("case_id")
    for kind, target in CHILD_SHEET_TARGETS.items():
        items = _lookup(data, target) or []
        columns = [field for field in sheet_columns(kind) if field.path != "case_id"]
        rows[kind] = [{"case_id": case_id, **_flat_row(item, columns)} for item in items]
    return rows


def _lookup(data: Any, path: tuple[str, ...] | list[str]) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _flat_row(data: dict[str, Any], columns: tuple[Field, ...] | list[Field]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in columns:
        value = _cell(_lookup(data, field.path.split(".")))
        if value is not None:
            row[field.path] = value
    return row


def _cell(value: Any) -> Any:
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"  # the text of the drop-down
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


# ---------------------------------------------------------------------------
# Sheets


def _both(message: str, **params: Any) -> str:
    """Spanish / English, for text written into the workbook itself."""
    spanish, english = translate(message, "es", **params), translate(message, "en", **params)
    return english if spanish == english else f"{spanish} / {english}"


def _write_header(worksheet: Worksheet, columns: tuple[Field, ...]) -> None:
    for index, field in enumerate(columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=field.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if field.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = _column_note(field)
        if note:
            cell.comment = Comment(note, "Puente", width=320, height=160)
        letter = get_column_letter(index)
        dimension = worksheet.column_dimensions[letter]
        # Wide enough for the field name; the labels wrap below it.
        dimension.width = min(max(len(field.path), len(field.label_es) // 2, 14) + 3, 42)
        dimension.number_format = DATE_FORMAT if field.kind == "date" else TEXT_FORMAT
    worksheet.row_dimensions[1].height = 60
    worksheet.freeze_panes = "B2"  # header row and the case_id column stay visible


def _column_note(field: Field) -> str | None:
    if field.kind == "enum_list":
        return _both(N_("Several values are allowed: separate them with ; (for example {example}). Allowed codes: "
                        "{codes}."),
                     example=LIST_SEPARATOR.join(field.choices[:2]), codes=", ".join(field.choices))
    if field.kind == "text_list":
        return _both(N_("Several values are allowed: separate them with ;."))
    if field.kind == "date":
        return _both(N_("Date as YYYY-MM-DD (for example 2026-03-02)."))
    return None


def _write_row(worksheet: Worksheet, columns: tuple[Field, ...], number: int, row: dict[str, Any]) -> None:
    for index, field in enumerate(columns, start=1):
        value = row.get(field.path)
        if value is None:
            continue
        cell = worksheet.cell(row=number, column=index, value=value)
        cell.number_format = DATE_FORMAT if isinstance(value, date) else TEXT_FORMAT
        if isinstance(value, str) and "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_codes_sheet(worksheet: Worksheet) -> dict[tuple[str, str], str]:
    """One row per allowed code of every enumerated field; returns the cell
    range of each field's codes, for drop-downs too long to write inline."""
    headers = (
        _both(N_("Sheet")), _both(N_("Field")), "Etiqueta", "Label", _both(N_("Code")),
        _both(N_("How many")),
    )
    for index, text in enumerate(headers, start=1):
        cell = worksheet.cell(row=1, column=index, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ranges: dict[tuple[str, str], str] = {}
    number = 2
    for kind in SHEETS:
        for field in sheet_columns(kind):
            if field.kind not in ("enum", "enum_list"):
                continue
            how_many = _both(N_("one")) if field.kind == "enum" else _both(N_("one or more, separated by ;"))
            first = number
            for code in field.choices:
                worksheet.append([kind, field.path, field.label_es, field.label_en, code, how_many])
                number += 1
            ranges[(kind, field.path)] = f"{quote_sheetname(CODES_SHEET)}!$E${first}:$E${number - 1}"
    for letter, width in zip("ABCDEF", (12, 34, 40, 34, 34, 30), strict=True):
        worksheet.column_dimensions[letter].width = width
    worksheet.freeze_panes = "A2"
    return ranges


def _add_validations(worksheet: Worksheet, columns: tuple[Field, ...], code_ranges: dict[tuple[str, str], str]) -> None:
    for index, field in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        if field.kind in ("enum", "bool"):
            choices = field.choices if field.kind == "enum" else BOOL_CHOICES
            inline = '"' + ",".join(choices) + '"'
            formula = inline if len(inline) <= MAX_LIST_FORMULA else code_ranges[(worksheet.title, field.path)]
            validation = DataValidation(
                type="list", formula1=formula, allow_blank=True,
                showErrorMessage=True, errorStyle="stop",
                errorTitle=_fit(_both(N_("Not in the list")), MAX_PROMPT_TITLE),
                error=_fit(_both(N_("Choose a value from the list (sheet {sheet})."), sheet=CODES_SHEET), MAX_PROMPT),
            )
        elif field.kind == "enum_list":
            codes = ", ".join(field.choices)
            prompt = _both(N_("Codes separated by ;: {codes}"), codes=codes)
            if len(prompt) > MAX_PROMPT:
                prompt = _both(N_("Codes separated by ; (see sheet {sheet})."), sheet=CODES_SHEET)
            # No type: any text is accepted, the message only explains the format.
            validation = DataValidation(
                allow_blank=True, showInputMessage=True,
                promptTitle=_fit(_both(N_("Several values")), MAX_PROMPT_TITLE),
                prompt=_fit(prompt, MAX_PROMPT),
            )
        else:
            continue
        validation.add(cells)
        worksheet.add_data_validation(validation)


def _fit(text: str, limit: int) -> str:
    """Excel rejects a workbook with longer validation texts: keep the Spanish
    half (the language of the filings), then cut."""
    if len(text) <= limit:
        return text
    return text.split(" / ", 1)[0][:limit]
