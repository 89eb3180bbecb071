"""A sparse record never leaves a broken sentence (issue 11: when the record is
silent, a filing omits the statement and the checklist asks counsel).

For each procedure, the smallest case the validator accepts — every optional
field absent — in three shapes (a date of birth; an estimated age; one of each
list with only its required fields), rendered in Spanish and English, filed
and public versions, every document of its plan and the review packet. The
text is scanned for what a missing value leaves behind: " ,", ", ,", ",.",
" .", "()", ": .", doubled spaces, a sentence ending in an article or a
preposition ("de .", "of ,"), "None", "nan", template syntax, empty list
items, a label followed by nothing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from docassemble.puente.checklist import case_checklist
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.protect import redact_context, redaction_for
from docassemble.puente.documents.render import render_docx
from docassemble.puente.documents.review_packet import review_context
from docassemble.puente.model import Case
from docassemble.puente.pipeline import document_plan
from docassemble.puente.validate import parse_case

from .conftest import TODAY
from .docx_text import docx_paragraphs

BASE: dict[str, Any] = {
    "case_id": "SPARSE-1",
    "child": {"given_names": "Ana", "family_names": "Pérez", "date_of_birth": "2012-03-01"},
    "representative": {"given_names": "Rosa", "family_names": "Gómez"},
    "filing_city": "Tapachula",
}
RESOLUTION = {"resolution_number": "COMAR/TAP/RES/1/2026", "resolution_date": "2026-01-10"}
# procedure -> the fields the validator (and the stage) require for it, nothing more
REQUIRED: dict[str, dict[str, Any]] = {
    "asylum": {"authority": {"comar_office": "Tapachula"}, "child": {"entry_date": "2026-10-01"},
               "claim": {"grounds": ["particular_social_group"], "narrative": "Salió de su país por miedo."}},
    "coadyuvante": {"authority": {"ppnna": "federal"}},
    "family_reunification": {"authority": {"comar_office": "Tapachula"}, "refugee_status": RESOLUTION,
                             "family": [{"given_names": "Luis", "family_names": "Pérez", "relationship": "father",
                                         "reunification_requested": True}]},
    "derivative_status": {"authority": {"comar_office": "Tapachula"}, "child": {"entry_date": "2026-10-01"},
                          "family": [{"given_names": "Luis", "family_names": "Pérez", "relationship": "father",
                                      "is_principal_refugee": True, "refugee_status": RESOLUTION}]},
    "carta_poder": {},
    "ratification": {"proceedings": {"comar_filed_date": "2026-11-19"}},
    "prevention_reply": {"proceedings": {"comar_filed_date": "2026-11-10", "prevention_notified_date": "2026-11-19",
                                         "prevention_items": ["Domicilio actual"]}},
    "review_appeal": {"proceedings": {"resolution": {"kind": "refused", "notified_date": "2026-11-13"}}},
    "residence_change": {"proceedings": {"comar_filed_date": "2026-11-10",
                                         "residence_change": {"to_city": "Monterrey", "reason": "Vive ahí su tía."}}},
}
PROCEDURES = tuple(REQUIRED)
SHAPES = ("date_of_birth", "estimated_age", "lists")


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


def sparse(procedure: str, shape: str = "date_of_birth") -> dict[str, Any]:
    data = _merge(copy.deepcopy(BASE), REQUIRED[procedure])
    data["procedures"] = [procedure]
    if shape == "estimated_age":
        del data["child"]["date_of_birth"]
        data["child"].update(age_estimated=True, estimated_age=15)
    elif shape == "lists":
        data.setdefault("family", []).append({"given_names": "Eva", "family_names": "Pérez",
                                              "relationship": "sibling"})
        data.setdefault("claim", {})["events"] = [{"description": "Un hecho sin fecha ni lugar"}]
        data["evidence"] = [{"description": "Una prueba"}]
    return data


def sparse_case(procedure: str, shape: str = "date_of_birth") -> Case:
    case, problems = parse_case(sparse(procedure, shape), today=TODAY)
    assert case is not None, [p.line() for p in problems]
    return case


# --------------------------------------------------------------------------
# What a missing value leaves behind

ARTICLES = r"(?:de|del|el|la|los|las|un|una|en|con|por|para|al|of|the|in|with|from|by|an)"
LEFTOVERS = {
    "space before a comma": r"\S ,",
    "empty item between commas": r",\s*,",
    "comma before a period": r",\s*\.",
    "space before a period": r"\w \.(?!\w)",
    "empty parentheses": r"\(\s*\)",
    "colon then period": r":\s*\.",
    "doubled space": r"[^\s_]  +[^\s_☐]",  # runs of spaces beside a signature line or a box are layout
    # "de ." / "el ," / "of ," / "the ." (not "para. 2", an abbreviation)
    "article or preposition before punctuation": r"(?i)(?<![\w.])" + ARTICLES + r"\s*(?:[,;:]|\.(?! ?\d))(?!\w)",
    "None": r"\bNone\b",
    "nan": r"\bnan\b",
    "template syntax": r"\{\{|\}\}|\{%|%\}",
    "empty list": r"\[\]",
    "list marker alone": r"^\s*(?:[-•·–☐]|\d+[.)]|[a-z][.)]|[IVXLC]+\.)\s*$",
    "label followed by a label": r"[^\W_]:\s+[^\W\d_][^\W_]*(?: [^\W_]+){0,3}:(?!\S)",
    # "el el Reglamento", "de de", "the the": two clauses each bringing their article
    "repeated word": r"(?i)\b(\w{2,})\s+\1\b",
}


def _containers(doc: Any):
    """Each run of sibling paragraphs (body, headers, footers, every table
    cell), and each table row's cells."""
    todo = [doc] + [part for s in doc.sections for part in (s.header, s.footer)]
    while todo:
        container = todo.pop(0)
        paragraphs = []
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                paragraphs.append(block)
                continue
            for row in block.rows:
                cells = [_Cell(tc, block) for tc in row._tr.tc_lst]
                yield "row", cells
                todo += cells
        yield "paragraphs", paragraphs


def leftovers(path: Path) -> list[tuple[str, str]]:
    """(what, the paragraph) for every broken leftover in a DOCX."""
    found = []
    for kind, items in _containers(Document(str(path))):
        in_cell = bool(items) and isinstance(items[0]._parent, _Cell)
        if kind == "row":
            cells = [" ".join(p.text for p in cell.paragraphs).strip() for cell in items]
            if len(cells) > 1 and cells[0].endswith(":") and not any(cells[1:]):
                found.append(("label with an empty cell", " | ".join(cells)))
            continue
        for i, paragraph in enumerate(items):
            text = paragraph.text
            ppr = paragraph._p.pPr
            if ppr is not None and ppr.numPr is not None and not text.strip():
                found.append(("empty numbered item", text))
            found += [(what, text) for what, pattern in LEFTOVERS.items() if re.search(pattern, text)]
            # the last paragraph of a table cell goes on in the next row (the
            # review packet pairs a filing's paragraphs row by row)
            following = items[i + 1].text.strip() if i + 1 < len(items) else ("…" if in_cell else "")
            if text.rstrip().endswith(":") and not following:
                found.append(("label followed by nothing", text))
    return found


def test_the_scan_sees_each_leftover(tmp_path):
    """The scan itself can fail: each pattern on a sentence a silent field broke."""
    broken = ["La persona adolescente Ana Pérez es , nacida el 1 de marzo.", "Nacionalidad: .", "Vive en ( ).",
              "Ingresó por , , Chiapas.", "The child is a national of .", "None", "el {{ x }}", "Nació en el ,",
              "Fecha:  Lugar: México", "Ingresó el 3 de mayo .",
              "con fundamento en el el Reglamento", "under the The Reglamento", "Domicilio:"]
    doc = Document()
    for text in broken:
        doc.add_paragraph(text)
    doc.save(str(tmp_path / "broken.docx"))
    texts = {text for _, text in leftovers(tmp_path / "broken.docx")}
    assert texts == set(broken)
    doc = Document()
    for text in ("Por lo expuesto, a Usted atentamente pido:", "PRIMERO.- Tenerme por presentado.",
                 "(CPEUM art. 4o., para. 11; CDN art. 3)", "Firma: ____________        Fecha: 1 de mayo de 2026"):
        doc.add_paragraph(text)
    doc.save(str(tmp_path / "fine.docx"))
    assert leftovers(tmp_path / "fine.docx") == []


# --------------------------------------------------------------------------
# Every document of every procedure, sparse


@pytest.mark.parametrize("lang", ("es", "en"))
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_sparse_case_leaves_no_broken_text(procedure, lang, law, calendar, tmp_path):
    problems: list[str] = []
    for shape in SHAPES:
        case = sparse_case(procedure, shape)
        dc = DocumentContext.build(case, law, calendar)
        plan = [kind for kind, lg in document_plan(case, (lang,)) if lg == lang]
        assert procedure in plan or procedure == "carta_poder" and "carta_poder" in plan, plan
        for kind in plan:
            for public in (False, True) if shape == "date_of_birth" else (False,):
                ctx = dc.for_language(lang)
                if public:
                    ctx = redact_context(ctx, redaction_for(case, lang))
                    ctx["case"] = None  # as the pipeline renders a public version
                path = tmp_path / shape / ("public" if public else "filed") / f"{kind}.docx"
                render_docx(kind, lang, ctx, path)
                problems += [f"{shape}/{kind}{' (public)' if public else ''}: {what}: {text[:160]!r}"
                             for what, text in leftovers(path)]
        if shape == "date_of_birth":
            review = review_context(dc, lang, tmp_path / shape / "review-work")
            path = tmp_path / shape / "review.docx"
            render_docx("review", lang, review, path, images={"timeline": (review["timeline"], 165)})
            problems += [f"{shape}/review: {what}: {text[:160]!r}" for what, text in leftovers(path)]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# The two silences the sweep found, and what the checklist asks


def _child_sentence(case: Case, lang: str, law, calendar, tmp_path: Path) -> str:
    dc = DocumentContext.build(case, law, calendar)
    path = render_docx("review_appeal", lang, dc.for_language(lang), tmp_path / f"review_appeal_{lang}.docx")
    return next(p for p in docx_paragraphs(path) if p.startswith("1. "))


@pytest.mark.parametrize("nationality, shape, es, en", [
    (None, "date_of_birth", "1. La persona adolescente Ana Pérez, nacida el 1 de marzo de 2012, tiene actualmente "
                            "14 años.",
     "1. The adolescent Ana Pérez, born on March 1, 2012, is now 14 years old."),
    (None, "estimated_age", "1. La persona adolescente Ana Pérez tiene actualmente 15 años (edad estimada).",
     "1. The adolescent Ana Pérez is now 15 years old (estimated age)."),
    ("HN", "date_of_birth", "1. La persona adolescente Ana Pérez es de nacionalidad hondureña, nacida el 1 de marzo "
                            "de 2012, y tiene actualmente 14 años.",
     "1. The adolescent Ana Pérez is a national of Honduras, born on March 1, 2012, and is now 14 years old."),
    ("stateless", "estimated_age", "1. La persona adolescente Ana Pérez es apátrida, y tiene actualmente 15 años "
                                   "(edad estimada).",
     "1. The adolescent Ana Pérez is stateless, and is now 15 years old (estimated age)."),
])
def test_recurso_states_the_nationality_only_when_recorded(nationality, shape, es, en, law, calendar, tmp_path):
    data = sparse("review_appeal", shape)
    if nationality:
        data["child"]["nationality"] = nationality
    case, problems = parse_case(data, today=TODAY)
    assert case is not None, [p.line() for p in problems]
    assert _child_sentence(case, "es", law, calendar, tmp_path) == es
    assert _child_sentence(case, "en", law, calendar, tmp_path) == en
    asks = [e.item.id for sections in case_checklist(case, law).values() for entries in sections.values()
            for e in entries if e.item.when == "nationality_unrecorded"]
    assert asks == ([] if nationality else ["appeal_nationality_unrecorded"])


@pytest.mark.parametrize("procedure", ("asylum", "coadyuvante", "family_reunification", "derivative_status",
                                       "review_appeal"))
def test_checklist_asks_for_an_unrecorded_nationality(procedure, law):
    entries = [e for sections in case_checklist(sparse_case(procedure), law).values()
               for section in sections.values() for e in section]
    asks = [e for e in entries if e.item.when == "nationality_unrecorded"]
    assert len(asks) == 1 and "nacionalidad" in asks[0].item.text.es and "nationality" in asks[0].item.text.en


@pytest.mark.parametrize("country, es, en", [
    (None, "por conducto de la representación consular de México competente, expida",
     "through the competent Mexican consular office, to issue"),
    ("GT", "por conducto de la representación consular de México en Guatemala, expida",
     "through Mexico’s consular office in Guatemala, to issue"),
])
def test_reunification_names_the_consulate_only_where_every_relative_is(country, es, en, law, calendar,
                                                                          tmp_path):
    data = sparse("family_reunification")
    if country:
        data["family"][0]["location_country"] = country
    case, problems = parse_case(data, today=TODAY)
    assert case is not None, [p.line() for p in problems]
    dc = DocumentContext.build(case, law, calendar)
    for lang, needle in (("es", es), ("en", en)):
        path = render_docx("family_reunification", lang, dc.for_language(lang), tmp_path / f"fr_{lang}.docx")
        assert needle in "\n".join(docx_paragraphs(path)), lang
    ids = [e.item.id for sections in case_checklist(case, law).values() for section in sections.values()
           for e in section]
    assert ("reunification_country_unrecorded" in ids) == (country is None)


# --------------------------------------------------------------------------
# The recurso and the petitorios name only what the record holds

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_repeat_no_word(example, law, calendar, tmp_path):
    """The repeated-word scan over every document of the examples (full records)."""
    import yaml

    case, problems = parse_case(yaml.safe_load(example.read_text(encoding="utf-8")), today=TODAY)
    assert case is not None, [p.line() for p in problems]
    dc = DocumentContext.build(case, law, calendar)
    found = []
    for kind, lang in document_plan(case, ("es", "en")):
        path = render_docx(kind, lang, dc.for_language(lang), tmp_path / f"{kind}_{lang}.docx")
        found += [f"{kind}_{lang}: {text[:160]!r}" for what, text in leftovers(path) if what == "repeated word"]
    assert not found, "\n".join(found)


def _paragraphs(data: dict[str, Any], kind: str, lang: str, law, calendar, tmp_path: Path) -> str:
    case, problems = parse_case(data, today=TODAY)
    assert case is not None, [p.line() for p in problems]
    dc = DocumentContext.build(case, law, calendar)
    return "\n".join(docx_paragraphs(render_docx(kind, lang, dc.for_language(lang), tmp_path / f"{kind}_{lang}.docx")))


@pytest.mark.parametrize("facts, es, en", [
    ({}, "La resolución, que niega", "Decision, refusing"),
    ({"resolution_number": "RES/9", "resolution_date": "2026-11-03", "comar_case_number": "COMAR/TAP/7/2026"},
     "La resolución RES/9 de fecha 3 de noviembre de 2026, dictada en el expediente COMAR/TAP/7/2026, que niega",
     "Decision RES/9 dated November 3, 2026, issued in file COMAR/TAP/7/2026, refusing"),
])
def test_recurso_names_the_decision_with_what_is_recorded(facts, es, en, law, calendar, tmp_path):
    data = sparse("review_appeal")
    if facts:
        data["proceedings"]["comar_case_number"] = facts["comar_case_number"]
        data["proceedings"]["resolution"].update(number=facts["resolution_number"], date=facts["resolution_date"])
    assert es in _paragraphs(data, "review_appeal", "es", law, calendar, tmp_path)
    assert en in _paragraphs(data, "review_appeal", "en", law, calendar, tmp_path)


ADDRESS = {"street": "Av. Central Norte 10", "city": "Tapachula", "state": "Chiapas"}


@pytest.mark.parametrize("rep, es, en, es_absent, en_absent", [
    ({}, "Reconocer la personalidad de quien suscribe como representante de la persona adolescente, en términos",
     "as counsel for the adolescent, under", "señalad", "take note"),
    ({"address": ADDRESS}, "y tener por señalado el domicilio, en términos", "take note of the address for service, "
     "under", "personas autorizadas, en", "authorized persons, under"),
    ({"authorized_persons": ["Pedro Sánchez"]}, "y tener por señaladas las personas autorizadas, en términos",
     "take note of the authorized persons, under", "domicilio señalado en el proemio", "address for service"),
    ({"address": ADDRESS, "email": "r@example.org", "authorized_persons": ["Pedro Sánchez"]},
     "y tener por señalados el domicilio y las personas autorizadas, en términos",
     "take note of the address for service and the authorized persons, under", "señalado el domicilio,",
     "take note of the authorized persons"),
])
def test_recurso_petitorio_names_only_what_is_recorded(rep, es, en, es_absent, en_absent, law, calendar, tmp_path):
    data = sparse("review_appeal")
    data["representative"].update(rep)
    text_es = _paragraphs(data, "review_appeal", "es", law, calendar, tmp_path)
    text_en = _paragraphs(data, "review_appeal", "en", law, calendar, tmp_path)
    assert es in text_es and es_absent not in text_es
    assert en in text_en and en_absent not in text_en
    has_address = "address" in rep
    assert ("con el domicilio señalado en el proemio" in text_es) == has_address
    assert ("with the address for service given above" in text_en) == has_address


@pytest.mark.parametrize("procedure", ("asylum", "coadyuvante", "derivative_status", "family_reunification"))
@pytest.mark.parametrize("rep, es, en", [
    ({}, None, None),
    ({"address": ADDRESS}, "tener por señalado el domicilio para oír y recibir notificaciones.",
     "take note of the address for service."),
    ({"email": "r@example.org"}, "tener por señalado el correo electrónico para oír",
     "take note of the email address for service."),
    ({"authorized_persons": ["Pedro Sánchez"]},
     "y tener por autorizadas para oír y recibir notificaciones a las personas mencionadas en el proemio.",
     "and take note of the persons authorized to receive notices named in the opening paragraph."),
    ({"address": ADDRESS, "email": "r@example.org", "authorized_persons": ["Pedro Sánchez"]},
     "tener por señalados el domicilio y el correo electrónico para oír y recibir notificaciones, así como por "
     "autorizadas", "take note of the address and email address for service, and of the persons authorized"),
])
def test_petitorio_names_only_what_is_recorded(procedure, rep, es, en, law, calendar, tmp_path):
    data = sparse(procedure)
    data["representative"].update(rep)
    text_es = _paragraphs(data, procedure, "es", law, calendar, tmp_path)
    text_en = _paragraphs(data, procedure, "en", law, calendar, tmp_path)
    if es is None:
        assert "tener por señalad" not in text_es and "por autorizadas" not in text_es
        assert "take note of the" not in text_en
    else:
        assert es in text_es and en in text_en
    assert "por señalados el domicilio para" not in text_es  # plural with one noun


@pytest.mark.parametrize("article, es, en", [
    (None, "con fundamento en el Reglamento de la Ley sobre Refugiados", "under the Reglamento de la Ley sobre"),
    ("58", "con fundamento en el artículo 58 del Reglamento de la Ley sobre Refugiados",
     "under article 58 of the Reglamento de la Ley sobre"),
])
def test_residence_change_cites_the_reglamento_with_or_without_its_article(article, es, en, law, calendar,
                                                                            tmp_path, monkeypatch):
    import dataclasses

    # as today (no article found) and once the article is confirmed
    cited = dataclasses.replace(law.cite("rlsrpcap_residencia"), article=article)
    monkeypatch.setitem(law.citations, "rlsrpcap_residencia", cited)
    data = sparse("residence_change")
    text_es = _paragraphs(data, "residence_change", "es", law, calendar, tmp_path)
    text_en = _paragraphs(data, "residence_change", "en", law, calendar, tmp_path)
    assert es in text_es and en in text_en
    assert not re.search(LEFTOVERS["repeated word"], text_es + text_en)


@pytest.mark.parametrize("procedure, es", [
    ("asylum", "Procuraduría de Protección de Niñas, Niños y Adolescentes competente, para que ejerza"),
    ("review_appeal", "Procuraduría de Protección de Niñas, Niños y Adolescentes competente como representante"),
])
def test_an_unnamed_procuraduria_is_competente_once(procedure, es, law, calendar, tmp_path):
    """With no level recorded the name already says "competente"; the template adds nothing."""
    data = sparse(procedure)
    text_es = _paragraphs(data, procedure, "es", law, calendar, tmp_path)
    text_en = _paragraphs(data, procedure, "en", law, calendar, tmp_path)
    assert es in text_es
    assert "competente competente" not in text_es
    assert "competent Procuraduría de Protección de Niñas, Niños y Adolescentes competente" not in text_en
    assert "competente (competent)" not in text_en
