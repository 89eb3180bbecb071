"""Batch upload files as people (and attackers) make them: the template of
`puente template-sheet` filled in below its example row, a workbook with
hostile case ids and headers, a zip bomb named .xlsx, a workbook of
thousands of rows."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from docassemble.puente.readers import SHEETS, sheet_columns
from docassemble.puente.template_sheet import _write_row, case_rows

ROOT = Path(__file__).resolve().parent.parent


def filled_template(path: Path, cases: list[dict], *, header_extra: str | None = None) -> Path:
    """`puente template-sheet PATH`, then the cases typed in under the
    template's own example row (EX-0001, left as it is), sheet by sheet.
    ``header_extra`` adds an unknown column header to the cases sheet."""
    subprocess.run([sys.executable, "-m", "docassemble.puente.cli", "template-sheet", str(path)],
                   check=True, capture_output=True, cwd=ROOT, timeout=120)
    workbook = openpyxl.load_workbook(path)
    for kind in SHEETS:
        sheet = workbook[kind]
        columns = sheet_columns(kind)
        number = sheet.max_row + 1
        for case in cases:
            for row in case_rows(case).get(kind, []):
                _write_row(sheet, columns, number, row)
                number += 1
        if kind == "cases" and header_extra:
            column = len(columns) + 1
            sheet.cell(row=1, column=column, value=header_extra)
            sheet.cell(row=2, column=column, value="x")
    workbook.save(path)
    return path


def zip_bomb(path: Path, inflated: int = 200 * 1024 * 1024) -> Path:
    """A small file named .xlsx whose worksheet inflates to ``inflated`` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"0" * (1024 * 1024)
            for _ in range(inflated // len(block)):
                fh.write(block)
    return path


def many_rows(path: Path, case: dict, rows: int) -> Path:
    """A workbook whose cases sheet repeats ``case`` ``rows`` times (ids differ)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    columns = sheet_columns("cases")
    sheet.append([field.path for field in columns])
    base = case_rows(case)["cases"][0]
    for n in range(rows):
        row = dict(base, case_id=f"R-{n:05d}")
        sheet.append([row.get(field.path) for field in columns])
    workbook.save(path)
    return path
