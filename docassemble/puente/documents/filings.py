"""Context for the coadyuvante, family reunification and derivative-status
filings, beyond what ``context.build_context`` gives every document.

Templates lay out text; the decisions live here: which Procuraduría the
filing is addressed to and how its heading reads, which copies go to the INM
and COMAR, which risks call for urgent protection measures, how a relative is
related to the refugee, who signs. Everything returned is plain dicts, lists,
strings and booleans (and one paragraph counter), so the public-version
redaction (``protect.redact_context``) reaches every name it must hide.

Keys: ``ppnna_authority``, ``coad``, ``reunif``, ``deriv`` and ``dr`` (the
roman numerals of the legal-grounds section, which skip a section that does
not apply).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .. import facts
from ..dates import long_date
from . import arguments, grammar
from .grammar import Grammar, child_grammar
from .numbering import ROMAN, Counter
from .phrases import comar_office_place, country_name, join_words, nationality_phrase

if TYPE_CHECKING:  # types only: context imports this module
    from ..model import Relative
    from .context import DocumentContext

# Degree of kinship of each relationship (counted from the child), for the
# family circle of LSRPCAP arts. 12 and 58: blood relatives up to the fourth
# degree. None: not a blood relationship (spouse, guardian, other).
KINSHIP_DEGREE = {
    "mother": ("primer grado en línea recta", "first degree, direct line"),
    "father": ("primer grado en línea recta", "first degree, direct line"),
    "child": ("primer grado en línea recta", "first degree, direct line"),
    "grandparent": ("segundo grado en línea recta", "second degree, direct line"),
    "sibling": ("segundo grado en línea colateral", "second degree, collateral line"),
    "aunt_uncle": ("tercer grado en línea colateral", "third degree, collateral line"),
    "cousin": ("cuarto grado en línea colateral", "fourth degree, collateral line"),
}
BLOOD_RELATIVES = tuple(KINSHIP_DEGREE)
# Relatives who, by law, care for a child rather than depend on one (facts.py).
CAREGIVERS = facts.CAREGIVERS

STATE_NAMES_WITHOUT_ESTADO = ("Ciudad de México",)


def extra_context(dc: DocumentContext, lang: str) -> dict[str, Any]:
    g = child_grammar(dc.case)
    helpers = _Helpers(dc, lang, g)
    return {
        "ppnna_authority": helpers.ppnna_authority(),
        "coad": helpers.coadyuvante(),
        "reunif": helpers.reunification(),
        "deriv": helpers.derivative(),
        "dr": Counter(ROMAN),
        "fil": helpers.shared(),
        # petitorios of the COMAR filings that answer the present risks (law/measures.yml)
        "comar_measures": arguments.render_all(
            arguments.measures(dc.law, "comar", dc.case), lang,
            arguments.measure_values(dc.case, dc.law, g, lang),
            arguments.citer(dc.law, lang)),
    }


class _Helpers:
    def __init__(self, dc: DocumentContext, lang: str, g: Grammar):
        self.dc = dc
        self.case = dc.case
        self.law = dc.law
        self.lang = lang
        self.es = lang == "es"
        self.g = g

    # ---- small phrase helpers ---------------------------------------------
    def t(self, es_text: str, en_text: str) -> str:
        return es_text if self.es else en_text

    # Phrases built here are printed after the template has already cited
    # the same statutes (the legal grounds come before the petitorios), so in
    # English they carry no gloss: the glossary wants it on first use only.
    def cite(self, cid: str) -> str:
        return self.law.cite(cid).long(self.lang, gloss=False)

    def cites(self, *cids: str) -> str:
        from ..law import cite_together

        return cite_together([self.law.cite(c) for c in cids], self.lang, set(self.law.statutes))

    def date(self, day: date | None) -> str:
        return long_date(day, self.lang)

    def join(self, items: list[str]) -> str:
        return join_words(items, self.lang)

    def nationality_text(self, code: str | None) -> str:
        """'de nacionalidad salvadoreña' / 'a national of El Salvador'."""
        return nationality_phrase(code, self.lang)

    def nationality_label(self, code: str | None) -> str:
        """After 'Nacionalidad:': 'salvadoreña' / 'El Salvador'."""
        if not code:
            return ""
        if code == "stateless":
            return self.t("apátrida", "stateless")
        return grammar.demonym(code, self.lang)

    def kin(self, rel: Relative) -> str:
        """The relative's relationship to the child, gendered when the record
        says the relative's sex."""
        return facts.kin_word(rel, self.law, self.lang)

    def child_as_kin(self, rel: Relative) -> str:
        """What the child is to ``rel``: 'hija' of her mother, 'nieto' of his grandmother."""
        return grammar.child_as_kin(rel.relationship, self.case.child.sex, self.lang)

    def degree(self, code: str | None) -> str:
        d = KINSHIP_DEGREE.get(code or "")
        return (d[0] if self.es else d[1]) if d else ""

    # ---- authorities ------------------------------------------------------
    def ppnna_authority(self) -> dict[str, Any]:
        """The Procuraduría the coadyuvante filing is addressed to."""
        auth = self.case.authority
        federal = auth.ppnna == "federal"
        state = auth.ppnna_state or ""
        if federal:
            name_es = "Procuraduría Federal de Protección de Niñas, Niños y Adolescentes"
            heading_es = [f"C. TITULAR DE LA {name_es.upper()}",
                          "SISTEMA NACIONAL PARA EL DESARROLLO INTEGRAL DE LA FAMILIA"]
            # The English gloss shares the first line, so the headings pair
            # line for line in the side-by-side review.
            heading_en = [f"THE HEAD OF THE {name_es.upper()} (PPNNA, FEDERAL CHILD PROTECTION OFFICE)",
                          "SISTEMA NACIONAL PARA EL DESARROLLO INTEGRAL DE LA FAMILIA (NATIONAL DIF)"]
            gloss = "PPNNA, federal Child Protection Office"
        else:
            # no level or no state given (a COMAR filing may not say): "la … competente"
            where = f"de la {state}" if state in STATE_NAMES_WITHOUT_ESTADO else (
                f"del Estado de {state}" if state else "competente")
            name_es = f"Procuraduría de Protección de Niñas, Niños y Adolescentes {where}"
            heading_es = [f"C. TITULAR DE LA {name_es.upper()}"]
            heading_en = [f"THE HEAD OF THE {name_es.upper()} "
                          f"(PPNNA, STATE CHILD PROTECTION OFFICE{' OF ' + state.upper() if state else ''})"]
            gloss = (f"PPNNA, Child Protection Office of the State of {state}" if state
                     else "PPNNA, Child Protection Office")
            if state in STATE_NAMES_WITHOUT_ESTADO:
                gloss = f"PPNNA, Child Protection Office of {state}"
        return {
            "federal": federal,
            "name": name_es,
            # first mention in English: the Spanish name with its gloss
            "name_glossed": name_es if self.es else f"{name_es} ({gloss})",
            "heading": heading_es if self.es else heading_en,
            "state": state,
        }

    def copies(self) -> list[str]:
        """'C.c.p.' lines of the coadyuvante filing (law/wording.yml): the INM
        office when the child is in its hands or needs its documents, COMAR
        when a protection claim is or should be before it."""
        return arguments.say_all(self.law, "coadyuvante_copies", self.case, self.lang, self.wording_values())

    def wording_values(self) -> dict[str, Any]:
        """What the coadyuvante wording of law/wording.yml names."""
        return {**arguments.grammar_values(self.g, self.lang), "comar_office": self.dc_ctx_office(),
                "comar_number": self.case.proceedings.comar_case_number or "",
                "inm_office": facts.inm_office(self.case),
                "risks": arguments.risk_words(self.case, self.law, self.lang)}

    def dc_ctx_office(self) -> str:
        return comar_office_place(self.case)

    # ---- 1. coadyuvante ---------------------------------------------------
    def coadyuvante(self) -> dict[str, Any]:
        case, g = self.case, self.g
        co, screening = case.coadyuvante, case.screening
        detained = facts.in_detention(case)
        indicators = [grammar.agree_phrase(self.law.term("trafficking_indicators", code)[self.lang], g, self.lang)
                      for code in screening.trafficking_indicators]
        trafficking = bool(indicators)
        health = (bool(screening.health_needs) or screening.disability or screening.pregnant
                  or "urgent_health" in case.risks)
        # Health details are sensitive: printed only when counsel chooses.
        health_detail = grammar.untranslated(screening.health_needs, self.lang) if (
            health and screening.print_sensitive and screening.health_needs) else ""

        # Why the child needs the Procuraduría now: detention, trafficking
        # indicators, health, and the present risks counsel recorded (``risks``).
        wording = self.wording_values()
        risks = arguments.say_all(self.law, "coadyuvante_risks", case, self.lang, wording)

        # Urgent measures, each tied to a risk found in the case: the measures
        # of law/measures.yml whose condition holds (the restitution plan's
        # findings read the same conditions).
        values = arguments.measure_values(case, self.law, g, self.lang)
        urgent = arguments.render_all(arguments.measures(self.law, "coadyuvante", case), self.lang, values,
                                      arguments.citer(self.law, self.lang))

        days_since_notice = None
        if co.notified_date and case.filing_date and case.filing_date >= co.notified_date:
            days_since_notice = (case.filing_date - co.notified_date).days

        # The procedures in which the PPNNA is asked to act as coadyuvante, and
        # where the child's claim stands before COMAR (law/wording.yml).
        number = case.proceedings.comar_case_number
        procedures = arguments.say_all(self.law, "coadyuvante_procedures", case, self.lang, wording)
        comar_claim = bool({"asylum", "derivative_status"} & set(case.procedures)) or bool(number)
        comar_status = arguments.say_first(self.law, "coadyuvante_comar_status", case, self.lang, wording)

        # Where the child stays: the one petitorio of law/measures.yml for the
        # placement (a migration station is covered by the urgent measures).
        placement_text = " ".join(arguments.render_all(
            arguments.measures(self.law, "coadyuvante_placement", case), self.lang,
            {**values, "placement": self.placement_phrase()}, arguments.citer(self.law, self.lang)))

        # A state Procuraduría applies its state's administrative procedure
        # law; the LFPA's carta poder rule is cited "en lo conducente".
        state = case.authority.ppnna_state or ""
        if not state:
            local_law = "local" if self.es else "of the State"
        elif self.es:
            local_law = f"de la {state}" if state in STATE_NAMES_WITHOUT_ESTADO else f"del Estado de {state}"
        else:
            local_law = f"of {state}" if state in STATE_NAMES_WITHOUT_ESTADO else f"of the State of {state}"

        return {
            "detained": detained,
            "trafficking": trafficking,
            "indicators": indicators,
            "health": health,
            "health_detail": health_detail,
            "risks": self.join(risks),
            # the present risks as a list, for the Hechos paragraph that states them
            "risk_list": arguments.risk_words(case, self.law, self.lang),
            "risk_count": len(case.risks),
            "urgent": bool(urgent),
            "urgent_measures": urgent,
            "days_since_notice": days_since_notice if days_since_notice is not None else "",
            "show_days_since_notice": bool(days_since_notice) and co.restitution_plan_date is None,
            "procedures": procedures,
            "comar_claim": comar_claim,
            "comar_status": comar_status,
            "placement_request": placement_text,
            "local_law": local_law,
            "copies": self.copies(),
            "no_identity_documents": facts.documents_state(case) == "none",
            # the relatives the record says the child lives with (never guessed
            # from who is in Mexico)
            "lives_with": self.join([f"{r.full_name} ({self.kin(r)})" if r.relationship else r.full_name
                                     for r in facts.lives_with(case)]),
        }

    # ---- 2. family reunification -----------------------------------------
    def reunification(self) -> dict[str, Any]:
        case, g = self.case, self.g
        child_is_refugee = bool(case.refugee_status.resolution_number)
        principal = case.principal_refugee
        if child_is_refugee:
            status = case.refugee_status
            refugee_name = f"{case.child.given_names} {case.child.family_names}"
        elif principal is not None:
            status = principal.refugee_status
            refugee_name = principal.full_name
        else:
            status, refugee_name = None, ""

        relatives: list[dict[str, Any]] = []
        for rel in case.relatives_to_reunify:
            kin = self.kin(rel)
            degree = self.degree(rel.relationship) if child_is_refugee else ""
            dependency = arguments.say_first(
                self.law, "reunification_dependency", case, self.lang,
                {**arguments.grammar_values(g, self.lang), "refugee_name": refugee_name}, rel=rel)
            relatives.append({
                "name": rel.full_name,
                "nationality_label": self.nationality_label(rel.nationality),
                "name_upper": rel.full_name.upper(),
                "kin": kin,
                "degree": degree,
                "dob": self.date(rel.date_of_birth),
                "nationality": self.nationality_text(rel.nationality),
                "location": ", ".join(x for x in (rel.location_city, country_name(rel.location_country, self.lang))
                                      if x),
                "dependent": rel.economically_dependent,
                "dependency": dependency,
                "blood": rel.relationship in BLOOD_RELATIVES,
            })

        caregivers_abroad = [r for r, rel in zip(relatives, case.relatives_to_reunify, strict=True)
                             if child_is_refugee and not rel.economically_dependent and rel.relationship in CAREGIVERS]
        # The consulates that issue the visas: named only when the record says
        # where every relative is; otherwise "the competent one" (the
        # checklist asks counsel where each relative is).
        countries: list[str] = []
        for rel in case.relatives_to_reunify:
            name = country_name(rel.location_country, self.lang)
            if name and name not in countries:
                countries.append(name)
        if any(not rel.location_country for rel in case.relatives_to_reunify):
            countries = []
        names = [r["name"] for r in relatives]
        ppnna = self.ppnna_authority()
        return {
            "child_is_refugee": child_is_refugee,
            "refugee_name": refugee_name,
            "refugee_name_upper": refugee_name.upper(),
            "refugee_kin": self.kin(principal) if (principal is not None and not child_is_refugee) else "",
            "child_as_kin": self.child_as_kin(principal) if (principal is not None and not child_is_refugee) else "",
            "resolution_number": (status.resolution_number or "") if status else "",
            "resolution_date": self.date(status.resolution_date) if status else "",
            "resolution_office": (status.office or "") if status else "",
            "relatives": relatives,
            "names": self.join(names),
            "names_upper": self.join([n.upper() for n in names]),
            "several": len(relatives) > 1,
            "any_dependent": any(r["dependent"] for r in relatives),
            "caregivers_abroad": self.join([r["name"] for r in caregivers_abroad]),
            "has_caregivers_abroad": bool(caregivers_abroad),
            "countries": self.join(countries),
            "ppnna_name": ppnna["name"] if case.authority.ppnna else self.t(
                "Procuraduría de Protección de Niñas, Niños y Adolescentes competente",
                "competent Procuraduría de Protección de Niñas, Niños y Adolescentes"),
            "ppnna_name_glossed": ppnna["name_glossed"] if case.authority.ppnna else self.t(
                "Procuraduría de Protección de Niñas, Niños y Adolescentes competente",
                "competent Procuraduría de Protección de Niñas, Niños y Adolescentes (PPNNA, Child Protection "
                "Office)"),
            # stated only when the record says so (family[].lives_with_child / cares_for_child)
            "lives_with_refugee": not child_is_refugee and principal is not None and bool(principal.lives_with_child),
            "cared_for_by_refugee": not child_is_refugee and principal is not None and bool(principal.cares_for_child),
            "home": ", ".join(dict.fromkeys(x for x in (case.child.placement.city, case.child.placement.state) if x)),
            "all_blood": all(r["blood"] for r in relatives),
            # annexes: the refugee's resolution has its own line
            "annexes": [grammar.evidence_text(d, self.lang)
                        for d in facts.evidence_annexes(
                            case, resolution_number=(status.resolution_number if status else None))],
        }

    # ---- 3. derivative status ------------------------------------------------
    def derivative(self) -> dict[str, Any]:
        case, g = self.case, self.g
        principal = case.principal_refugee
        if principal is None:
            return {"principal": False}
        status = principal.refugee_status
        # The birth certificate proves filiation to a mother or father; for
        # other relatives it is annexed but does not prove the tie by itself.
        annexed = facts.birth_certificate_annexed(case)
        documented = annexed and principal.relationship in ("mother", "father")
        lives_with = bool(principal.lives_with_child)
        office = status.office or ""
        values = {**arguments.grammar_values(g, self.lang), "name": principal.full_name, "kin": self.kin(principal)}

        def clause(section: str) -> str:
            chosen = arguments.first(self.law, section, case)
            return chosen.render(self.lang, values, self.cite) if chosen else ""

        return {
            "principal": True,
            # the child's dependency (LSRPCAP art. 12), as the record supports it
            "dependency": clause("derivative_dependency"),
            "dependency_proof": clause("derivative_dependency_proof"),
            # annexes: the resolution and the birth certificate have their own lines
            "annexes": [grammar.evidence_text(d, self.lang)
                        for d in facts.evidence_annexes(case, resolution_number=status.resolution_number,
                                                        birth_certificate_listed=False)],
            "name": principal.full_name,
            "name_upper": principal.full_name.upper(),
            "kin": self.kin(principal),
            "child_as_kin": self.child_as_kin(principal),
            "degree": self.degree(principal.relationship),
            "within_family_circle": principal.relationship in BLOOD_RELATIVES,
            "nationality": self.nationality_text(principal.nationality),
            "resolution_number": status.resolution_number or "",
            "resolution_date": self.date(status.resolution_date),
            "resolution_office": office,
            "relationship_documented": documented,
            # the birth certificate the facts say is attached, unless the
            # evidence list already carries it
            "birth_certificate_annex": documented and not any(
                "acta de nacimiento" in (e.description or "").lower() for e in case.evidence if e.available),
            "birth_certificate_annexed": annexed,
            "lives_with": lives_with,
            "cares": bool(principal.cares_for_child),
            "parent": principal.relationship in ("mother", "father"),
            "placement_city": case.child.placement.city or "",
        }

    # ---- shared by the three filings -----------------------------------------
    def shared(self) -> dict[str, Any]:
        return {"placement": self.placement_phrase()}

    def placement_phrase(self) -> str:
        """Where the child is (facts.placement_phrase: one phrase everywhere)."""
        return facts.placement_phrase(self.case, self.law, self.lang)
