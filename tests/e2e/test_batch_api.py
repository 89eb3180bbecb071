"""The batch upload interview through the REST API: a real workbook (the
three example cases and one with an impossible date, with Spanish column
labels as a paralegal would have them) is uploaded; the validation report
names the broken row and field in the chosen language; the valid cases are
generated in Celery background tasks, one per part of the batch, which keep
their results in the session's store, encrypted; the ZIP holds the
manifest and the documents."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from tests.test_readers import load_examples, write_workbook

from .conftest import ARTIFACTS, psql, require_interview
from .daclient import Answerer, InterviewError, checkbox_keys, checkboxes, drive, file_numbers, question_text

BATCH = "docassemble.puente:data/questions/batch.yml"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    cases = load_examples()
    # EX-0001 is also the template's fictional example, which the batch
    # leaves out: this office's own copy of that case has its own id.
    cases[0]["case_id"] = "T-0001"
    broken = copy.deepcopy(cases[0])
    broken["case_id"] = "BAD-DATE"
    broken["child"]["entry_date"] = "2026-02-30"
    path = tmp_path_factory.mktemp("batch") / "casos.xlsx"
    return write_workbook(path, cases + [broken])


@pytest.mark.parametrize("lang, words", [
    ("es", {"report": "Informe", "invalid": "con errores", "message": "Fecha no válida",
            "field": "Fecha de ingreso a México"}),
    ("en", {"report": "Report", "invalid": "has errors", "message": "Not a valid date",
            "field": "entry into Mexico"}),
])
def test_batch_upload_background_task_and_zip(api, workbook, lang, words):
    require_interview("batch.yml")
    s = api.new_session(BATCH, lang=lang)
    try:
        q = drive(s, Answerer({}), until=lambda q: q.get("id") == "batch upload", max_steps=5)
    except InterviewError as err:
        pytest.fail(f"batch.yml: {err}", pytrace=False)
    languages = next(f for f in q["fields"] if f.get("variable_name") == "batch_languages")
    keys = checkbox_keys(languages)
    assert set(keys) == {"es", "en"}, keys
    q = s.post_file("batch_upload", workbook, question_name=q["questionName"], extra={
        "batch_report_language": lang,
        "batch_languages": checkboxes("batch_languages", {k: True for k in keys}),
        "batch_upload_screen": True,
    })
    # The file is read in a background task; the page reloads until the report is there.
    if q.get("id") == "batch checking":
        q = s.wait_for(lambda q: q.get("id") != "batch checking", limit=180, every=1)
    assert q.get("id") == "batch report", question_text(q)[:500]
    report = question_text(q)
    assert report.startswith(f"{words['report']}: 3 ") and " 4 " in report, report[:300]
    bad_row = report[report.index("BAD-DATE"):]
    assert words["invalid"] in bad_row and words["field"] in bad_row and words["message"] in bad_row, report
    assert "Ana Lucía" not in report  # the report names cases and fields, never the child

    assert q["continueLabel"] == {"es": "Generar los casos válidos", "en": "Produce the valid cases"}[lang]
    q = s.post({"batch_report_screen": True}, question_name=q["questionName"])
    # The waiting screen reloads while Celery works; then the done screen.
    q = s.wait_for(lambda q: q.get("id") == "batch done", limit=600, every=2)
    done = question_text(q)
    assert re.search(r"\b3\b", done), done[:500]
    links = dict((name, n) for n, name in file_numbers(q))
    zips = [name for name in links if name.endswith(".zip")]
    assert zips, f"no ZIP on the done screen: {links}"
    content = s.file(links[zips[0]]).content
    (ARTIFACTS / "api").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "api" / f"batch-{lang}.zip").write_bytes(content)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(next(n for n in names if n.endswith("manifest.json"))))
        status = {c["case_id"]: c["status"] for c in manifest["cases"]}
        assert status == {"T-0001": "ok", "EX-0002": "ok", "EX-0003": "ok", "BAD-DATE": "error"}
        assert not any("BAD-DATE/" in n for n in names)
        assert all(not n.startswith("/") and ".." not in n.split("/") for n in names), names
        pdf = next(n for n in names if n.endswith("T-0001/es/asylum.pdf"))
        text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(zf.read(pdf))).pages).split())
        assert "ANA LUCÍA PÉREZ LÓPEZ" in text.upper()
        assert "14 de abril de 2026" in text
        assert "{{" not in text and not re.search(r"\b(None|nan)\b", text)
        assert "T-0001/en/asylum.pdf" in names and "EX-0003/es/family_reunification.pdf" in names, names
    # What the parts stored went with them; the one entry left (the ZIP and
    # the counts) is encrypted with the session's key, like its answers.
    rows = psql(f"SELECT encrypted FROM globalobjectstorage "
                f"WHERE key LIKE 'da:uid:{s.session}:%puente-batch:%'").split()
    assert rows == ["t"], rows
