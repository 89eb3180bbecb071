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

from ..dates import long_date
from ..stage import case_stage, days_left
from .filings import STATE_NAMES_WITHOUT_ESTADO, _Helpers
from .grammar import child_grammar
from .phrases import join_words, language_name, paragraphs

if TYPE_CHECKING:  # types only: context imports this module
    from ..model import EvidenceItem
    from .context import DocumentContext

# Who can grant, with the child, the carta poder: the persons who exercise
# the child's representación originaria (LGDNNA art. 4).
ORIGINARY = ("mother", "father", "legal_guardian")

# COMAR's offices by the state they sit in: where the file of a child who
# moves is sent. States with several offices are left to counsel.
OFFICE_BY_STATE = {
    "Nuevo León": "Monterrey", "Baja California": "Tijuana", "Jalisco": "Guadalajara",
    "Coahuila": "Saltillo", "Chihuahua": "Ciudad Juárez", "Quintana Roo": "Cancún",
    "Querétaro": "Querétaro", "Ciudad de México": "Ciudad de México", "Veracruz": "Acayucan",
}

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

STOPWORDS = {"de", "del", "la", "el", "los", "las", "y", "o", "en", "que", "por", "con", "para", "una", "un",
             "su", "sus", "al", "copia", "documento", "original", "acta", "the", "of", "and", "a", "an"}


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
            "alternatives": [{"label": d.rule.label[self.lang], "date": self.date(d.date),
                              "term": self.t(f"{d.term_length} días hábiles", f"{d.term_length} business days"),
                              # the basis, with what the rule adds (amparo: at any time against deportation)
                              "basis": d.rule.basis_text(self.lang)
                              + (f"; {d.rule.note[self.lang]}" if d.rule.note else ""),
                              "days_left": days_left(d, as_of, self.dc.calendar), "past": d.is_past}
                             for d in stage.alternatives],
        }

    # ---- carta poder --------------------------------------------------------
    def carta_poder(self) -> dict[str, Any]:
        """Who grants it with the child: a parent or guardian present in
        Mexico with the child (the record says so), otherwise the
        Procuraduría de Protección, in its representation en suplencia."""
        case, g = self.case, self.g
        parent = None
        if case.child.accompaniment == "accompanied":
            parent = next((r for r in case.family if r.relationship in ORIGINARY and r.in_mexico), None)
        if parent is not None:
            kin = self.law.term("relationships", parent.relationship or "mother")[self.lang]
            sex = getattr(parent, "sex", None)
            if parent.relationship in ("mother", "father"):
                kin = {"mother": self.t("madre", "mother"), "father": self.t("padre", "father")}[parent.relationship]
            elif sex in ("F", "M"):
                kin = self.t("tutora" if sex == "F" else "tutor", "guardian")
            return {
                "by_parent": True,
                "assistant": parent.full_name,
                "assistant_upper": parent.full_name.upper(),
                "assisted": self.t(f", asistid{g.o_a} por mi {kin}, {parent.full_name}, quien ejerce mi representación "
                                   f"originaria y firma también este documento",
                                   f", assisted by my {kin}, {parent.full_name}, who exercises my original "
                                   f"representation and also signs this document"),
                "assistant_role": self.t(f"{kin.capitalize()} de la persona otorgante", f"The grantor's {kin}"),
            }
        name = self._ppnna_name()
        return {
            "by_parent": False,
            "assistant": name,
            "assistant_upper": name.upper(),
            "assisted": self.t(f", asistid{g.o_a} por la {name}, en ejercicio de la representación en suplencia que le "
                               f"confieren {self.cites('lgdnna_art4', 'lgdnna_art106')}",
                               f", assisted by the {name}, exercising the representation in substitution (en "
                               f"suplencia) conferred on it by {self.cites('lgdnna_art4', 'lgdnna_art106')}"),
            "assistant_role": self.t("Por la Procuraduría de Protección (representación en suplencia)",
                                     "For the Procuraduría de Protección (representation en suplencia)"),
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
            if found is not None:
                used.add(id(found))
                out.append({"text": text, "annex": found.description, "pending": "", "cured": True})
                continue
            waiting = match_evidence(text, pending)
            out.append({"text": text, "annex": "", "pending": waiting.description if waiting else "", "cured": False})
        return out

    # ---- recurso de revisión ------------------------------------------------
    def appeal(self) -> dict[str, Any]:
        """One agravio per ground of the refusal, answered with the case's
        facts, then the child-specific agravios the record supports."""
        case, g = self.case, self.g
        res = case.proceedings.resolution
        agravios = []
        for n, text in enumerate(res.grounds):
            kind = ground_kind(text)
            agravios.append({"ground": text.strip().rstrip("."), "kind": kind, "title": self.ground_title(kind),
                             "answer": self.answer(kind, first=n == 0)})
        child = []
        co = case.coadyuvante
        if not co.child_heard:
            child.append(self.t(
                f"Falta de escucha adecuada a su edad. La resolución se dictó sin que conste en el expediente que "
                f"{g.nna} haya sido escuchad{g.o_a} por la Procuraduría de Protección en un entorno y con un lenguaje "
                f"adecuados a su edad y madurez, lo que viola su derecho a ser escuchad{g.o_a} en todo procedimiento "
                "que "
                f"l{g.o_a} afecte, reconocido en el {self.cite('cdn_art12')} y en el {self.cite('lgdnna_art92')}.",
                f"Failure to hear the {g.noun_en} in a manner suited to {g.possessive} age. The decision was issued "
                f"without any record in the file that the {g.noun_en} was heard by the Procuraduría de Protección in a "
                f"setting and language suited to {g.possessive} age and maturity, in breach of {g.possessive} right to "
                f"be heard in every procedure affecting {g.object}, recognized in {self.cite('cdn_art12')} and "
                f"{self.cite('lgdnna_art92')}."))
        if co.restitution_plan_date is None:
            child.append(self.t(
                f"Omisión de determinar el interés superior de la niñez. No consta que, antes de resolver, se haya "
                f"evaluado y determinado el interés superior {g.del_nna}, ni que la Procuraduría de Protección haya "
                f"emitido el plan de restitución de derechos; el {self.cite('cpeum_art4')} y el "
                f"{self.cite('cdn_art3')} "
                f"obligan a que ese interés sea la consideración primordial de toda decisión que l{g.o_a} afecte, y "
                "una "
                f"negativa dictada sin esa evaluación carece de la motivación reforzada que exige.",
                f"Failure to determine the child's best interests. There is no record that, before deciding, the "
                f"best interests of the {g.noun_en} were assessed and determined, nor that the Procuraduría de "
                f"Protección issued the rights-restitution plan; {self.cite('cpeum_art4')} and {self.cite('cdn_art3')} "
                f"require those interests to be the primary consideration in every decision affecting {g.object}, and "
                f"a refusal issued without that assessment lacks the heightened reasoning it requires."))
        if case.child.needs_interpreter:
            lang_name = language_name(case.child.languages[0], self.lang) if case.child.languages else ""
            child.append(self.t(
                f"Intérprete. {g.nna.capitalize()} necesita intérprete{' de ' + lang_name if lang_name else ''}. Toda "
                f"declaración rendida sin esa asistencia, y en particular la entrevista de elegibilidad, no puede "
                f"sustentar válidamente una negativa, pues el {self.cite('lgdnna_art92')} garantiza a niñas, niños y "
                "adolescentes migrantes la asistencia de intérprete o traductor en todo procedimiento; en la medida "
                "en "
                f"que la resolución se apoye en declaraciones obtenidas sin intérprete, debe revocarse.",
                f"Interpreter. The {g.noun_en} needs an interpreter{' of ' + lang_name if lang_name else ''}. No "
                f"statement taken without that assistance, and in particular the eligibility interview, can validly "
                f"support a refusal, since {self.cite('lgdnna_art92')} guarantees migrant children an interpreter or "
                f"translator in every procedure; insofar as the decision rests on statements taken without an "
                f"interpreter, it must be revoked."))
        if not (co.expediente or co.notified_date):
            child.append(self.t(
                "Falta de representación coadyuvante. No consta en el expediente la intervención de la Procuraduría "
                "de "
                f"Protección como representante coadyuvante {g.del_nna} en el procedimiento, que el "
                f"{self.cite('lgdnna_art106')} exige en todo procedimiento administrativo que involucre a una persona "
                f"menor de edad; su ausencia vicia el procedimiento y la resolución que lo concluye.",
                f"Lack of contributory representation. The file does not record the participation of the Procuraduría "
                f"de Protección as the {g.noun_en}’s contributory representative (coadyuvante) in the procedure, which "
                f"{self.cite('lgdnna_art106')} requires in every administrative procedure involving a child; its "
                f"absence taints the procedure and the decision that ends it."))
        if res.kind == "refused":
            child.append(self.t(
                f"Omisión de analizar la protección complementaria. La resolución niega la condición de refugiado sin "
                f"otorgar {g.al_nna} protección complementaria. El {self.cite('lsrpcap_art28')} la prevé para quien, "
                f"sin encontrarse en los supuestos del artículo 13, requiere protección para no ser devuelto a un país "
                f"donde su vida se vería amenazada o correría peligro de ser sometido a tortura u otros tratos o penas "
                f"crueles, inhumanos o degradantes; al negar la condición de refugiado, esa Comisión debía analizarla, "
                f"y el riesgo que enfrentaría {g.nna} en caso de regresar, expuesto en los hechos, actualiza ese "
                f"supuesto.",
                f"Failure to consider complementary protection. The decision refuses refugee status without granting "
                f"the {g.noun_en} complementary protection. "
                f"{self._upper_first(self.cite('lsrpcap_art28'))} provides it for "
                f"a person who, without meeting the conditions of article 13, needs protection from being returned to "
                f"a country where their life would be threatened or where they would be in danger of torture or other "
                f"cruel, inhuman or degrading treatment or punishment; in refusing refugee status, the Commission had "
                f"to consider it, and the risk the {g.noun_en} would face on return, set out in the facts, meets that "
                f"condition."))
        return {"agravios": agravios, "child_agravios": child,
                "next_office": OFFICE_BY_STATE.get(case.proceedings.residence_change.to_state or "", "")}

    @staticmethod
    def _upper_first(text: str) -> str:
        return text[:1].upper() + text[1:]

    def ground_title(self, kind: str) -> str:
        titles = {
            "late": ("Sobre la oportunidad de la solicitud", "On the timeliness of the application"),
            "credibility": ("Sobre la valoración de la credibilidad", "On the assessment of credibility"),
            "relocation": ("Sobre la supuesta alternativa de reubicación interna",
                           "On the supposed internal relocation alternative"),
            "state_protection": ("Sobre la protección del Estado de origen", "On protection by the State of origin"),
            "nexus": ("Sobre el motivo de la persecución", "On the reason for the persecution"),
            "fear": ("Sobre el temor fundado", "On the well-founded fear"),
            "other": ("Indebida valoración de los hechos", "Improper assessment of the facts"),
        }
        return titles[kind][0 if self.es else 1]

    def _facts(self) -> str:
        """The case's own facts, in one sentence: the dated events, the
        persecutors, the fear of return (only what the record holds)."""
        case, g = self.case, self.g
        parts = []
        events = [e for e in case.claim.events if e.description]
        if events:
            listed = "; ".join(
                (f"{self.date(e.date)}{', ' + e.place if e.place else ''}: " if e.date
                 else (f"{e.place}: " if e.place else ""))
                + (e.description or "").rstrip(".") for e in events)
            parts.append(self.t(f"los hechos que {g.nna} relató ({listed})",
                                f"the events the {g.noun_en} described ({listed})"))
        if case.claim.persecutors:
            parts.append(self.t(f"la identidad de sus agentes de persecución ({case.claim.persecutors.rstrip('.')})",
                                f"who {g.possessive} persecutors are ({case.claim.persecutors.rstrip('.')})"))
        if case.claim.fear_of_return:
            parts.append(self.t("su temor de regresar", f"{g.possessive} fear of return"))
        return join_words(parts, self.lang)

    def answer(self, kind: str, first: bool = True) -> list[str]:
        """The paragraphs that answer one ground, with the case's facts (set
        out in full in the first agravio, referred to in the others)."""
        case, g = self.case, self.g
        facts = self._facts()
        age = case.age
        age_es = f"de {age} años" if age is not None else "menor de edad"
        age_en = f"{age} years old" if age is not None else "a child"
        grounds = [self.law.term("grounds", x)[self.lang] for x in case.claim.grounds]
        out = []
        if facts and first:
            out.append(self.t(
                f"La resolución no valora debidamente {facts}, que obran en el expediente y que la autoridad debía "
                f"examinar en su conjunto.",
                f"The decision does not properly weigh {facts}, all of which are in the file and which the authority "
                f"had to examine as a whole."))
        elif facts:
            out.append(self.t(
                "Los hechos precisados en el agravio primero, que obran en el expediente, desvirtúan también esta "
                "consideración.",
                "The facts set out in the first ground of appeal, which are in the file, also refute this "
                "consideration."))
        dated = [self.date(e.date) for e in case.claim.events if e.date]
        if kind == "credibility" and dated:
            out.append(self.t(
                f"Aun si existieran imprecisiones en las fechas, no restan credibilidad a lo esencial del relato: los "
                f"hechos del {join_words(dated, 'es')}, que constan en el expediente.",
                f"Even if there were imprecisions in the dates, they do not undermine the core of the account: the "
                f"events of {join_words(dated, 'en')}, which are in the file."))
        if kind in ("credibility", "fear", "other"):
            out.append(self.t(
                f"Tratándose de una persona {age_es}, la credibilidad y el temor fundado no pueden medirse con el "
                f"estándar que se aplicaría a una persona adulta: "
                f"{g.al_nna} le asiste el beneficio de la duda y un estándar de prueba atenuado, y las imprecisiones "
                "de su "
                f"relato deben apreciarse a la luz de su edad, su madurez, el tiempo transcurrido y el trauma vivido, "
                f"en atención a su interés superior ({self.cite('cdn_art3')}).",
                f"For a person who is {age_en}, credibility and well-founded fear cannot be measured against the "
                f"standard that would apply to an adult: the {g.noun_en} is "
                f"entitled to the benefit of the doubt and a lower standard of proof, and any imprecision in "
                f"{g.possessive} account must be assessed in light of {g.possessive} age, maturity, the time elapsed "
                f"and the trauma suffered, in {g.possessive} best interests ({self.cite('cdn_art3')})."))
        if kind in ("nexus", "fear") and grounds:
            out.append(self.t(
                f"Los hechos se ubican en los supuestos del {self.cite('lsrpcap_art13')} invocados en la solicitud "
                f"({join_words(grounds, 'es')}); la resolución no explica por qué no se actualizan.",
                f"The facts fall within the grounds of {self.cite('lsrpcap_art13')} invoked in the application "
                f"({join_words(grounds, 'en')}); the decision does not explain why they are not met."))
        if kind == "relocation":
            out.append(self.t(
                f"No puede exigirse a una persona {age_es}, sin una persona adulta que l{g.o_a} cuide en su país, "
                f"que se reubique por sí sol{g.o_a} en otra región: una alternativa de reubicación interna solo es "
                f"razonable si es segura y accesible para {g.nna} en atención a su interés superior "
                f"({self.cite('cdn_art3')}), y la resolución no lo acredita.",
                f"A person who is {age_en}, with no adult to care for {g.object} in {g.possessive} country, cannot be "
                f"required to relocate alone to another region: an internal relocation alternative is reasonable only "
                f"if it is safe and accessible for the {g.noun_en} in {g.possessive} best interests "
                f"({self.cite('cdn_art3')}), and the decision does not show that it is."))
        if kind == "state_protection":
            out.append(self.t(
                f"No puede exigirse a {g.nna} que haya acudido a las autoridades de su país, ni deducirse de ello la "
                f"falta de temor: la protección del Estado debe ser efectiva y accesible para una persona "
                f"{age_es}, y la resolución no acredita que lo sea frente a los agentes de persecución señalados.",
                f"The {g.noun_en} cannot be required to have gone to the authorities of {g.possessive} country, nor "
                f"can a lack of fear be inferred from it: State protection must be effective and accessible to a "
                f"person who is {age_en}, and the decision does not show that it is against the persecutors named."))
        if kind == "late":
            out.append(self.t(
                f"El término del {self.cite('lsrpcap_art18')} corre desde que fue materialmente posible presentar la "
                f"solicitud, y el interés superior de la niñez ({self.cite('cpeum_art4')}; {self.cite('cdn_art3')}) "
                f"prevalece sobre un término procesal que una persona {age_es} no estuvo en condiciones de cumplir.",
                f"The time limit of {self.cite('lsrpcap_art18')} runs from when filing became materially possible, "
                f"and the "
                f"best interests of the child ({self.cite('cpeum_art4')}; {self.cite('cdn_art3')}) prevail over a "
                f"procedural time limit that a person who is {age_en} was in no position to meet."))
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
        folded_city = _fold(move.to_city or "")
        relatives = [r for r in case.family
                     if r.location_city and folded_city and _fold(r.location_city) == folded_city]
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
            "reason": paragraphs(move.reason),
            "relatives": join_words(kin, self.lang),
            "has_relatives": bool(kin),
            "office": office,
            "from_state": case.child.placement.state or case.filing_state or "",
            "ppnna_to": self._ppnna_of(move.to_state),
        }
