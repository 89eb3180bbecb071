"""Working days (días hábiles) for federal administrative terms.

The rules come from ``law/calendar.yml`` (LFPA art. 28 and the Calendario
Oficial). Extra non-working days declared by an agency in the DOF (Semana
Santa, vacation periods, suspensions) come from a file given with
``--calendar``; each must carry its DOF reference, so a deadline page can say
exactly which calendar produced it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from .errors import InputError
from .i18n import N_
from .law import CalendarLaw, CalendarRule, Text


@dataclass(frozen=True)
class ExtraDay:
    """A non-working day declared by acuerdo, with its DOF reference."""

    date: date
    reference: str
    name: str = ""


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _rule_date(rule: CalendarRule, year: int) -> date | None:
    # The law loader gives each kind of rule the numbers it needs.
    if rule.kind == "every_years":
        assert rule.first_year is not None and rule.every_years is not None
        if (year - rule.first_year) % rule.every_years != 0:
            return None
    if rule.kind == "nth_weekday":
        assert rule.weekday is not None and rule.n is not None
        day = nth_weekday(year, rule.month, rule.weekday, rule.n)
    else:
        assert rule.day is not None
        day = date(year, rule.month, rule.day)
    if rule.valid_from and day < rule.valid_from:
        return None
    if rule.valid_until and day > rule.valid_until:
        return None
    return day


class WorkingCalendar:
    """Decides whether a day is a working day and counts terms."""

    def __init__(self, law: CalendarLaw, extra_days: list[ExtraDay] | tuple[ExtraDay, ...] = ()):
        self.law = law
        self.extra_days = tuple(sorted(extra_days, key=lambda d: d.date))
        self._extra = {d.date: d for d in self.extra_days}
        # Per instance, not functools.lru_cache: a cache on the method would
        # keep every calendar ever made alive.
        self._holidays: dict[int, dict[date, Text]] = {}

    @property
    def name(self) -> str:
        return self.law.name

    def holidays(self, year: int) -> dict[date, Text]:
        """The non-working days of one year under the law (weekends aside)."""
        if year not in self._holidays:
            out = {}
            for rule in self.law.rules:
                day = _rule_date(rule, year)
                if day is not None:
                    out[day] = rule.name
            self._holidays[year] = out
        return self._holidays[year]

    def non_working_reason(self, day: date) -> str | None:
        """Why a day is not a working day ('weekend', a holiday's name, a DOF
        reference), or None for a working day."""
        if day.weekday() in self.law.weekly_rest:
            return "weekend"
        if day in self.holidays(day.year):
            return self.holidays(day.year)[day].es
        if day in self._extra:
            return self._extra[day].reference
        return None

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (day 1 is the first
        working day after ``start``: LFPA terms run from the following day)."""
        if count <= 0:
            raise ValueError("count must be positive")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: date, count: int) -> date:
        """The working day ``count`` working days before ``end`` (a reminder
        some working days ahead of a deadline)."""
        if count <= 0:
            raise ValueError("count must be positive")
        day = end
        remaining = count
        while remaining:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, after: date, up_to: date) -> int:
        """Working days in (after, up_to]: how late a filing on ``up_to`` is
        when the deadline was ``after``."""
        count = 0
        day = after
        while day < up_to:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def describe(self) -> dict:
        return {
            "name": self.law.name,
            "extra_days": [{"date": d.date.isoformat(), "reference": d.reference, "name": d.name}
                           for d in self.extra_days],
        }


def load_extra_days(path: str | Path) -> list[ExtraDay]:
    """Read extra non-working days from YAML (a list of {date, reference,
    name}) or CSV (columns date, reference, name). Every day needs its DOF
    reference."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        else:
            with path.open(encoding="utf-8") as fh:
                rows = yaml.safe_load(fh) or []
            if isinstance(rows, dict) and "days" in rows:
                rows = rows["days"]
    # ValueError: PyYAML builds unquoted dates itself and fails on 2026-13-01.
    except (OSError, ValueError, yaml.YAMLError, csv.Error):
        raise InputError(str(path), N_("The calendar file {source} cannot be read.")) from None
    if not isinstance(rows, list):
        raise InputError(str(path), N_("Calendar file {source}, entry {entry}: expected date and reference."), entry=1)
    days = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError(str(path), N_("Calendar file {source}, entry {entry}: expected date and reference."),
                             entry=i + 1)
        raw = row.get("date")
        try:
            if isinstance(raw, datetime):
                day = raw.date()
            elif isinstance(raw, date):
                day = raw
            else:
                day = date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            raise InputError(str(path), N_("Calendar file {source}, entry {entry}: the date must be YYYY-MM-DD."),
                             entry=i + 1) from None
        reference = str(row.get("reference") or row.get("dof") or "").strip()
        if not reference:
            raise InputError(str(path),
                             N_("Calendar file {source}, entry {entry}: every extra day needs its DOF reference."),
                             entry=i + 1)
        days.append(ExtraDay(day, reference, str(row.get("name") or "").strip()))
    return days
