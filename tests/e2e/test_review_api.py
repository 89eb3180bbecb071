"""Children's counsel reviews a finished interview on the real server: the
review screen, the review packet made by the Celery worker (PDF through
unoserver), the sign-off form with its validation, and the sign-off stored in
the case record and the manifest of the ZIP the interview offers."""

from __future__ import annotations

import io
import json
import re
import zipfile

from pypdf import PdfReader

from .cases import answerer_for, full_name, load
from .conftest import ARTIFACTS, require_interview
from .daclient import drive, file_numbers, question_text

ASYLUM = "docassemble.puente:data/questions/asylum.yml"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return " ".join((" ".join(p.extract_text() or "" for p in reader.pages) + " " + meta).split())


def packet_ready(q: dict) -> bool:
    return any(name.endswith("-review-en.pdf") for _, name in file_numbers(q))


def download(s, q: dict, suffix: str, folder) -> bytes:
    number, name = next((n, name) for n, name in file_numbers(q) if name.endswith(suffix))
    content = s.file(number).content
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return content


def test_counsel_reviews_and_signs_off_a_finished_interview(api):
    require_interview("asylum.yml")
    case = load("EX-0001")
    cid = case["case_id"]
    folder = ARTIFACTS / "api" / "counsel-review"
    s = api.new_session(ASYLUM, lang="en")
    drive(s, answerer_for(case), until=lambda q: q.get("id") == "documents")

    s.action("puente_counsel_open")
    q = s.question()
    assert q.get("id") == "counsel review", question_text(q)[:300]
    screen = question_text(q)
    assert screen.startswith(f"Review of case {cid}")
    assert "Late filing" in screen and "LSRPCAP art. 18" in screen
    # the addressee formula is Spanish only (English omits it); the headings pair
    assert "P R E S E N T E" in screen and not re.search(r"\bPRESENT\b", screen)
    assert "HECHOS" in screen and "FACTS" in screen
    assert "A.L.P.L." in screen and full_name(case) not in screen

    # The packet comes from the Celery worker; the screen reloads until it is there.
    q = s.wait_for(packet_ready, limit=300, every=2)
    text = pdf_text(download(s, q, "-review-en.pdf", folder))
    assert "REVIEW PACKET" in text and cid in text and "A.L.P.L." in text
    assert case["child"]["family_names"] not in text, "the review packet is the shareable version"
    assert "No sign-off recorded" in text and "{{" not in text

    # The sign-off form (its validation is a web-form check: the browser test
    # submits a request for changes without comments).
    s.action("puente_counsel_sign")
    q = s.question()
    assert q.get("id") == "counsel sign-off", question_text(q)[:300]
    name = q["questionName"]
    q = s.post({"counsel_decision": "approved", "counsel_reviewer": "Dra. Revisora",
                "counsel_comments": "Ready to file."}, question_name=name)
    assert q.get("id") == "counsel review", question_text(q)[:300]
    assert "Approved" in question_text(q) and "Dra. Revisora" in question_text(q)

    # A new packet, with the sign-off in it.
    q = s.wait_for(lambda q: packet_ready(q) and "Preparing" not in question_text(q), limit=300, every=2)
    text = pdf_text(download(s, q, "-review-en.pdf", folder))
    assert "Approved" in text and "Dra. Revisora" in text

    # Stored with the case: case.json and the manifest inside the ZIP.
    s.action("puente_counsel_close")
    q = s.question()
    assert q.get("id") == "documents"
    assert "Reviewed by Dra. Revisora" in question_text(q)
    with zipfile.ZipFile(io.BytesIO(download(s, q, f"{cid}.zip", folder))) as zf:
        record = json.loads(zf.read(f"{cid}/case.json"))
        manifest = json.loads(zf.read("manifest.json"))
    assert record["review"]["decision"] == "approved" and record["review"]["stale"] is False
    assert manifest["cases"][0]["review"]["reviewer"] == "Dra. Revisora"
