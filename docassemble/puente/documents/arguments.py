"""Legal wording chosen and filled from the case: the argument paragraphs of
``law/arguments.yml`` and the measures and petitorios of ``law/measures.yml``.

The law data holds the words, their citations and their conditions (``when``,
a condition of ``checklist.CONDITIONS``); this module only picks the entries
whose condition holds for the case and fills their placeholders with the
case's own facts and the child's grammar.
"""

from __future__ import annotations

from typing import Any, Callable

from ..checklist import CONDITIONS
from ..law import Argument, Law, Measure
from ..model import Case


def holds(when: str | None, case: Case) -> bool:
    return when is None or CONDITIONS[when](case)


def grammar_values(g, lang: str) -> dict[str, str]:
    """The child's grammar, for the placeholders of the law data."""
    return {
        "nna": g.nna, "Nna": g.nna[:1].upper() + g.nna[1:], "del_nna": g.del_nna, "al_nna": g.al_nna,
        "la_lo": g.la_lo, "o_a": g.o_a, "noun_en": g.noun_en, "The_noun": f"The {g.noun_en}",
        "subject": g.subject, "possessive": g.possessive, "object": g.object,
    }


def section(law: Law, name: str, case: Case) -> list[Argument]:
    """The paragraphs of one section whose condition holds, in file order."""
    return [a for a in law.arguments.values() if a.section == name and holds(a.when, case)]


def first(law: Law, name: str, case: Case) -> Argument | None:
    found = section(law, name, case)
    return found[0] if found else None


def measures(law: Law, filing: str, case: Case) -> list[Measure]:
    """The measures (or petitorios) of one filing whose condition holds."""
    return [m for m in law.measures.values() if m.filing == filing and holds(m.when, case)]


def render_all(items, lang: str, values: dict[str, Any], cite: Callable[[str], str]) -> list[str]:
    return [item.render(lang, values, cite) for item in items]
