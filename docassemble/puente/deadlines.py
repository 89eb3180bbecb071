"""The deadlines of one case (calendar.md), computed from the law data.

Pure functions of the case, the law and the calendar: nothing here reads the
clock. "As of" is the case's filing date (the date the documents carry), or
the date already filed with COMAR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar
from .law import DeadlineRule, Law
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
    def display_state(self) -> str:
        """How a screen or a document labels it: past | informational |
        projected (counted from the planned filing date) | open."""
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
            "working_days" if self.rule.unit == "working_days" else "years": self.rule.term,
            "status": self.status,
        }
        if self.is_past:
            out["working_days_late"] = self.working_days_late
        if self.rule.informational:
            out["informational"] = True
        if self.projected:
            out["projected"] = True
        out["label_es"] = self.rule.label.es
        out["label_en"] = self.rule.label.en
        return out


def _term_end(rule: DeadlineRule, start: date, calendar: WorkingCalendar) -> date:
    if rule.unit == "working_days":
        return calendar.add_working_days(start, rule.term)
    try:
        return start.replace(year=start.year + rule.term)
    except ValueError:  # 29 February -> 28 February
        return start.replace(year=start.year + rule.term, day=28)


def compute(rule: DeadlineRule, start: date, as_of: date, calendar: WorkingCalendar, *,
            projected: bool = False) -> Deadline:
    """One deadline from its trigger date, judged on ``as_of``."""
    end = _term_end(rule, start, calendar)
    if as_of > end and not rule.informational:
        late = calendar.working_days_between(end, as_of)
        return Deadline(rule, end, start, "past", late, projected)
    return Deadline(rule, end, start, "open", 0, projected)


def case_deadlines(case: Case, law: Law, calendar: WorkingCalendar) -> list[Deadline]:
    """Every deadline of ``calendar.md`` that the case's data allows."""
    rules = law.deadlines
    out: list[Deadline] = []
    procs = set(case.procedures)
    filed = case.proceedings.comar_filed_date
    as_of = case.filing_date
    if as_of is None:  # parse_case sets it (today when the record has none)
        raise ValueError(f"case {case.case_id}: deadlines need the filing date")

    if procs & set(COMAR_CLAIMS) and case.child.entry_date:
        out.append(compute(rules["asylum_filing"], case.child.entry_date, filed or as_of, calendar))
    if procs & set(COMAR_CLAIMS):
        start = filed or as_of
        # Ratification: these filings are presented by counsel for the child.
        out.append(compute(rules["ratification"], start, as_of, calendar, projected=filed is None))
        out.append(compute(rules["comar_resolution"], start, as_of, calendar, projected=filed is None))
    if case.proceedings.refusal_notified_date:
        out.append(compute(rules["review_appeal"], case.proceedings.refusal_notified_date, as_of, calendar))
    if case.proceedings.prevention_notified_date:
        out.append(compute(rules["prevention_reply"], case.proceedings.prevention_notified_date, as_of, calendar))
    return out


def asylum_filing_deadline(case: Case, law: Law, calendar: WorkingCalendar) -> Deadline | None:
    return next((d for d in case_deadlines(case, law, calendar) if d.id == "asylum_filing"), None)
