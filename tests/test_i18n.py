"""Every message the code can show has its Spanish translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from docassemble.puente import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "docassemble" / "puente"


def code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords={"N_": None, "_": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_messages_are_extracted():
    messages = code_messages()
    assert "This field is required." in messages
    assert len(messages) > 50


def test_every_message_has_a_spanish_translation():
    spanish = i18n.catalog("es")
    missing = sorted(m for m in code_messages() if not spanish.get(m))
    assert not missing, ("run `make messages` and translate in translations/es/LC_MESSAGES/puente.po:\n"
                         + "\n".join(missing))


def test_placeholders_survive_translation():
    spanish = i18n.catalog("es")
    import string

    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    for msgid, text in spanish.items():
        assert fields(msgid) == fields(text), msgid


def test_translate_formats_both_languages():
    msg = "The date of birth is in the future (after the filing date {filing_date})."
    assert "2026-11-23" in i18n.translate(msg, "es", filing_date="2026-11-23")
    assert i18n.translate(msg, "es", filing_date="x").startswith("La fecha de nacimiento")
    assert i18n.translate(msg, "en", filing_date="x").startswith("The date of birth")


def test_one_way_to_pick_the_language():
    from docassemble.puente.law import Text
    assert [i18n.pick(lang, "sí", "yes") for lang in ("es", "en", "ht", "fr")] == ["sí", "yes", "yes", "yes"]
    assert Text("sí", "yes")["pt"] == "yes"
