"""Input that is careless or hostile: a value in the wrong column, a YAML
alias bomb, formulas with no saved result, control and text-direction
characters. Each gives a clear message naming the field, never the value
typed, and never hangs or prints a reversed name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml

import docassemble.puente
from docassemble.puente.cli import main
from docassemble.puente.readers import read_inputs
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY
from .docx_text import docx_paragraphs

CODE = Path(docassemble.puente.__file__).resolve().parents[2]


def ana() -> dict:
    return yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))


def test_a_name_in_an_enumerated_field_is_never_echoed(tmp_path, capsys):
    data = ana()
    data["child"]["sex"] = "Lucía Pérez Gómez"
    data["family"][0]["relationship"] = "Marta Gómez"
    src = tmp_path / "case.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--today", TODAY.isoformat()]) == 1
    printed = capsys.readouterr()
    saved = (out / "manifest.json").read_text(encoding="utf-8") + (out / "manifest.csv").read_text(encoding="utf-8")
    for text in (printed.out + printed.err, saved):
        assert "Lucía" not in text and "Gómez" not in text
        assert "child.sex" in text and "F, M, X" in text and "family[0].relationship" in text


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    lines.append("case_id: EX-1\nchild:\n  given_names: *i")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 1000
    env = dict(os.environ, PYTHONPATH=str(CODE))
    run = subprocess.run([sys.executable, "-m", "docassemble.puente.cli", "validate", str(bomb)], env=env,
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 1
    assert "YAML aliases" in run.stderr and "alias de YAML" in run.stderr


def test_a_formula_with_no_saved_result_is_reported(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(["case_id", "child.given_names", "child.family_names"])
    sheet.append(["EX-1", '=UPPER("ana")', "Pérez"])
    path = tmp_path / "cases.xlsx"
    book.save(path)  # openpyxl saves formulas without a result, as some generators do
    cases, problems = read_inputs([path])
    assert len(cases) == 1
    found = [p for p in problems if "B2" in p.message_en]
    assert found and "formula" in found[0].message_en and "fórmula" in found[0].message_es


def test_control_characters_are_removed_with_a_warning():
    data = ana()
    data["child"]["given_names"] = "Ana\x00 Lucía\x0c"
    data["claim"]["narrative"] = "Primera parte.\x0bSegunda\x1b parte."
    case, problems = parse_case(data, today=TODAY)
    assert case is not None
    assert case.child.given_names == "Ana Lucía"
    assert case.claim.narrative == "Primera parte. Segunda parte."
    warned = {p.field for p in problems if p.severity == "warning"}
    assert {"child.given_names", "claim.narrative"} <= warned


def test_text_direction_overrides_are_stripped_from_the_documents(tmp_path):
    data = ana()
    data["child"]["family_names"] = "\u202ezepéP\u202c López"
    src = tmp_path / "case.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY.isoformat()]) == 0
    text = "\n".join(docx_paragraphs(out / "EX-0001" / "es" / "asylum.docx"))
    assert "\u202e" not in text and "\u202c" not in text
    record = json.loads((out / "EX-0001" / "case.json").read_text(encoding="utf-8"))
    assert record["child"]["family_names"] == "zepéP López"
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"][0]
    assert any(w["field"] == "child.family_names" for w in entry["warnings"])
