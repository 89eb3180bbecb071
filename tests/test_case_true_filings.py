"""Filings true to the case (issue 11): a filing states only what the record
holds, never contradicts itself, and says the same thing as the other
documents of the case.

Each test builds a case shaped like one pattern a practitioner found, renders
the real templates in Spanish and English, and checks that the false or
contradictory statement is absent and the right one present.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from docassemble.puente import facts
from docassemble.puente.checklist import case_checklist
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.render import render_docx
from docassemble.puente.validate import parse_case

from .conftest import TODAY
from .docx_text import docx_paragraphs

LANGS = ("es", "en")
LEFTOVER = re.compile(r"\{\{|\{%|\}\}|%\}|\bNone\b|\bnan\b")


def build(data: dict, law, calendar) -> DocumentContext:
    case, problems = parse_case(copy.deepcopy(data), today=TODAY)
    assert case is not None, [(p.field, p.message_en) for p in problems]
    return DocumentContext.build(case, law, calendar)


def render(data: dict, kind: str, lang: str, law, calendar, folder: Path) -> str:
    dc = build(data, law, calendar)
    ctx = dc.for_language(lang)
    path = render_docx(kind, lang, ctx, folder / f"{data['case_id']}-{kind}-{lang}.docx")
    text = " ".join(" ".join(docx_paragraphs(path)).split())
    assert not LEFTOVER.search(text), LEFTOVER.search(text).group(0)
    return text


def checklist_texts(dc: DocumentContext, lang: str) -> list[str]:
    return [e.item.text[lang] for sections in case_checklist(dc.case, dc.law).values()
            for entries in sections.values() for e in entries]


# ---------------------------------------------------------------------------
# cases shaped like the patterns


def derivative_mother_elsewhere(example) -> dict:
    """The principal (the mother) lives in another city; the child lives with an aunt."""
    data = example("EX-0002")
    data["case_id"] = "PAT-DERIV-AUNT"
    data["procedures"] = ["derivative_status", "coadyuvante"]
    data["child"]["placement"] = {"type": "family", "city": "Tijuana", "state": "Baja California"}
    data["authority"]["ppnna_state"] = "Baja California"
    mother = data["family"][0]
    mother.update({"given_names": "Rosa Elena", "family_names": "Castro Núñez", "relationship": "mother",
                   "location_city": "Monterrey"})
    mother.pop("lives_with_child", None)
    mother.pop("cares_for_child", None)
    data["family"].append({"given_names": "Marta Julia", "family_names": "Castro Núñez", "relationship": "aunt_uncle",
                           "sex": "F", "nationality": "HN", "location_country": "MX", "location_city": "Tijuana",
                           "in_mexico": True, "lives_with_child": True, "cares_for_child": True})
    return data


def test_no_invented_cohabitation_or_care(example, law, calendar, tmp_path):
    data = derivative_mother_elsewhere(example)
    es = render(data, "derivative_status", "es", law, calendar, tmp_path)
    en = render(data, "derivative_status", "en", law, calendar, tmp_path)
    # the mother is not said to live with or care for the child
    assert "vive con Rosa Elena" not in es and "living with Rosa Elena" not in en
    assert "Rosa Elena Castro Núñez tiene" not in es and "Rosa Elena Castro Núñez cares" not in en
    assert "bajo su cuidado en México" not in es and "cares for him in Mexico" not in en
    assert "carece de medios propios de subsistencia" not in es
    # the record's placement is stated instead
    assert "actualmente se encuentra en el domicilio familiar, en Tijuana, Baja California" in es
    assert "currently at the family home in Tijuana, Baja California" in en
    # dependency on a mother is argued from her duty of support, not invented care
    assert "depende económicamente de Rosa Elena Castro Núñez, su madre, como corresponde a su edad" in es
    assert "depends economically on Rosa Elena Castro Núñez, his mother, as befits his age" in en
    coad_es = render(data, "coadyuvante", "es", law, calendar, tmp_path)
    coad_en = render(data, "coadyuvante", "en", law, calendar, tmp_path)
    assert "con Marta Julia Castro Núñez (tía)" in coad_es and "with Marta Julia Castro Núñez (aunt)" in coad_en
    assert "Rosa Elena Castro Núñez (madre)" not in coad_es and "Rosa Elena Castro Núñez (mother)" not in coad_en
    dc = build(data, law, calendar)
    assert "principal_elsewhere" in {f.id for f in dc.flags}


def test_silent_record_omits_and_the_checklist_asks(example, law, calendar, tmp_path):
    data = derivative_mother_elsewhere(example)
    data["family"] = data["family"][:1]          # no aunt: nobody recorded as living with the child
    data["child"]["identity_documents"] = []     # silent on documents
    for lang in LANGS:
        text = render(data, "coadyuvante", lang, law, calendar, tmp_path)
        assert "No cuenta con documentos de identidad" not in text and "has no identity documents" not in text
        assert "Rosa Elena Castro Núñez (" not in text
    dc = build(data, law, calendar)
    es, en = checklist_texts(dc, "es"), checklist_texts(dc, "en")
    assert any("no dice con quién vive la NNA" in t for t in es)
    assert any("does not say whom the child lives with" in t for t in en)
    assert facts.living_arrangement_unrecorded(dc.case)


def test_child_refugee_supporting_a_sibling(example, law, calendar, tmp_path):
    """A sibling 'depends on' the child refugee: the filing keeps the record's
    word but never adds that the child has no income; counsel is warned."""
    data = example("EX-0003")
    data["case_id"] = "PAT-REUNIF-DEP"
    data["family"][1]["economically_dependent"] = True
    es = render(data, "family_reunification", "es", law, calendar, tmp_path)
    en = render(data, "family_reunification", "en", law, calendar, tmp_path)
    assert "no tiene ingresos propios" not in es and "with no income" not in en
    assert "no está obligada a sostener económicamente" in es
    assert "is not bound to support" in en
    dc = build(data, law, calendar)
    assert "minor_supports_relative" in {f.id for f in dc.flags}
    assert any("depende económicamente de la NNA refugiada" in t for t in checklist_texts(dc, "es"))


def test_sibling_named_by_sex(example, law, calendar, tmp_path):
    data = example("EX-0003")
    es = render(data, "family_reunification", "es", law, calendar, tmp_path)
    en = render(data, "family_reunification", "en", law, calendar, tmp_path)
    assert "hermana o hermano" not in es and "Parentesco con la adolescente: hermana" in es
    assert "sister" in en
    data = example("EX-0001")
    data["family"].append({"given_names": "Pedro", "family_names": "Pérez López", "relationship": "sibling",
                           "sex": "M", "location_country": "GT", "in_mexico": False})
    es = render(data, "asylum", "es", law, calendar, tmp_path)
    en = render(data, "asylum", "en", law, calendar, tmp_path)
    assert "Pedro Pérez López (hermano)" in es and "Pedro Pérez López (brother)" in en
    assert "hermana o hermano" not in es


def test_birth_certificate_annexed_is_never_missing(example, law, calendar, tmp_path):
    """The principal is a grandmother; the child's birth certificate is annexed."""
    data = example("EX-0002")
    data["case_id"] = "PAT-DERIV-ACTA"
    data["family"][0]["relationship"] = "grandparent"
    data["family"][0]["sex"] = "M"
    data["child"]["identity_documents"] = ["passport"]
    data["evidence"] = [{"description": "Acta de nacimiento del niño", "available": True},
                        {"description": "Resolución COMAR/MTY/0456/2025 de la COMAR", "available": True}]
    es = render(data, "derivative_status", "es", law, calendar, tmp_path)
    en = render(data, "derivative_status", "en", law, calendar, tmp_path)
    assert "a falta del acta" not in es and "in the absence of the relevant certificate" not in en
    assert "el parentesco se acredita con el acta de nacimiento del niño, que se acompaña" in es
    assert "birth certificate, attached" in en
    # the principal's resolution is annexed once
    assert len(re.findall(r"Anexo \d+\.\s*Copia de la resolución COMAR/MTY/0456/2025", es)) == 1
    assert "Resolución COMAR/MTY/0456/2025 de la COMAR" not in es


def test_none_with_documents_is_an_error(example):
    data = example("EX-0001")
    data["child"]["identity_documents"] = ["passport", "none"]
    case, problems = parse_case(data, today=TODAY)
    assert case is None
    bad = [p for p in problems if p.field == "child.identity_documents"]
    assert bad and "none" in bad[0].message_en and "ninguno" in bad[0].message_es


def test_lives_with_a_relative_abroad_is_an_error(example):
    data = example("EX-0001")
    data["family"][0]["lives_with_child"] = True
    case, problems = parse_case(data, today=TODAY)
    assert case is None
    assert any(p.field == "family[0].lives_with_child" and "México" in p.message_es for p in problems)


def test_no_well_founded_fear_without_a_reason(example, law, calendar, tmp_path):
    """The narrative tells only the journey: no 'temor fundado' conclusion."""
    data = example("EX-0001")
    data["case_id"] = "PAT-ASYLUM-TRAVEL"
    data["claim"] = {"grounds": ["generalized_violence"], "fear_of_return": True,
                     "narrative": "Salió de Huehuetenango en febrero y viajó en autobús hasta La Mesilla."}
    es = render(data, "asylum", "es", law, calendar, tmp_path)
    en = render(data, "asylum", "en", law, calendar, tmp_path)
    assert "Por lo anterior" not in es and "manifiesta temor fundado" not in es
    assert "manifiesta temor de regresar a su país de origen." in es
    assert "For these reasons" not in en and "expresses fear of returning to her country of origin." in en
    dc = build(data, law, calendar)
    assert "fear_not_grounded" in {f.id for f in dc.flags}
    assert any("no afirma un temor fundado" in t for t in checklist_texts(dc, "es"))


def test_one_placement_phrase_everywhere(example, law, calendar, tmp_path):
    data = example("EX-0001")
    dc = build(data, law, calendar)
    es = facts.placement_phrase(dc.case, law, "es")
    assert es == "en el Centro de Asistencia Social del Sistema DIF «CAS Tapachula», en Tapachula, Chiapas"
    for kind in ("asylum", "coadyuvante"):
        assert es in render(data, kind, "es", law, calendar, tmp_path)
    plan = dc.for_language("es")["plan"]
    assert any(row["value"].lower() == es[3:].lower() for row in plan["rows"])


# ---------------------------------------------------------------------------
# arguments from the facts


def fundamentacion(text: str, lang: str) -> str:
    start = text.index("CONSIDERACIONES DE DERECHO" if lang == "es" else "LEGAL GROUNDS")
    end = text.index("PRUEBAS Y ANEXOS" if lang == "es" else "EVIDENCE / EXHIBITS", start)
    return text[start:end]


def second_asylum_case(example) -> dict:
    """A boy threatened by his stepfather; protection was refused by the prosecutor."""
    data = example("EX-0001")
    data["case_id"] = "PAT-ASYLUM-FAMILY"
    data["child"].update({"given_names": "Kevin", "family_names": "Ortiz Paz", "sex": "M", "nationality": "HN"})
    data["claim"] = {
        "grounds": ["particular_social_group"],
        "persecutors": "Su padrastro, Julio Ortiz",
        "persecutor_kind": "family_member",
        "social_group": "niños hondureños víctimas de violencia familiar a quienes el Estado no protege",
        "state_protection": {"sought": True, "authority": "Fiscalía de la Niñez de San Pedro Sula",
                             "outcome": "refused"},
        "narrative": "Kevin relata que su padrastro lo golpeaba y lo amenazó de muerte si volvía a denunciarlo.",
        "events": [{"date": "2026-01-20", "place": "San Pedro Sula", "description": "Amenaza de muerte del padrastro"}],
        "fear_of_return": True,
    }
    return data


def test_two_asylum_cases_argue_their_own_facts(example, law, calendar, tmp_path):
    ana, kevin = example("EX-0001"), second_asylum_case(example)
    for lang in LANGS:
        a = fundamentacion(render(ana, "asylum", lang, law, calendar, tmp_path), lang)
        k = fundamentacion(render(kevin, "asylum", lang, law, calendar, tmp_path), lang)
        assert a != k
        # each names its own social group, persecutor and the protection sought
        assert "cuyas familias se niegan a pagar la «renta»" in a and "víctimas de violencia familiar" in k
        assert "Barrio 18" in a and "Julio Ortiz" in k and "Barrio 18" not in k
        assert "Policía Nacional Civil" in a and "Fiscalía de la Niñez de San Pedro Sula" in k
        if lang == "es":
            assert ("el 12 de enero de 2026 se acudió ante la Policía Nacional Civil para pedir protección, "
                    "y no obtuvo respuesta") in a
            assert ("se acudió ante la Fiscalía de la Niñez de San Pedro Sula para pedir protección, "
                    "y le negaron la protección") in k
            assert "persecución por motivos de género" in a and "persecución por motivos de género" not in k
            assert "reclutamiento forzado" in a and "reclutamiento forzado" not in k
            assert ("hechos concretos dirigidos en su contra —el 20 de enero de 2026, en San Pedro Sula: "
                    "amenaza de muerte del padrastro—") in k
            assert "de ser devuelto a Honduras, su vida se vería amenazada por su padrastro, Julio Ortiz" in k
        else:
            assert "protection was sought from Fiscalía de la Niñez de San Pedro Sula, and protection was refused" in k
            assert "gender-based persecution" in a and "forced recruitment" in a
            assert "if returned to Honduras" in k


def test_trafficking_and_estimated_age_are_argued(example, law, calendar, tmp_path):
    data = example("EX-0001")
    data["case_id"] = "PAT-ASYLUM-TRATA"
    data["child"].pop("date_of_birth")
    data["child"].update({"age_estimated": True, "estimated_age": 15})
    data["screening"] = {"trafficking_indicators": ["debt_owed", "restricted_movement"]}
    es = fundamentacion(render(data, "asylum", "es", law, calendar, tmp_path), "es")
    en = fundamentacion(render(data, "asylum", "en", law, calendar, tmp_path), "en")
    assert "indicadores de trata de personas" in es and "volver a ser víctima de trata" in es
    assert "pertenencia a determinado grupo social y género" in es.split("indicadores de trata de personas")[1]
    assert "being trafficked again" in en
    assert "Presunción de minoría de edad." in es and "presunción de minoría de edad" in es and "(15 años)" in es
    assert "Presumption of minority." in en and "artículo 5" not in en and "article 5" in en


def test_no_fear_argued_from_a_journey(example, law, calendar, tmp_path):
    data = example("EX-0001")
    data["case_id"] = "PAT-ASYLUM-TRAVEL2"
    data["claim"] = {"grounds": ["generalized_violence"], "fear_of_return": True,
                     "narrative": "Salió de Huehuetenango en febrero y viajó en autobús hasta La Mesilla."}
    es = fundamentacion(render(data, "asylum", "es", law, calendar, tmp_path), "es")
    assert "fueron amenazadas por" not in es and "fundados temores" not in es
    assert "deberán recabarse en la entrevista de elegibilidad" in es
    assert "la cual deberá valorarse con base en los hechos que se recaben" in es


def test_derivative_subsidiary_claim_argued_on_its_facts(example, law, calendar, tmp_path):
    data = example("EX-0005")
    es = render(data, "derivative_status", "es", law, calendar, tmp_path)
    en = render(data, "derivative_status", "en", law, calendar, tmp_path)
    sub = es[es.index("Solicitud subsidiaria por derecho propio."):]
    assert "La solicitud por derecho propio se sustenta en los hechos expuestos" in sub
    assert "por motivos de opiniones políticas" in sub and "colectivo armado" in sub
    assert "The application in her own right rests on the facts set out above" in en


# ---------------------------------------------------------------------------
# urgent measures from the risks


def abduction_attempt(example) -> dict:
    """A girl escaped an attempted abduction by a man linked to a criminal group."""
    data = example("EX-0001")
    data["case_id"] = "PAT-RISK"
    data["risks"] = ["threatened_by_known_person", "criminal_group_contact"]
    return data


def test_urgent_measures_follow_the_risks(example, law, calendar, tmp_path):
    data = abduction_attempt(example)
    es = render(data, "coadyuvante", "es", law, calendar, tmp_path)
    en = render(data, "coadyuvante", "en", law, calendar, tmp_path)
    assert "Medidas urgentes de protección especial." in es and "artículo 122" in es
    assert "Medidas de protección frente a quienes la amenazan o persiguen" in es
    assert "intento de captación de la adolescente por un grupo delictivo" in es
    assert ("enfrenta actualmente estos riesgos: amenazas de una persona identificada y contacto o intento "
            "de captación") in es
    assert "Protection measures against those who threaten or pursue her" in en
    asylum_es = render(data, "asylum", "es", law, calendar, tmp_path)
    asylum_en = render(data, "asylum", "en", law, calendar, tmp_path)
    assert ("Dar aviso inmediato a la Procuraduría de Protección competente del riesgo que hoy corre "
            "la adolescente") in asylum_es
    assert "Notify the competent PPNNA at once of the risk the adolescent faces today" in asylum_en
    # the restitution plan says the same: violence and life are not "no findings"
    plan = build(data, law, calendar).for_language("es")["plan"]
    status = {c["name"]: c["status"] for c in plan["catalogue"]}
    assert status["Derecho a una vida libre de violencia y a la integridad personal"] == "Restringido"
    assert status[next(n for n in status if n.startswith("Derecho a la vida"))] != "Sin hallazgos"
    assert any("amenazas de una persona identificada" in e["facts"] for gr in plan["groups"] for e in gr["entries"])
    # none of this without the risks
    plain = render(example("EX-0001"), "coadyuvante", "es", law, calendar, tmp_path)
    assert "Medidas de protección frente a quienes" not in plain


@pytest.mark.parametrize("risks,indicators", [
    (["threatened_by_known_person"], []), (["urgent_health"], []), (["self_harm", "family_violence"], []),
    (["exploitation"], []), ([], ["documents_held_by_other", "travels_with_non_relative"]), (["no_safe_placement"], []),
])
def test_plan_and_filing_agree(example, law, calendar, risks, indicators):
    """Every measure the coadyuvante filing asks for has its finding in the restitution plan."""
    from docassemble.puente.documents import arguments
    from docassemble.puente.documents.supporting import case_findings

    data = example("EX-0001")
    data["risks"] = risks
    data["screening"] = {"trafficking_indicators": indicators}
    dc = build(data, law, calendar)
    found = {cf.code for cf in case_findings(dc)}
    measures = arguments.measures(law, "coadyuvante", dc.case)
    assert measures
    for m in measures:
        assert m.finding is None or m.finding in found, (m.id, m.finding, found)


# ---------------------------------------------------------------------------
# the English mirror


def test_english_mirror_marks_what_is_not_translated(example, law, calendar, tmp_path):
    data = example("EX-0005")   # no narrative_en
    en = render(data, "derivative_status", "en", law, calendar, tmp_path)
    assert "[Original in Spanish — not translated] Valeria relata que" in en
    assert "Integrantes de un colectivo armado de su barrio [Original in Spanish — not translated]" in en
    assert "[Original in Spanish — not translated] Quiere quedarse con su mamá" in en
    es = render(data, "derivative_status", "es", law, calendar, tmp_path)
    assert "not translated" not in es
    ana = render(example("EX-0001"), "asylum", "en", law, calendar, tmp_path)
    assert "Ana Lucía says that from 2025 gang members harassed her" in ana
    assert "Ana Lucía relata" not in ana


def test_english_arguments_mark_counsels_spanish_words(example, law, calendar, tmp_path):
    """The argument paragraphs quote the social group, the persecutors, the
    events and why protection was not sought as counsel typed them, in
    Spanish: in English they carry the marker (narrative_en translates the
    narrative only); in Spanish nothing is marked."""
    from docassemble.puente.documents.grammar import UNTRANSLATED

    ana = example("EX-0001")
    assert ana["claim"].get("narrative_en")  # an English narrative does not translate the other fields
    en = fundamentacion(render(ana, "asylum", "en", law, calendar, tmp_path), "en")
    es = fundamentacion(render(ana, "asylum", "es", law, calendar, tmp_path), "es")
    group = ana["claim"]["social_group"].strip().rstrip(".")
    persecutors = ana["claim"]["persecutors"].strip().rstrip(".")
    assert f"particular social group: “{group}” {UNTRANSLATED}." in en
    assert f"The persecutors —“{persecutors}” {UNTRANSLATED}— are not agents of the State" in en
    assert f"“{ana['claim']['events'][0]['description'].rstrip('.')}” {UNTRANSLATED}" in en
    assert UNTRANSLATED not in es and "not translated" not in es
    assert group in es and f"“{group}”" not in es
    kevin = second_asylum_case(example)
    kevin["claim"]["state_protection"] = {"sought": False, "not_sought_reason": "La policía protege a su padrastro"}
    en = fundamentacion(render(kevin, "asylum", "en", law, calendar, tmp_path), "en")
    assert f"because “La policía protege a su padrastro” {UNTRANSLATED}." in en
    es = fundamentacion(render(kevin, "asylum", "es", law, calendar, tmp_path), "es")
    assert "porque la policía protege a su padrastro." in es and UNTRANSLATED not in es


def test_after_filing_escritos_mark_spanish_words_in_english(example, law, calendar, tmp_path):
    """The recurso quotes the refusal's grounds and the claim; the change of
    residence gives counsel's reason: Spanish in the English mirror, marked."""
    from docassemble.puente.documents.grammar import UNTRANSLATED

    data = example("EX-0008")
    en = render(data, "review_appeal", "en", law, calendar, tmp_path)
    es = render(data, "review_appeal", "es", law, calendar, tmp_path)
    ground = data["proceedings"]["resolution"]["grounds"][1].rstrip(".")
    # the marker follows the quotation: it is not part of what COMAR wrote
    assert f"holds: “{ground}” {UNTRANSLATED}. This consideration" in en
    assert f"{UNTRANSLATED}”" not in en
    assert f"who his persecutors are ({data['claim']['persecutors']} {UNTRANSLATED})" in en
    assert UNTRANSLATED not in es and f"«{ground}»" in es
    data["procedures"] = ["residence_change"]
    data["proceedings"] = {"comar_case_number": "COMAR/TAP/2291/2026", "comar_filed_date": "2026-05-18",
                           "ratified_date": "2026-05-20", "tvrh_issued": True,
                           "residence_change": {"to_city": "Monterrey", "to_state": "Nuevo León",
                                                "reason": "Su tía vive en Monterrey."}}
    en = render(data, "residence_change", "en", law, calendar, tmp_path)
    assert f"{UNTRANSLATED} Su tía vive en Monterrey." in en
    assert UNTRANSLATED not in render(data, "residence_change", "es", law, calendar, tmp_path)
    data["procedures"] = ["prevention_reply"]
    data["proceedings"] = {"comar_case_number": "COMAR/TAP/2291/2026", "comar_filed_date": "2026-05-18",
                           "ratified_date": "2026-05-20", "prevention_notified_date": "2026-11-19",
                           "prevention_items": ["Domicilio actual en Tapachula"]}
    en = render(data, "prevention_reply", "en", law, calendar, tmp_path)
    es = render(data, "prevention_reply", "es", law, calendar, tmp_path)
    assert f"As to the requirement “Domicilio actual en Tapachula” {UNTRANSLATED}:" in en
    assert f"{UNTRANSLATED}”" not in en
    assert "en el sentido de «Domicilio actual en Tapachula»:" in es and UNTRANSLATED not in es


# ---------------------------------------------------------------------------
# the legal wording is data


def test_every_condition_of_the_wording_exists(law):
    """Each `when:` of law/arguments.yml and law/measures.yml names a case condition."""
    from docassemble.puente.checklist import CONDITIONS

    whens = [a.when for a in law.arguments.values() if a.when] + [m.when for m in law.measures.values()]
    assert whens and [w for w in whens if w not in CONDITIONS] == []


@pytest.mark.parametrize("placement,count", [("dif_cas", 1), ("civil_shelter", 1), ("family", 1), ("other", 1),
                                             (None, 1), ("inm_station", 0)])
def test_one_placement_petitorio(example, law, calendar, placement, count):
    from docassemble.puente.documents import arguments

    data = example("EX-0001")
    data["child"]["placement"] = {"type": placement, "city": "Tapachula"} if placement else {}
    dc = build(data, law, calendar)
    assert len(arguments.measures(law, "coadyuvante_placement", dc.case)) == count
    text = dc.for_language("es")["coad"]["placement_request"]
    assert ("artículos 99 y 112 de la Ley de Migración" in text) == bool(count)
