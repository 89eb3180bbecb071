"""The working-day terms of docs/deadlines.md, pinned by a table worked out by hand.

``tests/cases/deadlines.yml`` holds the terms (each with its count written
out); the facts below pin which days are working days, and how our list
(LFPA art. 28 + Calendario Oficial) differs from the ``holidays`` package's
Mexico calendar (LFT art. 74).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import yaml

from docassemble.puente.calendar import ExtraDay, WorkingCalendar
from docassemble.puente.deadlines import compute
from docassemble.puente.law import default_law

TABLE = Path(__file__).parent / "cases" / "deadlines.yml"
CASE_KEYS = {"name", "event", "term", "extra_days", "expected", "as_of", "status", "working_days_late", "why"}


def _load_table() -> list[dict]:
    with TABLE.open(encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)
    assert isinstance(rows, list)
    return rows


CASES = _load_table()


def _calendar(extra: list[date] | None = None) -> WorkingCalendar:
    days = [ExtraDay(d, "DOF (acuerdo de prueba)") for d in extra or []]
    return WorkingCalendar(default_law().calendar, days)


def _rule(term: int):
    """A working-day rule with the given term (the asylum rule, re-termed)."""
    return dataclasses.replace(default_law().deadlines["asylum_filing"], term=term)


def test_table_is_well_formed():
    names = [c.get("name") for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    assert len(CASES) >= 25
    for case in CASES:
        assert set(case) <= CASE_KEYS, (case["name"], set(case) - CASE_KEYS)
        assert {"name", "event", "term", "expected", "why"} <= set(case), case["name"]
        assert isinstance(case["event"], date) and isinstance(case["expected"], date), case["name"]
        assert isinstance(case["term"], int) and case["term"] > 0, case["name"]
        if "as_of" in case:
            assert case["status"] in ("open", "past"), case["name"]
            assert "working_days_late" in case, case["name"]
        else:
            assert "status" not in case and "working_days_late" not in case, case["name"]


def test_table_covers_the_required_terms():
    assert {3, 5, 15, 30, 45} <= {c["term"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_deadline_table(case):
    cal = _calendar(case.get("extra_days"))
    event, term, expected = case["event"], case["term"], case["expected"]

    assert cal.add_working_days(event, term) == expected
    # Cross-checks that hold for every correct count.
    assert cal.is_working_day(expected)
    assert cal.working_days_between(event, expected) == term

    as_of = case.get("as_of", event)
    deadline = compute(_rule(term), event, as_of, cal)
    assert deadline.date == expected
    assert deadline.from_date == event
    if "as_of" in case:
        assert deadline.status == case["status"]
        assert deadline.working_days_late == case["working_days_late"]
        assert deadline.is_past == (case["status"] == "past")
    else:
        assert deadline.status == "open"
        assert deadline.working_days_late == 0


# --------------------------------------------------------------------------
# Working-day facts: date -> is it a working day under the default calendar.

WORKING_DAY_FACTS = {
    # 1 January
    date(2026, 1, 1): False,   # Thursday
    date(2027, 1, 1): False,   # Friday
    date(2026, 1, 2): True,    # Friday after New Year: no bridge without an acuerdo
    # First Monday of February (not 5 February itself)
    date(2026, 2, 2): False,
    date(2026, 2, 5): True,    # Thursday 5 February 2026
    date(2027, 2, 1): False,
    date(2027, 2, 5): True,    # Friday
    # Third Monday of March (not 21 March itself)
    date(2026, 3, 16): False,
    date(2026, 3, 9): True,    # second Monday
    date(2026, 3, 23): True,   # fourth Monday
    date(2027, 3, 15): False,
    date(2028, 3, 20): False,
    date(2028, 3, 21): True,   # Tuesday 21 March 2028
    # 1 May and 5 May
    date(2026, 5, 1): False,
    date(2026, 5, 5): False,   # Tuesday
    date(2027, 5, 5): False,   # Wednesday
    date(2028, 5, 5): False,   # Friday
    date(2029, 5, 4): True,    # Friday before a Saturday 5 May: nothing is moved
    date(2029, 5, 7): True,    # Monday after it
    # 16 September
    date(2026, 9, 16): False,  # Wednesday
    date(2027, 9, 16): False,  # Thursday
    date(2027, 9, 17): True,
    # Third Monday of November (not 20 November itself)
    date(2026, 11, 16): False,
    date(2026, 11, 20): True,  # Friday 20 November 2026
    date(2027, 11, 15): False,
    # 25 December
    date(2026, 12, 25): False,  # Friday
    date(2026, 12, 24): True,   # Christmas Eve: working without an acuerdo
    date(2026, 12, 31): True,
    # Transfer of the federal executive
    date(2030, 10, 1): False,   # Tuesday, new rule
    date(2024, 10, 1): False,   # Tuesday, new rule
    date(2036, 10, 1): False,   # Wednesday, new rule
    date(2026, 10, 1): True,    # not a transfer year
    date(2018, 10, 1): True,    # Monday, old rule (1 December then)
    date(2006, 12, 1): False,   # Friday, old rule
    date(2018, 12, 1): False,   # old rule (a Saturday anyway)
    date(2036, 12, 1): True,    # Monday: 1 December is no longer a holiday
    # Semana Santa, 2 November, 12 December: only by acuerdo, never by default
    date(2026, 4, 2): True,
    date(2026, 4, 3): True,
    date(2026, 11, 2): True,
    date(2025, 12, 12): True,
    # Weekends
    date(2026, 3, 7): False,
    date(2026, 3, 8): False,
}


@pytest.mark.parametrize("day,working", sorted(WORKING_DAY_FACTS.items()), ids=lambda v: str(v))
def test_working_day_facts(day, working):
    assert _calendar().is_working_day(day) is working


def test_transfer_of_the_executive_rule_by_year():
    """Not just "not working": the transfer rule itself, whatever the weekday."""
    cal = _calendar()
    assert date(2018, 12, 1) in cal.holidays(2018)          # old rule (Saturday)
    assert date(2012, 12, 1) in cal.holidays(2012)
    assert date(2006, 12, 1) in cal.holidays(2006)
    assert date(2018, 10, 1) not in cal.holidays(2018)
    for year in (2024, 2030, 2036):
        assert date(year, 10, 1) in cal.holidays(year)
        assert date(year, 12, 1) not in cal.holidays(year)  # 1 Dec 2024 and 2030 are Sundays
    for year in (2025, 2026, 2027, 2028, 2029, 2031):
        assert date(year, 10, 1) not in cal.holidays(year)
        assert date(year, 12, 1) not in cal.holidays(year)
    # Between the old rule's last year (2018) and the reform, no transfer day.
    assert date(2023, 12, 1) not in cal.holidays(2023)
    assert cal.non_working_reason(date(2030, 10, 1)) == "Transmisión del Poder Ejecutivo Federal"
    assert cal.non_working_reason(date(2030, 12, 1)) == "weekend"


# --------------------------------------------------------------------------
# Both lists pinned: ours (LFPA art. 28) against holidays.MX (LFT art. 74).
#
# holidays 0.109 `holidays.MX` for 2018-2036 holds exactly: 1 Jan, first Monday
# of February, third Monday of March, 1 May, 16 Sep, third Monday of November,
# 25 Dec, and the transfer of the executive (1 Dec 2018; 1 Oct 2024, 2030,
# 2036). Differences with our list:
#   * 5 May is non-working for federal administrative terms (LFPA art. 28,
#     Calendario Oficial) and absent from holidays.MX (LFT art. 74 lacks it);
#   * holidays.MX has no day that the LFPA list lacks. (LFT art. 74 fr. IX also
#     makes federal and local election days rest days; holidays.MX does not
#     list them, and they are not días inhábiles under LFPA art. 28.)
# If a new `holidays` release changes its Mexico list, these tests fail: read
# the change, then update this comment and MX_ONLY/LFPA_ONLY.

YEARS = range(2018, 2037)
MX_ONLY: set[date] = set()  # in holidays.MX, not in the LFPA list


def lfpa_only(year: int) -> set[date]:
    """In the LFPA list, not in holidays.MX."""
    return {date(year, 5, 5)}


@pytest.fixture(scope="module")
def mx():
    holidays = pytest.importorskip("holidays")
    return holidays.MX(years=list(YEARS))


def test_5_may_is_ours_and_not_in_holidays_mx(mx):
    cal = _calendar()
    for year in range(2025, 2032):
        may5 = date(year, 5, 5)
        assert may5 not in mx, may5
        assert not cal.is_working_day(may5), may5
        assert may5 in cal.holidays(year)


def test_every_holidays_mx_day_is_non_working_for_us(mx):
    cal = _calendar()
    for day in sorted(mx):
        if 2025 <= day.year <= 2031 and day not in MX_ONLY:
            assert not cal.is_working_day(day), (day, mx.get(day))


@pytest.mark.parametrize("year", YEARS)
def test_lists_differ_exactly_by_5_may(mx, year):
    ours = set(_calendar().holidays(year))
    theirs = {d for d in mx if d.year == year}
    assert ours - theirs == lfpa_only(year)
    assert theirs - ours == {d for d in MX_ONLY if d.year == year}


# --------------------------------------------------------------------------
# A prevención's own term (issue 12): every output shows and counts the term
# the record gives (proceedings.prevention_term_days), the LFPA art. 17-A
# minimum of five días hábiles only when the record gives none. Counted by
# hand from Thursday 19 November 2026 (the third Monday of November, the
# 16th, is before it): Fri 20 (1); 23-27 (2-6); 30 Nov-4 Dec (7-11); 7-10 (12-15).

PREVENTION_TERMS = [
    # (proceedings.prevention_term_days, term applied, last day)
    (None, 5, date(2026, 11, 26)),
    (5, 5, date(2026, 11, 26)),
    (8, 8, date(2026, 12, 1)),
    (10, 10, date(2026, 12, 3)),
    (15, 15, date(2026, 12, 10)),
]
PREVENTION_TODAY = date(2026, 11, 23)


def _prevented_case(example, term: int | None) -> dict:
    """The refused example before its refusal: filed and ratified, then a
    prevención notified on 19 November 2026."""
    data = example("EX-0008")
    data["procedures"] = ["prevention_reply"]
    data["proceedings"] = {"comar_case_number": "COMAR/TAP/2291/2026", "comar_filed_date": "2026-11-18",
                           "ratified_date": "2026-11-19", "prevention_notified_date": "2026-11-19",
                           "prevention_items": ["Domicilio actual"]}
    if term is not None:
        data["proceedings"]["prevention_term_days"] = term
    return data


@pytest.mark.parametrize("recorded, term, last_day", PREVENTION_TERMS)
def test_prevention_term_in_the_table_the_ics_and_the_documents(example, tmp_path, capsys,
                                                                 recorded, term, last_day):
    from docassemble.puente.cli import main
    from docassemble.puente.deadlines import case_deadlines
    from docassemble.puente.documents.context import DocumentContext
    from docassemble.puente.validate import parse_case

    data = _prevented_case(example, recorded)
    case, problems = parse_case(data, today=PREVENTION_TODAY)
    assert case is not None, [p.line() for p in problems]
    law, cal = default_law(), _calendar()
    reply = next(d for d in case_deadlines(case, law, cal) if d.id == "prevention_reply")
    assert (reply.date, reply.term_length, reply.from_date) == (last_day, term, date(2026, 11, 19))
    assert reply.term_text("es") == f"{term} días hábiles" and reply.term_text("en") == f"{term} business days"

    # the command line's table and its calendar file
    path, ics = tmp_path / "case.yaml", tmp_path / "plazos.ics"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["deadlines", str(path), "--today", PREVENTION_TODAY.isoformat(), "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    row = out[out.index(f"  {last_day.isoformat()}  Desahogo de la prevención"):]
    assert row.splitlines()[1].strip().startswith(
        f"{term} días hábiles / {term} business days desde/from 2026-11-19 — LFPA art. 17-A — abierto / open")
    event = ics.read_text(encoding="utf-8").replace("\r\n ", "").split("BEGIN:VEVENT")
    event = next(e for e in event if "prevention_reply@" in e)
    assert f"DTSTART;VALUE=DATE:{last_day:%Y%m%d}" in event and f"Plazo: {term} días hábiles" in event

    # the checklist and the review packet show the deadlines of the context
    dc = DocumentContext.build(case, law, cal)
    for lang, words in (("es", "días hábiles"), ("en", "business days")):
        view = next(d for d in dc.for_language(lang)["deadlines"] if d["id"] == "prevention_reply")
        assert view["term"] == f"{term} {words}", view
    if recorded is not None and recorded != 5:
        assert " 5 días hábiles" not in out


def test_prevention_term_reaches_the_checklist_the_reply_and_the_review_packet(example, tmp_path):
    """One recorded term (10 días hábiles, to Thursday 3 December 2026), read
    back from the rendered checklist and escrito of desahogo in both
    languages, and from the review packet's deadline table."""
    from docassemble.puente.documents.context import DocumentContext
    from docassemble.puente.documents.render import render_docx
    from docassemble.puente.documents.review_packet import review_context
    from docassemble.puente.validate import parse_case

    from .docx_text import docx_paragraphs

    case, _ = parse_case(_prevented_case(example, 10), today=PREVENTION_TODAY)
    assert case is not None
    dc = DocumentContext.build(case, default_law(), _calendar())
    expected = {"es": ("10 días hábiles", "3 de diciembre de 2026"), "en": ("10 business days", "December 3, 2026")}
    for lang, (term, day) in expected.items():
        checklist = "\n".join(docx_paragraphs(render_docx("checklist", lang, dc.for_language(lang),
                                                          tmp_path / f"checklist_{lang}.docx")))
        row = checklist[checklist.index("prevención" if lang == "es" else "prevención)"):]
        assert term in row[:600] and day in row[:600], row[:600]
        reply = "\n".join(docx_paragraphs(render_docx("prevention_reply", lang, dc.for_language(lang),
                                                      tmp_path / f"reply_{lang}.docx")))
        assert term in reply and day in reply
        assert ("5 días hábiles" if lang == "es" else "5 business days") not in reply
        packet = review_context(dc, lang, tmp_path / f"review_{lang}")
        view = next(d for d in packet["deadlines"] if d["id"] == "prevention_reply")
        assert (view["term"], view["date"]) == (term, day)
