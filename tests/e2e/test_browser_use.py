"""The interview as lawyers and paralegals use it, in a real Chromium on the
real server (issue 13): intake to documents in one session, every screen
checked with axe-core in Spanish and English, finding the case again in
"Mis entrevistas", the quick exit, and the warning when another person
changed the case under an open screen. Screenshots: artifacts/e2e/<test>/."""

from __future__ import annotations

import time

import pytest

from . import browser as br
from .cases import answerer_for, full_name, load
from .conftest import ROOT

pytestmark = pytest.mark.skipif(br.available() is not None, reason=str(br.available()))

INTAKE = "docassemble.puente:data/questions/main_intake.yml"
ASYLUM = "docassemble.puente:data/questions/asylum.yml"
COADYUVANTE = "docassemble.puente:data/questions/coadyuvante.yml"
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
DOCUMENTS = ("Documentos de", "Documents for")


def sign_in(b: br.Browser, server) -> None:
    """Sign in as the server's administrator (sessions are then kept in the
    account and listed in "Mis entrevistas")."""
    b.open(f"{server.base}/user/sign-in")
    b.driver.find_element("id", "email").send_keys(server.admin_email)
    b.driver.find_element("id", "password").send_keys(server.admin_password)
    b.driver.find_element("css selector", "form button[type=submit], form input[type=submit]").click()
    end = time.monotonic() + 60
    while "sign-in" in b.driver.current_url and time.monotonic() < end:
        time.sleep(0.3)
    assert "sign-in" not in b.driver.current_url, "could not sign in"


# ---------------------------------------------------------------------------
# axe-core


def axe_violations(b: br.Browser) -> list[dict]:
    """axe-core's critical and serious violations on the page as shown."""
    if not b.driver.execute_script("return typeof window.axe === 'object'"):
        b.driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = b.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(r => done({passes: r.passes.length,
            violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))}))}))
          .catch(e => done({passes: 0,
                            violations: [{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]}));
    """)
    # axe really ran its rules on the page (a check that checked nothing would pass).
    assert found["passes"] >= 10, found
    return [v for v in found["violations"] if v["impact"] in ("critical", "serious")]


def walk(b: br.Browser, answerer, *, until=DOCUMENTS, check_axe: bool, limit: int = 60) -> list[tuple[str, list]]:
    """Answer screen after screen until a heading starts with ``until``;
    with ``check_axe``, axe runs on every screen. Returns (heading, violations)."""
    seen = []
    for step in range(limit):
        heading = b.question()
        b.shot(heading[:40] or f"screen-{step}")
        seen.append((heading, axe_violations(b) if check_axe else []))
        if heading.startswith(until):
            return seen
        b.answer_screen(answerer)
        b.next_screen()
    pytest.fail(f"never reached {until}: {[h for h, _ in seen]}")


def _report(seen: list[tuple[str, list]]) -> str:
    return "\n".join(f"{h}: {v['id']} ({v['impact']}) {v['help']} {v['nodes']}" for h, vs in seen for v in vs)


# ---------------------------------------------------------------------------
# Intake to documents in one session; axe on every screen, es and en


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (scripts/server/install.sh installs it)")
def test_intake_to_documents_in_one_session_accessible_in_spanish(server, chromium):
    """A lawyer starts with the intake, picks the recommended procedures and
    goes on to the documents of both in the same session: no screen is
    asked twice, nothing is typed again. axe finds nothing critical or
    serious on any screen, the review and counsel's review included."""
    case = load("EX-0001")
    answerer = answerer_for(case, extra={
        "intake_fear": True, "intake_relative_refugee": False, "intake_child_refugee": False,
        "intake_procedures": ["asylum", "coadyuvante"]})
    b = chromium
    sign_in(b, server)
    b.open(f"{server.base}/interview?i={INTAKE}&lang=es&new_session=1")
    seen = walk(b, answerer, check_axe=True)
    headings = [h for h, _ in seen]
    assert headings[-1] == "Documentos de " + full_name(case)
    assert len(headings) == len(set(headings)) or headings.count("¿Qué ha pasado?") == 1
    assert sum(h.startswith("¿Quién es la niña") for h in headings) == 1, headings
    text = b.text()
    assert "Solicitud de reconocimiento de la condición de refugiado" in text
    assert "coadyuvante" in text.lower()
    # The download links name the document for a screen reader.
    names = [a.get_attribute("textContent") for a in b.driver.find_elements("css selector", "a[href*='-asylum-es.']")]
    assert names and all("Solicitud" in n for n in names), names
    b.click_action("Revisión por la abogada o el abogado de la NNA")
    b.wait_for_question(lambda q: q.startswith("Revisión del caso"), limit=120)
    b.shot("counsel-review")
    seen.append(("counsel review", axe_violations(b)))
    assert not any(vs for _, vs in seen), _report(seen)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (scripts/server/install.sh installs it)")
def test_asylum_path_accessible_in_english(server, chromium):
    case = load("EX-0001")
    b = chromium
    sign_in(b, server)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=en&new_session=1")
    seen = walk(b, answerer_for(case), check_axe=True)
    assert seen[-1][0] == "Documents for " + full_name(case)
    review = [h for h, _ in seen if h.startswith("Review")]
    assert review, [h for h, _ in seen]
    assert not any(vs for _, vs in seen), _report(seen)


# ---------------------------------------------------------------------------
# Finding the case again


def test_resume_from_the_interview_list_by_case_id_and_initials(server, chromium):
    case = load("EX-0001")
    answerer = answerer_for(case, extra={"case.case_id": "RESUME-13"})
    b = chromium
    sign_in(b, server)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=es&new_session=1")
    assert "se perderá al cerrar el navegador" not in b.text()  # signed in: the case is kept
    walk(b, answerer, until=("Ingreso de",), check_axe=False)
    where = b.question()
    b.open(f"{server.base}/interviews")
    b.shot("interview-list")
    row = next(r for r in b.driver.find_elements("css selector", "table tbody tr") if "RESUME-13" in r.text)
    assert "A.L.P.L." in row.text and full_name(case) not in row.text
    assert "Último cambio" in row.text
    link = row.find_element("css selector", "a")
    # With many saved sessions the row sits at the foot of the page, under the
    # fixed footer: bring it to the middle first, as a person scrolls to it.
    # (`_click` also clicks by script if a smooth scroll is still under way)
    b._click(link)
    b.wait_ready()
    b.wait_for_question(lambda q: q == where, limit=60)
    b.shot("resumed")

    # Another procedure for the same child, started from this saved session:
    # the child's screen comes with the answers already there.
    from selenium.webdriver.support.ui import Select

    b.open(f"{server.base}/interview?i={COADYUVANTE}&lang=es&new_session=1")
    b.next_screen()
    b.wait_for_question(lambda q: q.startswith("¿Cómo quiere empezar"), limit=60)
    b.choose("case_start_from", "session")
    time.sleep(0.5)
    select = next(el for var, el in b.inputs() if var == "case_start_session")
    option = next(o for o in select.find_elements("tag name", "option") if "RESUME-13" in o.text)
    assert "A.L.P.L." in option.text
    Select(select).select_by_value(option.get_attribute("value"))
    b.shot("start-from-saved-session")
    b.next_screen()
    b.wait_for_question(lambda q: q.startswith("¿Quién es la niña"), limit=60)
    b.shot("loaded-from-saved-session")
    values = {var: el.get_attribute("value") for var, el in b.inputs()}
    assert values.get("case.child.given_names") == case["child"]["given_names"], values
    assert values.get("case.case_id") == "RESUME-13"


# ---------------------------------------------------------------------------
# Quick exit and two lawyers on one case


@pytest.mark.parametrize("how", ["button", "escape"])
def test_quick_exit_leaves_for_a_neutral_page(server, chromium, how):
    case = load("EX-0001")
    b = chromium
    sign_in(b, server)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=es&new_session=1")
    walk(b, answerer_for(case), until=("Idiomas de",), check_axe=False)
    assert case["child"]["given_names"] in b.text()
    b.shot("before-exit")
    if how == "button":
        b.driver.find_element("id", "puente-quick-exit").click()
    else:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        ActionChains(b.driver).send_keys(Keys.ESCAPE).perform()
    end = time.monotonic() + 30
    while "neutral.html" not in b.driver.current_url and time.monotonic() < end:
        time.sleep(0.2)
    b.shot("neutral-page")
    assert "neutral.html" in b.driver.current_url
    assert "Puente" not in b.driver.title and "NNA" not in b.text()
    # Back does not show the child's data: the screen was replaced in the
    # history and the session was signed out.
    b.driver.back()
    time.sleep(1.5)
    b.shot("after-back")
    assert case["child"]["given_names"] not in b.driver.page_source


def test_stale_screen_warning_when_someone_else_saved(server, chromium):
    """Two windows on the same case: the second saves a screen; the first,
    still open on that screen, warns that the case changed."""
    case = load("EX-0001")
    answerer = answerer_for(case)
    b = chromium
    sign_in(b, server)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=es&new_session=1")
    walk(b, answerer, until=("Idiomas de",), check_axe=False)
    first = b.driver.current_window_handle
    b.driver.switch_to.new_window("tab")
    b.open(f"{server.base}/interview?i={ASYLUM}")  # the same session, resumed
    b.wait_for_question(lambda q: q.startswith("Idiomas de"), limit=60)
    b.answer_screen(answerer)
    b.next_screen()
    b.driver.switch_to.window(first)
    end = time.monotonic() + 40
    while time.monotonic() < end:
        warning = b.driver.find_elements("id", "puente-stale-warning")
        if warning and warning[0].is_displayed():
            break
        time.sleep(0.5)
    b.shot("stale-warning")
    assert "Este caso cambió desde que abrió esta pantalla" in b.text()
