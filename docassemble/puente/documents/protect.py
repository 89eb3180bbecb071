"""Sharing documents safely: public versions (versión pública) with the child
and relatives reduced to initials and identifying details removed, and PDF
encryption.

Redaction works on the template context, before rendering, so every phrase
a template prints passes through it; the rendered PDF is then read back and
checked, and a case whose public version still shows a protected value fails
rather than leak it (fail closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from ..model import Case
from .context import long_date

WITHHELD = {"es": "[reservado]", "en": "[withheld]"}
NAME_PART = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
# Particles inside names ("María de la Cruz") are ordinary words elsewhere.
PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "von", "di", "mc"}


@dataclass(frozen=True)
class Redaction:
    """What must not appear in a public version, and what replaces it."""

    replacements: tuple[tuple[str, str], ...]  # (protected text, replacement), longest first
    must_not_remain: tuple[str, ...]           # checked in the rendered PDF

    def text(self, value: str) -> str:
        for secret, replacement in self.replacements:
            pattern = r"(?<!\w)" + re.escape(secret) + r"(?!\w)"
            value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
        return value


def _name_parts(*names: str | None) -> list[str]:
    parts = []
    for name in names:
        parts += [w for w in NAME_PART.findall(name or "") if len(w) > 1 and w.lower() not in PARTICLES]
    return parts


def redaction_for(case: Case, lang: str) -> Redaction:
    """The protected values of a case: names of the child and relatives (each
    word becomes its initial), dates of birth, resolution and file numbers,
    the shelter's name, and contact details other than counsel's."""
    withheld = WITHHELD.get(lang, WITHHELD["en"])
    pairs: dict[str, str] = {}
    people = [(case.child.given_names, case.child.family_names)]
    people += [(r.given_names, r.family_names) for r in case.family]
    for given, family in people:
        for word in _name_parts(given, family):
            pairs[word] = f"{word[0].upper()}."
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
    # Single name words are checked as whole words; the rest as written.
    must = tuple(k for k in pairs if len(k) > 2)
    return Redaction(ordered, must)


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


def remaining_secrets(pdf: Path, redaction: Redaction) -> list[str]:
    """Protected values still present in a PDF's text or metadata (their
    count only is reported: the values themselves are never logged)."""
    reader = PdfReader(str(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    found = []
    for secret in redaction.must_not_remain:
        pattern = r"(?<!\w)" + re.escape(secret) + r"(?!\w)"
        if re.search(pattern, text, flags=re.IGNORECASE) or re.search(pattern, meta, flags=re.IGNORECASE):
            found.append(secret)
    return found


def set_metadata(pdf: Path, title: str, lang: str) -> None:
    """Replace whatever LibreOffice copied from the template (author, title)
    with a neutral title, and record the document's language."""
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=str(pdf))
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Creator": "Puente", "/Producer": "Puente"})
    writer._root_object[NameObject("/Lang")] = TextStringObject({"es": "es-MX", "en": "en-US"}.get(lang, lang))
    with pdf.open("wb") as fh:
        writer.write(fh)


def encrypt_pdf(pdf: Path, password: str) -> None:
    """Encrypt in place with AES-256. The password lives only in memory."""
    writer = PdfWriter(clone_from=str(pdf))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    with pdf.open("wb") as fh:
        writer.write(fh)
