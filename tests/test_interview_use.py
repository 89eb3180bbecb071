"""The interview as lawyers and paralegals use it (issue 13), in-process:
today in Mexico City, questions asked once and only when relevant, the
language list, titles, docassemble's own words, the case id, flags only from
asked facts, "pendiente" answers, the session line in "Mis entrevistas",
sections and progress, download links that name the document."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from docassemble.puente.dates import office_today
from tests import da_harness as h
from tests import interview_answers as answers

ROOT = Path(__file__).resolve().parent.parent
needs_da = pytest.mark.skipif(not h.docassemble_available(), reason="docassemble.base is not installed")


# ---------------------------------------------------------------------------
# "Today" is the office's day (America/Mexico_City), not the server's UTC day


@pytest.mark.parametrize("instant, tz, day", [
    # 03:30 UTC on the 24th is still 21:30 on the 23rd in Mexico City.
    (datetime(2026, 11, 24, 3, 30, tzinfo=timezone.utc), None, date(2026, 11, 23)),
    (datetime(2026, 11, 24, 5, 59, tzinfo=timezone.utc), None, date(2026, 11, 23)),
    (datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc), None, date(2026, 11, 24)),
    (datetime(2026, 11, 23, 23, 59, tzinfo=timezone.utc), None, date(2026, 11, 23)),
    # An organization elsewhere configures its zone (Tijuana is UTC-8 in November).
    (datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc), "America/Tijuana", date(2026, 11, 23)),
])
def test_office_today_near_midnight_utc(instant, tz, day):
    assert office_today(tz, now=instant) == day


def test_office_today_reads_the_configured_zone(monkeypatch):
    instant = datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc)
    monkeypatch.setenv("PUENTE_TIMEZONE", "America/Tijuana")
    assert office_today(now=instant) == date(2026, 11, 23)
    monkeypatch.setenv("PUENTE_TIMEZONE", "Europe/Madrid")
    assert office_today(now=instant) == date(2026, 11, 24)
    with pytest.raises(ValueError, match="unknown time zone"):
        office_today("Mars/Olympus")


def test_no_front_reads_the_servers_day():
    """Every front (interview glue, CLI, pipeline) asks dates.office_today;
    nothing calls date.today() or the interview's today()."""
    offenders = []
    for path in sorted((ROOT / "docassemble" / "puente").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bdate\.today\(\)|datetime\.now\(\)|datetime\.today\(\)", line):
                offenders.append(f"{path.name}:{n}")
    for path in sorted((ROOT / "interviews").glob("*.yml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?<![\w.])today\(\)", line):
                offenders.append(f"{path.name}:{n}")
    assert not offenders, offenders


def test_cli_default_today_is_the_office_day(monkeypatch, tmp_path, capsys):
    """`puente validate` without --today judges the filing date against the
    office's day: a case signed "today" in Mexico City is not in the future
    although UTC is already tomorrow."""
    import docassemble.puente.cli as cli
    import docassemble.puente.dates as dates

    real = dates.office_today
    monkeypatch.setattr(cli, "today_in_mexico", lambda: real(now=datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)))
    import yaml

    case = yaml.safe_load((ROOT / "examples" / "ana-asylum.yaml").read_text(encoding="utf-8"))
    case.pop("filing_date")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    assert cli.main(["validate", str(path)]) in (0, 1)
    out = capsys.readouterr()
    assert "2026-11-24" not in out.out + out.err


# ---------------------------------------------------------------------------
# Flags only from facts the interview asked for or the record holds


def _parsed(**changes):
    import yaml

    from docassemble.puente.validate import parse_case

    data = yaml.safe_load((ROOT / "examples" / "ana-asylum.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    case, problems = parse_case(data, today=date(2026, 4, 20))
    assert case is not None, problems
    return case, problems


def test_no_ppnna_flags_without_the_coadyuvante_procedure():
    from docassemble.puente.deadlines import case_deadlines
    from docassemble.puente.flags import case_flags
    from docassemble.puente.law import default_law

    law = default_law()
    from docassemble.puente.calendar import WorkingCalendar

    cal = WorkingCalendar(law.calendar, [])
    only_asylum, _ = _parsed(procedures=["asylum"], coadyuvante={})
    ids = {f.id for f in case_flags(only_asylum, case_deadlines(only_asylum, law, cal), law)}
    assert not {"restitution_plan_missing", "child_not_heard"} & ids
    both, _ = _parsed(procedures=["asylum", "coadyuvante"], coadyuvante={})
    ids = {f.id for f in case_flags(both, case_deadlines(both, law, cal), law)}
    assert {"restitution_plan_missing", "child_not_heard"} <= ids


# ---------------------------------------------------------------------------
# "Pendiente" in the record: nothing filed, the checklist asks


def test_pending_answer_is_dropped_and_warned():
    case, problems = _parsed(pending=["claim.narrative", "child_views"],
                             claim={"grounds": ["gender"], "narrative": "xxx relleno xxx"},
                             child_views="pendiente")
    assert case.claim.narrative is None and case.child_views is None
    warned = {p.field for p in problems if p.severity == "warning"}
    assert {"claim.narrative", "child_views"} <= warned
    from docassemble.puente.checklist import case_checklist
    from docassemble.puente.law import default_law

    items = [e.item.id for sections in case_checklist(case, default_law()).values()
             for entries in sections.values() for e in entries]
    assert "asylum_narrative_pending" in items and "asylum_child_views_pending" in items


def test_a_pending_narrative_is_not_an_error_a_missing_one_is():
    import yaml

    from docassemble.puente.validate import parse_case

    data = yaml.safe_load((ROOT / "examples" / "ana-asylum.yaml").read_text(encoding="utf-8"))
    data["claim"].pop("narrative", None)
    case, problems = parse_case(data, today=date(2026, 4, 20))
    assert case is None and any(p.field == "claim.narrative" for p in problems)
    case, problems = parse_case({**data, "pending": ["claim.narrative"]}, today=date(2026, 4, 20))
    assert case is not None


# ---------------------------------------------------------------------------
# The interviews (docassemble in-process)


@pytest.fixture(scope="module")
def booted():
    if not h.docassemble_available():
        pytest.skip("docassemble.base is not installed")
    h.boot()


def _field(screen: h.Screen, variable: str) -> dict:
    return next(f for f in screen.fields if f["variable"] == variable)


def _shown(screen: h.Screen, variable: str) -> bool:
    f = _field(screen, variable)
    return screen.status.extras.get("ok", {}).get(f["field"].number) is not False


@needs_da
def test_intake_asks_fear_of_return_once(booted):
    session = h.Session("main_intake.yml")
    screen = session.run(answers.INTAKE, until="claim grounds")
    assert not _shown(screen, "case.claim.fear_of_return"), "the intake already asked it"
    session.run(answers.INTAKE, until="documents")
    asked = [s for s in session.history if any(f["variable"] in ("intake_fear", "case.claim.fear_of_return")
                                               and _shown(s, f["variable"]) for f in s.fields)]
    assert [s.id for s in asked] == ["intake facts"]
    assert session.eval("case.record()")["claim"]["fear_of_return"] is True
    # Opened on its own, the asylum interview asks it.
    alone = h.Session("asylum.yml")
    assert _shown(alone.run(answers.ASYLUM, until="claim grounds"), "case.claim.fear_of_return")


@needs_da
@pytest.mark.parametrize("sex, asked", [("F", True), ("X", True), ("M", False)])
def test_pregnancy_only_when_relevant(booted, sex, asked):
    session = h.Session("asylum.yml")
    screen = session.run({**answers.ASYLUM, "case.child.sex": sex}, until="screening")
    assert _shown(screen, "case.screening.pregnant") is asked


@needs_da
@pytest.mark.parametrize("lang, mam, kiche", [("es", "Mam", "K'iche'"), ("en", "Mam", "K'iche'")])
def test_other_language_is_a_searchable_list_of_names(booted, lang, mam, kiche):
    session = h.Session("asylum.yml", url_args={"lang": lang})
    screen = session.run(answers.ASYLUM, until="child languages")
    f = _field(screen, "case.child.extra_language")
    assert f["field"].inputtype == "combobox"
    choices = {c["label"]: c["key"] for c in screen.status.selectcompute[f["field"].number]}
    assert choices[mam] == "mam" and choices[kiche] == "quc"
    assert len(choices) > 300
    assert "ISO" not in screen.text
    html = h.render_html(session, screen)
    assert "combobox" in html
    session.run({**answers.ASYLUM, "case.child.extra_language": "quc"}, until="child entry")
    assert session.eval("case.record()")["child"]["languages"] == ["es", "quc"]


def test_language_typed_by_name_is_stored_as_its_code(booted):
    from docassemble.puente import da

    assert da.language_code("K'iche'") == "quc"
    assert da.language_code("mam") == "mam"
    assert da.language_code("Haitian Creole") == "ht"
    assert da.language_code("criollo haitiano") == "ht"
    assert da.language_code("") is None


@needs_da
@pytest.mark.parametrize("lang, short, tab",
                         [("es", "Refugio", "Puente · Refugio"), ("en", "Asylum", "Puente · Asylum")])
def test_titles_translated_and_tab_title_without_entities(booted, lang, short, tab):
    from docassemble.base.util import markdown_to_html

    session = h.Session("asylum.yml", url_args={"lang": lang})
    screen = session.assemble()
    extras = screen.status.extras
    assert extras["short title text"] == short
    # The server sends the tab title through Markdown (title_converter) and
    # the browser shows it as text: no entity may come out of it.
    converted = markdown_to_html(extras["tab title text"], trim=True, do_terms=False)
    assert converted == tab and "&" not in converted


@needs_da
def test_docassemble_words_corrected_in_spanish(booted):
    words = h.read_words_file(ROOT / "translations" / "system-words-es.xlsx")["es"]
    assert words["Skip to main content"] == "Ir al contenido principal"
    assert words["Interview Progress"] == "Avance de la entrevista"
    assert words["Sign in"] == "Iniciar sesión" and words["Sign In"] == "Iniciar sesión"
    assert "Registr" not in words["Already registered? Sign in."].split("?")[1]


@needs_da
@pytest.mark.parametrize("lang, label, message", [
    ("es", "Clave del caso", "Use solo letras"), ("en", "Case id", "Use only letters")])
def test_bad_case_id_caught_on_its_own_screen(booted, lang, label, message):
    session = h.Session("asylum.yml", url_args={"lang": lang})
    script = {**answers.ASYLUM, "case.case_id": "Ana Pérez/2026"}
    screen = session.run(script, until="child identity")
    assert label in screen.text  # the record's label, as the review and the batch report say it
    with pytest.raises(h.ScriptError, match=message):
        session.answer(screen, script)


@needs_da
def test_pending_narrative_and_views_reach_documents_without_text(booted):
    script = {k: v for k, v in answers.ASYLUM.items() if k not in ("case.claim.narrative", "case.child_views")}
    script.update({"case.claim.narrative_pending": True, "case.child_views_pending": True})
    session, pages = h.run_rendering("asylum.yml", script, "documents")
    review = pages[[s.id for s in session.history].index("review")]
    assert re.search(r"Relato:</strong> pendiente", review) and re.search(r"quiere:</strong> pendiente", review)
    assert "Pendiente: los escritos omiten esta respuesta" in review
    docs = session.eval("case_documents")
    assert docs.status == "ok", docs.problems
    assert session.eval("case.record()")["pending"] == ["claim.narrative", "child_views"]
    assert "Respuestas pendientes" in pages[-1] and "Relato" in pages[-1]
    from tests.test_interviews import docx_text

    checklist = docx_text(docs.by_kind("checklist", "es")["docx"].path())
    assert "Pendiente: el relato" in checklist and "Pendiente: lo que la NNA quiere" in checklist
    filing = docx_text(docs.by_kind("asylum", "es")["docx"].path())
    assert "pendiente" not in filing.lower() and "None" not in filing and "{{" not in filing


@needs_da
@pytest.mark.parametrize("lang, words", [
    ("es", ("EX-0001", "A.L.P.L.", "Plazo vencido", "Último cambio")),
    ("en", ("EX-0001", "A.L.P.L.", "Deadline passed", "Last change"))])
def test_session_subtitle_for_the_interview_list(booted, lang, words):
    session = h.Session("asylum.yml", url_args={"lang": lang})
    screen = session.run(answers.ASYLUM, until="claim grounds")
    subtitle = screen.status.extras["subtitle text"]
    for w in words:
        assert w in subtitle, subtitle
    assert "Ana" not in subtitle and "Pérez" not in subtitle  # initials, never the name
    # docassemble keeps it with the answers: the list of sessions reads it from there.
    info = session.interview.get_title(session.user_dict, status=screen.status, converter=lambda c, p: c)
    assert session.user_dict["_internal"]["subtitle default"] == info["sub"]


@needs_da
@pytest.mark.parametrize("lang, names", [("es", ("Niña, niño o adolescente", "Solicitud", "Documentos")),
                                         ("en", ("Child", "Application", "Documents"))])
def test_sections_and_progress(booted, lang, names):
    session = h.Session("asylum.yml", url_args={"lang": lang})
    session.run(answers.ASYLUM, until="child identity")
    assert session.eval("nav.current") == "section_child"
    assert session.user_dict["_internal"]["progress"] == 5
    session.run(answers.ASYLUM, until="claim grounds")
    assert session.eval("nav.current") == "section_claim"
    shown = [list(s.values())[0] for s in session.eval("nav").get_sections(lang)]
    for n in names:
        assert n in shown
    session.run(answers.ASYLUM, until="representative")
    assert session.eval("nav.current") == "section_representation"
    assert session.user_dict["_internal"]["progress"] == 75


@needs_da
def test_download_links_name_the_document(booted):
    session, pages = h.run_rendering("asylum.yml", answers.ASYLUM, "documents", lang="en")
    links = session.eval("case_documents").links("asylum", "es", "Asylum application (Spanish)")
    assert '<span class="visually-hidden">Asylum application (Spanish), </span>DOCX' in links
    assert "Checklist (Spanish), </span>DOCX" in pages[-1]


@pytest.mark.pdf
@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
def test_generated_pdfs_are_tagged_and_carry_their_language(tmp_path):
    """LibreOffice's tagged export (structure tree for screen readers), and
    the document's language in the catalog."""
    import yaml
    from pypdf import PdfReader

    from docassemble.puente.calendar import WorkingCalendar
    from docassemble.puente.law import default_law
    from docassemble.puente.pipeline import Options, generate

    law = default_law()
    data = yaml.safe_load((ROOT / "examples" / "ana-asylum.yaml").read_text(encoding="utf-8"))
    data["procedures"] = ["asylum"]
    results = generate([("ana", data)], tmp_path, law, WorkingCalendar(law.calendar, []),
                       Options(languages=("es", "en"), pdf=True, today=date(2026, 4, 20)))
    for lang, tag in (("es", "es-MX"), ("en", "en-US")):
        pdf = tmp_path / data["case_id"] / lang / "asylum.pdf"
        root = PdfReader(str(pdf)).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], f"{lang}: not tagged"
        assert root["/Lang"] == tag
    assert results[0].status == "ok"


# ---------------------------------------------------------------------------
# A procedure interview opened on its own starts from an existing case


@needs_da
def test_procedure_interview_starts_from_a_case_file(booted, tmp_path):
    """Counsel uploads the case.json of an earlier case: every screen comes
    with the answers, nothing about the child is typed again, and the
    documents carry the case."""
    import json

    import yaml

    record = yaml.safe_load((ROOT / "examples" / "ana-asylum.yaml").read_text(encoding="utf-8"))
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(record, default=str, ensure_ascii=False), encoding="utf-8")
    script = {"case_start_from": "file", "case_start_file": str(case_file),
              "case.claim.narrative_pending": False, "case.child_views_pending": False,
              "case.proceedings.tvrh_issued": False,  # not in this case file (the screen's default)
              "case.filing_date": "2026-04-20"}  # the new filing's date is asked again
    session = h.Session("asylum.yml")
    session.run(script, until="child identity")
    assert session.eval("case.child.given_names") == "Ana Lucía"
    session.run(script, until="documents")
    typed = {var for s in session.history for f in s.fields for var in [f["variable"]] if var in script}
    assert not any(v.startswith("case.child.") for v in typed)
    docs = session.eval("case_documents")
    assert docs.status == "ok", docs.problems
    from tests.test_interviews import docx_text

    text = docx_text(docs.by_kind("asylum", "es")["docx"].path())
    assert "Ana Lucía" in text and "Pérez López" in text
    assert session.eval("case.procedures") == ["asylum"]


@needs_da
def test_a_file_without_a_case_is_refused_on_the_start_screen(booted, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("[1, 2, 3]", encoding="utf-8")
    session = h.Session("asylum.yml")
    script = {"case_start_from": "file", "case_start_file": str(bad)}
    screen = session.run(script, until="case start")
    with pytest.raises(h.ScriptError, match="no contiene un caso de Puente"):
        session.answer(screen, script)


@needs_da
@pytest.mark.parametrize("lang, exit_label, stale", [
    ("es", "Salida rápida", "Este caso cambió desde que abrió esta pantalla"),
    ("en", "Quick exit", "This case changed since you opened this screen")])
def test_every_screen_has_quick_exit_idle_lock_and_stale_check(booted, lang, exit_label, stale):
    import docassemble.base.config as da_config

    session = h.Session("asylum.yml", url_args={"lang": lang})
    screen = session.run(answers.ASYLUM, until="child languages")
    h.render_html(session, screen)  # renders without error
    nav = screen.status.extras["navigation bar html text"]
    assert 'id="puente-quick-exit"' in nav and f">{exit_label}<" in nav
    pre = screen.status.extras["pre text"]
    assert 'data-idle="900"' in pre and 'data-check="10"' in pre and stale in pre
    version = re.search(r'data-version="([0-9a-f]{16})"', pre).group(1)
    assert version == session.eval("puente.case_version(case)")
    # The version changes when an answer changes (what the stale check compares).
    session.exec("case.child.given_names = 'Otra'")
    assert session.eval("puente.case_version(case)") != version
    # The idle time and the quick exit's page are the organization's to set.
    da_config.daconfig.setdefault("puente", {})
    old = dict(da_config.daconfig["puente"])
    da_config.daconfig["puente"].update({"idle minutes": 5, "quick exit url": "https://example.org/"})
    try:
        assert session.eval("puente.idle_seconds()") == 300
        assert session.eval("puente.quick_exit_url()") == "https://example.org/"
    finally:
        da_config.daconfig["puente"].clear()
        da_config.daconfig["puente"].update(old)
    javascript = [str(x) for x in session.interview.external_files.get("javascript", [])]
    assert any("puente.js" in x for x in javascript), javascript
