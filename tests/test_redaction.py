"""Public versions (--redact): every spelling of a name goes, ordinary words
stay, and a public version that fails its check never takes the filed
documents with it, with or without PDFs."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docassemble.puente.cli import main
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY, needs_soffice
from .docx_text import docx_paragraphs


def ana() -> dict:
    return yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))


def generate(tmp_path: Path, data: dict, *extra: str) -> tuple[int, Path, dict]:
    src = tmp_path / f"{data['case_id']}.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["generate", str(src), "--out", str(out), "--redact", "--quiet", "--lang", "es",
                 "--today", TODAY.isoformat(), *extra])
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"][0]
    return code, out / data["case_id"], entry


def text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)
    return "\n".join(docx_paragraphs(path))


def fold(text: str) -> str:
    """Accents stripped, case folded (independently of the code under test)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def words(text: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[^\W\d_]+", text)}


def test_a_name_without_accents_or_as_a_nickname_is_redacted(tmp_path):
    data = ana()
    data["child"]["other_names"] = ["Luchita", "Ana Lucia Perez-Lopez"]
    data["claim"]["narrative"] += " En el albergue la llamaban Luchita; firmaba como Lucia Perez, ANA LUCIA."
    code, case_dir, entry = generate(tmp_path, data, "--no-pdf")
    assert code == 0 and entry["status"] == "ok", entry["errors"]
    filed = text_of(case_dir / "es" / "asylum.docx")
    public = text_of(case_dir / "redacted" / "es" / "asylum.docx")
    assert "Luchita" in filed and "Lucia Perez" in filed  # the narrative is printed
    assert not words(public) & {"ana", "lucia", "perez", "lopez", "luchita"}
    assert "firmaba como L. P., A. L." in public


def test_a_name_that_is_an_ordinary_word_breaks_nothing(tmp_path):
    data = ana()
    data["child"]["given_names"] = "María del Refugio"
    code, case_dir, entry = generate(tmp_path, data, "--no-pdf")
    assert code == 0 and entry["status"] == "ok", entry["errors"]
    filed = text_of(case_dir / "es" / "asylum.docx")
    public = text_of(case_dir / "redacted" / "es" / "asylum.docx")
    assert "condición de refugiado" in public and "Ley sobre Refugiados" in public
    assert "M. del R. P. L." in public or "M. DEL R. P. L." in public
    assert "María" not in public and "Refugio" not in public
    # every ordinary use of the word is intact: only the name's words changed
    ordinary = len(re.findall(r"\brefugi", filed, re.IGNORECASE)) - len(re.findall(r"del refugio", filed, re.I))
    assert len(re.findall(r"\brefugi", public, re.IGNORECASE)) == ordinary
    assert not re.search(r"\b(?:solicitar|de|el)\s+R\.", public)


def test_a_public_version_that_fails_keeps_the_filed_documents(tmp_path):
    # The shelter's name is withheld; here it is also words the template
    # prints itself, so the public version cannot be made without it.
    data = ana()
    data["child"]["placement"]["name"] = "Comisión Mexicana de Ayuda a Refugiados"
    code, case_dir, entry = generate(tmp_path, data, "--no-pdf")
    assert code == 1 and entry["status"] == "partial"
    assert (case_dir / "es" / "asylum.docx").is_file() and not (case_dir / "redacted").exists()
    assert {d["kind"] for d in entry["documents"]} >= {"asylum", "checklist"}
    assert not any(d.get("redacted") for d in entry["documents"])
    message = entry["errors"][-1]
    assert "public version" in message["message_en"] and "versión pública" in message["message_es"]


def test_other_names_is_a_field_of_the_record():
    from docassemble.puente.documents.protect import redaction_for

    data = ana()
    data["child"]["other_names"] = "Luchita; Lucy"  # as a spreadsheet cell gives it
    case, problems = parse_case(data, today=TODAY)
    assert case is not None, problems
    assert case.child.other_names == ["Luchita", "Lucy"]
    assert {"luchita", "lucy"} <= redaction_for(case, "es").names


@pytest.mark.pdf
@needs_soffice()
def test_public_pdfs_with_an_ordinary_word_name_and_a_nickname(tmp_path):
    data = ana()
    data["child"]["given_names"] = "María del Refugio"
    data["child"]["other_names"] = ["Cuca"]
    data["claim"]["narrative"] += " Le dicen Cuca; firma como Maria Perez."
    code, case_dir, entry = generate(tmp_path, data)
    assert code == 0 and entry["status"] == "ok", entry["errors"]
    public = text_of(case_dir / "redacted" / "es" / "asylum.pdf")
    assert "condición de refugiado" in public
    assert not words(public) & {"maria", "perez", "lopez", "cuca"}
    assert not re.search(r"(?i)del refugio", public)  # "refugio" stays only as the ordinary word
    assert (case_dir / "es" / "asylum.pdf").is_file() and (case_dir / "packet.es.pdf").is_file()
