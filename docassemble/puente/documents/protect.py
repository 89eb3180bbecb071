"""Sharing documents safely: public versions (versión pública) with the child
and relatives reduced to initials and identifying details removed, and PDF
encryption.

Redaction works on the template context, before rendering, so every phrase
a template prints passes through it; the rendered DOCX (and PDF) is then read
back and checked, and a public version that still shows a protected value is
not written rather than leak it (fail closed); the filed documents are.

Names are matched on a folded form (accents stripped, case folded), so
"Lucia Perez" is caught for "Lucía Pérez", and with the other names the
child is known by (``child.other_names``). A word of a name that is also an
ordinary word of the documents ("Refugio") is replaced only where it stands
with the rest of the name, so "solicitar refugio" stays as written.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader, PdfWriter

from ..dates import long_date
from ..model import Case
from ..resources import data_dir, law_dir

WITHHELD = {"es": "[reservado]", "en": "[withheld]"}
# Words: letters only. "Pérez-López" and "O'Brien" are two words each, so a
# name written with or without the hyphen is found either way.
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# What may stand between two words of one name: spaces, a hyphen, an apostrophe.
NAME_GAP = re.compile(r"^[\s\-'’]{1,3}$")
# Particles inside names ("María de la Cruz") are ordinary words elsewhere.
PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "von", "di", "mc"}


def fold(text: str) -> str:
    """The form names are compared in: accents stripped (NFKD), case folded.
    "Lucía PÉREZ" and "lucia perez" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text)
    # The dotless "ı" is the one letter whose capital ("I") folds back to
    # another letter ("i"): "AI" written for a name "Aı" must still match.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("ı", "i")


def text_words(value: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of a text as the redaction reads it:
    a letter, then letters, combining marks and middle dots ("ai̇a" from a
    lowercased "AİA", the Catalan "l·l"). ``re``'s \\w stops at a combining
    mark, which would split a name in two and let half of it through."""
    out: list[tuple[int, int, str]] = []
    start = None
    for i, ch in enumerate(value + " "):
        cat = unicodedata.category(ch)
        inside = cat[0] == "L" or (start is not None and (cat[0] == "M" or ch == "\u00b7"))
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            out.append((start, i, value[start:i]))
            start = None
    return out


def word_pieces(word: str) -> list[str]:
    """One word of a name as it is compared: folded, then split into its
    letters-only pieces. Folding can put a non-letter inside a word ("Ŀ"
    decomposes to "l·"), so "AĿ" in the record and "AL·" in a text both
    give "al", and "Ŀlull" gives "l" and "lull"."""
    return WORD.findall(fold(word))


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words the documents themselves use: every word of the templates and
    of the law data, folded. A part of a name that is one of them
    ("Refugio", "Luz", "Cruz") is replaced only inside a run of the name
    ("María del Refugio Gómez"), never alone ("solicitar refugio")."""
    words: set[str] = set()
    for docx in data_dir("templates").glob("*.docx"):
        with zipfile.ZipFile(docx) as zf:
            for name in zf.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    text = re.sub(r"<[^>]+>", " ", zf.read(name).decode("utf-8", errors="replace"))
                    words.update(p for w in WORD.findall(text) for p in word_pieces(w))
    for path in law_dir().glob("*.yml"):
        words.update(p for w in WORD.findall(path.read_text(encoding="utf-8")) for p in word_pieces(w))
    return frozenset(words)


@dataclass(frozen=True)
class Redaction:
    """What must not appear in a public version, and what replaces it."""

    replacements: tuple[tuple[str, str], ...]  # (protected text, replacement), longest first
    names: frozenset[str] = frozenset()        # folded words of the protected names
    ordinary: frozenset[str] = frozenset()     # those of them that are also ordinary words

    @property
    def must_not_remain(self) -> tuple[str, ...]:
        return tuple(secret for secret, _ in self.replacements)

    def text(self, value: str) -> str:
        for secret, replacement in self.replacements:
            value = _literal(secret).sub(replacement, value)
        spans = self._name_words(value)
        for start, end in reversed(spans):
            dot = "" if value[end:end + 1] == "." else "."  # "… Maria Perez." -> "… M. P.", not "P.."
            value = value[:start] + value[start].upper() + dot + value[end:]
        return value

    def _name_words(self, value: str) -> list[tuple[int, int]]:
        """(start, end) of each word to replace. Words of a protected name
        form runs (joined by spaces, hyphens or particles: "María del
        Refugio"). A run is replaced whole when it holds a word that is not
        an ordinary word, or two name words side by side; a run of ordinary
        words only ("refugio", "refugio y refugio") is ordinary text."""
        words = [(start, end, self._key(word)) for start, end, word in text_words(value)]
        names = [i for i, (_, _, w) in enumerate(words) if w in self.names]
        out: list[tuple[int, int]] = []
        run: list[int] = []
        direct = False

        def flush() -> None:
            if run and (direct or any(words[k][2] not in self.ordinary for k in run)):
                out.extend((words[k][0], words[k][1]) for k in run)

        for i in names:
            if run and self._linked(words, run[-1], i, value):
                direct = direct or i == run[-1] + 1
                run.append(i)
                continue
            flush()
            run, direct = [i], False
        flush()
        return out

    def _key(self, word: str) -> str:
        """A word of the text as compared with the names: the piece that is
        a name word when one is, else its folded letters."""
        pieces = word_pieces(word)
        return next((p for p in pieces if p in self.names), "".join(pieces))

    @staticmethod
    def _linked(words: list[tuple[int, int, str]], a: int, b: int, value: str) -> bool:
        """Words ``a`` and ``b`` belong to one name: only particles between
        them, and only spaces, hyphens or apostrophes between the words."""
        if any(words[k][2] not in PARTICLES for k in range(a + 1, b)):
            return False
        return all(NAME_GAP.match(value[words[k][1]:words[k + 1][0]]) for k in range(a, b))

    def leaks(self, text: str) -> int:
        """How many protected values ``text`` still shows (a count: the
        values themselves are never logged). Names are compared folded."""
        folded = fold(text)
        found = sum(1 for secret, _ in self.replacements if _literal(fold(secret)).search(folded))
        return found + len(self._name_words(text))


def _literal(secret: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(secret) + r"(?!\w)", re.IGNORECASE)


def _name_words(*names: str | None) -> set[str]:
    out: set[str] = set()
    for name in names:
        for _, _, word in text_words(name or ""):
            pieces = word_pieces(word)
            # each piece, and the whole word ("ĿA" is "l" and "a": only "la" is a name)
            out.update(p for p in [*pieces, "".join(pieces)] if len(p) > 1 and p not in PARTICLES)
    return out


def redaction_for(case: Case, lang: str) -> Redaction:
    """The protected values of a case: names of the child (with the other
    names the child is known by) and of relatives, every word becoming its
    initial; dates of birth, resolution and file numbers, the shelter's name."""
    withheld = WITHHELD.get(lang, WITHHELD["en"])
    names = _name_words(case.child.given_names, case.child.family_names, *case.child.other_names)
    for r in case.family:
        names |= _name_words(r.given_names, r.family_names)
    pairs: dict[str, str] = {}
    dates = [case.child.date_of_birth] + [r.date_of_birth for r in case.family]
    for day in (d for d in dates if d):
        for form in {day.isoformat(), long_date(day, "es"), long_date(day, "en"), long_date(day, lang)}:
            pairs[form] = withheld
    numbers = [case.refugee_status.resolution_number, case.coadyuvante.expediente, case.proceedings.comar_case_number,
               case.proceedings.resolution.number]
    numbers += [r.refugee_status.resolution_number for r in case.family]
    numbers.append(case.child.placement.name)
    for value in (n for n in numbers if n):
        pairs[value] = withheld
    ordered = tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))
    return Redaction(ordered, frozenset(names), frozenset(names & ordinary_words()))


def redact_context(value: Any, redaction: Redaction) -> Any:
    """Apply the redaction to every string of a template context."""
    if isinstance(value, str):
        return redaction.text(value)
    if isinstance(value, list):
        return [redact_context(v, redaction) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_context(v, redaction) for v in value)
    if isinstance(value, dict):
        return {k: (v if k == "case" else redact_context(v, redaction)) for k, v in value.items()}
    return value


def remaining_secrets(document: Path, redaction: Redaction) -> int:
    """How many protected values a public version (PDF or DOCX) still shows,
    in its text or its metadata; the fail-closed check, with or without PDFs."""
    if document.suffix.lower() == ".docx":
        from docx import Document

        doc = Document(str(document))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        for section in doc.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        props = doc.core_properties
        parts += [props.title or "", props.author or "", props.subject or "", props.keywords or ""]
        return redaction.leaks("\n".join(parts))
    reader = PdfReader(str(document))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return redaction.leaks(text + "\n" + meta)


def set_metadata(pdf: Path, title: str, lang: str) -> int:
    """Replace whatever LibreOffice copied from the template (author, title)
    with a neutral title, and record the document's language; returns the
    page count.

    With pikepdf (qpdf): a batch does this for every document, and pypdf's
    full copy of a tagged PDF cost more than rendering the document. The
    file is written anew (not an incremental update, which would keep the
    old metadata in the file), with object streams: smaller, and faster."""
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.trailer.Info = doc.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(title), Creator=pikepdf.String("Puente"), Producer=pikepdf.String("Puente")))
        if "/Metadata" in doc.Root:
            del doc.Root.Metadata  # an XMP copy of the old metadata, if LibreOffice wrote one
        doc.Root.Lang = pikepdf.String({"es": "es-MX", "en": "en-US"}.get(lang, lang))
        pages = len(doc.pages)
        doc.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return pages


def encrypt_pdf(pdf: Path, password: str) -> None:
    """Encrypt in place with AES-256. The password lives only in memory."""
    writer = PdfWriter(clone_from=str(pdf))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    with pdf.open("wb") as fh:
        writer.write(fh)
