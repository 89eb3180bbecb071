"""A Spanish name glossed once per English document (docs/glossary.md).

English documents keep Mexican institutions and terms of art in Spanish and
gloss them in parentheses: "the Instituto Nacional de Migración (INM,
National Migration Institute)", "power of attorney letter (carta poder)".
A translator glosses a name the first time it appears and uses the short
form afterwards ("the INM", "power of attorney letter").

Whether a mention is the first one depends on which paragraphs a case
prints and in what order, which neither a template nor the Python that
builds a phrase knows. So the gloss is decided as the document is rendered:
``render_docx`` passes every printed value through the document's
``FirstUse`` (the context's ``first_use``), which keeps the first glossed
mention of each name and shortens the later ones. A glossed name typed in an
English template is therefore written as an expression,
``{{ "Instituto Nacional de Migración (INM, National Migration Institute)" }}``,
so that it passes through too.

Statute names are glossed once by ``cite`` in the context (the law data
holds their English names); this module covers institutions and terms.
Capitals (headings, the addressee block) are left as they are: a heading is
not a mention in the text.
"""

from __future__ import annotations

import re
from typing import Any

# (key, pattern of the glossed mention, short form). The key is the name
# glossed: once one of its mentions has been glossed, every later one takes
# the short form. The first letter of a pattern matches either case and the
# short form follows it ("Power of attorney letter" opens an exhibit line).
GLOSSES: tuple[tuple[str, str, str], ...] = (
    # institutions: the Spanish name, glossed; then the abbreviation
    ("INM", r"Instituto Nacional de Migración \(INM, National Migration Institute\)", "INM"),
    ("COMAR", r"Comisión Mexicana de Ayuda a Refugiados \(COMAR, Mexican Commission for Refugee Assistance\)", "COMAR"),
    # federal, a state's ("… del Estado de Chiapas"), or the competent one
    ("PPNNA", r"Procuraduría (?:Federal )?de Protección(?: de Niñas, Niños y Adolescentes)?[^()]{0,60}?"
              r" \(PPNNA, [^()]+\)", "PPNNA"),
    ("PPNNA", r"PPNNA \(Child Protection Office\)", "PPNNA"),
    ("SRE", r"Secretaría de Relaciones Exteriores \(SRE, Ministry of Foreign Affairs\)", "SRE"),
    ("DIF", r"DIF \((?:National / State )?System for Integral Family Development\)", "DIF"),
    # terms of art: the English term, glossed with the Spanish; then the English
    ("carta poder", r"power of attorney letter \(carta poder\)", "power of attorney letter"),
    ("cédula profesional", r"professional license \(cédula profesional\)", "professional license"),
    ("coadyuvante", r"contributory representative \(coadyuvante\)", "contributory representative"),
    ("coadyuvante", r"contributory representation \((?:representación )?coadyuvante\)", "contributory representation"),
    ("TVRH", r"humanitarian visitor card \((?:Tarjeta de Visitante por Razones Humanitarias, )?TVRH\)",
     "humanitarian visitor card"),
    ("CAS", r"DIF shelter \(CAS\)", "DIF shelter"),
    ("CAS", r"shelters \(CAS\)", "shelters"),  # "DIF (…) and its shelters (CAS)", a referral
    ("CURP", r"temporary population registry number \(CURP\)", "temporary population registry number"),
    ("recurso de revisión", r"administrative appeal \(recurso de revisión\)", "administrative appeal"),
    ("prevención", r"request to cure \(prevención\)", "request to cure"),
    ("constancia de trámite", r"proof of pending application \(constancia de trámite\)",
     "proof of pending application"),
    ("estación migratoria", r"migration detention station \(estación migratoria\)", "migration detention station"),
)


def _either_case(pattern: str) -> str:
    first = pattern[0]
    return f"[{first.upper()}{first.lower()}]{pattern[1:]}" if first.isalpha() else pattern


PATTERN = re.compile("|".join(f"(?P<g{i}>{_either_case(p)})" for i, (_, p, _) in enumerate(GLOSSES)))


class FirstUse:
    """One English document's glosses: the first mention of each name keeps
    its gloss, a later one takes the short form."""

    def __init__(self) -> None:
        self.glossed: set[str] = set()

    def text(self, text: str) -> str:
        def one(m: re.Match) -> str:
            i = int(next(name for name, value in m.groupdict().items() if value is not None)[1:])
            key, _, short = GLOSSES[i]
            if key not in self.glossed:
                self.glossed.add(key)
                return m.group(0)
            found = m.group(0)
            return (short[0].upper() + short[1:]) if found[0].isupper() and short[0].islower() else short

        return PATTERN.sub(one, text)

    def __call__(self, value: Any) -> Any:
        """A value the template prints: text is glossed on first use; other
        values (numbers, rich text, images) pass unchanged."""
        return self.text(value) if type(value) is str else value
