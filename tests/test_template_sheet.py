"""The batch template workbook: headers, drop-downs, code list, example row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.utils import get_column_letter

from docassemble.puente import model, validate
from docassemble.puente.readers import read_inputs, sheet_columns
from docassemble.puente.template_sheet import CODES_SHEET, EXAMPLE_CASE, write_template_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILE = ROOT / "examples" / "ana-asylum.yaml"
TODAY = date(2026, 11, 23)
DATA_SHEETS = ("cases", "family", "evidence", "events")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template_workbook(tmp_path_factory.mktemp("template") / "plantilla.xlsx")


@pytest.fixture(scope="module")
def workbook(template):
    book = openpyxl.load_workbook(template)
    yield book
    book.close()


def validations_by_column(worksheet) -> dict[str, object]:
    """Column letter -> the data validation covering rows 2.. of that column."""
    out = {}
    for validation in worksheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row == 1_048_576
            assert cell_range.min_col == cell_range.max_col
            out[get_column_letter(cell_range.min_col)] = validation
    return out


def test_sheets(workbook):
    assert workbook.sheetnames == [*DATA_SHEETS, CODES_SHEET]


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_bilingual_bold_frozen_headers(workbook, sheet):
    worksheet = workbook[sheet]
    columns = sheet_columns(sheet)
    header = [cell for cell in worksheet[1]]
    assert [cell.value for cell in header] == [field.header for field in columns]
    assert header[0].value.startswith("case_id | Clave del caso | Case id")
    assert all(cell.font.bold for cell in header)
    assert worksheet.freeze_panes == "B2"
    for index in range(1, len(columns) + 1):
        width = worksheet.column_dimensions[get_column_letter(index)].width
        assert 14 <= width <= 45
    # Text columns stay text (postal codes, licences); date columns show ISO dates.
    formats = {field.path: worksheet.column_dimensions[get_column_letter(i)].number_format
               for i, field in enumerate(columns, start=1)}
    for field in columns:
        assert formats[field.path] == ("yyyy-mm-dd" if field.kind == "date" else "@")


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_drop_downs_on_enumerated_and_yes_no_columns(workbook, sheet):
    worksheet = workbook[sheet]
    found = validations_by_column(worksheet)
    for index, field in enumerate(sheet_columns(sheet), start=1):
        letter = get_column_letter(index)
        validation = found.get(letter)
        if field.kind == "enum":
            assert validation is not None and validation.type == "list", field.path
            assert validation.formula1 == '"' + ",".join(field.choices) + '"'
            assert validation.showErrorMessage
        elif field.kind == "bool":
            assert validation is not None and validation.type == "list", field.path
            assert validation.formula1 == '"true,false"'
        elif field.kind == "enum_list":
            # A drop-down holds one value: the input message explains ';' instead.
            assert validation is not None and validation.type is None, field.path
            assert validation.showInputMessage and ";" in validation.prompt
            assert all(code in validation.prompt for code in field.choices) or CODES_SHEET in validation.prompt
            note = worksheet.cell(row=1, column=index).comment
            assert note is not None and all(code in note.text for code in field.choices)
        else:
            assert validation is None, field.path
    # Excel refuses longer texts and inline lists.
    for validation in found.values():
        assert len(validation.formula1 or "") <= 255
        assert len(validation.prompt or "") <= 255 and len(validation.promptTitle or "") <= 32
        assert len(validation.error or "") <= 255 and len(validation.errorTitle or "") <= 32


def test_some_known_drop_downs(workbook):
    cases = {field.path: get_column_letter(i) for i, field in enumerate(sheet_columns("cases"), start=1)}
    found = validations_by_column(workbook["cases"])
    assert found[cases["child.sex"]].formula1 == '"F,M,X"'
    assert found[cases["authority.ppnna"]].formula1 == '"federal,estatal"'
    family = {field.path: get_column_letter(i) for i, field in enumerate(sheet_columns("family"), start=1)}
    relationship = validations_by_column(workbook["family"])[family["relationship"]]
    assert "grandparent" in relationship.formula1 and "legal_guardian" in relationship.formula1


def test_codes_sheet_lists_every_enumerated_field(workbook):
    rows = list(workbook[CODES_SHEET].iter_rows(min_row=2, values_only=True))
    listed: dict[tuple[str, str], list[str]] = {}
    for sheet, path, _label_es, _label_en, code, _ in rows:
        listed.setdefault((sheet, path), []).append(code)
    expected = {(sheet, field.path): list(field.choices)
                for sheet in DATA_SHEETS for field in sheet_columns(sheet)
                if field.kind in ("enum", "enum_list")}
    assert listed == expected
    assert ("cases", "claim.grounds") in listed and "sur_place" in listed[("cases", "claim.grounds")]


def test_example_rows(workbook):
    cases = workbook["cases"]
    columns = [field.path for field in sheet_columns("cases")]
    row = dict(zip(columns, (cell.value for cell in cases[2]), strict=False))
    assert row["case_id"] == "EX-0001"
    assert row["procedures"] == "asylum;coadyuvante"
    assert row["claim.grounds"] == "particular_social_group;gender"
    assert row["representative.professional_license"] == "12345678"  # text, not a number
    assert row["claim.fear_of_return"] == "true"
    assert cases.max_row == 2
    assert [c.value for c in workbook["family"][2]][:4] == ["EX-0001", "Carmen", "López Juárez", "grandparent"]
    assert workbook["evidence"].max_row == 3
    assert workbook["events"].max_row == 2


def test_example_row_reads_back_as_the_valid_example_case(template):
    cases, problems = read_inputs([template])
    assert problems == []
    assert len(cases) == 1 and cases[0].source == f"{template}, sheet cases, row 2"
    case, case_problems = validate.parse_case(cases[0].data, today=TODAY)
    assert case is not None, [p.line() for p in case_problems]
    assert case_problems == []
    reference, _ = validate.parse_case(yaml.safe_load(EXAMPLE_FILE.read_text(encoding="utf-8")), today=TODAY)
    assert model.to_dict(case) == model.to_dict(reference)
    assert len(case.family) == 1 and len(case.evidence) == 2 and len(case.claim.events) == 1


def test_example_constant_matches_the_example_file():
    from_file = yaml.safe_load(EXAMPLE_FILE.read_text(encoding="utf-8"))
    assert EXAMPLE_CASE == from_file


def test_empty_template(tmp_path):
    path = write_template_workbook(tmp_path / "empty.xlsx", example=None)
    book = openpyxl.load_workbook(path)
    assert all(book[sheet].max_row == 1 for sheet in DATA_SHEETS)
    assert book["cases"].data_validations.dataValidation  # the drop-downs are still there
    book.close()
    cases, problems = read_inputs([path])
    assert cases == [] and len(problems) == 1 and "no case" in problems[0].message_en
