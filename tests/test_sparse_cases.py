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
              "Fecha:  Lugar: México", "Ingresó el 3 de mayo .", "Domicilio:"]
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
