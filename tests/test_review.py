"""Review by children's counsel: paired paragraphs, sign-off, stale reviews,
public versions and encryption."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from docassemble.puente.cli import main
from docassemble.puente.review import SPANISH_ONLY, case_changes, docx_paragraphs, pair_documents, paragraph_changes

from .conftest import EXAMPLES, needs_soffice

TODAY = "2026-11-23"


def pdf_text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(str(path))
    if password:
        reader.decrypt(password)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return " ".join((text + " " + meta).split())


@pytest.fixture
def generated(tmp_path):
    def run(example: str, *extra: str, edit=None) -> Path:
        data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
        if edit:
            edit(data)
        src = tmp_path / example
        src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out = tmp_path / "out"
        assert main(["generate", str(src), "--out", str(out), "--today", TODAY, "--quiet", *extra]) == 0
        return out / data["case_id"]
    return run


def test_spanish_and_english_paragraphs_pair_one_to_one(generated):
    case_dir = generated("ana-asylum.yaml", "--no-pdf")
    pairing = pair_documents("asylum", case_dir / "es/asylum.docx", case_dir / "en/asylum.docx")
    assert pairing.aligned, "the English template must mirror the Spanish one paragraph by paragraph"
    numbered = [(es, en) for es, en in pairing.pairs if es[:3].rstrip(".").isdigit()]
    assert numbered, "hechos are numbered"
    for es, en in numbered:
        assert es.split(".")[0] == en.split(".")[0], (es[:30], en[:30])
    # "PRIMERO.-" in Spanish, "FIRST:" in English (issue 17)
    ordinals = [(es.split(".-")[0], en.split(":")[0]) for es, en in pairing.pairs if ".-" in es[:16]]
    assert ordinals[:3] == [("PRIMERO", "FIRST"), ("SEGUNDO", "SECOND"), ("TERCERO", "THIRD")]


ARTICLES = re.compile(r"(?:artículos?|articles?|arts?\.)\s+((?:\d+(?:,? | y | and |, )?)+)", re.I)
# The closing formula is the one pair whose case differs by convention.
CLOSINGS = {("PROTESTO LO NECESARIO", "Respectfully submitted,")}


def _capital_names(text: str) -> list[str]:
    return re.findall(r"\b[A-ZÁÉÍÓÚÑ]{2,}(?: [A-ZÁÉÍÓÚÑ]{2,})+\b", text)


def _cited_numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", " ".join(ARTICLES.findall(text))))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_filing_pairs_paragraph_for_paragraph(generated, example):
    """Pairing by position is only useful if position means the same thing:
    in every pair the Spanish and the English cite the same article numbers,
    and a heading (capitals) pairs with a heading — the addressee block
    included. "P R E S E N T E", which English omits, faces an empty cell,
    and the proemio still pairs with the proemio."""
    case_dir = generated(example, "--no-pdf")
    filings = [p.stem for p in (case_dir / "es").glob("*.docx")
               if p.stem in ("asylum", "coadyuvante", "family_reunification", "derivative_status",
                             "review_appeal", "prevention_reply", "ratification", "residence_change", "carta_poder")]
    assert filings
    for kind in filings:
        pairing = pair_documents(kind, case_dir / "es" / f"{kind}.docx", case_dir / "en" / f"{kind}.docx")
        assert pairing.aligned, kind
        at = pairing.pairs.index(("P R E S E N T E", ""))
        assert not any("PRESENT" == en for _, en in pairing.pairs), kind
        # the next pair is the proemio in both languages: the same person named in capitals
        es_next, en_next = pairing.pairs[at + 1]
        assert set(_capital_names(es_next)) & set(_capital_names(en_next)), (kind, es_next[:60], en_next[:60])
        for n, (es, en) in enumerate(pairing.pairs, 1):
            assert _cited_numbers(es) == _cited_numbers(en), (kind, n, es[:60], en[:60])
            if (es, en) not in CLOSINGS and es not in SPANISH_ONLY:
                assert es.isupper() == en.isupper(), (kind, n, es[:60], en[:60])


def test_case_and_paragraph_diffs():
    assert case_changes({"child": {"entry_date": "2026-03-02"}}, {"child": {"entry_date": "2026-03-05"}}) == [
        {"field": "child.entry_date", "before": "2026-03-02", "after": "2026-03-05"}]
    diff = paragraph_changes(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(d["change"], d["paragraphs"]) for d in diff] == [("changed", [2]), ("added", [4])]


def test_sign_off_round_trip_and_stale_review(generated, tmp_path):
    case_dir = generated("ana-asylum.yaml", "--no-pdf")
    assert main(["review", str(case_dir), "--sign", "approved", "--reviewer", "Dra. Revisora",
                 "--comments", "Listo para presentar", "--today", TODAY, "--no-pdf", "--quiet"]) == 0
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    assert record["review"]["decision"] == "approved" and record["review"]["stale"] is False
    manifest = json.loads((case_dir.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["cases"][0]["review"]["reviewer"] == "Dra. Revisora"
    review_text = " ".join(docx_paragraphs(case_dir / "en/review.docx"))
    assert "Approved" in review_text and "Dra. Revisora" in review_text and "STALE" not in review_text

    # The same case again: the review still holds.
    generated("ana-asylum.yaml", "--no-pdf")
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    assert record["review"]["stale"] is False

    # A changed entry date: stale, with the field and the paragraphs named.
    generated("ana-asylum.yaml", "--no-pdf", edit=lambda d: d["child"].update(entry_date="2026-03-05"))
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    review = record["review"]
    assert review["stale"] is True
    assert review["changes"]["case"] == [{"field": "child.entry_date", "before": "2026-03-02", "after": "2026-03-05"}]
    assert set(review["changes"]["documents"]["asylum"]) == {"es", "en"}
    manifest = json.loads((case_dir.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["cases"][0]["review"]["changed_fields"] == ["child.entry_date"]
    assert main(["review", str(case_dir), "--today", TODAY, "--no-pdf", "--quiet", "--reviewer-lang", "es"]) == 0
    text = " ".join(docx_paragraphs(case_dir / "es/review.docx"))
    assert "REVISIÓN DESACTUALIZADA" in text
    # Fields by their labels, filings by their titles, paragraphs as ranges.
    assert "Niña, niño o adolescente › Fecha de ingreso a México: 2 de marzo de 2026 → 5 de marzo de 2026" in text
    assert re.search(r"Solicitud de reconocimiento de la condición de refugiado \(español\): §\s\d", text), text


def test_review_requires_a_reviewer(generated):
    case_dir = generated("ana-asylum.yaml", "--no-pdf")
    assert main(["review", str(case_dir), "--sign", "approved", "--today", TODAY, "--no-pdf"]) == 2
    # A request for changes says which.
    assert main(["review", str(case_dir), "--sign", "changes_requested", "--reviewer", "Dra. Revisora",
                 "--today", TODAY, "--no-pdf"]) == 2
    assert "review" not in json.loads((case_dir / "case.json").read_text(encoding="utf-8"))


@pytest.mark.pdf
@needs_soffice()
def test_review_packet_pdf(generated):
    case_dir = generated("ana-asylum.yaml", "--no-pdf")
    assert main(["review", str(case_dir), "--today", TODAY, "--quiet"]) == 0
    text = pdf_text(case_dir / "en/review.pdf")
    assert "REVIEW PACKET — EX-0001" in text
    assert "A.L.P.L." in text.replace(" ", "")
    assert "Ana Lucía" not in text and "Pérez López" not in text
    assert "PAST — 4 business days late" in text  # the deadline state words of the core (context.STATE_TEXT)
    assert "Español" in text and "English" in text
    assert "hechos" in text.lower() and "facts" in text.lower()  # both languages


@pytest.mark.pdf
@needs_soffice()
@pytest.mark.parametrize("example", ["ana-asylum.yaml", "rosa-reunification.yaml", "luis-derivative.yaml"])
def test_public_version_hides_names_dates_of_birth_and_numbers(generated, example):
    case_dir = generated(example, "--redact")
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    child = data["child"]
    secrets = [child["given_names"], child["family_names"], str(child["date_of_birth"])]
    if data.get("refugee_status"):
        secrets.append(data["refugee_status"]["resolution_number"])
    for rel in data.get("family", []):
        secrets.append(f"{rel['given_names']} {rel['family_names']}")
        if rel.get("refugee_status"):
            secrets.append(rel["refugee_status"]["resolution_number"])
    public = sorted((case_dir / "redacted").rglob("*.pdf"))
    originals = sorted(p for p in case_dir.rglob("*.pdf") if "redacted" not in p.parts)
    assert len(public) == len([p for p in originals if not p.name.startswith("packet")])
    for pdf in public:
        text = pdf_text(pdf)
        for secret in secrets:
            assert secret.lower() not in text.lower(), f"{pdf.name} shows protected data"
    manifest = json.loads((case_dir.parent / "manifest.json").read_text(encoding="utf-8"))
    assert any(d.get("redacted") for d in manifest["cases"][0]["documents"])


@pytest.mark.pdf
@needs_soffice()
def test_encrypted_pdfs(generated, monkeypatch, tmp_path):
    password = "correct horse battery staple"
    monkeypatch.setenv("PUENTE_PDF_PASSWORD", password)
    case_dir = generated("ana-asylum.yaml", "--encrypt")
    pdfs = sorted(case_dir.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        reader = PdfReader(str(pdf))
        assert reader.is_encrypted
        with pytest.raises(FileNotDecryptedError):
            reader.pages[0].extract_text()
        assert reader.decrypt("wrong") == 0
        assert PdfReader(str(pdf), password=password).pages[0].extract_text()
        assert reader.trailer["/Encrypt"]["/V"] == 5  # AES-256
    for path in case_dir.parent.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), f"password written to {path.name}"


def test_encrypt_without_password_is_a_usage_error(generated, monkeypatch, tmp_path):
    monkeypatch.delenv("PUENTE_PDF_PASSWORD", raising=False)
    src = EXAMPLES / "ana-asylum.yaml"
    assert main(["generate", str(src), "--out", str(tmp_path / "o"), "--encrypt", "--quiet"]) == 2


def test_review_view_lists_unmet_safeguards_and_states(generated, tmp_path):
    """The review's "still open" list and deadline states, for EX-0001: not
    heard, no restitution plan, no TVRH; it speaks Spanish and needs no
    interpreter, and it is in a shelter, not in detention."""
    from datetime import date

    from docassemble.puente.calendar import WorkingCalendar
    from docassemble.puente.documents.review_packet import review_view
    from docassemble.puente.law import default_law

    case_dir = generated("ana-asylum.yaml", "--no-pdf")
    law = default_law()
    view = review_view(case_dir, law, WorkingCalendar(law.calendar), "en", today=date(2026, 11, 23),
                       workdir=tmp_path / "work")
    assert view["unmet_safeguards"] == ["The child has not been heard by the PPNNA.",
                                        "There is no rights-restitution plan.",
                                        "The humanitarian visitor card (TVRH) has not been issued."]
    states = {d["id"]: d["state"] for d in view["deadlines"]}
    assert states == {"asylum_filing": "past", "ratification": "projected", "comar_resolution": "informational"}
    assert view["missing_evidence"] == ["Fotografías de las amenazas recibidas"]
