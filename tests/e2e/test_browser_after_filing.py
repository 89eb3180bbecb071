"""The escritos after the first filing (issue 12) in a real Chromium on the
real server, each from its own entry interview to the documents: the
recurso de revisión of a refused case (one agravio per ground of the
refusal, the expediente, the deadline in long Spanish form), then the
ratification, the reply to a prevención, the change of residence and the
carta poder on its own. Screenshots: artifacts/e2e/<test>/."""

from __future__ import annotations

import re

import pytest

from . import browser as br
from .cases import answerer_for, full_name, load
from .conftest import require_interview

# template leftovers: an unrendered tag, or a Python None / NaN printed as a word
LEFTOVERS = r"\{\{|\{%|\bNone\b|\bnan\b"

pytestmark = pytest.mark.skipif(br.available() is not None, reason=str(br.available()))

QUESTIONS = "docassemble.puente:data/questions"
DOCUMENTS = ("Documentos de", "Documents for")
ORDINALS = ("PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO")
EXPEDIENTE = "COMAR/TAP/2291/2026"



def start(b: br.Browser, server, interview: str, lang: str = "es") -> None:
    require_interview(interview)
    b.sign_in(server.base, server.admin_email, server.admin_password)
    b.open(f"{server.base}/interview?i={QUESTIONS}/{interview}&lang={lang}&new_session=1")


def test_recurso_de_revision_of_a_refused_case(server, chromium):
    """Marvin's refused case (EX-0008) through review_appeal.yml: the stage
    and the refusal's facts on the after-filing screens, the claim, to the
    documents; the recurso answers each ground of the refusal in its own
    numbered agravio, names the expediente and the resolution, and gives the
    deadline in long Spanish form; no new application is produced."""
    case = load("EX-0008")
    res = case["proceedings"]["resolution"]
    b = chromium
    start(b, server, "review_appeal.yml")
    seen = b.walk(answerer_for(case, extra={"case.case_id": "E2E-RECURSO-1"}), DOCUMENTS)
    assert seen[0] == "Recurso de revisión contra la negativa de la COMAR", seen
    assert "¿En qué etapa está el caso ante la COMAR?" in seen and "El trámite ante la COMAR" in seen, seen
    assert seen[-1] == "Documentos de " + full_name(case)
    page = b.text()
    assert "Recurso de revisión" in page and "7 de diciembre de 2026" in page  # the side box / the table
    assert not any("-asylum-" in (a.get_attribute("href") or "") for a in b.driver.find_elements("css selector", "a"))
    recurso = br.docx_words(b.download_document("E2E-RECURSO-1", "review_appeal", "es"))
    assert f"EXPEDIENTE: {EXPEDIENTE}" in recurso and res["number"] in recurso
    assert "7 de diciembre de 2026" in recurso and "13 de noviembre de 2026" in recurso
    for n, ground in enumerate(res["grounds"]):
        quoted = f"«{ground.rstrip('.')}»"
        m = re.search(rf"{ORDINALS[n]}\.- [^.]+\. La resolución recurrida sostiene: {re.escape(quoted)}", recurso)
        assert m, (ORDINALS[n], ground)
    assert recurso.count("La resolución recurrida sostiene:") == len(res["grounds"])
    assert "SUSPENSIÓN" in recurso.upper() and "Se solicita el reconocimiento" not in recurso
    assert not re.search(LEFTOVERS, recurso), re.search(LEFTOVERS, recurso)
    english = br.docx_words(b.download_document("E2E-RECURSO-1", "review_appeal", "en"))
    assert EXPEDIENTE in english and "December 7, 2026" in english


# Each other entry interview, on Marvin's case at the stage it is for.
RATIFIED = {"case.after_filing_stage": "filed"}  # filed and ratified, nothing due
OTHERS = {
    "ratification.yml": ("ratification", {
        "case.after_filing_stage": "filed", "case.proceedings.comar_filed_date": "2026-11-18",
        "case.proceedings.ratified_date": None, "case.filing_date": "2026-11-20"},
        ("Ratificación de la solicitud ante la COMAR", (EXPEDIENTE, "18 de noviembre de 2026", "ratific"))),
    "prevention_reply.yml": ("prevention_reply", {
        "case.after_filing_stage": "prevented", "case.proceedings.prevention_notified_date": "2026-11-19",
        "case.proceedings.prevention_items": "Acta de nacimiento o documento de identidad\nDomicilio actual",
        "case.proceedings.prevention_term_days": 5},
        ("Desahogo de una prevención de la COMAR",
         (EXPEDIENTE, "19 de noviembre de 2026", "Acta de nacimiento o documento de identidad", "Domicilio actual"))),
    "residence_change.yml": ("residence_change", {
        **RATIFIED, "case.proceedings.residence_change.to_city": "Monterrey",
        "case.proceedings.residence_change.to_state": "Nuevo León",
        "case.proceedings.residence_change.reason": "Vivirá con su tía materna, que puede cuidarlo"},
        ("Cambio de residencia y traslado del expediente ante la COMAR",
         (EXPEDIENTE, "Monterrey", "Nuevo León", "tía materna"))),
    "carta_poder.yml": ("carta_poder", RATIFIED, (
        "Carta poder ante la COMAR",
        (EXPEDIENTE, "MARVIN JOSUÉ REYES CASTILLO", "RODRIGO MÉNDEZ AGUILAR", "otorgo CARTA PODER"))),
}


@pytest.mark.parametrize("interview", list(OTHERS))
def test_other_after_filing_entry_interviews(server, chromium, interview):
    kind, extra, (first, words) = OTHERS[interview]
    case = load("EX-0008")
    case_id = f"E2E-{kind.upper().replace('_', '-')}"
    b = chromium
    start(b, server, interview)
    seen = b.walk(answerer_for(case, extra={**extra, "case.case_id": case_id}), DOCUMENTS)
    assert seen[0] == first, seen
    assert seen[-1] == "Documentos de " + full_name(case), seen
    hrefs = [a.get_attribute("href") or "" for a in b.driver.find_elements("css selector", "a")]
    assert any(h.split("?")[0].endswith(f"{case_id}-{kind}-es.docx") for h in hrefs)
    assert not any("-asylum-" in h or "-review_appeal-" in h for h in hrefs), "no other escrito is due"
    text = br.docx_words(b.download_document(case_id, kind, "es"))
    for word in words:
        assert word in text, (kind, word)
    assert not re.search(LEFTOVERS, text), re.search(LEFTOVERS, text)
