"""Reading a DOCX back as text, for assertions on what a document says: the
package's own reader (``documents.docx_text``), which the review uses too."""

from __future__ import annotations

from pathlib import Path

from docassemble.puente.documents.docx_text import paragraphs


def docx_paragraphs(path: Path) -> list[str]:
    """Body paragraphs (tables included), then every header and footer."""
    return paragraphs(path, headers=True)
