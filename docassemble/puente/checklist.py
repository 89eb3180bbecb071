"""The checklist of a case: items from ``law/checklists.yml`` that apply to it,
the evidence it names, its deadlines and flags.

An item's ``when`` names one of the conditions below; an unknown name is a
data error caught by the tests (every ``when`` in the law data must be here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .law import ChecklistItem, Law
from .model import Case

CONDITIONS: dict[str, Callable[[Case], bool]] = {
    "needs_interpreter": lambda c: c.child.needs_interpreter,
    "tvrh_not_issued": lambda c: not c.proceedings.tvrh_issued,
    "trafficking_indicators": lambda c: bool(c.screening.trafficking_indicators),
    "no_identity_documents": lambda c: not c.child.identity_documents or "none" in c.child.identity_documents,
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
    "comar_procedure": lambda c: bool({"asylum", "derivative_status", "family_reunification"} & set(c.procedures))
    or bool(c.proceedings.comar_case_number),
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
