"""Message catalogs (gettext, managed with Babel).

Messages are written in code in English, marked with ``N_`` so that
``pybabel extract`` finds them; the Spanish text lives in
``translations/es/LC_MESSAGES/puente.po``. The .po files are read directly with
Babel (no compiled .mo to keep in sync); ``make messages`` refreshes them and a
test fails when a message has no Spanish translation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.messages.pofile import read_po

from .resources import data_dir

DOMAIN = "puente"
LANGUAGES = ("es", "en")


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a message for extraction; translation happens when it is shown."""
    return message


def pick(lang: str, es: str, en: str) -> str:
    """The Spanish or the English of a pair of texts, for ``lang``. Spanish
    only for Spanish: a document in a third language (the rights sheet in
    French, Haitian Creole or Portuguese) takes the English of anything it
    has no words for. The one place this choice is made."""
    return es if lang == "es" else en


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    path = data_dir("sources") / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    # Plural messages (tuples) are not used.
    return {m.id: m.string for m in cat
            if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string and not m.fuzzy}


def translate(message: str, lang: str, **params: Any) -> str:
    text = catalog(lang).get(message, message) if lang != "en" else message
    return text.format(**params) if params else text
