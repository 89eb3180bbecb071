"""Flags: what a reviewer must see at once about a case (docs/cli.md).

Each flag has a stable id (used in manifests and tests) and a reason in
Spanish and English. Pure function of the case and its deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import facts
from .dates import long_date
from .deadlines import Deadline
from .documents.grammar import plural
from .law import Law, Text
from .model import Case

UNDER_12 = 12
COMING_OF_AGE_ALERT_DAYS = 90  # after-filing.md: in red within 90 days


@dataclass(frozen=True)
class Flag:
    id: str
    reason: Text
    severity: str = "warning"  # warning | danger


def case_flags(case: Case, deadlines: list[Deadline], law: Law) -> list[Flag]:
    out: list[Flag] = []
    lm99 = law.cite("lm_art99").short()
    filing = next((d for d in deadlines if d.id == "asylum_filing"), None)
    if filing and filing.is_past:
        out.append(Flag("late_filing", Text(
            f"Presentación extemporánea: el plazo de {filing.rule.term_text('es')} venció el "
            f"{long_date(filing.date, 'es')} "
            f"({filing.working_days_late} días hábiles de retraso); el escrito incluye la justificación.",
            f"Late filing: the time limit of {filing.rule.term_text('en')} ended on {long_date(filing.date, 'en')} "
            f"({filing.working_days_late} business days late); the filing includes the justification."), "danger"))
    appeal = next((d for d in deadlines if d.id == "review_appeal" and d.step == "due"), None)
    if appeal is not None:
        # The recurso leads every alert box of a refused case (after-filing.md).
        when_es = (f"venció el {long_date(appeal.date, 'es')} ({appeal.working_days_late} días hábiles de retraso)"
                   if appeal.is_past else f"vence el {long_date(appeal.date, 'es')}")
        when_en = (f"was due on {long_date(appeal.date, 'en')} ({appeal.working_days_late} business days late)"
                   if appeal.is_past else f"is due on {long_date(appeal.date, 'en')}")
        out.append(Flag("appeal_due", Text(
            f"Negativa de la COMAR notificada el {long_date(appeal.from_date, 'es')}: el recurso de revisión "
            f"{when_es}; no procede una nueva solicitud.",
            f"COMAR refusal notified on {long_date(appeal.from_date, 'en')}: the administrative appeal (recurso de "
            f"revisión) {when_en}; a new application is not the remedy."), "danger"))
    birthday = next((d for d in deadlines if d.id == "coming_of_age"), None)
    if birthday is not None and case.filing_date and birthday.date >= case.filing_date:
        days = (birthday.date - case.filing_date).days
        note = birthday.rule.note
        out.append(Flag("coming_of_age", Text(
            f"Cumple 18 años el {long_date(birthday.date, 'es')} (en {days} días). {note.es if note else ''}".strip(),
            f"Turns 18 on {long_date(birthday.date, 'en')} (in {days} days). {note.en if note else ''}".strip()),
            "danger" if days <= COMING_OF_AGE_ALERT_DAYS else "warning"))
    if case.screening.trafficking_indicators:
        n = len(case.screening.trafficking_indicators)
        out.append(Flag("trafficking_indicators", Text(
            f"{plural(n, 'indicador')} de trata de personas: valorar canalización a la Fiscalía especializada.",
            f"{plural(n, 'human-trafficking indicator', 'human-trafficking indicators')}: consider referral to the "
            f"specialized prosecutor."), "danger"))
    if case.child.placement.type == "inm_station":
        out.append(Flag("detained", Text(
            f"La NNA está en una estación migratoria: la ley prohíbe alojar a NNA en ellas ({lm99}).",
            f"The child is in a migration detention station: the law forbids holding children there ({lm99})."),
            "danger"))
    age = case.age
    if age is not None and age < UNDER_12:
        out.append(Flag("under_12", Text(
            f"Menor de 12 años ({age}): entrevista y comunicación adaptadas a su edad.",
            f"Under 12 ({age}): interview and communication adapted to the child's age.")))
    if case.child.needs_interpreter:
        out.append(Flag("needs_interpreter", Text(
            "Necesita intérprete en cada diligencia.", "Needs an interpreter at every step.")))
    if facts.documents_state(case) == "none":
        out.append(Flag("no_identity_documents", Text(
            "Sin documentos de identidad: su declaración y otras pruebas suplen el documento.",
            "No identity documents: the child's statement and other evidence stand in for them.")))
    # The PPNNA facts are asked (and recorded) only for the coadyuvante
    # procedure: a case without it says nothing about them, so no alert.
    ppnna = "coadyuvante" in case.procedures
    if ppnna and case.coadyuvante.restitution_plan_date is None:
        out.append(Flag("restitution_plan_missing", Text(
            "La Procuraduría de Protección no ha emitido el plan de restitución de derechos.",
            "The PPNNA has not issued the rights-restitution plan.")))
    # Consistency warnings (issue 11): what the record says that a filing
    # must not state as if it agreed.
    if "asylum" in case.procedures and not facts.fear_grounded(case):
        out.append(Flag("fear_not_grounded", Text(
            "El expediente no dice quién amenaza a la NNA ni qué ocurrió: la solicitud no afirma un temor fundado; "
            "la lista de verificación dice qué falta.",
            "The record does not say who threatens the child or what happened: the application does not assert a "
            "well-founded fear; the checklist says what is missing."), "danger"))
    principal = case.principal_refugee
    if principal is not None and facts.principal_elsewhere(case):
        out.append(Flag("principal_elsewhere", Text(
            f"La persona refugiada principal está en {principal.location_city} y la NNA en "
            f"{case.child.placement.city}: el escrito no dice que vivan juntas"
            + ("; revise el dato «vive con la NNA»." if principal.lives_with_child else "."),
            f"The principal refugee is in {principal.location_city} and the child in {case.child.placement.city}: "
            "the filing does not say they live together"
            + ("; check the 'lives with the child' entry." if principal.lives_with_child else "."))))
    supported = facts.minor_supports_relative(case)
    if supported:
        age = case.age
        out.append(Flag("minor_supports_relative", Text(
            f"Según el expediente, {len(supported)} familiar(es) dependen económicamente de la NNA refugiada"
            f"{f', de {age} años' if age is not None else ''}: confírmelo; una persona menor de edad no está obligada "
            "a sostener a su familia.",
            f"The record says {len(supported)} relative(s) depend economically on the child refugee"
            f"{f', aged {age}' if age is not None else ''}: confirm it; a child is not bound to support the family.")))
    if ppnna and not case.coadyuvante.child_heard:
        out.append(Flag("child_not_heard", Text(
            "La NNA no ha sido escuchada por la Procuraduría de Protección.",
            "The child has not been heard by the PPNNA.")))
    return out
