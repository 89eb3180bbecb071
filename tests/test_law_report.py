"""`puente law-report`: every citation with its state and what uses it."""

from __future__ import annotations

import re

from docassemble.puente.cli import main
from docassemble.puente.law_report import citation_uses, law_report


def test_uses_are_found_in_templates_interviews_code_and_law(law):
    uses = citation_uses(law)
    where = {u.where for u in uses["lfpa_art19"]}
    # the filings cite it for the carta poder, the interview explains it, the checklists ask for it
    assert {"asylum_es.docx", "asylum_en.docx", "coadyuvante_es.docx"} <= where
    assert "ql_representative.yml" in where
    assert "checklists.yml: asylum.documents.asylum_carta_poder" in where
    assert "deadlines.yml: ratification" in {u.where for u in uses["rlsrpcap_art20"]}
    # the urgent measures and petitorios are law data (law/measures.yml), read by the filings
    assert "measures.yml: release_from_detention" in {u.where for u in uses["lm_art99"]}
    assert "arguments.yml: minority_presumption" in {u.where for u in uses["lgdnna_art5_presumption"]}
    assert "rights.yml: findings.trafficking" in {u.where for u in uses["lgdnna_art122"]}


def test_report_groups_by_law_and_states_each_citation(law):
    report = law_report(law)
    assert report.startswith("# Puente law report")
    # grouped by statute, in the order of law/citations.yml
    headings = re.findall(r"^## (\S+) — ", report, re.M)
    assert headings[:2] == ["CPEUM", "CDN"] and "LGDNNA" in headings and "LFPA" in headings
    section = report.split("### `lgdnna_art106` — ", 1)[1].split("\n### ", 1)[0]
    assert section.startswith("LGDNNA art. 106, párr. segundo")
    assert "checked — verified in: LGDNNA, última reforma DOF 24-12-2024" in section
    assert "<https://www.diputados.gob.mx/LeyesBiblio/pdf/LGDNNA.pdf>" in section
    assert "coadyuvante_es.docx" in section and "checklists.yml: asylum.safeguards.safeguard_coadyuvante" in section
    # an unverified citation is flagged with its reason, in its law and in the summary
    cartagena = report.split("### `cartagena` — ", 1)[1].split("\n### ", 1)[0]
    assert "**TO VERIFY**" in cartagena and "third conclusion" in cartagena
    summary = report.split("## To verify", 1)[1].split("\n## ", 1)[0]
    assert sum(1 for line in summary.splitlines() if line.startswith("- `")) == len(law.unchecked())
    assert "None" not in report and "{{" not in report


def test_cli_prints_and_writes_markdown(tmp_path, capsys):
    out = tmp_path / "reports" / "law.md"
    assert main(["law-report", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    written = out.read_text(encoding="utf-8")
    assert printed.strip() == written.strip()
    assert "### `rlsrpcap_art20` — RLSRPCAP art. 20" in written
    assert "<https://rimap.unhcr.org/node/60166>" in written
    assert main(["law-report", "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
