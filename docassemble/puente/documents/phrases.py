"""The small phrases every document is built from: names of countries,
languages and nationalities, words joined into a list, initials, paragraphs
of counsel's text, and where a COMAR office is.

A leaf of the documents package: it imports only ``grammar`` (another leaf)
and modules outside the package, so ``context``, ``filings``, ``supporting``,
``after_filing`` and ``arguments`` can all use it without importing one
another. Dates are ``dates.long_date``; the child's grammatical agreement is
``grammar.child_grammar``; where the child is placed is
``facts.placement_phrase``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel import Locale

from ..dates import LOCALES
from .grammar import DEMONYMS

if TYPE_CHECKING:  # types only
    from ..model import Case

# Languages Babel does not name (Mayan languages of Guatemala, mostly), and
# Haitian Creole, which Babel calls "haitiano" in Spanish while the children
# and their lawyers say "criollo haitiano".
LANGUAGE_NAMES = {
    "mam": ("mam", "Mam"), "quc": ("k'iche'", "K'iche'"), "kek": ("q'eqchi'", "Q'eqchi'"),
    "cak": ("kaqchikel", "Kaqchikel"), "jac": ("popti'", "Popti'"), "ixl": ("ixil", "Ixil"),
    "tzh": ("tseltal", "Tseltal"), "tzo": ("tsotsil", "Tsotsil"), "acr": ("achi", "Achi"),
    "poh": ("poqomchi'", "Poqomchi'"), "cab": ("garífuna", "Garifuna"),
    "ht": ("criollo haitiano", "Haitian Creole"),
}

# COMAR offices and their states, for the authority heading.
COMAR_OFFICE_STATES = {
    "Tapachula": "Chiapas", "Palenque": "Chiapas", "Tenosique": "Tabasco",
    "Villahermosa": "Tabasco", "Acayucan": "Veracruz", "Ciudad de México": "Ciudad de México",
    "Monterrey": "Nuevo León", "Tijuana": "Baja California", "Guadalajara": "Jalisco",
    "Saltillo": "Coahuila", "Ciudad Juárez": "Chihuahua", "Cancún": "Quintana Roo",
    "Querétaro": "Querétaro",
}


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return ""
    if code == "stateless":
        return "apátrida" if lang == "es" else "stateless"
    return Locale.parse(LOCALES.get(lang, "en_US")).territories.get(code, code)


def language_name(code: str, lang: str) -> str:
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code][0 if lang == "es" else 1]
    return Locale.parse(LOCALES.get(lang, "en_US")).languages.get(code, code)


def nationality_phrase(code: str | None, lang: str) -> str:
    """After 'es' / 'is': 'de nacionalidad salvadoreña' (the demonym agrees
    with 'nacionalidad'), 'nacional de <país>' for a country without a
    demonym in ``grammar.DEMONYMS``; 'a national of El Salvador';
    'apátrida' / 'stateless'."""
    if not code:
        return ""
    if code == "stateless":
        return "apátrida" if lang == "es" else "stateless"
    if lang == "es":
        pair = DEMONYMS.get(code.upper())
        return f"de nacionalidad {pair[0]}" if pair else f"nacional de {country_name(code, 'es')}"
    return f"a national of {country_name(code, 'en')}"


def join_words(items: list[str], lang: str) -> str:
    """'a, b y c' / 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    conj = {"es": "y", "en": "and", "fr": "et", "pt": "e", "ht": "ak"}.get(lang, "and")
    if lang == "es" and items[-1][:1].lower() in ("i", "í") and not items[-1].lower().startswith(("hi", "hie", "ya")):
        conj = "e"
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def initials(given: str | None, family: str | None) -> str:
    words = f"{given or ''} {family or ''}".split()
    return "".join(f"{w[0].upper()}." for w in words if w[0].isalpha())


def paragraphs(text: str | None) -> list[str]:
    """Counsel's text as paragraphs: blank lines separate them; single line
    breaks are joined, so Word reflows the paragraph."""
    if not text:
        return []
    paras, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return paras


def comar_office_place(case: Case) -> str:
    """'Tapachula, Chiapas': the COMAR office with its state (the filing's
    state when the office is in the filing's city and not in the table)."""
    office = case.authority.comar_office or ""
    state = COMAR_OFFICE_STATES.get(office) or (case.filing_state if office == case.filing_city else None)
    return f"{office}, {state}" if state and state != office else office
