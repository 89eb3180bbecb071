"""The supporting documents: the rights-restitution plan proposal, the
first-contact screening record and the child's "your rights" sheet.

Every document renders for every example case and the variants below, in
every language it is written in; the plan lists the rights the case data
shows restricted, with measure, institution and basis; the screening record
maps indicators to referrals, never names the child and keeps sensitive
items out unless counsel chooses; the rights sheet says the eight rights in
five languages at a child's reading level; the law loader rejects broken
rights.yml / referrals.yml entries by file and entry."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from docassemble.puente.documents import supporting
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.render import render_docx
from docassemble.puente.errors import LawDataError
from docassemble.puente.law import FINDINGS, ROMAN, VULNERABILITIES, load_law
from docassemble.puente.model import TRAFFICKING_INDICATORS
from docassemble.puente.pipeline import Options, document_plan, generate
from docassemble.puente.resources import law_dir
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY, needs_soffice

SHEET_LANGUAGES = ("es", "en", "fr", "ht", "pt")
SENSITIVE = "Orientación sexual: dato de prueba reservado"
HEALTH_DETAIL = "Asma sin tratamiento desde el viaje"


# --------------------------------------------------------------------------
# Cases: the three examples and two variants that exercise the other findings


def _detained(ana: dict) -> dict:
    """A separated boy of 10 (estimated), Mam speaker, held in an INM station,
    no identity documents, three trafficking indicators, health needs and
    a disability, and a sensitive note that must never print by default."""
    b = copy.deepcopy(ana)
    b["case_id"] = "EX-T001"
    b["child"].update(given_names="Juan", family_names="Ixcoy Tzoc", sex="M", languages=["mam", "es"],
                      needs_interpreter=True, age_estimated=True, estimated_age=10, accompaniment="separated",
                      identity_documents=["none"],
                      placement={"type": "inm_station", "name": "Siglo XXI", "city": "Tapachula", "state": "Chiapas"})
    b["child"].pop("date_of_birth")
    b["claim"]["late_filing_reasons"] = ["detained", "language", "alone_as_a_child"]
    b["coadyuvante"] = {"expediente": "PPNNA/FED/0009/2026"}
    b["authority"]["ppnna"] = "federal"
    b["screening"] = {"trafficking_indicators": ["travels_with_non_relative", "documents_held_by_other", "injuries"],
                      "health_needs": HEALTH_DETAIL, "disability": True, "other_vulnerabilities": SENSITIVE}
    b["family"].append({"given_names": "Rosa", "family_names": "Tzoc", "relationship": "mother", "in_mexico": True,
                        "location_country": "MX", "location_city": "Tapachula"})
    return b


def _haitian(ana: dict) -> dict:
    """A pregnant Haitian adolescent born in Chile who speaks Haitian Creole
    and French, already heard, with a plan issued and a TVRH; counsel chose
    to print sensitive items."""
    h = copy.deepcopy(ana)
    h["case_id"] = "EX-T002"
    h["child"].update(given_names="Widlene", family_names="Dorvil Jean", sex="F", nationality="HT",
                      country_of_birth="CL", languages=["ht", "fr", "es"], needs_interpreter=True,
                      identity_documents=["passport"], date_of_birth="2009-08-01", entry_date="2026-04-01",
                      placement={"type": "civil_shelter", "name": "Albergue Belén", "city": "Tapachula",
                                 "state": "Chiapas"})
    h["screening"] = {"trafficking_indicators": [], "pregnant": True, "health_needs": HEALTH_DETAIL,
                      "other_vulnerabilities": SENSITIVE, "print_sensitive": True}
    h["coadyuvante"] = {"notified_date": "2026-04-02", "child_heard": True, "restitution_plan_date": "2026-04-10"}
    h["proceedings"] = {"tvrh_issued": True}
    h["family"] = []
    h["claim"].pop("late_filing_reasons")
    h["claim"].pop("late_filing_explanation")
    return h


@pytest.fixture(scope="module")
def cases(example_data):
    data = {cid: copy.deepcopy(d) for cid, d in example_data.items()}
    data["EX-T001"] = _detained(example_data["EX-0001"])
    data["EX-T002"] = _haitian(example_data["EX-0001"])
    return data


@pytest.fixture(scope="module")
def contexts(cases, law, calendar):
    out = {}
    for cid, data in cases.items():
        case, problems = parse_case(copy.deepcopy(data), today=TODAY)
        assert case is not None, [p.message_en for p in problems]
        out[cid] = DocumentContext.build(case, law, calendar)
    return out


def docx_text(path: Path) -> str:
    """Every paragraph of the document (body, tables, headers, footers), one a line."""
    doc = Document(str(path))
    parts = [doc.element.body] + [s.header._element for s in doc.sections] + [s.footer._element for s in doc.sections]
    lines = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
            if text:
                lines.append(text)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def rendered(contexts, tmp_path_factory):
    """(case_id, kind, lang) -> rendered text, rendered once."""
    out_dir = tmp_path_factory.mktemp("supporting")
    out = {}
    for cid, dc in contexts.items():
        for kind, langs in (("restitution_plan", ("es", "en")), ("screening", ("es", "en")),
                            ("rights_sheet", SHEET_LANGUAGES)):
            for lang in langs:
                path = out_dir / cid / f"{kind}_{lang}.docx"
                render_docx(kind, lang, dc.for_language(lang), path)
                out[cid, kind, lang] = docx_text(path)
    return out


# every example case, and the two variants above
ALL_CASES = tuple(sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["case_id"] for p in EXAMPLES.glob("*.yaml"))) \
    + ("EX-T001", "EX-T002")
DOCUMENTS = [(kind, lang) for kind in ("restitution_plan", "screening") for lang in ("es", "en")] + \
            [("rights_sheet", lang) for lang in SHEET_LANGUAGES]


# --------------------------------------------------------------------------
# Every document renders, with no template leftovers


@pytest.mark.parametrize("case_id", ALL_CASES)
@pytest.mark.parametrize("kind, lang", DOCUMENTS)
def test_every_document_renders_clean(rendered, case_id, kind, lang):
    text = rendered[case_id, kind, lang]
    assert len(text) > 500
    for leftover in ("{{", "}}", "{%", "%}", "[[", "Undefined"):
        assert leftover not in text, leftover
    assert not re.search(r"\bNone\b", text)
    if lang != "ht":  # "nan" is a Haitian Creole word ("in")
        assert not re.search(r"\bnan\b", text, flags=re.IGNORECASE)
    assert "  ." not in text and " ," not in text and ",," not in text and ".." not in text


def test_context_works_in_every_language_of_the_sheet(contexts):
    for lang in SHEET_LANGUAGES:
        ctx = contexts["EX-T002"].for_language(lang)
        assert ctx["sheet"]["first_name"] == "Widlene"
        assert (ctx["plan"] is None) == (lang not in ("es", "en"))
    assert contexts["EX-T002"].for_language("ht")["sheet"]["date"] == "20 avril 2026"  # Creole month names
    assert contexts["EX-T002"].for_language("pt")["sheet"]["date"] == "20 de abril de 2026"


# --------------------------------------------------------------------------
# 1. The rights-restitution plan proposal


def _plan(contexts, cid, lang="es"):
    return contexts[cid].for_language(lang)["plan"]


def _group(plan, fraction):
    return next((g for g in plan["groups"] if g["fraction"] == fraction), None)


def test_catalogue_is_the_twenty_fractions_of_art_13(contexts, law):
    plan = _plan(contexts, "EX-0001")
    assert [c["fraction"] for c in plan["catalogue"]] == list(ROMAN)
    assert plan["catalogue"][3]["name"] == "Derecho a vivir en familia"
    assert plan["catalogue"][18]["articles"] == "LGDNNA art. 13, fr. XIX; arts. 89 a 101"
    assert all(r.chapter.source and r.catalogue.source for r in law.rights.values())


def test_unaccompanied_child_restricts_living_in_family(contexts, rendered):
    plan = _plan(contexts, "EX-0001")
    family = _group(plan, "IV")
    assert family["status"] == "Restringido"
    entry = family["entries"][0]
    assert entry["title"] == "Separación de su familia"
    assert "Carmen López Juárez" in entry["facts"] and "Guatemala" in entry["facts"]
    assert "Procuraduría de Protección" in entry["institutions"] and "Cruz Roja" in entry["institutions"]
    assert entry["basis"] == "CDN arts. 9, 10 y 20; LSRPCAP art. 5"
    assert entry["measure"] and entry["term"] and entry["follow_up"]
    text = rendered["EX-0001", "restitution_plan", "es"]
    assert "IV. Derecho a vivir en familia — Restringido" in text
    assert "ANA LUCÍA PÉREZ LÓPEZ" in text  # filed with the PPNNA: the full name
    assert "PROCURADURÍA DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES DEL ESTADO DE CHIAPAS" in text
    assert "EXPEDIENTE: PPNNA/CHIS/0123/2026" in text
    # late filing (EX-0001 filed 4 working days late) touches due process
    assert _group(plan, "XVIII")["entries"][0]["code"] == "late_filing"
    # not heard yet: participation, and a request to hear her
    assert _group(plan, "XV")["status"] == "Restringido"
    assert "SEGUNDO.- Escuchar a la adolescente antes de determinar" in text


def test_detention_restricts_liberty_due_process_and_education(contexts, rendered):
    plan = _plan(contexts, "EX-T001")
    migrants = _group(plan, "XIX")
    codes = [e["code"] for e in migrants["entries"]]
    assert codes[0] == "in_detention" and "migrant_child" in codes
    detention = migrants["entries"][0]
    assert "estación migratoria del INM «Siglo XXI», en Tapachula, Chiapas" in detention["facts"]
    assert detention["basis"] == "LM arts. 99 y 112; CDN art. 37"
    assert detention["institutions"].startswith("INM; Procuraduría de Protección")
    assert detention["term"].startswith("Inmediato")
    catalogue = {c["fraction"]: c for c in plan["catalogue"]}
    assert catalogue["XVIII"]["status"] == "En riesgo"
    assert "Alojamiento en una estación migratoria" in catalogue["XVIII"]["why"]
    assert _group(plan, "XI")["entries"][0]["code"] == "education_in_detention"
    assert plan["urgent"] and plan["in_detention"]
    text = rendered["EX-T001", "restitution_plan", "es"]
    assert "C. TITULAR DE LA PROCURADURÍA FEDERAL DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES" in text
    assert "el traslado del niño fuera de la estación migratoria" in text
    assert "artículo 122, fracciones VI y VII, de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in text
    assert "en representación del niño JUAN IXCOY TZOC" in text


def test_no_identity_documents_restricts_identity(contexts, rendered):
    identity = _group(_plan(contexts, "EX-T001"), "III")
    assert identity["status"] == "Restringido"
    entry = identity["entries"][0]
    assert entry["code"] == "no_identity_documents"
    assert "RENAPO" in entry["institutions"] and "Consulado (sólo con su consentimiento" in entry["institutions"]
    assert "RLSRPCAP art. 22" in entry["basis"]
    assert _group(_plan(contexts, "EX-0001"), "III") is None  # Ana has her birth certificate
    assert "III. Right to identity — Restricted" in rendered["EX-T001", "restitution_plan", "en"]


def test_other_findings_follow_the_case_data(contexts):
    boy = {e["code"] for g in _plan(contexts, "EX-T001")["groups"] for e in g["entries"]}
    assert {"trafficking", "interpreter", "indigenous_language", "health", "disability", "not_heard",
            "late_filing", "tvrh_missing", "family_separation"} <= boy
    haitian = _plan(contexts, "EX-T002")
    codes = {e["code"] for g in haitian["groups"] for e in g["entries"]}
    assert {"pregnancy", "health", "interpreter"} <= codes
    assert not codes & {"not_heard", "tvrh_missing", "late_filing", "trafficking", "indigenous_language"}
    assert haitian["plan_issued"] and "10 de abril de 2026" in haitian["steps"][2]["status"]
    rosa = {e["code"] for g in _plan(contexts, "EX-0003")["groups"] for e in g["entries"]}
    assert "tvrh_missing" not in rosa  # a recognized refugee is not asked for a TVRH
    luis = _group(_plan(contexts, "EX-0002"), "IV")
    assert luis["status"] == "En riesgo"  # he lives with his father
    assert "Óscar Ramírez Flores (padre, en Monterrey, México)" in luis["entries"][0]["facts"]


def test_every_finding_has_measure_institution_basis(law):
    assert set(law.findings) == set(FINDINGS)
    for finding in law.findings.values():
        assert finding.measure.es and finding.measure.en and finding.term.es and finding.follow_up.en
        assert finding.institutions and finding.basis


def test_plan_health_detail_only_when_counsel_chooses(rendered):
    assert HEALTH_DETAIL not in rendered["EX-T001", "restitution_plan", "es"]
    assert "la representación comunicará el detalle de forma reservada" in rendered["EX-T001", "restitution_plan", "es"]
    assert HEALTH_DETAIL in rendered["EX-T002", "restitution_plan", "es"]


def test_english_plan_is_counsels_copy(rendered):
    text = rendered["EX-0001", "restitution_plan", "en"]
    assert "Courtesy translation for counsel — the Spanish document is the one filed with the PPNNA" in text
    assert "ANA LUCÍA PÉREZ LÓPEZ" in text
    assert "Note for counsel (not part of the filed document)" in text
    # an unchecked citation the plan relies on
    assert "UNHCR, Best Interests Procedure Guidelines" in text and "Directrices" not in text
    assert "Note for counsel" not in rendered["EX-0001", "restitution_plan", "es"]
    # English mirrors the Spanish requests
    es, en = rendered["EX-0001", "restitution_plan", "es"], text
    assert len(re.findall(r"^(PRIMERO|SEGUNDO|TERCERO|CUARTO|QUINTO)\.-", es, re.M)) == \
        len(re.findall(r"^(FIRST|SECOND|THIRD|FOURTH|FIFTH):", en, re.M)) == 4


# --------------------------------------------------------------------------
# 2. The first-contact screening record


def test_screening_maps_indicators_to_referrals(contexts, rendered):
    record = contexts["EX-T001"].for_language("es")["screening_record"]
    trafficking = {r["code"]: r for r in record["trafficking"]}
    assert list(trafficking) == list(TRAFFICKING_INDICATORS)
    observed = [code for code, r in trafficking.items() if r["observed"]]
    assert observed == ["travels_with_non_relative", "documents_held_by_other", "injuries"]
    assert trafficking["travels_with_non_relative"]["answer"] == "Sí"
    assert "FEVIMTRA" in trafficking["travels_with_non_relative"]["refer_to"]
    assert trafficking["travels_with_non_relative"]["urgent"]
    assert "Servicios de salud" in trafficking["injuries"]["refer_to"]
    assert trafficking["debt_owed"]["answer"] == "No consta" and not trafficking["debt_owed"]["refer_to"]
    vulnerable = {r["code"]: r for r in record["vulnerabilities"] if r["observed"]}
    assert {"under_12", "disability", "health_needs", "indigenous_language", "needs_interpreter",
            "unaccompanied", "in_detention", "no_identity_documents"} == set(vulnerable)
    assert vulnerable["indigenous_language"]["detail"] == "mam"
    assert "INALI" in vulnerable["indigenous_language"]["refer_to"]
    institutions = [r["institution"] for r in record["referrals"]]
    assert any("FEVIMTRA" in i for i in institutions)
    assert record["referrals"][0]["urgent"]  # urgent referrals first
    text = rendered["EX-T001", "screening", "es"]
    assert "Viaja con una persona adulta que no es su familiar" in text
    assert "Se observaron 3 indicadores de trata o explotación" in text
    assert "Fiscalía Especial para los Delitos de Violencia contra las Mujeres y Trata de Personas (FEVIMTRA)" in text
    assert "CANALIZACIONES" in text


def test_screening_without_indicators_says_so(rendered):
    text = rendered["EX-0002", "screening", "en"]
    assert "indicator(s) of trafficking or exploitation observed" not in text
    assert "Not recorded" in text


@pytest.mark.parametrize("case_id, names", [
    ("EX-0001", ("Ana", "Lucía", "Pérez", "López", "CAS Tapachula", "14 de mayo de 2010")),
    ("EX-T001", ("Juan", "Ixcoy", "Tzoc", "Siglo XXI")),
    ("EX-T002", ("Widlene", "Dorvil", "Jean", "Albergue Belén", "1 de agosto de 2009")),
])
def test_screening_never_names_the_child(rendered, contexts, case_id, names):
    initials = contexts[case_id].for_language("es")["screening_record"]["initials"]
    for lang in ("es", "en"):
        text = rendered[case_id, "screening", lang]
        assert f"{case_id} · {initials}" in text
        for word in names:
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word


def test_screening_keeps_sensitive_items_out_by_default(rendered, contexts):
    for lang in ("es", "en"):
        text = rendered["EX-T001", "screening", lang]
        assert SENSITIVE not in text and HEALTH_DETAIL not in text
        assert "Otras situaciones de vulnerabilidad" not in text and "Other vulnerabilities" not in text
    record = contexts["EX-T001"].for_language("es")["screening_record"]
    assert not record["print_sensitive"]
    assert "other_vulnerabilities" not in {r["code"] for r in record["vulnerabilities"]}


def test_screening_prints_sensitive_items_when_counsel_chooses(rendered):
    text = rendered["EX-T002", "screening", "es"]
    assert SENSITIVE in text and HEALTH_DETAIL in text
    assert "La representación decidió incluir datos sensibles" in text
    assert "Embarazo (" not in text and "Embarazo" in text


def test_sensitive_switch_read_defensively(contexts, monkeypatch):
    """A record from before the field existed (no attribute) prints nothing sensitive."""
    dc = copy.copy(contexts["EX-T001"])
    dc.case = copy.deepcopy(dc.case)
    object.__setattr__(dc.case, "screening", type("OldScreening", (), {
        k: getattr(dc.case.screening, k) for k in ("trafficking_indicators", "health_needs", "disability",
                                                    "pregnant", "other_vulnerabilities")})())
    record = supporting.screening_record(dc, "es")
    assert not record["print_sensitive"]
    assert SENSITIVE not in str(record) and HEALTH_DETAIL not in str(record)


# --------------------------------------------------------------------------
# 3. The "your rights" sheet


EIGHT_RIGHTS = {
    "es": ("Puedes pedir refugio", "Nadie te puede encerrar", "alguien que sabe de leyes", "Te deben escuchar",
           "intérprete", "Lo que cuentas es privado", "Nadie te puede mandar al peligro", "vivir con tu familia"),
    "en": ("ask for asylum", "Nobody can lock you up", "someone who knows the law", "listen to you", "interpreter",
           "is private", "Nobody can send you back to danger", "live with your family"),
    "fr": ("demander l’asile", "Personne ne peut t’enfermer", "quelqu’un qui connaît la loi", "On doit t’écouter",
           "interprète", "reste privé", "Personne ne peut te renvoyer vers le danger", "vivre avec ta famille"),
    "ht": ("mande azil", "Pesonn pa ka fèmen w", "yon moun ki konnen lalwa", "Yo dwe koute w", "entèprèt", "rete prive",
           "Pesonn pa ka voye w tounen nan danje", "viv ak fanmi w"),
    "pt": ("pedir refúgio", "Ninguém pode prender você", "alguém que conhece a lei", "devem ouvir você",
           "intérprete", "é privado", "Ninguém pode mandar você para o perigo", "viver com a sua família"),
}


@pytest.mark.parametrize("lang", SHEET_LANGUAGES)
def test_rights_sheet_has_the_eight_rights_first_name_and_counsel(rendered, lang):
    for case_id, first, family in (("EX-0001", "Ana Lucía", ("Pérez", "López")),
                                   ("EX-T002", "Widlene", ("Dorvil", "Jean"))):
        text = rendered[case_id, "rights_sheet", lang]
        for phrase in EIGHT_RIGHTS[lang]:
            assert phrase in text, phrase
        assert first in text
        for word in family:
            assert word not in text
        assert "Laura Gómez Ruiz" in text and "+52 962 000 0000" in text and "laura@example.org" in text
        assert [int(n) for n in re.findall(r"^([1-8])$", text, re.M)] == list(range(1, 9))


def _render_sheet(data: dict, lang: str, tmp_path: Path, law) -> str:
    from docassemble.puente.calendar import WorkingCalendar

    case, problems = parse_case(data, today=TODAY)
    assert case is not None, [p.message_en for p in problems]
    dc = DocumentContext.build(case, law, WorkingCalendar(law.calendar))
    path = tmp_path / f"rights_sheet_{lang}.docx"
    render_docx("rights_sheet", lang, dc.for_language(lang), path)
    return docx_text(path)


# Issue 17: what each sheet must say (and must no longer say), by language.
SHEET_WORDING = {
    "es": (("pide que llamen a una persona que hable tu idioma",
            "díselo a tu abogada"),
           ("pide a una persona que hable tu idioma", "abogada o", "abogado o")),
    "en": (("ask for asylum", "This is called asking for asylum",
            "ask them to bring a person who speaks your language"),
           ("refuge", "ask for a person who speaks")),
    "fr": (("demande qu’on fasse venir une personne qui parle ta langue", "dis-le à ton avocate"),
           ("demande quelqu’un", "avocat ou", "avocate ou")),
    "ht": (("eksplike", "Yo rele sa mande azil", "ni yo pa di okenn lòt moun sa",
            "mande pou yo fè vini yon moun ki pale lang ou"),
           ("esplike", "ni lòt moun sa san", ". Sa rele")),
    "pt": (("Esta folha explica oito deles", "o órgão que protege", "peça que chamem uma pessoa",
            "conte isso à sua advogada"),
           ("conta oito deles", "escritório", "advogado ou", "advogada ou", "peça uma pessoa")),
}
DETAINED = {"es": "Si estás en una estación migratoria, díselo", "en": "If you are in a migration detention station",
            "fr": "Si tu es dans une station migratoire", "ht": "Si ou nan yon estasyon migrasyon",
            "pt": "Se você está em uma estação migratória"}


@pytest.mark.parametrize("lang", SHEET_LANGUAGES)
def test_rights_sheet_wording_and_counsel_by_sex(rendered, lang):
    text = rendered["EX-0001", "rights_sheet", lang]
    must, never = SHEET_WORDING[lang]
    for phrase in must:
        assert phrase in text, phrase
    for phrase in never:
        assert phrase not in text, phrase
    # not detained: no instructions for the estación migratoria
    assert DETAINED[lang] not in text


@pytest.mark.parametrize("lang", SHEET_LANGUAGES)
def test_rights_sheet_tells_a_detained_child_what_to_do(tmp_path, lang, example, law):
    """From the record's placement: a child in an estación migratoria is told
    to tell counsel and the Procuraduría (LGDNNA art. 111; LM art. 99)."""
    data = example("EX-0001")
    data["child"]["placement"] = {"type": "inm_station", "name": "Siglo XXI", "city": "Tapachula", "state": "Chiapas"}
    data["representative"]["sex"] = "M"
    text = _render_sheet(data, lang, tmp_path, law)
    assert DETAINED[lang] in text
    assert "Procuraduría" in text
    counsel = {
        "es": "díselo a tu abogado y a la Procuraduría de Protección",
        "en": "tell your lawyer and the child protection office",
        "fr": "dis-le à ton avocat et à la Procuraduría de Protección (le bureau qui protège les enfants)",
        "ht": "di avoka w ak biwo ki pwoteje timoun yo (Procuraduría de Protección) sa",
        "pt": "conte isso ao seu advogado e à Procuraduría de Protección (o órgão que protege as crianças)",
    }[lang]
    assert counsel in text
    # the Procuraduría is glossed once (on first use), not again under right 3
    assert text.count("(Procuraduría") + text.count("(le bureau") + text.count("(o órgão") == (0 if lang == "es" else 1)


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_rights_sheet_counsel_of_unknown_sex_needs_no_gendered_noun(tmp_path, lang, example, law):
    data = example("EX-0001")
    data["representative"].pop("sex", None)
    text = _render_sheet(data, lang, tmp_path, law)
    phrase = {"es": "díselo a la persona que te representa", "fr": "dis-le à la personne qui te représente",
              "pt": "conte isso à pessoa que representa você"}[lang]
    assert phrase in text
    assert not re.search(r"abogad[ao]|avocat|advogad", text)


def test_the_portuguese_sheet_is_produced_by_an_example(tmp_path):
    """EX-0007 (a child who reads Portuguese): the batch writes her pt sheet."""
    from docassemble.puente.cli import main

    out = tmp_path / "out"
    assert main(["generate", str(EXAMPLES / "joana-coadyuvante-pt.yaml"), "--out", str(out), "--today", "2026-11-23",
                 "--no-pdf"]) == 0
    sheets = sorted(p.relative_to(out).as_posix() for p in out.rglob("rights_sheet*.docx"))
    assert any("/pt/" in f"/{s}" for s in sheets), sheets
    pt = next(p for p in out.rglob("rights_sheet*.docx") if "/pt/" in f"/{p.relative_to(out).as_posix()}")
    text = docx_text(pt)
    assert "Olá, Joana Beatriz." in text and "Mbala" not in text
    assert DETAINED["pt"] in text and "à sua advogada" in text


# Readability. Fernández-Huerta (1959, as corrected: words per sentence) and
# Szigriszt-Pazos for Spanish; Flesch-Kincaid grade for English. Syllables
# are counted by rule (Spanish is regular; English by the usual heuristic),
# so the test needs no dictionary download.

STRONG_ES = set("aeoáéíóú")


def syllables_es(word: str) -> int:
    w = re.sub(r"[^a-záéíóúüñ]", "", word.lower())
    if not w:
        return 0
    w = re.sub(r"(?<=[qg])u(?=[eéií])", "", w)  # que, qui, gue, gui: the u is silent
    w = re.sub(r"y$", "i", w)                    # hay, ley, muy, y: a vowel at the end
    # each run of vowels is one syllable per strong (or accented) vowel,
    # at least one: diphthongs join, hiatus splits
    return max(1, sum(max(1, sum(ch in STRONG_ES for ch in g)) for g in re.findall(r"[aeiouáéíóúü]+", w)))


def syllables_en(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", lambda m: m.group(0)[0], w)  # silent endings
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def text_stats(text: str, syllables) -> tuple[int, int, int]:
    """(words, sentences, syllables); every paragraph ends a sentence."""
    words = sentences = syl = 0
    for paragraph in text.splitlines():
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            found = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", sentence)
            if found:
                sentences += 1
                words += len(found)
                syl += sum(syllables(w) for w in found)
    return words, sentences, syl


def sheet_prose(text: str) -> str:
    """The sheet without counsel's contact lines and the dated footer."""
    return "\n".join(line for line in text.splitlines()
                     if not re.search(r"[@\d]", line) and "Gómez" not in line and "Jurídica" not in line)


def test_syllable_counters():
    assert [syllables_es(w) for w in ("país", "Procuraduría", "que", "ayuda", "muy", "y", "leer", "guía", "bueno")] == \
        [2, 6, 1, 3, 1, 1, 2, 2, 2]
    assert [syllables_en(w) for w in ("you", "refuge", "interpreter", "family", "listen", "safe")] == [1, 2, 4, 3, 2, 1]


def test_spanish_sheet_reads_at_a_childs_level(rendered):
    words, sentences, syl = text_stats(sheet_prose(rendered["EX-0001", "rights_sheet", "es"]), syllables_es)
    fernandez_huerta = 206.84 - 60 * syl / words - 1.02 * words / sentences
    szigriszt_pazos = 206.835 - 62.3 * syl / words - words / sentences
    assert words > 150
    assert fernandez_huerta >= 80, fernandez_huerta   # "fácil" or easier: about 10 years old
    assert szigriszt_pazos >= 80, szigriszt_pazos     # "bastante fácil" or easier


def test_english_sheet_reads_at_a_childs_level(rendered):
    words, sentences, syl = text_stats(sheet_prose(rendered["EX-0001", "rights_sheet", "en"]), syllables_en)
    grade = 0.39 * words / sentences + 11.8 * syl / words - 15.59
    assert words > 150
    assert grade <= 5, grade  # US grade 5: about 10 years old


@pytest.mark.parametrize("lang", SHEET_LANGUAGES)
def test_every_sheet_keeps_sentences_short(rendered, lang):
    words, sentences, _ = text_stats(sheet_prose(rendered["EX-0001", "rights_sheet", lang]), lambda w: 1)
    assert words / sentences <= 10
    sentences = re.split(r"(?<=[.!?])\s+|\n", sheet_prose(rendered["EX-0001", "rights_sheet", lang]))
    longest = max(len(re.findall(r"[^\W\d_]+", s)) for s in sentences)
    assert longest <= 20


# --------------------------------------------------------------------------
# The pipeline produces them, and the child's languages get the sheet


def test_document_plan_includes_supporting_documents(contexts):
    plan = document_plan(contexts["EX-T002"].case, ("es", "en"))
    for kind in ("restitution_plan", "screening", "rights_sheet"):
        assert (kind, "es") in plan and (kind, "en") in plan
    assert ("rights_sheet", "ht") in plan and ("rights_sheet", "fr") in plan and ("rights_sheet", "pt") not in plan
    assert ("rights_sheet", "fr") not in document_plan(contexts["EX-0001"].case, ("es", "en"))


@pytest.mark.pdf
@needs_soffice()
def test_pdfs_and_public_versions(cases, law, calendar, tmp_path):
    from pypdf import PdfReader

    results = generate([("t", copy.deepcopy(cases["EX-T002"]))], tmp_path, law, calendar,
                       Options(pdf=True, today=TODAY, redact=True))
    assert results[0].status == "ok", [p.message_en for p in results[0].errors]
    docs = {(d.kind, d.language, bool(d.redacted)): d for d in results[0].documents}
    for key in [("restitution_plan", "es", False), ("screening", "en", False), ("rights_sheet", "ht", False),
                ("rights_sheet", "fr", True)]:
        assert docs[key].pdf and docs[key].pages >= 1, key
    assert docs["rights_sheet", "es", False].pages == 2
    sheet = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / docs["rights_sheet", "ht", False].pdf)).pages)
    assert "Dwa ou yo" in sheet and "Widlene" in sheet
    public_pdf = PdfReader(str(tmp_path / docs["restitution_plan", "es", True].pdf))
    public = " ".join(p.extract_text() for p in public_pdf.pages)
    assert "Widlene" not in public and "W." in public


# --------------------------------------------------------------------------
# The law loader is strict about rights.yml and referrals.yml


def _broken_copy(tmp_path, filename, edit):
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    data = yaml.safe_load((target / filename).read_text(encoding="utf-8"))
    edit(data)
    (target / filename).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _drop_first(mapping):
    mapping.pop(next(iter(mapping)))


@pytest.mark.parametrize("filename, edit, expected", [
    ("rights.yml", lambda d: d["catalogue"]["identity"].pop("source"), "catalogue.identity"),
    ("rights.yml", lambda d: d["catalogue"]["identity"].update(article="19"), "catalogue.identity"),
    ("rights.yml", lambda d: d["catalogue"]["identity"].update(checked="yes"), "catalogue.identity"),
    ("rights.yml", lambda d: d["catalogue"]["identity"].update(fraction="IV"), "catalogue.identity"),
    ("rights.yml", lambda d: d["catalogue"].pop("ict"), "catalogue"),
    ("rights.yml", lambda d: d["findings"]["in_detention"].pop("measure"), "findings.in_detention"),
    ("rights.yml", lambda d: d["findings"]["in_detention"].update(institutions=["carcel"]), "carcel"),
    ("rights.yml", lambda d: d["findings"]["in_detention"].update(basis=["lm_art999"]), "lm_art999"),
    ("rights.yml", lambda d: d["findings"]["in_detention"].update(right="liberty"), "liberty"),
    ("rights.yml", lambda d: d["findings"]["in_detention"].update(status="bad"), "findings.in_detention"),
    ("rights.yml", lambda d: d["findings"].pop("trafficking"), "findings.trafficking"),
    ("rights.yml", lambda d: _drop_first(d["procedure"]), "procedure"),
    ("referrals.yml", lambda d: d["institutions"]["inm"].pop("source"), "institutions.inm"),
    ("referrals.yml", lambda d: d["institutions"]["inm"].update(phone="01 800"), "institutions.inm"),
    ("referrals.yml", lambda d: d["screening"].pop("debt_owed"), "screening.debt_owed"),
    ("referrals.yml", lambda d: d["screening"].pop("pregnant"), "screening.pregnant"),
    ("referrals.yml", lambda d: d["screening"]["injuries"].pop("basis"), "screening.injuries"),
    ("referrals.yml", lambda d: d["screening"]["injuries"].update(basis=["no_such"]), "no_such"),
    ("referrals.yml", lambda d: d["screening"]["injuries"].update(refer_to=["hospital_x"]), "hospital_x"),
    ("referrals.yml", lambda d: d["screening"]["injuries"].update(urgent="si"), "screening.injuries"),
    ("referrals.yml", lambda d: d["screening"].update(lgbtiq={"group": "vulnerability", "refer_to": ["ppnna"],
                                                              "action": {"es": "x", "en": "x"}, "basis": ["cdn_art2"]}),
     "screening.lgbtiq"),
])
def test_loader_rejects_bad_supporting_entries(tmp_path, filename, edit, expected):
    with pytest.raises(LawDataError) as info:
        load_law(_broken_copy(tmp_path, filename, edit))
    message = str(info.value)
    assert f"law/{filename}" in message and expected in message, message


def test_loader_needs_both_files(tmp_path):
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    (target / "referrals.yml").unlink()
    with pytest.raises(LawDataError, match="law/referrals.yml: file missing"):
        load_law(target)


def test_referrals_cover_every_screening_item(law):
    assert {c for c, r in law.referrals.items() if r.group == "trafficking"} == set(TRAFFICKING_INDICATORS)
    assert {c for c, r in law.referrals.items() if r.group == "vulnerability"} == set(VULNERABILITIES)
    assert [c for c, r in law.referrals.items() if r.sensitive] == ["other_vulnerabilities"]
    for referral in law.referrals.values():
        assert referral.refer_to and referral.basis and referral.action.es and referral.action.en
    for institution in law.institutions.values():
        assert institution.source and institution.name.es and institution.short.en


def test_rights_catalogue_read_against_the_text(law):
    """The twenty chapters were read against the LGDNNA (DOF 24-12-2024); each says where."""
    for right in law.rights.values():
        assert right.chapter.checked and "DOF 24-12-2024" in right.chapter.verified_in, right.code
    assert law.rights["life"].name.es == "Derecho a la vida, a la paz, a la supervivencia y al desarrollo"
    assert law.rights["ict"].chapter.article == "101 Bis a 101 Bis 3"
    for cid in ("lgdnna_art47", "lm_art8"):
        assert law.cite(cid).checked and law.cite(cid).verified_in
