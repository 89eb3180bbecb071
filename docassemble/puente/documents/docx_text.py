"""Reading a DOCX back as text, with python-docx: the one reader for the
review (paragraphs paired across languages, what changed since a sign-off),
the packet's index of annexes, and the tests that read what a document says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from docx import Document
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


class _Container(Protocol):
    """A document, a header or footer, or a table cell."""

    def iter_inner_content(self) -> Iterator[Paragraph | Table]: ...


def _blocks(container: _Container) -> Iterator[Paragraph | Table]:
    yield from container.iter_inner_content()


def _cells(table: Table) -> Iterator[list[_Cell]]:
    """Each row's cells, a merged cell once (python-docx's ``row.cells``
    repeats a cell that spans several columns)."""
    for row in table.rows:
        yield [_Cell(tc, table) for tc in row._tr.tc_lst]


def _cell_paragraphs(cell: _Cell) -> list[str]:
    out: list[str] = []
    for block in _blocks(cell):
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            for row in _cells(block):
                for inner in row:
                    out += _cell_paragraphs(inner)
    return out


def paragraphs(path: str | Path, *, headers: bool = True) -> list[str]:
    """Every paragraph's text in document order, tables cell by cell, then
    (with ``headers``) every header and footer: what a test reads."""
    doc = Document(str(path))
    out: list[str] = []
    parts: list[_Container] = [doc]
    if headers:
        for section in doc.sections:
            parts += [section.header, section.footer]
    for part in parts:
        for block in _blocks(part):
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                for row in _cells(block):
                    for cell in row:
                        out += _cell_paragraphs(cell)
    return out


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def lines(path: str | Path) -> list[str]:
    """The body as a reader sees it, one line per non-empty paragraph with
    its spacing collapsed, a table row as one line of its cells joined by
    ' | ': what the review pairs and compares."""
    doc = Document(str(path))
    out: list[str] = []
    for block in _blocks(doc):
        if isinstance(block, Paragraph):
            text = _squeeze(block.text)
            if text:
                out.append(text)
        else:
            for row in _cells(block):
                cells = [_squeeze(" ".join(_cell_paragraphs(cell))) for cell in row]
                line = " | ".join(c for c in cells if c)
                if line:
                    out.append(line)
    return out
