"""The coadyuvante, family reunification and derivative-status filings,
rendered from the real templates for every example case that has the
procedure, and read back as text (golden documents checked by their words).

Each render gets a fresh DocumentContext: the h/p/a/dr counters are stateful.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docassemble.puente.checklist import case_checklist
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.numbering import ORDINALS_EN, ORDINALS_ES
from docassemble.puente.documents.protect import redact_context, redaction_for
from docassemble.puente.documents.render import render_docx
from docassemble.puente.pipeline import Options, generate
from docassemble.puente.review import SPANISH_ONLY
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY, needs_soffice
from .docx_text import docx_paragraphs

LANGS = ("es", "en")
FILINGS = ("coadyuvante", "family_reunification", "derivative_status")
LEFTOVER = re.compile(r"\{\{|\{%|\}\}|%\}|\bNone\b|\bnan\b")
HECHO = re.compile(r"^(\d+)\. ")
# "PRIMERO.- " in Spanish, "FIRST: " in English (issue 17)
PETITORIO = re.compile(r"^(?=[A-Z]*(?:TH|FIRST|SECOND|THIRD): |[A-ZÁÉÍÓÚ]+\.- )([A-ZÁÉÍÓÚ]+)(?:\.-|:) ")
ROMAN = re.compile(r"^([IVX]+)\. ")
ORDINALS = {"es": ORDINALS_ES, "en": ORDINALS_EN}
REQUIRED_FLAGS = {"late_filing", "trafficking_indicators", "under_12", "needs_interpreter",
                  "no_identity_documents", "restitution_plan_missing", "child_not_heard"}


def _examples() -> dict[str, dict]:
    out = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["case_id"]] = data
    return out


EXAMPLE_DATA = _examples()
PAIRS = [(cid, kind) for cid, data in EXAMPLE_DATA.items() for kind in FILINGS if kind in data["procedures"]]


# ---------------------------------------------------------------------------
# reading a DOCX back




def _context(data: dict, law, calendar) -> DocumentContext:
    case, problems = parse_case(copy.deepcopy(data), today=TODAY)
    assert case is not None, [(p.field, p.message_en) for p in problems]
    return DocumentContext.build(case, law, calendar)


def render(data: dict, kind: str, lang: str, law, calendar, folder: Path, *, redact: bool = False) -> dict:
    dc = _context(data, law, calendar)
    ctx = dc.for_language(lang)
    if redact:
        ctx = redact_context(ctx, redaction_for(dc.case, lang))
        ctx["case"] = None  # as the pipeline does: templates print context phrases only
    path = render_docx(kind, lang, ctx, folder / f"{data['case_id']}-{kind}-{lang}{'-r' if redact else ''}.docx")
    paras = docx_paragraphs(path)
    return {"paras": paras, "text": "\n".join(paras), "flat": " ".join(" ".join(paras).split()), "ctx": ctx}


@pytest.fixture(scope="module")
def docs(law, calendar, tmp_path_factory):
    folder = tmp_path_factory.mktemp("filings")
    return {(cid, kind, lang): render(EXAMPLE_DATA[cid], kind, lang, law, calendar, folder)
            for cid, kind in PAIRS for lang in LANGS}


@pytest.fixture
def variant(law, calendar, tmp_path):
    """Render a modified copy of an example: variant('EX-0001', 'coadyuvante', 'es', edit)."""
    def make(cid, kind, lang, edit, **kw):
        data = copy.deepcopy(EXAMPLE_DATA[cid])
        edit(data)
        return render(data, kind, lang, law, calendar, tmp_path, **kw)
    return make


def hechos(paras: list[str]) -> list[int]:
    return [int(m.group(1)) for p in paras if (m := HECHO.match(p))]


def petitorios(paras: list[str]) -> list[str]:
    return [m.group(1) for p in paras if (m := PETITORIO.match(p))]


def petitorio_texts(paras: list[str]) -> str:
    return "\n".join(p for p in paras if PETITORIO.match(p))


# ---------------------------------------------------------------------------
# every filing of every example that calls for it


def test_examples_exercise_every_procedure_and_flag(law, calendar):
    procedures, flags = set(), set()
    for data in EXAMPLE_DATA.values():
        dc = _context(data, law, calendar)
        procedures |= set(dc.case.procedures)
        flags |= {f.id for f in dc.flags}
    assert procedures == {"asylum", "coadyuvante", "family_reunification", "derivative_status", "review_appeal"}
    assert REQUIRED_FLAGS <= flags, REQUIRED_FLAGS - flags
    assert {kind for _, kind in PAIRS} == set(FILINGS)


@pytest.mark.parametrize("cid, kind", PAIRS)
@pytest.mark.parametrize("lang", LANGS)
def test_renders_without_leftovers(docs, cid, kind, lang):
    doc = docs[(cid, kind, lang)]
    assert not LEFTOVER.search(doc["text"]), LEFTOVER.search(doc["text"])
    assert doc["ctx"]["child_name"] in doc["text"]
    assert not re.search(r"\b(?:de|a) el\b", doc["text"])  # del / al
    assert "  " not in doc["flat"]
    if lang == "en":
        assert "Courtesy translation — the Spanish document is the one filed" in doc["paras"]
        assert "P R E S E N T E" not in doc["text"]
        assert "PROTESTO" not in doc["text"] and "Respectfully submitted," in doc["paras"]
    else:
        assert "Courtesy translation" not in doc["text"]
        assert "P R E S E N T E" in doc["paras"]
        assert "PROTESTO LO NECESARIO" in doc["paras"]
        assert doc["ctx"]["place_and_date"] in doc["paras"]


@pytest.mark.parametrize("cid, kind", PAIRS)
def test_spanish_and_english_number_the_same_paragraphs(docs, cid, kind):
    es, en = docs[(cid, kind, "es")]["paras"], docs[(cid, kind, "en")]["paras"]
    assert hechos(es) == hechos(en) == list(range(1, len(hechos(es)) + 1))
    assert len(hechos(es)) >= 4
    for lang, paras in (("es", es), ("en", en)):
        got = petitorios(paras)
        assert got == list(ORDINALS[lang][:len(got)]), got
    assert len(petitorios(es)) == len(petitorios(en)) >= 6
    # the legal grounds are numbered I, II, III… with no gap
    for paras in (es, en):
        romans = [m.group(1) for p in paras if (m := ROMAN.match(p))]
        assert romans == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][:len(romans)] and len(romans) >= 4
    # paragraph for paragraph, but for the Spanish formula English omits (P R E S E N T E)
    assert len(es) - sum(p in SPANISH_ONLY for p in es) == len(en)


@pytest.mark.parametrize("cid, kind", PAIRS)
def test_english_glosses_each_statute_once(docs, cid, kind):
    """Legal names stay in Spanish with the English gloss the first time (docs/glossary.md)."""
    en = docs[(cid, kind, "en")]["flat"]
    for gloss in ("(General Law on the Rights of Children and Adolescents)", "(Migration Law)",
                  "(Law on Refugees, Complementary Protection and Political Asylum)",
                  "(Convention on the Rights of the Child)", "(Federal Law of Administrative Procedure)"):
        assert en.count(gloss) <= 1, gloss
    assert en.count("(Convention on the Rights of the Child)") == 1


# ---------------------------------------------------------------------------
# representación coadyuvante


def test_coadyuvante_state_and_federal_headings(docs):
    state = docs[("EX-0001", "coadyuvante", "es")]["paras"]
    assert "C. TITULAR DE LA PROCURADURÍA DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES DEL ESTADO DE CHIAPAS" in state
    assert not any("FEDERAL" in p for p in state[:8])
    federal = docs[("EX-0004", "coadyuvante", "es")]["paras"]
    assert "C. TITULAR DE LA PROCURADURÍA FEDERAL DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES" in federal
    assert "SISTEMA NACIONAL PARA EL DESARROLLO INTEGRAL DE LA FAMILIA" in federal
    en = docs[("EX-0004", "coadyuvante", "en")]["paras"]
    # The gloss shares the heading line, so the headings pair line for line.
    assert ("THE HEAD OF THE PROCURADURÍA FEDERAL DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES "
            "(PPNNA, FEDERAL CHILD PROTECTION OFFICE)") in en
    # "P R E S E N T E" has no counterpart in US legal English: the mirror omits it (docs/glossary.md)
    assert "P R E S E N T E" in federal and "PRESENT" not in en and not any(p.startswith("PRESENT") for p in en)
    baja = docs[("EX-0006", "coadyuvante", "es")]["paras"]
    assert ("C. TITULAR DE LA PROCURADURÍA DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES DEL ESTADO DE BAJA "
            "CALIFORNIA") in baja


@pytest.mark.parametrize("cid", [cid for cid, kind in PAIRS if kind == "coadyuvante"])
def test_coadyuvante_cites_its_basis(docs, cid):
    es = docs[(cid, "coadyuvante", "es")]["flat"]
    en = docs[(cid, "coadyuvante", "en")]["flat"]
    # LGDNNA art. 106, para. 2 (the coadyuvante duty); art. 4, fr. XXIV to XXVI (the three representations)
    assert "artículo 106, párrafo segundo, de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in es
    assert "artículo 4, fracciones XXIV a XXVI, de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in es
    assert "artículo 123 de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in es
    assert "artículos 99 y 112 de la Ley de Migración" in es
    assert "Los artículos 89 a 101 de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in es
    assert "artículo 12 de la Convención sobre los Derechos del Niño" in es
    assert "article 106, paragraph 2, of the Ley General de los Derechos de Niñas, Niños y Adolescentes" in en
    assert "set out in article 123 of the Ley General" in en
    # the seven steps of the restitution procedure
    for step in ("detectar o recibir", "diagnóstico", "derechos se encuentran restringidos o vulnerados",
                 "plan de restitución de derechos", "acordar y coordinar", "dar seguimiento"):
        assert step in es


def test_coadyuvante_petitorios_follow_what_is_known_about_the_ppnna(docs):
    # EX-0001: file known, notified, no plan, not heard
    ana = petitorio_texts(docs[("EX-0001", "coadyuvante", "es")]["paras"])
    assert "Agregar este escrito al expediente PPNNA/CHIS/0123/2026" in ana
    assert "emitir, en el menor tiempo posible, el plan de restitución de sus derechos" in ana
    assert "Escuchar a la adolescente en condiciones adecuadas a su edad" in ana
    assert "Abrir el expediente" not in ana and "copia del plan de restitución" not in ana
    hechos_ana = docs[("EX-0001", "coadyuvante", "es")]["flat"]
    assert "El 3 de marzo de 2026, el Instituto Nacional de Migración dio aviso a esa Procuraduría" in hechos_ana
    assert "han transcurrido 48 días naturales desde dicho aviso" in hechos_ana
    # EX-0004: nothing known about the PPNNA
    wisly = docs[("EX-0004", "coadyuvante", "es")]
    assert "Abrir el expediente de protección que corresponde al adolescente" in petitorio_texts(wisly["paras"])
    assert "No consta a quien suscribe que el Instituto Nacional de Migración haya dado aviso" in wisly["flat"]
    # EX-0006: plan issued, child heard
    sofia = petitorio_texts(docs[("EX-0006", "coadyuvante", "es")]["paras"])
    assert "copia del plan de restitución de derechos emitido el 20 de febrero de 2026" in sofia
    assert "Tomar debidamente en cuenta la opinión expresada por la niña" in sofia
    assert "Escuchar a la niña" not in sofia
    assert "Tarjeta de Visitante por Razones Humanitarias" not in sofia  # already issued
    en = petitorio_texts(docs[("EX-0006", "coadyuvante", "en")]["paras"])
    assert "rights-restitution plan issued on February 20, 2026" in en


def test_coadyuvante_petitorios_change_when_the_plan_is_issued_and_the_child_heard(docs, variant):
    before = petitorio_texts(docs[("EX-0001", "coadyuvante", "es")]["paras"])
    after_doc = variant("EX-0001", "coadyuvante", "es", lambda d: d["coadyuvante"].update(
        restitution_plan_date="2026-04-01", child_heard=True))
    after = petitorio_texts(after_doc["paras"])
    assert "copia del plan de restitución de derechos emitido el 1 de abril de 2026" in after
    assert "Tomar debidamente en cuenta la opinión expresada por la adolescente" in after
    assert "Escuchar a la adolescente" in before and "Escuchar a la adolescente" not in after
    assert "ya fue escuchada por esa Procuraduría" in after_doc["flat"]
    assert "han transcurrido" not in after_doc["flat"]  # the delay matters only while there is no plan


def test_urgent_measures_only_when_the_case_shows_a_risk(docs):
    wisly = docs[("EX-0004", "coadyuvante", "es")]
    flat = wisly["flat"]
    assert "las siguientes medidas urgentes de protección especial" in flat
    assert "artículo 122, fracciones VI y VII, de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in flat
    assert "FEVIMTRA" in flat
    assert "salida inmediata de la estación migratoria" in flat
    assert "La prohibición de entregar al adolescente a la persona adulta con quien viajaba" in flat
    assert "Muestra miedo o signos de intimidación" in flat  # worded with no agreement to make
    assert "se encuentra privado de la libertad en la estación migratoria del INM" in flat
    for cid in ("EX-0001", "EX-0006"):
        other = docs[(cid, "coadyuvante", "es")]["flat"]
        assert "medidas urgentes" not in other and "FEVIMTRA" not in other and "artículo 122" not in other
    assert "urgent special protection measures" in docs[("EX-0004", "coadyuvante", "en")]["flat"]


def test_health_details_are_printed_only_when_counsel_chooses(docs, variant):
    assert "Herida infectada" not in docs[("EX-0004", "coadyuvante", "es")]["text"]
    assert "se reservan en este escrito por su carácter sensible" in docs[("EX-0004", "coadyuvante", "es")]["flat"]
    shown = variant("EX-0004", "coadyuvante", "es", lambda d: d["screening"].update(print_sensitive=True))
    assert "Herida infectada en el pie derecho" in shown["flat"]


def test_coadyuvante_copies_go_where_relevant(docs):
    def copies(cid):
        return [p for p in docs[(cid, "coadyuvante", "es")]["paras"] if p.startswith("C.c.p.")]
    # child in an INM station who has not decided to apply for asylum: INM only
    assert [c.split(",")[0] for c in copies("EX-0004")] == ["C.c.p. Instituto Nacional de Migración"]
    # asylum filed the same day and TVRH missing: INM and COMAR
    assert [c.split(",")[0] for c in copies("EX-0001")] == [
        "C.c.p. Instituto Nacional de Migración", "C.c.p. Comisión Mexicana de Ayuda a Refugiados"]
    # TVRH issued, COMAR file pending: COMAR only, with its file number
    sofia = copies("EX-0006")
    assert len(sofia) == 1 and "COMAR/TIJ/0390/2026" in sofia[0]
    assert all(p.startswith("cc: ") for p in docs[("EX-0001", "coadyuvante", "en")]["paras"]
               if p.startswith("cc"))


def test_coadyuvante_procedures_listed(docs):
    sofia = docs[("EX-0006", "coadyuvante", "es")]["flat"]
    assert "el procedimiento de reconocimiento de la condición de refugiado ante la Comisión Mexicana de Ayuda a " \
           "Refugiados, Oficina de Representación en Tijuana, Baja California, expediente COMAR/TIJ/0390/2026" in sofia
    assert "el procedimiento de reunificación familiar ante la Comisión Mexicana de Ayuda a Refugiados" in sofia
    wisly = docs[("EX-0004", "coadyuvante", "es")]["flat"]
    assert "reunificación familiar" not in wisly
    assert "Informar al adolescente, en un lenguaje adecuado a su edad y en criollo haitiano" in wisly


# ---------------------------------------------------------------------------
# family reunification


def test_reunification_by_a_child_refugee(docs):
    es = docs[("EX-0003", "family_reunification", "es")]
    flat = es["flat"]
    for name in ("ROSA ISELA HERNÁNDEZ ORELLANA", "MARIO HERNÁNDEZ PINEDA", "KARLA HERNÁNDEZ ORELLANA"):
        assert name in flat
    assert "COMAR/CDMX/1010/2026" in flat and "20 de mayo de 2026" in flat
    assert "artículo 58 de la Ley sobre Refugiados" in flat
    assert "artículo 10 de la Convención sobre los Derechos del Niño" in flat
    assert "artículo 3 de la Convención sobre los Derechos del Niño" in flat
    # each relative: identity, relationship, location, dependency
    assert "–\tParentesco con la adolescente: padre (consanguinidad en primer grado en línea recta)." in es["paras"]
    assert sum(p.startswith("–\tDependencia económica:") for p in es["paras"]) == 2
    assert "–\tLugar donde se encuentra: San Miguel, El Salvador." in es["paras"]
    # the solvency argument and the request to waive it
    assert "El requisito de capacidad económica no puede exigirse a una persona menor de edad." in flat
    assert "Tener por no exigible a la adolescente el requisito de capacidad económica" in flat
    assert "Procuraduría Federal de Protección de Niñas, Niños y Adolescentes" in flat
    assert "es la adolescente quien, por su edad, requiere del cuidado de Mario Hernández Pineda" in flat
    assert "Secretaría de Relaciones Exteriores" in flat and "representación consular de México en El Salvador" in flat
    en = docs[("EX-0003", "family_reunification", "en")]["flat"]
    assert "The economic-capacity requirement cannot be imposed on a child." in en
    assert "article 58 of the Ley sobre Refugiados" in en


def test_reunification_by_a_relative_refugee_has_no_solvency_argument(docs):
    es = docs[("EX-0006", "family_reunification", "es")]
    flat = es["flat"]
    assert "COMAR/TIJ/0142/2026" in flat and "GLORIA ESPERANZA MARTÍNEZ FLORES" in flat
    assert "YESENIA MARISOL CRUZ MARTÍNEZ" in flat and "KEVIN JOSUÉ MEJÍA CRUZ" in flat
    assert "SOFÍA ABIGAIL MEJÍA CRUZ, su nieta" in flat
    assert "capacidad económica no puede exigirse" not in flat and "no exigible" not in flat
    assert "Capacidad económica." in flat
    assert "artículo 58 de la Ley sobre Refugiados" in flat
    # only relatives abroad with reunification requested are listed (not the grandmother)
    assert sum(p.startswith("–\tDependencia económica:") for p in es["paras"]) == 2
    listed = [p for p in es["paras"] if re.match(r"^[a-z]\)\t", p) and p[3:].isupper()]
    assert listed == ["a)\tYESENIA MARISOL CRUZ MARTÍNEZ", "b)\tKEVIN JOSUÉ MEJÍA CRUZ"]
    # the refugee signs (a paragraph of its own in the signature table), with counsel
    assert "Gloria Esperanza Martínez Flores" in es["paras"] and "Itzel Navarro Beltrán" in es["paras"]


# ---------------------------------------------------------------------------
# derivative status


def test_derivative_on_time(docs):
    es = docs[("EX-0002", "derivative_status", "es")]
    flat = es["flat"]
    assert "Óscar Ramírez Flores" in flat and "COMAR/MTY/0456/2025" in flat and "20 de agosto de 2025" in flat
    assert "artículo 12 de la Ley sobre Refugiados" in flat
    assert "Luis Fernando Ramírez Castro es hijo de Óscar Ramírez Flores" in flat
    assert "como consta en su acta de nacimiento" in flat
    assert "Acta de nacimiento del niño, en la que consta su filiación respecto de Óscar Ramírez Flores." in flat
    assert "donde vive con Óscar Ramírez Flores en Monterrey" in flat
    petitions = petitorio_texts(es["paras"])
    assert "Reconocer al niño LUIS FERNANDO RAMÍREZ CASTRO la condición de refugiado por derivación" in petitions
    assert "Subsidiariamente, tener este mismo escrito como solicitud de reconocimiento de la condición de " \
           "refugiado del niño por derecho propio, presentada el 1 de junio de 2026 para los efectos del " \
           "artículo 18 de la Ley sobre Refugiados" in " ".join(petitions.split())
    assert "DE LA OPORTUNIDAD DE LA SOLICITUD" not in flat.upper()
    assert "no obstante dicho término" not in flat
    en = docs[("EX-0002", "derivative_status", "en")]["flat"]
    assert "In the alternative, take this same submission as the child’s application" in en
    assert "article 18 of the Ley sobre Refugiados" in en


def test_derivative_filed_late(docs):
    es = docs[("EX-0005", "derivative_status", "es")]
    flat = es["flat"]
    assert es["ctx"]["late"] is True
    assert "De la oportunidad de la solicitud" in es["paras"] or "DE LA OPORTUNIDAD DE LA SOLICITUD" in es["paras"]
    assert "habría concluido el 25 de marzo de 2026" in flat
    for reason in es["ctx"]["late_reasons"]:
        assert reason in flat
    assert "estuvo hospitalizada y en reposo por dengue grave" in flat
    assert "admitirla a trámite no obstante dicho término" in flat
    # no birth certificate: the relationship rests on other evidence, including the statements
    assert "con la declaración de ambas personas" in flat
    assert "Daniela Alejandra Pérez Rivas" in flat and "COMAR/GDL/0311/2025" in flat
    en = docs[("EX-0005", "derivative_status", "en")]["flat"]
    assert "would have ended on March 25, 2026" in en
    assert "On the timeliness of the application" in docs[("EX-0005", "derivative_status", "en")]["paras"] \
        or "ON THE TIMELINESS OF THE APPLICATION" in docs[("EX-0005", "derivative_status", "en")]["paras"]


@pytest.mark.parametrize("cid", [cid for cid, kind in PAIRS if kind == "derivative_status"])
def test_derivative_child_specific_requests(docs, cid):
    petitions = petitorio_texts(docs[(cid, "derivative_status", "es")]["paras"])
    for words in ("personal especializado", "artículo 22 del Reglamento de la Ley sobre Refugiados",
                  "estricta confidencialidad", "constancia de trámite", "Tarjeta de Visitante por Razones Humanitarias",
                  "representación coadyuvante", "de manera prioritaria"):
        assert words in petitions, words


def test_derivative_without_a_known_procuraduria_asks_the_competent_one(variant):
    doc = variant("EX-0002", "derivative_status", "es", lambda d: d.update(authority={"comar_office": "Monterrey"}))
    assert "Dar vista e intervención a la Procuraduría de Protección de Niñas, Niños y Adolescentes competente" \
        in doc["flat"]


def test_derivative_interpreter_and_detention_requests(variant):
    def edit(d):
        d["child"].update(languages=["quc", "es"], needs_interpreter=True,
                          placement={"type": "inm_station", "name": "Siglo XXI", "city": "Tapachula",
                                     "state": "Chiapas"})
    doc = variant("EX-0002", "derivative_status", "es", edit)
    petitions = petitorio_texts(doc["paras"])
    assert "intérprete de k'iche'" in petitions
    assert "canalización inmediata del niño a un Centro de Asistencia Social" in petitions
    en = variant("EX-0002", "derivative_status", "en", edit)
    assert len(petitorios(doc["paras"])) == len(petitorios(en["paras"]))


@pytest.mark.parametrize("sex", ["M", "X"])
@pytest.mark.parametrize("cid, kind", [("EX-0003", "family_reunification"), ("EX-0006", "coadyuvante"),
                                       ("EX-0005", "derivative_status")])
def test_agreement_with_the_childs_sex(variant, cid, kind, sex):
    for lang in LANGS:
        doc = variant(cid, kind, lang, lambda d: d["child"].update(sex=sex))
        assert not LEFTOVER.search(doc["text"])
        assert not re.search(r"\b(?:de|a) el\b", doc["text"])
        assert not re.search(r"\bthey (?:is|has|was)\b", doc["text"])
        if lang == "es" and sex == "M":
            # "la niña, niño o adolescente" is the law's generic phrase; exhibits are counsel's words
            ours = "\n".join(p for p in doc["paras"] if not p.startswith("Anexo"))
            assert not re.search(r"\b(?:la adolescente|la niña(?!, niño| o el niño)|separada|escuchada)\b", ours)


# ---------------------------------------------------------------------------
# public versions, checklists, pipeline


@pytest.mark.parametrize("cid, kind", [("EX-0006", "family_reunification"), ("EX-0006", "coadyuvante"),
                                       ("EX-0005", "derivative_status"), ("EX-0004", "coadyuvante")])
def test_public_version_hides_names_and_numbers(law, calendar, tmp_path, cid, kind):
    data = EXAMPLE_DATA[cid]
    doc = render(data, kind, "es", law, calendar, tmp_path, redact=True)
    secrets = [data["child"]["given_names"], data["child"]["family_names"]]
    for rel in data.get("family", []):
        secrets += [rel["given_names"], rel["family_names"]]
        if rel.get("refugee_status"):
            secrets.append(rel["refugee_status"]["resolution_number"])
    secrets += [v for v in (data.get("coadyuvante", {}).get("expediente"),
                            data.get("proceedings", {}).get("comar_case_number")) if v]
    for secret in secrets:
        assert secret.lower() not in doc["text"].lower(), secret


def test_checklist_sections_for_each_procedure(law, calendar):
    def items(cid):
        dc = _context(EXAMPLE_DATA[cid], law, calendar)
        checklist = case_checklist(dc.case, law)
        return checklist, {e.item.id for sections in checklist.values() for entries in sections.values()
                           for e in entries}
    for cid, kind in PAIRS:
        checklist, _ = items(cid)
        assert set(checklist[kind]) == {"documents", "after_filing", "safeguards"}, (cid, kind)
        for entries in checklist[kind].values():
            assert all(e.basis_text("es") for e in entries)
    _, wisly = items("EX-0004")
    assert {"coad_trafficking", "coad_detention", "coad_health", "coad_hearing", "coad_tvrh", "coad_identity",
            "coad_expediente", "coad_plan_followup"} <= wisly
    assert "coad_plan_review" not in wisly and "coad_comar" not in wisly
    _, sofia = items("EX-0006")
    assert {"coad_plan_review", "coad_plan_copy", "coad_comar", "reunif_income"} <= sofia
    assert not {"coad_hearing", "coad_plan_followup", "coad_trafficking", "reunif_solvency"} & sofia
    _, rosa = items("EX-0003")
    assert "reunif_solvency" in rosa and "reunif_income" not in rosa
    _, ana = items("EX-0001")
    # items that say the same thing appear once, under the first procedure
    assert "asylum_carta_poder" in ana and "coad_carta_poder" not in ana


def test_pipeline_produces_the_filings_of_every_example(law, calendar, tmp_path):
    raw = [(cid, copy.deepcopy(data)) for cid, data in EXAMPLE_DATA.items()]
    results = generate(raw, tmp_path, law, calendar, Options(pdf=False, today=TODAY))
    by_id = {r.case_id: r for r in results}
    for cid, kind in PAIRS:
        assert by_id[cid].status == "ok", by_id[cid].errors
        kinds = {(d.kind, d.language) for d in by_id[cid].documents}
        langs = by_id[cid].case.output_languages  # Spanish always; English when the case asks for it
        assert {(kind, lang) for lang in langs} <= kinds
        assert (tmp_path / cid / "es" / f"{kind}.docx").is_file()


@pytest.mark.pdf
@needs_soffice()
def test_pdf_text_and_packet(law, calendar, tmp_path):
    """Every filing kind through LibreOffice: EX-0005 (derivative, late) and
    EX-0006 (reunification and coadyuvante); the packets hold them all."""
    raw = [(cid, copy.deepcopy(EXAMPLE_DATA[cid])) for cid in ("EX-0005", "EX-0006")]
    results = generate(raw, tmp_path, law, calendar, Options(pdf=True, today=TODAY))
    assert [r.status for r in results] == ["ok", "ok"], [r.errors for r in results]

    def pdf_text(rel: str) -> str:
        reader = PdfReader(str(tmp_path / rel))
        return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())

    deriv = pdf_text("EX-0005/es/derivative_status.pdf")
    assert "VALERIA SOFÍA RONDÓN PÉREZ" in deriv and "COMAR/GDL/0311/2025" in deriv
    assert "artículo 12 de la Ley sobre Refugiados" in deriv and "25 de marzo de 2026" in deriv
    reunif = pdf_text("EX-0006/es/family_reunification.pdf")
    assert "YESENIA MARISOL CRUZ MARTÍNEZ" in reunif and "artículo 58 de la Ley sobre Refugiados" in reunif
    coad = pdf_text("EX-0006/es/coadyuvante.pdf")
    assert "PROCURADURÍA DE PROTECCIÓN DE NIÑAS, NIÑOS Y ADOLESCENTES DEL ESTADO DE BAJA CALIFORNIA" in coad
    assert "artículo 106, párrafo segundo, de la Ley General de los Derechos de Niñas, Niños y Adolescentes" in coad
    en = pdf_text("EX-0006/en/coadyuvante.pdf")
    assert "Courtesy translation" in en and "February 20, 2026" in en
    for text in (deriv, reunif, coad, en):
        assert not LEFTOVER.search(text)
        assert "Página 1 de" in text or "Page 1 of" in text
    # the packets hold every filing of the case, behind the index
    for lang in LANGS:
        packet = PdfReader(str(tmp_path / f"EX-0006/packet.{lang}.pdf"))
        filings = [PdfReader(str(tmp_path / f"EX-0006/{lang}/{kind}.pdf")) for kind in
                   ("family_reunification", "coadyuvante", "carta_poder")]
        assert len(packet.pages) == 1 + sum(len(r.pages) for r in filings)
