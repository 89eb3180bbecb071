"""What the server keeps about a child (runs last in the suite, so the logs
it reads hold everything the other tests did): no child's name or story in
any log after the cases went through the interviews, and answers encrypted
in the database."""

from __future__ import annotations

import os
import uuid

from .cases import answerer_for, full_name, load
from .conftest import STATE, require_interview
from .conftest import psql as _psql
from .daclient import Answerer, drive

BATCH = "docassemble.puente:data/questions/batch.yml"


def _logs() -> list[str]:
    found = []
    for folder in (STATE / "log", STATE / "docassemble" / "log"):
        found += [str(p) for p in folder.rglob("*") if p.is_file()]
    return found


def test_no_child_name_or_story_in_the_server_logs(api):
    require_interview("asylum.yml")
    case = load("EX-0001")
    s = api.new_session("docassemble.puente:data/questions/asylum.yml", lang="es")
    drive(s, answerer_for(case), until=lambda q: q.get("id") == "documents")
    secrets = [full_name(case), case["child"]["given_names"], case["child"]["family_names"],
               case["claim"]["narrative"].split("\n")[0][:60], case["claim"]["persecutors"],
               load("EX-0003")["child"]["given_names"] + " " + load("EX-0003")["child"]["family_names"],
               "Rosa Confidencial"]
    logs = _logs()
    assert logs, "no server logs found"
    leaks = []
    for path in logs:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for secret in secrets:
            for form in {secret, secret.upper(), secret.encode("unicode_escape").decode()}:
                if form and form in text:
                    leaks.append(f"{os.path.relpath(path, STATE)}: {secret[:20]}…")
    assert not leaks, leaks


def test_batch_answers_are_encrypted_in_the_database(api, tmp_path):
    """docassemble's default, kept for the batch: the session's row is
    marked encrypted and nothing it holds (here a case id from the upload)
    reads in clear."""
    require_interview("batch.yml")
    marker = f"CIFRADO-{uuid.uuid4().hex[:8].upper()}"
    upload = tmp_path / "cases.json"
    upload.write_text('[{"case_id": "%s"}]' % marker, encoding="utf-8")
    s = api.new_session(BATCH, lang="es")
    q = drive(s, Answerer({}), until=lambda q: q.get("id") == "batch upload", max_steps=5)
    s.post_file("batch_upload", upload, question_name=q["questionName"], extra={
        "batch_report_language": "es", "batch_upload_screen": True,
        "batch_languages": {"_class": "docassemble.base.util.DADict", "instanceName": "batch_languages",
                            "elements": {"es": True, "en": False}, "auto_gather": False, "gathered": True}})
    q = s.wait_for(lambda q: q.get("id") == "batch report", limit=120, every=0.5)
    assert marker in str(q)  # the session holds it...
    rows = _psql(f"SELECT encrypted, strpos(dictionary, '{marker}') FROM userdict "
                 f"WHERE key = '{s.session}'").split()
    assert rows, "no database row for the session"
    assert all(r == "t|0" for r in rows), rows  # encrypted, and the database does not show it
