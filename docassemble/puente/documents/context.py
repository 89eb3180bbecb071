"""What a template sees: the case, ready-made phrases in the document's
language, citations from the law data, deadlines, flags and checklist.

Templates lay out text; they do not compute. Anything with a decision deeper
than "show this paragraph" is made here, from the leaf modules every
document module shares: grammatical agreement with the child's sex and age
(``grammar``), long dates (``dates``), country, language and nationality
names, lists, initials (``phrases``), paragraph numbering (``numbering``:
``h.next()`` for hechos, ``p.next()`` for petitorios, so a lawyer can add or
remove a paragraph in Word and the numbers stay right).

User text (names, the narrative) is passed as data; docxtpl escapes it, so a
narrative that contains ``{{ 7*7 }}`` or ``<w:p>`` prints literally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import facts
from ..calendar import WorkingCalendar
from ..checklist import case_checklist
from ..dates import long_date
from ..deadlines import Deadline, case_deadlines
from ..flags import case_flags
from ..law import Law, cite_together
from ..model import Case, Relative
from . import after_filing, filings, supporting
from . import grammar as grammar_words
from .arguments import claim_arguments
from .first_use import FirstUse
from .grammar import agree, child_grammar, untranslated, untranslated_paragraphs
from .numbering import ORDINALS_EN, ORDINALS_ES, Counter
from .phrases import (
    comar_office_place,
    country_name,
    initials,
    join_words,
    language_name,
    nationality_phrase,
    paragraphs,
)

# Titles of the documents that are not filings (the filings' titles are the
# procedures' names in the law data).
SUPPORTING_TITLES = {
    "checklist": ("Lista de verificación", "Checklist"),
    "restitution_plan": ("Propuesta de plan de restitución de derechos", "Rights-restitution plan proposal"),
    "screening": ("Registro de detección en el primer contacto", "First-contact screening record"),
    "rights_sheet": ("Tus derechos", "Your rights"),
    "review": ("Paquete de revisión", "Review packet"),
    "carta_poder": ("Carta poder", "Power of attorney letter (carta poder)"),
}


def document_title(law: Law, kind: str, lang: str) -> str:
    """The title of a document kind in ``lang`` (procedures from the law data)."""
    if kind in law.terms.get("procedures", {}):
        return law.term("procedures", kind)[lang]
    es, en = SUPPORTING_TITLES.get(kind, (kind, kind))
    return es if lang == "es" else en


@dataclass
class DocumentContext:
    """Everything rendering needs for one case, computed once (both languages
    share deadlines, flags and checklist)."""

    case: Case
    law: Law
    calendar: WorkingCalendar
    deadlines: list[Deadline] = field(default_factory=list)
    flags: list = field(default_factory=list)

    @classmethod
    def build(cls, case: Case, law: Law, calendar: WorkingCalendar) -> "DocumentContext":
        deadlines = case_deadlines(case, law, calendar)
        return cls(case, law, calendar, deadlines, case_flags(case, deadlines, law))

    def for_language(self, lang: str) -> dict[str, Any]:
        return build_context(self, lang)


def _relative_view(rel: Relative, law: Law, lang: str) -> dict[str, Any]:
    status = rel.refugee_status
    return {
        "name": rel.full_name,
        "given_names": rel.given_names,
        "family_names": rel.family_names,
        # 'hermana' when the record gives the relative's sex, not 'hermana o hermano'
        "relationship": facts.kin_word(rel, law, lang),
        "dob": long_date(rel.date_of_birth, lang),
        "nationality": country_name(rel.nationality, lang),
        "country": country_name(rel.location_country, lang),
        "city": rel.location_city or "",
        "location": ", ".join(x for x in (rel.location_city, country_name(rel.location_country, lang)) if x),
        "in_mexico": rel.in_mexico,
        "dependent": rel.economically_dependent,
        "reunify": rel.reunification_requested,
        "principal": rel.is_principal_refugee,
        "resolution_number": status.resolution_number or "",
        "resolution_date": long_date(status.resolution_date, lang),
        "resolution_office": status.office or "",
    }


def build_context(dc: DocumentContext, lang: str) -> dict[str, Any]:
    case, law = dc.case, dc.law
    child = case.child
    g = child_grammar(case)
    es = lang == "es"

    glossed: set[str] = set()  # statutes already glossed in English in this document

    def cite(cid: str) -> str:
        citation = law.cite(cid)
        first = citation.statute.id not in glossed
        glossed.add(citation.statute.id)
        return citation.long(lang, gloss=first)

    def cite_short(cid: str) -> str:
        return law.cite(cid).short(lang)

    def cites(*cids: str) -> str:
        """Several citations together: {{ cites('lsrpcap_art13', 'lsrpcap_art18') }}
        -> 'los artículos 13 y 18 de la Ley sobre Refugiados…'."""
        return cite_together([law.cite(c) for c in cids], lang, glossed)

    def term(category: str, code: str) -> str:
        return law.term(category, code)[lang]

    filing = facts.asylum_filing_deadline(dc.deadlines)
    age = case.age
    if child.date_of_birth is None or child.age_estimated:
        age_text = (f"de aproximadamente {age} años de edad (edad estimada)" if es
                    else f"approximately {age} years old (estimated age)")
    else:
        age_text = f"de {age} años de edad" if es else f"{age} years old"

    nationality_text = nationality_phrase(child.nationality, lang)

    languages = [language_name(code, lang) for code in child.languages]
    # Where the child is: one phrase for every document (facts.placement_phrase).
    placement = child.placement
    placement_text = facts.placement_phrase(case, law, lang)

    office = case.authority.comar_office or ""
    office_place = comar_office_place(case)

    rep = case.representative
    addr = rep.address
    address_text = ", ".join(x for x in (
        addr.street,
        (f"C.P. {addr.postal_code}" if es else f"postal code {addr.postal_code}") if addr.postal_code else None,
        addr.city, addr.state) if x)
    city = case.filing_city or addr.city or ""
    state = case.filing_state or (addr.state if not case.filing_city else "") or ""
    place = f"{city}, {state}" if state and state != city else city

    grounds_by_fraction: dict[str, list[str]] = {}
    for code in case.claim.grounds:
        t = law.term("grounds", code)
        grounds_by_fraction.setdefault(t.basis[0].id, []).append(t[lang])
    grounds = [{"citation": law.cite(cid).long(lang, gloss=False), "citation_short": cite_short(cid),
                "fraction": law.cite(cid).fraction, "grounds": join_words(words, lang)}
               for cid, words in grounds_by_fraction.items()]

    # The narrative is kept in counsel's words; line breaks inside a paragraph
    # are joined so Word reflows it.
    narrative = paragraphs(case.claim.narrative)
    # The English mirror: counsel's English narrative when given; otherwise the
    # child's words stay in Spanish under a visible marker (never silently).
    views = paragraphs(case.child_views)
    persecutors = case.claim.persecutors or ""
    if lang != "es":
        if case.claim.narrative_en:
            narrative = paragraphs(case.claim.narrative_en)
        else:
            narrative = untranslated_paragraphs(narrative, lang)
        views = untranslated_paragraphs(views, lang)
        persecutors = untranslated(persecutors, lang)

    # each annex once; the power of attorney has its own line in every filing
    # English: a gloss for a known document, else the untranslated marker
    evidence_available = [grammar_words.evidence_text(d, lang) for d in facts.evidence_annexes(case)]
    evidence_pending = [grammar_words.evidence_text(e.description or "", lang)
                        for e in case.evidence if not e.available]

    late_reasons = [term("late_filing_reasons", r) for r in case.claim.late_filing_reasons if r != "other"]

    relatives = [_relative_view(r, law, lang) for r in case.family]
    principal = case.principal_refugee
    own_status = case.refugee_status

    ctx: dict[str, Any] = {
        "lang": lang,
        "case": case,
        "case_id": case.case_id,
        "g": g,
        "h": Counter(),
        "p": Counter(ORDINALS_ES if es else ORDINALS_EN),
        "a": Counter(),
        "cite": cite,
        "cite_short": cite_short,
        "cites": cites,
        # English: a Spanish institution or term glossed on its first mention
        # only (documents/first_use.py; render_docx applies it)
        "first_use": FirstUse() if lang == "en" else None,
        "term": term,
        "long_date": lambda d: long_date(d, lang),
        # the child
        "child_name": f"{child.given_names} {child.family_names}",
        "child_name_upper": f"{child.given_names} {child.family_names}".upper(),
        "child_initials": initials(child.given_names, child.family_names),
        "age": age,
        "age_text": age_text,
        "age_estimated": facts.age_estimated(case),
        "dob": long_date(child.date_of_birth, lang),
        "nationality_text": nationality_text,
        "nationality": country_name(child.nationality, lang),
        "country_of_birth": country_name(child.country_of_birth, lang),
        "languages_text": join_words(languages, lang),
        "first_language": languages[0] if languages else "",
        "speaks_spanish_first": bool(child.languages) and child.languages[0] == "es",
        "needs_interpreter": child.needs_interpreter,
        "accompaniment": agree(term("accompaniment", child.accompaniment), g) if child.accompaniment and es
        else (term("accompaniment", child.accompaniment) if child.accompaniment else ""),
        "accompaniment_code": child.accompaniment or "",
        "entry_date": long_date(child.entry_date, lang),
        "entry_place": child.entry_place or "",
        "route": child.route or "",
        "placement_text": placement_text,
        "placement_code": placement.type or "",
        "in_detention": facts.in_detention(case),
        "identity_documents": join_words([term("identity_documents", d) for d in facts.documents_held(case)], lang),
        "has_identity_documents": facts.documents_state(case) == "held",
        # the record says the child has none (when it is silent, nothing is said)
        "no_identity_documents": facts.documents_state(case) == "none",
        # the claim
        "grounds": grounds,
        "has_fraction_1": any(x["fraction"] == "I" for x in grounds),
        "has_fraction_2": any(x["fraction"] == "II" for x in grounds),
        "has_fraction_3": any(x["fraction"] == "III" for x in grounds),
        "persecutors": persecutors,
        "narrative": narrative,
        # counsel's Spanish words; the English mirror marks them
        "events": [{"date": long_date(e.date, lang), "place": e.place or "",
                    "description": untranslated(e.description or "", lang)}
                   for e in case.claim.events],
        "fear_of_return": case.claim.fear_of_return,
        # "temor fundado" only when the record says who the child fears or what happened
        "fear_grounded": facts.fear_grounded(case),
        "child_views": views,
        # late filing
        "late": bool(filing and filing.is_past),
        "filing_deadline": long_date(filing.date, lang) if filing else "",
        "working_days_late": filing.working_days_late if filing else 0,
        "late_reasons": late_reasons,
        # counsel's Spanish words: marked in the English mirror
        "late_explanation": (paragraphs(case.claim.late_filing_explanation) if lang == "es"
                             else untranslated_paragraphs(paragraphs(case.claim.late_filing_explanation), lang)),
        # authorities
        "comar_office": office,
        "comar_office_place": office_place,
        "comar_office_upper": office_place.upper(),
        "ppnna_level": case.authority.ppnna or "",
        "ppnna_state": case.authority.ppnna_state or "",
        "inm_office": case.authority.inm_office or "",
        "ppnna_notified": long_date(case.coadyuvante.notified_date, lang),
        "ppnna_expediente": case.coadyuvante.expediente or "",
        "restitution_plan_date": long_date(case.coadyuvante.restitution_plan_date, lang),
        "child_heard": case.coadyuvante.child_heard,
        "comar_case_number": case.proceedings.comar_case_number or "",
        "tvrh_issued": case.proceedings.tvrh_issued,
        # family
        "relatives": relatives,
        "relatives_abroad": [r for r in relatives if not r["in_mexico"]],
        "relatives_in_mexico": [r for r in relatives if r["in_mexico"]],
        "relatives_to_reunify": [_relative_view(r, law, lang) for r in case.relatives_to_reunify],
        "principal": _relative_view(principal, law, lang) if principal else None,
        "child_is_refugee": bool(own_status.resolution_number),
        "own_resolution_number": own_status.resolution_number or "",
        "own_resolution_date": long_date(own_status.resolution_date, lang),
        "own_resolution_office": own_status.office or "",
        # counsel
        "rep_name": rep.full_name,
        "rep_name_upper": rep.full_name.upper(),
        "rep_organization": rep.organization or "",
        "rep_license": rep.professional_license or "",
        # "para ejercer la profesión de licenciada en derecho", from counsel's sex
        "rep_profession": grammar_words.law_profession(rep.sex),
        "rep_email": rep.email or "",
        "rep_phone": rep.phone or "",
        "rep_address": address_text,
        "authorized_persons": join_words(rep.authorized_persons, lang),
        "has_authorized_persons": bool(rep.authorized_persons),
        # evidence
        "evidence_available": evidence_available,
        "evidence_pending": evidence_pending,
        # place and date
        "place": place,
        "filing_date": long_date(case.filing_date, lang),
        "place_and_date": f"{place}, a {long_date(case.filing_date, 'es')}" if es
        else f"{place}, {long_date(case.filing_date, lang)}",
        # deadlines, flags, checklist
        "deadlines": [deadline_view(d, lang, case.filing_date) for d in dc.deadlines],
        "calendar_name": dc.calendar.name,
        "calendar_note": law.calendar.note[lang] if lang in ("es", "en") else law.calendar.note.en,
        "extra_days": [{"date": long_date(d.date, lang), "reference": d.reference} for d in dc.calendar.extra_days],
        "flags": [{"id": f.id, "reason": f.reason[lang] if lang in ("es", "en") else f.reason.en,
                   "danger": f.severity == "danger"} for f in dc.flags],
        "checklist": _checklist_view(case, law, lang),
        "procedures": [{"code": p, "title": term("procedures", p)} for p in case.procedures],
        "unchecked_citations": [c.short(lang) for c in law.unchecked()],
    }
    ctx["hechos_fields"] = hechos_fields(case)
    # the fundamentación of the claim, from its structure and the case's facts (law/arguments.yml)
    ctx["asy"] = claim_arguments(dc, lang, g, ctx["grounds"])
    # Document-specific additions live beside the documents that use them.
    ctx.update(filings.extra_context(dc, lang))
    ctx.update(supporting.extra_context(dc, lang))
    ctx.update(after_filing.extra_context(dc, lang))
    return ctx


def hechos_fields(case: Case) -> dict[str, list[str]]:
    """Provenance: for each kind of Hechos paragraph (the name a template
    gives ``h.next``), the record fields it states, those the record fills.
    A derived fact contributes the fields it rests on (facts.FACT_FIELDS)."""
    from ..schema import fields_of

    def filled(path: str) -> bool:
        obj: Any = case
        for part in path.replace("]", "").replace("[", ".").split("."):
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part, None)
            if obj is None:
                return False
        return obj not in ("", [], False) or path.endswith(("lives_with_child", "cares_for_child", "sought"))

    def keep(*paths: str) -> list[str]:
        return [p for p in dict.fromkeys(paths) if filled(p)]

    def always(*paths: str) -> list[str]:  # a paragraph that also states an absence ("no ha emitido…")
        return list(dict.fromkeys(paths))

    principal = case.principal_refugee
    pi = facts.family_index(case, principal) if principal is not None else None
    pr = [f"family[{pi}].{a}" for a in ("given_names", "family_names", "relationship",
                                         "refugee_status.resolution_number", "refugee_status.resolution_date",
                                         "refugee_status.office")] if pi is not None else []
    home = facts.lives_with(case)
    cared = facts.cared_for_by(case)
    relatives = [f"family[{i}].{f.path}" for i in range(len(case.family))
                 for f in fields_of(type(case.family[i]))
                 if f.path in ("given_names", "family_names", "relationship", "sex", "location_city",
                               "location_country", "in_mexico", "refugee_status.resolution_number",
                               "refugee_status.resolution_date")]
    reunify = [f"family[{i}].{a}" for i, r in enumerate(case.family) if r in case.relatives_to_reunify
               for a in ("given_names", "family_names", "relationship", "sex", "date_of_birth", "nationality",
                         "location_city", "location_country", "economically_dependent", "reunification_requested")]
    identity = keep("child.given_names", "child.family_names", *facts.fields_of_fact("age", case),
                    "child.country_of_birth", "child.nationality", "child.languages", "child.needs_interpreter",
                    "child.identity_documents")
    fear = ["claim.fear_of_return"] + (keep("claim.persecutors", "claim.persecutor_kind", "claim.events")
                                      if facts.fear_grounded(case) else [])
    return {
        "identity": identity,
        "entry": keep("child.entry_date", "child.entry_place", "child.route"),
        "entry_home": keep("child.entry_date", "child.entry_place", "child.route", "child.accompaniment",
                           *facts.FACT_FIELDS["placement"]) + facts.fields_of_fact("lives_with", case, home),
        "placement": keep("child.accompaniment", *facts.FACT_FIELDS["placement"])
        + facts.fields_of_fact("lives_with", case, home),
        "identity_home": identity + keep(*facts.FACT_FIELDS["placement"])
        + facts.fields_of_fact("lives_with", case, home) + facts.fields_of_fact("cared_for_by", case, cared),
        "ppnna": always("coadyuvante.notified_date", "coadyuvante.expediente")
        + keep("authority.ppnna", "authority.ppnna_state", "coadyuvante.restitution_plan_date"),
        "plan": always("coadyuvante.restitution_plan_date"),
        "heard": always("coadyuvante.child_heard") + keep("child.needs_interpreter"),
        "narrative": keep("claim.narrative"),
        "events": keep("claim.events"),
        "persecutors": keep("claim.persecutors", "claim.persecutor_kind"),
        "fear": fear,
        "relatives": keep(*relatives),
        "views": keep("child_views"),
        "trafficking": keep("screening.trafficking_indicators"),
        "health": keep("screening.health_needs", "screening.disability", "screening.pregnant"),
        "comar": keep("procedures", "authority.comar_office", "proceedings.comar_case_number", "claim.fear_of_return"),
        "tvrh": always("proceedings.tvrh_issued"),
        "risks": keep("risks"),
        "resolution": keep(*pr, "refugee_status.resolution_number", "refugee_status.resolution_date",
                           "refugee_status.office"),
        "reunify": keep(*pr[:3], *reunify),
        "caregivers": keep(*[p for p in reunify if p.endswith(("given_names", "family_names", "relationship"))],
                           *facts.fields_of_fact("age", case)),
        "kinship": keep(*pr[:3], "child.sex", "child.identity_documents") + (["evidence"] if case.evidence else []),
        "care": facts.fields_of_fact("cared_for_by", case,
                                     [principal] if principal is not None and principal.cares_for_child else []),
    }


# What each display state of a deadline says (checklist, review packet,
# interview): one place for the words. Only a step still due can be late.
STATE_TEXT = {
    "past": ("VENCIDO — {n} días hábiles de retraso", "PAST — {n} business days late"),
    "done": ("Cumplido", "Done"),
    "not_applicable": ("No aplica", "Not applicable"),
    "informational": ("Informativo (plazo de la autoridad)", "Informational (the authority’s time limit)"),
    "projected": ("Vigente", "Open"),
    "open": ("Vigente", "Open"),
}
COMING_OF_AGE = "coming_of_age"
COMING_OF_AGE_ALERT_DAYS = 90  # after-filing.md: in red within 90 days


def deadline_view(d: Deadline, lang: str, today: date | None = None) -> dict[str, Any]:
    """A deadline as documents and interview screens show it, in ``lang``.
    ``today`` (the day judged on: the filing date, ``--today`` by default)
    gives the days left to the 18th birthday."""
    unit = d.rule.unit
    term = d.term_length
    if lang == "es":
        term_text = f"{term} días hábiles" if unit == "working_days" else f"{term} años"
    else:
        term_text = f"{term} business days" if unit == "working_days" else f"{term} years"
    es = lang == "es"
    state = d.display_state
    words = STATE_TEXT.get(state, ("", ""))[0 if es else 1]
    state_text = words.format(n=d.working_days_late)
    red = d.is_late
    days_to = (d.date - today).days if today else None
    if d.id == COMING_OF_AGE and days_to is not None:
        # Not a term counsel can miss: the day the LGDNNA protections end.
        if days_to > 0:
            state_text = f"Faltan {days_to} días" if es else f"{days_to} days left"
        elif days_to == 0:
            state_text = "Hoy" if es else "Today"
        else:
            state_text = "Ya cumplió 18 años" if es else "Already 18"
        red = days_to <= COMING_OF_AGE_ALERT_DAYS
    return {
        "id": d.id,
        "label": d.rule.label[lang] if lang in ("es", "en") else d.rule.label.en,
        "date": long_date(d.date, lang),
        "from": long_date(d.from_date, lang),
        "term": term_text,
        "basis": d.rule.basis_text(lang),
        "past": d.is_late,
        "red": red,
        "working_days_late": d.working_days_late,
        "informational": d.rule.informational,
        "projected": d.projected,
        "state": state,
        "state_text": state_text,
        "days_to": days_to,
        "note": d.rule.note[lang] if d.rule.note and lang in ("es", "en") else "",
    }


def _checklist_view(case: Case, law: Law, lang: str) -> list[dict[str, Any]]:
    sections_titles = {
        "documents": ("Documentos y pruebas por reunir", "Documents and evidence to gather"),
        "after_filing": ("Pasos después de presentar", "Steps after filing"),
        "safeguards": ("Garantías de la NNA", "Safeguards owed to the child"),
    }
    out = []
    for procedure, sections in case_checklist(case, law).items():
        out.append({
            "procedure": law.term("procedures", procedure)[lang],
            "sections": [{
                "title": sections_titles[name][0 if lang == "es" else 1],
                "items": [{"text": e.item.text[lang], "basis": e.basis_text(lang), "unchecked": e.unchecked}
                          for e in entries],
            } for name, entries in sections.items()],
        })
    return out
