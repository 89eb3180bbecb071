"""The case after its first filing (after-filing.md): the stage of a case,
the deadline states it implies, and the escritos that follow — carta poder,
ratificación, desahogo de prevención, recurso de revisión and change of
residence — in Spanish and English."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta

import pytest

from docassemble.puente.cli import main
from docassemble.puente.documents.context import DocumentContext, deadline_view
from docassemble.puente.documents.render import render_docx
from docassemble.puente.pipeline import document_plan
from docassemble.puente.review import pair_documents
from docassemble.puente.stage import case_stage
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, needs_soffice
from .docx_text import docx_paragraphs

TODAY = date(2026, 11, 23)
LEFTOVERS = ("{{", "}}", "{%", "%}", "None", "nan", "[]")
AFTER_FILING = ("carta_poder", "ratification", "prevention_reply", "review_appeal", "residence_change")


def marvin(example):
    """The refused example (EX-0008): filed 18 May, ratified 20 May, refusal
    notified Friday 13 November 2026."""
    return example("EX-0008")


def parse(data, today=TODAY):
    case, problems = parse_case(copy.deepcopy(data), today=today)
    return case, problems


def ok(data, today=TODAY):
    case, problems = parse(data, today)
    assert case is not None, [p.line() for p in problems]
    return case


# --------------------------------------------------------------------------
# The stage table: what the core recommends, which deadlines are open, done
# or not applicable. Worked out by hand with the LFPA art. 28 calendar
# (16 November 2026 is a holiday: third Monday of November).

def _filed(d):
    d["procedures"] = ["coadyuvante"]
    d["proceedings"] = {"comar_case_number": "COMAR/TAP/2291/2026", "comar_filed_date": "2026-11-18"}


def _ratified(d):
    _filed(d)
    d["proceedings"]["ratified_date"] = "2026-11-19"


def _prevented(d):
    _ratified(d)
    d["proceedings"].update(prevention_notified_date="2026-11-19",
                            prevention_items=["Acta de nacimiento o documento de identidad", "Domicilio actual"])


def _refused(d):
    pass  # the example as it is


def _appealed(d):
    d["proceedings"]["appeal_filed_date"] = "2026-11-20"
    d["procedures"] = ["coadyuvante"]


def _granted(d):
    d["procedures"] = ["coadyuvante"]
    d["proceedings"]["resolution"] = {"kind": "granted", "number": "COMAR/TAP/RES/1/2026", "date": "2026-11-06",
                                      "notified_date": "2026-11-13"}


def _abandoned(d):
    d["procedures"] = ["coadyuvante"]
    d["proceedings"]["resolution"] = {"kind": "abandoned", "notified_date": "2026-11-13"}
    del d["proceedings"]["ratified_date"]


# stage, documents the core asks for, deadline id -> display state
STAGES = [
    ("filed", _filed, "ratification_due", ["ratification"],
     # Wed 18 Nov: 19, 20, 23 -> Mon 23 Nov (today): still open
     {"ratification": "open", "comar_resolution": "informational"}),
    ("ratified", _ratified, "filed", [], {"ratification": "done", "comar_resolution": "informational"}),
    ("prevented", _prevented, "prevention_due", ["prevention_reply"],
     # Thu 19 Nov: 20, 23, 24, 25, 26 -> Thu 26 Nov
     {"ratification": "done", "prevention_reply": "open"}),
    ("refused", _refused, "refused", ["review_appeal"],
     # Fri 13 Nov: 17-20 ->4 (16 is a holiday); 23-27 ->9; 30 Nov-4 Dec ->14; Mon 7 Dec ->15
     {"ratification": "done", "comar_resolution": "done", "review_appeal": "open"}),
    ("appealed", _appealed, "appealed", [], {"review_appeal": "done"}),
    ("granted", _granted, "granted", [], {"ratification": "done", "comar_resolution": "done"}),
    ("abandoned", _abandoned, "abandoned", [], {"comar_resolution": "done"}),
]


@pytest.mark.parametrize("name, edit, code, documents, states", STAGES, ids=[s[0] for s in STAGES])
def test_stage_table(example, law, calendar, name, edit, code, documents, states):
    data = marvin(example)
    edit(data)
    case = ok(data)
    stage = case_stage(case, law, calendar)
    assert stage.code == code
    assert stage.documents == documents
    assert stage.summary.es and stage.summary.en and stage.summary.es != stage.summary.en
    dc = DocumentContext.build(case, law, calendar)
    found = {d.id: d.display_state for d in dc.deadlines}
    for did, state in states.items():
        assert found.get(did) == state, (name, did, found)
    # Nothing settled is ever shown as late.
    for d in dc.deadlines:
        if d.display_state in ("done", "not_applicable"):
            view = deadline_view(d, "es", TODAY)
            assert not view["past"] and "VENCIDO" not in view["state_text"]


def test_refused_abandonment_makes_ratification_moot(example, law, calendar):
    """An application never ratified whose procedure COMAR has ended: the
    ratification is not applicable, not 99 working days late."""
    data = marvin(example)
    del data["proceedings"]["ratified_date"]
    case = ok(data)
    rat = next(d for d in DocumentContext.build(case, law, calendar).deadlines if d.id == "ratification")
    assert rat.is_past and rat.display_state == "not_applicable" and not rat.is_late
    assert deadline_view(rat, "es", TODAY)["state_text"] == "No aplica"
    assert deadline_view(rat, "en", TODAY)["state_text"] == "Not applicable"
    assert "working_days_late" not in rat.to_dict() and rat.to_dict()["step"] == "not_applicable"


def test_deadlines_follow_today(example, law, calendar):
    """The same refused case judged on two days: open, then late."""
    data = marvin(example)
    del data["filing_date"]
    early = next(d for d in DocumentContext.build(ok(data, date(2026, 11, 23)), law, calendar).deadlines
                 if d.id == "review_appeal")
    late = next(d for d in DocumentContext.build(ok(data, date(2026, 12, 9)), law, calendar).deadlines
                if d.id == "review_appeal")
    assert early.date == late.date == date(2026, 12, 7)
    assert early.display_state == "open"
    assert late.display_state == "past" and late.working_days_late == 2  # 8 and 9 December


def test_prevention_term_from_the_prevencion(example, law, calendar):
    data = marvin(example)
    _prevented(data)
    data["proceedings"]["prevention_term_days"] = 10
    case = ok(data)
    reply = next(d for d in DocumentContext.build(case, law, calendar).deadlines if d.id == "prevention_reply")
    # Thu 19 Nov: 20, 23-27 (6), 30 Nov-3 Dec (10) -> Thu 3 Dec
    assert (reply.date, reply.term_length) == (date(2026, 12, 3), 10)
    data["proceedings"]["prevention_term_days"] = 3
    case, problems = parse(data)
    assert case is not None
    warning = next(p for p in problems if p.field == "proceedings.prevention_term_days")
    assert warning.severity == "warning" and "17-A" in warning.message_es and "17-A" in warning.message_en


# --------------------------------------------------------------------------
# procedures that contradict the stage

def test_new_application_for_a_refused_case_is_an_error(example):
    data = marvin(example)
    data["procedures"] = ["asylum", "coadyuvante"]
    case, problems = parse(data)
    assert case is None
    err = next(p for p in problems if p.severity == "error")
    assert err.field == "procedures"
    assert "review_appeal" in err.message_es and "review_appeal" in err.message_en
    assert "negó" in err.message_es and "refused" in err.message_en
    assert "2026-12-07" in err.message_es and "2026-11-13" in err.message_en


def test_short_form_refusal_is_a_refused_resolution(example):
    data = marvin(example)
    data["proceedings"] = {"comar_case_number": "COMAR/TAP/2291/2026", "refusal_notified_date": "2026-11-13"}
    case = ok(data)
    assert case.proceedings.resolution.kind == "refused"
    assert case.proceedings.resolution.notified_date == date(2026, 11, 13)
    data["procedures"] = ["asylum"]
    assert parse(data)[0] is None


def test_a_needed_recurso_is_added_with_a_warning(example, law, calendar):
    data = marvin(example)
    data["procedures"] = ["coadyuvante"]
    case, problems = parse(data)
    assert case is not None and "review_appeal" in case.procedures
    warning = next(p for p in problems if p.severity == "warning" and "review_appeal" in p.message_en)
    assert warning.field == "procedures" and "2026-12-07" in warning.message_es
    kinds = {k for k, _ in document_plan(case, ("es", "en"))}
    assert {"review_appeal", "carta_poder", "coadyuvante"} <= kinds and "asylum" not in kinds


def test_filed_application_is_not_produced_again(example):
    data = marvin(example)
    _filed(data)
    data["procedures"] = ["asylum"]
    case, problems = parse(data)
    assert case is not None
    assert any(p.severity == "warning" and p.field == "procedures" and "2026-11-18" in p.message_es for p in problems)
    kinds = [k for k, lang in document_plan(case, ("es",))]
    assert "asylum" not in kinds and kinds[:2] == ["ratification", "carta_poder"]


def test_escrito_without_its_facts_is_an_error(example):
    data = marvin(example)
    _ratified(data)
    data["procedures"] = ["review_appeal"]
    case, problems = parse(data)
    assert case is None
    assert any(p.field == "proceedings.resolution.kind" for p in problems)


def test_every_comar_filing_by_counsel_gets_a_carta_poder(example_data):
    for cid, data in example_data.items():
        case = ok(data)
        kinds = [k for k, _ in document_plan(case, ("es",))]
        comar = {"asylum", "derivative_status", "family_reunification", "review_appeal"} & set(kinds)
        assert ("carta_poder" in kinds) == bool(comar), cid


def test_carta_poder_on_its_own(example):
    """`carta_poder` in the procedures: the carta poder by itself, with its
    checklist section, for a case counsel takes over; the stage still adds an
    escrito the case needs (a refused case's recurso), with its warning."""
    data = marvin(example)
    _ratified(data)
    data["procedures"] = ["carta_poder"]
    case, problems = parse(data)
    assert case is not None and not [p for p in problems if p.severity == "error"]
    kinds = {k for k, _ in document_plan(case, ("es", "en"))}
    assert "carta_poder" in kinds and not kinds & {"asylum", "ratification", "review_appeal"}
    refused = marvin(example)
    refused["procedures"] = ["carta_poder"]
    case, problems = parse(refused)
    assert {"carta_poder", "review_appeal"} <= {k for k, _ in document_plan(case, ("es",))}
    assert any("review_appeal" in p.line() for p in problems if p.severity == "warning")
    # no counsel, no carta poder: the validator asks for counsel's names
    nobody = marvin(example)
    nobody["procedures"] = ["carta_poder"]
    nobody["representative"] = {}
    case, problems = parse(nobody)
    assert case is None and any(p.field.startswith("representative.") for p in problems)


def test_carta_poder_checklist(tmp_path, example):
    data = marvin(example)
    _ratified(data)
    data["procedures"] = ["carta_poder"]
    import yaml

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["generate", str(path), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(),
                 "--no-pdf", "--quiet"]) == 0
    for lang, words in (("es", ("Carta poder", "Copia de la cédula profesional", "CDN art. 12")),
                        ("en", ("Power of attorney letter", "Copy of counsel's professional license"))):
        text = "\n".join(docx_paragraphs(tmp_path / "out" / "EX-0008" / lang / "checklist.docx"))
        for word in words:
            assert word in text, (lang, word)
        poder = "\n".join(docx_paragraphs(tmp_path / "out" / "EX-0008" / lang / "carta_poder.docx"))
        assert "COMAR/TAP/2291/2026" in poder and "MARVIN JOSUÉ REYES CASTILLO" in poder.upper()
        assert not any(x in poder for x in LEFTOVERS)


# --------------------------------------------------------------------------
# The documents, in both languages

def _variants(example):
    """kind -> a case record that needs that escrito."""
    refused = marvin(example)
    ratification = marvin(example)
    _filed(ratification)
    ratification["procedures"] = ["ratification"]
    prevention = marvin(example)
    _prevented(prevention)
    prevention["procedures"] = ["prevention_reply"]
    prevention["evidence"].append({"description": "Acta de nacimiento de Marvin Josué Reyes Castillo",
                                   "available": True})
    move = marvin(example)
    _ratified(move)
    move["procedures"] = ["residence_change"]
    move["proceedings"]["residence_change"] = {
        "to_city": "Monterrey", "to_state": "Nuevo León",
        "reason": "Su tía, que puede cuidarlo, vive en Monterrey y la Procuraduría de Protección valoró su domicilio."}
    move["family"].append({"given_names": "Julia", "family_names": "Castillo Mejía", "relationship": "aunt_uncle",
                           "sex": "F", "location_country": "MX", "location_city": "Monterrey", "in_mexico": True})
    return {"review_appeal": refused, "carta_poder": refused, "ratification": ratification,
            "prevention_reply": prevention, "residence_change": move}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, example_data, law, calendar):
    out = tmp_path_factory.mktemp("after_filing")
    texts = {}
    variants = _variants(lambda cid: copy.deepcopy(example_data[cid]))
    for kind, data in variants.items():
        case = ok(data)
        dc = DocumentContext.build(case, law, calendar)
        for lang in ("es", "en"):
            path = out / f"{kind}_{lang}.docx"
            render_docx(kind, lang, dc.for_language(lang), path)
            texts[kind, lang] = path
    return texts


def text(rendered, kind, lang):
    return "\n".join(docx_paragraphs(rendered[kind, lang]))


# kind -> (Spanish must contain, English must contain)
EXPECT = {
    "carta_poder": (["CARTA PODER", "COMISIÓN MEXICANA DE AYUDA A REFUGIADOS",
                     "artículo 19 de la Ley Federal de Procedimiento Administrativo", "COMAR/TAP/2291/2026",
                     "ratificarán ante la propia autoridad o ante notario público", "comparecencia personal",
                     "Testigo", "Tapachula, Chiapas, a 23 de noviembre de 2026",
                     "Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Chiapas"],
                    ["POWER OF ATTORNEY LETTER (CARTA PODER)", "article 19 of the Ley Federal de Procedimiento "
                     "Administrativo", "ratified before the authority itself or before a notary public",
                     "appearing in person", "Witness", "November 23, 2026", "COMAR/TAP/2291/2026"]),
    "ratification": (["EXPEDIENTE: COMAR/TAP/2291/2026", "COMISIÓN MEXICANA DE AYUDA A REFUGIADOS", "RATIFICO",
                      "artículo 11 de la Ley sobre Refugiados", "artículo 20 del Reglamento",
                      "18 de noviembre de 2026", "vence el 23 de noviembre de 2026"],
                     ["FILE NO.: COMAR/TAP/2291/2026", "I RATIFY", "article 11 of the Ley sobre Refugiados",
                      "November 18, 2026", "ends on November 23, 2026"]),
    "prevention_reply": (["EXPEDIENTE: COMAR/TAP/2291/2026", "artículo 17-A de la Ley Federal de Procedimiento "
                          "Administrativo", "19 de noviembre de 2026", "vence el 26 de noviembre de 2026",
                          "«Acta de nacimiento o documento de identidad»", "«Domicilio actual»",
                          "Carta poder otorgada"],
                         ["FILE NO.: COMAR/TAP/2291/2026", "article 17-A", "November 19, 2026",
                          "ends on November 26, 2026", "“Domicilio actual” [Original in Spanish — not translated]:"]),
    "review_appeal": (["EXPEDIENTE: COMAR/TAP/2291/2026", "RESOLUCIÓN RECURRIDA: COMAR/TAP/RES/7777/2026",
                       "COMISIÓN MEXICANA DE AYUDA A REFUGIADOS", "RECURSO DE REVISIÓN",
                       "artículos 83, 85 y 86 de la Ley Federal de Procedimiento Administrativo",
                       "notificada el 13 de noviembre de 2026", "vence el 7 de diciembre de 2026",
                       "artículo 87 de la Ley Federal de Procedimiento Administrativo", "SUSPENSIÓN",
                       "no devolución", "PRUEBAS", "PETITORIOS", "protección complementaria",
                       "artículo 28 de la Ley sobre Refugiados", "Carta poder otorgada",
                       "Copia de la resolución COMAR/TAP/RES/7777/2026 y de su notificación"],
                      ["FILE NO.: COMAR/TAP/2291/2026", "DECISION APPEALED: COMAR/TAP/RES/7777/2026",
                       "ADMINISTRATIVE APPEAL (RECURSO DE REVISIÓN)", "notified on November 13, 2026",
                       "which ends on December 7, 2026", "article 87 of the Ley Federal", "SUSPENSION",
                       "non-refoulement", "EVIDENCE", "REQUESTS"]),
    "residence_change": (["EXPEDIENTE: COMAR/TAP/2291/2026", "cambio de residencia", "Monterrey, Nuevo León",
                          "Su tía, que puede cuidarlo", "Julia Castillo Mejía (tía)",
                          "Oficina de Representación en Monterrey",
                          "Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Nuevo León",
                          "18 de noviembre de 2026"],
                         ["FILE NO.: COMAR/TAP/2291/2026", "change of residence", "Monterrey, Nuevo León",
                          "Representative Office in Monterrey", "November 18, 2026"]),
}


@pytest.mark.parametrize("kind", AFTER_FILING)
@pytest.mark.parametrize("lang", ("es", "en"))
def test_document_content(rendered, kind, lang):
    body = text(rendered, kind, lang)
    for needle in EXPECT[kind][0 if lang == "es" else 1]:
        assert needle in body, (kind, lang, needle)
    for bad in LEFTOVERS:
        assert bad not in body, (kind, lang, bad)
    child = "MARVIN JOSUÉ REYES CASTILLO"
    assert child in body
    if lang == "en":
        assert "Courtesy translation" in body


@pytest.mark.parametrize("kind", AFTER_FILING)
def test_spanish_and_english_pair(rendered, kind):
    pairing = pair_documents(kind, rendered[kind, "es"], rendered[kind, "en"])
    assert pairing.aligned, kind
    arts = re.compile(r"(?:artículos?|articles?)\s+((?:\d+(?:-A)?(?:,? | y | and )?)+)", re.I)
    for es, en in pairing.pairs:
        numbers = [set(re.findall(r"\d+", " ".join(arts.findall(x)))) for x in (es, en)]
        assert numbers[0] == numbers[1], (es[:60], en[:60])


def test_recurso_one_agravio_per_ground(rendered, example):
    grounds = marvin(example)["proceedings"]["resolution"]["grounds"]
    for lang, ordinals in (("es", ("PRIMERO", "SEGUNDO", "TERCERO")), ("en", ("FIRST", "SECOND", "THIRD"))):
        paras = docx_paragraphs(rendered["review_appeal", lang])
        start = paras.index("AGRAVIOS" if lang == "es" else "GROUNDS OF APPEAL (AGRAVIOS)")
        end = paras.index("SUSPENSIÓN" if lang == "es" else "SUSPENSION")
        mark = ".-" if lang == "es" else ":"  # "PRIMERO.-" / "FIRST:" (issue 17)
        numbered = [p for p in paras[start:end] if re.match(r"^[A-ZÉÓ]+" + re.escape(mark), p)]
        for ordinal, ground in zip(ordinals, grounds, strict=True):
            head = next(p for p in numbered if p.startswith(ordinal + mark))
            assert ground.rstrip(".") in head, (lang, ordinal)
        # the child-specific agravios the record supports follow: not heard,
        # no best-interests determination, complementary protection
        assert len(numbered) == len(grounds) + 3
        # each ground is answered with the case's facts
        section = "\n".join(paras[start:end])
        assert "San Pedro Sula" in section and "MS-13" in section
        # the suspension asks for no removal while the appeal is pending
        suspension = "\n".join(paras[end:end + 2])
        assert ("no se lleve a cabo ninguna medida de deportación" if lang == "es" else "no deportation") in suspension


def test_recurso_has_no_new_application_text(tmp_path):
    out = tmp_path / "out"
    assert main(["generate", str(EXAMPLES / "marvin-refused-appeal.yaml"), "--out", str(out), "--today", "2026-11-23",
                 "--no-pdf", "--quiet"]) == 0
    produced = sorted(p.name for p in (out / "EX-0008" / "es").glob("*.docx"))
    assert "asylum.docx" not in produced and {"review_appeal.docx", "carta_poder.docx"} <= set(produced)
    for lang in ("es", "en"):
        body = "\n".join(docx_paragraphs(out / "EX-0008" / lang / "review_appeal.docx"))
        for phrase in ("Se solicita el reconocimiento", "Tener por presentada la presente solicitud",
                       "vengo a solicitar", "Application for recognition of refugee status of the",
                       "I apply, in the name"):
            assert phrase not in body


def test_checklist_of_a_refused_case_leads_with_the_recurso(tmp_path):
    out = tmp_path / "out"
    assert main(["generate", str(EXAMPLES / "marvin-refused-appeal.yaml"), "--out", str(out), "--today", "2026-11-23",
                 "--no-pdf", "--quiet"]) == 0
    for lang, head, needles in (
            ("es", "Lo que sigue", ["Recurso de revisión", "vence el 7 de diciembre de 2026",
                                    "10 días hábiles restantes",
                                    "Juicio de nulidad", "30 días hábiles", "amparo", "15 días hábiles",
                                    "LFPCA art. 13", "Ley de Amparo art. 17",
                                    "en cualquier tiempo contra actos que impliquen deportación"]),
            ("en", "What comes next", ["Administrative appeal", "due December 7, 2026", "10 business days left",
                                       "Annulment action", "30 business days", "Amparo", "15 business days"])):
        paras = [p for p in docx_paragraphs(out / "EX-0008" / lang / "checklist.docx") if p.strip()]
        first_heading = next(i for i, p in enumerate(paras) if p in (head, "Plazos", "Deadlines", "Alertas", "Alerts")
                             or p.startswith(("Alertas", "Alerts")))
        assert paras[first_heading] == head
        lead = "\n".join(paras[first_heading:first_heading + 6])
        for needle in needles:
            assert needle in lead, (lang, needle)
        body = "\n".join(paras)
        assert "VENCIDO" not in body and "PAST —" not in body  # the ratification was done
        assert ("Cumplido" if lang == "es" else "Done") in body


# --------------------------------------------------------------------------
# Coming of age

def _turning_18_in(example, days):
    data = marvin(example)
    dob = TODAY + timedelta(days=days)
    data["child"]["date_of_birth"] = dob.replace(year=dob.year - 18).isoformat()
    return ok(data)


def test_coming_of_age_in_60_days_is_a_red_alert(example, law, calendar):
    case = _turning_18_in(example, 60)
    dc = DocumentContext.build(case, law, calendar)
    row = next(d for d in dc.deadlines if d.id == "coming_of_age")
    assert row.date == TODAY + timedelta(days=60)
    view = deadline_view(row, "es", TODAY)
    assert view["red"] and view["days_to"] == 60 and "60" in view["state_text"]
    flag = next(f for f in dc.flags if f.id == "coming_of_age")
    assert flag.severity == "danger" and "18 años" in flag.reason.es and "turns 18" in flag.reason.en.lower()
    ctx = dc.for_language("es")
    assert any(d["id"] == "coming_of_age" and d["red"] for d in ctx["deadlines"])


def test_coming_of_age_in_200_days_is_shown_not_red(example, law, calendar):
    dc = DocumentContext.build(_turning_18_in(example, 200), law, calendar)
    row = next(d for d in dc.deadlines if d.id == "coming_of_age")
    assert not deadline_view(row, "en", TODAY)["red"]
    assert next(f for f in dc.flags if f.id == "coming_of_age").severity == "warning"


def test_coming_of_age_in_two_years_is_not_shown(example, law, calendar):
    dc = DocumentContext.build(_turning_18_in(example, 730), law, calendar)
    assert not any(d.id == "coming_of_age" for d in dc.deadlines)
    assert not any(f.id == "coming_of_age" for f in dc.flags)


# --------------------------------------------------------------------------
# PDFs and the packet

@needs_soffice()
def test_refused_case_pdfs_and_packet(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "out"
    assert main(["generate", str(EXAMPLES / "marvin-refused-appeal.yaml"), "--out", str(out), "--today", "2026-11-23",
                 "--quiet"]) == 0
    case_dir = out / "EX-0008"
    for lang, title in (("es", "Carta poder"), ("en", "Power of attorney letter")):
        packet = " ".join((page.extract_text() or "") for page in PdfReader(str(case_dir / f"packet.{lang}.pdf")).pages)
        index = packet[:3000]
        assert title in index and ("Recurso de revisión" if lang == "es" else "Administrative appeal") in index
        assert ("Anexo 1. Carta poder" if lang == "es" else "Exhibit 1. Power of attorney") in " ".join(index.split())
        appeal = " ".join((p.extract_text() or "") for p in PdfReader(str(case_dir / lang / "review_appeal.pdf")).pages)
        assert "COMAR/TAP/RES/7777/2026" in appeal


# --------------------------------------------------------------------------
# The batch: the workbook carries the new columns, with drop-downs, and a
# refused case's row produces the recurso

def test_workbook_has_the_after_filing_columns_with_drop_downs(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from docassemble.puente.template_sheet import write_template_workbook

    path = write_template_workbook(tmp_path / "t.xlsx")
    ws = load_workbook(path)["cases"]
    headers = [c.value or "" for c in ws[1]]
    paths = [h.split(" | ")[0] for h in headers]
    for field in ("proceedings.ratified_date", "proceedings.prevention_items", "proceedings.prevention_term_days",
                  "proceedings.resolution.kind", "proceedings.resolution.number", "proceedings.resolution.grounds",
                  "proceedings.resolution.notified_date", "proceedings.appeal_filed_date",
                  "proceedings.residence_change.to_city", "proceedings.residence_change.reason"):
        assert field in paths, field
    kind_col = get_column_letter(paths.index("proceedings.resolution.kind") + 1)
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"{kind_col}2"] == '"granted,complementary,refused,abandoned"'
    assert "Sentido de la resolución" in headers[paths.index("proceedings.resolution.kind")]


def test_batch_row_of_a_refused_case_produces_the_recurso(tmp_path, example):
    import json

    from docassemble.puente.template_sheet import write_template_workbook

    data = marvin(example)
    workbook = write_template_workbook(tmp_path / "cases.xlsx", example=data)
    out = tmp_path / "out"
    assert main(["batch", str(workbook), "--out", str(out), "--today", "2026-11-23", "--no-pdf", "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    case = manifest["cases"][0]
    kinds = {d["kind"] for d in case["documents"]}
    assert {"review_appeal", "carta_poder"} <= kinds and "asylum" not in kinds
    appeal = next(d for d in case["deadlines"] if d["id"] == "review_appeal")
    assert appeal["date"] == "2026-12-07" and appeal["status"] == "open"
    rat = next(d for d in case["deadlines"] if d["id"] == "ratification")
    assert rat["step"] == "done" and "working_days_late" not in rat
    assert "appeal_due" in case["flags"]
    body = "\n".join(docx_paragraphs(out / "EX-0008" / "es" / "review_appeal.docx"))
    assert "Su relato presenta contradicciones en las fechas de las amenazas" in body


def test_review_packet_pairs_the_recurso_and_withholds_its_numbers(tmp_path):
    out = tmp_path / "out"
    args = ["--today", "2026-11-23", "--no-pdf", "--quiet"]
    assert main(["generate", str(EXAMPLES / "marvin-refused-appeal.yaml"), "--out", str(out), *args]) == 0
    assert main(["review", str(out / "EX-0008"), *args]) == 0
    body = "\n".join(docx_paragraphs(out / "EX-0008" / "en" / "review.docx"))
    for needle in ("AGRAVIOS", "GROUNDS OF APPEAL (AGRAVIOS)", "SUSPENSIÓN", "SUSPENSION", "CARTA PODER",
                   "Done", "The child turns 18 (coming of age)", "Turns 18 on April 20, 2027"):
        assert needle in body, needle
    # built from the public version: the resolution and file numbers and the child's name are withheld
    for secret in ("COMAR/TAP/RES/7777/2026", "COMAR/TAP/2291/2026", "Marvin", "MARVIN"):
        assert secret not in body, secret


def test_a_kind_of_paper_does_not_answer_a_prevencion_item():
    """A "constancia médica" is not cured by a "constancia de ingresos": the
    word that names the kind of paper does not make a match."""
    from docassemble.puente.documents.after_filing import match_evidence
    from docassemble.puente.model import EvidenceItem

    income = EvidenceItem(description="Constancia de ingresos de la madre", available=False)
    medical = EvidenceItem(description="Constancia médica de las lesiones de febrero", available=False)
    assert match_evidence("Constancia médica de las lesiones", [income]) is None
    assert match_evidence("Constancia médica de las lesiones", [income, medical]) is medical


@pytest.mark.parametrize("lives_with, accompaniment, by_parent", [
    (True, "separated", True),         # the record says the mother lives with the child
    (None, "accompanied", True),       # the one parent in Mexico of an accompanied child
    (False, "accompanied", False),     # the record says she does not: the Procuraduría, en suplencia
    (None, "unaccompanied", False),    # in Mexico, but nothing says she is with the child
])
def test_carta_poder_assisted_by_the_parent_present(example, law, calendar, tmp_path, lives_with, accompaniment,
                                                    by_parent):
    data = marvin(example)
    data["child"]["accompaniment"] = accompaniment
    mother = data["family"][0]
    mother.update(in_mexico=True, location_country="MX", location_city="Tapachula")
    if lives_with is not None:
        mother["lives_with_child"] = lives_with
    case = ok(data)
    dc = DocumentContext.build(case, law, calendar)
    for lang, parent_text, ppnna_text in (
            ("es", "asistido por mi madre, Rosa Amelia Castillo Mejía, quien ejerce mi representación originaria",
             "asistido por la Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Chiapas, en "
             "ejercicio de la representación en suplencia que le confieren los artículos 4"),
            ("en", "assisted by my mother, Rosa Amelia Castillo Mejía, who exercises my original representation",
             "assisted by the Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Chiapas, "
             "exercising the representation in substitution")):
        body = " ".join(docx_paragraphs(render_docx("carta_poder", lang, dc.for_language(lang),
                                                    tmp_path / f"c_{lang}.docx")))
        assert (parent_text in body) == by_parent and (ppnna_text in body) != by_parent, (lang, body[:600])
        assert ("Rosa Amelia" in body) == by_parent
