"""Spanish (and sheet-language) agreement helpers, in one place.

A document never prints a gender alternative ("hermana o hermano", "nacido(a)",
"licenciado/a"): a word is gendered only when the record says the person's
sex, and otherwise the sentence uses a word that needs no gender ("pariente
colateral en segundo grado", "la persona que te representa"). The tables here
are the only place such words live; ``tests/test_translation.py`` scans every
rendered document for leftovers.

The child's own agreement (``child_grammar``: "la adolescente", "el niño",
"nacida", "she"/"he"/"they") is computed here once per document.

This module imports nothing from the rest of the package (a leaf), so that
context, filings and supporting documents can all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only
    from ..model import Case


@dataclass
class Grammar:
    """Agreement with the child's sex and age, in Spanish and English."""

    noun: str           # adolescente | niña | niño | persona adolescente…
    art: str            # la | el
    o_a: str            # a | o: nacid{{ g.o_a }}
    subject: str        # en: she | he | they
    possessive: str     # en: her | his | their
    object: str         # en: her | him | them
    noun_en: str        # adolescent | child

    @property
    def nna(self) -> str:
        return f"{self.art} {self.noun}"

    @property
    def del_nna(self) -> str:
        return f"del {self.noun}" if self.art == "el" else f"de la {self.noun}"

    @property
    def al_nna(self) -> str:
        return f"al {self.noun}" if self.art == "el" else f"a la {self.noun}"

    @property
    def la_lo(self) -> str:
        return "lo" if self.art == "el" else "la"


def child_grammar(case: Case) -> Grammar:
    """The child's agreement: a child of 12 or more is an adolescent (an
    unknown age counts as 12); an unrecorded sex takes the neutral "persona"."""
    age = case.age if case.age is not None else 12
    adolescent = age >= 12
    sex = case.child.sex or "X"
    if sex == "F":
        noun, art, o_a = ("adolescente" if adolescent else "niña"), "la", "a"
        en = ("she", "her", "her")
    elif sex == "M":
        noun, art, o_a = ("adolescente" if adolescent else "niño"), "el", "o"
        en = ("he", "his", "him")
    else:
        noun, art, o_a = ("persona adolescente" if adolescent else "persona menor de edad"), "la", "a"
        en = ("they", "their", "them")
    return Grammar(noun, art, o_a, *en, noun_en="adolescent" if adolescent else "child")


def agree(adjective_fem: str, g: Grammar) -> str:
    """'no acompañada' -> 'no acompañado' for a boy."""
    if g.o_a == "o" and adjective_fem.endswith("a"):
        return adjective_fem[:-1] + "o"
    return adjective_fem


# The trafficking-indicator phrases of law/terms.yml agree with a feminine
# subject ("la NNA", "la persona adolescente"); for a boy they are turned.
MASCULINE_FIXES = (("sí misma", "sí mismo"), ("por ella", "por él"), ("intimidada", "intimidado"),
                   ("haberla", "haberlo"))


def agree_phrase(text: str, g: Grammar, lang: str) -> str:
    """A Spanish phrase written for a girl, turned for a boy (MASCULINE_FIXES)."""
    if lang == "es" and g.o_a == "o":
        for fem, masc in MASCULINE_FIXES:
            text = text.replace(fem, masc)
    return text

# The relative's relationship to the child, by the relative's sex: (es, en).
# Unknown sex ("X" or missing) takes the neutral form: Mexican civil law's
# kinship terms ("ascendiente", "pariente colateral") have no gender.
KIN = {
    "mother": {"F": ("madre", "mother")},
    "father": {"M": ("padre", "father")},
    "sibling": {"F": ("hermana", "sister"), "M": ("hermano", "brother"),
                "X": ("pariente colateral en segundo grado", "sibling")},
    "grandparent": {"F": ("abuela", "grandmother"), "M": ("abuelo", "grandfather"),
                    "X": ("ascendiente en segundo grado", "grandparent")},
    "aunt_uncle": {"F": ("tía", "aunt"), "M": ("tío", "uncle"),
                   "X": ("pariente colateral en tercer grado", "aunt or uncle")},
    "cousin": {"F": ("prima", "cousin"), "M": ("primo", "cousin"),
               "X": ("pariente colateral en cuarto grado", "cousin")},
    "spouse": {"X": ("cónyuge o pareja", "spouse or partner")},
    "child": {"F": ("hija", "daughter"), "M": ("hijo", "son"),
              "X": ("descendiente en primer grado", "child")},
    "legal_guardian": {"F": ("tutora legal", "legal guardian"), "M": ("tutor legal", "legal guardian"),
                       "X": ("persona que ejerce la tutela", "legal guardian")},
    "other": {"X": ("persona allegada", "person close to the child")},
}

# What the child is to a relative (the principal refugee is the child's mother
# -> the child is her "hija"), by the relative's relationship and the CHILD's
# sex; unknown sex takes the neutral kinship term.
CHILD_AS_KIN = {
    "mother": {"F": ("hija", "daughter"), "M": ("hijo", "son"), "X": ("descendiente en primer grado", "child")},
    "father": {"F": ("hija", "daughter"), "M": ("hijo", "son"), "X": ("descendiente en primer grado", "child")},
    "grandparent": {"F": ("nieta", "granddaughter"), "M": ("nieto", "grandson"),
                    "X": ("descendiente en segundo grado", "grandchild")},
    "sibling": {"F": ("hermana", "sister"), "M": ("hermano", "brother"),
                "X": ("pariente colateral en segundo grado", "sibling")},
    "aunt_uncle": {"F": ("sobrina", "niece"), "M": ("sobrino", "nephew"),
                   "X": ("pariente colateral en tercer grado", "sibling's child")},
    "cousin": {"F": ("prima", "cousin"), "M": ("primo", "cousin"),
               "X": ("pariente colateral en cuarto grado", "cousin")},
    "legal_guardian": {"F": ("pupila", "ward"), "M": ("pupilo", "ward"),
                       "X": ("persona sujeta a su tutela", "ward")},
}


def _sexed(table: dict, code: str | None, sex: str | None, lang: str) -> str:
    forms = table.get(code or "")
    if not forms:
        return ""
    pair = forms.get(sex or "X") or forms.get("X") or next(iter(forms.values()))
    return pair[0] if lang == "es" else pair[1]


def kin(code: str | None, sex: str | None, lang: str) -> str:
    """The relative's relationship to the child: 'abuela', 'grandmother';
    'ascendiente en segundo grado', 'grandparent' when the sex is unknown."""
    return _sexed(KIN, code, sex, lang)


def child_as_kin(code: str | None, child_sex: str | None, lang: str) -> str:
    """What the child is to a relative with relationship ``code``."""
    return _sexed(CHILD_AS_KIN, code, child_sex, lang)


def law_profession(sex: str | None) -> str:
    """After 'con cédula profesional número N': 'para ejercer la profesión de
    licenciada en derecho' (or 'licenciado'); when counsel's sex is not
    recorded, 'de licenciatura en derecho' (the degree the cédula is for),
    never 'licenciado(a)'."""
    return {"F": "para ejercer la profesión de licenciada en derecho",
            "M": "para ejercer la profesión de licenciado en derecho"}.get(sex or "", "de licenciatura en derecho")


# Counsel as the rights sheet names them to the child: (with, to) per language.
# "with": after "Habla con" / "Fale com"; "to": "díselo a tu abogada" / "conte
# ao seu advogado" (Portuguese contracts the preposition with the article).
COUNSEL_FOR_CHILD = {
    "es": {"F": ("tu abogada", "a tu abogada"), "M": ("tu abogado", "a tu abogado"),
           "X": ("la persona que te representa", "a la persona que te representa")},
    "en": {"X": ("your lawyer", "your lawyer")},
    "fr": {"F": ("ton avocate", "à ton avocate"), "M": ("ton avocat", "à ton avocat"),
           "X": ("la personne qui te représente", "à la personne qui te représente")},
    "ht": {"X": ("avoka w", "avoka w")},
    "pt": {"F": ("a sua advogada", "à sua advogada"), "M": ("o seu advogado", "ao seu advogado"),
           "X": ("a pessoa que representa você", "à pessoa que representa você")},
}


def counsel_for_child(sex: str | None, lang: str) -> tuple[str, str]:
    forms = COUNSEL_FOR_CHILD.get(lang, COUNSEL_FOR_CHILD["en"])
    return forms.get(sex or "X") or forms["X"]


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 indicador', '4 indicadores' (never 'indicador(es)')."""
    if n == 1:
        return f"{n} {singular}"
    if plural_form is None:
        plural_form = singular + ("es" if singular[-1:] not in "aeiouáéó" else "s")
    return f"{n} {plural_form}"


# Nationality as an adjective (the demonym), never the country's name:
# "Nacionalidad: haitiana", "Nationality: Haitian". Spanish takes the feminine
# form (it agrees with "nacionalidad"). (es, en).
DEMONYMS = {
    "GT": ("guatemalteca", "Guatemalan"), "HN": ("hondureña", "Honduran"), "SV": ("salvadoreña", "Salvadoran"),
    "NI": ("nicaragüense", "Nicaraguan"), "HT": ("haitiana", "Haitian"), "VE": ("venezolana", "Venezuelan"),
    "CU": ("cubana", "Cuban"), "CO": ("colombiana", "Colombian"), "EC": ("ecuatoriana", "Ecuadorian"),
    "MX": ("mexicana", "Mexican"), "US": ("estadounidense", "American"), "BR": ("brasileña", "Brazilian"),
    "CL": ("chilena", "Chilean"), "PE": ("peruana", "Peruvian"), "BO": ("boliviana", "Bolivian"),
    "DO": ("dominicana", "Dominican"), "CR": ("costarricense", "Costa Rican"), "PA": ("panameña", "Panamanian"),
    "AR": ("argentina", "Argentine"), "CM": ("camerunesa", "Cameroonian"), "AF": ("afgana", "Afghan"),
    "GH": ("ghanesa", "Ghanaian"), "SN": ("senegalesa", "Senegalese"), "AO": ("angoleña", "Angolan"),
    "CD": ("congoleña", "Congolese"), "UA": ("ucraniana", "Ukrainian"), "RU": ("rusa", "Russian"),
    "CN": ("china", "Chinese"), "IN": ("india", "Indian"), "PT": ("portuguesa", "Portuguese"),
    "GN": ("guineana", "Guinean"), "MZ": ("mozambiqueña", "Mozambican"), "CV": ("caboverdiana", "Cape Verdean"),
}


def demonym(code: str | None, lang: str) -> str:
    """'haitiana' / 'Haitian'; 'apátrida' / 'stateless'; a country not in the
    table: 'nacional de <país>' / 'national of <country>'."""
    if not code:
        return ""
    if code == "stateless":
        return "apátrida" if lang == "es" else "stateless"
    pair = DEMONYMS.get(code.upper())
    if pair:
        return pair[0] if lang == "es" else pair[1]
    from babel import Locale

    name = Locale.parse("es_MX" if lang == "es" else "en_US").territories.get(code.upper(), code)
    return f"nacional de {name}" if lang == "es" else f"national of {name}"


# Evidence descriptions are counsel's Spanish words. In an English document a
# description that names a known document gets the English name as a gloss
# ("Acta de nacimiento de X (birth certificate)"); any other keeps its Spanish
# under the untranslated marker, so nothing Spanish passes as English.
UNTRANSLATED = "[Original in Spanish — not translated]"
EVIDENCE_GLOSSES = (
    ("acta de nacimiento", "birth certificate"),
    ("pasaporte", "passport"),
    ("cédula de identidad", "national identity card"),
    ("documento nacional de identidad", "national identity document"),
    ("identificación consular", "consular identification"),
    ("carta poder", "power of attorney letter"),
    ("constancia de trámite", "proof of pending application"),
    ("resolución", "decision"),
)


def evidence_text(description: str, lang: str) -> str:
    if lang == "es" or not description:
        return description
    low = description.lower()
    for es, en in EVIDENCE_GLOSSES:
        if low.startswith(es) or low.startswith(f"copia de la {es}") or low.startswith(f"copia del {es}"):
            rest = description[len(es):].strip() if low.startswith(es) else ""
            if not rest or rest.lower() in ("apostillada", "apostillado") or rest.lower().startswith("de "):
                return f"{description} ({en})"
    return f"{description} {UNTRANSLATED}"


def untranslated(text: str, lang: str, *, quoted: bool = False) -> str:
    """Counsel's free text (typed in Spanish) inside a document in ``lang``.
    In Spanish, as it is. In any other language it stays in Spanish, followed
    by the visible marker (UNTRANSLATED), so nothing Spanish passes as a
    translation; ``quoted`` puts it in quotation marks first, for text that
    sits inside a sentence of the document's own language."""
    if not text or lang == "es":
        return text
    return f"“{text}” {UNTRANSLATED}" if quoted else f"{text} {UNTRANSLATED}"


def untranslated_paragraphs(paras: list[str], lang: str) -> list[str]:
    """Counsel's Spanish paragraphs (a narrative, the child's views, a
    reason) in a document in ``lang``: in any language but Spanish the marker
    opens the first one (inline, so the English still pairs paragraph by
    paragraph)."""
    if not paras or lang == "es":
        return paras
    return [f"{UNTRANSLATED} {paras[0]}", *paras[1:]]
