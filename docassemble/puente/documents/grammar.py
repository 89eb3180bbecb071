"""Spanish (and sheet-language) agreement helpers, in one place.

A document never prints a gender alternative ("hermana o hermano", "nacido(a)",
"licenciado/a"): a word is gendered only when the record says the person's
sex, and otherwise the sentence uses a word that needs no gender ("pariente
colateral en segundo grado", "la persona que te representa"). The tables here
are the only place such words live; ``tests/test_translation.py`` scans every
rendered document for leftovers.

This module imports nothing from the rest of the package (a leaf), so that
context, filings and supporting documents can all use it.
"""

from __future__ import annotations

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


def law_degree(sex: str | None) -> str:
    """Counsel's degree, agreeing with counsel's sex: 'licenciada en derecho'.
    Unknown: the degree itself ('licenciatura en derecho') after a preposition
    the caller writes ('con licenciatura en derecho'), never 'licenciado(a)'."""
    return {"F": "licenciada en derecho", "M": "licenciado en derecho"}.get(sex or "", "con licenciatura en derecho")


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
