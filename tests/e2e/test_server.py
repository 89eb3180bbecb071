"""The server's own plumbing, proven with a tiny interview of its own
(tests/e2e/smoke_package: docassemble.puentesmoke), so that a failure here
points at the server and not at Puente's interviews: the REST API, a Celery
background task through RabbitMQ, DOCX assembly and PDF conversion through
unoserver, Spanish system phrases, and `make serve` being harmless twice."""

from __future__ import annotations

import io
import re
import subprocess
import time

import pytest
import requests
from docx import Document
from pypdf import PdfReader

from .conftest import ROOT, SCRIPTS, STATE, needs_interview
from .daclient import file_numbers, question_text

SMOKE = "docassemble.puentesmoke:data/questions/smoke.yml"
INTAKE = "docassemble.puente:data/questions/main_intake.yml"


def test_health_check_and_loopback_only(server):
    r = requests.get(server.base + "/health_check", timeout=30)
    assert r.status_code == 200
    listening = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True, timeout=30).stdout
    for port in (8080, 5432, 6379, 5672):
        addresses = [line.split()[3] for line in listening.splitlines() if line.split()[3].endswith(f":{port}")]
        assert addresses, f"nothing listens on port {port}"
        assert all(a.startswith(("127.0.0.1:", "[::1]:")) for a in addresses), f"port {port}: {addresses}"
    # The converter has no TCP port at all (a UNIX socket only its user can use).
    for port in (2002, 2003):
        assert not [line for line in listening.splitlines() if line.split()[3].endswith(f":{port}")], port


SPANISH_CONTINUE = ("Continuar", "Seguir")  # docassemble's es-words.xlf says "Seguir"


@pytest.mark.parametrize("lang, words", [
    ("es", {"title": "Documentos listos", "question": "¿Cómo se llama"}),
    ("en", {"title": "Documents ready", "question": "What is the child's name?"}),
])
def test_smoke_interview_through_the_api(api, lang, words):
    s = api.new_session(SMOKE, lang=lang)
    q = s.question()
    assert q["questionName"].endswith("child")
    assert q["questionText"].startswith(words["question"])
    # The API gives docassemble's own labels in the server's default language
    # (Spanish), whatever the session's language; the interview's text follows it.
    assert q["continueLabel"] in SPANISH_CONTINUE
    q = s.post({"child_name": "Ana Lucía Pérez", "age": 15}, question_name=q["questionName"])
    # A Celery task (background_action) runs while the interview waits.
    q = s.wait_for(lambda q: q.get("id") == "final", limit=180)
    assert question_text(q).startswith(words["title"])
    assert "ANA LUCÍA PÉREZ OK" in question_text(q)
    files = dict((name.rsplit(".", 1)[1], n) for n, name in file_numbers(q))
    assert set(files) == {"docx", "pdf"}
    pdf = s.file(files["pdf"])
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    docx = s.file(files["docx"])
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    for content in (text, body):
        assert "Ana Lucía Pérez" in content
        assert "Edad / Age: 15" in content
        assert "ANA LUCÍA PÉREZ OK" in content
        assert f"Idioma / Language: {lang}" in content
        assert "{{" not in content and "None" not in content


def test_pdf_conversion_goes_through_unoserver(api):
    log = STATE / "docassemble" / "log" / "docassemble.log"
    s = api.new_session(SMOKE)
    s.post({"child_name": "Luis", "age": 9}, question_name=s.question()["questionName"])
    s.wait_for(lambda q: q.get("id") == "final", limit=180)
    text = log.read_text(errors="replace")
    assert "Trying unoconvert" in text
    assert "Trying libreoffice with" not in text


def test_spanish_system_phrases(server):
    """docassemble's own words (buttons, validation) come in Spanish."""
    html = requests.get(f"{server.base}/interview?i={SMOKE}&lang=es", timeout=60).text
    assert "¿Cómo se llama la niña o el niño?" in html
    assert any(f">{word}</button>" in html for word in SPANISH_CONTINUE), html[-3000:]
    # Registration is off: "sign in", never "sign up".
    assert "Inicie sesión para guardar las respuestas" in html and "regístrese" not in html


@needs_interview("main_intake.yml")
def test_intake_is_served_in_spanish(server):
    r = server.sign_in().get(f"{server.base}/interview?i={INTAKE}", timeout=120)
    assert r.status_code == 200, r.text[-2000:]
    assert 'lang="es"' in r.text


def test_serving_twice_is_harmless(server):
    pids = {p.name: p.read_text() for p in (STATE / "run").glob("*.pid")}
    t = time.monotonic()
    proc = subprocess.run(["bash", str(SCRIPTS / "serve.sh")], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert time.monotonic() - t < 120
    assert {p.name: p.read_text() for p in (STATE / "run").glob("*.pid")} == pids
    assert "running (pid" in proc.stdout
    # The secrets are printed nowhere: only where to find them.
    for secret in ("admin-password", "api-key", "db-password", "secretkey"):
        value = (STATE / "secrets" / secret).read_text().strip()
        assert value not in proc.stdout and value not in proc.stderr
    assert "/interview?i=docassemble.puente:data/questions/main_intake.yml" in proc.stdout


def test_admin_can_log_in_with_the_generated_password(server):
    http = requests.Session()
    page = http.get(server.base + "/user/sign-in", timeout=60)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    r = http.post(server.base + "/user/sign-in", timeout=60, allow_redirects=False,
                  data={"csrf_token": token.group(1), "email": server.admin_email, "password": server.admin_password})
    assert r.status_code == 302, r.text[-2000:]
    profile = http.get(server.base + "/user/profile", timeout=60, allow_redirects=False)
    assert profile.status_code == 200 and server.admin_email in profile.text
