"""The readers: every input format gives the same cases as the YAML examples."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
import yaml

from docassemble.puente import model, validate
from docassemble.puente.readers import RawCase, iter_inputs, read_inputs, sheet_columns
from docassemble.puente.schema import Field

ROOT = Path(__file__).resolve().parent.parent
# The three cases of the project brief; later examples add nothing to the reader tests.
EXAMPLE_FILES = [ROOT / "examples" / name
                 for name in ("ana-asylum.yaml", "luis-derivative.yaml", "rosa-reunification.yaml")]
TODAY = date(2026, 11, 23)
SHEETS = ("cases", "family", "evidence", "events")


# ---------------------------------------------------------------------------
# Helpers: the examples, and writing them as spreadsheets (independently of the
# code under test, so a flattening bug cannot cancel itself out).


def load_examples() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in EXAMPLE_FILES]


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    data = load_examples()
    assert [case["case_id"] for case in data] == ["EX-0001", "EX-0002", "EX-0003"]
    return data


@pytest.fixture(scope="module")
def expected(examples) -> dict[str, dict]:
    return validated([RawCase(str(path), data) for path, data in zip(EXAMPLE_FILES, examples, strict=True)])


def validated(raw_cases: list[RawCase]) -> dict[str, dict]:
    """case_id -> canonical dict of the validated case; every case must be valid."""
    out = {}
    for raw in raw_cases:
        case, problems = validate.parse_case(raw.data, today=TODAY)
        assert case is not None, [p.line() for p in problems]
        out[case.case_id] = model.to_dict(case)
    return out


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """Dotted columns of one record; lists of records are left to their own sheets."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            continue
        elif isinstance(value, list):
            if value:
                out[prefix + key] = ";".join(value)
        else:
            out[prefix + key] = value
    return out


def sheet_rows(cases: list[dict]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {sheet: [] for sheet in SHEETS}
    for case in cases:
        rows["cases"].append(flatten(case))
        children = {
            "family": case.get("family", []),
            "evidence": case.get("evidence", []),
            "events": case.get("claim", {}).get("events", []),
        }
        for sheet, items in children.items():
            rows[sheet] += [{"case_id": case["case_id"], **flatten(item)} for item in items]
    return rows


def field_paths(sheet: str) -> list[str]:
    return [field.path for field in sheet_columns(sheet)]


def by_path(sheet: str) -> dict[str, Field]:
    return {field.path: field for field in sheet_columns(sheet)}


def as_csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv_set(folder: Path, cases: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in sheet_rows(cases).items():
        columns = field_paths(sheet)
        with (folder / f"{sheet}.csv").open("w", newline="", encoding=encoding) as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([as_csv_text(row.get(col)) for col in columns])
    return folder / "cases.csv"


def write_workbook(
    path: Path,
    cases: list[dict],
    *,
    header: Callable[[Field], str] = lambda field: field.path,
    extra: dict[str, list[Any]] | None = None,
    licence_as_number: bool = False,
) -> Path:
    """A batch workbook as a person would fill it: real date cells, real
    booleans, empty cells left empty. ``extra`` adds a column to the cases sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in sheet_rows(cases).items():
        worksheet = workbook.create_sheet(sheet)
        fields = by_path(sheet)
        columns = field_paths(sheet)
        headers = [header(fields[col]) for col in columns]
        if sheet == "cases" and extra:
            headers += list(extra)
        worksheet.append(headers)
        for number, row in enumerate(rows):
            values = [row.get(col) for col in columns]
            if licence_as_number and sheet == "cases" and row.get("representative.professional_license"):
                index = columns.index("representative.professional_license")
                values[index] = float(values[index])  # what Excel does with 12345678
            if sheet == "cases" and extra:
                values += [column[number] for column in extra.values()]
            worksheet.append(values)
    workbook.save(path)
    return path


def walk_values(data: Any):
    if isinstance(data, dict):
        for value in data.values():
            yield from walk_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from walk_values(value)
    else:
        yield data


def assert_clean(raw_cases: list[RawCase]) -> None:
    """No placeholder strings or empty values where a cell was empty."""
    for raw in raw_cases:
        for value in walk_values(raw.data):
            assert value is not None
            assert value not in ("", "nan", "NaN", "None", "none", "null")


# ---------------------------------------------------------------------------
# Round trips


def test_yaml_files(expected):
    cases, problems = read_inputs(EXAMPLE_FILES)
    assert problems == []
    assert [c.source for c in cases] == [str(p) for p in EXAMPLE_FILES]
    assert validated(cases) == expected


def test_yaml_list_and_json_files(tmp_path, examples, expected):
    yaml_list = tmp_path / "all.yml"
    yaml_list.write_text(yaml.safe_dump(examples, allow_unicode=True), encoding="utf-8")
    json_list = tmp_path / "all.json"
    json_list.write_text(json.dumps(examples, default=str, ensure_ascii=False), encoding="utf-8")
    single_json = tmp_path / "one.json"
    single_json.write_text(json.dumps(examples[1], default=str), encoding="utf-8")

    for path in (yaml_list, json_list):
        cases, problems = read_inputs([path])
        assert problems == []
        assert [c.source for c in cases] == [f"{path}, case {n}" for n in (1, 2, 3)]
        assert validated(cases) == expected

    cases, problems = read_inputs([single_json])
    assert problems == []
    assert validated(cases) == {"EX-0002": expected["EX-0002"]}


def test_folder_of_case_files(tmp_path, examples, expected):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "b.yaml").write_text(yaml.safe_dump(examples[0], allow_unicode=True), encoding="utf-8")
    (folder / "a.json").write_text(json.dumps(examples[1], default=str), encoding="utf-8")
    (folder / "c.yml").write_text(yaml.safe_dump(examples[2], allow_unicode=True), encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    (folder / ".hidden.yaml").write_text(": not yaml [", encoding="utf-8")

    cases, problems = read_inputs([folder])
    assert problems == []
    assert [Path(c.source).name for c in cases] == ["a.json", "b.yaml", "c.yml"]  # sorted by name
    assert validated(cases) == expected


def test_a_folder_is_read_file_by_file_as_the_batch_takes_its_cases(tmp_path, examples):
    """iter_inputs (the batch's reader) reads a file only when its cases are
    taken: the first case starts at once and memory stays flat. A file
    changed after the first case was taken is read as changed; a repeated
    id is reported when it is met."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, example in zip(("a.yaml", "b.yaml", "c.yaml"), examples, strict=False):
        (folder / name).write_text(yaml.safe_dump(example, allow_unicode=True), encoding="utf-8")
    problems: list = []
    stream = iter_inputs([folder], problems)
    first = next(stream)
    assert Path(first.source).name == "a.yaml"
    changed = dict(examples[1], case_id="LATER-1")
    (folder / "b.yaml").write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    (folder / "c.yaml").write_text(yaml.safe_dump(examples[0], allow_unicode=True), encoding="utf-8")
    second = next(stream)
    assert second.case_id == "LATER-1" and problems == []
    assert list(stream) == []  # c.yaml repeats a.yaml's id: left out, and reported
    assert len(problems) == 1 and "already used" in problems[0].message_en


def test_folder_with_cases_csv(tmp_path, examples, expected):
    folder = tmp_path / "batch"
    write_csv_set(folder, examples[:2])
    (folder / "extra.yaml").write_text(yaml.safe_dump(examples[2], allow_unicode=True), encoding="utf-8")
    cases, problems = read_inputs([folder])
    assert problems == []
    assert validated(cases) == expected


def test_csv_with_family_evidence_and_events(tmp_path, examples, expected):
    cases_csv = write_csv_set(tmp_path / "csv", examples)
    cases, problems = read_inputs([cases_csv])
    assert problems == []
    assert [c.source for c in cases] == [f"{cases_csv}, row {n}" for n in (2, 3, 4)]
    assert_clean(cases)
    ana = cases[0].data
    assert ana["procedures"] == ["asylum", "coadyuvante"]  # ;-separated cell -> list
    assert ana["representative"]["address"]["city"] == "Tapachula"  # dots -> nesting
    assert len(ana["evidence"]) == 2 and ana["claim"]["events"][0]["date"] == "2026-01-12"
    luis = cases[1].data
    assert luis["family"][0]["refugee_status"]["resolution_number"] == "COMAR/MTY/0456/2025"
    assert validated(cases) == expected


def test_csv_as_saved_by_excel_in_spanish(tmp_path, examples, expected):
    """Spanish-locale Excel writes ';' between columns and the Windows code page."""
    cases_csv = write_csv_set(tmp_path / "csv", examples[1:], delimiter=";", encoding="cp1252")
    cases, problems = read_inputs([cases_csv])
    assert problems == []
    got = validated(cases)
    assert got == {key: expected[key] for key in ("EX-0002", "EX-0003")}
    assert got["EX-0002"]["family"][0]["given_names"] == "Óscar"


def test_xlsx_round_trip(tmp_path, examples, expected):
    book = write_workbook(tmp_path / "cases.xlsx", examples, licence_as_number=True)
    cases, problems = read_inputs([book])
    assert problems == []
    assert [c.source for c in cases] == [f"{book}, sheet cases, row {n}" for n in (2, 3, 4)]
    assert_clean(cases)
    ana = cases[0].data
    assert ana["child"]["date_of_birth"] == date(2010, 5, 14)  # Excel datetime -> date
    assert ana["representative"]["professional_license"] == "12345678"  # 12345678.0 -> text
    assert ana["representative"]["address"]["postal_code"] == "30700"
    assert ana["claim"]["fear_of_return"] is True
    assert ana["child"]["languages"] == ["es"]
    assert validated(cases) == expected


@pytest.mark.parametrize("header", [
    pytest.param(lambda field: field.label_es, id="spanish-labels"),
    pytest.param(lambda field: field.label_en.upper(), id="english-labels-any-case"),
    pytest.param(lambda field: field.header, id="combined-template-header"),
])
def test_xlsx_headers_as_labels(tmp_path, examples, expected, header):
    book = write_workbook(tmp_path / "labels.xlsx", examples, header=header)
    cases, problems = read_inputs([book])
    assert problems == []
    assert validated(cases) == expected


def test_spanish_sheet_names(tmp_path, examples, expected):
    book = write_workbook(tmp_path / "libro.xlsx", examples)
    workbook = openpyxl.load_workbook(book)
    for english, spanish in (("cases", "Casos"), ("family", "familia"), ("evidence", "pruebas"), ("events", "hechos")):
        workbook[english].title = spanish
    workbook.save(book)
    cases, problems = read_inputs([book])
    assert problems == []
    assert validated(cases) == expected


# ---------------------------------------------------------------------------
# Cells


def test_blank_rows_and_empty_cells(tmp_path, examples, expected):
    book = write_workbook(tmp_path / "gaps.xlsx", examples)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["cases"]
    sheet.insert_rows(3, amount=2)  # two blank rows between the first two cases
    sheet.insert_rows(1)  # and one above the header
    sheet["C4"].value = "   "  # a cell with only spaces counts as empty
    workbook.save(book)
    cases, problems = read_inputs([book])
    assert problems == []
    assert [c.source.rsplit("row ", 1)[1] for c in cases] == ["3", "6", "7"]
    assert [c.case_id for c in cases] == ["EX-0001", "EX-0002", "EX-0003"]
    assert_clean(cases)
    assert validated(cases) == expected


def test_numbers_and_dates_from_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "cases"
    sheet.append(["case_id", "child.estimated_age", "child.age_estimated", "child.entry_date",
                  "representative.address.postal_code", "child.identity_documents", "filing_date"])
    sheet.append([1001, 15.0, True, date(2026, 3, 2), 6700, "passport; birth_certificate;", "2026-11-20 00:00:00"])
    workbook.save(tmp_path / "n.xlsx")
    cases, problems = read_inputs([tmp_path / "n.xlsx"])
    assert problems == []
    data = cases[0].data
    assert data["case_id"] == "1001"
    assert data["child"]["estimated_age"] == 15 and isinstance(data["child"]["estimated_age"], int)
    assert data["child"]["age_estimated"] is True
    assert data["child"]["entry_date"] == date(2026, 3, 2)
    assert data["child"]["identity_documents"] == ["passport", "birth_certificate"]
    assert data["filing_date"] == "2026-11-20"


# ---------------------------------------------------------------------------
# Problems


def test_unknown_column_reported_once_and_known_columns_read(tmp_path, examples, expected):
    book = write_workbook(tmp_path / "extra.xlsx", examples,
                          extra={"favourite colour": ["Ana's secret", "x", "y"]})
    cases, problems = read_inputs([book])
    assert len(problems) == 1
    problem = problems[0]
    assert problem.field == "favourite colour"
    assert problem.severity == "error"
    assert "Unknown column" in problem.message_en
    assert "cases" in problem.message_en and str(book) in problem.message_en
    assert "secret" not in problem.line()
    assert validated(cases) == expected  # the known columns are all there


def test_unknown_column_in_csv_family(tmp_path, examples):
    cases_csv = write_csv_set(tmp_path / "csv", examples)
    family_csv = cases_csv.parent / "family.csv"
    rows = list(csv.reader(family_csv.read_text(encoding="utf-8").splitlines()))
    rows[0].append("apodo")
    for row in rows[1:]:
        row.append("Chata")
    with family_csv.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    cases, problems = read_inputs([cases_csv])
    assert [(p.field, p.params["sheet"]) for p in problems] == [("apodo", "family")]
    assert "Chata" not in problems[0].line()
    assert len(cases) == 3


def test_family_row_for_missing_case(tmp_path, examples, expected):
    book = write_workbook(tmp_path / "orphan.xlsx", examples)
    workbook = openpyxl.load_workbook(book)
    family = workbook["family"]
    columns = [cell.value for cell in family[1]]
    orphan = {"case_id": "EX-9999", "given_names": "Carmela", "family_names": "Secreta", "relationship": "mother"}
    family.append([orphan.get(col) for col in columns])  # row 6
    family.append([None if col == "case_id" else orphan.get(col) for col in columns])  # row 7: no case id
    workbook.save(book)

    cases, problems = read_inputs([book])
    assert validated(cases) == expected  # the other rows still attached as before
    assert [(p.case_id, p.field, p.params["sheet"], p.params["row"]) for p in problems] == [
        ("EX-9999", "case_id", "family", 6),
        (str(book), "case_id", "family", 7),
    ]
    for problem in problems:
        assert "Carmela" not in problem.line() and "Secreta" not in problem.line()
        assert "family" in problem.message_es and "family" in problem.message_en


def test_duplicate_case_id_keeps_the_first(tmp_path, examples):
    first, second = dict(examples[0]), json.loads(json.dumps(examples[0], default=str))
    second["child"]["given_names"] = "Otra Persona"
    book = write_workbook(tmp_path / "dup.xlsx", [first, examples[1], second])
    cases, problems = read_inputs([book])
    assert [c.case_id for c in cases] == ["EX-0001", "EX-0002"]
    assert cases[0].data["child"]["given_names"] == "Ana Lucía"
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.case_id, problem.field, problem.severity) == ("EX-0001", "case_id", "error")
    assert "row 4" in problem.message_en and "row 2" in problem.message_en
    assert "Otra" not in problem.line()


def test_duplicate_case_id_across_inputs(tmp_path, examples):
    again = tmp_path / "again.json"
    again.write_text(json.dumps(examples[0], default=str), encoding="utf-8")
    cases, problems = read_inputs([EXAMPLE_FILES[0], again])
    assert [c.source for c in cases] == [str(EXAMPLE_FILES[0])]
    assert [(p.case_id, p.field) for p in problems] == [("EX-0001", "case_id")]


def test_unreadable_inputs_do_not_stop_the_others(tmp_path, examples, expected):
    not_a_zip = tmp_path / "broken.xlsx"
    not_a_zip.write_bytes(b"this is not a workbook")
    bad_zip = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(bad_zip, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("case_id: EX-1\nchild: {given_names: Ana\nclaim: [", encoding="utf-8")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"case_id": "EX-2", "child": {"given_names": "Ana Secreta",}}', encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    odd = tmp_path / "cases.txt"
    odd.write_text("x", encoding="utf-8")

    inputs = [not_a_zip, EXAMPLE_FILES[0], bad_zip, bad_yaml, bad_json, missing, odd, EXAMPLE_FILES[2]]
    cases, problems = read_inputs(inputs)
    assert validated(cases) == {key: expected[key] for key in ("EX-0001", "EX-0003")}
    assert [p.case_id for p in problems] == [str(p) for p in (not_a_zip, bad_zip, bad_yaml, bad_json, missing, odd)]
    assert all(p.severity == "error" for p in problems)
    assert "not a valid Excel workbook" in problems[0].message_en
    assert "line" in problems[2].message_en and "YAML" in problems[2].message_en
    assert "line 1" in problems[3].message_en and "JSON" in problems[3].message_en
    assert "Secreta" not in problems[3].line()
    assert "Cannot find" in problems[4].message_en


def test_workbook_without_cases_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Hoja1"
    workbook.active.append(["case_id"])
    workbook.active.append(["EX-1"])
    workbook.save(tmp_path / "wrong.xlsx")
    cases, problems = read_inputs([tmp_path / "wrong.xlsx"])
    assert cases == []
    assert len(problems) == 1 and "'cases'" in problems[0].message_en


def test_list_items_that_are_not_cases(tmp_path, examples):
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump([examples[0], "Ana Lucía Pérez", [1, 2]], allow_unicode=True), encoding="utf-8")
    cases, problems = read_inputs([path])
    assert [c.case_id for c in cases] == ["EX-0001"]
    assert [p.params["item"] for p in problems] == [2, 3]
    assert all("Ana" not in p.line() for p in problems)


def test_impossible_yaml_date_is_left_to_the_validator(tmp_path, examples):
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8")
    text = text.replace("date_of_birth: 2010-05-14", "date_of_birth: 2010-02-30")
    path = tmp_path / "date.yaml"
    path.write_text(text, encoding="utf-8")
    cases, problems = read_inputs([path])
    assert problems == []
    assert cases[0].data["child"]["date_of_birth"] == "2010-02-30"
    _, invalid = validate.parse_case(cases[0].data, today=TODAY)
    assert [p.field for p in invalid if p.severity == "error"][0] == "child.date_of_birth"
