"""No unsupported fact: every name, place and date a filing's HECHOS print
comes from the record fields behind that paragraph (its provenance, kept in
the document context) — over every example and a corpus of generated cases.

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
