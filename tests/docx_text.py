"""Reading a DOCX back as text, for assertions on what a document says."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def _block_paragraphs(container) -> list[str]:
    """Paragraph texts in document order, descending into tables."""
    out: list[str] = []
    for child in container.iter_inner_content():
        if isinstance(child, Paragraph):
            out.append(child.text)
        elif isinstance(child, Table):
            for row in child.rows:
                for cell in row.cells:
                    out += _block_paragraphs(cell)
    return out


def docx_paragraphs(path: Path) -> list[str]:
    """Body paragraphs (tables included), then every header and footer."""
    doc = Document(str(path))
    paras = _block_paragraphs(doc)
    for section in doc.sections:
        for part in (section.header, section.footer):
            paras += _block_paragraphs(part)
    return paras
