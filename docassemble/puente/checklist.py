"""The checklist of a case: items from ``law/checklists.yml`` that apply to it,
the evidence it names, its deadlines and flags.

An item's ``when`` names one of the conditions below; an unknown name is a
data error caught by the tests (every ``when`` in the law data must be here:
the checklist's, and the wording's of arguments.yml, measures.yml and
wording.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import facts
from .law import ChecklistItem, Law
from .model import Case, Relative

CONDITIONS: dict[str, Callable[[Case], bool]] = {
    "needs_interpreter": lambda c: c.child.needs_interpreter,
    "tvrh_not_issued": lambda c: not c.proceedings.tvrh_issued,
    "trafficking_indicators": lambda c: bool(c.screening.trafficking_indicators),
    "no_identity_documents": lambda c: facts.documents_state(c) == "none",
    # the record is silent on a fact a filing would state (facts.py): counsel is asked
    "identity_documents_unrecorded": lambda c: facts.documents_state(c) == "unknown",
    "nationality_unrecorded": lambda c: not c.child.nationality,
    "relative_country_unrecorded": lambda c: any(not r.location_country for r in c.relatives_to_reunify),
    "living_arrangement_unrecorded": facts.living_arrangement_unrecorded,
    "care_unrecorded": facts.care_unrecorded,
    "flight_reason_unrecorded": lambda c: not facts.fear_grounded(c),
    "persecutor_kind_unrecorded": lambda c: bool(facts.persecution_grounds(c)) and not c.claim.persecutor_kind,
    "social_group_unrecorded": facts.social_group_unrecorded,
    "state_protection_unrecorded": facts.state_protection_unrecorded,
    "minor_supports_relative": lambda c: bool(facts.minor_supports_relative(c)),
    # the argument of the claim (law/arguments.yml)
    "fear_grounded": facts.fear_grounded,
    "fear_not_grounded": lambda c: not facts.fear_grounded(c),
    "has_grounds": lambda c: bool(c.claim.grounds),
    "psg_defined": lambda c: "particular_social_group" in c.claim.grounds and bool(c.claim.social_group),
    "nexus_other": facts.nexus_other,
    "non_state_persecutor": facts.non_state_persecutor,
    "state_protection_failed_dated": lambda c: facts.protection_failed(c, dated=True),
    "state_protection_failed_undated": lambda c: facts.protection_failed(c, dated=False),
    "state_protection_not_sought": facts.protection_not_sought_with_reason,
    "persecutor_state": lambda c: c.claim.persecutor_kind == "state_agent",
    "gender_girl": lambda c: "gender" in c.claim.grounds and c.child.sex == "F",
    "gender_other": lambda c: "gender" in c.claim.grounds and c.child.sex != "F",
    "recruitment": lambda c: c.claim.persecutor_kind in ("gang", "organized_crime"),
    "age_estimated": facts.age_estimated,
    # present risks and screening indicators -> urgent measures (law/measures.yml)
    "any_risk": lambda c: bool(c.risks),
    "placement_institutional": lambda c: c.child.placement.type in ("dif_cas", "civil_shelter"),
    "placement_family": lambda c: c.child.placement.type == "family",
    "placement_unsettled": lambda c: c.child.placement.type in (None, "other"),
    "no_safe_placement": lambda c: "no_safe_placement" in c.risks,
    "threat_risk": lambda c: bool({"threatened_by_known_person", "pursued_in_mexico"} & set(c.risks)),
    "criminal_group_contact": lambda c: "criminal_group_contact" in c.risks,
    "family_violence": lambda c: "family_violence" in c.risks,
    "self_harm": lambda c: "self_harm" in c.risks,
    "trafficking_or_exploitation": lambda c: bool(c.screening.trafficking_indicators) or "exploitation" in c.risks,
    "companion_risk": lambda c: bool(set(facts.COMPANION_INDICATORS) & set(c.screening.trafficking_indicators)),
    "documents_held_by_other": lambda c: "documents_held_by_other" in c.screening.trafficking_indicators,
    "psychological_care": facts.psychological_care,
    "health_care_needed": facts.health_care_needed,
    # the principal refugee and the child's dependency (derivative status)
    "principal_is_parent": facts.principal_is_parent,
    "principal_cares_not_parent": facts.principal_cares_not_parent,
    "principal_dependency_unrecorded": facts.principal_dependency_unrecorded,
    "restitution_plan_missing": lambda c: c.coadyuvante.restitution_plan_date is None,
    "child_not_heard": lambda c: not c.coadyuvante.child_heard,
    "no_expediente": lambda c: not c.coadyuvante.expediente,
    "child_is_refugee": lambda c: bool(c.refugee_status.resolution_number),
    "in_detention": lambda c: c.child.placement.type == "inm_station",
    "health_needs": lambda c: bool(c.screening.health_needs) or c.screening.disability or c.screening.pregnant,
    "restitution_plan_issued": lambda c: c.coadyuvante.restitution_plan_date is not None,
    "child_not_refugee": lambda c: not c.refugee_status.resolution_number,
    "narrative_pending": lambda c: "claim.narrative" in c.pending,
    "child_views_pending": lambda c: "child_views" in c.pending,
    # a claim before COMAR that the PPNNA should join as coadyuvante
    "comar_procedure": lambda c: bool(facts.comar_procedures(c)) or bool(c.proceedings.comar_case_number),
    # the wording of the documents (law/wording.yml)
    "asylum_procedure": lambda c: "asylum" in c.procedures,
    "derivative_status_procedure": lambda c: "derivative_status" in c.procedures,
    "family_reunification_procedure": lambda c: "family_reunification" in c.procedures,
    "coadyuvante_refugee_procedure": facts.refugee_procedure_to_join,
    "comar_case_number": lambda c: bool(c.proceedings.comar_case_number),
    "fear_of_return": lambda c: bool(c.claim.fear_of_return),
    "one_risk": lambda c: len(c.risks) == 1,
    "several_risks": lambda c: len(c.risks) > 1,
    "inm_copy": facts.inm_copy,
    "comar_copy": facts.comar_copy,
    "unaccompanied": lambda c: c.child.accompaniment == "unaccompanied",
    "separated": lambda c: c.child.accompaniment == "separated",
    "late_filing_reasons_recorded": lambda c: any(r != "other" for r in c.claim.late_filing_reasons),
    "late_filing_explanation": lambda c: bool((c.claim.late_filing_explanation or "").strip()),
    "ppnna_notified": lambda c: c.coadyuvante.notified_date is not None,
    "ppnna_expediente": lambda c: bool(c.coadyuvante.expediente),
    "child_heard": lambda c: bool(c.coadyuvante.child_heard),
    "plan_urgent": facts.plan_urgent,
    "assisted_by_parent": lambda c: facts.originary_representative(c) is not None,
    "claim_events": lambda c: any(e.description for e in c.claim.events),
    "claim_dated_events": lambda c: any(e.date for e in c.claim.events),
    "claim_persecutors": lambda c: bool(c.claim.persecutors),
    "resolution_refused": lambda c: c.proceedings.resolution.kind == "refused",
    "age_known": lambda c: c.age is not None,
    # the restitution plan's facts (law/wording.yml, plan_facts and plan_family)
    "entry_date_recorded": lambda c: c.child.entry_date is not None,
    "health_needs_recorded": lambda c: bool(c.screening.health_needs),
    "print_sensitive": lambda c: bool(c.screening.print_sensitive),
    "health_risk": lambda c: any(r in facts.HEALTH_RISKS for r in c.risks),
    "danger_risk": lambda c: any(r not in facts.HEALTH_RISKS for r in c.risks),
    "exploitation_risk": lambda c: "exploitation" in c.risks,
    "disability": lambda c: bool(c.screening.disability),
    "pregnant": lambda c: bool(c.screening.pregnant),
    "first_language_not_spanish": lambda c: bool(c.child.languages) and c.child.languages[0] != "es",
    "indigenous_first_language": lambda c: bool(c.child.languages)
    and c.child.languages[0] in facts.INDIGENOUS_LANGUAGES,
    "placement_recorded": lambda c: bool(c.child.placement.type),
    "family_in_mexico": lambda c: any(r.in_mexico for r in c.family),
    "family_abroad": lambda c: any(not r.in_mexico for r in c.family),
    "relatives_to_reunify": lambda c: bool(c.relatives_to_reunify),
}

# Conditions on one relative (a line of the reunification filing about that
# relative): law/wording.yml may name them with the case's conditions.
RELATIVE_CONDITIONS: dict[str, Callable[[Case, Relative], bool]] = {
    "relative_dependent": lambda c, r: bool(r.economically_dependent),
    "relative_is_caregiver": lambda c, r: r.relationship in facts.CAREGIVERS,
}


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem

    def basis_text(self, lang: str) -> str:
        if self.item.basis:
            return "; ".join(c.short(lang) for c in self.item.basis)
        return self.item.source or ""

    @property
    def unchecked(self) -> bool:
        return any(not c.checked for c in self.item.basis)


def applies(item: ChecklistItem, case: Case) -> bool:
    if item.procedure not in case.procedures:
        return False
    if item.when is None:
        return True
    return CONDITIONS[item.when](case)


def case_checklist(case: Case, law: Law) -> dict[str, dict[str, list[ChecklistEntry]]]:
    """procedure -> section -> entries, in the order of the law data; an item
    shared by several procedures (same text) appears once, under the first."""
    out: dict[str, dict[str, list[ChecklistEntry]]] = {}
    seen_text: set[str] = set()
    for procedure in case.procedures:
        sections: dict[str, list[ChecklistEntry]] = {}
        for item in law.checklist:
            if item.procedure != procedure or not applies(item, case) or item.text.es in seen_text:
                continue
            seen_text.add(item.text.es)
            sections.setdefault(item.section, []).append(ChecklistEntry(item))
        out[procedure] = sections
    return out
