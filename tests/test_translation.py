"""Language a translator would sign (issue 17): every Spanish/English pair of
every example and of a generated corpus (the examples with the child, the
relatives and counsel of each sex, or of none recorded) is read by the checks
of ``tests/translation_checks.py``:

- fidelity: the same numbers, dates, article citations, names and file numbers;
- glossary: the glossary's English term for each Spanish term (law/glossary.yml);
- untranslated: no English paragraph without the marker reads as Spanish;
- gender: no "o/a", "(a)", "hermana o hermano" alternatives; no agreement slip;
- one term per thing, and the register the style guide asks for.

Each failure lists the deviations by file (case id / document).
"""

from __future__ import annotations

import copy
import re

import pytest

from docassemble.puente.documents import first_use
from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.render import render_docx
from docassemble.puente.pipeline import document_plan
from docassemble.puente.validate import parse_case

from . import translation_checks as tc
from .conftest import TODAY
from .docx_text import docx_paragraphs

SEXES = ("F", "M", "X")
COUNTRIES = {"GT": ("Guatemala", "Guatemala"), "HN": ("Honduras", "Honduras"), "SV": ("El Salvador", "El Salvador"),
             "HT": ("Haití", "Haiti"), "VE": ("Venezuela", "Venezuela"), "AO": ("Angola", "Angola")}
# Record fields that hold the child's or counsel's own words (translated by
# counsel or marked), not names.
FREE_TEXT = ("narrative", "narrative_en", "persecutors", "child_views", "description", "late_filing_explanation",
             "health_needs", "other_vulnerabilities", "social_group", "not_sought_reason", "route")


def variants(example_data: dict) -> list[dict]:
    """The examples as they are, and each example again with the child of
    the two other sexes, its relatives of every sex and none, and counsel of
    every sex and none: the generated corpus."""
    out = [copy.deepcopy(d) for _, d in sorted(example_data.items())]
    for i, (cid, data) in enumerate(sorted(example_data.items())):
        own = data["child"].get("sex")
        for j, sex in enumerate(s for s in SEXES if s != own):
            v = copy.deepcopy(data)
            v["case_id"] = f"{cid}-{sex}"
            v["child"]["sex"] = sex
            for k, rel in enumerate(v.get("family", [])):
                rel_sex = (None, "F", "M")[(i + j + k) % 3]
                if rel_sex is None:
                    rel.pop("sex", None)
                else:
                    rel["sex"] = rel_sex
            rep_sex = (None, "M", "F")[(i + j) % 3]
            if rep_sex is None:
                v["representative"].pop("sex", None)
            else:
                v["representative"]["sex"] = rep_sex
            out.append(v)
    return out


def _strings(value, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    if isinstance(value, str) and key not in FREE_TEXT and len(value) > 2:
        return [value]
    return []


def people(case) -> list[str]:
    names = [f"{case.child.given_names} {case.child.family_names}", case.representative.full_name]
    names += [r.full_name for r in case.family] + list(case.representative.authorized_persons)
    return [n for n in names if n.strip()]


@pytest.fixture(scope="module")
def corpus(example_data, law, calendar, tmp_path_factory):
    """case id -> (case, raw data, {(kind, lang): paragraphs})."""
    folder = tmp_path_factory.mktemp("translation")
    out = {}
    for data in variants(example_data):
        case, problems = parse_case(copy.deepcopy(data), today=TODAY)
        assert case is not None, [p.message_en for p in problems]
        dc = DocumentContext.build(case, law, calendar)
        docs = {}
        for kind, lang in document_plan(case, ["es", "en"]):
            if lang not in ("es", "en"):
                continue
            path = folder / case.case_id / f"{kind}_{lang}.docx"
            render_docx(kind, lang, dc.for_language(lang), path)
            docs[kind, lang] = docx_paragraphs(path)
        out[case.case_id] = (case, data, docs)
    return out


def pairs(corpus):
    for cid, (case, data, docs) in corpus.items():
        for (kind, lang), es in docs.items():
            if lang == "es" and (kind, "en") in docs:
                yield f"{cid}/{kind}", case, data, es, docs[kind, "en"]


def report(problems: list[str]) -> str:
    return f"{len(problems)} deviation(s):\n" + "\n".join(problems[:80])


def test_the_corpus_holds_every_document_in_both_languages_and_every_sex(corpus):
    kinds = {kind for _, (_, _, docs) in corpus.items() for kind, _ in docs}
    assert {"asylum", "coadyuvante", "family_reunification", "derivative_status", "checklist",
            "restitution_plan", "screening", "rights_sheet"} <= kinds
    assert {c.child.sex for c, _, _ in corpus.values()} == set(SEXES)
    assert {c.representative.sex for c, _, _ in corpus.values()} == {"F", "M", None}
    assert {r.sex for c, _, _ in corpus.values() for r in c.family} == {"F", "M", None}
    assert len(list(pairs(corpus))) >= 100


def test_fidelity_numbers_dates_articles_names_file_numbers(corpus):
    problems = [f"{tag}: {p}" for tag, case, _, es, en in pairs(corpus) for p in tc.fidelity(es, en, people(case))]
    assert not problems, report(problems)


def test_fidelity_check_catches_a_changed_date_or_article():
    es = ["El 2 de marzo de 2026 ingresó, conforme al artículo 18 de la ley; expediente PPNNA/CHIS/0123/2026."]
    en = ["On March 2, 2026 the child entered, under article 18 of the law; file PPNNA/CHIS/0123/2026."]
    assert tc.fidelity(es, en, []) == []
    assert tc.fidelity(es, [en[0].replace("March 2", "March 3")], [])
    assert tc.fidelity(es, [en[0].replace("article 18", "article 13")], [])
    assert tc.fidelity(es, [en[0].replace("0123", "0124")], [])
    # numbers written as words in the Spanish legal register count
    assert tc.fidelity(["artículo 4o., párrafo undécimo; treinta días hábiles"],
                       ["article 4, paragraph 11; thirty business days"], []) == []


def test_glossary_terms_in_every_english_document(corpus):
    glossary = tc.load_glossary()
    problems = [f"{tag}: {p}" for tag, _, _, es, en in pairs(corpus)
                for p in tc.glossary_deviations("\n".join(es), "\n".join(en), glossary)]
    assert not problems, report(problems)


def test_glossary_check_catches_a_deviation():
    glossary = tc.load_glossary()
    assert tc.glossary_deviations("dentro del plazo de 30 días hábiles", "within the 30-business-day time limit",
                                  glossary) == []
    found = tc.glossary_deviations("dentro del plazo de 30 días hábiles", "within the 30-working-day term", glossary)
    assert any("días hábiles" in p for p in found) and any("plazo" in p for p in found)


def names_kept_in_spanish(law, case, data) -> tuple[str, ...]:
    """What English text keeps in Spanish by design: statute and institution
    names and abbreviations, and the record's names of people, places and
    organizations."""
    out = {s.name.es for s in law.statutes.values()} | {s.abbreviation for s in law.statutes.values()}
    out |= {i.name.es for i in law.institutions.values()} | {i.short.es for i in law.institutions.values()}
    out |= set(_strings(data))
    return tuple(sorted(out, key=len, reverse=True))


SPANISH_INSTITUTION = re.compile(
    r"Procuradur[íi]a (?:Federal )?de Protecci[óo]n de Niñas, Niños y Adolescentes(?: del Estado de [\wÁÉÍÓÚáéíóúñ ]+)?"
    r"|Sistema (?:Nacional|Estatal) para el Desarrollo Integral de la Familia(?: del Estado de [\w ]+)?"
    r"|Comisi[óo]n Mexicana de Ayuda a Refugiados|Instituto Nacional de Migraci[óo]n", re.IGNORECASE)


def test_no_english_paragraph_is_untranslated_spanish(corpus, law):
    problems = []
    for tag, case, data, _, en in pairs(corpus):
        allowed = names_kept_in_spanish(law, case, data)
        cleaned = [SPANISH_INSTITUTION.sub(" ", p) for p in en]
        problems += [f"{tag}: {p[:140]}" for p in tc.spanish_paragraphs(cleaned, allowed)]
    assert not problems, report(problems)


def test_untranslated_check_tells_spanish_from_english():
    spanish = "La adolescente relata que los integrantes de la pandilla la amenazaron a la salida de la escuela."
    english = "The adolescent says that gang members threatened her on her way out of school."
    assert tc.spanish_paragraphs([spanish]) == [spanish]
    assert tc.spanish_paragraphs([english]) == []
    assert tc.spanish_paragraphs([f"{tc.MARKER} {spanish}"]) == []
    assert tc.spanish_paragraphs(["Acta de nacimiento (available)"]) == ["Acta de nacimiento (available)"]
    assert tc.spanish_paragraphs(["Acta de nacimiento (birth certificate) (available)"]) == []


def test_evidence_descriptions_are_glossed_or_marked():
    from docassemble.puente.documents.grammar import evidence_text

    assert evidence_text("Acta de nacimiento", "en") == "Acta de nacimiento (birth certificate)"
    assert evidence_text("Acta de nacimiento de Kevin Josué Mejía Cruz", "en").endswith("(birth certificate)")
    assert evidence_text("Fotografías de las amenazas recibidas", "en") == (
        f"Fotografías de las amenazas recibidas {tc.MARKER}")
    assert evidence_text("Acta de nacimiento", "es") == "Acta de nacimiento"


def glosses_in(text: str, law) -> list[str]:
    """The glosses an English document gives: a statute's English name, an
    institution's abbreviation with its English name ("(INM, National
    Migration Institute)"), and the Spanish term or abbreviation after an
    English one that documents/first_use.py knows ("power of attorney letter
    (carta poder)"). A parenthesis that cites, or that glosses one evidence
    item's description, is not one of them."""
    found = {f"({s.name.en})" for s in law.statutes.values()}
    found |= set(re.findall(r"\([A-Z]{2,}, [^()]+\)", text))
    found |= {m.group(0)[m.group(0).rindex("("):] for m in first_use.PATTERN.finditer(text)}
    return sorted(found)


def test_a_spanish_name_is_glossed_once_on_first_use(corpus, law):
    """Each gloss at most once in an English document; afterwards the short
    form ("the INM", "the PPNNA", "power of attorney letter")."""
    problems, seen = [], set()
    for cid, (_, _, docs) in corpus.items():
        for (kind, lang), paras in docs.items():
            if lang == "en":
                text = "\n".join(paras)
                glosses = glosses_in(text, law)
                seen |= {g for g in glosses if g in text}
                problems += [f"{cid}/{kind}_en: {p}" for p in tc.repeated_glosses(text, glosses)]
    assert not problems, report(problems)
    # the check reads real glosses, of institutions, terms and statutes
    assert {"(INM, National Migration Institute)", "(COMAR, Mexican Commission for Refugee Assistance)",
            "(carta poder)", "(cédula profesional)", "(coadyuvante)", "(Migration Law)"} <= seen, seen
    assert any(g.startswith("(PPNNA, ") for g in seen)


def test_first_use_keeps_the_first_gloss_and_shortens_the_others():
    fu = first_use.FirstUse()
    inm = "Instituto Nacional de Migración (INM, National Migration Institute)"
    assert fu(f"the {inm} notified") == f"the {inm} notified"
    assert fu(f"Ask the {inm}; cc: {inm}") == "Ask the INM; cc: INM"
    assert fu("Power of attorney letter (carta poder) annexed") == "Power of attorney letter (carta poder) annexed"
    assert fu("the attached power of attorney letter (carta poder)") == "the attached power of attorney letter"
    assert fu("Power of attorney letter (carta poder).") == "Power of attorney letter."
    state = ("the Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Chiapas "
             "(PPNNA, Child Protection Office of the State of Chiapas)")
    assert fu(state) == state and fu(state) == "the PPNNA"
    assert fu("the competent PPNNA (Child Protection Office)") == "the competent PPNNA"
    assert fu("THE HEAD OF THE COMISIÓN MEXICANA DE AYUDA A REFUGIADOS (COMAR, MEXICAN COMMISSION)") == (
        "THE HEAD OF THE COMISIÓN MEXICANA DE AYUDA A REFUGIADOS (COMAR, MEXICAN COMMISSION)")  # a heading
    assert fu(7) == 7
    assert tc.repeated_glosses(f"{inm} … {inm}", ["(INM, National Migration Institute)"])


def test_no_gender_alternatives_or_agreement_slips(corpus):
    problems = []
    for cid, (case, _, docs) in corpus.items():
        for (kind, lang), paras in docs.items():
            text = "\n".join(paras)
            problems += [f"{cid}/{kind}_{lang}: '{m}'" for m in tc.gender_alternatives(text, lang)]
            if lang == "es":
                problems += [f"{cid}/{kind}_{lang}: '{m}' for child of sex {case.child.sex}"
                             for m in tc.agreement_slips(text, case.child.sex)]
    assert not problems, report(problems)


def test_gender_check_catches_alternatives():
    for bad in ("su hermana o hermano", "nacido(a)", "niños/as", "la abuela o el abuelo", "tía o tío", "el o la"):
        assert tc.gender_alternatives(bad, "es"), bad
    assert tc.gender_alternatives("his/her lawyer", "en")
    assert tc.gender_alternatives("su ascendiente en segundo grado; madre o padre", "es") == []


def test_one_term_per_thing_and_register(corpus):
    problems = []
    for cid, (_, _, docs) in corpus.items():
        for (kind, lang), paras in docs.items():
            if lang not in ("es", "en"):
                continue
            countries = [COUNTRIES[c][0 if lang == "es" else 1] for c in COUNTRIES]
            problems += [f"{cid}/{kind}_{lang}: {p}" for p in tc.one_term("\n".join(paras), lang, countries)]
    assert not problems, report(problems)


def test_one_term_check_catches_mixed_terms():
    assert tc.one_term("Se notificó a la PPNNA; La NNA no fue escuchada.", "es", [])  # both
    assert tc.one_term("Expediente PPNNA-BC/TIJ/0877/2025 ante la Procuraduría de Protección.", "es", []) == []
    assert tc.one_term("FIRST.- Admit this submission.", "en", [])
    assert tc.one_term("Nacionalidad: Haití", "es", ["Haití"])
    assert tc.one_term("Nacionalidad: haitiana", "es", ["Haití"]) == []


def test_sex_variants_render_the_words_of_each_sex(corpus):
    """The generated corpus really varies: a relative of unknown sex is named
    by a neutral kinship term, one of known sex by the gendered word."""
    seen_neutral = seen_gendered = False
    for _, (case, _, docs) in corpus.items():
        text = "\n".join(docs.get(("restitution_plan", "es"), []))
        for rel in case.family:
            if rel.relationship == "grandparent" and rel.full_name in text:
                if rel.sex is None:
                    seen_neutral |= "ascendiente en segundo grado" in text
                elif rel.sex == "F":
                    seen_gendered |= "abuela" in text
    assert seen_neutral and seen_gendered


def test_glossary_is_strict(tmp_path):
    bad = tmp_path / "glossary.yml"
    bad.write_text("plazo:\n  es: plazo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="plazo"):
        tc.load_glossary(bad)


# --------------------------------------------------------------------------
# The filing-level corrections of issue 17, pinned


FILINGS = ("asylum", "coadyuvante", "derivative_status", "family_reunification")


def test_the_power_of_attorney_proves_counsels_standing_in_every_english_filing(corpus):
    """The Spanish: 'personalidad que acredito con la carta poder'. The English
    must attach the proof to the representation, not to the child's status."""
    seen = set()
    for _, (_, _, docs) in corpus.items():
        for kind in FILINGS:
            en = "\n".join(docs.get((kind, "en"), []))
            if not en:
                continue
            seen.add(kind)
            assert "my standing as representative being established by the attached power of attorney letter" in en
            assert "as evidenced by the attached power of attorney" not in en
            es = "\n".join(docs[kind, "es"])
            assert "personalidad que acredito con la carta poder" in es
    assert seen == set(FILINGS)


def test_counsels_degree_agrees_with_counsels_sex(corpus):
    expected = {"F": "para ejercer la profesión de licenciada en derecho",
                "M": "para ejercer la profesión de licenciado en derecho",
                None: "de licenciatura en derecho"}
    for cid, (case, _, docs) in corpus.items():
        for kind in FILINGS:
            es = "\n".join(docs.get((kind, "es"), []))
            if es and case.representative.professional_license:
                assert expected[case.representative.sex] in es, (cid, kind)
                wrong = {k: v for k, v in expected.items() if k != case.representative.sex}
                assert not any(v in es for k, v in wrong.items() if k is not None), (cid, kind)


def test_articles_agreement_and_plan_heading(corpus):
    for _, (_, _, docs) in corpus.items():
        plan = "\n".join(docs.get(("restitution_plan", "es"), []))
        assert "que enumera el artículo 13" in plan and "que enumera artículo" not in plan
        assert "PETITORIOS" in plan
        reunif = "\n".join(docs.get(("family_reunification", "es"), []))
        assert "de ambos" not in reunif and "la niña o el niño" not in reunif
