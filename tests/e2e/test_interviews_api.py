"""Every procedure interview, driven through docassemble's REST API from its
first question to the documents screen, in Spanish and in English, with the
facts of the invented example cases; every document on the screen is
downloaded through /api/file/<n> and its text checked as the batch tests
check theirs (the child's name, the authority's article, the date, no
template leftovers)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from .cases import answerer_for, full_name, load, long_date
from .conftest import ARTIFACTS, require_interview
from .daclient import InterviewError, Session, drive, file_numbers, question_text

PROCEDURES = [
    # interview file, example case, the filing it produces
    ("asylum.yml", "EX-0001", "asylum"),
    ("coadyuvante.yml", "EX-0001", "coadyuvante"),
    ("family_reunification.yml", "EX-0003", "family_reunification"),
    ("derivative_status.yml", "EX-0002", "derivative_status"),
    # after the first filing: a refused case gets the recurso de revisión (and its carta poder)
    ("review_appeal.yml", "EX-0008", "review_appeal"),
]
DOCUMENTS_TITLE = {"es": "Documentos de", "en": "Documents for"}
LEFTOVERS = re.compile(r"\{\{|\{%|\}\}|\b(None|nan|NaN|undefined)\b")
ARTICLE = {"es": re.compile(r"\bart(ículo|\.)\s*\d+", re.I), "en": re.compile(r"\b(article|art\.)\s*\d+", re.I)}


def is_documents_screen(q: dict) -> bool:
    return q.get("id") == "documents"


def document_text(name: str, content: bytes) -> str:
    if name.endswith(".pdf"):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    elif name.endswith(".docx"):
        doc = Document(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        text = "\n".join(parts)
    else:
        text = content.decode("utf-8", errors="replace")
    return " ".join(text.split())


def download_all(s: Session, q: dict, folder) -> dict[str, bytes]:
    files = {}
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in file_numbers(q):
        content = s.file(number).content
        assert content, f"{name} is empty"
        files[name] = content
        (folder / name).write_bytes(content)
    return files


def check_filing(text: str, case: dict, lang: str, name: str) -> None:
    upper = text.upper()
    assert full_name(case).upper() in upper, f"{name}: the child's name is missing"
    assert ARTICLE["es"].search(text) or ARTICLE[lang].search(text), f"{name}: no article cited"
    assert long_date(case["filing_date"], lang) in text or long_date(case["filing_date"], "es") in text, \
        f"{name}: the filing date {case['filing_date']} is missing"
    assert not LEFTOVERS.search(text), f"{name}: leftover {LEFTOVERS.search(text).group(0)!r}"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("interview, case_id, kind", PROCEDURES, ids=[p[2] for p in PROCEDURES])
def test_procedure_interview_to_documents(api, interview, case_id, kind, lang):
    require_interview(interview)
    case = load(case_id)
    s = api.new_session(f"docassemble.puente:data/questions/{interview}", lang=lang)
    try:
        q = drive(s, answerer_for(case), until=is_documents_screen)
    except InterviewError as err:
        pytest.fail(f"{interview} ({lang}): {err}", pytrace=False)
    screen = question_text(q)
    assert screen.startswith(DOCUMENTS_TITLE[lang]), screen[:200]
    assert full_name(case) in screen

    files = download_all(s, q, ARTIFACTS / "api" / f"{kind}-{lang}")
    cid = case["case_id"]
    for doc_lang in case.get("output_languages", ["es", "en"]):
        for ext in ("docx", "pdf"):
            assert f"{cid}-{kind}-{doc_lang}.{ext}" in files, f"{kind} {doc_lang} {ext} not offered: {sorted(files)}"
            assert f"{cid}-checklist-{doc_lang}.{ext}" in files, sorted(files)
    for name, content in files.items():
        if name.endswith((".docx", ".pdf")) and f"-{kind}-" in name:
            check_filing(document_text(name, content), case, name.rsplit("-", 1)[1][:2], name)
        elif "-checklist-" in name:
            text = document_text(name, content)
            assert cid in text and not LEFTOVERS.search(text), name
            assert case["child"]["family_names"] not in text, f"{name}: the checklist names the child"
    ics = files[f"{cid}-deadlines.ics"].decode()
    assert "BEGIN:VCALENDAR" in ics and case["child"]["given_names"] not in ics
    with zipfile.ZipFile(io.BytesIO(files[f"{cid}.zip"])) as zf:
        names = zf.namelist()
        assert f"{cid}/case.json" in names and any(n.endswith(f"{kind}.pdf") for n in names), names


# Spanish words that must not remain on the English documents screen.
SPANISH_LEFTOVERS = ("Documento", "Inglés", "Paquete para", "Plazos para su calendario",
                     "Todo en un archivo", "Vence", "Fundamento")


def test_english_documents_screen_is_all_english(api):
    require_interview("asylum.yml")
    case = load("EX-0001")
    s = api.new_session("docassemble.puente:data/questions/asylum.yml", lang="en")
    q = drive(s, answerer_for(case), until=is_documents_screen)
    screen = question_text(q)
    assert not [w for w in SPANISH_LEFTOVERS if w in screen], screen
