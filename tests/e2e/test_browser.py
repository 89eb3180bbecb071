"""A person in a real browser (Debian chromium + Selenium): screenshots of
every screen under artifacts/e2e/<test>/."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from . import browser as br
from .cases import answerer_for, full_name, load
from .conftest import require_interview

SMOKE = "docassemble.puentesmoke:data/questions/smoke.yml"

pytestmark = pytest.mark.skipif(br.available() is not None, reason=str(br.available()))


@pytest.mark.parametrize("lang, message", [("es", "como máximo"), ("en", "at most 17")])
def test_validation_error_in_the_users_language_keeps_the_answers(server, chromium, lang, message):
    b = chromium
    b.open(f"{server.base}/interview?i={SMOKE}&lang={lang}")
    b.shot("question")
    b.fill("child_name", "Rosa María")
    b.fill("age", "25")
    b.click_button()
    b.wait_for_error()
    b.shot("validation-error")
    assert message in b.text(), b.text()
    assert b.field("child_name").get_attribute("value") == "Rosa María"
    assert b.field("age").get_attribute("value") == "25"
    b.fill("age", "12")
    b.next_screen()
    b.wait_for_question(lambda q: q.startswith(("Documentos listos", "Documents ready")), limit=180)
    b.shot("documents")
    assert "ROSA MARÍA OK" in b.text()


ASYLUM = "docassemble.puente:data/questions/asylum.yml"
SWITCH_AT = "ID claim grounds"  # halfway: the first screen about the claim


def test_asylum_in_spanish_switching_to_english_down_to_the_pdf(server, chromium):
    """A lawyer's path through the asylum interview: starts in Spanish,
    switches to English on the claim screens, answers to the end, and
    downloads the Spanish filing as a PDF."""
    require_interview("asylum.yml")
    case = load("EX-0001")
    answerer = answerer_for(case)
    b = chromium
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={ASYLUM}")
    assert b.driver.find_element("tag name", "html").get_attribute("lang") == "es"
    headings: list[str] = []
    switched = False
    for step in range(60):
        heading = b.question()
        headings.append(heading)
        b.shot(heading[:40] or f"screen-{step}")
        if heading.startswith(("Documentos de", "Documents for")):
            break
        if not switched and heading.startswith(("¿Por qué teme regresar", "Why")):
            b.driver.find_element("id", "puente-language-switch").click()
            b.wait_ready()
            b.wait_for_question(lambda q, before=heading: q and q != before, limit=60)
            switched = True
            b.shot("switched-to-English")
            assert b.driver.find_element("tag name", "html").get_attribute("lang") == "en"
            assert b.driver.find_element("id", "puente-language-switch").text == "Español"
            continue
        b.answer_screen(answerer)
        b.next_screen()
    else:
        pytest.fail(f"no documents screen after 60 screens: {headings}")
    assert switched, f"never reached the claim screens: {headings}"
    spanish = headings[:headings.index(next(h for h in headings if h.startswith("¿Por qué teme")))]
    assert all(not h.startswith(("Who", "What", "Where", "Review")) for h in spanish), spanish
    assert headings[-1] == "Documents for " + full_name(case), headings[-1]
    assert "Asylum application" in b.text() or "refugee" in b.text()

    pdf_link = next(a for a in b.driver.find_elements("css selector", "a")
                    if (a.get_attribute("href") or "").endswith(f"{case['case_id']}-asylum-es.pdf"))
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", pdf_link)
    b.shot("documents-pdf-link")
    b._click(pdf_link)
    pdf = b.wait_download(".pdf")
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages).split())
    assert full_name(case).upper() in text.upper()
    assert "COMISIÓN MEXICANA DE AYUDA A REFUGIADOS" in text.upper()
    assert "{{" not in text

    # Children's counsel, in the same session: the review screen, the packet
    # from the background task (the page reloads itself until it is there),
    # the sign-off form.
    b.click_action("Review by the child's counsel")
    b.wait_for_question(lambda q: q.startswith("Review of case"), limit=120)
    b.shot("counsel-review")
    assert "A.L.P.L." in b.text() and full_name(case) not in b.text()
    assert "P R E S E N T E" in b.text() or b.driver.find_elements("css selector", "table.puente-pairs")
    b.wait_for_text("Download the review packet", limit=300)
    b.shot("counsel-review-packet-ready")
    b.click_action("Sign off the review")
    b.wait_for_question(lambda q: q.startswith("Sign off the review"), limit=60)
    b.choose("counsel_decision", "changes_requested")
    b.fill("counsel_reviewer", "Dra. Revisora")
    b.click_button()
    b.wait_for_error()
    b.shot("counsel-sign-off-needs-comments")
    assert "Say which changes you request" in b.text()
    b.choose("counsel_decision", "approved")
    b.shot("counsel-sign-off")
    assert b.next_screen().startswith("Review of case")
    b.shot("counsel-signed")
    assert "Approved" in b.text() and "Dra. Revisora" in b.text()


def test_deadline_box_shows_no_markdown(server, chromium):
    require_interview("asylum.yml")
    answerer = answerer_for(load("EX-0001"))
    b = chromium
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=en")
    def box() -> str:
        return " ".join(e.text for e in b.driver.find_elements("css selector", "#daright, .darightbottom"))

    for _ in range(8):  # the box appears once the entry date is known
        if "Deadline" in box():
            break
        b.answer_screen(answerer)
        b.next_screen()
    b.shot("deadline-box")
    assert "Deadline" in box(), "no deadline box after the entry screen"
    assert "**" not in box(), box()
