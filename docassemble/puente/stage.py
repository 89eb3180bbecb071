"""Where a case stands and what it needs next (after-filing.md).

One function, ``case_stage``, reads the record's ``proceedings`` and says
which escrito the case needs now and why, in Spanish and English. The
intake recommends from it, the batch produces from it, and the validator
uses ``stage_problems`` to warn when a ``procedures`` list contradicts it
(a refused case gets the recurso de revisión, never a new application).

Pure functions of the case, the law and the calendar: nothing here reads
the clock. "Today" is the case's filing date (the date the documents carry,
``--today`` by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import WorkingCalendar
from .dates import long_date
from .deadlines import Deadline, compute
from .errors import Problem
from .i18n import N_
from .law import Law, Text
from .model import AFTER_FILING, ON_REQUEST, Case

# First applications before COMAR: once COMAR has the case, they are not
# filed again; a refused case gets the recurso instead.
NEW_APPLICATION = "asylum"
# Every escrito addressed to COMAR; when counsel files one, the carta poder
# (LFPA art. 19) goes with it.
COMAR_FILINGS = ("asylum", "derivative_status", "family_reunification") + AFTER_FILING
# The alternatives to the recurso that the checklist names with their terms
# (law/deadlines.yml), counted from the same notification.
ALTERNATIVES = ("nulidad_filing", "amparo_filing")


@dataclass(frozen=True)
class Step:
    """One escrito the case needs, with the reason and its deadline."""

    kind: str
    reason: Text
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Stage:
    # to_file | filed | ratification_due | prevention_due | refused | appealed |
    # granted | complementary | abandoned
    code: str
    summary: Text
    steps: tuple[Step, ...] = ()
    alternatives: tuple[Deadline, ...] = field(default=())

    @property
    def documents(self) -> list[str]:
        return [s.kind for s in self.steps]

    @property
    def refused(self) -> bool:
        return self.code in ("refused", "appealed")


def _filed(case: Case) -> bool:
    """The application is recorded as filed (a file number alone may come
    from a pre-registration: it does not say the escrito was filed)."""
    return case.proceedings.comar_filed_date is not None


def _d(day: date | None, lang: str) -> str:
    return long_date(day, lang)


def case_stage(case: Case, law: Law, calendar: WorkingCalendar) -> Stage:
    """What the case needs next, and why."""
    pro = case.proceedings
    res = pro.resolution
    as_of = case.filing_date
    if as_of is None:  # parse_case sets it (today when the record has none); nothing here reads the clock
        raise ValueError(f"case {case.case_id}: the stage needs the filing date")
    rules = law.deadlines
    number = res.number or ""
    num_es = f" {number}" if number else ""
    case_no = pro.comar_case_number or ""
    in_es = f" en el expediente {case_no}" if case_no else ""
    in_en = f" in file {case_no}" if case_no else ""

    refused_on = pro.refusal_notified
    if refused_on is not None:
        appeal = compute(rules["review_appeal"], refused_on, as_of, calendar,
                         step="done" if pro.appeal_filed_date else "due")
        alternatives = tuple(compute(rules[r], refused_on, as_of, calendar) for r in ALTERNATIVES if r in rules)
        if pro.appeal_filed_date:
            return Stage("appealed", Text(
                f"La COMAR negó la condición de refugiado (resolución{num_es}, notificada el {_d(refused_on, 'es')}) "
                "y el "
                f"recurso de revisión se interpuso el {_d(pro.appeal_filed_date, 'es')}: esperar su resolución y "
                "vigilar "
                f"que no se ejecute ninguna devolución mientras se resuelve.",
                f"COMAR refused refugee status (resolution{(' ' + number) if number else ''}, notified on "
                f"{_d(refused_on, 'en')}) and the appeal (recurso de revisión) was filed on "
                f"{_d(pro.appeal_filed_date, 'en')}: await its decision and make sure no removal takes place "
                "meanwhile."),
                (), alternatives)
        days = _days_left(appeal, as_of, calendar)
        if appeal.is_past:
            when_es = (f"el plazo de 15 días hábiles venció el {_d(appeal.date, 'es')} "
                       f"({appeal.working_days_late} días "
                       f"hábiles de retraso): presentarlo de inmediato y valorar el juicio de nulidad o el amparo")
            when_en = (f"the 15-business-day time limit ended on {_d(appeal.date, 'en')} "
                       f"({appeal.working_days_late} business "
                       f"days late): file it at once and weigh the annulment action or amparo")
        else:
            when_es = f"vence el {_d(appeal.date, 'es')} ({days} días hábiles restantes)"
            when_en = f"due {_d(appeal.date, 'en')} ({days} business days left)"
        reason = Text(
            f"La COMAR negó la condición de refugiado (resolución{num_es}, notificada el {_d(refused_on, 'es')}): "
            "procede "
            f"el recurso de revisión, nunca una nueva solicitud; {when_es}.",
            f"COMAR refused refugee status (resolution{(' ' + number) if number else ''}, notified on "
            f"{_d(refused_on, 'en')}): the remedy is the administrative appeal (recurso de revisión), never a new "
            f"application; {when_en}.")
        return Stage("refused", reason, (Step("review_appeal", reason, appeal),), alternatives)

    if res.kind == "granted":
        return Stage("granted", Text(
            f"La COMAR reconoció la condición de refugiado (resolución{num_es}){in_es}: no hay escrito pendiente en "
            f"este procedimiento; valorar la reunificación familiar.",
            f"COMAR recognized refugee status (resolution{(' ' + number) if number else ''}){in_en}: no escrito is "
            f"pending in this procedure; consider family reunification."))
    if res.kind == "complementary":
        return Stage("complementary", Text(
            f"La COMAR otorgó protección complementaria (resolución{num_es}){in_es} y no la condición de refugiado: "
            f"la persona abogada valora recurrir la negativa de la condición de refugiado dentro de 15 días hábiles "
            f"desde la notificación.",
            f"COMAR granted complementary protection (resolution{(' ' + number) if number else ''}){in_en}, not "
            f"refugee status: counsel weighs appealing the refusal of refugee status within 15 business days of "
            f"notification."))
    if res.kind == "abandoned":
        return Stage("abandoned", Text(
            f"La COMAR tuvo por abandonado el trámite (resolución{num_es}){in_es}: Puente no produce un escrito para "
            f"esta etapa; la persona abogada decide el siguiente paso con la NNA.",
            f"COMAR declared the application abandoned (resolution{(' ' + number) if number else ''}){in_en}: Puente "
            f"produces no escrito for this stage; counsel decides the next step with the child."))

    if not _filed(case):
        return Stage("to_file", Text(
            "El caso aún no se presenta ante la COMAR: se preparan los escritos de los procedimientos elegidos.",
            "The case has not been filed with COMAR yet: the filings of the chosen procedures are prepared."),
            tuple(_residence_step(case) or ()))

    steps: list[Step] = []
    code = "filed"
    if pro.prevention_notified_date:
        reply = compute(rules["prevention_reply"], pro.prevention_notified_date, as_of, calendar,
                        term=pro.prevention_term_days)
        term = reply.term_length
        steps.append(Step("prevention_reply", Text(
            f"La COMAR previno{in_es} el {_d(pro.prevention_notified_date, 'es')}: desahogar la prevención dentro de "
            f"{term} días hábiles, a más tardar el {_d(reply.date, 'es')}, o el escrito se tendrá por no presentado.",
            f"COMAR issued a prevención (request to cure){in_en} on {_d(pro.prevention_notified_date, 'en')}: reply "
            f"within {term} business days, by {_d(reply.date, 'en')}, or the filing will be discarded."), reply))
        code = "prevention_due"
    if pro.comar_filed_date and pro.ratified_date is None and _counsel_filed(case) and _refugee_application(case):
        rat = compute(rules["ratification"], pro.comar_filed_date, as_of, calendar)
        steps.append(Step("ratification", Text(
            f"La solicitud presentada por representante el {_d(pro.comar_filed_date, 'es')}{in_es} no consta "
            f"ratificada: la NNA debe ratificarla dentro de 3 días hábiles (a más tardar el {_d(rat.date, 'es')}).",
            f"The application filed by a representative on {_d(pro.comar_filed_date, 'en')}{in_en} is not recorded "
            f"as ratified: the child must ratify it within 3 business days (by {_d(rat.date, 'en')})."), rat))
        if code == "filed":
            code = "ratification_due"
    steps += _residence_step(case) or []
    if not steps:
        return Stage("filed", Text(
            f"La solicitud está en trámite ante la COMAR{in_es}: no hay escrito pendiente; esperar la resolución.",
            f"The application is pending before COMAR{in_en}: no escrito is pending; await the decision."))
    summary = steps[0].reason
    return Stage(code, summary, tuple(steps))


def _refugee_application(case: Case) -> bool:
    """What COMAR has is an application for refugee status (the one a child
    ratifies), not only a family-reunification request."""
    procs = set(case.procedures)
    return bool(procs & {"asylum", "derivative_status"}) or "family_reunification" not in procs


def _counsel_filed(case: Case) -> bool:
    """The application was filed by counsel (these filings always are, when
    the record names a representative)."""
    rep = case.representative
    return bool(rep.given_names or rep.family_names)


def _residence_step(case: Case) -> list[Step] | None:
    move = case.proceedings.residence_change
    if not (move.to_city or move.to_state):
        return None
    where = ", ".join(x for x in (move.to_city, move.to_state) if x)
    return [Step("residence_change", Text(
        f"La NNA debe cambiar su residencia a {where} antes de que la COMAR resuelva: pedir la autorización y el "
        f"traslado del expediente a la oficina que corresponda.",
        f"The child must move to {where} before COMAR decides: ask for authorization and for the file to be "
        f"transferred to the office that covers the new place."))]


def _days_left(deadline: Deadline, as_of: date, calendar: WorkingCalendar) -> int:
    if deadline.date < as_of:
        return 0
    return calendar.working_days_between(as_of, deadline.date)


def days_left(deadline: Deadline, as_of: date, calendar: WorkingCalendar) -> int:
    """Working days from ``as_of`` to the deadline (0 on the day, and after)."""
    return _days_left(deadline, as_of, calendar)


def fitted_procedures(case: Case, stage: Stage) -> list[str]:
    """The procedures of the case once the stage is heard: an after-filing
    escrito the stage does not call for is dropped, one it needs is added
    (``stage_problems`` warns of both). A first application stays, for its
    checklist; ``documents_to_produce`` decides whether it is produced."""
    out = [p for p in case.procedures if p not in AFTER_FILING or p in stage.documents]
    # a reply to a prevención answers its items: without them it is not produced
    # (stage_problems asks for them), but the checklist still leads with it
    ready = [k for k in stage.documents if k != "prevention_reply" or case.proceedings.prevention_items]
    return out + [k for k in ready if k not in out]


def documents_to_produce(case: Case, stage: Stage) -> list[str]:
    """The escritos of this run: the fitted procedures, less a first
    application COMAR already has."""
    return [p for p in fitted_procedures(case, stage)
            if not (p == NEW_APPLICATION and stage.code != "to_file")]


def needs_carta_poder(case: Case, kinds: list[str]) -> bool:
    """Every COMAR filing by counsel carries its carta poder (LFPA art. 19);
    counsel may also ask for it on its own (``ON_REQUEST``)."""
    return _counsel_filed(case) and any(k in COMAR_FILINGS or k in ON_REQUEST for k in kinds)


def stage_problems(case: Case, law: Law, calendar: WorkingCalendar) -> list[Problem]:
    """Where ``procedures`` contradicts the stage: an error for a new
    application in a refused case, or for an escrito the record gives no
    ground for; a warning when something listed is left out or something
    the case needs is added. Messages carry dates and codes only (they go
    into manifests): never a name or a file number."""
    stage = case_stage(case, law, calendar)
    pro = case.proceedings
    out: list[Problem] = []

    def err(path: str, message: str, **params) -> None:
        out.append(Problem(path, message, params))

    def warn(message: str, **params) -> None:
        out.append(Problem("procedures", message, params, severity="warning"))

    procs = set(case.procedures)
    appeal = next((s.deadline for s in stage.steps if s.kind == "review_appeal"), None)
    if NEW_APPLICATION in procs:
        if stage.refused:
            err("procedures", N_(
                "COMAR refused this application (notified {notified}): a new application is not the remedy. Replace "
                "'asylum' with 'review_appeal' (the recurso de revisión, due {deadline}) in the procedures."),
                notified=pro.refusal_notified.isoformat() if pro.refusal_notified else "-",
                deadline=appeal.date.isoformat() if appeal else "-")
        elif pro.resolution.kind:
            warn(N_("COMAR has already decided this application ('{kind}'): the application is not produced again."),
                 kind=pro.resolution.kind)
        elif _filed(case):
            warn(N_("The application is already before COMAR (filed {filed}): it is not produced again; the "
                    "checklist says what the case needs now."),
                 filed=pro.comar_filed_date.isoformat() if pro.comar_filed_date else "-")
    if "review_appeal" in procs:
        if pro.refusal_notified is None:
            err("proceedings.resolution.kind", N_(
                "A recurso de revisión needs the refusal: give proceedings.resolution with kind 'refused' and its "
                "notified_date (or proceedings.refusal_notified_date)."))
        elif pro.appeal_filed_date:
            warn(N_("The recurso de revisión was already filed ({filed}): it is not produced again."),
                 filed=pro.appeal_filed_date.isoformat())
    if "prevention_reply" in procs:
        if not pro.prevention_notified_date:
            err("proceedings.prevention_notified_date", N_(
                "A reply to a prevención needs the date it was notified (and what it asks for, prevention_items)."))
        elif not pro.prevention_items:
            err("proceedings.prevention_items", N_(
                "Say what the prevención asks for (one item each): the reply answers each item in order."))
        elif "prevention_reply" not in stage.documents:
            warn(N_("COMAR has already decided the application: the reply to the prevención is not produced."))
    elif "prevention_reply" in stage.documents and not pro.prevention_items:
        out.append(Problem("proceedings.prevention_items", N_(
            "A prevención was notified but what it asks for is not recorded: give prevention_items (one item each) "
            "and the reply is produced."), severity="warning"))
    if "ratification" in procs:
        if not pro.comar_filed_date:
            err("proceedings.comar_filed_date", N_(
                "A ratification needs the date the application was filed with COMAR."))
        elif "ratification" not in stage.documents:
            warn(N_("The application is ratified or already decided: the ratification is not produced."))
    if "residence_change" in procs and "residence_change" not in stage.documents:
        err("proceedings.residence_change.to_city", N_(
            "A change of residence needs the city and state the child moves to, and the reason."))
    if "residence_change" in stage.documents and not pro.residence_change.reason:
        err("proceedings.residence_change.reason", N_(
            "Give the reason for the change of residence: the escrito states it."))
    if stage.code in ("granted", "complementary", "abandoned", "refused", "appealed", "filed", "prevention_due",
                      "ratification_due") and not pro.comar_case_number:
        if set(stage.documents) or stage.code != "filed":
            warn(N_("The COMAR file number (proceedings.comar_case_number) is missing: the escritos after the "
                    "first filing cite it."))
    for step in stage.steps:
        if step.kind == "prevention_reply" and not pro.prevention_items:
            continue  # warned above; not produced
        if step.kind not in procs:
            warn(N_("The case needs '{procedure}', which the procedures do not list: it is produced (due {deadline})."),
                 procedure=step.kind, deadline=step.deadline.date.isoformat() if step.deadline else "-")
    return out
