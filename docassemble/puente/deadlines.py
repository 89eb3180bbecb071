"""The deadlines of one case (calendar.md), computed from the law data.

Pure functions of the case, the law and the calendar: nothing here reads the
clock. "As of" is the case's filing date (the date the documents carry), or
the date already filed with COMAR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar
from .law import DeadlineRule, Law
from .model import Case

COMAR_CLAIMS = ("asylum", "derivative_status")


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    date: date
    from_date: date
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


def _term_end(rule: DeadlineRule, start: date, calendar: WorkingCalendar, term: int | None = None) -> date:
    if rule.unit == "working_days":
        return calendar.add_working_days(start, term if term is not None else rule.term)
    try:
        return start.replace(year=start.year + rule.term)
    except ValueError:  # 29 February -> 28 February
        return start.replace(year=start.year + rule.term, day=28)


def compute(rule: DeadlineRule, start: date, as_of: date, calendar: WorkingCalendar, *, projected: bool = False,
            step: str = "due", term: int | None = None) -> Deadline:
    """One deadline from its trigger date, judged on ``as_of``; ``step`` says
    whether the step is still due (see ``Deadline.step``)."""
    end = _term_end(rule, start, calendar, term)
    if as_of > end and not rule.informational:
        late = calendar.working_days_between(end, as_of)
        return Deadline(rule, end, start, "past", late, projected, step, term)
    return Deadline(rule, end, start, "open", 0, projected, step, term)


def case_deadlines(case: Case, law: Law, calendar: WorkingCalendar) -> list[Deadline]:
    """Every deadline of ``calendar.md`` that the case's data allows."""
    rules = law.deadlines
    out: list[Deadline] = []
    procs = set(case.procedures)
    filed = case.proceedings.comar_filed_date
    as_of = case.filing_date

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
    return out


def step_state(*, done: bool, moot: bool) -> str:
    return "done" if done else ("not_applicable" if moot else "due")


def asylum_filing_deadline(case: Case, law: Law, calendar: WorkingCalendar) -> Deadline | None:
    return next((d for d in case_deadlines(case, law, calendar) if d.id == "asylum_filing"), None)
