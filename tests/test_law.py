"""The law data: loads strictly, every entry has its source, and everything
that templates and rules ask for exists in it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from docassemble.puente.checklist import CONDITIONS, RELATIVE_CONDITIONS
from docassemble.puente.errors import LawDataError
from docassemble.puente.law import load_law
from docassemble.puente.resources import data_dir, law_dir

from .conftest import TODAY

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


def test_every_checked_citation_says_where_it_was_verified(law):
    """Issue 19: checked means read against the law's text, and the entry says
    which text (and its last reform); unchecked entries say why."""
    entries = list(law.citations.values()) + [r.chapter for r in law.rights.values()]
    for c in entries:
        if c.checked:
            assert c.verified_in and c.verified_in.strip(), c.id
            # and an address where a lawyer can open the text read (its own url or the statute's href)
            assert c.href and c.href.startswith("https://"), c.id
        else:
            assert c.note and c.note.es and c.note.en, c.id
    assert sum(not c.checked for c in entries) <= 10


# Read against the texts in issue 19 (Cámara de Diputados texts; ACNUR RIMAP for
# the Reglamento): they must stay checked, with the reform seen.
VERIFIED = {
    "lgdnna_art71": "DOF 24-12-2024", "lgdnna_art92": "DOF 24-12-2024", "lgdnna_art122": "DOF 24-12-2024",
    "lm_art2": "DOF 27-05-2024", "lm_art8": "DOF 27-05-2024", "lfpa_art17a": "DOF 18-05-2018",
    "lfpa_art19": "DOF 18-05-2018", "rlsrpcap_art20": "RIMAP", "rlsrpcap_art22": "RIMAP",
    "lsrpcap_art44_fr6": "DOF 18-02-2022", "lsrpcap_art5": "DOF 18-02-2022", "lsrpcap_art6": "DOF 18-02-2022",
    "lsrpcap_art11": "DOF 18-02-2022", "lsrpcap_art12": "DOF 18-02-2022", "lsrpcap_art20": "DOF 18-02-2022",
    "lsrpcap_art24": "DOF 18-02-2022", "lsrpcap_art25": "DOF 18-02-2022", "lsrpcap_art28": "DOF 18-02-2022",
    "lsrpcap_art58": "DOF 18-02-2022", "cpeum_art4": "DOF 15-04-2025",
}


@pytest.mark.parametrize("cid, seen", sorted(VERIFIED.items()))
def test_citations_read_against_the_text(law, cid, seen):
    c = law.cite(cid)
    assert c.checked and seen in c.verified_in
    assert c.href and c.href.startswith("https://")


def test_corrections_of_issue_19(law):
    # the 3-day ratification term: RLSRPCAP art. 20 (applying LSRPCAP art. 11) is the main basis
    assert [c.id for c in law.deadlines["ratification"].basis] == ["rlsrpcap_art20", "lsrpcap_art11"]
    assert "3 días hábiles" in law.cite("rlsrpcap_art20").text
    # 5 working days is the legal minimum; the prevención states the real term
    rule = law.deadlines["prevention_reply"]
    assert rule.term == 5 and "mínimo" in rule.note.es and "minimum" in rule.note.en
    assert "no podrá ser menor de cinco días hábiles" in law.cite("lfpa_art17a").text
    # LFPA art. 19: signatures of grantor and witnesses ratified before the authority or a notary
    assert "ratificadas las firmas del otorgante y testigos" in law.cite("lfpa_art19").text
    carta = next(i for i in law.checklist if i.id == "asylum_carta_poder")
    assert "ratificadas" in carta.text.es and "ratified" in carta.text.en
    assert [c.id for c in carta.basis] == ["lfpa_art19", "rlsrpcap_art20"]
    # LGDNNA art. 4: the three representations are fr. XXIV to XXVI
    assert law.cite("lgdnna_art4").short() == "LGDNNA art. 4, frs. XXIV a XXVI"
    assert law.cite("lgdnna_art4_fr24").fraction == "XXIV" and law.cite("lgdnna_art4_fr26").fraction == "XXVI"
    # LGDNNA art. 106: para. 2 is the coadyuvante duty, para. 1 the representación en suplencia
    assert law.cite("lgdnna_art106").paragraph == "segundo"
    assert "coadyuvante" in law.cite("lgdnna_art106").topic.es
    assert law.cite("lgdnna_art106_p1").paragraph == "primero"
    assert "suplencia" in law.cite("lgdnna_art106_p1").topic.es
    # LGDNNA art. 13, fr. I (DOF 04-06-2019)
    assert law.rights["life"].name.es == "Derecho a la vida, a la paz, a la supervivencia y al desarrollo"
    # urgent measures: LGDNNA art. 122, fr. VI and VII
    assert law.cite("lgdnna_art122").fraction == "VI y VII"
    # CPEUM art. 4: the best-interests paragraph is the eleventh (DOF 15-04-2025)
    assert law.cite("cpeum_art4").long("es").startswith("artículo 4o., párrafo undécimo, de la Constitución")
    assert law.cite("cpeum_art4").long("en", gloss=False).startswith("article 4, paragraph 11, of the")


def test_later_stage_citations_exist(law):
    """What the carta poder, ratification, prevención and recurso de revisión cite."""
    for cid in ("lfpa_art19", "rlsrpcap_art20", "lsrpcap_art11", "lfpa_art17a", "lfpa_art83", "lfpa_art85",
                "lfpa_art86", "lfpa_art87", "lsrpcap_art25", "lsrpcap_art6", "lsrpcap_art28", "lgdnna_art92",
                "lgdnna_art106", "lgdnna_art106_p1", "lgdnna_art4_fr26", "lfpca_art13", "lamparo_art17"):
        assert law.cite(cid).checked, cid


def test_citation_forms_with_several_fractions_and_paragraphs(law):
    assert law.cite("lgdnna_art122").long("es").startswith("artículo 122, fracciones VI y VII, de la Ley General")
    assert law.cite("lgdnna_art122").long("en", gloss=False).startswith("article 122, sections VI and VII, of the")
    assert law.cite("lgdnna_art106").short("en") == "LGDNNA art. 106, para. 2"
    from docassemble.puente.law import cite_together
    ids = ("lgdnna_art4", "lgdnna_art106", "lgdnna_art123")
    assert cite_together([law.cite(c) for c in ids], "es") == (
        "los artículos 4, fracciones XXIV a XXVI; 106, párrafo segundo, y 123 de la Ley General de los "
        "Derechos de Niñas, Niños y Adolescentes")
    assert cite_together([law.cite(c) for c in ("lm_art99", "lm_art112")], "es") == \
        "los artículos 99 y 112 de la Ley de Migración"


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
    (target / filename).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.parametrize("filename, edit, expected", [
    ("citations.yml", lambda d: d["lsrpcap_art18"].pop("source"), "lsrpcap_art18"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(checked="yes"), "lsrpcap_art18"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(articel="18"), "articel"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(statute="LEY"), "LEY"),
    # checked needs verified_in; unchecked needs a note saying why (issue 19)
    ("citations.yml", lambda d: d["lsrpcap_art18"].pop("verified_in"), "verified_in"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(verified_in="  "), "verified_in"),
    ("citations.yml", lambda d: d["cartagena"].pop("note"), "note"),
    ("citations.yml", lambda d: d["lsrpcap_art18"].update(url="diputados.gob.mx"), "url"),
    ("rights.yml", lambda d: d["catalogue"]["identity"].pop("verified_in"), "catalogue.identity"),
    ("rights.yml", lambda d: d["catalogue"]["identity"].update(checked=False), "note"),
    ("statutes.yml", lambda d: d["LFPA"].pop("source"), "LFPA"),
    ("checklists.yml",
     lambda d: (d["asylum"]["documents"][0].pop("basis"), d["asylum"]["documents"][0].pop("source", None)),
     "asylum_identity"),
    ("checklists.yml", lambda d: d["asylum"]["documents"][0].update(basis=["no_such_citation"]), "no_such_citation"),
    ("terms.yml", lambda d: d["grounds"].pop("gender"), "grounds"),
    ("terms.yml", lambda d: d["grounds"]["gender"].pop("basis"), "grounds.gender"),
    # the documents' wording (wording.yml): a sentence without its authority,
    # an unknown key, section, placeholder, citation or ground kind, a bad
    # condition, an optional part left open
    ("wording.yml", lambda d: d["copy_inm"].pop("source"), "copy_inm"),
    ("wording.yml", lambda d: d["proc_other"].pop("basis"), "proc_other"),
    ("wording.yml", lambda d: d["proc_other"].update(wen="fear_of_return"), "wen"),
    ("wording.yml", lambda d: d["proc_other"].update(section="coadyuvante_petitorios"), "section"),
    ("wording.yml", lambda d: d["proc_other"].pop("en"), "proc_other"),
    ("wording.yml", lambda d: d["proc_other"].update(es="el procedimiento que concierna a {nombre}"), "{nombre}"),
    ("wording.yml", lambda d: d["status_fear"].update(es=d["status_fear"]["es"] + " [[lgdnna_art92]]"),
     "same [[citations]]"),
    ("wording.yml", lambda d: d["answer_late"].update(es="El término del [[lsrpcap_art81]].",
                                                      en="The time limit of [[lsrpcap_art81]]."), "lsrpcap_art81"),
    ("wording.yml", lambda d: d["title_late"].update(answers=["tardiness"]), "answers"),
    ("wording.yml", lambda d: d["title_late"].pop("answers"), "answers"),
    ("wording.yml", lambda d: d["proc_other"].update(answers=["late"]), "answers"),
    ("wording.yml", lambda d: d["proc_other"].update(when="fear of return"), "when"),
    ("wording.yml", lambda d: d["copy_comar"].update(en="cc: COMAR{? (file {comar_number})"), "not closed"),
    ("wording.yml", lambda d: d["copy_comar"].update(en="cc: COMAR{? (file)?}"), "names no placeholder"),
    ("wording.yml", lambda d: d["fact_disability"].pop("finding"), "fact_disability"),
    ("wording.yml", lambda d: d["fact_disability"].update(finding="disabled"), "disabled"),
    ("wording.yml", lambda d: d["proc_other"].update(finding="disability"), "finding"),
    ("rights.yml", lambda d: d["procedure"]["assess"].pop("responsible"), "procedure.assess"),
])
def test_loader_rejects_bad_entries(tmp_path, filename, edit, expected):
    with pytest.raises(LawDataError) as info:
        load_law(_broken_copy(tmp_path, filename, edit))
    assert filename in str(info.value) and expected in str(info.value)


def test_loader_rejects_a_citation_given_twice(tmp_path):
    # Plain YAML keeps the second entry and drops the first without a word.
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    path = target / "citations.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    first = lines.index("cpeum_art11:") + 1
    path.write_text(text + "cpeum_art11:\n  statute: CPEUM\n  article: \"12\"\n  source: x\n  checked: true\n",
                    encoding="utf-8")
    with pytest.raises(LawDataError) as info:
        load_law(target)
    message = str(info.value)
    assert "law/citations.yml" in message and "'cpeum_art11'" in message
    assert f"lines {first} and {len(lines) + 1}" in message


def test_loader_rejects_a_field_given_twice_inside_an_entry(tmp_path):
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    path = target / "deadlines.yml"
    text = path.read_text(encoding="utf-8")
    entry = next(line for line in text.splitlines() if line.startswith("  term:"))
    path.write_text(text.replace(entry, entry + "\n" + entry, 1), encoding="utf-8")
    with pytest.raises(LawDataError) as info:
        load_law(target)
    assert "law/deadlines.yml" in str(info.value) and "'term' appears twice" in str(info.value)


def test_loader_rejects_a_wording_entry_given_twice(tmp_path):
    target = tmp_path / "law"
    shutil.copytree(law_dir(), target)
    path = target / "wording.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nproc_other:\n  section: coadyuvante_procedures\n  es: "x"\n  en: "x"\n'
                    "  basis: [lgdnna_art106]\n", encoding="utf-8")
    with pytest.raises(LawDataError) as info:
        load_law(target)
    assert "law/wording.yml" in str(info.value) and "'proc_other' appears twice" in str(info.value)


def test_every_wording_condition_exists(law):
    """Each `when:` of arguments.yml, measures.yml and wording.yml names a
    condition (a relative's condition only in a section about one relative)."""
    whens = [(a.id, (a.when,)) for a in law.arguments.values() if a.when]
    whens += [(m.id, (m.when,)) for m in law.measures.values()]
    whens += [(w.id, w.when) for w in law.wording.values()]
    for entry, conditions in whens:
        for name in conditions:
            name = name.removeprefix("not ")
            assert name in CONDITIONS or (name in RELATIVE_CONDITIONS and entry.startswith("reunif_")), (entry, name)


def test_wording_fills_optional_parts_and_capitalizes_a_citation_that_opens_a_sentence(law):
    from docassemble.puente.documents.arguments import citer
    from docassemble.puente.law import fill

    cite = citer(law, "en")
    text = "cc: COMAR{? (file {comar_number})?}. [[lsrpcap_art28]] provides it; see [[lsrpcap_art18]]."
    assert fill(text, {"comar_number": "COMAR/1"}, cite) == (
        "cc: COMAR (file COMAR/1). Article 28 of the Ley sobre Refugiados, Protección Complementaria y Asilo "
        "Político provides it; see article 18 of the Ley sobre Refugiados, Protección Complementaria y Asilo Político.")
    assert fill(text, {"comar_number": ""}, cite).startswith("cc: COMAR. Article 28")
    # a placeholder the composer forgot is an error, never a silent blank
    with pytest.raises(KeyError, match="comar_number"):
        law.words("copy_comar").render("es", {"comar_office": "Tapachula"}, cite)


def test_correcting_a_sentence_in_one_place_changes_the_documents(tmp_path, example, calendar):
    """A lawyer corrects a sentence of law/wording.yml; the filing follows."""
    from docassemble.puente.documents.context import DocumentContext
    from docassemble.puente.validate import parse_case

    new = "cualquier otro procedimiento, judicial o administrativo, que afecte {al_nna}"
    target = _broken_copy(tmp_path, "wording.yml", lambda d: d["proc_other"].update(es=new))
    fixed = load_law(target)
    case, _ = parse_case(example("EX-0004"), today=TODAY)
    ctx = DocumentContext.build(case, fixed, calendar).for_language("es")
    assert ctx["coad"]["procedures"][-1] == "cualquier otro procedimiento, judicial o administrativo, que afecte " \
        + ctx["g"].al_nna


def test_correcting_an_article_in_one_place_changes_the_documents(tmp_path, law):
    target = _broken_copy(tmp_path, "citations.yml", lambda d: d["lsrpcap_art18"].update(article="18 bis"))
    fixed = load_law(target)
    assert fixed.cite("lsrpcap_art18").long("es").startswith("artículo 18 bis de la Ley sobre Refugiados")
    assert fixed.deadlines["asylum_filing"].basis_text() == "LSRPCAP art. 18 bis"


def test_a_term_is_written_from_its_rule(law):
    """'30 días hábiles' is written once, from the rule: flags, messages, the
    .ics file, the CLI and the interviews take it from there."""
    assert law.deadlines["asylum_filing"].term_text("es") == "30 días hábiles"
    assert law.deadlines["asylum_filing"].term_text("en") == "30 business days"
    assert law.deadlines["i730_filing"].term_text("es") == "2 años"
    root = Path(__file__).resolve().parent.parent
    typed = [f"{p.name}:{n}" for p in sorted((root / "interviews").glob("*.yml"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"\b30 (días hábiles|\$\{ puente\.popover\(puente_term_working_days)", line)]
    assert not typed, f"the interviews type the asylum term; use puente.asylum_term_days(): {typed}"
