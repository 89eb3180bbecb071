"""The asylum application and the checklist, rendered from the real templates
and read back as text (golden documents checked by their words, not bytes).

Cases: every example whose procedures include asylum, a synthetic on-time
copy of EX-0001 (filed 1 April 2026, no late-filing reasons), and a copy with
a Mam-speaking child who needs an interpreter.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from docx import Document

from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.numbering import ORDINALS_EN, ORDINALS_ES
from docassemble.puente.documents.render import render_docx
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY, needs_soffice
from .docx_text import docx_paragraphs

LANGS = ("es", "en")
LEFTOVER = re.compile(r"\{\{|\{%|\}\}|%\}|\bNone\b|\bnan\b")
HECHO = re.compile(r"^(\d+)\. ")
# "PRIMERO.- " in Spanish, "FIRST: " in English (issue 17)
PETITORIO = re.compile(r"^(?=[A-Z]*(?:TH|FIRST|SECOND|THIRD): |[A-ZÁÉÍÓÚ]+\.- )([A-ZÁÉÍÓÚ]+)(?:\.-|:) ")
INJECTION = "Dijo: {{ 7*7 }} y {% if true %}X{% endif %} <w:p> & \"comillas\" 'simples'"

LATE_HEADING = {"es": "DE LA PRESENTACIÓN DE LA SOLICITUD", "en": "ON THE FILING OF THE APPLICATION"}
GROUNDS_HEADING = {"es": "CONSIDERACIONES DE DERECHO", "en": "LEGAL GROUNDS"}
DEADLINE = {"es": "14 de abril de 2026", "en": "April 14, 2026"}
ORDINALS = {"es": ORDINALS_ES, "en": ORDINALS_EN}


# ---------------------------------------------------------------------------
# reading a DOCX back




def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def section(paras: list[str], start: str, end: str) -> list[str]:
    """The paragraphs after heading ``start`` up to heading ``end``."""
    i = paras.index(start)
    j = paras.index(end, i + 1)
    return paras[i + 1:j]


# ---------------------------------------------------------------------------
# cases


def _build(data: dict, law, calendar) -> DocumentContext:
    case, problems = parse_case(copy.deepcopy(data), today=TODAY)
    assert case is not None, [p.field for p in problems]
    return DocumentContext.build(case, law, calendar)


def _on_time(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["case_id"] = "EX-0001-ONTIME"
    data["filing_date"] = date(2026, 4, 1)
    data["claim"].pop("late_filing_reasons", None)
    data["claim"].pop("late_filing_explanation", None)
    return data


def _interpreter(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["case_id"] = "EX-0001-MAM"
    data["child"]["languages"] = ["mam", "es"]
    data["child"]["needs_interpreter"] = True
    return data


@pytest.fixture(scope="module")
def cases(example_data):
    asylum = {cid: d for cid, d in example_data.items() if "asylum" in d["procedures"]}
    assert "EX-0001" in asylum
    out = dict(asylum)
    out["EX-0001-ONTIME"] = _on_time(example_data["EX-0001"])
    out["EX-0001-MAM"] = _interpreter(example_data["EX-0001"])
    return out


@pytest.fixture(scope="module")
def rendered(cases, law, calendar, tmp_path_factory):
    """case_id -> {(kind, lang): {'path', 'paras', 'text', 'ctx'}}; a fresh
    context for every render (the h/p/a counters are stateful)."""
    out: dict[str, dict] = {}
    for cid, data in cases.items():
        dc = _build(data, law, calendar)
        folder = tmp_path_factory.mktemp(cid)
        docs = {}
        for kind in ("asylum", "checklist"):
            for lang in LANGS:
                ctx = dc.for_language(lang)
                path = render_docx(kind, lang, ctx, folder / lang / f"{kind}.docx")
                paras = docx_paragraphs(path)
                docs[(kind, lang)] = {"path": path, "paras": paras, "text": "\n".join(paras), "ctx": ctx}
        out[cid] = docs
    return out


def _asylum_examples() -> list[str]:
    ids = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "asylum" in data.get("procedures", []):
            ids.append(data["case_id"])
    return ids


CASE_IDS = _asylum_examples() + ["EX-0001-ONTIME", "EX-0001-MAM"]


# ---------------------------------------------------------------------------
# the asylum application


@pytest.mark.parametrize("cid", CASE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_asylum_names_child_and_office(rendered, cid, lang):
    doc = rendered[cid][("asylum", lang)]
    ctx, text = doc["ctx"], doc["text"]
    assert ctx["child_name"] in text
    assert ctx["child_name_upper"] in text
    office = {"es": "OFICINA DE REPRESENTACIÓN EN ", "en": "REPRESENTATIVE OFFICE IN "}[lang]
    office += ctx["comar_office_upper"]
    assert office in doc["paras"]
    if lang == "es":
        assert "C. TITULAR DE LA COMISIÓN MEXICANA DE AYUDA A REFUGIADOS" in doc["paras"]
        assert "P R E S E N T E" in doc["paras"]
    else:
        assert "P R E S E N T E" not in text


@pytest.mark.parametrize("cid", CASE_IDS)
def test_asylum_cites_article_18_and_the_grounds(rendered, cid):
    es = rendered[cid][("asylum", "es")]
    en = rendered[cid][("asylum", "en")]
    # the opening groups articles 13 and 18 of the same statute
    assert re.search(r"artículos? (?:13 y )?18 de la Ley sobre Refugiados", es["text"])
    assert re.search(r"articles? (?:13 and )?18 of the Ley sobre Refugiados", en["text"])
    for doc in (es, en):
        assert doc["ctx"]["grounds"]
        for ground in doc["ctx"]["grounds"]:
            assert ground["citation"] in doc["text"]
            assert ground["grounds"] in doc["text"]
    if not cid.startswith("EX-0001"):
        return
    assert "artículo 13, fracción I, de la Ley sobre Refugiados" in es["text"]
    assert "pertenencia a determinado grupo social y género" in es["text"]
    assert "article 13, section I, of the Ley sobre Refugiados" in en["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_late_section_only_when_late(rendered, lang):
    late = rendered["EX-0001"][("asylum", lang)]
    assert late["ctx"]["late"] is True
    body = section(late["paras"], LATE_HEADING[lang], GROUNDS_HEADING[lang])
    joined = "\n".join(body)
    assert DEADLINE[lang] in joined
    article = {"es": "artículo 18 de la Ley sobre Refugiados", "en": "article 18 of the Ley sobre Refugiados"}[lang]
    assert article in joined
    assert late["ctx"]["late_reasons"][0] in joined
    assert late["ctx"]["late_explanation"][0] in joined
    # the petitorio that asks to admit it notwithstanding the term
    admit = {"es": "no obstante el término previsto en el artículo 18",
             "en": "notwithstanding the time limit set by article 18"}[lang]
    assert sum(admit in p for p in late["paras"] if PETITORIO.match(p)) == 1

    on_time = rendered["EX-0001-ONTIME"][("asylum", lang)]
    assert on_time["ctx"]["late"] is False
    assert LATE_HEADING[lang] not in on_time["paras"]
    assert DEADLINE[lang] not in on_time["text"]
    assert admit not in on_time["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_interpreter_petition_only_when_needed(rendered, lang):
    def interpreter_petitions(cid):
        doc = rendered[cid][("asylum", lang)]
        word = "intérprete" if lang == "es" else "interpreter"
        return [p for p in doc["paras"] if PETITORIO.match(p) and word in p]

    assert rendered["EX-0001"][("asylum", lang)]["ctx"]["needs_interpreter"] is False
    assert interpreter_petitions("EX-0001") == []
    assert interpreter_petitions("EX-0001-ONTIME") == []
    petition = interpreter_petitions("EX-0001-MAM")
    assert len(petition) == 1
    assert {"es": "intérprete de mam", "en": "Mam interpreter"}[lang] in petition[0]


@pytest.mark.parametrize("cid", CASE_IDS)
def test_numbering_is_in_order_and_the_same_in_both_languages(rendered, cid):
    counts = {}
    for lang in LANGS:
        paras = rendered[cid][("asylum", lang)]["paras"]
        hechos = [int(m.group(1)) for p in paras if (m := HECHO.match(p))]
        ordinals = [m.group(1) for p in paras if (m := PETITORIO.match(p))]
        assert hechos == list(range(1, len(hechos) + 1)), hechos
        assert ordinals == list(ORDINALS[lang][:len(ordinals)]), ordinals
        assert ordinals[0] == ORDINALS[lang][0]
        annexes = [p for p in paras if re.match(r"^(Anexo|Exhibit) \d+\.", p)]
        counts[lang] = (len(hechos), len(ordinals), len(annexes))
    assert counts["es"] == counts["en"]
    assert counts["es"][0] >= 8 and counts["es"][1] >= 10


def test_petitorio_count_follows_the_case(rendered):
    def n(cid):
        return sum(1 for p in rendered[cid][("asylum", "es")]["paras"] if PETITORIO.match(p))
    # on time: no "admit notwithstanding the term"; Mam: one more for the interpreter
    assert n("EX-0001-ONTIME") == n("EX-0001") - 1
    assert n("EX-0001-MAM") == n("EX-0001") + 1


@pytest.mark.parametrize("cid", CASE_IDS)
def test_english_is_a_courtesy_translation(rendered, cid):
    en = Document(str(rendered[cid][("asylum", "en")]["path"]))
    header = "\n".join(p.text for s in en.sections for p in s.header.paragraphs)
    assert "Courtesy translation — the Spanish document is the one filed" in header
    es = Document(str(rendered[cid][("asylum", "es")]["path"]))
    assert "Courtesy translation" not in "\n".join(p.text for s in es.sections for p in s.header.paragraphs)
    assert "Respectfully submitted," in rendered[cid][("asylum", "en")]["paras"]
    assert "PROTESTO LO NECESARIO" in rendered[cid][("asylum", "es")]["paras"]


@pytest.mark.parametrize("cid", CASE_IDS)
@pytest.mark.parametrize("kind", ["asylum", "checklist"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_leftovers(rendered, cid, kind, lang):
    text = rendered[cid][(kind, lang)]["text"]
    found = LEFTOVER.findall(text)
    assert not found, found
    # an empty optional value leaves no doubled punctuation or bare labels
    assert not re.search(r" ,|,,|\.\.(?!\.)|\( \)|\(\)", text)


@pytest.mark.parametrize("cid", CASE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_asylum_has_signature_block_and_place_date(rendered, cid, lang):
    doc = rendered[cid][("asylum", lang)]
    ctx, paras = doc["ctx"], doc["paras"]
    assert ctx["place_and_date"] in paras
    assert ctx["rep_name"] in paras
    assert {"es": "Firma o huella digital", "en": "Signature or fingerprint"}[lang] in paras
    assert paras.index(ctx["place_and_date"]) > max(i for i, p in enumerate(paras) if PETITORIO.match(p))


# ---------------------------------------------------------------------------
# the checklist


@pytest.mark.parametrize("cid", CASE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_checklist_uses_initials_only(rendered, cid, lang):
    doc = rendered[cid][("checklist", lang)]
    ctx, text = doc["ctx"], doc["text"]
    child = ctx["case"].child
    for secret in (ctx["child_name"], child.given_names, child.family_names, ctx["child_name_upper"]):
        assert secret not in text
    assert ctx["child_initials"] in text
    title = {"es": f"Lista de verificación — {ctx['case_id']}", "en": f"Checklist — {ctx['case_id']}"}[lang]
    assert title in doc["paras"]


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_flags_deadlines_and_evidence(rendered, lang):
    late = rendered["EX-0001"][("checklist", lang)]
    on_time = rendered["EX-0001-ONTIME"][("checklist", lang)]
    banner = {"es": "PRESENTACIÓN EXTEMPORÁNEA — justificación incluida", "en": "LATE — justification included"}[lang]
    assert banner in late["paras"]
    assert banner not in on_time["text"]
    # the deadlines table: one row per deadline, the past one marked with its days late
    for d in late["ctx"]["deadlines"]:
        assert d["label"] in late["text"] and d["date"] in late["text"] and d["basis"] in late["text"]
    past = {"es": "VENCIDO — 4 días hábiles de retraso", "en": "PAST — 4 business days late"}[lang]
    assert past in late["paras"]
    assert past not in on_time["text"]
    assert late["ctx"]["calendar_name"] in late["text"]
    # evidence: available checked, pending open
    assert any(p.startswith("☑") and "Acta de nacimiento" in p for p in late["paras"])
    assert any(p.startswith("☐") and "Fotografías de las amenazas recibidas" in p for p in late["paras"])
    # checklist items with their basis, unchecked citations marked
    mark = {"es": "(verificar)", "en": "(to verify)"}[lang]
    items = [p for p in late["paras"] if p.startswith("☐")]
    assert any("RLSRPCAP art. 24" in p and p.endswith(mark) for p in items)
    # read against the text (issue 19): no longer marked
    assert any("RLSRPCAP art. 20" in p and mark not in p for p in items)
    assert any("LFPA art. 19" in p and mark not in p for p in items)
    footer = {"es": "Citas por verificar por la persona abogada:", "en": "Citations to be verified by counsel:"}[lang]
    line = next(p for p in late["paras"] if p.startswith(footer))
    assert all(c in line for c in late["ctx"]["unchecked_citations"])


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_for_every_example(example_data, law, calendar, tmp_path, lang):
    """The checklist renders for every example, asylum or not."""
    for cid, data in example_data.items():
        ctx = _build(data, law, calendar).for_language(lang)
        path = render_docx("checklist", lang, ctx, tmp_path / f"{cid}-{lang}.docx")
        text = docx_text(path)
        assert not LEFTOVER.findall(text)
        assert ctx["child_name"] not in text
        assert ctx["child_initials"] in text


# ---------------------------------------------------------------------------
# user text is data, never template


def test_injection_prints_literally(example_data, law, calendar, tmp_path):
    data = copy.deepcopy(example_data["EX-0001"])
    data["claim"]["narrative"] = INJECTION
    data["claim"].pop("narrative_en", None)  # the English mirror then shows the Spanish, marked
    data["claim"]["persecutors"] = INJECTION
    data["child_views"] = INJECTION
    data["evidence"] = [{"description": INJECTION, "available": True},
                        {"description": INJECTION, "available": False}]
    dc = _build(data, law, calendar)
    for lang in LANGS:
        asylum = docx_paragraphs(render_docx("asylum", lang, dc.for_language(lang), tmp_path / f"a-{lang}.docx"))
        checklist = docx_paragraphs(render_docx("checklist", lang, dc.for_language(lang), tmp_path / f"c-{lang}.docx"))
        # narrative and child's views are their own paragraphs (in English, after the
        # "[Original in Spanish — not translated]" marker)
        assert sum(p.endswith(INJECTION) for p in asylum) == 2
        text = "\n".join(asylum)
        assert text.count(INJECTION) >= 5  # + persecutors, two evidence lines
        assert "49" not in text
        assert "Dijo:  y" not in text and "Dijo: X" not in text
        assert sum(INJECTION in p for p in checklist) == 2
        assert "49" not in "\n".join(checklist)


# ---------------------------------------------------------------------------
# PDF (LibreOffice)


@pytest.mark.pdf
@needs_soffice()
def test_asylum_pdf_text(rendered):
    from pypdf import PdfReader

    from docassemble.puente.documents.pdf import convert_to_pdf

    docs = [rendered["EX-0001"][("asylum", lang)]["path"] for lang in LANGS]
    pdfs = convert_to_pdf(docs)
    assert set(pdfs) == set(docs)
    texts = {}
    for lang, docx_path in zip(LANGS, docs, strict=True):
        reader = PdfReader(str(pdfs[docx_path]))
        texts[lang] = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        assert len(reader.pages) >= 4
    assert "Ana Lucía Pérez López" in texts["es"]
    assert "14 de abril de 2026" in texts["es"]
    assert "April 14, 2026" in texts["en"]
    assert "Courtesy translation" in texts["en"]
    assert re.search(r"Página 1 de \d+", texts["es"])
