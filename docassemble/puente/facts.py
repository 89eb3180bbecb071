"""Derived facts: what the case record says once it is read together.

A filing may state a fact only when the record holds it, either in a named
field or in one of the facts defined here. Every document, the checklist, the
flags and the interview ask these functions, so "who the child lives with" or
"where the child is placed" is decided in one place and reads the same in
every document. When the record is silent, a fact is ``None`` or empty: the
documents leave the statement out and the checklist asks counsel for it.

Each fact names the fields it rests on (``FACT_FIELDS``), so a filing's
paragraph can say where its statements come from (provenance, shown in the
review packet).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Case, Relative

if TYPE_CHECKING:  # pragma: no cover
    from .deadlines import Deadline
    from .law import Law

COMAR_PROCEDURES = ("asylum", "derivative_status", "family_reunification")
# Persecutors who are not the State: the claim must show that the State of
# origin could not or would not protect the child.
NON_STATE_AGENTS = ("gang", "organized_crime", "family_member", "partner", "community_member", "other")
# Grounds of LSRPCAP art. 13, fr. I (persecution for a reason): they need a
# persecutor and a nexus; fr. II grounds (generalized violence…) do not.
PERSECUTION_GROUNDS = ("race", "religion", "nationality", "political_opinion", "gender", "particular_social_group")

# The fields each derived fact rests on (for provenance); "{i}" is the
# relative's index in ``family``.
FACT_FIELDS = {
    "lives_with": ("family[{i}].lives_with_child", "family[{i}].given_names", "family[{i}].family_names",
                   "family[{i}].relationship"),
    "cared_for_by": ("family[{i}].cares_for_child", "family[{i}].given_names", "family[{i}].family_names"),
    "documents_held": ("child.identity_documents",),
    "in_detention": ("child.placement.type",),
    "placement": ("child.placement.type", "child.placement.name", "child.placement.city", "child.placement.state"),
    "age": ("child.date_of_birth", "child.age_estimated", "child.estimated_age", "filing_date"),
    "birth_certificate_annexed": ("child.identity_documents", "evidence"),
    "fear_grounded": ("claim.fear_of_return", "claim.persecutors", "claim.persecutor_kind", "claim.events"),
    "originary_representative": ("child.accompaniment", "family[{i}].relationship", "family[{i}].in_mexico",
                                 "family[{i}].lives_with_child", "family[{i}].cares_for_child",
                                 "family[{i}].given_names", "family[{i}].family_names", "family[{i}].sex"),
    "relatives_at_destination": ("proceedings.residence_change.to_city", "family[{i}].location_city",
                                 "family[{i}].given_names", "family[{i}].family_names", "family[{i}].relationship",
                                 "family[{i}].sex"),
}


# ---------------------------------------------------------------------------
# the child's home and care


def lives_with(case: Case) -> list[Relative]:
    """Relatives the record says the child lives with now (``lives_with_child``)."""
    return [r for r in case.family if r.lives_with_child]


def cared_for_by(case: Case) -> list[Relative]:
    """Relatives the record says have the child in their care now (``cares_for_child``)."""
    return [r for r in case.family if r.cares_for_child]


def family_index(case: Case, rel: Relative) -> int:
    return next(i for i, r in enumerate(case.family) if r is rel)


def living_arrangement_unrecorded(case: Case) -> bool:
    """The child lives in a family home, or with a relative in Mexico who is
    the refugee, and the record does not say with whom."""
    relevant = case.child.placement.type == "family" or (
        case.principal_refugee is not None and case.principal_refugee.in_mexico)
    return relevant and not any(r.lives_with_child is not None for r in case.family if r.in_mexico)


def care_unrecorded(case: Case) -> bool:
    """A principal refugee in Mexico whose care of the child the record does not state."""
    principal = case.principal_refugee
    return principal is not None and principal.in_mexico and principal.cares_for_child is None


# ---------------------------------------------------------------------------
# identity


def documents_held(case: Case) -> list[str]:
    """The identity documents the child holds ('none' is not a document)."""
    return [d for d in case.child.identity_documents if d != "none"]


def documents_state(case: Case) -> str:
    """'held' | 'none' (the record says the child has none) | 'unknown' (silent)."""
    if documents_held(case):
        return "held"
    return "none" if "none" in case.child.identity_documents else "unknown"


def age_estimated(case: Case) -> bool:
    return case.child.date_of_birth is None or bool(case.child.age_estimated)


def birth_certificate_annexed(case: Case) -> bool:
    """The child's birth certificate goes with the filing: it is among the
    identity documents or an available evidence item names it."""
    if "birth_certificate" in case.child.identity_documents:
        return True
    return any(e.available and "acta de nacimiento" in (e.description or "").lower() for e in case.evidence)


# ---------------------------------------------------------------------------
# placement


def in_detention(case: Case) -> bool:
    return case.child.placement.type == "inm_station"


def inm_office(case: Case) -> str:
    """The INM office that has the child's case: the one recorded, or the
    migration station where the child is held."""
    auth, placement = case.authority, case.child.placement
    if auth.inm_office:
        return auth.inm_office
    if placement.type == "inm_station":
        return ", ".join(x for x in (placement.name, placement.city) if x)
    return ""


def inm_copy(case: Case) -> bool:
    """The INM gets a copy of the coadyuvante filing when it has something to
    do: release the child from a station, or issue the TVRH."""
    return bool(inm_office(case)) and (in_detention(case) or not case.proceedings.tvrh_issued)


# "el Centro…", "la estación migratoria…", "un albergue…" (unnamed), "otro lugar…".
_ARTICLE_ES = {"dif_cas": "el", "civil_shelter": "el", "family": "el", "inm_station": "la", "other": ""}


def placement_phrase(case: Case, law: "Law", lang: str, *, preposition: bool = True) -> str:
    """Where the child is now, as every document says it.

    es: 'en el Centro de Asistencia Social del Sistema DIF «CAS Tapachula», en Tapachula, Chiapas'
    en: 'at the DIF shelter (CAS) “CAS Tapachula” in Tapachula, Chiapas'
    Without ``preposition``: 'el Centro…' / 'the DIF shelter…'. A family home
    is never named (its "name" is a note, such as "Con su padre"), and an
    unnamed civil-society shelter is "un albergue…".
    """
    placement = case.child.placement
    where = ", ".join(dict.fromkeys(x for x in (placement.city, placement.state) if x))
    if not placement.type:
        if not where:
            return ""
        return (f"en {where}" if lang == "es" else f"in {where}") if preposition else where
    kind = law.term("placement_types", placement.type)[lang]
    name = placement.name if placement.type != "family" else None
    if lang == "es":
        article = _ARTICLE_ES.get(placement.type, "el")
        if placement.type == "civil_shelter" and not name:
            article = "un"
        text = f"{article} {kind}".strip()
        if name:
            text += f" «{name}»"
        if where:
            text += f", en {where}"
        return f"en {text}" if preposition else text
    if placement.type == "other":
        text = "another placement" if not name else f"the placement “{name}”"
        lead = "in"
    else:
        text = f"the {kind}" + (f" “{name}”" if name else "")
        lead = "at"
    if where:
        text += f" in {where}"
    return f"{lead} {text}" if preposition else text


# ---------------------------------------------------------------------------
# the claim


def comar_procedures(case: Case) -> list[str]:
    """The procedures of the case that go before COMAR, in the case's order."""
    return [p for p in case.procedures if p in COMAR_PROCEDURES]


def refugee_procedure_to_join(case: Case) -> bool:
    """A refugee-status procedure (in the child's own right) the PPNNA is asked
    to join: the application filed today, or one COMAR has, unless the case is
    a derivative claim (which has its own line)."""
    return "asylum" in case.procedures or (bool(case.proceedings.comar_case_number)
                                           and "derivative_status" not in case.procedures)


def comar_copy(case: Case) -> bool:
    """COMAR gets a copy of the coadyuvante filing when a protection claim is or
    should be before it. A child who only fears return has not decided to apply:
    COMAR gets no copy until the child chooses to (the PPNNA is asked to inform
    the child)."""
    return bool(case.authority.comar_office) and bool(comar_procedures(case) or case.proceedings.comar_case_number)


# The filings that always argue the child's own claim from its structure
# (grounds, persecutor, social group, state protection): the application, and
# the recurso, which answers the refusal with the claim's facts.
CLAIM_FILINGS = ("asylum", "review_appeal")
# The derivative filing asks, subsidiarily, that it count as the child's own
# application (documents/arguments.claim_arguments, "subsidiary"): it argues
# the same claim, but only for a child who fears returning.
SUBSIDIARY_CLAIM_FILINGS = ("derivative_status",)


def own_claim_argued(procedures: Iterable[str], fear_of_return: bool | None) -> bool | None:
    """Whether the case's filings argue the child's own claim, so that its
    structure must be asked: True or False; None while it turns on a fear of
    return the record does not state yet (a derivative case: ask it first)."""
    chosen = set(procedures)
    if chosen & set(CLAIM_FILINGS):
        return True
    if not chosen & set(SUBSIDIARY_CLAIM_FILINGS):
        return False
    return None if fear_of_return is None else bool(fear_of_return)


def asylum_filing_deadline(deadlines: list["Deadline"]) -> "Deadline | None":
    return next((d for d in deadlines if d.id == "asylum_filing"), None)


def persecution_grounds(case: Case) -> list[str]:
    return [g for g in case.claim.grounds if g in PERSECUTION_GROUNDS]


def non_state_persecutor(case: Case) -> bool:
    return case.claim.persecutor_kind in NON_STATE_AGENTS


def fear_grounded(case: Case) -> bool:
    """The record gives a reason for the fear of return: who the child fears
    (persecutors or their kind) or dated events. A narrative alone may only
    tell the journey; then no filing concludes a well-founded fear."""
    claim = case.claim
    return bool(claim.fear_of_return and (claim.persecutors or claim.persecutor_kind
                                          or any(e.description for e in claim.events)))


def social_group_unrecorded(case: Case) -> bool:
    return "particular_social_group" in case.claim.grounds and not case.claim.social_group


def state_protection_unrecorded(case: Case) -> bool:
    """A non-state persecutor (or persecutors named with no kind) and nothing
    recorded about protection sought from the State of origin."""
    claim = case.claim
    if claim.state_protection.sought is True:
        return False
    if claim.state_protection.sought is False and claim.state_protection.not_sought_reason:
        return False
    return bool(persecution_grounds(case) or claim.persecutors) and claim.persecutor_kind != "state_agent"


# ---------------------------------------------------------------------------
# relatives


def kin_word(rel: Relative, law: "Law", lang: str) -> str:
    """The relative's relationship to the child, with the relative's sex when
    the record gives it ('hermana', not 'hermana o hermano')."""
    # documents/grammar.py: the word by the relative's sex, and a neutral
    # kinship term ('ascendiente en segundo grado') when it is not recorded,
    # never 'abuela o abuelo'.
    from .documents import grammar

    return grammar.kin(rel.relationship, rel.sex, lang)


# Relatives who, by law, care for a child rather than depend on one (a child
# refugee cannot be asked to support them).
CAREGIVERS = ("mother", "father", "legal_guardian")
# Who can grant, with the child, the carta poder: the persons who exercise the
# child's representación originaria (LGDNNA art. 4, fr. XXV).
ORIGINARY = ("mother", "father", "legal_guardian")


def originary_representative(case: Case) -> Relative | None:
    """The parent or guardian present with the child, who exercises the
    child's original representation (and so assists the child in granting the
    carta poder): one the record says lives with or cares for the child; or,
    for a child recorded as accompanied, the one parent or guardian in Mexico
    the record does not say is apart from the child. None: the Procuraduría
    de Protección represents the child en suplencia."""
    present = [r for r in case.family if r.relationship in ORIGINARY and r.in_mexico]
    with_child = [r for r in present if r.lives_with_child or r.cares_for_child]
    if with_child:
        return with_child[0]
    unknown = [r for r in present if r.lives_with_child is None and r.cares_for_child is None]
    if case.child.accompaniment == "accompanied" and len(unknown) == 1:
        return unknown[0]
    return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower().strip()


def relatives_at_destination(case: Case) -> list[Relative]:
    """Relatives the record places in the city the child asks to move to."""
    to_city = _fold(case.proceedings.residence_change.to_city or "")
    return [r for r in case.family if to_city and r.location_city and _fold(r.location_city) == to_city]


def minor_supports_relative(case: Case) -> list[Relative]:
    """Relatives recorded as economically dependent on a refugee who is the
    child (age vs economic dependency: a child does not support a family)."""
    if not case.refugee_status.resolution_number:
        return []
    return [r for r in case.relatives_to_reunify if r.economically_dependent]


def principal_elsewhere(case: Case) -> bool:
    """The principal refugee is recorded in another city than the child's."""
    principal = case.principal_refugee
    city = case.child.placement.city
    if principal is None or not city or not principal.location_city:
        return False
    return principal.location_city.strip().lower() != city.strip().lower()


def fields_of_fact(name: str, case: Case, rels: list[Relative] | None = None) -> list[str]:
    """The record fields a derived fact rests on (indices filled in)."""
    out = []
    for path in FACT_FIELDS[name]:
        if "{i}" in path:
            out += [path.format(i=family_index(case, r)) for r in (rels or [])]
        else:
            out.append(path)
    return out



# ---------------------------------------------------------------------------
# annexes


def _norm(text: str) -> str:
    return " ".join(text.lower().replace(".", " ").split())


def evidence_annexes(case: Case, *, resolution_number: str | None = None,
                     birth_certificate_listed: bool = False) -> list[str]:
    """The available evidence a filing lists as annexes, each once, leaving
    out what the filing already annexes on its own: the power of attorney,
    the refugee's resolution (``resolution_number``: the filing annexes it)
    and the birth certificate (``birth_certificate_listed``)."""
    out: list[str] = []
    seen: set[str] = set()
    number = _norm(resolution_number) if resolution_number else None
    for item in case.evidence:
        if not item.available or not item.description:
            continue
        key = _norm(item.description)
        if key in seen or "carta poder" in key:
            continue
        if number and (number in key or ("resolución" in key and ("refugiad" in key or "comar" in key))):
            continue
        if birth_certificate_listed and "acta de nacimiento" in key:
            continue
        seen.add(key)
        out.append(item.description)
    return out


# ---------------------------------------------------------------------------
# the claim's structure, as the argument paragraphs ask it (law/arguments.yml)

PARENTS = ("mother", "father")
# Present risks to life and integrity that call for psychological care besides
# the specific measure (law/measures.yml).
DANGER_RISKS = ("exploitation", "threatened_by_known_person", "pursued_in_mexico", "criminal_group_contact",
                "family_violence")
COMPANION_INDICATORS = ("travels_with_non_relative", "adult_claims_found_child")


def nexus_other(case: Case) -> bool:
    """A persecution ground other than social group or gender (which have their
    own paragraphs), and a persecutor to link it to."""
    others = [g for g in persecution_grounds(case) if g not in ("particular_social_group", "gender")]
    return bool(others) and bool(case.claim.persecutors or case.claim.persecutor_kind)


def protection_failed(case: Case, *, dated: bool) -> bool:
    """Protection was sought from a named authority and failed (with or without a date)."""
    p = case.claim.state_protection
    return bool(p.sought and p.outcome and p.authority) and bool(p.date) == dated


def protection_not_sought_with_reason(case: Case) -> bool:
    p = case.claim.state_protection
    return p.sought is False and bool(p.not_sought_reason)


def principal_is_parent(case: Case) -> bool:
    principal = case.principal_refugee
    return principal is not None and principal.relationship in PARENTS


def principal_cares_not_parent(case: Case) -> bool:
    principal = case.principal_refugee
    return principal is not None and principal.relationship not in PARENTS and bool(principal.cares_for_child)


def principal_dependency_unrecorded(case: Case) -> bool:
    """The principal is not a parent and the record does not say they care for the child."""
    principal = case.principal_refugee
    return principal is not None and principal.relationship not in PARENTS and not principal.cares_for_child


def psychological_care(case: Case) -> bool:
    return bool(case.screening.trafficking_indicators) or bool(set(DANGER_RISKS) & set(case.risks))


# First languages that are indigenous languages of the Americas (ISO 639):
# Mayan languages of Guatemala and southern Mexico, Garifuna, Nahuatl,
# Quechua, Aymara, Guarani, Miskito… A child whose first language is one of
# these is also referred for an indigenous-language interpreter.
INDIGENOUS_LANGUAGES = frozenset((
    "mam", "quc", "kek", "cak", "jac", "ixl", "tzh", "tzo", "acr", "poh", "poc", "kjb", "tzj", "ctu",
    "mop", "usp", "agu", "caa", "ttc", "myn", "yua", "lac", "chf", "toj", "cab", "nah", "nhe", "ngu",
    "ppl", "miq", "sum", "pay", "jic", "qu", "que", "quz", "ay", "aym", "gn", "grn", "zap", "mix",
    "otq", "maz", "tar", "hus", "chj",
))

# Present risks (``risks``) that are health findings; the others are risks to
# life and integrity.
HEALTH_RISKS = ("urgent_health", "self_harm")


def plan_urgent(case: Case) -> bool:
    """The restitution plan has an urgent finding (detention, trafficking, a
    present risk to life or integrity): it is reviewed weekly."""
    return (in_detention(case) or bool(case.screening.trafficking_indicators)
            or any(r not in HEALTH_RISKS for r in case.risks))


def health_care_needed(case: Case) -> bool:
    s = case.screening
    return bool(s.health_needs) or bool(s.disability) or bool(s.pregnant) or "urgent_health" in case.risks
