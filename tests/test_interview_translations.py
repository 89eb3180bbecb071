"""Every phrase of the interviews has its English translation in
translations/puente-en.xlsx (a docassemble interview translation file), and
every docassemble system phrase the screens use has its Spanish one.

After changing interview text run `make interview-translations` to add the new
phrases to the workbook; a translator fills the `tr_text` column in Excel.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import da_harness as h

pytestmark = pytest.mark.skipif(not h.docassemble_available(),
                                reason="docassemble.base is not installed (`make test` installs it)")

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "translations" / "puente-en.xlsx"
MAKO = re.compile(r"\$\{[^}]*\}|^[ \t]*%.*$", re.MULTILINE)


@pytest.fixture(scope="module")
def phrases():
    h.boot()
    return h.all_phrases()


@pytest.fixture(scope="module")
def translations():
    return h.read_translation_file(WORKBOOK)


def test_every_phrase_has_its_english(phrases, translations):
    missing = [(f"{interview}#{qid}", phrase[:70])
               for interview, qid, phrase in phrases if not translations.get(phrase)]
    assert not missing, (f"{len(missing)} phrase(s) without English in {WORKBOOK.name} "
                         f"(run `make interview-translations`): {missing[:10]}")


def test_translations_keep_the_code(phrases, translations):
    """A translation keeps every ${ … } expression and % line of the original,
    and values that are code (choice values, action names) stay as they are."""
    for _, _, phrase in phrases:
        tr = translations.get(phrase)
        if not tr:
            continue
        assert _same_code(phrase, tr), phrase[:80]
        if re.fullmatch(r"[a-z_]+|True|False", phrase.strip()):
            assert tr == phrase, f"{phrase!r} is a value the interview compares: do not translate it"


def _same_code(original: str, translation: str) -> bool:
    """The translation brings no code of its own: every expression in it is
    one of the original's (string literals inside may be translated), and its
    `%` lines are the original's. It may leave out an expression that only
    serves Spanish grammar (``${ puente.o_a(case) }``)."""
    def code(s: str) -> list[str]:
        return [re.sub(r"'[^']*'|\"[^\"]*\"", "''", m).strip() for m in MAKO.findall(s)]
    orig, tr = code(original), code(translation)
    lines = lambda xs: [x for x in xs if x.startswith("%")]  # noqa: E731
    return set(tr) <= set(orig) and lines(orig) == lines(tr)


def test_no_stale_rows(phrases, translations):
    current = {phrase for _, _, phrase in phrases}
    stale = [p[:60] for p in translations if p not in current]
    assert not stale, f"rows for phrases no interview uses any more (run `make interview-translations`): {stale[:5]}"


def test_workbook_is_what_docassemble_reads():
    """The interview loads the workbook and shows English from it."""
    h.boot()
    session = h.Session("main_intake.yml", url_args={"lang": "en"})
    assert session.assemble().title.strip() == "A new case"


def test_system_words_file_is_loaded():
    h.boot()
    from docassemble.base.functions import word
    from docassemble.base.thread_context import empty_globals, global_context

    words = h.read_words_file(ROOT / "translations" / "system-words-es.xlsx")["es"]
    assert words["Continue"] == "Continuar"
    with global_context(empty_globals()):
        from docassemble.base.language.control import set_language

        set_language("es")
        assert word("Yes") == "Sí"
        assert word("This field is required.") == words["This field is required."]


def test_english_follows_the_glossary(phrases, translations):
    """The English of the interview uses the glossary's terms (law/glossary.yml),
    as the English mirrors do: "business days" for días hábiles, "time limit"
    or "deadline" for plazo; never the renderings the glossary avoids."""
    from tests.translation_checks import glossary_deviations, load_glossary

    glossary = load_glossary()
    found = []
    for interview, qid, phrase in phrases:
        tr = translations.get(phrase)
        if tr and tr != phrase:
            # an expression without words of its own stands for what it prints (a
            # number in "the term of ${ days }"); one with quoted words keeps them
            en = re.sub(r"\$\{[^}'\"]*\}", "0", tr)
            found += [f"{interview.rsplit('/', 1)[-1]}#{qid}: {d}" for d in glossary_deviations(phrase, en, glossary)]
    assert not found, "\n".join(found)
