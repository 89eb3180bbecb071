"""The docassemble interviews, run in-process with docassemble.base (no server).

Each procedure interview is driven screen by screen with scripted answers, in
Spanish and in English, to its documents screen; the documents it produced are
opened and read. See tests/da_harness.py for what the harness imitates of a
server. The server end-to-end tests (browser, real sessions) are separate.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from docassemble.puente import da as puente_da
from docassemble.puente.board import case_rows, deadline_rows
from docassemble.puente.documents.docx_text import paragraphs
from docassemble.puente.documents.phrases import initials
from tests import da_harness as h
from tests import interview_answers as answers

pytestmark = pytest.mark.skipif(not h.docassemble_available(),
                                reason="docassemble.base is not installed (`make test` installs it)")

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = {
    "asylum.yml": ("asylum", answers.ASYLUM),
    "coadyuvante.yml": ("coadyuvante", answers.COADYUVANTE),
    "family_reunification.yml": ("family_reunification", answers.REUNIFICATION),
    "derivative_status.yml": ("derivative_status", answers.DERIVATIVE),
    "review_appeal.yml": ("review_appeal", answers.REVIEW_APPEAL),
    "carta_poder.yml": ("carta_poder", answers.CARTA_PODER),
}


@pytest.fixture(scope="module", autouse=True)
def booted():
    h.boot()


def docx_text(path: str | Path) -> str:
    return "\n".join(paragraphs(path, headers=False))


def run_to_documents(name: str, script: dict, lang: str) -> tuple[h.Session, list[str]]:
    session, pages = h.run_rendering(name, script, "documents", lang=lang)
    return session, pages


# ---------------------------------------------------------------------------
# Every file parses and loads


@pytest.mark.parametrize("name", h.entry_interviews())
def test_interview_loads(name):
    interview = h.load_interview(name)
    assert interview.success
    ids = [getattr(q, "id", None) for q in interview.questions_list if q.question_type not in ("code", "template")]
    assert ids


def _blocks(path: Path) -> list[dict]:
    return [b for b in yaml.safe_load_all(path.read_text(encoding="utf-8")) if b]


AGGREGATOR = "puente.yml"  # what every case interview includes (like Assembly Line's assembly_line.yml)


@pytest.mark.parametrize("path", sorted((ROOT / "interviews").glob("*.yml")), ids=lambda p: p.name)
def test_assembly_line_conventions(path):
    """An `id` on every question; one `mandatory` block per entry file and
    none in libraries; entry files list their includes first."""
    blocks = _blocks(path)
    for block in blocks:
        if "question" in block:
            assert block.get("id"), f"{path.name}: a question without id: {str(block['question'])[:40]!r}"
    mandatory = [b for b in blocks if b.get("mandatory")]
    if path.name.startswith(("ql_", "logic_", "documents_")) or path.name == AGGREGATOR:
        assert not mandatory, f"{path.name} is a library and must not have a mandatory block"
    else:
        assert len(mandatory) == 1, f"{path.name} needs exactly one mandatory block"
        assert "include" in blocks[0], f"{path.name}: list the `include:` files first"
        assert blocks[0]["include"][0] in (AGGREGATOR, "ql_baseline.yml")


def test_case_interviews_include_the_one_aggregator():
    """Every interview about a case includes puente.yml and nothing else, so a
    new question library is added in one place; puente.yml starts with the
    baseline and lists every library of the folder."""
    libraries = _blocks(ROOT / "interviews" / AGGREGATOR)[0]["include"]
    assert libraries[0] == "ql_baseline.yml"
    files = sorted(p.name for p in (ROOT / "interviews").glob("*.yml"))
    on_disk = {name for name in files if name.startswith(("ql_", "logic_", "documents_"))}
    assert set(libraries) == on_disk, f"add the missing libraries to interviews/{AGGREGATOR}"
    entries = [name for name in files if name not in on_disk and name != AGGREGATOR]
    assert {*PROCEDURES, "main_intake.yml"} <= set(entries)
    for name in entries:
        if name not in ("batch.yml", "board.yml"):  # the batch and the board have no case: only the baseline
            assert _blocks(ROOT / "interviews" / name)[0]["include"] == [AGGREGATOR], \
                f"interviews/{name}: include only {AGGREGATOR} (`include:\n  - {AGGREGATOR}`)"


def test_ids_are_unique():
    seen: dict[str, str] = {}
    for path in sorted((ROOT / "interviews").glob("*.yml")):
        for block in _blocks(path):
            if block.get("id"):
                assert block["id"] not in seen, f"id {block['id']!r} in {path.name} and {seen[block['id']]}"
                seen[block["id"]] = path.name


def test_dayamlchecker_reports_nothing():
    checker = shutil.which("dayamlchecker") or str(Path(sys.executable).parent / "dayamlchecker")
    if not Path(checker).exists():
        pytest.skip("dayamlchecker is not installed (`make test` installs it)")
    done = subprocess.run([checker, "--no-url-check", str(ROOT / "interviews")],
                          capture_output=True, text=True, timeout=300)
    report = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, report
    assert not re.search(r"\b(error|warning)\b", report, re.IGNORECASE) or "0 error" in report.lower(), report


# ---------------------------------------------------------------------------
# Each procedure, from its first screen to the documents, in both languages


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("name", list(PROCEDURES))
def test_procedure_reaches_documents(name, lang):
    procedure, script = PROCEDURES[name]
    recorder = h.record_words("es")
    recorder.missing.clear()
    session, pages = run_to_documents(name, script, lang)
    screens = [s.id for s in session.history]
    assert "child views" in screens, "every procedure asks what the child wants"
    assert "screening" in screens
    docs = session.eval("case_documents")
    assert docs.status == "ok", docs.problems
    kinds = docs.kinds()
    assert "checklist" in kinds
    from docassemble.puente.documents.render import template_file

    if template_file(procedure, "es").exists():
        assert procedure in kinds
    for item in docs.items:
        assert Path(item["docx"].path()).stat().st_size > 0
    # The screen lists the documents and the deadlines in the chosen language.
    last = session.history[-1]
    assert ("Documento" if lang == "es" else "Document") in last.subquestion
    assert ("Plazos" if lang == "es" else "Deadlines") in last.subquestion
    assert "EX-000" in pages[-1]
    if lang == "es":
        assert not recorder.missing, f"docassemble phrases with no Spanish: {sorted(recorder.missing)}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_asylum_documents_carry_the_case(lang):
    session, _ = run_to_documents("asylum.yml", answers.ASYLUM, lang)
    docs = session.eval("case_documents")
    for doc_lang in ("es", "en"):
        text = docx_text(docs.by_kind("asylum", doc_lang)["docx"].path())
        assert "Ana Lucía" in text and "Pérez López" in text
        assert "Laura" in text
    spanish = docx_text(docs.by_kind("asylum", "es")["docx"].path())
    assert "Huehuetenango" in spanish or "pandilla" in spanish
    ics = Path(docs.extras["ics"].path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics
    with zipfile.ZipFile(docs.extras["zip"].path()) as zf:
        names = zf.namelist()
    assert "manifest.json" in names and "EX-0001/case.json" in names
    assert "EX-0001/es/asylum.docx" in names



def test_other_names_reach_the_record_but_no_filing():
    """Nicknames and other spellings are asked on the child's screen, one per
    line, and kept in the record for the public version; no filing prints them."""
    session, _ = run_to_documents("asylum.yml", answers.ASYLUM, "es")
    assert session.eval("case").record()["child"]["other_names"] == ["Anita", "Ana Lucia Perez"]
    docs = session.eval("case_documents")
    for doc_lang in ("es", "en"):
        text = docx_text(docs.by_kind("asylum", doc_lang)["docx"].path())
        assert "Anita" not in text and "Ana Lucia Perez" not in text


def test_intake_recommends_and_continues():
    session = h.Session("main_intake.yml")
    screen = session.run(answers.INTAKE, until="intake choice")
    assert "Solicitud de reconocimiento de la condición de refugiado" in screen.subquestion
    assert "teme regresar" in screen.subquestion
    assert "LSRPCAP art. 13" in screen.subquestion  # the legal basis comes from the law data
    assert "representación coadyuvante" in screen.subquestion
    defaults = [c["key"] for c in screen.status.selectcompute[screen.fields[0]["field"].number] if c.get("default")]
    assert defaults == ["asylum", "coadyuvante"]
    screen = session.run(answers.INTAKE, until="documents")
    assert session.eval("case.procedures") == ["asylum", "coadyuvante"]
    assert {"asylum", "coadyuvante"} <= set(session.eval("case_documents").kinds())


def test_intake_recommends_derivative_status_for_a_refugee_parent():
    script = {**answers.DERIVATIVE, "intake_fear": False, "intake_relative_refugee": True,
              "intake_child_refugee": False, "intake_procedures": ["derivative_status"],
              "case.after_filing_stage": "not_filed"}
    session = h.Session("main_intake.yml", url_args={"lang": "en"})
    screen = session.run(script, until="intake choice")
    assert "derivative refugee status" in screen.subquestion
    assert "LSRPCAP art. 12" in screen.subquestion


# ---------------------------------------------------------------------------
# The claim the filings argue (facts.own_claim_argued), and the review screen


def test_derivative_case_with_fear_gives_its_claim_and_the_filing_argues_it():
    """A derivative-only case whose child fears returning: the interview asks
    the claim's structure, and the derivative filing argues the subsidiary
    claim with the social group, the persecutor and the failed protection."""
    script = answers.DERIVATIVE_WITH_CLAIM
    session, _ = run_to_documents("derivative_status.yml", script, "es")
    screens = [s.id for s in session.history]
    assert screens.count("claim fear") == 1 and screens.count("claim persecution") == 1
    assert screens.index("claim fear") < screens.index("claim grounds")
    grounds = next(s for s in session.history if s.id == "claim grounds")
    assert "case.claim.fear_of_return" not in [f["variable"] for f in grounds.fields if
                                              grounds.status.extras.get("ok", {}).get(f["field"].number) is not False]
    docs = session.eval("case_documents")
    spanish = docx_text(docs.by_kind("derivative_status", "es")["docx"].path())
    assert script["case.claim.social_group"] in spanish
    assert "Ministerio Público de San Pedro Sula" in spanish and "recibió amenazas por haber denunciado" in spanish
    assert "La solicitud por derecho propio se sustenta en los hechos expuestos" in spanish
    english = docx_text(docs.by_kind("derivative_status", "en")["docx"].path())
    assert "there were threats for having reported" in english
    assert f"“{script['case.claim.social_group']}”" in english


def test_derivative_case_without_fear_asks_no_claim():
    session, _ = run_to_documents("derivative_status.yml", answers.DERIVATIVE, "es")
    screens = [s.id for s in session.history]
    assert "claim fear" in screens
    assert not {"claim intro", "claim grounds", "claim persecution", "claim narrative"} & set(screens)
    spanish = docx_text(session.eval("case_documents").by_kind("derivative_status", "es")["docx"].path())
    assert "La solicitud por derecho propio se sustenta" not in spanish


def test_intake_derivative_with_fear_asks_the_claim_once():
    """The intake asked the fear already: no separate fear screen, and the
    claim screens follow for a derivative-only choice."""
    script = {**answers.DERIVATIVE_WITH_CLAIM, "intake_fear": True, "intake_relative_refugee": True,
              "intake_child_refugee": False, "intake_procedures": ["derivative_status"],
              "case.after_filing_stage": "not_filed"}
    session = h.Session("main_intake.yml")
    session.run(script, until="documents")
    screens = [s.id for s in session.history]
    assert "claim fear" not in screens and screens.count("claim persecution") == 1
    assert session.eval("case.procedures") == ["derivative_status"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_screen_lists_the_claim_structure_and_the_risks(lang):
    """The review screen offers the screens of the case-true filings (the
    persecution and state protection, the present risks) and the case's
    stage before COMAR, so counsel can go back to them."""
    script = {**answers.ASYLUM, "case.risks": ["threatened_by_known_person", "pursued_in_mexico"]}
    session = h.Session("asylum.yml", url_args={"lang": lang})
    screen = session.run(script, until="review")
    html = h.render_html(session, screen)
    es = lang == "es"
    assert ("Agente de persecución" if es else "Persecutor") in html
    assert ("pandilla" if es else "gang") in html.lower()
    assert "niñas adolescentes guatemaltecas" in html
    assert "Policía Nacional Civil, " + ("no obtuvo respuesta" if es else "there was no response") in html
    assert ("Riesgos actuales" if es else "Present risks") in html
    assert ("amenazas de una persona identificada" if es else "threats from an identified person") in html
    session = h.Session("review_appeal.yml", url_args={"lang": lang})
    html = h.render_html(session, session.run(answers.REVIEW_APPEAL, until="review"))
    assert ("Etapa del caso ante la COMAR" if es else "Stage of the case before COMAR") in html
    assert "COMAR/TAP/2291/2026" in html
    assert ("ninguno marcado" if es else "none marked") in html
    assert ("Familia:" if es else "Family:") in html  # the recurso's screens gather the family too


def test_optional_radio_left_unchosen_is_no_answer():
    """The server posts the word "None" for an optional radio button left
    unchosen (the harness does the same): the record has no persecutor kind,
    the validator finds nothing wrong, the review shows a dash."""
    script = {k: v for k, v in answers.ASYLUM.items() if k != "case.claim.persecutor_kind"}
    session = h.Session("asylum.yml")
    screen = session.run(script, until="review")
    assert session.eval("case.claim.persecutor_kind") == "None"
    assert "persecutor_kind" not in session.eval("case").record()["claim"]
    assert not session.eval("case_errors")
    assert "Agente de persecución:</strong> —" in h.render_html(session, screen)


# ---------------------------------------------------------------------------
# Language, deadlines, help, care


def test_language_from_url_and_switch():
    session = h.Session("asylum.yml", url_args={"lang": "en"})
    screen = session.assemble()
    assert screen.title.startswith("A child's asylum application")
    html = h.render_html(session, screen)
    switch = screen.status.extras["navigation bar html text"]
    assert 'id="puente-language-switch"' in switch and ">Español<" in switch
    assert ">Continue<" in html
    screen = session.action("puente_set_language", lang="es")
    assert screen.title.startswith("Solicitud de refugio")
    html = h.render_html(session, screen)
    assert ">English<" in screen.status.extras["navigation bar html text"] and ">Continuar<" in html


def test_spanish_is_the_default():
    session = h.Session("coadyuvante.yml")
    assert session.assemble().title.startswith("Representación coadyuvante")


def test_deadlines_shown_once_entry_date_known_with_late_reasons():
    session = h.Session("asylum.yml")
    screen = session.run(answers.ASYLUM, until="deadlines")
    assert 'title="días hábiles"' in screen.subquestion and "LFPA art. 28" in screen.subquestion
    assert "Presentación de la solicitud" in screen.subquestion and "LSRPCAP art. 18" in screen.subquestion
    assert "ya venció" in screen.subquestion
    assert "nadie le informó" in screen.subquestion.lower()  # late-filing reasons, from law/terms.yml
    right = screen.status.extras.get("rightText", "")
    assert "Plazo para solicitar refugio" in right and "Vencido" in right


def test_on_time_case_has_no_late_filing_screen():
    script = {**answers.ASYLUM, "case.child.entry_date": "2026-04-10"}
    session = h.Session("asylum.yml")
    session.run(script, until="documents")
    screens = [s.id for s in session.history]
    assert "late filing" not in screens  # judged on the signing date (2026-04-20), not on today
    assert "late_filing_reasons" not in session.eval("case").record()["claim"]


def test_help_texts_cite_the_law_data():
    session = h.Session("coadyuvante.yml")
    screen = session.run(answers.COADYUVANTE, until="ppnna")
    text = screen.text
    assert "LGDNNA art. 106" in text and "CDN art. 12" in text
    # The concept in the title of the screen opens its definition, whose
    # legal basis is read from the law data.
    assert 'class="daterm"' in screen.subquestion and "LGDNNA art. 4" in screen.subquestion
    baseline = (ROOT / "interviews" / "ql_baseline.yml").read_text(encoding="utf-8")
    definitions = [b for b in yaml.safe_load_all(baseline)
                   if b and str(b.get("template", "")).startswith("puente_term_")]
    assert len(definitions) >= 7
    for block in definitions:
        assert "puente.basis(" in block["content"], f"{block['subject']}: the basis must come from the law data"


def test_no_article_numbers_typed_in_interviews():
    """Legal bases come from law/citations.yml, never typed in the YAML."""
    for path in (ROOT / "interviews").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bart(í|i)culo\s+\d+|\bart\.\s*\d+", text, re.IGNORECASE), path.name


def test_screening_is_optional_and_not_printed():
    session = h.Session("asylum.yml")
    screen = session.run(answers.ASYLUM, until="screening")
    assert all(not f["required"] for f in screen.fields)
    assert "se imprime en los escritos" in screen.subquestion.lower()


def test_problems_shown_on_review_in_the_chosen_language():
    script = {**answers.ASYLUM, "case.representative.given_names": " "}
    session = h.Session("asylum.yml", url_args={"lang": "en"})
    screen = session.run(script, until="review")
    session.answer(screen, script)
    screen = session.assemble()
    assert screen.id == "review"
    assert "The filings are signed by counsel" in screen.subquestion
    assert "Representative › Representative's given names" in screen.subquestion


def test_batch_upload_interview(tmp_path):
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    bad = dict(cases[0], case_id="BAD-1")
    bad["child"] = {k: v for k, v in bad["child"].items() if k != "entry_date"}
    upload = tmp_path / "cases.yaml"
    upload.write_text(yaml.safe_dump(cases + [bad], allow_unicode=True), encoding="utf-8")
    script = {"batch_upload": str(upload), "batch_report_language": "en", "batch_languages": ["es", "en"]}
    session = h.Session("batch.yml")
    screen = session.run(script, until="batch intro")
    assert Path(session.eval("batch_template").path()).stat().st_size > 0
    screen = session.run(script, until="batch report")
    assert f"{len(cases)} de {len(cases) + 1}" in screen.title
    assert "BAD-1" in screen.subquestion
    assert "needs the date of entry into Mexico" in screen.subquestion  # the report in the chosen language
    session.answer(screen, script)
    screen = session.run(script, until="batch done")
    result = session.eval("batch_result")
    assert result["ok"] == len(cases)
    with zipfile.ZipFile(result["zip"].path()) as zf:
        names = zf.namelist()
        manifest = zf.read("manifest.json").decode()
    assert "manifest.csv" in names and "EX-0001/es/asylum.docx" in names
    assert '"BAD-1"' in manifest


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_and_packet_in_the_interview():
    import docassemble.base.config as da_config

    da_config.daconfig["puente"]["pdf"] = True
    try:
        session, _ = run_to_documents("asylum.yml", {**answers.ASYLUM, "case.output_languages": ["es"]}, "es")
    finally:
        da_config.daconfig["puente"]["pdf"] = False
    docs = session.eval("case_documents")
    item = docs.by_kind("asylum", "es")
    assert Path(item["pdf"].path()).read_bytes().startswith(b"%PDF")
    assert "packet_es" in docs.extras
    assert "/uploadedfile/" in docs.links("asylum", "es") and "PDF" in docs.links("asylum", "es")



def test_case_sessions_stay_encrypted_and_publish_a_minimal_board_summary():
    """Answers stay encrypted with the user's key (no multi_user); what the
    administrator's board needs of the case goes to the global store, keyed
    by the session id, unencrypted and without the child's name."""
    h.SQL_STORE.clear()
    session, _ = run_to_documents("asylum.yml", answers.ASYLUM, "es")
    assert not session.user_dict.get("multi_user")
    key = "da:global:puente-board:harness-session"
    assert key in h.SQL_STORE, sorted(h.SQL_STORE)
    summary, encrypted = h.SQL_STORE[key]
    assert encrypted is False
    child = answers.ASYLUM["case.child.given_names"], answers.ASYLUM["case.child.family_names"]
    text = json.dumps(summary, ensure_ascii=False)
    for name in child:
        assert name not in text
    assert set(summary) == {"case_id", "initials", "counsel", "procedures", "deadlines", "session", "filename",
                            "owner", "owner_id"}
    assert summary["case_id"] == answers.ASYLUM["case.case_id"] and summary["procedures"] == ["asylum"]
    assert summary["initials"] == initials(*child) and summary["filename"].endswith("asylum.yml")
    # the rows the board makes of the summary are the engine's rows of the case
    today = puente_da._today()
    case = puente_da._record_case(session.eval("case"), today)
    law_, cal = puente_da.law(), puente_da.calendar()
    assert deadline_rows(summary, today, law_, cal) == case_rows(case, today, law_, cal)
    assert any(d["rule"] == "asylum_filing" for d in summary["deadlines"])


# ---------------------------------------------------------------------------
# After the first filing (after-filing.md)


def test_intake_of_a_refused_case_recommends_the_recurso_not_a_new_application():
    session = h.Session("main_intake.yml")
    screen = session.run(answers.INTAKE_REFUSED, until="intake choice")
    recommended = [r["procedure"] for r in session.eval("intake_recommendations")]
    assert "review_appeal" in recommended and "asylum" not in recommended
    assert "Recurso de revisión" in screen.subquestion and "nunca una nueva solicitud" in screen.subquestion
    assert "7 de diciembre de 2026" in screen.subquestion
    # choosing the asylum application anyway is refused by the one validator (the screen's validation code)
    errors = session.eval("puente.screen_errors(case, 'procedures', procedures=['asylum'])")
    assert errors and "review_appeal" in errors[0] and "negó" in errors[0]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_appeal_interview_side_box_and_documents(lang):
    session, pages = run_to_documents("review_appeal.yml", answers.REVIEW_APPEAL, lang)
    screens = [s.id for s in session.history]
    assert "after filing stage" in screens and "after filing" in screens and "claim grounds" in screens
    assert "deadlines" not in screens  # the asylum term does not apply to a refused case
    docs = session.eval("case_documents")
    assert {"review_appeal", "carta_poder", "checklist"} <= set(docs.kinds()) and "asylum" not in docs.kinds()
    right = session.history[-1].status.extras.get("rightText", "")
    assert ("Recurso de revisión" if lang == "es" else "Administrative appeal") in right
    assert ("7 de diciembre de 2026" if lang == "es" else "December 7, 2026") in right
    record = session.eval("case").record()
    assert record["proceedings"]["resolution"]["kind"] == "refused"
    assert record["proceedings"]["resolution"]["grounds"][1].startswith("Su relato presenta contradicciones")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_carta_poder_on_its_own(lang):
    """Counsel takes over a case already before COMAR: the carta poder has its
    own entry interview (the same screens and field table as the others) and
    nothing else is produced when no other escrito is due."""
    session, _ = run_to_documents("carta_poder.yml", answers.CARTA_PODER, lang)
    screens = [s.id for s in session.history]
    assert "after filing stage" in screens and "after filing" in screens and "relative" in screens
    assert not {"claim grounds", "deadlines", "ppnna"} & set(screens)
    docs = session.eval("case_documents")
    kinds = set(docs.kinds())
    assert "carta_poder" in kinds and "checklist" in kinds
    assert not kinds & {"asylum", "ratification", "review_appeal", "prevention_reply"}
    spanish = docx_text(docs.by_kind("carta_poder", "es")["docx"].path())
    assert "ANA LUCÍA PÉREZ LÓPEZ" in spanish and "LAURA GÓMEZ RUIZ" in spanish
    assert "en el expediente COMAR/TAP/2291/2026" in spanish and "23 de noviembre de 2026" in spanish
    assert "Procuraduría de Protección" in spanish  # an unaccompanied child grants it with the PPNNA
    english = docx_text(docs.by_kind("carta_poder", "en")["docx"].path())
    assert "power of attorney letter" in english.lower() and "November 23, 2026" in english
    for text in (spanish, english):
        assert "{{" not in text and "None" not in text
    checklist = docx_text(docs.by_kind("checklist", lang)["docx"].path())
    assert ("Copia de la cédula profesional" if lang == "es" else "Copy of counsel's professional license") in checklist


def test_intake_offers_the_carta_poder():
    session = h.Session("main_intake.yml")
    screen = session.run(answers.INTAKE, until="intake choice")
    choices = screen.status.selectcompute[screen.fields[0]["field"].number]
    assert "carta_poder" in [c["key"] for c in choices]
    script = {**answers.INTAKE, "intake_procedures": ["asylum", "carta_poder"]}
    session = h.Session("main_intake.yml")
    session.run(script, until="documents")
    assert session.eval("case.procedures") == ["asylum", "carta_poder"]
    assert {"asylum", "carta_poder"} <= set(session.eval("case_documents").kinds())


def test_side_box_shows_coming_of_age_in_red_within_90_days():
    # Ana turns 18 on 14 May 2028; signed on 1 April 2028 she is 43 days away.
    script = {**answers.COADYUVANTE, "case.filing_date": "2028-04-01", "case.child.entry_date": "2028-03-02"}
    session = h.Session("coadyuvante.yml")
    screen = session.run(script, until="documents")
    right = screen.status.extras.get("rightText", "")
    assert "cumple 18 años" in right and "14 de mayo de 2028" in right and "Faltan 43 días" in right
    assert "border-danger" in right and "reunificación familiar" in right


def test_a_session_dropped_on_another_thread_leaves_no_error_behind():
    """Tests drop sessions without closing them; the garbage collector may
    finalize one on a converter thread. That must not raise in whatever test
    happens to be running then (it once failed CI in the PDF packet test)."""
    import gc
    import threading

    sessions = []
    worker = threading.Thread(target=lambda: sessions.append(h.Session("main_intake.yml")))
    worker.start()
    worker.join()
    assert sessions
    sessions.clear()
    gc.collect()
