"""The batch command end to end: real readers, real templates, real
LibreOffice, real manifest. Two broken cases sit among the examples."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
import yaml
from pypdf import PdfReader

from docassemble.puente.cli import main

from .conftest import EXAMPLES, needs_soffice

pytestmark = [pytest.mark.pdf, needs_soffice()]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """examples/ + a case with a bad entry date + an adult: run once."""
    src = tmp_path_factory.mktemp("in")
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, src / path.name)
    broken = yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))
    broken["case_id"] = "BAD-DATE"
    broken["child"]["entry_date"] = "2026-02-30"
    (src / "bad-date.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    adult = yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))
    adult["case_id"] = "ADULT"
    adult["child"]["date_of_birth"] = "2007-01-01"
    (src / "adult.yaml").write_text(yaml.safe_dump(adult, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    code = main(["batch", str(src), "--out", str(out), "--jobs", "2", "--today", "2026-11-23", "--quiet"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return code, out, {c["case_id"]: c for c in manifest["cases"]}, manifest


def test_exit_code_is_1_when_any_case_failed(batch):
    code, *_ = batch
    assert code == 1


def test_manifest_status(batch):
    _, out, cases, manifest = batch
    statuses = {cid: c["status"] for cid, c in cases.items()}
    assert statuses.pop("BAD-DATE") == "error" and statuses.pop("ADULT") == "error"
    assert len(statuses) == len(list(EXAMPLES.glob("*.yaml"))) >= 3
    assert set(statuses.values()) == {"ok"}, statuses
    assert manifest["version"] == "0.1.0"
    assert manifest["calendar"]["name"] == "LFPA art. 28"
    bad = cases["BAD-DATE"]["errors"]
    assert bad[0]["field"] == "child.entry_date"
    assert bad[0]["message_es"].startswith("Fecha no válida") and bad[0]["message_en"].startswith("Not a valid date")
    assert cases["ADULT"]["errors"][0]["field"] == "child.date_of_birth"


def test_broken_cases_leave_no_files(batch):
    _, out, cases, _ = batch
    assert not (out / "BAD-DATE").exists()
    assert not (out / "ADULT").exists()
    assert cases["BAD-DATE"]["documents"] == []
    assert not (out / ".staging").exists()


def test_layout_of_a_good_case(batch):
    _, out, cases, _ = batch
    case_dir = out / "EX-0001"
    for rel in ("case.json", "deadlines.ics", "es/asylum.docx", "es/asylum.pdf", "en/asylum.docx",
                "en/asylum.pdf", "es/checklist.pdf", "en/checklist.pdf", "packet.es.pdf"):
        assert (case_dir / rel).is_file(), rel
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    assert record["child"]["given_names"] == "Ana Lucía"
    assert record["filing_date"] == "2026-04-20"


def test_manifest_deadlines_and_flags(batch):
    _, _, cases, _ = batch
    ana = cases["EX-0001"]
    filing = next(d for d in ana["deadlines"] if d["id"] == "asylum_filing")
    assert filing == {**filing, "date": "2026-04-14", "basis": "LSRPCAP art. 18", "from": "2026-03-02",
                      "working_days": 30, "status": "past", "working_days_late": 4}
    assert "late_filing" in ana["flags"] and "child_not_heard" in ana["flags"]
    assert "under_12" in cases["EX-0002"]["flags"]


def test_manifest_documents_point_at_real_files(batch):
    _, out, cases, _ = batch
    docs = cases["EX-0001"]["documents"]
    kinds = {(d["kind"], d["language"]) for d in docs}
    assert {("asylum", "es"), ("asylum", "en"), ("checklist", "es"), ("checklist", "en")} <= kinds
    for d in docs:
        pdf = out / d["pdf"]
        assert pdf.is_file() and (out / d["docx"]).is_file()
        assert d["pages"] == len(PdfReader(str(pdf)).pages) >= 1
        assert len(d["sha256"]) == 64


def test_manifest_csv(batch):
    _, out, _, _ = batch
    with (out / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_id = {r["case_id"]: r for r in rows}
    assert by_id["EX-0001"]["asylum_filing_deadline"] == "2026-04-14"
    assert by_id["EX-0001"]["working_days_late"] == "4"
    assert by_id["BAD-DATE"]["status"] == "error" and "child.entry_date" in by_id["BAD-DATE"]["errors_en"]


def test_asylum_pdf_text(batch):
    _, out, _, _ = batch
    es = "\n".join(p.extract_text() for p in PdfReader(str(out / "EX-0001/es/asylum.pdf")).pages)
    en = "\n".join(p.extract_text() for p in PdfReader(str(out / "EX-0001/en/asylum.pdf")).pages)
    flat_es, flat_en = " ".join(es.split()), " ".join(en.split())
    assert "ANA LUCÍA PÉREZ LÓPEZ" in flat_es or "Ana Lucía Pérez López" in flat_es
    assert "COMISIÓN MEXICANA DE AYUDA A REFUGIADOS" in flat_es
    assert "14 de abril de 2026" in flat_es
    assert "artículo 18 de la Ley sobre Refugiados" in flat_es
    assert "April 14, 2026" in flat_en and "Courtesy translation" in flat_en
    for text in (flat_es, flat_en):
        assert "{{" not in text and "{%" not in text
        assert not re.search(r"\b(None|nan|NaN)\b", text)


def test_packet(batch):
    _, out, _, _ = batch
    reader = PdfReader(str(out / "EX-0001/packet.es.pdf"))
    # EX-0001 files asylum and coadyuvante: the index, then both filings and the carta poder (Anexo 1)
    filing_pages = sum(len(PdfReader(str(out / f"EX-0001/es/{kind}.pdf")).pages)
                       for kind in ("asylum", "coadyuvante", "carta_poder"))
    assert len(reader.pages) == 1 + filing_pages
    index = reader.pages[0].extract_text()
    assert "ÍNDICE" in index and "EX-0001" in index
    assert "Acta de nacimiento" in index  # the annex list
    last = reader.pages[-1].extract_text()
    assert f"Página {len(reader.pages)} de {len(reader.pages)}" in last
    assert reader.metadata.title == "Paquete de escritos — EX-0001"
    assert reader.trailer["/Root"]["/Lang"] == "es-MX"
    assert "Ana" not in (reader.metadata.title or "")


def test_ics_is_written(batch):
    _, out, _, _ = batch
    ics = (out / "EX-0001/deadlines.ics").read_text(encoding="utf-8")
    assert "DTSTART;VALUE=DATE:20260414" in ics
    assert "Ana" not in ics and "Pérez" not in ics


def test_a_rerun_that_fails_removes_the_old_output(tmp_path):
    case = yaml.safe_load((EXAMPLES / "luis-derivative.yaml").read_text(encoding="utf-8"))
    src = tmp_path / "case.yaml"
    src.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", "2026-11-23"]) == 0
    assert (out / "EX-0002" / "case.json").exists()
    case["child"]["date_of_birth"] = "1990-01-01"
    src.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", "2026-11-23"]) == 1
    assert not (out / "EX-0002").exists()


def test_logs_and_stderr_never_name_the_child(tmp_path, capfd):
    src = tmp_path / "in"
    src.mkdir()
    broken = yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))
    broken["child"]["entry_date"] = "mañana"
    (src / "c.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    main(["batch", str(src), "--out", str(tmp_path / "out"), "--no-pdf", "--today", "2026-11-23"])
    captured = capfd.readouterr()
    both = captured.out + captured.err
    assert "EX-0001" in both and "child.entry_date" in both
    assert "Ana" not in both and "Pérez" not in both and "pandilla" not in both


def test_unoserver_unreachable_falls_back_to_soffice(tmp_path, monkeypatch):
    """On a server PUENTE_UNOSERVER names the running LibreOffice; when it is
    down the documents are still converted."""
    monkeypatch.setenv("PUENTE_UNOSERVER", "127.0.0.1:1")  # nothing listens there
    out = tmp_path / "out"
    assert main(["generate", str(EXAMPLES / "luis-derivative.yaml"), "--out", str(out), "--quiet",
                 "--today", "2026-11-23", "--lang", "es"]) == 0
    assert (out / "EX-0002" / "es" / "derivative_status.pdf").is_file()
