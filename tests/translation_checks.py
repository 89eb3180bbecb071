"""What a legal translator checks in a Spanish/English pair, as functions
(issue 17). ``tests/test_translation.py`` runs them over the examples and a
generated corpus; each returns the deviations it finds, so a failure lists
them by file.

- fidelity: the same numbers, dates, article citations, names and file
  numbers in both languages (numbers written as words normalized first);
- glossary: the English says the glossary's term for each Spanish term the
  Spanish uses (``law/glossary.yml``), and never a rendering it rules out;
- untranslated: no English paragraph without the marker reads as Spanish
  (a stop-word ratio: no model, no download);
- gender: no "o/a", "(a)", "hermana o hermano" alternatives in Spanish, no
  "he/she" in English;
- one term per thing, and the register rules of the style guide.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MARKER = "[Original in Spanish — not translated]"

# --------------------------------------------------------------------------
# Fidelity

MONTHS_ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
MONTHS_EN = "January February March April May June July August September October November December".split()

# Numbers Spanish legal prose writes as words ("párrafo undécimo", "treinta
# días"), and English ones ("thirty days"), normalized to digits.
WORDS_ES = {
    "primero": 1, "primer": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercer": 3, "tercera": 3,
    "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7, "séptima": 7,
    "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10, "undécimo": 11,
    "undécima": 11, "duodécimo": 12, "duodécima": 12,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "quince": 15, "veinte": 20, "treinta": 30, "sesenta": 60, "noventa": 90,
}
WORDS_EN = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
}
# Only where they count something legal: after párrafo/paragraph, before días/days…
NUMBER_WORD_ES = re.compile(r"\b(?:párrafos?|párr\.|fracci[óo]n) (%s)\b|\b(%s) (?:d[ií]as|meses|años|horas)\b"
                            % ("|".join(WORDS_ES), "|".join(WORDS_ES)), re.IGNORECASE)
NUMBER_WORD_EN = re.compile(r"\b(?:paragraphs?) (%s)\b|\b(%s)[ -](?:business[ -]|working[ -]|calendar[ -])?"
                            r"(?:days?|months?|years?|hours?)\b" % ("|".join(WORDS_EN), "|".join(WORDS_EN)),
                            re.IGNORECASE)
FILE_NUMBER = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)?(?:/[A-Z0-9-]+)+/\d{2,4}\b")
ARTICLE_ES = re.compile(r"\b(?:art[íi]culos?|arts?\.)\s+(\d+)", re.IGNORECASE)
ARTICLE_EN = re.compile(r"\b(?:articles?|arts?\.|sections?|§)\s+(\d+)", re.IGNORECASE)


def _word_numbers(text: str, pattern: re.Pattern, table: dict[str, int]) -> list[str]:
    return [str(table[(a or b).lower()]) for a, b in pattern.findall(text)]


def numbers(text: str, lang: str) -> Counter:
    digits = re.findall(r"\d+", re.sub(r"(\d)o\.", r"\1", text))
    if lang == "es":
        words = _word_numbers(text, NUMBER_WORD_ES, WORDS_ES)
    else:
        words = _word_numbers(text, NUMBER_WORD_EN, WORDS_EN)
    return Counter(digits + words)


def dates(text: str, lang: str) -> Counter:
    out = []
    if lang == "es":
        for d, m, y in re.findall(r"\b(\d{1,2}) de (%s) de (\d{4})" % "|".join(MONTHS_ES), text):
            out.append(f"{y}-{MONTHS_ES.index(m) + 1:02d}-{int(d):02d}")
    else:
        for m, d, y in re.findall(r"\b(%s) (\d{1,2}), (\d{4})" % "|".join(MONTHS_EN), text):
            out.append(f"{y}-{MONTHS_EN.index(m) + 1:02d}-{int(d):02d}")
    return Counter(out + re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text))


def articles(text: str, lang: str) -> Counter:
    return Counter((ARTICLE_ES if lang == "es" else ARTICLE_EN).findall(text))


def names(text: str, people: list[str]) -> Counter:
    return Counter({p: text.count(p) for p in people if p.strip()})


def comparable(paragraphs: list[str], lang: str) -> str:
    """The text both languages must agree on: English counsel-only notes
    (a courtesy-translation footer, the note for counsel that the filed
    Spanish leaves out) and page footers set aside."""
    out, skipping = [], False
    for p in paragraphs:
        if lang == "en" and p.startswith("Note for counsel (not part of the filed document)"):
            skipping = True
        if lang == "en" and p.startswith("Courtesy translation for counsel"):
            skipping = False
            continue
        if skipping or re.fullmatch(r"(?:Página|Page) \d+ (?:de|of) \d+", p.strip()):
            continue
        out.append(p)
    return "\n".join(out)


def fidelity(es_paras: list[str], en_paras: list[str], people: list[str]) -> list[str]:
    es, en = comparable(es_paras, "es"), comparable(en_paras, "en")
    problems = []
    for what, a, b in (("numbers", numbers(es, "es"), numbers(en, "en")),
                       ("dates", dates(es, "es"), dates(en, "en")),
                       ("article citations", articles(es, "es"), articles(en, "en")),
                       ("file numbers", Counter(FILE_NUMBER.findall(es)), Counter(FILE_NUMBER.findall(en))),
                       ("names", names(es, people), names(en, people))):
        if a != b:
            problems.append(f"{what}: only in Spanish {dict(a - b)}, only in English {dict(b - a)}")
    return problems


# --------------------------------------------------------------------------
# Glossary


def load_glossary(path: Path = ROOT / "law" / "glossary.yml") -> dict[str, dict]:
    """The glossary, strictly: every entry has a Spanish pattern and at least
    one English rendering; every pattern compiles."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for term, entry in data.items():
        if set(entry) - {"es", "en", "avoid"} or not entry.get("es") or not entry.get("en"):
            raise ValueError(f"law/glossary.yml: '{term}' needs es and en (and only avoid besides)")
        out[term] = {"es": re.compile(entry["es"], re.IGNORECASE), "en": list(entry["en"]),
                     "avoid": [re.compile(a, re.IGNORECASE) for a in entry.get("avoid", [])]}
    return out


def glossary_deviations(es_text: str, en_text: str, glossary: dict[str, dict]) -> list[str]:
    out = []
    for term, entry in glossary.items():
        if entry["es"].search(es_text) and not any(r.lower() in en_text.lower() for r in entry["en"]):
            out.append(f"'{term}': none of {entry['en']} in the English")
        for bad in entry["avoid"]:
            m = bad.search(en_text)
            if m:
                out.append(f"'{term}': '{m.group(0)}' where the glossary says {entry['en']}")
    return out


# --------------------------------------------------------------------------
# Untranslated Spanish in an English document

STOP_ES = set("""de la que el en y los del las por con una un para su sus al lo como más pero o este esta
se le ya muy sin sobre también hasta desde donde quien entre cuando porque es está son fue ha han
había ser sido qué ni nos mi dijo dice relata años pandilla""".split())
STOP_EN = set("""the of and to in a is that for it as was with be by on not he she they his her their this
are or from at which an have has had were been its who would will can may must into under""".split())


def spanish_paragraphs(paragraphs: list[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """English-document paragraphs that read as Spanish and carry no marker.
    Spanish proper names (institutions, statutes, places, people) are taken
    out first; what is left must be mostly English function words."""
    from docassemble.puente.documents.grammar import EVIDENCE_GLOSSES

    glosses = [f"({en})" for _, en in EVIDENCE_GLOSSES]
    out = []
    for p in paragraphs:
        if MARKER in p or any(g in p for g in glosses):  # marked, or glossed in English
            continue
        text = re.sub(r"\([^)]*\)", " ", p)  # a Spanish term glossed in parentheses is by design
        for name in allowed:
            text = text.replace(name, " ")
        words = re.findall(r"[a-záéíóúñü]+", text.lower())
        if len(words) < 3:
            continue
        es = sum(w in STOP_ES for w in words)
        en = sum(w in STOP_EN for w in words)
        if es >= 2 and es > en:
            out.append(p)
        elif len(words) <= 6 and es >= 1 and en == 0 and re.search(r"[áéíóúñ]|ción\b|\bde\b", text.lower()):
            out.append(p)
    return out


# --------------------------------------------------------------------------
# Gender alternatives and agreement

GENDER_ALTERNATIVES_ES = [
    re.compile(r"\b\w+[oa]/[ao]s?\b"),                  # nacido/a
    re.compile(r"\b\w+(?:os|as)/(?:as|os)\b"),          # niños/as
    re.compile(r"\b\w+\((?:a|o|as|os|es)\)"),           # nacido(a), indicador(es)
    re.compile(r"\b(\w+)a o (?:el |un |al )?\1o\b"),    # hermana o hermano, abuela o el abuelo
    re.compile(r"\b(\w+)o o (?:la |una |a la )?\1a\b"),
    re.compile(r"\b(\w+)a y (?:el |los )?\1o\b"),       # tía y tío
    re.compile(r"\bla o el\b|\bel o la\b|\buna o un\b|\bun o una\b"),
    re.compile(r"\b(\w+)as o (?:los )?\1os\b"),
    re.compile(r"\b(\w+)os o (?:las )?\1as\b"),
]
GENDER_ALTERNATIVES_EN = [re.compile(r"\b(?:he/she|she/he|his/her|her/his|him/her|s/he|\(s\)he)\b", re.IGNORECASE)]


def gender_alternatives(text: str, lang: str) -> list[str]:
    pats = GENDER_ALTERNATIVES_ES if lang == "es" else GENDER_ALTERNATIVES_EN
    return [m.group(0) for pat in pats for m in pat.finditer(text)]


def agreement_slips(text: str, child_sex: str | None) -> list[str]:
    """Words that cannot describe a boy (or a girl), known to have slipped."""
    slips = {"M": [r"\bintimidada\b", r"\bsí misma\b", r"\bhaberla\b"],
             "F": [r"\bintimidado\b", r"\bsí mismo\b"]}.get(child_sex or "", [])
    return [m.group(0) for s in slips for m in re.finditer(s, text)]


# --------------------------------------------------------------------------
# One term per thing, and register

ONE_TERM_ES = [
    (re.compile(r"(?<![/\w-])PPNNA(?![/\w-])"), "la Procuraduría de Protección (not 'PPNNA') in Spanish"),
    (re.compile(r"\bPETICIONES\b"), "PETITORIOS (not 'PETICIONES')"),
    (re.compile(r"\bsolvencia\b", re.IGNORECASE), "capacidad económica (not 'solvencia')"),
    (re.compile(r"\bprofesión de licenciatura en derecho\b"),
     "licenciada / licenciado en derecho (from representative.sex)"),
]
ONE_TERM_EN = [
    (re.compile(r"\bPETITIONS\b"), "REQUESTS (not 'PETITIONS')"),
    (re.compile(r"\b[A-Z]{4,}\.-"), "'FIRST:' (not 'FIRST.-')"),
    (re.compile(r"as recorded by counsel"), "nothing the Spanish does not say ('as recorded by counsel')"),
]
SEMICOLON_CAPITAL = re.compile(r";\s+(La|El|Los|Las|Se|No|Su|Sus|Un|Una|En|De|Que|The|A|An|It|Is|Has|No|Their|Its)\s")


def one_term(text: str, lang: str, country_names: list[str]) -> list[str]:
    out = [f"{why}: '{m.group(0)}'" for pat, why in (ONE_TERM_ES if lang == "es" else ONE_TERM_EN)
           for m in pat.finditer(text)]
    out += [f"capital after a semicolon: '{m.group(0).strip()}'" for m in SEMICOLON_CAPITAL.finditer(text)]
    label = "Nacionalidad" if lang == "es" else "Nationality"
    for country in country_names:
        if re.search(rf"\b{label}:?\s*\n?{re.escape(country)}\b", text):
            out.append(f"{label}: {country} (a country name where the demonym goes)")
    return out


def repeated_glosses(text: str, glosses: list[str]) -> list[str]:
    """A Spanish institution or statute is glossed once, on first use."""
    return [f"'{g}' {text.count(g)} times" for g in glosses if text.count(g) > 1]
