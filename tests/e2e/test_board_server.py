"""The server's deadline board (interviews/board.yml) on the real server.

Two users made through the administrator's API, each with one saved asylum
session; each user's board lists only their own case; the administrator's
lists both, with the state, date and working days the core's engine gives for
the same facts, overdue first. A user's line links back into their session;
the administrator's lines of other users' sessions do not (their answers stay
encrypted with their user's key: the administrator's board reads only the
minimal summary each case session writes to docassemble's global store). In
the database, the session's row is encrypted and neither it nor the global
summary holds the child's name in clear. In a real browser the
administrator's board is shown (screenshot) and its .ics button downloads a
feed that parses with ``icalendar``."""

from __future__ import annotations

import base64
import datetime as dt
import html
import pickle
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
from .test_zz_privacy import _psql

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
        # the user's own line links back into their session
        href = re.search(r'<a href="([^"]+)"', rows[0][2]).group(1)
        assert f"session={user['session']}" in html.unescape(href)
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
        # no link into another user's session: its answers open only with that user's key
        assert "<a " not in cells and user["session"] not in cells
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
        # another user's case is listed, not linked (its answers stay encrypted with its user's key)
        assert not d.find_elements(By.LINK_TEXT, office["users"][1]["facts"]["case_id"])
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


def test_case_answers_stay_encrypted_and_the_global_summary_has_no_name(office):
    """docassemble's default kept for case sessions: the session's database row
    is encrypted and does not show the child's name; the global store's
    summary the administrator's board reads holds the case id and initials,
    never the name."""
    for user in office["users"]:
        f, session = user["facts"], user["session"]
        rows = _psql(f"SELECT encrypted, strpos(dictionary, '{f['given']}'), strpos(dictionary, '{f['case_id']}') "
                     f"FROM userdict WHERE key = '{session}'").split()
        assert rows, "no database row for the session"
        assert all(r == "t|0|0" for r in rows), rows
        stored = _psql("SELECT encrypted, replace(value, chr(10), '') FROM globalobjectstorage "
                       f"WHERE key = 'da:global:puente-board:{session}'").split()
        assert len(stored) == 1, stored
        encrypted, value = stored[0].split("|", 1)
        assert encrypted == "f"
        raw = base64.b64decode(value)
        summary = pickle.loads(raw)  # docassemble's pack_object: the summary as written, in clear
        assert summary["case_id"] == f["case_id"] and summary["session"] == session
        assert summary["initials"] == {"Marisol": "M.A.P.", "Kevin": "K.M.R."}[f["given"]]
        assert summary["owner"] == user["email"]
        for secret in (f["given"], f["family"], f["counsel"][0]):
            assert secret.encode() not in raw and secret not in repr(summary)
