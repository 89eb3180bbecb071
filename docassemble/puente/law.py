"""The law as data: load and check the files in ``law/``.

Every legal citation, deadline rule, non-working-day rule and checklist item
lives in a YAML file there, with its source. This loader is strict, in the
manner of OpenFisca's parameters: an unknown key, a malformed date, a
reference to a citation that does not exist, or an entry with no source stops
the load with the file and the entry named. Documents, checklists and
interviews read citations from here, so a lawyer corrects an article number
once, in ``law/citations.yml``, and every document follows.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import model
from .errors import LawDataError
from .i18n import pick
from .resources import law_dir

LANGS = ("es", "en")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TRIGGERS = ("entry_date", "filed_date", "refusal_notified_date", "prevention_notified_date", "us_grant_date",
            "date_of_birth")
UNITS = ("working_days", "years")
# How a term is written: (one, several) per unit and language.
TERM_UNITS = {
    # English per the glossary: días hábiles are "business days".
    "working_days": {"es": ("día hábil", "días hábiles"), "en": ("business day", "business days")},
    "years": {"es": ("año", "años"), "en": ("year", "years")},
}
CHECKLIST_SECTIONS = ("documents", "after_filing", "safeguards")
# terms.yml categories -> the codes of the case record they must cover
TERM_CATEGORIES = {
    "grounds": model.GROUNDS,
    "late_filing_reasons": model.LATE_FILING_REASONS,
    "accompaniment": model.ACCOMPANIMENT,
    "placement_types": model.PLACEMENT_TYPES,
    "relationships": model.RELATIONSHIPS,
    "identity_documents": model.IDENTITY_DOCUMENTS,
    "trafficking_indicators": model.TRAFFICKING_INDICATORS,
    "procedures": model.PROCEDURES,
    "resolution_kinds": model.RESOLUTION_KINDS,
    "persecutor_kinds": model.PERSECUTOR_KINDS,
    "protection_outcomes": model.PROTECTION_OUTCOMES,
    "risks": model.RISKS,
}


@dataclass(frozen=True)
class Text:
    es: str
    en: str

    def __getitem__(self, lang: str) -> str:
        # The law data is bilingual; documents in a third language (the
        # child's rights sheet) fall back to English for legal terms.
        return pick(lang, self.es, self.en)


@dataclass(frozen=True)
class Statute:
    id: str
    abbreviation: str
    name: Text
    source: str
    href: str | None = None
    # An instrument known by a different short name in English ("Cartagena
    # Declaration"); a Mexican statute keeps its Spanish abbreviation.
    abbreviation_en: str | None = None

    def abbr(self, lang: str = "es") -> str:
        return self.abbreviation_en if lang != "es" and self.abbreviation_en else self.abbreviation


@dataclass(frozen=True)
class Citation:
    id: str
    statute: Statute
    article: str | None
    fraction: str | None
    paragraph: str | None
    topic: Text
    source: str
    checked: bool
    text: str | None = None
    # Where it was read against the law's text (required when checked), a
    # public address of that text, and, when not checked, why not.
    verified_in: str | None = None
    url: str | None = None
    note: Text | None = None

    @property
    def href(self) -> str | None:
        """The address a lawyer opens: the citation's own, else the statute's."""
        return self.url or self.statute.href

    @property
    def several_fractions(self) -> bool:
        # "XXIV a XXVI", "VI y VII": plural forms ("fracciones", "frs.").
        return bool(self.fraction) and any(w in f" {self.fraction} " for w in (" a ", " y "))

    def short(self, lang: str = "es") -> str:
        """'LSRPCAP art. 13, fr. II' — for tables, checklists and manifests."""
        if self.article is None:
            return self.statute.abbr(lang)
        parts = [f"{self.statute.abbr(lang)} art. {self.article}"]
        if self.fraction:
            fraction = self.fraction if lang == "es" else self.fraction.replace(" a ", " to ").replace(" y ", " and ")
            parts.append(f"{'frs.' if self.several_fractions else 'fr.'} {fraction}")
        if self.paragraph:
            parts.append(f"párr. {self.paragraph}" if lang == "es"
                         else f"para. {ORDINAL_WORDS_EN.get(self.paragraph, self.paragraph)}")
        return ", ".join(parts)

    @property
    def fraction_en(self) -> str | None:
        return self.fraction and self.fraction.replace(" a ", " to ").replace(" y ", " and ")

    def long(self, lang: str = "es", gloss: bool = True) -> str:
        """The form used in the body of an escrito.

        es: 'artículo 13, fracción II, de la Ley sobre Refugiados, …'
        en: 'article 13, section II, of the Ley sobre Refugiados, … (Law on …)'
        English keeps the statute's Spanish name; ``gloss`` adds the English
        name in parentheses (the glossary wants it on first use only).
        """
        if lang == "es":
            name = self.statute.name.es
        else:
            name = f"{self.statute.name.es} ({self.statute.name.en})" if gloss else self.statute.name.es
        if self.article is None:
            # No article to head the citation, so the statute's own article does
            # ("el Reglamento …", "the Reglamento …"); a template writes
            # "con fundamento en {{ cites(…) }}", never "en el {{ cite(…) }}",
            # for a citation whose article may be unknown.
            if lang == "es":
                return name if name.startswith(("la ", "el ", "los ", "las ")) else _with_article(name)
            return f"the {name}"
        comma = "," if (self.fraction or self.paragraph) else ""
        if lang == "es":
            # "89 a 101" is a range of articles: "artículos 89 a 101".
            head = f"{'artículos' if ' a ' in self.article else 'artículo'} {self.article}"
            if self.fraction:
                head += f", {'fracciones' if self.several_fractions else 'fracción'} {self.fraction}"
            if self.paragraph:
                head += f", párrafo {self.paragraph}"
            return f"{head}{comma} {_of_statute(self.statute.name.es)}"
        article = english_article(self.article).replace(" a ", " to ")
        head = f"{'articles' if ' to ' in article else 'article'} {article}"
        if self.fraction:
            head += f", {'sections' if self.several_fractions else 'section'} {self.fraction_en}"
        if self.paragraph:
            head += f", paragraph {ORDINAL_WORDS_EN.get(self.paragraph, self.paragraph)}"
        return f"{head}{comma} of the {name}"


# Mexican usage numbers the first nine articles as ordinals ("1o.", "4o.");
# English writes them as plain numbers.
ORDINAL_WORDS_EN = {
    "primero": "1", "segundo": "2", "tercero": "3", "cuarto": "4", "quinto": "5",
    "sexto": "6", "séptimo": "7", "octavo": "8", "noveno": "9", "décimo": "10",
    "undécimo": "11", "duodécimo": "12", "decimotercero": "13", "decimocuarto": "14",
}


def english_article(article: str) -> str:
    return article[:-2] if article.endswith("o.") and article[:-2].isdigit() else article


def _with_article(name: str) -> str:
    """'la Ley …' / 'la Constitución …' / 'la Convención …': most statutes we
    cite are feminine; the exception list keeps the rule honest."""
    lowered = name.lower()
    if lowered.startswith("directrices"):
        return f"las {name}"
    if lowered.startswith(("reglamento", "protocolo", "acuerdo", "decreto", "código")):
        return f"el {name}"
    return f"la {name}"


def _of_statute(name: str) -> str:
    """'de la Ley …' / 'del Reglamento …' (de + el contracts)."""
    article = _with_article(name)
    return f"del {article[3:]}" if article.startswith("el ") else f"de {article}"


def cite_together(citations: list["Citation"], lang: str = "es", glossed: set | None = None) -> str:
    """Several citations as a lawyer writes them: articles of the same statute
    together ('los artículos 13 y 18 de la Ley …'), statutes in the order
    given. Spanish carries its articles ('el artículo 11 de la Constitución…,
    así como los artículos…'), so a template writes 'con fundamento en {{ cites(…) }}'."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.statute.id, []).append(c)
    parts = []
    for group in groups.values():
        if len(group) == 1 or any(c.article is None for c in group):
            for c in group:
                parts.append(("el " if lang == "es" and c.article else "") + c.long(lang, _first_gloss(c, glossed)))
            continue
        arts = []
        for c in group:
            assert c.article is not None  # citations without an article were written out above
            art = c.article if lang == "es" else english_article(c.article)
            if c.fraction:
                if lang == "es":
                    art += f", {'fracciones' if c.several_fractions else 'fracción'} {c.fraction}"
                else:
                    art += f", {'sections' if c.several_fractions else 'section'} {c.fraction_en}"
            if c.paragraph:
                # the paragraph is part of what is cited ("106, párrafo segundo")
                art += (f", párrafo {c.paragraph}" if lang == "es"
                        else f", paragraph {ORDINAL_WORDS_EN.get(c.paragraph, c.paragraph)}")
            arts.append(art)
        conj = "y" if lang == "es" else "and"
        if any("," in a for a in arts):
            # "4, fracciones XXIV a XXVI; 106, párrafo segundo, y 123"
            listed = f"{'; '.join(arts[:-1])}, {conj} {arts[-1]}"
        else:
            listed = f"{', '.join(arts[:-1])} {conj} {arts[-1]}"
        statute = group[0].statute
        if lang == "es":
            parts.append(f"los artículos {listed} {_of_statute(statute.name.es)}")
        else:
            gloss = f" ({statute.name.en})" if _first_gloss(group[0], glossed) else ""
            parts.append(f"articles {listed} of the {statute.name.es}{gloss}")
    if len(parts) == 1:
        return parts[0]
    if lang == "es":
        return f"{'; '.join(parts[:-1])}, así como {parts[-1]}"
    return f"{'; '.join(parts[:-1])}, and {parts[-1]}"


def _first_gloss(citation: "Citation", glossed: set | None) -> bool:
    """True the first time a statute is cited in a document (English gloss)."""
    if glossed is None:
        return True
    first = citation.statute.id not in glossed
    glossed.add(citation.statute.id)
    return first


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    term: int
    unit: str
    trigger: str
    basis: tuple[Citation, ...]
    label: Text
    informational: bool = False
    note: Text | None = None
    short: Text | None = None  # for tight spaces (the review timeline)
    document: Text | None = None  # the document that meets it (the board)

    def basis_text(self, lang: str = "es") -> str:
        return "; ".join(c.short(lang) for c in self.basis)

    def term_text(self, lang: str = "es") -> str:
        """'30 días hábiles' / '30 business days' / '2 años' / '2 years': the
        term written once, from the rule."""
        one, several = TERM_UNITS[self.unit][lang]
        return f"{self.term} {one if self.term == 1 else several}"


@dataclass(frozen=True)
class CalendarRule:
    """One kind of non-working day (LFPA art. 28 and the Calendario Oficial)."""

    kind: str  # fixed | nth_weekday | every_years
    name: Text
    basis: tuple[Citation, ...]
    month: int
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    n: int | None = None
    every_years: int | None = None
    first_year: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class CalendarLaw:
    name: str
    weekly_rest: tuple[int, ...]
    rules: tuple[CalendarRule, ...]
    basis: tuple[Citation, ...]
    note: Text


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    procedure: str
    section: str
    text: Text
    basis: tuple[Citation, ...]
    source: str | None
    when: str | None = None  # name of a case condition (see rules.checklist)


@dataclass(frozen=True)
class Term:
    """The words for one coded value (a ground, a late-filing reason…)."""

    code: str
    text: Text
    basis: tuple[Citation, ...] = ()

    def __getitem__(self, lang: str) -> str:
        return self.text[lang]


@dataclass
class Law:
    statutes: dict[str, Statute]
    citations: dict[str, Citation]
    deadlines: dict[str, DeadlineRule]
    calendar: CalendarLaw
    checklist: list[ChecklistItem] = field(default_factory=list)
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    # supporting documents (rights.yml, referrals.yml)
    rights: dict[str, "Right"] = field(default_factory=dict)
    procedure_steps: dict[str, "ProcedureStep"] = field(default_factory=dict)
    findings: dict[str, "Finding"] = field(default_factory=dict)
    institutions: dict[str, "Institution"] = field(default_factory=dict)
    referrals: dict[str, "Referral"] = field(default_factory=dict)
    # legal wording of the filings (arguments.yml, measures.yml)
    arguments: dict[str, "Argument"] = field(default_factory=dict)
    measures: dict[str, "Measure"] = field(default_factory=dict)
    # the other reusable sentences and clauses of the documents (wording.yml)
    wording: dict[str, "Wording"] = field(default_factory=dict)

    def argument(self, aid: str) -> "Argument":
        try:
            return self.arguments[aid]
        except KeyError:
            raise LawDataError(f"law/arguments.yml: no paragraph '{aid}' (asked for by a filing)") from None

    def words(self, wid: str) -> "Wording":
        try:
            return self.wording[wid]
        except KeyError:
            raise LawDataError(f"law/wording.yml: no entry '{wid}' (asked for by a document)") from None

    def term(self, category: str, code: str) -> Term:
        return self.terms[category][code]

    def cite(self, citation_id: str) -> Citation:
        try:
            return self.citations[citation_id]
        except KeyError:
            raise LawDataError(
                f"law/citations.yml: no citation '{citation_id}' (asked for by a template or rule)") from None

    def unchecked(self) -> list[Citation]:
        return [c for c in self.citations.values() if not c.checked]


# --------------------------------------------------------------------------
# Strict reading


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first_line: int):
        super().__init__(key)
        self.key, self.line, self.first_line = key, line, first_line


# libyaml's parser when PyYAML has it: loading the law data is most of a
# command's start-up otherwise. The checks below are the same on both.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):
    """Safe YAML that refuses a key given twice in one mapping: plain PyYAML
    keeps the second silently, and a second ``cpeum_art11:`` would replace the
    first citation without anyone noticing."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _DuplicateKey(str(key), line, seen[key])
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.name = f"law/{path.name}"

    def load(self) -> dict[str, Any]:
        try:
            with self.path.open(encoding="utf-8") as fh:
                data = yaml.load(fh, Loader=_StrictLoader)
        except FileNotFoundError:
            raise LawDataError(f"{self.name}: file missing") from None
        except _DuplicateKey as exc:
            raise LawDataError(f"{self.name}: key '{exc.key}' appears twice (lines {exc.first_line} and {exc.line}); "
                               "each key may appear once") from None
        except ValueError as exc:  # PyYAML builds unquoted dates and fails on 2023-13-31
            raise LawDataError(f"{self.name}: bad value: {exc}") from None
        except yaml.YAMLError as exc:
            raise LawDataError(f"{self.name}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise LawDataError(f"{self.name}: expected a mapping of entries")
        return data

    def fail(self, entry: str, message: str) -> LawDataError:
        return LawDataError(f"{self.name}: entry '{entry}': {message}")

    def keys(self, entry: str, data: Any, required: AbstractSet[str], optional: AbstractSet[str] = frozenset()) -> dict:
        if not isinstance(data, dict):
            raise self.fail(entry, "expected a mapping")
        unknown = set(data) - required - set(optional)
        if unknown:
            raise self.fail(entry, f"unknown key(s) {sorted(unknown)}")
        missing = {k for k in required if data.get(k) in (None, "", [])}
        if missing:
            raise self.fail(entry, f"missing {sorted(missing)}")
        return data

    def text(self, entry: str, data: Any) -> Text:
        data = self.keys(entry, data, set(LANGS))
        return Text(str(data["es"]).strip(), str(data["en"]).strip())

    def date(self, entry: str, value: Any) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(entry, f"bad date {value!r} (write YYYY-MM-DD)") from None

    def verification(self, entry: str, data: dict) -> None:
        """A citation is either read against the law's text (checked: true,
        with verified_in: the text and the last reform seen, e.g. "LGDNNA,
        DOF 24-12-2024") or still to verify (checked: false, with a note
        saying why), so a lawyer always knows which is which and why."""
        if not isinstance(data["checked"], bool):
            raise self.fail(entry, "'checked' must be true or false")
        if data["checked"] and not str(data.get("verified_in") or "").strip():
            raise self.fail(entry, "checked: true needs 'verified_in' (the text read and its last reform, "
                                   "e.g. \"LGDNNA, DOF 24-12-2024\")")
        if not data["checked"] and not data.get("note"):
            raise self.fail(entry, "checked: false needs a 'note' (es/en) saying why it is not verified yet")
        url = data.get("url")
        if url is not None and not str(url).startswith(("https://", "http://")):
            raise self.fail(entry, f"url must be a web address (https://…), not {url!r}")

    def basis(self, entry: str, ids: Any, citations: dict[str, Citation]) -> tuple[Citation, ...]:
        if not isinstance(ids, list) or not ids:
            raise self.fail(entry, "needs 'basis': a list of citation ids from law/citations.yml")
        out = []
        for cid in ids:
            if cid not in citations:
                raise self.fail(entry, f"basis names unknown citation '{cid}'")
            out.append(citations[cid])
        return tuple(out)


def load_law(directory: Path | None = None) -> Law:
    """Read every law file; raises ``LawDataError`` naming the first bad entry."""
    directory = Path(directory or law_dir())

    r = _Reader(directory / "statutes.yml")
    statutes = {}
    for sid, data in r.load().items():
        data = r.keys(sid, data, {"abbreviation", "name", "source"}, {"href"})
        # one abbreviation for both languages, or {es, en}
        abbreviation = r.text(sid, data["abbreviation"]) if isinstance(data["abbreviation"], dict) else None
        statutes[sid] = Statute(sid, abbreviation.es if abbreviation else str(data["abbreviation"]),
                                r.text(sid, data["name"]), str(data["source"]), data.get("href"),
                                abbreviation.en if abbreviation else None)

    r = _Reader(directory / "citations.yml")
    citations = {}
    for cid, data in r.load().items():
        data = r.keys(cid, data, {"statute", "topic", "source", "checked"},
                      {"article", "fraction", "paragraph", "text", "verified_in", "url", "note"})
        if data["statute"] not in statutes:
            raise r.fail(cid, f"unknown statute '{data['statute']}' (see law/statutes.yml)")
        r.verification(cid, data)
        citations[cid] = Citation(
            id=cid, statute=statutes[data["statute"]],
            article=None if data.get("article") is None else str(data["article"]),
            fraction=None if data.get("fraction") is None else str(data["fraction"]),
            paragraph=None if data.get("paragraph") is None else str(data["paragraph"]),
            topic=r.text(cid, data["topic"]), source=str(data["source"]), checked=data["checked"],
            text=(str(data["text"]).strip() if data.get("text") else None),
            verified_in=_opt_str(data.get("verified_in")), url=_opt_str(data.get("url")),
            note=r.text(cid, data["note"]) if data.get("note") else None,
        )

    r = _Reader(directory / "deadlines.yml")
    deadlines = {}
    for did, data in r.load().items():
        data = r.keys(did, data, {"term", "unit", "trigger", "basis", "label"},
                      {"informational", "note", "short", "document"})
        if data["unit"] not in UNITS:
            raise r.fail(did, f"unit must be one of {UNITS}")
        if data["trigger"] not in TRIGGERS:
            raise r.fail(did, f"trigger must be one of {TRIGGERS}")
        if type(data["term"]) is not int or data["term"] <= 0:  # bool is an int subclass
            raise r.fail(did, "term must be a positive whole number")
        deadlines[did] = DeadlineRule(
            id=did, term=data["term"], unit=data["unit"], trigger=data["trigger"],
            basis=r.basis(did, data["basis"], citations), label=r.text(did, data["label"]),
            informational=bool(data.get("informational", False)),
            note=r.text(did, data["note"]) if data.get("note") else None,
            short=r.text(did, data["short"]) if data.get("short") else None,
            document=r.text(did, data["document"]) if data.get("document") else None,
        )

    r = _Reader(directory / "calendar.yml")
    cal = r.keys("calendar", r.load(), {"name", "weekly_rest", "basis", "days", "note"})
    rules = []
    for i, rule in enumerate(cal["days"]):
        entry = f"days[{i}]"
        rule = r.keys(entry, rule, {"name", "basis", "month"},
                      {"day", "weekday", "n", "every_years", "first_year", "valid_from", "valid_until"})
        if rule.get("every_years"):
            kind = "every_years"
            if not (rule.get("day") and rule.get("first_year")):
                raise r.fail(entry, "a day every N years needs 'day' and 'first_year'")
        elif rule.get("weekday"):
            kind = "nth_weekday"
            if rule["weekday"] not in WEEKDAYS or not isinstance(rule.get("n"), int):
                raise r.fail(entry, "an nth-weekday rule needs 'weekday' (monday…) and 'n'")
        elif rule.get("day"):
            kind = "fixed"
        else:
            raise r.fail(entry, "give 'day', or 'weekday' and 'n'")
        if type(rule["month"]) is not int or not 1 <= rule["month"] <= 12:
            raise r.fail(entry, "month must be a number from 1 to 12")
        if rule.get("day") is not None:
            try:
                date(2024, rule["month"], rule["day"])  # a leap year: 29 February is a real day
            except (TypeError, ValueError):
                raise r.fail(entry, f"day {rule['day']!r} does not exist in month {rule['month']}") from None
        rules.append(CalendarRule(
            kind=kind, name=r.text(entry, rule["name"]), basis=r.basis(entry, rule["basis"], citations),
            month=int(rule["month"]), day=rule.get("day"),
            weekday=WEEKDAYS.index(rule["weekday"]) if rule.get("weekday") else None, n=rule.get("n"),
            every_years=rule.get("every_years"), first_year=rule.get("first_year"),
            valid_from=r.date(entry, rule.get("valid_from")), valid_until=r.date(entry, rule.get("valid_until")),
        ))
    for day in cal["weekly_rest"]:
        if day not in WEEKDAYS:
            raise r.fail("weekly_rest", f"unknown weekday '{day}'")
    calendar = CalendarLaw(
        name=str(cal["name"]), weekly_rest=tuple(WEEKDAYS.index(d) for d in cal["weekly_rest"]),
        rules=tuple(rules), basis=r.basis("calendar", cal["basis"], citations), note=r.text("note", cal["note"]),
    )

    r = _Reader(directory / "checklists.yml")
    checklist = []
    seen = set()
    for procedure, sections in r.load().items():
        sections = r.keys(procedure, sections, set(), set(CHECKLIST_SECTIONS))
        for section, items in sections.items():
            for item in items or []:
                iid = item.get("id") if isinstance(item, dict) else None
                entry = f"{procedure}.{section}.{iid or '?'}"
                item = r.keys(entry, item, {"id", "es", "en"}, {"basis", "source", "when"})
                if iid in seen:
                    raise r.fail(entry, "duplicate id")
                seen.add(iid)
                if not item.get("basis") and not item.get("source"):
                    raise r.fail(entry, "every checklist item needs a 'basis' (citation ids) or a 'source'")
                checklist.append(ChecklistItem(
                    id=str(iid), procedure=procedure, section=section, text=Text(item["es"], item["en"]),
                    basis=r.basis(entry, item["basis"], citations) if item.get("basis") else (),
                    source=item.get("source"), when=item.get("when"),
                ))
    r = _Reader(directory / "terms.yml")
    terms: dict[str, dict[str, Term]] = {}
    for category, entries in r.load().items():
        if category not in TERM_CATEGORIES:
            raise r.fail(category, f"unknown category (known: {sorted(TERM_CATEGORIES)})")
        codes = TERM_CATEGORIES[category]
        if set(entries or {}) != set(codes):
            raise r.fail(category, f"codes must be exactly {list(codes)}")
        terms[category] = {}
        for code, data in entries.items():
            entry = f"{category}.{code}"
            data = r.keys(entry, data, {"es", "en", "basis"})
            terms[category][code] = Term(code, Text(str(data["es"]), str(data["en"])),
                                         r.basis(entry, data["basis"], citations))
    return Law(statutes, citations, deadlines, calendar, checklist, terms,
               **_load_supporting(directory, citations), **_load_wording(directory, citations))


# --------------------------------------------------------------------------
# Supporting documents: the rights catalogue of LGDNNA art. 13 and the
# restitution-plan findings (rights.yml), institutions and first-contact
# screening referrals (referrals.yml).

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")
RIGHT_STATUSES = ("restricted", "at_risk", "to_assess")
PROCEDURE_STEPS = ("identify", "assess", "determine", "implement", "follow_up")
# What documents/supporting.py can find in a case; rights.yml must cover each.
FINDINGS = (
    "in_detention", "migrant_child", "tvrh_missing", "no_identity_documents", "family_separation",
    "health", "disability", "pregnancy", "trafficking", "present_risk", "interpreter", "indigenous_language",
    "not_heard", "late_filing", "education_in_detention", "education_to_assess",
)
# The vulnerabilities documents/supporting.py derives from a case for the
# screening record; referrals.yml must cover each (and every trafficking indicator).
VULNERABILITIES = (
    "under_12", "disability", "pregnant", "health_needs", "indigenous_language", "needs_interpreter",
    "unaccompanied", "in_detention", "no_identity_documents", "other_vulnerabilities",
)
SCREENING_GROUPS = {"trafficking": model.TRAFFICKING_INDICATORS, "vulnerability": VULNERABILITIES}


@dataclass(frozen=True)
class Right:
    """One fraction of LGDNNA art. 13."""

    code: str
    fraction: str            # I … XX
    name: Text
    catalogue: Citation      # LGDNNA art. 13, fr. N
    chapter: Citation        # the articles of its own chapter that develop it
    note: Text | None = None  # what the lawyer should confirm


@dataclass(frozen=True)
class Institution:
    code: str
    name: Text
    short: Text
    source: str


@dataclass(frozen=True)
class ProcedureStep:
    code: str
    name: Text
    does: Text
    basis: tuple[Citation, ...]
    responsible: Text | None = None  # who carries the step out (the plan's table)


@dataclass(frozen=True)
class Finding:
    """Something the case data shows, the right it restricts and the measure proposed."""

    code: str
    title: Text
    right: Right
    also: tuple[Right, ...]
    status: str
    measure: Text
    institutions: tuple[Institution, ...]
    term: Text
    follow_up: Text
    basis: tuple[Citation, ...]


@dataclass(frozen=True)
class Referral:
    """A first-contact screening item and where it is referred."""

    code: str
    group: str  # trafficking | vulnerability
    refer_to: tuple[Institution, ...]
    action: Text
    basis: tuple[Citation, ...]
    urgent: bool = False
    sensitive: bool = False


def _load_supporting(directory: Path, citations: dict[str, Citation]) -> dict[str, Any]:
    r = _Reader(directory / "referrals.yml")
    data = r.keys("referrals.yml", r.load(), {"institutions", "screening"})
    institutions: dict[str, Institution] = {}
    for code, entry in (data["institutions"] or {}).items():
        entry = r.keys(f"institutions.{code}", entry, {"name", "short", "source"})
        institutions[code] = Institution(code, r.text(f"institutions.{code}", entry["name"]),
                                         r.text(f"institutions.{code}", entry["short"]), str(entry["source"]))

    def institution_list(where: str, codes: Any) -> tuple[Institution, ...]:
        if not isinstance(codes, list) or not codes:
            raise r.fail(where, "needs a list of institution ids (see 'institutions' in law/referrals.yml)")
        unknown = [c for c in codes if c not in institutions]
        if unknown:
            raise r.fail(where, f"unknown institution(s) {unknown}")
        return tuple(institutions[c] for c in codes)

    referrals: dict[str, Referral] = {}
    for code, entry in (data["screening"] or {}).items():
        where = f"screening.{code}"
        entry = r.keys(where, entry, {"group", "refer_to", "action", "basis"}, {"urgent", "sensitive"})
        if entry["group"] not in SCREENING_GROUPS:
            raise r.fail(where, f"group must be one of {sorted(SCREENING_GROUPS)}")
        if code not in SCREENING_GROUPS[entry["group"]]:
            raise r.fail(where, f"not a known {entry['group']} item (known: {list(SCREENING_GROUPS[entry['group']])})")
        for flag in ("urgent", "sensitive"):
            if not isinstance(entry.get(flag, False), bool):
                raise r.fail(where, f"'{flag}' must be true or false")
        referrals[code] = Referral(code, entry["group"], institution_list(where, entry["refer_to"]),
                                   r.text(where, entry["action"]), r.basis(where, entry["basis"], citations),
                                   entry.get("urgent", False), entry.get("sensitive", False))
    for group, codes in SCREENING_GROUPS.items():
        missing = [c for c in codes if c not in referrals]
        if missing:
            raise r.fail(f"screening.{missing[0]}", f"missing: every {group} item needs a referral ({missing})")

    r = _Reader(directory / "rights.yml")
    data = r.keys("rights.yml", r.load(), {"catalogue", "procedure", "findings"})
    art13 = citations.get("lgdnna_art13")
    if art13 is None:
        raise r.fail("catalogue", "law/citations.yml must hold 'lgdnna_art13' (the catalogue's own article)")
    rights: dict[str, Right] = {}
    catalogue = data["catalogue"]
    if not isinstance(catalogue, dict):
        raise r.fail("catalogue", "expected a mapping of rights")
    for i, (code, entry) in enumerate(catalogue.items()):
        where = f"catalogue.{code}"
        entry = r.keys(where, entry, {"fraction", "name", "articles", "checked", "source"},
                       {"note", "verified_in", "url"})
        r.verification(where, entry)
        expected = ROMAN[i] if i < len(ROMAN) else None
        if str(entry["fraction"]) != expected:
            raise r.fail(where, f"fraction {entry['fraction']!r} out of order: expected {expected!r} "
                                "(the twenty fractions of LGDNNA art. 13, I to XX, in order)")
        name = r.text(where, entry["name"])
        note = r.text(where, entry["note"]) if entry.get("note") else None
        fraction_cite = Citation(
            id=f"lgdnna_art13_fr{expected}", statute=art13.statute, article=art13.article, fraction=expected,
            paragraph=None, topic=name, source=str(entry["source"]), checked=art13.checked,
            verified_in=art13.verified_in, url=art13.url, note=art13.note)
        chapter = Citation(
            id=f"lgdnna_right_{code}", statute=art13.statute, article=str(entry["articles"]), fraction=None,
            paragraph=None, topic=name, source=str(entry["source"]), checked=entry["checked"],
            verified_in=_opt_str(entry.get("verified_in")), url=_opt_str(entry.get("url")), note=note)
        rights[code] = Right(code, expected, name, fraction_cite, chapter, note)
    if len(rights) != len(ROMAN):
        raise r.fail("catalogue", f"needs the {len(ROMAN)} fractions of LGDNNA art. 13; found {len(rights)}")

    steps: dict[str, ProcedureStep] = {}
    for code, entry in (data["procedure"] or {}).items():
        where = f"procedure.{code}"
        if code not in PROCEDURE_STEPS:
            raise r.fail(where, f"unknown step (known: {list(PROCEDURE_STEPS)})")
        entry = r.keys(where, entry, {"name", "does", "responsible", "basis"})
        steps[code] = ProcedureStep(code, r.text(where, entry["name"]), r.text(where, entry["does"]),
                                    r.basis(where, entry["basis"], citations), r.text(where, entry["responsible"]))
    if list(steps) != list(PROCEDURE_STEPS):
        raise r.fail("procedure", f"steps must be exactly {list(PROCEDURE_STEPS)}, in that order")

    def right(where: str, code: Any) -> Right:
        if code not in rights:
            raise r.fail(where, f"unknown right '{code}' (see 'catalogue')")
        return rights[code]

    findings: dict[str, Finding] = {}
    for code, entry in (data["findings"] or {}).items():
        where = f"findings.{code}"
        if code not in FINDINGS:
            raise r.fail(where, f"unknown finding (known: {list(FINDINGS)})")
        entry = r.keys(where, entry,
                       {"title", "right", "status", "measure", "institutions", "term", "follow_up", "basis"}, {"also"})
        if entry["status"] not in RIGHT_STATUSES:
            raise r.fail(where, f"status must be one of {RIGHT_STATUSES}")
        if not isinstance(entry.get("also", []), list):
            raise r.fail(where, "'also' must be a list of right ids")
        findings[code] = Finding(
            code=code, title=r.text(where, entry["title"]), right=right(where, entry["right"]),
            also=tuple(right(where, c) for c in entry.get("also", [])), status=entry["status"],
            measure=r.text(where, entry["measure"]), institutions=institution_list(where, entry["institutions"]),
            term=r.text(where, entry["term"]), follow_up=r.text(where, entry["follow_up"]),
            basis=r.basis(where, entry["basis"], citations))
    missing = [c for c in FINDINGS if c not in findings]
    if missing:
        raise r.fail(f"findings.{missing[0]}", f"missing: every finding needs its measure ({missing})")
    return {"rights": rights, "procedure_steps": steps, "findings": findings,
            "institutions": institutions, "referrals": referrals}


# --------------------------------------------------------------------------
# Legal wording of the documents: argument paragraphs (arguments.yml), urgent
# measures and petitorios (measures.yml), and the other reusable sentences and
# clauses of the filings, the restitution plan and the escritos after filing
# (wording.yml). Python only chooses (by each entry's `when:`, conditions of
# checklist.CONDITIONS) and fills the placeholders below; the words and their
# citations live here.

# What a paragraph may name: the case's own facts and the child's grammar.
PLACEHOLDERS = frozenset((
    "nna", "Nna", "del_nna", "al_nna", "la_lo", "o_a", "noun_en", "The_noun", "subject", "possessive", "object",
    "child_name", "age", "country", "name", "kin", "grounds", "social_group", "persecutors", "persecutor_kind",
    "authority", "protection_date", "outcome", "not_sought_reason", "indicators", "risks", "threats", "events",
    "citation", "placement",
    # wording.yml: the case's proceedings and the composed parts of a sentence
    "Kin", "comar_office", "comar_number", "inm_office", "refugee_name", "ppnna", "language", "facts",
    "event_dates", "age_phrase", "term", "deadline", "days_late", "reasons", "explanation", "notified_date",
    "expediente", "plan_date", "institutions",
    # the restitution plan's facts
    "nationality", "entry_date", "entry_place", "accompaniment", "resolution_number", "resolution_date",
    "principal_kin", "health_needs", "health_risks", "exploitation", "danger_risks", "where", "home",
    "relatives_in_mexico", "relatives_abroad",
))
ARGUMENT_SECTIONS = ("asylum_grounds", "persecution", "subsidiary", "derivative_dependency",
                     "derivative_dependency_proof", "minority")
MEASURE_FILINGS = ("coadyuvante", "coadyuvante_placement", "comar")
# Where the entries of wording.yml are used (documents/arguments.py says how
# each section is read: every entry whose condition holds, or the first).
WORDING_SECTIONS = (
    "coadyuvante_procedures", "coadyuvante_comar_status", "coadyuvante_risks", "coadyuvante_copies",
    "reunification_dependency",
    "plan_facts", "plan_accompaniment", "plan_family", "plan_late_filing",
    "plan_identify", "plan_assess", "plan_determine", "plan_implement", "plan_follow_up",
    "carta_poder_assisted", "carta_poder_role",
    "appeal_ground_title", "appeal_facts", "appeal_facts_parts", "appeal_answer", "appeal_child_agravios",
    "age_phrase",
)
# The kinds of refusal grounds a recurso answers (documents/after_filing.py
# recognizes them in the resolution's words); an appeal_answer or
# appeal_ground_title entry says which it answers.
APPEAL_GROUND_KINDS = ("late", "credibility", "relocation", "state_protection", "nexus", "fear", "other")
ANSWER_SECTIONS = ("appeal_answer", "appeal_ground_title")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
_CITE = re.compile(r"\[\[([a-z0-9_, ]+)\]\]")  # [[id]] or [[id, id]] (cited together)
# {?…?}: printed only when every placeholder inside has a value
# ("…Refugiados{?, Oficina de Representación en {comar_office}?}, …").
_OPTIONAL = re.compile(r"\{\?(.*?)\?\}", re.S)
_CONDITION = re.compile(r"^(not )?[a-z][a-z0-9_]*$")


def fill(text: str, values: dict[str, Any], cite, *, strict: bool = False) -> str:
    """``text`` with its citations (``[[id]]`` -> ``cite(id)``; capitalized
    when it opens a sentence), its optional parts and its placeholders filled.
    ``strict``: a placeholder the composer did not give is an error (a value
    may be empty), so a missing fact never prints silently as nothing."""
    def citation(m: re.Match) -> str:
        out = cite(m.group(1))
        head = m.string[:m.start()].rstrip()
        return out[:1].upper() + out[1:] if not head or head.endswith((".", "?", "!")) else out

    def value(m: re.Match) -> str:
        name = m.group(1)
        if strict and name not in values:
            raise KeyError(f"no value for the placeholder {{{name}}}")
        return str(values.get(name) or "")

    def optional(m: re.Match) -> str:
        names = _PLACEHOLDER.findall(m.group(1))
        missing = [n for n in names if strict and n not in values]
        if missing:
            raise KeyError(f"no value for the placeholder {{{missing[0]}}}")
        return _PLACEHOLDER.sub(value, m.group(1)) if all(values.get(n) for n in names) else ""

    text = _CITE.sub(citation, text)
    text = _OPTIONAL.sub(optional, text)
    return _PLACEHOLDER.sub(value, text)


@dataclass(frozen=True)
class Argument:
    """A reusable paragraph (or clause) of a filing's legal argument."""

    id: str
    section: str
    text: Text
    basis: tuple[Citation, ...]
    when: str | None = None
    order: int = 0

    def render(self, lang: str, values: dict[str, str], cite) -> str:
        """The text in ``lang`` with the case's facts and the citations
        (``[[citation_id]]`` -> ``cite(citation_id)``) filled in."""
        return fill(self.text[lang], values, cite)


@dataclass(frozen=True)
class Measure:
    """An urgent protection measure (coadyuvante, LGDNNA art. 122) or a
    petitorio of the COMAR filings, asked for when its condition holds."""

    id: str
    filing: str
    when: str
    text: Text
    basis: tuple[Citation, ...]
    finding: str | None = None  # the restitution-plan finding it answers

    def render(self, lang: str, values: dict[str, str], cite) -> str:
        return fill(self.text[lang], values, cite)


@dataclass(frozen=True)
class Wording:
    """A reusable sentence or clause of a document (wording.yml), used when
    all its conditions hold. Its authority is its ``basis`` (citations) or,
    for a statement of the record's facts or of practice, its ``source``."""

    id: str
    section: str
    text: Text
    basis: tuple[Citation, ...]
    source: str | None
    when: tuple[str, ...] = ()     # every condition must hold; "not x" negates one
    answers: tuple[str, ...] = ()  # appeal_answer / appeal_ground_title: the ground kinds it answers
    finding: str | None = None     # plan_facts: the restitution-plan finding (law/rights.yml) it states

    def render(self, lang: str, values: dict[str, Any], cite) -> str:
        return fill(self.text[lang], values, cite, strict=True)


def _check_wording(r: "_Reader", entry: str, text: Text, citations: dict[str, Citation]) -> None:
    for lang in LANGS:
        for name in _PLACEHOLDER.findall(text[lang]):
            if name not in PLACEHOLDERS:
                raise r.fail(entry, f"unknown placeholder {{{name}}} in '{lang}' (known: {sorted(PLACEHOLDERS)})")
        for group in _CITE.findall(text[lang]):
            for cid in (c.strip() for c in group.split(",")):
                if cid not in citations:
                    raise r.fail(entry, f"[[{cid}]] names an unknown citation")
        for part in _OPTIONAL.findall(text[lang]):
            if not _PLACEHOLDER.search(part):
                raise r.fail(entry, f"the optional part {{?{part}?}} in '{lang}' names no placeholder")
        rest = _OPTIONAL.sub("", text[lang])
        if "{?" in rest or "?}" in rest:
            raise r.fail(entry, f"an optional part in '{lang}' is not closed: write {{?…?}}")
    if sorted(_CITE.findall(text.es)) != sorted(_CITE.findall(text.en)):
        raise r.fail(entry, "the Spanish and English texts must cite the same [[citations]]")


def _entry_text(entry: dict[str, Any]) -> Text:
    # YAML folds long lines; the documents want single spaces.
    return Text(" ".join(str(entry["es"]).split()), " ".join(str(entry["en"]).split()))


def _conditions(r: "_Reader", entry: str, when: Any) -> tuple[str, ...]:
    """``when``: one condition or a list (all must hold), each a name of
    checklist.CONDITIONS, optionally preceded by "not "."""
    if when is None:
        return ()
    names = [when] if isinstance(when, str) else when
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and _CONDITION.match(n)
                                                            for n in names):
        raise r.fail(entry, "'when' must be a condition name or a list of them (each may start with 'not ')")
    return tuple(names)


def _load_wording(directory: Path, citations: dict[str, Citation]) -> dict[str, Any]:
    r = _Reader(directory / "arguments.yml")
    arguments: dict[str, Argument] = {}
    for i, (aid, entry) in enumerate(r.load().items()):
        entry = r.keys(aid, entry, {"section", "es", "en", "basis"}, {"when"})
        if entry["section"] not in ARGUMENT_SECTIONS:
            raise r.fail(aid, f"section must be one of {ARGUMENT_SECTIONS}")
        text = _entry_text(entry)
        _check_wording(r, aid, text, citations)
        arguments[aid] = Argument(aid, entry["section"], text, r.basis(aid, entry["basis"], citations),
                                  entry.get("when"), i)
    r = _Reader(directory / "measures.yml")
    measures: dict[str, Measure] = {}
    for mid, entry in r.load().items():
        entry = r.keys(mid, entry, {"filing", "when", "es", "en", "basis"}, {"finding"})
        if entry["filing"] not in MEASURE_FILINGS:
            raise r.fail(mid, f"filing must be one of {MEASURE_FILINGS}")
        if entry.get("finding") and entry["finding"] not in FINDINGS:
            raise r.fail(mid, f"unknown finding '{entry['finding']}' (known: {list(FINDINGS)})")
        text = _entry_text(entry)
        _check_wording(r, mid, text, citations)
        measures[mid] = Measure(mid, entry["filing"], str(entry["when"]), text,
                                r.basis(mid, entry["basis"], citations), entry.get("finding"))
    r = _Reader(directory / "wording.yml")
    wording: dict[str, Wording] = {}
    for wid, entry in r.load().items():
        entry = r.keys(wid, entry, {"section", "es", "en"}, {"when", "basis", "source", "answers", "finding"})
        if entry["section"] not in WORDING_SECTIONS:
            raise r.fail(wid, f"section must be one of {WORDING_SECTIONS}")
        if not entry.get("basis") and not str(entry.get("source") or "").strip():
            raise r.fail(wid, "needs a 'basis' (citation ids) or a 'source' (the record's fields, or the practice "
                              "it follows)")
        answers = entry.get("answers")
        if entry["section"] in ANSWER_SECTIONS:
            if not isinstance(answers, list) or not answers or any(a not in APPEAL_GROUND_KINDS for a in answers):
                raise r.fail(wid, f"'answers' must list the ground kinds it answers (of {APPEAL_GROUND_KINDS})")
        elif answers is not None:
            raise r.fail(wid, f"'answers' belongs only to the sections {ANSWER_SECTIONS}")
        finding = entry.get("finding")
        if (entry["section"] == "plan_facts") != (finding is not None):
            raise r.fail(wid, "'finding' is required in section plan_facts, and belongs nowhere else")
        if finding is not None and finding not in FINDINGS:
            raise r.fail(wid, f"unknown finding '{finding}' (known: {list(FINDINGS)})")
        text = _entry_text(entry)
        _check_wording(r, wid, text, citations)
        wording[wid] = Wording(
            wid, entry["section"], text,
            r.basis(wid, entry["basis"], citations) if entry.get("basis") else (),
            str(entry["source"]).strip() if entry.get("source") else None,
            _conditions(r, wid, entry.get("when")), tuple(answers or ()), finding)
    return {"arguments": arguments, "measures": measures, "wording": wording}


def _opt_str(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


@lru_cache(maxsize=1)
def default_law() -> Law:
    return load_law()
