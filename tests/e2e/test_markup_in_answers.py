"""Markdown and HTML typed into a name are shown as written on every screen
that shows it (issue: the server, hardened, defect 5): a name like
``[Ana](javascript:…)`` never becomes a link, ``![x](http://…)`` never loads
an image, and ``<b>`` is neither bold nor silently dropped. Checked on the
HTML the server sends for every screen of the asylum interview, and in a
real Chromium on the documents screen, the screen whose title carries the
full name."""

from __future__ import annotations

import re

import pytest

from . import browser as br
from .cases import answerer_for, load
from .conftest import ARTIFACTS, require_interview
from .daclient import drive

GIVEN = "[Ana](javascript:window.puentePwned=1)"
FAMILY = "<b>Pérez</b> ![x](http://127.0.0.2/x.png) *López*"
LIVE = re.compile(r"<a[^>]+href=[\"']?javascript|<img[^>]+127\.0\.0\.2|<b>Pérez</b>|<em>López</em>", re.I)


def hostile_case() -> dict:
    case = load("EX-0001")
    case["child"]["given_names"] = GIVEN
    case["child"]["family_names"] = FAMILY
    case["family"][0]["given_names"] = "<i>Carmen</i>"
    return case


def test_markup_in_names_is_text_on_every_screen(api):
    require_interview("asylum.yml")
    seen: list[str] = []
    shown: list[str] = []

    def check(q: dict) -> None:
        html = " ".join(str(q.get(k, "")) for k in ("questionText", "subquestionText", "underText"))
        html += " ".join(str(f.get("label", "")) for f in q.get("fields", []))
        seen.append(str(q.get("questionName")))
        live = LIVE.search(html)
        assert not live, f"markup from an answer is live on {q.get('questionName')}: {live.group(0)!r}"
        if "javascript:window.puentePwned" in html or "Pérez" in html:
            shown.append(str(q.get("questionName")))

    s = api.new_session("docassemble.puente:data/questions/asylum.yml", lang="es")
    drive(s, answerer_for(hostile_case()), until=lambda q: q.get("id") == "documents", on_question=check)
    assert len(shown) >= 5, f"the name showed on too few screens to prove anything: {shown} of {seen}"


pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.mark.skipif(br.available() is not None, reason=str(br.available()))
def test_markup_in_names_in_chromium(server, api, tmp_path):
    require_interview("asylum.yml")
    # Answers stay encrypted with their owner's key: start the session with the
    # admin's own secret so that the admin's browser sign-in can open it.
    secret = api.secret_for(server.admin_email, server.admin_password)
    s = api.new_session("docassemble.puente:data/questions/asylum.yml", lang="es", secret=secret)
    drive(s, answerer_for(hostile_case()), until=lambda q: q.get("id") == "documents")
    b = br.Browser(ARTIFACTS / "markup-in-names")
    try:
        b.sign_in(server.base, server.admin_email, server.admin_password)
        # The admin owns the API's sessions: open this one in the browser.
        b.open(f"{server.base}/interview?i=docassemble.puente:data/questions/asylum.yml&session={s.session}")
        b.shot("documents-with-markup-name")
        heading = b.question()
        assert GIVEN in heading and "<b>Pérez</b>" in heading and "*López*" in heading, heading
        assert b.driver.execute_script("return window.puentePwned || 0") == 0
        assert not b.driver.find_elements(
            "css selector", "a[href^='javascript'], img[src*='127.0.0.2'], #daquestion h1 b")
    finally:
        b.close()
