"""Legal wording chosen and filled from the case: the argument paragraphs of
``law/arguments.yml``, the measures and petitorios of ``law/measures.yml`` and
the other sentences and clauses of ``law/wording.yml``.

The law data holds the words, their citations and their conditions (``when``,
conditions of ``checklist.CONDITIONS``, or ``RELATIVE_CONDITIONS`` for a line
about one relative); this module only picks the entries whose conditions hold
for the case and fills their placeholders with the case's own facts and the
child's grammar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..checklist import CONDITIONS, RELATIVE_CONDITIONS
from ..errors import LawDataError
from ..law import Argument, Law, Measure, Wording
from ..model import Case, Relative
from .grammar import untranslated
from .phrases import country_name, join_words


def holds(when: str | tuple[str, ...] | None, case: Case, rel: Relative | None = None) -> bool:
    """Every condition of ``when`` holds ("not x": x does not)."""
    if not when:
        return True
    for name in (when,) if isinstance(when, str) else when:
        negated = name.startswith("not ")
        name = name[4:] if negated else name
        if name in CONDITIONS:
            value = CONDITIONS[name](case)
        elif name in RELATIVE_CONDITIONS and rel is not None:
            value = RELATIVE_CONDITIONS[name](case, rel)
        else:
            raise LawDataError(f"law data: unknown condition '{name}'"
                               + (" (a relative's condition, asked without a relative)" if rel is None and
                                  name in RELATIVE_CONDITIONS else ""))
        if value == negated:
            return False
    return True


def grammar_values(g: Any, lang: str) -> dict[str, str]:
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


# ---------------------------------------------------------------------------
# law/wording.yml: a section read whole (every entry that holds, in file
# order) or for its first entry that holds; an entry by its id.


def wording(law: Law, name: str, case: Case, rel: Relative | None = None) -> list[Wording]:
    return [w for w in law.wording.values() if w.section == name and holds(w.when, case, rel)]


def say_all(law: Law, name: str, case: Case, lang: str, values: dict[str, Any],
            rel: Relative | None = None) -> list[str]:
    """Every entry of a section whose conditions hold, filled, in file order."""
    cite = citer(law, lang)
    return [w.render(lang, values, cite) for w in wording(law, name, case, rel)]


def say_first(law: Law, name: str, case: Case, lang: str, values: dict[str, Any],
              rel: Relative | None = None) -> str:
    """The first entry of a section whose conditions hold, filled ('' if none)."""
    found = wording(law, name, case, rel)
    return found[0].render(lang, values, citer(law, lang)) if found else ""


def say(law: Law, wid: str, lang: str, values: dict[str, Any]) -> str:
    """One entry, by its id (Python chose it)."""
    return law.words(wid).render(lang, values, citer(law, lang))


def render_all(items: Iterable[Argument | Measure], lang: str, values: dict[str, Any],
               cite: Callable[[str], str]) -> list[str]:
    return [item.render(lang, values, cite) for item in items]


def citer(law: Law, lang: str) -> Callable[[str], str]:
    """``[[id]]`` or ``[[id, id]]`` of the law data's wording -> the citation(s)
    in full, as a lawyer writes them (no English gloss: these paragraphs come
    after the statutes were first cited)."""
    from ..law import cite_together

    def cite(ids: str) -> str:
        found = [law.cite(c.strip()) for c in ids.split(",")]
        if len(found) == 1:
            return found[0].long(lang, gloss=False)
        return cite_together(found, lang, set(law.statutes))
    return cite


def risk_words(case: Case, law: Law, lang: str, only: tuple[str, ...] | None = None) -> str:
    """The present risks (``risks``) in words: 'amenazas de una persona identificada y …'."""
    return join_words([law.term("risks", r)[lang] for r in case.risks if only is None or r in only], lang)


THREATS = ("threatened_by_known_person", "pursued_in_mexico")


def measure_values(case: Case, law: Law, g: Any, lang: str) -> dict[str, str]:
    """What the measures of law/measures.yml name: the child's grammar and the risks."""
    return {**grammar_values(g, lang), "risks": risk_words(case, law, lang),
            "threats": risk_words(case, law, lang, THREATS)}


# ---------------------------------------------------------------------------
# The claim (asylum, and the derivative's subsidiary claim in its own right)


def _uncap(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first[1:2].isupper() else text[:1].lower() + text[1:]


def claim_values(dc: Any, lang: str, g: Any) -> dict[str, str]:
    """The case's own facts, as the argument paragraphs name them. English
    keeps counsel's Spanish words in quotation marks (they are the record's),
    under the untranslated marker (grammar.untranslated)."""
    from .. import facts
    from ..dates import long_date

    case, law = dc.case, dc.law
    claim, es = case.claim, lang == "es"
    persecutors = (claim.persecutors or "").strip().rstrip(".")
    if persecutors:
        who = _uncap(persecutors) if es else untranslated(persecutors, lang, quoted=True)
    else:
        who = f"quienes l{g.o_a} persiguen" if es else f"those who persecute {g.object}"
    events = []
    for e in claim.events:
        if not e.description:
            continue
        when = long_date(e.date, lang) if e.date else ""
        desc = e.description.strip().rstrip(".")
        if es:
            head = ", ".join(x for x in ((f"el {when}" if when else ""), (f"en {e.place}" if e.place else "")) if x)
            events.append(f"{head}: {_uncap(desc)}" if head else _uncap(desc))
        else:
            head = ", ".join(x for x in ((f"on {when}" if when else ""), (f"in {e.place}" if e.place else "")) if x)
            quoted = untranslated(desc, lang, quoted=True)
            events.append(f"{head}: {quoted}" if head else quoted)
    if events:
        events_text = "; ".join(events)
    elif persecutors:
        events_text = f"las amenazas de {who} que relata" if es else f"the threats by {who} that {g.subject} describes"
    else:
        events_text = ""
    protection = claim.state_protection
    authority = (protection.authority or "").strip()
    if es and authority and not authority.lower().startswith(("la ", "el ", "los ", "las ")):
        # "ante la Policía Nacional Civil", "ante el Ministerio Público"
        feminine = authority.split(" ", 1)[0].lower().endswith(("a", "ía", "ión", "dad"))
        authority = ("la " if feminine else "el ") + authority
    indicators = [law.term("trafficking_indicators", c)[lang] for c in case.screening.trafficking_indicators]
    social_group = (claim.social_group or "").strip().rstrip(".")
    reason = (protection.not_sought_reason or "").strip().rstrip(".")
    return {
        **grammar_values(g, lang),
        "persecutors": who,
        "persecutor_kind": law.term("persecutor_kinds", claim.persecutor_kind)[lang] if claim.persecutor_kind else "",
        "events": events_text,
        "social_group": (social_group if es else untranslated(social_group, lang, quoted=True)),
        "authority": authority,
        "protection_date": long_date(protection.date, lang) if protection.date else "",
        "outcome": law.term("protection_outcomes", protection.outcome)[lang] if protection.outcome else "",
        "not_sought_reason": (_uncap(reason) if es else untranslated(reason, lang, quoted=True)) if reason else "",
        "indicators": join_words(indicators, lang),
        "country": country_name(case.child.nationality, lang) if case.child.nationality not in (None, "stateless")
        else ("su país de origen" if es else f"{g.possessive} country of origin"),
        "age": str(case.age) if case.age is not None else "",
        "child_name": f"{case.child.given_names} {case.child.family_names}",
        "grounds": join_words([law.term("grounds", c)[lang] for c in case.claim.grounds], lang),
        "_grounded": "1" if facts.fear_grounded(case) else "",
    }


def claim_arguments(dc: Any, lang: str, g: Any, grounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The fundamentación of the claim, built from its structure: one
    paragraph per fraction of LSRPCAP art. 13 the grounds touch (``grounds``:
    the context's list, each given its ``argument``), then the persecution
    applied to the facts (social group, nexus, non-state agents and state
    protection, gender, recruitment, trafficking), the presumption of
    minority and complementary protection on the same facts."""
    case, law = dc.case, dc.law
    values = claim_values(dc, lang, g)
    grounded = bool(values.pop("_grounded"))

    cite = citer(law, lang)
    suffix = "grounded" if grounded else "ungrounded"
    for gr in grounds:
        argument = law.argument(f"fr_{gr['fraction']}_{suffix}")
        gr["argument"] = argument.render(lang, {**values, "citation": gr["citation"], "grounds": gr["grounds"]}, cite)
    persecution = render_all(section(law, "persecution", case), lang, values, cite) if case.claim.grounds else []
    minority = first(law, "minority", case)
    complementary = next((a for a in section(law, "subsidiary", case) if a.id.startswith("complementary_")), None)
    intro = law.argument("subsidiary_intro")
    return {
        "grounded": grounded,
        "persecution": persecution,
        "minority": minority.render(lang, values, cite) if minority else "",
        "complementary": complementary.render(lang, values, cite) if complementary else "",
        # the derivative's subsidiary claim in its own right, argued on the same facts
        "subsidiary": ([intro.render(lang, values, cite)] + [gr["argument"] for gr in grounds] + persecution)
        if case.claim.grounds else [],
    }
