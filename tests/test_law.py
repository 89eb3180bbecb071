"""The law data: loads strictly, every entry has its source, and everything
that templates and rules ask for exists in it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from docassemble.puente.checklist import CONDITIONS
from docassemble.puente.errors import LawDataError
from docassemble.puente.law import load_law
from docassemble.puente.resources import data_dir, law_dir

TEMPLATES = data_dir("templates")


def template_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def test_every_citation_has_a_source_and_checked_flag(law):
    assert len(law.citations) > 40
    for citation in law.citations.values():
        assert citation.source.strip(), citation.id
        assert isinstance(citation.checked, bool)


def test_citations_marked_check_in_the_brief_are_unchecked(law):
    # procedures.md marks these "(check)": they must not pass as verified.
    for cid in ("lsrpcap_art11", "rlsrpcap_art20", "lsrpcap_art20", "lsrpcap_art25", "lsrpcap_art28",
                "rlsrpcap_art22", "lgdnna_art92", "lgdnna_art122", "lfpa_art17a", "protocolo2016_aviso"):
        assert law.cite(cid).checked is False, cid


def test_citation_forms(law):
    assert law.cite("lsrpcap_art18").long("es") == \
        "artículo 18 de la Ley sobre Refugiados, Protección Complementaria y Asilo Político"
    assert law.cite("lsrpcap_art13_fr2").short() == "LSRPCAP art. 13, fr. II"
    assert law.cite("lsrpcap_art13_fr2").long("en").startswith("article 13, section II, of the Ley sobre Refugiados")
    assert law.cite("lm_art52_fr5").long("es") == "artículo 52, fracción V, de la Ley de Migración"


def test_every_checklist_condition_exists(law):
    for item in law.checklist:
        assert item.when is None or item.when in CONDITIONS, item.id
        assert item.basis or item.source, item.id


def test_templates_cite_only_known_citations(law):
    templates = sorted(TEMPLATES.glob("*.docx"))
    assert templates, "no templates found"
    for path in templates:
        text = template_text(path)
        for cid in re.findall(r"cite(?:_short)?\(\s*['‘’\"]([a-z0-9_]+)['‘’\"]\s*\)", text):
            assert cid in law.citations, f"{path.name} cites unknown '{cid}'"


def test_templates_contain_no_article_numbers_typed_by_hand():
    """Article numbers come from law/citations.yml, never typed in a template."""
    for path in sorted(TEMPLATES.glob("*.docx")):
        text = template_text(path)
        typed = re.findall(r"\b(?:artículo|article|art\.)\s+\d+", text, flags=re.IGNORECASE)
        assert not typed, f"{path.name}: {typed[:3]}"


def _broken_copy(tmp_path, filename, edit):
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    data = yaml.safe_load((target / filename).read_text(encoding="utf-8"))
    edit(data)
    (target / filename).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@pytest.mark.parametrize("filename, edit, expected", [
    ("citations.yml", lambda d: d["lsrpcap_art18"].pop("source"), "lsrpcap_art18"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(checked="yes"), "lsrpcap_art18"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(articel="18"), "articel"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(statute="LEY"), "LEY"),
    ("statutes.yml", lambda d: d["LFPA"].pop("source"), "LFPA"),
    ("checklists.yml",
     lambda d: (d["asylum"]["documents"][0].pop("basis"), d["asylum"]["documents"][0].pop("source", None)),
     "asylum_identity"),
    ("checklists.yml", lambda d: d["asylum"]["documents"][0].update(basis=["no_such_citation"]), "no_such_citation"),
    ("terms.yml", lambda d: d["grounds"].pop("gender"), "grounds"),
    ("terms.yml", lambda d: d["grounds"]["gender"].pop("basis"), "grounds.gender"),
])
def test_loader_rejects_bad_entries(tmp_path, filename, edit, expected):
    with pytest.raises(LawDataError) as info:
        load_law(_broken_copy(tmp_path, filename, edit))
    assert filename in str(info.value) and expected in str(info.value)


def test_correcting_an_article_in_one_place_changes_the_documents(tmp_path, law):
    target = _broken_copy(tmp_path, "citations.yml", lambda d: d["lsrpcap_art18"].update(article="18 bis"))
    fixed = load_law(target)
    assert fixed.cite("lsrpcap_art18").long("es").startswith("artículo 18 bis de la Ley sobre Refugiados")
    assert fixed.deadlines["asylum_filing"].basis_text() == "LSRPCAP art. 18 bis"
