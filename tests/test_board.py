"""The office's deadline board (``puente board``): over the six examples and
200 generated cases, the counts per state equal a table computed here from
the engine's own dates; the CSV is spreadsheet-safe; the .ics feed parses with
``icalendar``, its UIDs are stable and its alarms fall the given number of
working days before; the HTML page sorts and filters in Chromium."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import yaml

from docassemble.puente.board import board_rows, counts, digest_rows, digest_text, load_cases, to_csv, to_ics, to_text
from docassemble.puente.board_html import digest_html, to_html
from docassemble.puente.calendar import WorkingCalendar
from docassemble.puente.cli import main
from docassemble.puente.deadlines import STATES, case_deadlines
from docassemble.puente.law import default_law
from docassemble.puente.model import to_dict
from docassemble.puente.validate import parse_case

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
TODAY = date(2026, 4, 21)  # a Tuesday
SIX = ["ana-asylum.yaml", "luis-derivative.yaml", "rosa-reunification.yaml", "wisly-coadyuvante.yaml",
       "valeria-derivative-late.yaml", "sofia-reunification-relative.yaml"]


def cal() -> WorkingCalendar:
    return WorkingCalendar(default_law().calendar)


# --------------------------------------------------------------------------
# The expected table, computed here from the engine's dates and flags only


def _working_days_after(start: date, end: date, calendar: WorkingCalendar) -> int:
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += calendar.is_working_day(day)
    return n


def expected_state(deadline, today: date, calendar: WorkingCalendar) -> str:
    if deadline.display_state in ("done", "not_applicable"):
        return deadline.display_state
    if deadline.date < today:
        return "not_applicable" if deadline.rule.informational else "overdue"
    if _working_days_after(today, deadline.date, calendar) <= 4:  # today and four more working days
        return "this_week"
    return "next_30_days" if (deadline.date - today).days <= 30 else "later"


def expected_counts(cases, today: date) -> dict[str, int]:
    calendar, law = cal(), default_law()
    out = dict.fromkeys(STATES, 0)
    for case in cases:
        for d in case_deadlines(case, law, calendar, today=today):
            out[expected_state(d, today, calendar)] += 1
    return out


# --------------------------------------------------------------------------
# The six examples


@pytest.fixture(scope="module")
def examples():
    cases, problems = load_cases([EXAMPLES / name for name in SIX], TODAY)
    assert len(cases) == 6 and not [p for p in problems if p.severity == "error"]
    return cases


def test_examples_pinned_by_hand(examples):
    rows = board_rows(examples, TODAY, default_law(), cal())
    table = [(r.state, r.case_id, r.deadline_id, r.date.isoformat(), r.working_days_left) for r in rows]
    assert table == [
        # (25 Mar, 21 Apr]: 26, 27, 30, 31 Mar, 1-3, 6-10, 13-17, 20, 21 Apr -> 19
        ("overdue", "EX-0005", "asylum_filing", "2026-03-25", -19),
        # (14 Apr, 21 Apr]: 15, 16, 17, 20, 21 -> 5
        ("overdue", "EX-0001", "asylum_filing", "2026-04-14", -5),
        # 22, 23 -> 2
        ("this_week", "EX-0001", "ratification", "2026-04-23", 2),
        ("later", "EX-0002", "ratification", "2026-06-04", 30),
        ("later", "EX-0002", "asylum_filing", "2026-06-19", 41),
        ("later", "EX-0001", "comar_resolution", "2026-06-24", 44),
        ("later", "EX-0005", "ratification", "2026-07-20", 62),
        ("later", "EX-0002", "comar_resolution", "2026-08-03", 72),
        ("later", "EX-0005", "comar_resolution", "2026-09-17", 104),
        # Rosa, born 11 Feb 2009, turns 18 within a year of the board's date
        ("later", "EX-0003", "coming_of_age", "2027-02-11", 205),
    ]


@pytest.mark.parametrize("today", [TODAY, date(2026, 6, 1), date(2026, 7, 17), date(2026, 12, 24)])
def test_examples_counts_match_the_engine(examples, today):
    rows = board_rows(examples, today, default_law(), cal())
    assert counts(rows) == expected_counts(examples, today)
    assert [STATES.index(r.state) for r in rows] == sorted(STATES.index(r.state) for r in rows)


def test_initials_and_counsel_not_names(examples):
    rows = board_rows(examples, TODAY, default_law(), cal())
    ana = next(r for r in rows if r.case_id == "EX-0001")
    assert (ana.initials, ana.counsel) == ("A.L.P.L.", "L.G.R.")
    page = to_html(rows, TODAY, default_law(), cal().name)
    text = to_text(rows, TODAY, default_law()) + to_csv(rows, default_law()) + page
    for case in examples:
        for name in (case.child.given_names, case.child.family_names, case.representative.full_name):
            assert name not in text, "a full name on the board"


def test_counsel_filter(examples):
    law = default_law()
    full = {c.case_id: c.representative.full_name for c in examples}
    assert full["EX-0001"] == "Laura Gómez Ruiz"
    by_name = board_rows(examples, TODAY, law, cal(), counsel="LAURA GOMEZ RUIZ")  # case and accents ignored
    assert {r.case_id for r in by_name} == {"EX-0001"}
    assert {r.case_id for r in board_rows(examples, TODAY, law, cal(), counsel="L.G.R.")} == {"EX-0001"}
    assert board_rows(examples, TODAY, law, cal(), counsel="nadie") == []


# --------------------------------------------------------------------------
# 200 generated cases


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


COUNSEL = [("Lucía", "Gómez Ruiz"), ("Jorge", "Torres Gil"), ("Ana Cecilia", "López Mena"), ("Marta", "Ibarra Sol")]


def generated_cases(n: int = 200, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    templates = [_example(name) for name in SIX]
    out = []
    for i in range(n):
        data = copy.deepcopy(templates[i % len(templates)])
        data["case_id"] = f"GEN-{i:04d}"
        filing = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
        data["filing_date"] = filing.isoformat()
        data["child"]["entry_date"] = (filing - timedelta(days=rng.randrange(1, 80))).isoformat()
        # 10 to just under 18 years old on the filing date
        data["child"]["date_of_birth"] = (filing - timedelta(days=rng.randrange(3660, 6570))).isoformat()
        given, family = COUNSEL[rng.randrange(len(COUNSEL))]
        data.setdefault("representative", {}).update(given_names=given, family_names=family)
        proceedings = {}
        if "resolution" in data.get("proceedings", {}):
            pass  # the refused example keeps its own procedure (filed, ratified, refused)
        elif rng.random() < 0.3:
            proceedings["comar_filed_date"] = (filing + timedelta(days=rng.randrange(0, 5))).isoformat()
        if rng.random() < 0.2 and "resolution" not in data.get("proceedings", {}):
            proceedings["refusal_notified_date"] = (filing + timedelta(days=rng.randrange(20, 120))).isoformat()
            # a refused case gets the recurso, never a new application (stage.py)
            data["procedures"] = [p if p != "asylum" else "review_appeal" for p in data["procedures"]]
        if rng.random() < 0.2 and "resolution" not in data.get("proceedings", {}):
            proceedings["prevention_notified_date"] = (filing + timedelta(days=rng.randrange(5, 40))).isoformat()
        data["proceedings"] = {**data.get("proceedings", {}), **proceedings}
        out.append(data)
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    for data in generated_cases():
        (folder / f"{data['case_id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


GEN_TODAY = date(2026, 7, 14)


def test_generated_cases_all_valid_and_varied(generated):
    cases, problems = load_cases([generated], GEN_TODAY)
    assert len(cases) == 200, [p.line() for p in problems if p.severity == "error"][:5]
    c = expected_counts(cases, GEN_TODAY)
    # the generated set reaches every state (a recorded COMAR filing settles the asylum term: done)
    assert all(c[s] > 0 for s in STATES), c


def test_generated_board_counts_match_the_engine(generated, tmp_path, capsys):
    cases, _ = load_cases([generated], GEN_TODAY)
    expected = expected_counts(cases, GEN_TODAY)
    out_csv = tmp_path / "board.csv"
    status = main(["board", str(generated), "--today", GEN_TODAY.isoformat(), "--csv", str(out_csv), "--quiet"])
    assert status == 3  # something is overdue
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))[1:]
    found = dict.fromkeys(STATES, 0)
    for row in rows:
        found[row[8]] += 1
    assert found == expected
    assert sum(expected.values()) == len(rows)
    # overdue first, then this week, ...
    assert [STATES.index(r[8]) for r in rows] == sorted(STATES.index(r[8]) for r in rows)


def test_terminal_table_grouped_overdue_first(generated, capsys):
    main(["board", str(generated), "--today", GEN_TODAY.isoformat()])
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line and line[0] != " " and "/" in line and "(" in line]
    assert headings[0].startswith("VENCIDO / OVERDUE (")
    assert headings[1].startswith("ESTA SEMANA / THIS WEEK (")
    assert not re.search(r"\bNone\b|\bnan\b|\{\{", out)


# --------------------------------------------------------------------------
# Exit codes


def test_exit_zero_when_nothing_overdue(tmp_path):
    # Rosa's case alone: only her 18th birthday, months away
    assert main(["board", str(EXAMPLES / "rosa-reunification.yaml"), "--today", "2026-04-21", "--quiet"]) == 0


def test_exit_three_when_overdue():
    assert main(["board", str(EXAMPLES / "ana-asylum.yaml"), "--today", "2026-04-21", "--quiet"]) == 3


def test_output_folder_case_json(tmp_path):
    """An output folder of puente batch: <out>/<case>/case.json."""
    for name in ("ana-asylum.yaml", "luis-derivative.yaml"):
        data = _example(name)
        case, _ = parse_case(copy.deepcopy(data), today=TODAY)
        (tmp_path / case.case_id).mkdir()
        (tmp_path / case.case_id / "case.json").write_text(
            json.dumps(to_dict(case)),
            encoding="utf-8")
    cases, problems = load_cases([tmp_path], TODAY)
    assert sorted(c.case_id for c in cases) == ["EX-0001", "EX-0002"] and not problems


# --------------------------------------------------------------------------
# CSV: spreadsheet-safe


def test_csv_escapes_formula_text(examples):
    """The validator keeps case ids to letters, digits, '.', '_', '-'; the
    CSV does not rely on it (a session record in the server is not a file)."""
    import dataclasses

    rows = board_rows([c for c in examples if c.case_id == "EX-0001"], TODAY, default_law(), cal())
    rows = [dataclasses.replace(r, case_id="=HYPERLINK(\"http://x\")", counsel="@SUM(A1)") for r in rows]
    text = to_csv(rows, default_law())
    table = list(csv.reader(io.StringIO(text)))
    assert table[1][0] == "'=HYPERLINK(\"http://x\")" and table[1][10] == "'@SUM(A1)"
    assert table[1][7] == "-5"  # a number stays a number (asylum term, 5 working days late)


# --------------------------------------------------------------------------
# The .ics feed


def _feed(cases, today=TODAY, alarm=3) -> str:
    return to_ics(board_rows(cases, today, default_law(), cal()), cal(), alarm_working_days=alarm)


@pytest.mark.parametrize("alarm", [1, 3, 5])
def test_ics_parses_with_alarms_some_working_days_before(examples, alarm):
    text = _feed(examples, alarm=alarm)
    feed = icalendar.Calendar.from_ical(text)
    events = list(feed.walk("VEVENT"))
    rows = [r for r in board_rows(examples, TODAY, default_law(), cal()) if r.state not in ("done", "not_applicable")]
    assert [str(e["UID"]) for e in events] == [f"{r.case_id}-{r.deadline_id}@puente" for r in rows]
    assert len({str(e["UID"]) for e in events}) == len(events)
    calendar = cal()
    alarms = 0
    for event, row in zip(events, rows, strict=True):
        start = event.decoded("DTSTART")
        assert start == row.date
        valarms = list(event.walk("VALARM"))
        if row.state == "overdue" or row.deadline.rule.informational:
            assert not valarms
            continue
        alarms += 1
        (valarm,) = valarms
        fires = dt.datetime.combine(start, dt.time()) + valarm.decoded("TRIGGER")
        assert fires.hour == 9 and fires.minute == 0
        assert calendar.is_working_day(fires.date())
        assert _working_days_after(fires.date(), start, calendar) == alarm
    assert alarms >= 3


def test_ics_alarm_over_a_weekend_and_holiday():
    """The reminder counts working days back over 1 and 5 May (holidays)."""
    data = _example("ana-asylum.yaml")
    data["proceedings"] = {"prevention_notified_date": "2026-04-29"}
    case, _ = parse_case(data, today=TODAY)
    row = next(r for r in board_rows([case], TODAY, default_law(), cal()) if r.deadline_id == "prevention_reply")
    # 29 Apr (Wed): 30 Apr ->1; 1 May X; 4 ->2; 5 May X; 6 ->3; 7 ->4; 8 ->5: Friday 8 May
    assert row.date == date(2026, 5, 8)
    event = next(e for e in icalendar.Calendar.from_ical(_feed([case])).walk("VEVENT")
                 if str(e["UID"]) == "EX-0001-prevention_reply@puente")
    trigger = list(event.walk("VALARM"))[0].decoded("TRIGGER")
    # 3 working days before Fri 8 May: 7, 6, 4 May -> Monday 4 May at 09:00
    assert dt.datetime(2026, 5, 8) + trigger == dt.datetime(2026, 5, 4, 9, 0)


def test_ics_stable_across_runs(examples, generated):
    cases, _ = load_cases([generated], GEN_TODAY)
    first = _feed(cases, GEN_TODAY)
    again_cases, _ = load_cases([generated], GEN_TODAY)
    assert _feed(again_cases, GEN_TODAY) == first
    # a later day moves states, not UIDs: the same open deadlines keep their UIDs
    later = icalendar.Calendar.from_ical(_feed(cases, GEN_TODAY + timedelta(days=1)))
    uids_first = {str(e["UID"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    uids_later = {str(e["UID"]) for e in later.walk("VEVENT")}
    assert uids_later <= uids_first and len(uids_first) > 100


# --------------------------------------------------------------------------
# The digest


def test_digest(examples):
    rows = board_rows(examples, TODAY, default_law(), cal())
    due = digest_rows(rows, 5)
    assert [(r.case_id, r.deadline_id) for r in due] == [
        ("EX-0005", "asylum_filing"), ("EX-0001", "asylum_filing"), ("EX-0001", "ratification")]
    text = digest_text(rows, TODAY, default_law(), 5)
    assert "2026-04-23" in text and "EX-0002" not in text and "próximos 5 días hábiles" in text
    page = digest_html(rows, TODAY, default_law(), 5)
    assert "21 de abril de 2026" in page and "Ratificación / Ratification" in page and "<script" not in page


def test_cli_writes_every_output(tmp_path):
    status = main(["board", *(str(EXAMPLES / name) for name in SIX), "--today", "2026-04-21",
                   "--html", str(tmp_path / "b.html"),
                   "--csv", str(tmp_path / "b.csv"), "--ics", str(tmp_path / "b.ics"),
                   "--digest", str(tmp_path / "digest"), "--digest-days", "10", "--alarm-days", "2", "--quiet"])
    assert status == 3
    for name in ("b.html", "b.csv", "b.ics", "digest/digest.txt", "digest/digest.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text and "None" not in text and "{{" not in text, name
    assert "TRIGGER:-P" in (tmp_path / "b.ics").read_text(encoding="utf-8")


def test_html_escapes_case_text(examples):
    import dataclasses

    rows = board_rows(examples, TODAY, default_law(), cal())
    rows = [dataclasses.replace(r, case_id="<b>EX</b>", counsel='"><script>x()</script>',
                                link='https://x/?a=1&b="2"') for r in rows]
    page = to_html(rows, TODAY, default_law(), cal().name)
    assert "<b>EX</b>" not in page and "&lt;b&gt;EX&lt;/b&gt;" in page
    assert "<script>x()" not in page and 'href="https://x/?a=1&amp;b=&quot;2&quot;"' in page


# --------------------------------------------------------------------------
# The HTML page in Chromium: sort and filter


def _browser_reason():
    from tests.e2e.browser import available

    return available()


@pytest.mark.skipif(_browser_reason() is not None, reason=str(_browser_reason()))
def test_html_sorts_and_filters_in_chromium(generated, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.e2e.browser import Browser

    page = tmp_path / "board.html"
    assert main(["board", str(generated), str(EXAMPLES), "--today", GEN_TODAY.isoformat(), "--html", str(page),
                 "--quiet"]) == 3
    browser = Browser(REPO / "artifacts" / "board" / "html")
    try:
        d = browser.driver
        d.get(page.as_uri())
        # one script call per look (a WebDriver call per row takes minutes on 400 rows)
        def cells(key):
            return d.execute_script(
                "return Array.from(document.querySelectorAll('#board tbody tr'))"
                ".filter(r => !r.hidden && r.offsetParent !== null)"
                ".map(r => r.querySelector('td[data-key=\"' + arguments[0] + '\"]').dataset.v);", key)

        def rows():
            return cells("case")

        total = len(rows())
        assert total > 300
        assert cells("state")[0] == "0"  # overdue first
        browser.shot("board")

        # sort by date: ascending, then descending
        header = d.find_elements(By.CSS_SELECTOR, "#board thead th")[1]
        header.find_element(By.TAG_NAME, "button").click()
        dates = cells("date")
        assert dates == sorted(dates) and header.get_attribute("aria-sort") == "ascending"
        header.find_element(By.TAG_NAME, "button").click()
        assert cells("date") == sorted(dates, reverse=True)
        # sort by working days left (numbers, not text: -19 before -5)
        left_header = d.find_elements(By.CSS_SELECTOR, "#board thead th")[2]
        left_header.find_element(By.TAG_NAME, "button").click()
        left = [int(x) for x in cells("left")]
        assert left == sorted(left) and left[0] < -9

        # filter by counsel, then by state
        Select(d.find_element(By.ID, "filter-counsel")).select_by_value("J.T.G.")
        assert set(cells("counsel")) == {"J.T.G."} and 0 < len(rows()) < total
        Select(d.find_element(By.ID, "filter-state")).select_by_value("overdue")
        shown = rows()
        assert shown and set(cells("state")) == {"0"}
        assert d.find_element(By.ID, "shown").text == str(len(shown))
        browser.shot("filtered-counsel-overdue")
        Select(d.find_element(By.ID, "filter-counsel")).select_by_value("")
        Select(d.find_element(By.ID, "filter-state")).select_by_value("")
        assert len(rows()) == total
        assert "Tablero de plazos" in d.page_source and "Deadline board" in d.page_source
    finally:
        browser.close()


@pytest.mark.parametrize("dob,soon", [("2008-06-20", True), ("2008-07-20", True), ("2008-07-21", False),
                                      ("2008-10-01", False)])
def test_coming_of_age_in_red_within_90_days(dob, soon):
    """The 18th birthday: on the board within a year, in red within 90 days
    (20 Jun and 20 Jul 2026 are 60 and 90 days after 21 Apr; 21 Jul is 91),
    with what must be done before it."""
    data = _example("ana-asylum.yaml")
    data["child"]["date_of_birth"] = dob
    case, problems = parse_case(data, today=TODAY)
    assert case is not None, [p.line() for p in problems]
    rows = board_rows([case], TODAY, default_law(), cal())
    row = next(r for r in rows if r.deadline_id == "coming_of_age")
    assert row.date == date(2026, int(dob[5:7]), int(dob[8:10])) and row.birthday_soon is soon
    page = to_html(rows, TODAY, default_law(), cal().name)
    text = to_text(rows, TODAY, default_law())
    assert ('class="birthday-soon"' in page) is soon
    assert ("Menos de 90 días" in text) is soon
    if soon:
        assert "Antes de esa fecha" in text and "Before that date" in page
