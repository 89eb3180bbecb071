"""Context for the escritos after the first filing (after-filing.md): the
carta poder, the ratification, the reply to a prevención, the recurso de
revisión and the change of residence. Everything is under the key ``af``.

Templates lay out text; the decisions live here: who assists the child in
granting the carta poder, which annex cures each item of a prevención,
which agravios the record supports, where the file goes when the child
moves. A filing states only what the record holds: an agravio whose facts
the record lacks is left out, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import facts
from ..dates import long_date
from ..stage import case_stage, days_left
from . import arguments
from . import grammar as words
from .filings import STATE_NAMES_WITHOUT_ESTADO, _Helpers
from .grammar import child_grammar
from .phrases import COMAR_OFFICE_STATES, join_words, language_name, paragraphs

if TYPE_CHECKING:  # types only: context imports this module
    from ..model import EvidenceItem
    from .context import DocumentContext

# COMAR's offices by the state they sit in: where the file of a child who
# moves is sent. States with several offices are left to counsel.


def _office_by_state() -> dict[str, str]:
    """The COMAR office of each state that has exactly one (from the one
    table of offices); a state with several (Chiapas, Tabasco) has none here,
    and the escrito then names no office rather than guess which."""
    offices: dict[str, list[str]] = {}
    for office, state in COMAR_OFFICE_STATES.items():
        offices.setdefault(state, []).append(office)
    return {state: names[0] for state, names in offices.items() if len(names) == 1}


OFFICE_BY_STATE = _office_by_state()

# Kinds of grounds a refusal gives, recognized by their words, and the
# answer each calls for. Order matters: the first match decides.
GROUND_KINDS = (
    ("late", ("extempor", "fuera de plazo", "fuera del plazo", "30 dias", "treinta dias", "plazo")),
    ("credibility", ("credib", "contradic", "inconsisten", "vero", "imprecis", "vag")),
    ("relocation", ("reubic", "huida interna", "alternativa de", "otra region", "otra zona", "interna")),
    ("state_protection", ("proteccion del estado", "autoridades de su pais", "no denunci", "denuncia")),
    ("nexus", ("motivo", "convencion", "nexo", "grupo social", "delincuencia comun", "particular")),
    ("fear", ("temor", "fundado", "riesgo", "persecu", "peligro")),
)

# Words that name a kind of paper, not what it proves: a "constancia médica" is
# not answered by a "constancia de ingresos".
STOPWORDS = {"de", "del", "la", "el", "los", "las", "y", "o", "en", "que", "por", "con", "para", "una", "un",
             "su", "sus", "al", "copia", "documento", "original", "acta", "constancia", "certificado",
             "comprobante", "the", "of", "and", "a", "an"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9 ]+", " ", text)


def _words(text: str) -> set[str]:
    return {w for w in _fold(text).split() if len(w) >= 4 and w not in STOPWORDS}


def ground_kind(text: str) -> str:
    folded = _fold(text)
    for kind, keys in GROUND_KINDS:
        if any(k in folded for k in keys):
            return kind
    return "other"


def match_evidence(item: str, evidence: list[EvidenceItem]) -> EvidenceItem | None:
    """The evidence item that most plausibly answers a prevención item: the
    one sharing most significant words with it (none when no word is shared)."""
    want = _words(item)
    best, score = None, 0
    for e in evidence:
        shared = len(want & _words(e.description or ""))
        if shared > score:
            best, score = e, shared
    return best


def extra_context(dc: DocumentContext, lang: str) -> dict[str, Any]:
    return {"af": _AfterFiling(dc, lang).build()}


class _AfterFiling:
    def __init__(self, dc: DocumentContext, lang: str):
        self.dc = dc
        self.case = dc.case
        self.law = dc.law
        self.lang = lang
        self.es = lang == "es"
        self.g = child_grammar(dc.case)

    def t(self, es_text: str, en_text: str) -> str:
        return es_text if self.es else en_text

    def date(self, day: date | None) -> str:
        return long_date(day, self.lang)

    def cite(self, cid: str) -> str:
        return self.law.cite(cid).long(self.lang, gloss=False)

    def cites(self, *cids: str) -> str:
        from ..law import cite_together

        return cite_together([self.law.cite(x) for x in cids], self.lang, set(self.law.statutes))

    def build(self) -> dict[str, Any]:
        case = self.case
        stage = case_stage(case, self.law, self.dc.calendar)
        as_of = case.filing_date
        if as_of is None:  # parse_case sets it (today when the record has none)
            raise ValueError(f"case {case.case_id}: the escritos need the filing date")
        steps = {s.kind: s for s in stage.steps}

        def term_view(kind: str) -> dict[str, Any]:
            step = steps.get(kind)
            d = step.deadline if step else None
            if d is None:
                return {"deadline": "", "on_time": False, "late": False, "days_left": 0, "term": 0}
            return {"deadline": self.date(d.date), "on_time": not d.is_past, "late": d.is_past,
                    "days_left": days_left(d, as_of, self.dc.calendar), "term": d.term_length,
                    "working_days_late": d.working_days_late}

        pro = case.proceedings
        res = pro.resolution
        return {
            "stage": stage.code,
            "stage_reason": stage.summary[self.lang],
            # what the case needs next, for the head of the checklist
            "steps": [{"kind": st.kind, "title": self.law.term("procedures", st.kind)[self.lang],
                       "reason": st.reason[self.lang],
                       "date": self.date(st.deadline.date) if st.deadline else "",
                       "days_left": days_left(st.deadline, as_of, self.dc.calendar) if st.deadline else None,
                       "late": bool(st.deadline and st.deadline.is_past)}
                      for st in stage.steps],
            "show_stage": stage.code not in ("to_file",),
            "filed_date": self.date(pro.comar_filed_date),
            "ratified_date": self.date(pro.ratified_date),
            "poder": self.carta_poder(),
            "rat": term_view("ratification"),
            "prev": {**term_view("prevention_reply"), "notified": self.date(pro.prevention_notified_date),
                     "items": self.prevention_items()},
            "res": {"number": res.number or "", "date": self.date(res.date),
                    "notified": self.date(pro.refusal_notified or res.notified_date),
                    "kind": self.law.term("resolution_kinds", res.kind)[self.lang] if res.kind else "",
                    "grounds": list(res.grounds)},
            "appeal": {**term_view("review_appeal"), **self.appeal()},
            "move": self.residence_change(),
            "fields": self.fields(),
            "alternatives": [{"label": d.rule.label[self.lang], "date": self.date(d.date),
                              "term": self.t(f"{d.term_length} días hábiles", f"{d.term_length} business days"),
                              # the basis, with what the rule adds (amparo: at any time against deportation)
                              "basis": d.rule.basis_text(self.lang)
                              + (f"; {d.rule.note[self.lang]}" if d.rule.note else ""),
                              "days_left": days_left(d, as_of, self.dc.calendar), "past": d.is_past}
                             for d in stage.alternatives],
        }

    # ---- provenance ---------------------------------------------------------
    def fields(self) -> dict[str, list[str]]:
        """Provenance of each escrito: the record fields it states, a derived
        fact contributing the fields it rests on (facts.FACT_FIELDS). These
        escritos state nothing else about the case but the deadlines the
        engine computes (tests/test_filing_facts.py holds them to it)."""
        case = self.case
        # the rubro, the authority, the proemio (counsel and the child), the place and date
        common = ["filing_city", "filing_state", "filing_date", "authority.comar_office", "authority.ppnna",
                  "authority.ppnna_state", "representative", "proceedings.comar_case_number", "child.given_names",
                  "child.family_names", "child.date_of_birth", "child.age_estimated", "child.estimated_age",
                  "child.nationality", "child.sex"]
        filed = ["proceedings.comar_filed_date", "proceedings.ratified_date"]
        interpreter = ["child.needs_interpreter", "child.languages"]
        parent = facts.originary_representative(case)
        return {
            "carta_poder": common + facts.fields_of_fact("originary_representative", case,
                                                         [parent] if parent is not None else []),
            "ratification": common + filed + interpreter,
            "prevention_reply": common + ["proceedings.prevention_notified_date", "proceedings.prevention_term_days",
                                          "proceedings.prevention_items", "evidence"],
            "review_appeal": common + filed + interpreter + [
                "child.entry_date", "child.entry_place", "claim.events", "claim.persecutors", "claim.grounds",
                "claim.fear_of_return", "proceedings.resolution", "child_views", "evidence", "coadyuvante"],
            "residence_change": common + filed + facts.fields_of_fact("placement", case) + [
                "proceedings.residence_change", "child_views", "evidence"] + facts.fields_of_fact(
                "relatives_at_destination", case, facts.relatives_at_destination(case)),
        }

    # ---- carta poder --------------------------------------------------------
    def carta_poder(self) -> dict[str, Any]:
        """Who grants it with the child: the parent or guardian present with the
        child (facts.originary_representative), otherwise the Procuraduría de
        Protección, in its representation en suplencia (law/wording.yml)."""
        case = self.case
        parent = facts.originary_representative(case)
        kin = ""
        if parent is not None:
            sex = getattr(parent, "sex", None)
            kin = self.law.term("relationships", parent.relationship or "mother")[self.lang]
            if parent.relationship in ("mother", "father"):
                kin = {"mother": self.t("madre", "mother"), "father": self.t("padre", "father")}[parent.relationship]
            elif sex in ("F", "M"):
                kin = self.t("tutora" if sex == "F" else "tutor", "guardian")
        name = parent.full_name if parent is not None else self._ppnna_name()
        values = {**arguments.grammar_values(self.g, self.lang), "kin": kin, "Kin": kin[:1].upper() + kin[1:],
                  "name": name, "ppnna": name}
        return {
            "by_parent": parent is not None,
            "assistant": name,
            "assistant_upper": name.upper(),
            "assisted": arguments.say_first(self.law, "carta_poder_assisted", case, self.lang, values),
            "assistant_role": arguments.say_first(self.law, "carta_poder_role", case, self.lang, values),
        }

    def _ppnna_name(self) -> str:
        auth = _Helpers(self.dc, self.lang, self.g).ppnna_authority()
        if self.case.authority.ppnna:
            return auth["name"]
        return "Procuraduría de Protección de Niñas, Niños y Adolescentes competente"

    # ---- prevención ---------------------------------------------------------
    def prevention_items(self) -> list[dict[str, Any]]:
        """Each item asked for, in order, with the annex that cures it when
        the record holds one (an available piece of evidence that names it),
        or what the record says about it (evidence still pending)."""
        case = self.case
        available = [e for e in case.evidence if e.available]
        pending = [e for e in case.evidence if not e.available]
        out = []
        used: set[int] = set()
        for text in case.proceedings.prevention_items:
            found = match_evidence(text, [e for e in available if id(e) not in used])
            # COMAR's and counsel's Spanish words: quoted and marked in English
            # (the Spanish template quotes them itself, «…»)
            asked = words.untranslated(text, self.lang, quoted=True)
            if found is not None:
                used.add(id(found))
                out.append({"text": asked, "annex": words.evidence_text(found.description or "", self.lang),
                            "pending": "", "cured": True})
                continue
            waiting = match_evidence(text, pending)
            out.append({"text": asked, "annex": "", "cured": False,
                        "pending": words.evidence_text(waiting.description or "", self.lang) if waiting else ""})
        return out

    # ---- recurso de revisión ------------------------------------------------
    def appeal(self) -> dict[str, Any]:
        """One agravio per ground of the refusal, answered with the case's
        facts, then the child-specific agravios the record supports (each
        entry of law/wording.yml whose conditions hold)."""
        case = self.case
        res = case.proceedings.resolution
        values = self.appeal_values()
        agravios = []
        for n, text in enumerate(res.grounds):
            kind = ground_kind(text)
            # the resolution's Spanish words: the Spanish template quotes them
            # «…»; in English they are quoted here, the marker after the quote
            agravios.append({"ground": words.untranslated(text.strip().rstrip("."), self.lang, quoted=True),
                             "kind": kind,
                             "title": self.ground_title(kind, values),
                             "answer": self.answer(kind, values, first=n == 0)})
        child = arguments.say_all(self.law, "appeal_child_agravios", case, self.lang, values)
        return {"agravios": agravios, "child_agravios": child,
                "next_office": OFFICE_BY_STATE.get(case.proceedings.residence_change.to_state or "", "")}

    def appeal_values(self) -> dict[str, Any]:
        """What the recurso's wording names: the child's grammar and age, the
        claim's facts (counsel's Spanish words marked in English), the grounds."""
        case, lang = self.case, self.lang
        claim = case.claim
        values: dict[str, Any] = {
            **arguments.grammar_values(self.g, lang),
            "age": str(case.age) if case.age is not None else "",
            "language": (language_name(case.child.languages[0], lang)
                         if case.child.needs_interpreter and case.child.languages else ""),
            "grounds": join_words([self.law.term("grounds", x)[lang] for x in claim.grounds], lang),
            "event_dates": join_words([self.date(e.date) for e in claim.events if e.date], lang),
            "events": "; ".join(
                (f"{self.date(e.date)}{', ' + e.place if e.place else ''}: " if e.date
                 else (f"{e.place}: " if e.place else ""))
                + words.untranslated((e.description or "").rstrip("."), lang)
                for e in claim.events if e.description),
            "persecutors": words.untranslated((claim.persecutors or "").rstrip("."), lang),
        }
        values["age_phrase"] = arguments.say_first(self.law, "age_phrase", case, lang, values)
        parts = arguments.say_all(self.law, "appeal_facts_parts", case, lang, values)
        values["facts"] = join_words(parts, lang)
        return values

    def ground_title(self, kind: str, values: dict[str, Any]) -> str:
        title = next(w for w in arguments.wording(self.law, "appeal_ground_title", self.case) if kind in w.answers)
        return title.render(self.lang, values, arguments.citer(self.law, self.lang))

    def answer(self, kind: str, values: dict[str, Any], first: bool = True) -> list[str]:
        """The paragraphs that answer one ground, with the case's facts (set
        out in full in the first agravio, referred to in the others)."""
        out = []
        if values["facts"]:
            out.append(arguments.say(self.law, "appeal_facts_first" if first else "appeal_facts_again",
                                     self.lang, values))
        cite = arguments.citer(self.law, self.lang)
        out += [w.render(self.lang, values, cite) for w in arguments.wording(self.law, "appeal_answer", self.case)
                if kind in w.answers]
        return out

    def _ppnna_of(self, state: str | None) -> str:
        if not state:
            return ""
        where = f"de la {state}" if state in STATE_NAMES_WITHOUT_ESTADO else f"del Estado de {state}"
        return f"Procuraduría de Protección de Niñas, Niños y Adolescentes {where}"

    # ---- cambio de residencia ----------------------------------------------------
    def residence_change(self) -> dict[str, Any]:
        case = self.case
        move = case.proceedings.residence_change
        where = ", ".join(x for x in (move.to_city, move.to_state) if x)
        relatives = facts.relatives_at_destination(case)
        helpers = _Helpers(self.dc, self.lang, self.g)
        kin = []
        for r in relatives:
            word = helpers.kin(r)  # "tía" when the record gives the relative's sex
            kin.append(f"{r.full_name} ({word})" if word else r.full_name)
        office = OFFICE_BY_STATE.get(move.to_state or "", "")
        return {
            "where": where,
            "to_city": move.to_city or "",
            "to_state": move.to_state or "",
            # counsel's Spanish words: marked in the English mirror
            "reason": words.untranslated_paragraphs(paragraphs(move.reason), self.lang),
            "relatives": join_words(kin, self.lang),
            "has_relatives": bool(kin),
            "office": office,
            "from_state": case.child.placement.state or case.filing_state or "",
            "ppnna_to": self._ppnna_of(move.to_state),
        }
