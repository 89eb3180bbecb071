"""Paragraph numbers as templates ask for them: ``{{ p.next() }}``.

A leaf of the documents package (it imports nothing from it), used by
``context`` (hechos, petitorios, annexes) and ``filings`` (the roman
numerals of the legal grounds, ``ROMAN``).
"""

from __future__ import annotations

# The legal-grounds sections of a filing are numbered I, II, III… as the
# template asks for them ({{ dr.next() }}), so a section left out by a
# condition does not leave a gap in the numbering (the law data's table).
from ..law import ROMAN

__all__ = ["ORDINALS_EN", "ORDINALS_ES", "ROMAN", "Counter"]

ORDINALS_ES = (
    "PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO", "SEXTO", "SÉPTIMO", "OCTAVO",
    "NOVENO", "DÉCIMO", "UNDÉCIMO", "DUODÉCIMO", "DECIMOTERCERO", "DECIMOCUARTO",
    "DECIMOQUINTO", "DECIMOSEXTO", "DECIMOSÉPTIMO", "DECIMOCTAVO", "DECIMONOVENO", "VIGÉSIMO",
)
ORDINALS_EN = (
    "FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH",
    "TENTH", "ELEVENTH", "TWELFTH", "THIRTEENTH", "FOURTEENTH", "FIFTEENTH", "SIXTEENTH",
    "SEVENTEENTH", "EIGHTEENTH", "NINETEENTH", "TWENTIETH",
)


class Counter:
    """Numbers paragraphs as the template asks for them: ``{{ p.next() }}``,
    so a lawyer can add or remove a paragraph in Word and the numbers stay
    right.

    A Hechos paragraph names what it states: ``{{ h.next('entry') }}``; the
    counter keeps (number, name) in ``log`` as the document is rendered, so
    the review packet can show the record fields behind each numbered fact
    (``hechos_fields`` of the context)."""

    def __init__(self, labels: tuple[str, ...] | None = None):
        self.labels = labels
        self.n = 0
        self.log: list[tuple[str, str | None]] = []

    def next(self, fact: str | None = None) -> str:
        self.n += 1
        label = str(self.n) if self.labels is None else (
            self.labels[self.n - 1] if self.n <= len(self.labels) else str(self.n))
        self.log.append((label, fact))
        return label

    def reset(self) -> str:
        self.n = 0
        return ""
