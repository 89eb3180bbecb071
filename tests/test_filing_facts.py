"""No unsupported fact: every name, place and date a filing's HECHOS print
comes from the record fields behind that paragraph (its provenance, kept in
the document context) — over every example and a corpus of generated cases;
and every name, place and date an escrito after filing prints comes from the
record fields that escrito states, or from a deadline the engine computed.

How: each numbered Hechos paragraph logs the fact it states (``h.next('entry')``)
and the context maps that fact to record fields (``hechos_fields``). For each
paragraph, every record value (a person's name, a city, a date written out)
found in its text must be the value of one of its own fields; the child's own
name may appear anywhere (the child is the subject of every fact).
"""

from __future__ import annotations

import copy
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from docassemble.puente.dates import long_date
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.phrases import COMAR_OFFICE_STATES
from docassemble.puente.documents.render import render_docx
from docassemble.puente.documents.review_packet import provenance
from docassemble.puente.model import Case
from docassemble.puente.pipeline import document_plan
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY
from .docx_text import docx_paragraphs

FILINGS = ("asylum", "coadyuvante", "family_reunification", "derivative_status")
HEADINGS = {"es": "HECHOS", "en": "FACTS"}
NUMBERED = re.compile(r"^(\d+)\.\s")
DATE_ES = re.compile(r"\b\d{1,2} de [a-záéíóú]+ de \d{4}\b")
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_EN = re.compile(rf"\b(?:{MONTHS_EN}) \d{{1,2}}, \d{{4}}\b")


def _examples() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]


def resolve(case: Case, path: str) -> Any:
    obj: Any = case
    for part in path.replace("]", "").replace("[", ".").split("."):
        if obj is None:
            return None
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part, None)
    return obj


def strings_of(value: Any) -> list[str]:
    """Every text of a record value, dates in both long forms."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, date):
        return [long_date(value, "es"), long_date(value, "en")]
    if isinstance(value, str):
        return [value] + ([COMAR_OFFICE_STATES[value]] if value in COMAR_OFFICE_STATES else [])
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_of(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for name in value.__dataclass_fields__ for s in strings_of(getattr(value, name))]
    return [str(value)]


def record_values(case: Case) -> dict[str, list[str]]:
    """Names and places of the record (values a filing could misattribute)."""
    out: dict[str, list[str]] = {"names": [], "places": []}
    for rel in case.family:
        out["names"] += [rel.full_name, rel.given_names]
        out["places"] += [rel.location_city] if rel.location_city else []
    p = case.child.placement
    out["places"] += [x for x in (p.city, p.name if p.type != "family" else None, case.child.entry_place) if x]
    out["places"] += [e.place for e in case.claim.events if e.place]
    out = {k: [v for v in dict.fromkeys(vs) if v and len(v) >= 4] for k, vs in out.items()}
    return out


def hechos_groups(paras: list[str], lang: str) -> list[tuple[str, str]]:
    """(number, text) of each numbered Hechos paragraph with what follows it."""
    start = paras.index(HEADINGS[lang])
    groups: list[list[str]] = []
    for text in paras[start + 1:]:
        if text.isupper() and len(text) > 4 and not NUMBERED.match(text):
            break
        m = NUMBERED.match(text)
        if m:
            groups.append([m.group(1), text])
        elif groups:
            groups[-1][1] += " " + text
    return [(n, t) for n, t in groups]


def unsupported(case: Case, ctx: dict, paras: list[str], lang: str) -> list[str]:
    prov = {p["n"]: p["paths"] for p in provenance(ctx, lang)}
    values = record_values(case)
    child_names = {f"{case.child.given_names} {case.child.family_names}", case.child.given_names or ""}
    problems = []
    for number, text in hechos_groups(paras, lang):
        assert number in prov, f"paragraph {number} has no provenance"
        backed = [s for path in prov[number] for s in strings_of(resolve(case, path))]
        backed += [case.family[int(m.group(1))].full_name
                   for path in prov[number] for m in [re.match(r"family\[(\d+)\]\.given_names$", path)] if m]
        backed_text = " | ".join(backed)
        for kind in ("names", "places"):
            for value in values[kind]:
                if value in child_names:
                    continue
                if re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text) and value not in backed_text:
                    problems.append(f"§{number}: {kind[:-1]} {value!r} not among its fields {prov[number]}")
        for found in (DATE_ES if lang == "es" else DATE_EN).findall(text):
            if found not in backed:
                problems.append(f"§{number}: date {found!r} not among its fields {prov[number]}")
    return problems


def check(data: dict, law, calendar, folder: Path) -> list[str]:
    case, problems = parse_case(copy.deepcopy(data), today=TODAY)
    assert case is not None, [(p.field, p.message_en) for p in problems]
    out = []
    for kind in FILINGS:
        if kind not in case.procedures:
            continue
        for lang in ("es", "en"):
            ctx = DocumentContext.build(case, law, calendar).for_language(lang)
            path = render_docx(kind, lang, ctx, folder / f"{case.case_id}-{kind}-{lang}.docx")
            out += [f"{case.case_id} {kind} {lang} {p}" for p in unsupported(case, ctx, docx_paragraphs(path), lang)]
    return out


@pytest.mark.parametrize("data", _examples(), ids=lambda d: d["case_id"])
def test_examples_state_no_unsupported_fact(data, law, calendar, tmp_path):
    assert check(data, law, calendar, tmp_path) == []


# ---------------------------------------------------------------------------
# a corpus of generated cases: names, places, dates and living arrangements
# drawn at random over the examples' shapes

GIVEN = ["Yessenia", "Brayan", "Keila", "Dilan", "Marisol", "Anderson", "Fátima", "Jostin", "Nayeli", "Wilmer"]
FAMILY = ["Ajú Tzoc", "Cardona Paz", "Mejía Orellana", "Saint-Fleur", "Quispe Mamani", "Barrios Lemus"]
CITIES = ["Comitán", "Tenosique", "Villahermosa", "Ciudad Juárez", "Saltillo", "Querétaro", "Puebla", "Mérida"]
ABROAD = ["Quetzaltenango", "La Ceiba", "Santa Ana", "Les Cayes", "Maracaibo", "Estelí"]


def generated(seed: int) -> dict:
    rnd = random.Random(seed)
    data = copy.deepcopy(_examples()[seed % len(_examples())])
    data["case_id"] = f"GEN-{seed:03d}"
    child = data["child"]
    child["given_names"], child["family_names"] = rnd.choice(GIVEN), rnd.choice(FAMILY)
    city = rnd.choice(CITIES)
    placement = child.setdefault("placement", {})
    placement["city"] = city
    if child.get("entry_date"):
        entry = date.fromisoformat(str(child["entry_date"])) - timedelta(days=rnd.randint(0, 40))
        child["entry_date"] = entry.isoformat()
    for i, rel in enumerate(data.get("family", [])):
        rel["given_names"] = rnd.choice(GIVEN)
        rel["family_names"] = rnd.choice(FAMILY) + f" {i}"
        if rel.get("in_mexico"):
            rel["location_city"] = rnd.choice([city, rnd.choice(CITIES)])
            for flag in ("lives_with_child", "cares_for_child"):
                choice = rnd.choice([True, False, None])
                if choice is None:
                    rel.pop(flag, None)
                else:
                    rel[flag] = choice
        else:
            rel["location_city"] = rnd.choice(ABROAD)
    if rnd.random() < 0.5 and "claim" in data:
        for e in data["claim"].get("events", []):
            e["place"] = rnd.choice(ABROAD)
    return data


@pytest.mark.parametrize("seed", range(12))
def test_generated_cases_state_no_unsupported_fact(seed, law, calendar, tmp_path):
    assert check(generated(seed), law, calendar, tmp_path) == []


def test_provenance_in_the_review_packet_context(example, law, calendar, tmp_path):
    """Each Hechos paragraph of the derivative filing names its fields; the
    paragraph saying the child lives with the father rests on lives_with_child."""
    data = example("EX-0002")
    case, _ = parse_case(data, today=TODAY)
    ctx = DocumentContext.build(case, law, calendar).for_language("es")
    render_docx("derivative_status", "es", ctx, tmp_path / "d.docx")
    rows = provenance(ctx, "es")
    assert [r["n"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    entry = next(r for r in rows if r["fact"] == "entry_home")
    assert "family[0].lives_with_child" in entry["paths"]
    assert "La NNA vive actualmente con esta persona" in entry["fields"]
    care = next(r for r in rows if r["fact"] == "care")
    assert care["paths"][0] == "family[0].cares_for_child"


# ---------------------------------------------------------------------------
# The escritos after the first filing (carta poder, ratificación, desahogo de
# prevención, recurso de revisión, cambio de residencia). They have no Hechos
# provenance of their own: the whole escrito is checked against the record
# fields it states (``af.fields``, built in documents/after_filing.py, a
# derived fact contributing the fields it rests on) and the deadlines the
# engine computed (a named derived fact).

AFTER_FILING = ("carta_poder", "ratification", "prevention_reply", "review_appeal", "residence_change")
REFUSAL_GROUNDS = [
    "No acreditó un temor fundado de persecución por alguno de los motivos de la Convención.",
    "Su relato presenta contradicciones en las fechas de las amenazas.",
    "Puede reubicarse en otra región de su país para evitar a sus agresores.",
    "No denunció los hechos ante las autoridades de su país.",
    "La solicitud se presentó fuera del plazo de 30 días hábiles.",
    "Los hechos constituyen delincuencia común, sin nexo con un motivo de la Convención.",
    "No se acreditan los extremos de la solicitud.",
]


def after_filing_case(seed: int) -> dict:
    """A case after its first filing, drawn over the examples' shapes: each
    seed takes one stage (ratification, prevención, refusal, change of
    residence) and varies who is with the child, what the claim records and
    what the Procuraduría did."""
    rnd = random.Random(1000 + seed)
    data = generated(seed)
    data["case_id"] = f"AF-{seed:03d}"
    child = data["child"]
    shape = ("ratification", "prevention_reply", "review_appeal", "residence_change")[seed % 4]
    data["procedures"] = [shape]
    data["proceedings"] = {"comar_case_number": f"COMAR/TAP/{2000 + seed}/2026", "comar_filed_date": "2026-05-18",
                           "ratified_date": "2026-05-20", "tvrh_issued": bool(rnd.random() < 0.5)}
    pro = data["proceedings"]
    if shape == "ratification":
        pro["comar_filed_date"] = "2026-11-18"
        del pro["ratified_date"]
    elif shape == "prevention_reply":
        pro["prevention_notified_date"] = "2026-11-19"
        pro["prevention_items"] = rnd.sample(["Acta de nacimiento o documento de identidad", "Domicilio actual",
                                              "Constancia médica de las lesiones", "Fotografías recientes"], 2)
    elif shape == "review_appeal":
        pro["resolution"] = {"kind": "refused", "number": f"COMAR/TAP/RES/{7000 + seed}/2026",
                             "date": "2026-11-06", "notified_date": "2026-11-13",
                             "grounds": rnd.sample(REFUSAL_GROUNDS, rnd.randint(1, 3))}
    else:
        to_city = rnd.choice(["Monterrey", "Tijuana", "Guadalajara", "Saltillo"])
        states = {"Monterrey": "Nuevo León", "Tijuana": "Baja California", "Guadalajara": "Jalisco",
                  "Saltillo": "Coahuila"}
        pro["residence_change"] = {"to_city": to_city, "to_state": states[to_city],
                                   "reason": "Un familiar que puede cuidarle vive en esa ciudad."}
        if data.get("family") and rnd.random() < 0.7:
            rel = rnd.choice(data["family"])
            rel.update(in_mexico=True, location_country="MX", location_city=to_city)
    # who is with the child: a parent in Mexico, with or without the record saying so
    child["accompaniment"] = rnd.choice(["unaccompanied", "separated", "accompanied"])
    if rnd.random() < 0.5:
        data.setdefault("family", []).append({
            "given_names": rnd.choice(GIVEN), "family_names": rnd.choice(FAMILY) + " M", "relationship": "mother",
            "sex": "F", "nationality": child.get("nationality"), "location_country": "MX",
            "location_city": child["placement"]["city"], "in_mexico": True,
            **{k: v for k, v in (("lives_with_child", rnd.choice([True, False, None])),
                                 ("cares_for_child", rnd.choice([True, False, None]))) if v is not None}})
    claim = data.setdefault("claim", {})
    claim["fear_of_return"] = True
    if rnd.random() < 0.3:
        claim.pop("persecutors", None)
    if rnd.random() < 0.3:
        claim.pop("events", None)
    co = data.setdefault("coadyuvante", {})
    co["child_heard"] = rnd.random() < 0.5
    if rnd.random() < 0.3:
        co.pop("expediente", None)
        co.pop("notified_date", None)
    child["needs_interpreter"] = rnd.random() < 0.3
    return data


def after_filing_unsupported(case: Case, dc: DocumentContext, ctx: dict, paras: list[str], kind: str) -> list[str]:
    """Names, places and dates of the whole escrito that none of its fields
    (``af.fields``) holds and no computed deadline gives."""
    paths = ctx["af"]["fields"][kind]
    backed = [s for path in paths for s in strings_of(resolve(case, path))]
    backed += [case.family[int(m.group(1))].full_name
               for path in paths for m in [re.match(r"family\[(\d+)\]\.given_names$", path)] if m]
    deadlines = [s for d in dc.deadlines for s in strings_of(d.date)]
    backed_text = " | ".join(backed)
    child_names = {f"{case.child.given_names} {case.child.family_names}", case.child.given_names or ""}
    text = "\n".join(paras)
    problems = []
    for what, found in record_values(case).items():
        for value in found:
            if value in child_names:
                continue
            if re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text) and value not in backed_text:
                problems.append(f"{what[:-1]} {value!r} not among its fields")
    for day in DATE_ES.findall(text) + DATE_EN.findall(text):
        if day not in backed and day not in deadlines:
            problems.append(f"date {day!r} neither among its fields nor a deadline")
    return problems


def check_after_filing(data: dict, law, calendar, folder: Path) -> list[str]:
    case, problems = parse_case(copy.deepcopy(data), today=TODAY)
    assert case is not None, [(p.field, p.message_en) for p in problems]
    dc = DocumentContext.build(case, law, calendar)
    out = []
    for kind, lang in document_plan(case, ("es", "en")):
        if kind not in AFTER_FILING:
            continue
        ctx = dc.for_language(lang)
        path = render_docx(kind, lang, ctx, folder / f"{case.case_id}-{kind}-{lang}.docx")
        out += [f"{case.case_id} {kind} {lang} {p}"
                for p in after_filing_unsupported(case, dc, ctx, docx_paragraphs(path), kind)]
    return out


@pytest.mark.parametrize("data", _examples(), ids=lambda d: d["case_id"])
def test_after_filing_escritos_of_the_examples_state_no_unsupported_fact(data, law, calendar, tmp_path):
    assert check_after_filing(data, law, calendar, tmp_path) == []


@pytest.mark.parametrize("seed", range(24))
def test_after_filing_escritos_of_generated_cases_state_no_unsupported_fact(seed, law, calendar, tmp_path):
    assert check_after_filing(after_filing_case(seed), law, calendar, tmp_path) == []


def test_the_after_filing_check_finds_an_unsupported_name(example, law, calendar, tmp_path):
    """The check has teeth: a carta poder that named the mother abroad as the
    one who assists the child would state what the record does not hold."""
    data = example("EX-0008")
    case, _ = parse_case(copy.deepcopy(data), today=TODAY)
    dc = DocumentContext.build(case, law, calendar)
    ctx = dc.for_language("es")
    mother = case.family[0].full_name
    paras = docx_paragraphs(render_docx("carta_poder", "es", ctx, tmp_path / "c.docx"))
    assert after_filing_unsupported(case, dc, ctx, paras, "carta_poder") == []
    assert f"name {mother!r} not among its fields" in after_filing_unsupported(
        case, dc, ctx, paras + [f"asistido por mi madre, {mother}"], "carta_poder")
    assert after_filing_unsupported(case, dc, ctx, paras + ["el 1 de marzo de 2026"], "carta_poder") == [
        "date '1 de marzo de 2026' neither among its fields nor a deadline"]
