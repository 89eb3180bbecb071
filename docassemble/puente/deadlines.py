"""The deadlines of one case (docs/deadlines.md), computed from the law data.

Pure functions of the case, the law and the calendar: nothing here reads the
clock. "As of" is the case's filing date (the date the documents carry), or
the date already filed with COMAR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar
from .law import TERM_UNITS, DeadlineRule, Law
from .model import Case

COMAR_CLAIMS = ("asylum", "derivative_status")


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    # dt.date: inside the class, "date" is this field's name.
    date: dt.date
    from_date: dt.date
    status: str  # open | past
    working_days_late: int = 0
    projected: bool = False  # counted from the planned filing date, not a recorded one
    # Whether the step the term is for is still to be taken: due | done |
    # not_applicable. Only a due step can be late (after-filing.md: a
    # ratification that happened is done, never "VENCIDO").
    step: str = "due"
    term: int | None = None  # the term actually applied, when the case sets it (a prevención's)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def basis(self) -> str:
        return self.rule.basis_text()

    @property
    def label(self):
        return self.rule.label

    @property
    def is_past(self) -> bool:
        return self.status == "past"

    @property
    def is_late(self) -> bool:
        """Past and still to be done: the only case shown as VENCIDO."""
        return self.is_past and self.step == "due"

    @property
    def term_length(self) -> int:
        return self.term if self.term is not None else self.rule.term

    def term_text(self, lang: str = "es") -> str:
        """'10 días hábiles' / '10 business days': the term applied to this
        case (a prevención's own term when the record gives it), not the
        rule's minimum. Every output that prints a term uses this."""
        one, several = TERM_UNITS[self.rule.unit][lang]
        return f"{self.term_length} {one if self.term_length == 1 else several}"

    @property
    def display_state(self) -> str:
        """How a screen or a document labels it: done | not_applicable |
        past | informational | projected (counted from the planned filing
        date) | open."""
        if self.step != "due":
            return self.step
        if self.is_past:
            return "past"
        if self.rule.informational:
            return "informational"
        return "projected" if self.projected else "open"

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "date": self.date.isoformat(),
            "basis": self.basis,
            "from": self.from_date.isoformat(),
            "working_days" if self.rule.unit == "working_days" else "years": self.term_length,
            "status": self.status,
        }
        if self.step != "due":
            out["step"] = self.step
        if self.is_late:
            out["working_days_late"] = self.working_days_late
        if self.rule.informational:
            out["informational"] = True
        if self.projected:
            out["projected"] = True
        out["label_es"] = self.rule.label.es
        out["label_en"] = self.rule.label.en
        return out


def add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February -> 28 February
        return start.replace(year=start.year + years, day=28)


def _term_end(rule: DeadlineRule, start: date, calendar: WorkingCalendar, term: int | None = None) -> date:
    if rule.unit == "working_days":
        return calendar.add_working_days(start, term if term is not None else rule.term)
    return add_years(start, rule.term)


def compute(rule: DeadlineRule, start: date, as_of: date, calendar: WorkingCalendar, *, projected: bool = False,
            step: str = "due", term: int | None = None) -> Deadline:
    """One deadline from its trigger date, judged on ``as_of``; ``step`` says
    whether the step is still due (see ``Deadline.step``)."""
    end = _term_end(rule, start, calendar, term)
    if as_of > end and not rule.informational:
        late = calendar.working_days_between(end, as_of)
        return Deadline(rule, end, start, "past", late, projected, step, term)
    return Deadline(rule, end, start, "open", 0, projected, step, term)


def coming_of_age(case: Case, law: Law, calendar: WorkingCalendar, on: date | None) -> Deadline | None:
    """The 18th birthday (LGDNNA art. 5), when it falls within a year of
    ``on`` either side (docs/after-filing.md: every output that shows deadlines
    shows it). Past on ``on``: the child has come of age."""
    dob = case.child.date_of_birth
    if dob is None or on is None:
        return None
    deadline = compute(law.deadlines["coming_of_age"], dob, on, calendar)
    if not add_years(on, -1) <= deadline.date <= add_years(on, 1):
        return None
    return deadline


def case_deadlines(case: Case, law: Law, calendar: WorkingCalendar, today: date | None = None) -> list[Deadline]:
    """Every deadline of ``docs/deadlines.md`` that the case's data allows.

    ``today`` is only the date the coming of age is measured from (default:
    the filing date); the terms are judged on the filing date as before."""
    rules = law.deadlines
    out: list[Deadline] = []
    procs = set(case.procedures)
    filed = case.proceedings.comar_filed_date
    as_of = case.filing_date
    if as_of is None:  # parse_case sets it (today when the record has none)
        raise ValueError(f"case {case.case_id}: deadlines need the filing date")

    pro = case.proceedings
    decided = pro.resolution.kind is not None or pro.refusal_notified is not None
    if procs & set(COMAR_CLAIMS) and case.child.entry_date:
        # Judged on the day it was filed; once filed, the step is done.
        out.append(compute(rules["asylum_filing"], case.child.entry_date, filed or as_of, calendar,
                           step="done" if filed else "due"))
    # A recorded filing with COMAR is an application for refugee status unless
    # the case is a family-reunification request.
    if procs & set(COMAR_CLAIMS) or (filed and "family_reunification" not in procs):
        start = filed or as_of
        # Ratification: these filings are presented by counsel for the child.
        # Done once ratified; moot once COMAR has decided.
        out.append(compute(rules["ratification"], start, as_of, calendar, projected=filed is None,
                           step=step_state(done=pro.ratified_date is not None, moot=decided)))
        out.append(compute(rules["comar_resolution"], start, as_of, calendar, projected=filed is None,
                           step="done" if decided else "due"))
    if pro.refusal_notified:
        out.append(compute(rules["review_appeal"], pro.refusal_notified, as_of, calendar,
                           step=step_state(done=pro.appeal_filed_date is not None, moot=False)))
    if pro.prevention_notified_date:
        # The term the prevención states (LFPA art. 17-A: at least 5 días
        # hábiles); a decision on the application makes the reply moot.
        out.append(compute(rules["prevention_reply"], pro.prevention_notified_date, as_of, calendar,
                           term=pro.prevention_term_days, step=step_state(done=False, moot=decided)))
    birthday = coming_of_age(case, law, calendar, today or as_of)
    if birthday is not None:
        out.append(birthday)
    return out


def step_state(*, done: bool, moot: bool) -> str:
    return "done" if done else ("not_applicable" if moot else "due")


def asylum_filing_deadline(case: Case, law: Law, calendar: WorkingCalendar) -> Deadline | None:
    return next((d for d in case_deadlines(case, law, calendar) if d.id == "asylum_filing"), None)


# --------------------------------------------------------------------------
# A deadline's state on a given day: the office's board and its reminders.
# The engine above says when a term ends and whether a step is settled
# (display_state); here only the distance from ``today`` is added.

STATES = ("overdue", "this_week", "next_30_days", "later", "done", "not_applicable")
STATE_LABELS = {
    "overdue": {"es": "Vencido", "en": "Overdue"},
    "this_week": {"es": "Esta semana", "en": "This week"},
    "next_30_days": {"es": "Próximos 30 días", "en": "Next 30 days"},
    "later": {"es": "Más adelante", "en": "Later"},
    "done": {"es": "Hecho", "en": "Done"},
    "not_applicable": {"es": "No aplica", "en": "Not applicable"},
}
SETTLED = ("done", "not_applicable")
THIS_WEEK_WORKING_DAYS = 4  # today and the next four working days: a working week
NEXT_DAYS = 30


def working_days_left(deadline: Deadline, today: date, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to the deadline: 0 on the day itself,
    negative when it has passed (the working days late, as the engine counts
    them)."""
    if deadline.date >= today:
        return calendar.working_days_between(today, deadline.date)
    return -calendar.working_days_between(deadline.date, today)


def state_on(deadline: Deadline, today: date, calendar: WorkingCalendar) -> str:
    """overdue | this_week | next_30_days | later | done | not_applicable.

    A settled step keeps the engine's state. A term that runs against the
    authority (informational, e.g. COMAR's 45 days) is never counsel's to
    miss: once past it is not applicable rather than overdue."""
    settled = deadline.display_state
    if settled in SETTLED:
        return settled
    if deadline.date < today:
        return "not_applicable" if deadline.rule.informational else "overdue"
    if working_days_left(deadline, today, calendar) <= THIS_WEEK_WORKING_DAYS:
        return "this_week"
    if (deadline.date - today).days <= NEXT_DAYS:
        return "next_30_days"
    return "later"
