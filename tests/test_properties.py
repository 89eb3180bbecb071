"""Property-based tests (hypothesis) over the case record.

- A valid record with any text in its free fields (accents, scripts,
  control and text-direction characters) renders without leftovers.
- Any junk in any field gives problems in Spanish and English naming a
  field, never an exception.
- A public version hides any name, however it is spelled.

Example counts are kept small so the suite stays fast; raise them with
HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import copy
import os
import re
import unicodedata
from datetime import date, timedelta

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docassemble.puente.documents.context import DocumentContext
from docassemble.puente.documents.protect import Redaction, fold, redaction_for
from docassemble.puente.documents.render import render_docx
from docassemble.puente.i18n import catalog
from docassemble.puente.model import Case
from docassemble.puente.schema import fields_of
from docassemble.puente.validate import parse_case

from .conftest import EXAMPLES, TODAY
from .docx_text import docx_paragraphs

settings.register_profile("fast", max_examples=12, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

BASE = yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))
LEFTOVER = re.compile(r"\{\{|\{%|\b(?:None|nan|NaN)\b")
# Any text, including control, text-direction and private-use characters.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
NAME = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn"), whitelist_characters=" -'"),
               min_size=2, max_size=30).filter(lambda s: re.search(r"[^\W\d_]{2}", s) is not None)


def _printable(text: str) -> bool:
    return not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text) \
        and not re.search("[\u202a-\u202e\u2066-\u2069]", text)


@given(given_names=NAME, family_names=NAME, narrative=ANY_TEXT, route=ANY_TEXT,
       entry=st.integers(min_value=0, max_value=600), sex=st.sampled_from(["F", "M", "X"]))
def test_a_valid_record_renders_without_leftovers(law, calendar, tmp_path, given_names, family_names,
                                                   narrative, route, entry, sex):
    data = copy.deepcopy(BASE)
    data["child"].update(given_names=given_names, family_names=family_names, route=route, sex=sex,
                         entry_date=(TODAY - timedelta(days=entry)).isoformat())
    data["claim"]["narrative"] = narrative
    case, problems = parse_case(data, today=TODAY)
    if case is None:  # blank after cleaning: then the problem names the field
        assert all(p.field for p in problems if p.severity == "error")
        return
    dc = DocumentContext.build(case, law, calendar)
    for lang in ("es", "en"):
        path = render_docx("asylum", lang, dc.for_language(lang), tmp_path / f"asylum-{lang}.docx")
        text = "\n".join(docx_paragraphs(path))
        assert not LEFTOVER.search(text), LEFTOVER.search(text)
        assert _printable(text)


FIELDS = [f.path for f in fields_of(Case)]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), ANY_TEXT,
                 st.lists(ANY_TEXT, max_size=3), st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=2),
                 st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))


@settings(max_examples=int(os.environ.get("PROPERTY_JUNK_EXAMPLES", "150")))
@given(path=st.sampled_from(FIELDS + ["family", "claim", "child", "evidence", "unknown.field"]), junk=JUNK)
def test_junk_in_any_field_gives_bilingual_problems_naming_a_field(path, junk):
    data = copy.deepcopy(BASE)
    target = data
    *parents, key = path.split(".")
    for name in parents:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    target[key] = junk
    case, problems = parse_case(data, today=TODAY)  # never raises
    spanish = catalog("es")
    for problem in problems:
        assert problem.field, problem.message
        assert problem.message in spanish, problem.message  # a Spanish text exists
        assert problem.message_es and problem.message_en
        if isinstance(junk, str) and len(junk) > 3 and problem.severity == "error" and junk.strip() not in (
                "true", "false") and not re.fullmatch(r"[\d\s.\-]+", junk):
            assert junk not in problem.message_es + problem.message_en  # never echoed
    if case is None:
        assert any(p.severity == "error" for p in problems)


def _variants(name: str) -> st.SearchStrategy[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return st.sampled_from([name, name.upper(), name.lower(), plain, plain.upper(), name.title()])


@given(data=st.data(), given_names=NAME, family_names=NAME)
def test_a_public_version_hides_a_name_however_it_is_written(data, given_names, family_names):
    record = copy.deepcopy(BASE)
    record["child"].update(given_names=given_names, family_names=family_names)
    case, _ = parse_case(record, today=TODAY)
    if case is None:
        return
    redaction: Redaction = redaction_for(case, "es")
    written = data.draw(_variants(f"{case.child.given_names} {case.child.family_names}"))
    sentence = f"Comparece {written}, quien declara."
    public = redaction.text(sentence)
    assert redaction.leaks(public) == 0
    name_words = {fold(w) for w in re.findall(r"[^\W\d_]+", written) if len(w) > 1}
    kept = {fold(w) for w in re.findall(r"[^\W\d_]+", public)}
    assert not (name_words - redaction.ordinary - {"de", "del", "la", "las", "los", "y", "e"}) & kept
    assert public.startswith("Comparece ") and public.endswith(", quien declara.")


@pytest.mark.parametrize("given_names, family_names, written", [
    ("Aina", "AĿ", "Aina AL·"),          # hypothesis found it: NFKD of "Ŀ" is "L·"
    ("Aina", "AĿ", "Aina AĿ"),
    ("Aina", "Ŀlull", "aina l·lull"),    # a Catalan name, written with the middle dot
    ("Aina", "AİA", "aina ai̇a"),         # "İ".lower() is "i" and a combining dot
    ("Aina", "Aı", "AINA AI"),           # "ı".upper() is "I"
])
def test_a_name_whose_letters_decompose_is_hidden(given_names, family_names, written):
    record = copy.deepcopy(BASE)
    record["child"].update(given_names=given_names, family_names=family_names)
    case, _ = parse_case(record, today=TODAY)
    assert case is not None
    redaction = redaction_for(case, "es")
    public = redaction.text(f"Comparece {written}, quien declara.")
    assert redaction.leaks(public) == 0
    kept = {fold(w) for w in re.findall(r"[^\W\d_]+", public)}
    assert not {"aina", "al", "lull", "ai", "aia"} & kept, public


@pytest.mark.parametrize("word", ["refugio", "luz", "paz", "cruz"])
def test_an_ordinary_word_alone_is_never_replaced(word):
    record = copy.deepcopy(BASE)
    record["child"]["given_names"] = f"María {word.title()}"
    case, _ = parse_case(record, today=TODAY)
    redaction = redaction_for(case, "es")
    if fold(word) not in redaction.ordinary:
        pytest.skip(f"'{word}' is not a word the documents use")
    text = f"La niña pide {word} y {word.upper()}."
    assert redaction.text(text) == text
    assert redaction.text(f"Comparece María {word.title()} Pérez López.") == "Comparece M. " \
        f"{word[0].upper()}. P. L."
