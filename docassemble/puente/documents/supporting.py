"""Context for the supporting documents: the best-interests record and
rights-restitution plan proposal (``plan``), the first-contact screening
record (``screening_record``) and the child's "your rights" sheet (``sheet``).

Everything a template of these documents prints is decided here, from the
case and the law data (``law/rights.yml``, ``law/referrals.yml``): which
rights the case shows restricted or at risk and why, which screening items
were observed and where each is referred. Templates only lay it out.

Three keys are added to every document's context, each a plain dict of
strings and lists (so the public-version redaction reaches every phrase):
``plan`` and ``screening_record`` in Spanish and English (None in the
child's other languages), ``sheet`` in every language.

Privacy: the screening record circulates, so it names the child by case id
and initials only. Sensitive items (``screening.other_vulnerabilities`` and
the details of ``screening.health_needs``) are printed only when counsel
sets ``screening.print_sensitive``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import facts
from ..dates import long_date
from ..law import Citation, Finding, Law, Referral
from . import arguments as _arguments
from . import grammar as _grammar
from .grammar import agree, child_grammar
from .phrases import country_name, initials, join_words, language_name, nationality_phrase

if TYPE_CHECKING:  # types only: context imports this module
    from ..law import Right
    from ..model import Case
    from .context import DocumentContext

UNDER_12 = 12
STATUS_ORDER = ("restricted", "at_risk", "to_assess")
STATUS_LABELS = {
    "restricted": ("Restringido", "Restricted"),
    "at_risk": ("En riesgo", "At risk"),
    "to_assess": ("Por valorar", "To be assessed"),
    None: ("Sin hallazgos", "No findings"),
}
# First languages that are indigenous languages of the Americas (facts.py).
INDIGENOUS_LANGUAGES = facts.INDIGENOUS_LANGUAGES
# Present risks (``risks``) that are health findings; the others are risks to
# life and integrity (finding ``present_risk``).
HEALTH_RISKS = facts.HEALTH_RISKS
SEX_LABELS = {"F": ("Femenino", "Female"), "M": ("Masculino", "Male"),
              "X": ("No binario u otro", "Non-binary or other")}


def extra_context(dc: DocumentContext, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"sheet": rights_sheet(dc, lang), "plan": None, "screening_record": None}
    if lang in ("es", "en"):
        out["plan"] = restitution_plan(dc, lang)
        out["screening_record"] = screening_record(dc, lang)
    return out


# --------------------------------------------------------------------------
# Small helpers


def _pick(lang: str, es: str, en: str) -> str:
    return es if lang == "es" else en


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uncap(text: str) -> str:
    """'Menor de 12 años' -> 'menor de 12 años' inside a list; 'INM…' stays."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def group_short(citations: list[Citation] | tuple[Citation, ...], lang: str) -> str:
    """'LM arts. 99 y 112; CDN art. 37': citations of one statute together,
    each article once, statutes in the order given."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.statute.id, []).append(c)
    parts = []
    for group in groups.values():
        abbreviation = group[0].statute.abbr(lang)
        articles: list[str] = []
        for c in group:
            if c.article is None:
                continue
            fraction = c.fraction if lang == "es" else c.fraction_en
            art = _article_text(c.article, lang) + (f", {'frs.' if c.several_fractions else 'fr.'} {fraction}"
                                                     if fraction else "")
            if art not in articles:
                articles.append(art)
        if not articles:
            parts.append(abbreviation)
            continue
        plural = len(articles) > 1 or _is_range(group[0].article or "")
        listed = (articles[0] if len(articles) == 1
                  else f"{', '.join(articles[:-1])} {_pick(lang, 'y', 'and')} {articles[-1]}")
        parts.append(f"{abbreviation} {'arts.' if plural else 'art.'} {listed}")
    return "; ".join(parts)


def _is_range(article: str) -> bool:
    return " a " in article or " y " in article or "," in article


def _article_text(article: str, lang: str) -> str:
    """'89 a 101' / '89 to 101'; Mexican ordinal articles ('4o.') are plain
    numbers in English."""
    if lang == "es":
        return article
    if article.endswith("o.") and article[:-2].isdigit():
        article = article[:-2]
    return article.replace(" a ", " to ").replace(" y ", " and ")


def _chapter_text(right: Right, lang: str) -> str:
    """'LGDNNA art. 13, fr. III; arts. 19 a 21'."""
    chapter = right.chapter.article or ""
    word = "arts." if _is_range(chapter) else "art."
    return f"{right.catalogue.short(lang)}; {word} {_article_text(chapter, lang)}"


def _placement_phrase(case: Case, law: Law, lang: str) -> str:
    """'el Centro de Asistencia Social del Sistema DIF «CAS Tapachula», en
    Tapachula, Chiapas' — the one placement phrase of facts.py, without its
    preposition."""
    if not case.child.placement.type:
        return ""
    return facts.placement_phrase(case, law, lang, preposition=False)


def _first_language(case: Case) -> str | None:
    return case.child.languages[0] if case.child.languages else None


# --------------------------------------------------------------------------
# Findings: what the case data shows about each right


@dataclass
class CaseFinding:
    """One finding of ``law.findings`` that applies to this case, with the
    facts of this case in Spanish and English."""

    finding: Finding
    facts_es: list[str] = field(default_factory=list)
    facts_en: list[str] = field(default_factory=list)
    status: str | None = None  # overrides the law data's status for this case, with the facts to say why

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def effective_status(self) -> str:
        return self.status or self.finding.status

    def facts(self, lang: str) -> str:
        return " ".join(self.facts_es if lang == "es" else self.facts_en)


def case_findings(dc: DocumentContext) -> list[CaseFinding]:
    """The findings that apply to the case, in the order of ``law.FINDINGS``.

    The sentences that state each finding's facts, and their conditions, are
    law data (law/wording.yml, section plan_facts): a finding applies when
    one of its sentences does. Family separation and late filing are decided
    here (their sentences have sections of their own). The measure,
    institutions and basis come from ``law/rights.yml``."""
    case, law = dc.case, dc.law
    child = case.child
    g = child_grammar(case)
    out: list[CaseFinding] = []
    values = {lang: _fact_values(case, law, g, lang) for lang in ("es", "en")}

    def add(code: str, es: list[str], en: list[str], status: str | None = None) -> None:
        out.append(CaseFinding(law.findings[code], es, en, status))

    by_finding: dict[str, tuple[list[str], list[str]]] = {}
    cite_es, cite_en = _arguments.citer(law, "es"), _arguments.citer(law, "en")
    for words in _arguments.wording(law, "plan_facts", case):
        assert words.finding is not None  # the loader requires it in plan_facts
        es, en = by_finding.setdefault(words.finding, ([], []))
        es.append(words.render("es", values["es"], cite_es))
        en.append(words.render("en", values["en"], cite_en))
    for code, (es, en) in by_finding.items():
        add(code, es, en)

    if child.accompaniment in ("unaccompanied", "separated"):
        # unaccompanied or separated, where and with whom the child lives, the
        # family in and outside Mexico (law/wording.yml)
        es, en = ([_arguments.say_first(law, "plan_accompaniment", case, lang, values[lang])]
                  + _arguments.say_all(law, "plan_family", case, lang, values[lang]) for lang in ("es", "en"))
        # Living with family already: the right is at risk (the care
        # arrangement must be assessed), not restricted.
        add("family_separation", es, en, "at_risk" if child.placement.type == "family" else None)

    filing = facts.asylum_filing_deadline(dc.deadlines)
    if "asylum" in case.procedures and filing is not None and filing.is_past:
        # the time limit, the causes recorded and counsel's explanation (law/wording.yml)
        reasons = [r for r in case.claim.late_filing_reasons if r != "other"]
        explanation = " ".join((case.claim.late_filing_explanation or "").split())
        es, en = ([_arguments.say_all(law, "plan_late_filing", case, lang, {
            "term": str(filing.rule.term), "deadline": long_date(filing.date, lang),
            "days_late": str(filing.working_days_late),
            "reasons": "; ".join(law.term("late_filing_reasons", r)[lang] for r in reasons),
            "explanation": _grammar.untranslated(explanation, lang, quoted=True)}) for lang in ("es", "en")])
        add("late_filing", es, en)

    order = {code: i for i, code in enumerate(law.findings)}
    return sorted(out, key=lambda f: order[f.code])


def _fact_values(case: Case, law: Law, g: Any, lang: str) -> dict[str, str]:
    """What the restitution plan's sentences name, in ``lang``: the record's
    own facts (counsel's Spanish words marked in English)."""
    child, screening = case.child, case.screening
    principal = case.principal_refugee
    status = case.refugee_status
    first = _first_language(case)
    placement = child.placement
    # with whom the child lives: only the relatives the record says (facts.lives_with)
    home = [f"{r.full_name} ({facts.kin_word(r, law, lang)})" for r in facts.lives_with(case)]
    in_word = " en " if lang == "es" else " in "

    def relatives(in_mexico: bool) -> str:
        items = []
        for r in case.family:
            if bool(r.in_mexico) != in_mexico:
                continue
            where = ", ".join(x for x in (r.location_city, country_name(r.location_country, lang)) if x)
            kin = _grammar.kin(r.relationship, r.sex, lang)
            items.append(f"{r.full_name} ({f',{in_word}'.join(x for x in (kin, where) if x)})")
        return "; ".join(items)

    accompaniment = law.term("accompaniment", child.accompaniment) if child.accompaniment else None
    needs = (screening.health_needs or "").strip().rstrip(".")
    return {
        **_arguments.grammar_values(g, lang),
        "placement": facts.placement_phrase(case, law, lang),
        "nationality": nationality_phrase(child.nationality, lang),
        "entry_date": long_date(child.entry_date, lang),
        "entry_place": child.entry_place or "",
        "accompaniment": (agree(accompaniment.text.es, g) if lang == "es" else accompaniment.text.en)
        if accompaniment else "",
        "resolution_number": status.resolution_number or "",
        "resolution_date": long_date(status.resolution_date, lang),
        # by the relative's sex; a neutral kinship term when it is not recorded
        "principal_kin": _grammar.kin(principal.relationship, principal.sex, lang) if principal else "",
        "health_needs": _grammar.untranslated(needs, lang),
        "health_risks": join_words([law.term("risks", r)[lang] for r in case.risks if r in HEALTH_RISKS], lang),
        "indicators": "; ".join(law.term("trafficking_indicators", c)[lang] for c in screening.trafficking_indicators),
        "exploitation": law.term("risks", "exploitation")[lang],
        "danger_risks": join_words([law.term("risks", r)[lang] for r in case.risks if r not in HEALTH_RISKS], lang),
        "language": language_name(first, lang) if first else "",
        "where": ", ".join(dict.fromkeys(x for x in (placement.city, placement.state) if x)),
        "home": join_words(home, lang),
        "relatives_in_mexico": relatives(True),
        "relatives_abroad": relatives(False),
    }


def right_statuses(findings: list[CaseFinding]) -> dict[str, tuple[str, list[CaseFinding]]]:
    """right code -> (worst status, findings touching it). The finding's own
    right takes its status; the other rights it touches (``also``) are at
    risk at most."""
    out: dict[str, tuple[str, list[CaseFinding]]] = {}
    for cf in findings:
        for right in (cf.finding.right, *cf.finding.also):
            status, touching = out.get(right.code, (None, []))
            new = cf.effective_status
            if right is not cf.finding.right and new == "restricted":
                new = "at_risk"  # a right the finding also touches is at risk, not itself restricted
            if status is None or STATUS_ORDER.index(new) < STATUS_ORDER.index(status):
                status = new
            out[right.code] = (status, touching + [cf])
    return out


# --------------------------------------------------------------------------
# 1. Best-interests record and rights-restitution plan proposal


def restitution_plan(dc: DocumentContext, lang: str) -> dict[str, Any]:
    case, law = dc.case, dc.law
    child = case.child
    g = child_grammar(case)
    findings = case_findings(dc)
    statuses = right_statuses(findings)

    def label(status: str | None) -> str:
        es, en = STATUS_LABELS[status]
        return _pick(lang, es, en)

    # the rights catalogue, with what the case shows about each
    catalogue = []
    for right in law.rights.values():
        status, touching = statuses.get(right.code, (None, []))
        titles = list(dict.fromkeys(cf.finding.title[lang] for cf in touching))
        catalogue.append({
            "fraction": right.fraction, "name": right.name[lang], "status": label(status),
            "status_code": status or "none", "flagged": status is not None,
            "why": "; ".join(t if i == 0 else _uncap(t) for i, t in enumerate(titles)),
            "articles": _chapter_text(right, lang),
        })

    # the plan: one group per right the findings restrict, in fraction order
    groups = []
    for right in law.rights.values():
        own = [cf for cf in findings if cf.finding.right.code == right.code]
        if not own:
            continue
        status = min((cf.effective_status for cf in own), key=STATUS_ORDER.index)
        groups.append({
            "heading": f"{right.fraction}. {right.name[lang]}",
            "fraction": right.fraction,
            "name": right.name[lang],
            "status": label(status),
            "status_code": status,
            "basis": _chapter_text(right, lang),
            "summary": "; ".join(_uncap(cf.finding.title[lang]) for cf in own),
            "entries": [{
                "code": cf.code,
                "title": cf.finding.title[lang],
                "status": label(cf.effective_status),
                "facts": cf.facts(lang),
                "basis": group_short(cf.finding.basis, lang),
                "also": join_words([f"fr. {r.fraction}" for r in cf.finding.also], lang),
                "measure": cf.finding.measure[lang],
                "institutions": "; ".join(i.short[lang] for i in cf.finding.institutions),
                "term": cf.finding.term[lang],
                "follow_up": cf.finding.follow_up[lang],
            } for cf in own],
        })

    institutions_used = list(dict.fromkeys(i.code for cf in findings for i in cf.finding.institutions))
    urgent = facts.plan_urgent(case)  # the findings in_detention, trafficking or present_risk
    exp = case.coadyuvante.expediente or ""
    plan_date = case.coadyuvante.restitution_plan_date
    # where each step of the procedure stands (law/wording.yml)
    values = {**_arguments.grammar_values(g, lang), "expediente": exp,
              "notified_date": long_date(case.coadyuvante.notified_date, lang),
              "plan_date": long_date(plan_date, lang),
              "institutions": "; ".join(law.institutions[c].short[lang] for c in institutions_used)}
    status_text = {code: _arguments.say_first(law, f"plan_{code}", case, lang, values) for code in law.procedure_steps}
    steps = [{"name": s.name[lang], "does": s.does[lang], "status": status_text[code],
              "responsible": s.responsible[lang] if s.responsible else "", "basis": group_short(s.basis, lang)}
             for code, s in law.procedure_steps.items()]

    # identification of the child and the case (full name: the PPNNA needs it)
    rows = _identification_rows(dc, lang, full=True)

    # citations the plan relies on that a lawyer must still confirm
    unchecked: list[str] = []
    for cf in findings:
        for right in (cf.finding.right, *cf.finding.also):
            if not right.chapter.checked:
                unchecked.append(_chapter_text(right, lang))
        unchecked += [c.short(lang) for c in cf.finding.basis if not c.checked]
    for step in law.procedure_steps.values():
        unchecked += [c.short(lang) for c in step.basis if not c.checked]
    unchecked = list(dict.fromkeys(unchecked))

    return {
        "expediente": exp,
        "rows": rows,
        "steps": steps,
        "catalogue": catalogue,
        "groups": groups,
        "flagged_count": sum(1 for c in catalogue if c["flagged"]),
        "urgent": urgent,
        "in_detention": child.placement.type == "inm_station",
        "trafficking": bool(case.screening.trafficking_indicators),
        "child_heard": case.coadyuvante.child_heard,
        "plan_issued": bool(plan_date),
        "plan_date": long_date(plan_date, lang),
        "unchecked": unchecked,
        "notes": [r.note[lang] for r in law.rights.values() if r.note and statuses.get(r.code)],
    }


def _identification_rows(dc: DocumentContext, lang: str, *, full: bool) -> list[dict[str, str]]:
    """Label/value rows describing the child. ``full`` (plan): name and date
    of birth, for the PPNNA. Otherwise (screening record, which circulates):
    case id and initials only, no date of birth, no shelter name."""
    case, law = dc.case, dc.law
    child = case.child
    g = child_grammar(case)
    age = case.age
    estimated = child.date_of_birth is None or child.age_estimated
    rows: list[tuple[str, str, str]] = []
    if full:
        rows.append(("Nombre", "Name", f"{child.given_names} {child.family_names}"))
        if child.date_of_birth and not child.age_estimated:
            rows.append(("Fecha de nacimiento", "Date of birth", long_date(child.date_of_birth, lang)))
    else:
        rows.append(("Caso", "Case", f"{case.case_id} · {initials(child.given_names, child.family_names)}"))
    if age is not None:
        rows.append(("Edad", "Age", _pick(lang, f"{age} años" + (" (estimada)" if estimated else ""),
                                          f"{age} years" + (" (estimated)" if estimated else ""))))
    if child.sex:
        rows.append(("Sexo (como se identifica)", "Sex (as the child identifies)", _pick(lang, *SEX_LABELS[child.sex])))
    if child.nationality:
        rows.append(("Nacionalidad", "Nationality", _grammar.demonym(child.nationality, lang)))  # 'apátrida' too
    if child.languages:
        names = [language_name(code, lang) for code in child.languages]
        value = join_words(names, lang)
        if child.needs_interpreter:
            value += _pick(lang, "; necesita intérprete", "; needs an interpreter")
        rows.append(("Idiomas", "Languages", value))
    if child.accompaniment:
        term = law.term("accompaniment", child.accompaniment)
        rows.append(("Situación de acompañamiento", "Accompaniment",
                     agree(term.text.es, g) if lang == "es" else term.text.en))
    if child.entry_date:
        rows.append(("Ingreso a México", "Entry into Mexico",
                     long_date(child.entry_date, lang) + (f", {child.entry_place}" if child.entry_place else "")))
    placement = child.placement
    if placement.type:
        if full:
            value = _cap(_placement_phrase(case, law, lang))
        else:
            where = ", ".join(dict.fromkeys(x for x in (placement.city, placement.state) if x))
            value = law.term("placement_types", placement.type)[lang] + (f" ({where})" if where else "")
        rows.append(("Alojamiento actual", "Current placement", value))
    docs = [d for d in child.identity_documents if d != "none"]
    rows.append(("Documentos de identidad", "Identity documents",
                 join_words([law.term("identity_documents", d)[lang] for d in docs], lang) if docs
                 else _pick(lang, "ninguno", "none")))
    if full:
        if case.coadyuvante.expediente:
            rows.append(("Expediente de la Procuraduría de Protección", "PPNNA file", case.coadyuvante.expediente))
        if case.proceedings.comar_case_number:
            rows.append(("Expediente de la COMAR", "COMAR file", case.proceedings.comar_case_number))
        rep = case.representative
        if rep.full_name:
            rows.append(("Representación jurídica", "Counsel",
                         rep.full_name + (f", {rep.organization}" if rep.organization else "")))
    return [{"label": _pick(lang, es, en), "value": value} for es, en, value in rows if value]


# --------------------------------------------------------------------------
# 2. First-contact screening record


def screening_items(dc: DocumentContext) -> list[tuple[str, bool]]:
    """(code, observed) for every screening item of ``law.referrals``, in the
    order of the law data (trafficking indicators first)."""
    case, law = dc.case, dc.law
    child, screening = case.child, case.screening
    first = _first_language(case)
    age = case.age
    observed = {
        "under_12": age is not None and age < UNDER_12,
        "disability": bool(screening.disability),
        "pregnant": bool(screening.pregnant),
        "health_needs": bool(screening.health_needs),
        "indigenous_language": first in INDIGENOUS_LANGUAGES,
        "needs_interpreter": bool(child.needs_interpreter),
        "unaccompanied": child.accompaniment in ("unaccompanied", "separated"),
        "in_detention": child.placement.type == "inm_station",
        "no_identity_documents": facts.documents_state(case) == "none",
        "other_vulnerabilities": bool(screening.other_vulnerabilities),
    }
    items = []
    for code, referral in law.referrals.items():
        if referral.group == "trafficking":
            items.append((code, code in screening.trafficking_indicators))
        else:
            items.append((code, observed[code]))
    return items


VULNERABILITY_LABELS = {
    "under_12": ("Menor de 12 años", "Under 12 years old"),
    "disability": ("Discapacidad", "Disability"),
    "pregnant": ("Embarazo", "Pregnancy"),
    "health_needs": ("Necesidades de salud", "Health needs"),
    "indigenous_language": ("Lengua materna indígena", "Indigenous first language"),
    "needs_interpreter": ("Necesita intérprete", "Needs an interpreter"),
    "unaccompanied": ("No acompañada o separada", "Unaccompanied or separated"),
    "in_detention": ("En una estación migratoria", "In a migration detention station"),
    "no_identity_documents": ("Sin documentos de identidad", "No identity documents"),
    "other_vulnerabilities": ("Otras situaciones de vulnerabilidad", "Other vulnerabilities"),
}


def screening_record(dc: DocumentContext, lang: str) -> dict[str, Any]:
    case, law = dc.case, dc.law
    child, screening = case.child, case.screening
    g = child_grammar(case)
    print_sensitive = bool(getattr(screening, "print_sensitive", False))
    first = _first_language(case)
    age = case.age

    def detail(code: str) -> str:
        if code == "under_12" and age is not None:
            return _pick(lang, f"{age} años", f"{age} years old")
        if code in ("indigenous_language", "needs_interpreter") and first and first != "es":
            return language_name(first, lang)
        if code == "unaccompanied" and child.accompaniment:
            term = law.term("accompaniment", child.accompaniment)
            return agree(term.text.es, g) if lang == "es" else term.text.en
        if code == "health_needs" and screening.health_needs:
            return _grammar.untranslated(screening.health_needs.strip(), lang) if print_sensitive else \
                _pick(lang, "detalle reservado", "details withheld")
        if code == "other_vulnerabilities" and screening.other_vulnerabilities:
            return _grammar.untranslated(screening.other_vulnerabilities.strip(), lang)
        return ""

    yes, no = _pick(lang, "Sí", "Yes"), _pick(lang, "No consta", "Not recorded")
    trafficking: list[dict[str, Any]] = []
    vulnerabilities: list[dict[str, Any]] = []
    by_institution: dict[str, dict[str, Any]] = {}
    for code, observed in screening_items(dc):
        referral: Referral = law.referrals[code]
        if referral.sensitive and not print_sensitive:
            continue  # never printed, not even as "not recorded", unless counsel chooses
        if referral.group == "trafficking":
            text = law.term("trafficking_indicators", code)[lang]
        else:
            text = _pick(lang, *VULNERABILITY_LABELS[code])
        extra = detail(code) if observed else ""
        row = {
            "code": code,
            "text": _cap(text),
            "detail": extra,
            "observed": observed,
            "answer": yes if observed else no,
            "refer_to": "; ".join(i.short[lang] for i in referral.refer_to) if observed else "",
            "action": referral.action[lang] if observed else "",
            "basis": group_short(referral.basis, lang) if observed else "",
            "urgent": referral.urgent and observed,
        }
        (trafficking if referral.group == "trafficking" else vulnerabilities).append(row)
        if observed:
            for inst in referral.refer_to:
                entry = by_institution.setdefault(
                    inst.code, {"institution": inst.name[lang], "reasons": [], "urgent": False})
                entry["reasons"].append(_cap(text) if not entry["reasons"] else _uncap(text))
                entry["urgent"] = entry["urgent"] or referral.urgent
    for n, row in enumerate(trafficking, 1):
        row["n"] = str(n)
    for n, row in enumerate(vulnerabilities, 1):
        row["n"] = str(n)
    referrals = [{"institution": e["institution"], "reasons": "; ".join(e["reasons"]),
                  "urgent": e["urgent"],
                  "priority": _pick(lang, "Urgente", "Urgent") if e["urgent"] else _pick(lang, "Ordinaria", "Routine")}
                 for e in by_institution.values()]
    referrals.sort(key=lambda e: not e["urgent"])  # urgent first, otherwise in order of appearance
    n_observed = sum(1 for r in trafficking if r["observed"])
    return {
        "ref": f"{case.case_id} · {initials(child.given_names, child.family_names)}",
        "case_id": case.case_id,
        "initials": initials(child.given_names, child.family_names),
        "date": long_date(case.filing_date, lang),
        "rows": _identification_rows(dc, lang, full=False),
        "trafficking": trafficking,
        "vulnerabilities": vulnerabilities,
        "trafficking_count": n_observed,
        # "Se observó 1 indicador" / "Se observaron 4 indicadores"; "1 indicator"
        "trafficking_observed": (
            ("Se observó " if n_observed == 1 else "Se observaron ") + _grammar.plural(n_observed, "indicador")
            if lang == "es" else _grammar.plural(n_observed, "indicator")),
        "vulnerability_count": sum(1 for r in vulnerabilities if r["observed"]),
        "referrals": referrals,
        "any_referral": bool(referrals),
        "urgent": any(r["urgent"] for r in referrals),
        "print_sensitive": print_sensitive,
        "screened_by": case.representative.full_name,
        "organization": case.representative.organization or "",
    }


# --------------------------------------------------------------------------
# 3. The child's "your rights" sheet


def rights_sheet(dc: DocumentContext, lang: str) -> dict[str, Any]:
    """The child's first name (given names only, never family names) and
    counsel's contact, in any language of the sheet."""
    case = dc.case
    rep = case.representative
    given = (case.child.given_names or "").strip()
    lawyer, to_lawyer = _grammar.counsel_for_child(rep.sex, lang)
    return {
        "first_name": given,
        "rep_name": rep.full_name,
        "rep_organization": rep.organization or "",
        "rep_phone": rep.phone or "",
        "rep_email": rep.email or "",
        "has_contact": bool(rep.phone or rep.email),
        "date": long_date(case.filing_date, lang),
        # "tu abogada" / "tu abogado" / "la persona que te representa":
        # counsel's sex decides, never "abogada o abogado".
        "lawyer": lawyer,
        "to_lawyer": to_lawyer,
        # A child held in an estación migratoria is told what to do there.
        "detained": case.child.placement.type == "inm_station",
    }
