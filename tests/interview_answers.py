"""Scripted answers for the in-process interview tests: the example case
EX-0001 (Ana, asylum + coadyuvante) and its relatives, as a lawyer would type
them into the screens. Keys are interview variables (``case.`` + the case
record's field name) or, for the few screens without fields, screen ids."""

from __future__ import annotations

CHILD = {
    "case_start_from": "new",  # a procedure interview opened on its own: a new case
    "case.child.given_names": "Ana Lucía",
    "case.child.family_names": "Pérez López",
    "case.child.other_names": "Anita\nAna Lucia Perez",
    "case.child.dob_status": "exact",
    "case.child.date_of_birth": "2010-05-14",
    "case.child.sex": "F",
    "case.child.nationality": "GT",
    "case.child.country_of_birth": "GT",
    "case.child.first_language": "es",
    "case.child.other_languages": [],
    "case.child.extra_language": "",
    "case.child.needs_interpreter": False,
    "case.child.entry_date": "2026-03-02",
    "case.child.entry_place": "Ciudad Hidalgo, Chiapas",
    "case.child.route": "Huehuetenango → La Mesilla → Ciudad Hidalgo",
    "case.child.accompaniment": "unaccompanied",
    "case.child.placement.type": "dif_cas",
    "case.child.placement.name": "CAS Tapachula",
    "case.child.placement.city": "Tapachula",
    "case.child.placement.state": "Chiapas",
    "case.child.identity_documents": ["birth_certificate"],
}

CLAIM = {
    "case.claim.grounds": ["particular_social_group", "gender"],
    "case.claim.persecutors": "Integrantes del Barrio 18 en su colonia",
    "case.claim.fear_of_return": True,
    "case.claim.persecutor_kind": "gang",
    "case.claim.social_group": ("niñas adolescentes guatemaltecas cuyas familias se niegan a pagar la «renta» que "
                                "exige la pandilla que controla su colonia"),
    "case.claim.state_protection.sought": True,
    "case.claim.state_protection.authority": "Policía Nacional Civil",
    "case.claim.state_protection.date": "2026-01-12",
    "case.claim.state_protection.outcome": "no_response",
    "case.claim.narrative_en": (
        "Ana Lucía says that from 2025 gang members harassed her on her way out of school\n"
        "and demanded a monthly \"rent\" from her grandmother. In January 2026 they threatened to take her if "
        "the family did not pay.\n"),
    "case.claim.narrative": (
        "Ana Lucía relata que desde 2025 integrantes de la pandilla la acosaban a la salida de la escuela\n"
        "y exigieron a su abuela una \"renta\" mensual. En enero de 2026 amenazaron con llevársela si la familia "
        "no pagaba.\n"),
    "case.claim.events.there_are_any": True,
    "case.claim.events[0].date": "2026-01-12",
    "case.claim.events[0].place": "Huehuetenango",
    "case.claim.events[0].description": "Amenaza directa frente a la escuela",
    "case.claim.events.there_is_another": False,
    "case.claim.late_filing_reasons": ["no_information"],
    "case.claim.late_filing_explanation": "Nadie le informó de su derecho a solicitar refugio hasta que llegó al CAS.",
    "case.proceedings.tvrh_issued": False,
}

GRANDMOTHER = {
    "case.family.there_are_any": True,
    "case.family[0].given_names": "Carmen",
    "case.family[0].family_names": "López Juárez",
    "case.family[0].relationship": "grandparent",
    "case.family[0].sex": "F",
    "case.family[0].nationality": "GT",
    "case.family[0].in_mexico": False,
    "case.family[0].location_country": "GT",
    "case.family[0].location_city": "Huehuetenango",
    "case.family.there_is_another": False,
}

PPNNA = {
    "case.authority.ppnna": "estatal",
    "case.authority.ppnna_state": "Chiapas",
    "case.coadyuvante.notified_date": "2026-03-03",
    "case.coadyuvante.expediente": "PPNNA/CHIS/0123/2026",
    "case.coadyuvante.child_heard": False,
}

CLOSING = {
    "case.screening.trafficking_indicators": [],
    "case.child_views": "Quiere quedarse en México y seguir estudiando.",
    "case.risks": [],
    "case.evidence.there_are_any": True,
    "case.evidence[0].description": "Acta de nacimiento",
    "case.evidence[0].available": True,
    "case.evidence[1].description": "Fotografías de las amenazas recibidas",
    "case.evidence[1].available": False,
    "case.evidence.there_is_another": [True, False],
    "case.representative.given_names": "Laura",
    "case.representative.family_names": "Gómez Ruiz",
    "case.representative.sex": "F",
    "case.representative.organization": "Clínica Jurídica Frontera",
    "case.representative.professional_license": "12345678",
    "case.representative.email": "laura@example.org",
    "case.representative.phone": "+52 962 000 0000",
    "case.representative.address.street": "Av. Central Norte 10",
    "case.representative.address.city": "Tapachula",
    "case.representative.address.state": "Chiapas",
    "case.representative.address.postal_code": "30700",
    "case.representative.authorized_persons": "Pedro Sánchez Díaz",
    "case.authority.comar_office": "Tapachula",
    "case.authority.inm_office": "Tapachula",
    "case.case_id": "EX-0001",
    "case.filing_date": "2026-04-20",
    "case.filing_city": "Tapachula",
    "case.filing_state": "Chiapas",
    "case.output_languages": ["es", "en"],
}

ASYLUM = {**CHILD, **CLAIM, **GRANDMOTHER, **CLOSING}
COADYUVANTE = {**CHILD, **PPNNA, **CLOSING}

# Luis: a boy in Mexico whose father is a recognized refugee (derivative status).
DERIVATIVE = {
    **CHILD,
    "case.child.given_names": "Luis",
    "case.child.family_names": "Ramírez Soto",
    "case.child.sex": "M",
    "case.child.nationality": "HN",
    "case.child.country_of_birth": "HN",
    "case.child.accompaniment": "separated",
    "case.child.date_of_birth": "2014-08-09",
    "case.child.entry_date": "2026-09-01",
    "case.family[0].given_names": "José",
    "case.family[0].family_names": "Ramírez Cruz",
    "case.family[0].relationship": "father",
    "case.family[0].nationality": "HN",
    "case.family[0].in_mexico": True,
    "case.family[0].location_city": "Tapachula",
    "case.family[0].economically_dependent": True,
    "case.family[0].lives_with_child": True,
    "case.family[0].cares_for_child": True,
    "case.family[0].is_principal_refugee": True,
    "case.family[0].refugee_status.resolution_number": "COMAR/TAP/1234/2025",
    "case.family[0].refugee_status.resolution_date": "2025-09-30",
    "case.family[0].refugee_status.office": "Tapachula",
    "case.family.there_is_another": False,
    **{k: v for k, v in CLOSING.items()},
    "case.case_id": "EX-0002",
    "case.filing_date": "2026-10-05",
    # no fear of return: the filing asks only the derivation
    "case.claim.fear_of_return": False,
}

# Luis fears returning: the derivative filing argues, subsidiarily, his own
# claim, so its structure is asked (facts.own_claim_argued).
DERIVATIVE_WITH_CLAIM = {
    **DERIVATIVE,
    "case.claim.fear_of_return": True,
    "case.claim.grounds": ["particular_social_group"],
    "case.claim.persecutors": "Integrantes de la MS-13 que controlan su colonia en San Pedro Sula",
    "case.claim.persecutor_kind": "gang",
    "case.claim.social_group": "niños hondureños hijos de personas que denunciaron a la pandilla",
    "case.claim.state_protection.sought": True,
    "case.claim.state_protection.authority": "Ministerio Público de San Pedro Sula",
    "case.claim.state_protection.date": "2026-04-03",
    "case.claim.state_protection.outcome": "threatened_for_reporting",
    "case.claim.narrative": ("Luis relata que, después de que su padre denunció a la pandilla, integrantes de la "
                             "MS-13 lo esperaban a la salida de la escuela y le dijeron que pagaría por su padre.\n"),
    "case.claim.narrative_en": "",
    "case.claim.events.there_are_any": False,
}

# Rosa: a recognized refugee child asks that her mother and brother join her.
REUNIFICATION = {
    **CHILD,
    "case.child.given_names": "Rosa",
    "case.child.family_names": "Méndez Flores",
    "case.child.nationality": "SV",
    "case.child.country_of_birth": "SV",
    "case.refugee_holder": "child",
    "case.refugee_status.resolution_number": "COMAR/TAP/0456/2026",
    "case.refugee_status.resolution_date": "2026-01-15",
    "case.refugee_status.office": "Tapachula",
    "case.family[0].given_names": "Marta",
    "case.family[0].family_names": "Flores Reyes",
    "case.family[0].relationship": "mother",
    "case.family[0].nationality": "SV",
    "case.family[0].in_mexico": False,
    "case.family[0].location_country": "SV",
    "case.family[0].location_city": "San Salvador",
    "case.family[0].economically_dependent": False,
    "case.family[0].reunification_requested": True,
    "case.family.there_is_another": False,
    **CLOSING,
    "case.case_id": "EX-0003",
}

# The intake: Ana fears return and travels alone -> asylum and coadyuvante.
INTAKE = {
    **ASYLUM,
    **PPNNA,
    "intake_fear": True,
    "intake_relative_refugee": False,
    "intake_child_refugee": False,
    "intake_procedures": ["asylum", "coadyuvante"],
    "case.after_filing_stage": "not_filed",
}

# After the first filing: COMAR refused Ana's application; the recurso de
# revisión (and its carta poder), never a new application.
AFTER_FILING = {
    "case.proceedings.comar_case_number": "COMAR/TAP/2291/2026",
    "case.proceedings.comar_filed_date": "2026-04-20",
    "case.proceedings.ratified_date": "2026-04-22",
    "case.proceedings.resolution.number": "COMAR/TAP/RES/7777/2026",
    "case.proceedings.resolution.date": "2026-11-06",
    "case.proceedings.resolution.notified_date": "2026-11-13",
    "case.proceedings.resolution.grounds": ("No acreditó un temor fundado de persecución.\n"
                                            "Su relato presenta contradicciones en las fechas."),
}
REVIEW_APPEAL = {
    **ASYLUM,
    "case.after_filing_stage": "refused",
    **AFTER_FILING,
    "case.case_id": "EX-0008",
    "case.filing_date": "2026-11-23",
}
# The intake of the same refused case: the core recommends the recurso, and
# the asylum application is not offered as a recommendation.
INTAKE_REFUSED = {
    **REVIEW_APPEAL,
    **PPNNA,
    "intake_fear": True,
    "intake_relative_refugee": False,
    "intake_child_refugee": False,
    "intake_procedures": ["review_appeal", "coadyuvante"],
}

# Counsel takes over Ana's case, already before COMAR and ratified: the carta
# poder on its own (its entry interview, carta_poder.yml); no other escrito is due.
CARTA_PODER = {
    **CHILD,
    **GRANDMOTHER,
    **CLOSING,
    "case.after_filing_stage": "filed",
    "case.proceedings.comar_case_number": "COMAR/TAP/2291/2026",
    "case.proceedings.comar_filed_date": "2026-04-20",
    "case.proceedings.ratified_date": "2026-04-22",
    "case.case_id": "EX-0009",
    "case.filing_date": "2026-11-23",
}
