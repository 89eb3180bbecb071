"""The screens of case-true filings (issue 11) in a real Chromium on the real
server: who persecutes the child and what the State did, the present risks,
the derivative case's own claim; the review screen that lists them, an
answer changed from it; and the filing that states them. Screenshots:
artifacts/e2e/<test>/."""

from __future__ import annotations

import re

import pytest

from . import browser as br
from .cases import answerer_for, full_name, load
from .conftest import require_interview

# template leftovers: an unrendered tag, or a Python None / NaN printed as a word
LEFTOVERS = r"\{\{|\{%|\bNone\b|\bnan\b"

pytestmark = pytest.mark.skipif(br.available() is not None, reason=str(br.available()))

ASYLUM = "docassemble.puente:data/questions/asylum.yml"
DERIVATIVE = "docassemble.puente:data/questions/derivative_status.yml"
DOCUMENTS = ("Documentos de", "Documents for")
REVIEW = ("Revise las respuestas", "Review the answers")



def review_item(b: br.Browser, text: str):
    """The review screen's row whose text contains ``text``."""
    rows = [r for r in b.driver.find_elements("css selector", "#daform .da-review") if text in r.text]
    assert rows, f"no review row with {text!r}: {b.text()[:1500]}"
    return rows[0]


def test_asylum_persecution_and_risks_through_the_review_into_the_filing(server, chromium):
    """Ana's asylum case in Spanish: the persecution screen (gang, social
    group, the police complaint that went unanswered) and the risks screen
    are filled in Chromium; the review lists both; a risk added from the
    review reaches the filing's urgent measures; the Spanish application
    states the social group, the persecutor and the failed protection."""
    require_interview("asylum.yml")
    case = load("EX-0001")
    claim = case["claim"]
    answerer = answerer_for(case, extra={"case.risks": ["threatened_by_known_person"],
                                         "case.case_id": "E2E-CASO-1"})
    b = chromium
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=es&new_session=1")
    seen = b.walk(answerer, REVIEW)
    assert any(h.startswith("Quién persigue a") for h in seen), seen
    assert any(h.startswith("¿Corre ") and h.endswith("algún peligro ahora?") for h in seen), seen

    # The review lists the claim's structure and the risks, with the answers.
    persecution = review_item(b, "Agente de persecución")
    assert "Pandilla" in persecution.text or "pandilla" in persecution.text, persecution.text
    assert claim["social_group"] in persecution.text
    assert "Policía Nacional Civil, no obtuvo respuesta" in persecution.text
    risks = review_item(b, "Riesgos actuales")
    assert "amenazas de una persona identificada" in risks.text
    b.shot("review-lists-persecution-and-risks")

    # Counsel goes back to the risks from the review and adds one.
    b._click(risks.find_element("css selector", "a.da-review-action"))
    b.wait_ready()
    heading = b.wait_for_question(lambda q: q.startswith("¿Corre "), limit=60)
    b.shot("risks-revisited")
    b.answer_screen(answerer_for(case, extra={"case.risks": ["threatened_by_known_person", "pursued_in_mexico"]}))
    b.shot("risks-one-added")
    assert b.next_screen().startswith(REVIEW), heading
    risks = review_item(b, "Riesgos actuales")
    assert "amenazas de una persona identificada" in risks.text and "la buscan en México" in risks.text, risks.text
    b.shot("review-after-the-change")

    b.next_screen("Generar los documentos")
    b.wait_for_question(lambda q: q.startswith(DOCUMENTS), limit=300)
    b.shot("documents")
    spanish = br.docx_words(b.download_document("E2E-CASO-1", "asylum", "es"))
    assert claim["social_group"] in spanish
    assert "Barrio 18" in spanish or "pandilla" in spanish
    assert "Policía Nacional Civil" in spanish and "no obtuvo respuesta" in spanish
    assert "12 de enero de 2026" in spanish  # when protection was sought
    # the urgent measure that the risks call for (law/measures.yml, comar_urgent_measures)
    assert "Dar aviso inmediato a la Procuraduría de Protección competente del riesgo" in spanish
    assert "amenazas de una persona identificada" in spanish
    assert not re.search(LEFTOVERS, spanish), re.search(LEFTOVERS, spanish)


def test_derivative_case_gives_its_own_claim_in_english(server, chromium):
    """A derivative-only case (Valeria, EX-0005) in English: asked whether
    she fears returning, then the claim screens, the persecution screen
    included; the help texts say "business days"; the Spanish derivative
    filing argues her own claim subsidiarily with the social group she was
    given and why no protection was sought."""
    require_interview("derivative_status.yml")
    case = load("EX-0005")
    group = "adolescentes venezolanas hijas de personas perseguidas por los colectivos armados"
    reason = "la policía del barrio colabora con el colectivo armado"
    answerer = answerer_for(case, extra={
        "case.claim.grounds": ["political_opinion", "particular_social_group"],
        "case.claim.social_group": group,
        "case.claim.state_protection.sought": False,
        "case.claim.state_protection.not_sought_reason": reason,
        "case.risks": [], "case.case_id": "E2E-DERIV-1"})
    b = chromium
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={DERIVATIVE}&lang=en&new_session=1")
    seen = b.walk(answerer, DOCUMENTS)
    own = "have reasons of their own not to return to their country?"
    fear = next((i for i, h in enumerate(seen) if h.endswith(own)), None)
    assert fear is not None, seen
    persecution = next((i for i, h in enumerate(seen) if h.startswith("Who persecutes")), None)
    assert persecution is not None and persecution > fear, seen
    assert seen[-1] == "Documents for " + full_name(case)
    spanish = br.docx_words(b.download_document("E2E-DERIV-1", "derivative_status", "es"))
    assert "La solicitud por derecho propio se sustenta en los hechos expuestos" in spanish
    assert group in spanish and reason in spanish
    english = br.docx_words(b.download_document("E2E-DERIV-1", "derivative_status", "en"))
    assert f"“{group}”" in english and "own right" in english


def test_help_texts_say_business_days(server, chromium):
    """The English deadline screen and its definition: the glossary's
    "business days", never "working days"."""
    require_interview("asylum.yml")
    answerer = answerer_for(load("EX-0001"))
    b = chromium
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={ASYLUM}&lang=en&new_session=1")
    b.walk(answerer, ("The case’s deadlines",), limit=12)  # docassemble prints a typographic apostrophe
    page = b.driver.page_source
    assert "business days" in page and not re.search(r"(?<!non-)working days", page), b.text()[:800]
    assert not re.search(r"\bterm of \d", b.text()), b.text()[:800]  # "time limit" for plazo
