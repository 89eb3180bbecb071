"""Intake: which procedures fit what counsel has learned, and why.

The interview asks a few questions (does the child fear returning, is a
relative or the child already a refugee, is family abroad) and offers the
procedures this module recommends, each with a reason code the interview
explains and the legal basis from the law data. No docassemble here: the
interview calls it through ``da.recommend``, the tests call it directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .law import Law
from .model import PROCEDURES

# The facts intake asks about (all yes/no). A missing fact counts as "no":
# a procedure is recommended only on what counsel said.
FACTS = ("fear_of_return", "relative_is_refugee", "child_is_refugee", "family_abroad")


@dataclass(frozen=True)
class Recommendation:
    procedure: str  # one of model.PROCEDURES
    reason: str     # why; the interview has a sentence for each reason code

    def describe(self, law: Law, lang: str) -> dict[str, str]:
        """The recommendation as the intake screen shows it: the procedure's
        title and legal basis in ``lang``, from the law data."""
        term = law.term("procedures", self.procedure)
        return {"procedure": self.procedure, "reason": self.reason, "title": term[lang],
                "basis": "; ".join(c.short(lang) for c in term.basis)}


def recommend(accompaniment: str | None, facts: Mapping[str, bool | None]) -> list[Recommendation]:
    """The procedures that apply, in the order of ``model.PROCEDURES``.

    - a child travelling unaccompanied or separated: the PPNNA's
      representación coadyuvante (reason ``unaccompanied`` / ``separated``);
    - fear of return: the asylum application;
    - a relative recognized as a refugee: derivative status;
    - a child recognized as a refugee whose family is abroad: family
      reunification.
    """
    unknown = set(facts) - set(FACTS)
    if unknown:
        raise ValueError(f"unknown intake facts: {sorted(unknown)}")
    out = []
    if accompaniment in ("unaccompanied", "separated"):
        out.append(Recommendation("coadyuvante", accompaniment))
    if facts.get("fear_of_return"):
        out.append(Recommendation("asylum", "fear_of_return"))
    if facts.get("relative_is_refugee"):
        out.append(Recommendation("derivative_status", "relative_is_refugee"))
    if facts.get("child_is_refugee") and facts.get("family_abroad"):
        out.append(Recommendation("family_reunification", "child_is_refugee_family_abroad"))
    out.sort(key=lambda r: PROCEDURES.index(r.procedure))
    return out
