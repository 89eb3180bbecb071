"""Review by children's counsel inside the interview, run in-process: from the
documents screen to the review screen (the review packet's content), the
review packet built by a background task, the sign-off form, and the
sign-off going stale when the answers change afterwards."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest

from docassemble.puente.review import docx_paragraphs
from tests import da_harness as h
from tests import interview_answers as answers

pytestmark = pytest.mark.skipif(not h.docassemble_available(),
                                reason="docassemble.base is not installed (`make test` installs it)")

LEFTOVERS = re.compile(r"\{\{|\{%|\$\{|\b(None|nan|NaN|undefined)\b")
HEADINGS = {"es": ("El caso de un vistazo", "Alertas", "Plazos", "Opinión de la NNA", "Escritos: español e inglés"),
            "en": ("The case at a glance", "Flags", "Deadlines", "The child's views", "Filings: Spanish and English")}


@pytest.fixture(scope="module", autouse=True)
def booted():
    h.boot()


def open_review(lang: str) -> tuple[h.Session, h.Screen]:
    session, _ = h.run_rendering("asylum.yml", answers.ASYLUM, "documents", lang=lang)
    screen = session.action("puente_counsel_open")
    assert screen.id == "counsel review", screen
    return session, screen


def pair_rows(subquestion: str) -> list[tuple[str, str]]:
    return [(html.unescape(a), html.unescape(b)) for a, b in
            re.findall(r'<td lang="es">(.*?)</td><td lang="en">(.*?)</td>', subquestion)]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_screen_shows_the_packet_content(lang):
    session, screen = open_review(lang)
    text = screen.subquestion
    assert "EX-0001" in screen.title
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    other = HEADINGS["en" if lang == "es" else "es"]
    assert not [w for w in other if w in text], "labels of the other language on the screen"
    # The child by initials only: the screen says what the shareable packet says.
    assert "A.L.P.L." in text and "Pérez López" not in text and "Ana Lucía" not in text
    assert ("Presentación extemporánea" if lang == "es" else "Late filing") in text
    assert "LSRPCAP art. 18" in text and ("14 de abril de 2026" if lang == "es" else "April 14, 2026") in text
    assert ("Vencido (4 días hábiles de retraso)" if lang == "es" else "Past (4 business days late)") in text
    assert "[FILE " in text, "the timeline picture is shown"
    # Every filing side by side, paragraph for paragraph.
    rows = pair_rows(text)
    # the formula English omits faces an empty cell; the headings still pair
    assert ("P R E S E N T E", "") in rows and ("HECHOS", "FACTS") in rows
    words = re.sub(r"<[^>]+>|\[FILE [^\]]*\]", " ", text)  # markup aside (the picture's tag says None)
    assert not LEFTOVERS.search(words), LEFTOVERS.search(words)
    page = h.render_html(session, screen)
    assert "puente-pairs" in page and "Pérez López" not in page


def test_sign_off_in_the_interview_and_the_review_packet():
    session, screen = open_review("en")
    docs = session.eval("case_documents")
    assert docs.review_packet_state("en") == "pending", "opening the review starts the packet in the background"
    session.run_tasks()
    screen = session.assemble()
    assert docs.review_packet_state("en") == "ready"
    assert "Download the review packet" in screen.subquestion
    packet = docx_paragraphs(docs.review_packet("en").path())
    assert any("No sign-off recorded" in p for p in packet)
    assert any(p.startswith("A.L.P.L.") or "A.L.P.L." in p for p in packet)

    # The form: changes requested needs comments.
    screen = session.action("puente_counsel_sign")
    assert screen.id == "counsel sign-off"
    with pytest.raises(h.ScriptError, match="Say which changes you request"):
        session.answer(screen, {"counsel_decision": "changes_requested", "counsel_reviewer": "Dra. Revisora",
                                "counsel_comments": ""})
    session.answer(screen, {"counsel_decision": "approved", "counsel_reviewer": "Dra. Revisora",
                            "counsel_comments": "Listo <b>para</b> presentar"})
    screen = session.assemble()
    assert screen.id == "counsel review"
    assert "Approved" in screen.subquestion and "Dra. Revisora" in screen.subquestion
    assert "&lt;b&gt;para&lt;/b&gt;" in screen.subquestion, "a reviewer's words are shown as written, not as HTML"

    # Stored with the case: case.json and the manifest in the ZIP the interview offers.
    with zipfile.ZipFile(docs.extras["zip"].path()) as zf:
        record = json.loads(zf.read("EX-0001/case.json"))
        manifest = json.loads(zf.read("manifest.json"))
    assert record["review"]["decision"] == "approved" and record["review"]["reviewer"] == "Dra. Revisora"
    assert record["review"]["signed"]["documents"]["asylum"]["es"], "the sign-off keeps what was signed"
    assert manifest["cases"][0]["review"]["decision"] == "approved"
    assert json.loads(Path(docs.extras["case"].path()).read_text(encoding="utf-8"))["review"]["decision"] == "approved"

    # The packet is made again and now shows the sign-off.
    assert docs.review_packet_state("en") == "pending"
    session.run_tasks()
    session.assemble()
    packet = " ".join(docx_paragraphs(docs.review_packet("en").path()))
    assert "Approved" in packet and "Dra. Revisora" in packet and "STALE" not in packet

    # Back on the documents screen, the sign-off is shown.
    screen = session.action("puente_counsel_close")
    assert screen.id == "documents"
    assert re.search(r"<strong>Approved</strong> · Reviewed by Dra\. Revisora on \w+ \d+, \d{4}\.", screen.subquestion)


def test_review_goes_stale_when_the_answers_change():
    session, screen = open_review("es")
    screen = session.action("puente_counsel_sign")
    session.answer(screen, {"counsel_decision": "approved", "counsel_reviewer": "Lic. Revisor",
                            "counsel_comments": ""})
    screen = session.assemble()
    assert "Aprobado" in screen.subquestion
    docs = session.eval("case_documents")
    key = docs.key
    screen = session.action("puente_counsel_close")
    assert docs.key == key, "signing does not make the documents again"

    # The entry date changes: the documents are made again, the review is stale.
    session.exec("case.child.entry_date = as_datetime('2026-03-20')")
    screen = session.assemble()
    assert screen.id == "documents"
    assert docs.review_status["stale"] is True
    assert "child.entry_date" in docs.review_status["changed_fields"]
    assert "está desactualizada" in screen.subquestion
    screen = session.action("puente_counsel_open")
    text = html.unescape(screen.subquestion)
    assert "Revisión desactualizada" in text
    assert "Fecha de ingreso a México: 2 de marzo de 2026 → 20 de marzo de 2026" in text
    assert re.search(r"Párrafos modificados: Solicitud de reconocimiento de la condición de refugiado "
                     r"\(español\): §\s\d", text)
