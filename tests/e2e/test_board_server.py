"""The server's deadline board (interviews/board.yml) on the real server.

Two users made through the administrator's API, each with one saved asylum
session; each user's board lists only their own case; the administrator's
lists both, with the state, date and working days the core's engine gives for
the same facts, overdue first, each line linking back into its session. In
a real browser the administrator's board is shown (screenshot) and its .ics
button downloads a feed that parses with ``icalendar``."""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
import time

import icalendar
import pytest
import requests

from docassemble.puente import model
from docassemble.puente.board import case_rows, next_row
from docassemble.puente.calendar import WorkingCalendar
from docassemble.puente.dates import long_date, today_in_mexico
from docassemble.puente.deadlines import STATE_LABELS
from docassemble.puente.law import default_law

from .conftest import ARTIFACTS, require_interview
from .daclient import DAClient

BOARD = "docassemble.puente:data/questions/board.yml"
ASYLUM = "docassemble.puente:data/questions/asylum.yml"
ROW = re.compile(r'<tr class="[^"]*" data-state="(\w+)" data-case="([^"]+)">(.*?)</tr>', re.S)


def _check(r: requests.Response, what: str):
    assert r.status_code < 400, f"{what}: HTTP {r.status_code}: {r.text[:500]}"
    return r.json()


def _facts(n: int, today: dt.date, suffix: str) -> dict:
    """User 0: entered 70 days ago (the asylum term has run: overdue);
    user 1: entered 3 days ago, documents dated two days ahead."""
    entry = today - dt.timedelta(days=70 if n == 0 else 3)
    filing = today - dt.timedelta(days=10) if n == 0 else today + dt.timedelta(days=2)
    return {
        "case_id": f"TAB-{suffix}-{n}",
        "given": ["Marisol", "Kevin"][n], "family": ["Ayala Pérez", "Mejía Ruiz"][n],
        "entry": entry, "filing": filing, "dob": today - dt.timedelta(days=365 * 15),
        "counsel": (["Laura", "Jorge"][n], ["Gómez Ruiz", "Torres Gil"][n]),
    }


def _expected(f: dict, today: dt.date):
    case = model.Case(case_id=f["case_id"], procedures=["asylum"], filing_date=f["filing"],
                      child=model.Child(given_names=f["given"], family_names=f["family"],
                                        date_of_birth=f["dob"], entry_date=f["entry"]),
                      representative=model.Representative(given_names=f["counsel"][0], family_names=f["counsel"][1]))
    law = default_law()
    return next_row(case_rows(case, today, law, WorkingCalendar(law.calendar)))


@pytest.fixture(scope="module")
def office(server):
    require_interview("board.yml")
    admin = requests.Session()
    today = today_in_mexico()
    suffix = secrets.token_hex(3).upper()
    users = []
    for n in range(2):
        email, password = f"tablero{n}-{suffix.lower()}@puente.example.org", secrets.token_urlsafe(12)
        made = _check(admin.post(server.base + "/api/user/new", timeout=60,
                                 json={"key": server.key, "username": email, "password": password}), "new user")
        key = _check(admin.post(server.base + f"/api/user/{made['user_id']}/api", timeout=60,
                                json={"key": server.key, "name": f"board-{suffix}", "method": "none"}), "api key")
        client = DAClient(server.base, key)
        s = client.new_session(ASYLUM)
        s.question()  # the interview runs once: its objects exist
        f = _facts(n, today, suffix)
        s.post({
            "case.case_id": f["case_id"], "case.procedures": ["asylum"], "case.filing_date": f["filing"].isoformat(),
            "case.child.given_names": f["given"], "case.child.family_names": f["family"],
            "case.child.dob_status": "exact", "case.child.date_of_birth": f["dob"].isoformat(),
            "case.child.entry_date": f["entry"].isoformat(),
            "case.representative.given_names": f["counsel"][0], "case.representative.family_names": f["counsel"][1],
        })
        users.append({"email": email, "password": password, "client": client, "session": s.session, "facts": f,
                      "expected": _expected(f, today)})
    return {"users": users, "today": today, "suffix": suffix}


def _board(client: DAClient) -> tuple[dict, list[tuple[str, str, str]]]:
    s = client.new_session(BOARD)
    q = s.question()
    text = q.get("subquestionText") or ""
    return q, ROW.findall(text)


def _ours(rows, office):
    ids = {u["facts"]["case_id"] for u in office["users"]}
    return [r for r in rows if html.unescape(r[1]) in ids]


def test_each_user_sees_only_their_own_case(office):
    for user in office["users"]:
        q, rows = _board(user["client"])
        assert q.get("questionText", "").strip().startswith("Tablero de plazos"), q.get("questionText")
        assert [html.unescape(r[1]) for r in rows] == [user["facts"]["case_id"]]
        others = [u for u in office["users"] if u is not user]
        for other in others:
            assert other["facts"]["case_id"] not in q["subquestionText"]
            assert other["email"] not in q["subquestionText"]


def test_the_administrator_sees_every_users_case_with_the_engines_state(office, api):
    q, rows = _board(api)
    ours = _ours(rows, office)
    assert sorted(html.unescape(r[1]) for r in ours) == sorted(u["facts"]["case_id"] for u in office["users"])
    order = ("overdue", "this_week", "next_30_days", "later", "done", "not_applicable", "none")
    states = [r[0] for r in rows]
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states), "overdue and this week first"
    for user in office["users"]:
        exp = user["expected"]
        state, _, cells = next(r for r in ours if html.unescape(r[1]) == user["facts"]["case_id"])
        assert state == exp.state
        text = html.unescape(re.sub(r"<[^>]+>", " ", cells))
        assert STATE_LABELS[exp.state]["es"] in text
        assert long_date(exp.date, "es") in text and f" {exp.working_days_left} " in f" {text} "
        assert exp.label("es") in text and exp.basis("es") in text
        assert user["email"] in text  # the administrator sees whose case it is
        # initials only, never the child's name
        assert user["facts"]["given"] not in text and user["facts"]["family"] not in text
        assert {"Marisol": "M.A.P.", "Kevin": "K.M.R."}[user["facts"]["given"]] in text
        # the line links back into the user's own session
        href = re.search(r'<a href="([^"]+)"', cells).group(1)
        assert f"session={user['session']}" in html.unescape(href)
    # user 0's asylum term has run: overdue, on top
    assert office["users"][0]["expected"].state == "overdue"
    assert rows[0][0] == "overdue"


def test_browser_board_and_ics(office, server):
    from .browser import Browser, available

    reason = available()
    if reason:
        pytest.skip(reason)
    from selenium.webdriver.common.by import By

    browser = Browser(ARTIFACTS / "board")
    try:
        d = browser.driver
        d.get(server.base + "/user/sign-in")
        d.find_element(By.NAME, "email").send_keys(server.admin_email)
        d.find_element(By.NAME, "password").send_keys(server.admin_password)
        d.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
        time.sleep(2)
        browser.open(server.base + f"/interview?i={BOARD}&new_session=1")
        assert "Tablero de plazos" in browser.question()
        page = browser.text()
        for user in office["users"]:
            assert user["facts"]["case_id"] in page
        browser.shot("admin-board")
        link = d.find_element(By.ID, "puente-board-ics")
        browser._click(link)
        end = time.monotonic() + 60
        files = []
        while time.monotonic() < end and not files:
            files = [p for p in browser.downloads.glob("*.ics")]
            time.sleep(0.5)
        assert files, "the .ics was not downloaded"
        feed = icalendar.Calendar.from_ical(files[0].read_bytes())
        uids = {str(e["UID"]) for e in feed.walk("VEVENT")}
        for user in office["users"]:
            assert f"{user['facts']['case_id']}-asylum_filing@puente" in uids
        # the line opens the user's session (the administrator may: shared sessions)
        d.find_element(By.LINK_TEXT, office["users"][1]["facts"]["case_id"]).click()
        browser.wait_ready()
        assert office["users"][1]["session"] in d.current_url or "interview" in d.current_url
        assert "Tablero de plazos" not in browser.question()
        browser.shot("opened-session")
    finally:
        browser.close()


def test_board_in_english(office):
    user = office["users"][0]
    s = user["client"].new_session(BOARD, lang="en")
    q = s.question()
    assert q["questionText"].strip().startswith("Deadline board"), q["questionText"]
    text = html.unescape(re.sub(r"<[^>]+>", " ", q["subquestionText"]))
    exp = user["expected"]
    assert "Your saved cases" in text and "Next deadline" in text
    assert STATE_LABELS[exp.state]["en"] in text and long_date(exp.date, "en") in text
    assert "Tablero" not in text and "Vencido" not in text
