"""One source of truth: the documents of a completed interview and those of
`puente generate` on the same case record have the same text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import da_harness as h
from tests import interview_answers as answers
from tests.test_interviews import docx_text

pytestmark = pytest.mark.skipif(not h.docassemble_available(),
                                reason="docassemble.base is not installed (`make test` installs it)")


@pytest.mark.parametrize("name,script", [
    ("asylum.yml", answers.ASYLUM),
    ("main_intake.yml", answers.INTAKE),
    ("derivative_status.yml", answers.DERIVATIVE),
])
def test_interview_and_cli_documents_match(name, script, tmp_path):
    from docassemble.puente.cli import main

    h.boot()
    session = h.Session(name)
    session.run(script, until="documents")
    docs = session.eval("case_documents")
    record = json.loads(Path(docs.extras["case"].path()).read_text(encoding="utf-8"))
    assert (record == json.loads(json.dumps(session.eval("case").record()))
            or record["case_id"] == script["case.case_id"])

    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(case_file), "--out", str(out), "--no-pdf", "--quiet"]) == 0
    cid = record["case_id"]
    assert json.loads((out / cid / "case.json").read_text(encoding="utf-8")) == record

    compared = 0
    for item in docs.items:
        cli_docx = out / cid / item["language"] / f"{item['kind']}.docx"
        assert cli_docx.exists(), f"the CLI did not produce {item['language']}/{item['kind']}.docx"
        assert docx_text(item["docx"].path()) == docx_text(cli_docx), f"{item['kind']} ({item['language']}) differs"
        compared += 1
    made = {p.relative_to(out / cid).as_posix() for p in (out / cid).rglob("*.docx")}
    assert len(made) == compared, "the CLI produced documents the interview did not"
    interview_ics = Path(docs.extras["ics"].path()).read_text(encoding="utf-8")
    assert (out / cid / "deadlines.ics").read_text(encoding="utf-8") == interview_ics
