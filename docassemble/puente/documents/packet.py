"""The filing packet: every filing of a case in one PDF, with an index page,
a running page number on each sheet ("Página N de M", top right, as folios are
numbered in an expediente) and title and language metadata (pypdf)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

LETTER = (612.0, 792.0)
WORDS = {
    "es": {"page": "Página {n} de {m}", "index": "ÍNDICE", "pages": "páginas", "annexes": "ANEXOS",
           "packet": "Paquete de escritos", "lang": "es-MX"},
    "en": {"page": "Page {n} of {m}", "index": "INDEX", "pages": "pages", "annexes": "EXHIBITS",
           "packet": "Filing packet", "lang": "en-US"},
}


@dataclass
class PacketPart:
    title: str
    pdf: Path


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _font() -> DictionaryObject:
    font = DictionaryObject()
    font[NameObject("/Type")] = NameObject("/Font")
    font[NameObject("/Subtype")] = NameObject("/Type1")
    font[NameObject("/BaseFont")] = NameObject("/Helvetica")
    font[NameObject("/Encoding")] = NameObject("/WinAnsiEncoding")
    bold = DictionaryObject(font)
    bold[NameObject("/BaseFont")] = NameObject("/Helvetica-Bold")
    fonts = DictionaryObject()
    fonts[NameObject("/F1")] = font
    fonts[NameObject("/F2")] = bold
    resources = DictionaryObject()
    resources[NameObject("/Font")] = fonts
    return resources


def _text_page(writer: PdfWriter, lines: list[tuple[str, float, bool, float]],
               size: tuple[float, float] = LETTER) -> PageObject:
    """A page of plain text: (text, font size, bold, x) per line, top to bottom."""
    page = PageObject.create_blank_page(width=size[0], height=size[1])
    ops = [b"BT"]
    y = size[1] - 72
    for text, font_size, bold, x in lines:
        y -= font_size * 1.6
        ops.append(b"/%s %d Tf 1 0 0 1 %d %d Tm (%s) Tj" % (b"F2" if bold else b"F1", font_size, x, y, _escape(text)))
    ops.append(b"ET")
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(ops))
    page[NameObject("/Resources")] = _font()
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page


def _stamp(writer: PdfWriter, page: PageObject, text: str) -> None:
    """Write ``text`` in small type at the top right corner of ``page``."""
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    overlay = _text_page(writer, [], (width, height))
    x = width - 36 - len(text) * 4.6
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 8 Tf 1 0 0 1 %d %d Tm (%s) Tj ET" % (x, height - 24, _escape(text)))
    overlay[NameObject("/Contents")] = writer._add_object(stream)
    page.merge_page(overlay)


def _wrap(text: str, width: int = 88) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def build_packet(parts: list[PacketPart], annexes: list[tuple[str, list[str]]], out: Path, *,
                 case_id: str, lang: str) -> int:
    """Merge ``parts`` behind an index page; returns the packet's page count."""
    words = WORDS[lang]
    counts = [len(PdfReader(str(p.pdf)).pages) for p in parts]
    lines: list[tuple[str, float, bool, float]] = [
        (f"{words['packet']} — {case_id}", 14, True, 72),
        ("", 10, False, 72),
        (words["index"], 12, True, 72),
    ]
    start = 2  # the index is page 1
    for part, count in zip(parts, counts, strict=True):
        for j, chunk in enumerate(_wrap(part.title, 70)):
            suffix = f"   {words['pages']} {start}–{start + count - 1}" if j == 0 else ""
            lines.append((f"{chunk}{suffix}", 10, False, 90))
        start += count
    if annexes:
        lines += [("", 10, False, 72), (words["annexes"], 12, True, 72)]
        for filing, items in annexes:  # each annex keeps the number its filing gives it
            lines.append((filing, 10, True, 90))
            for item in items:
                for j, chunk in enumerate(_wrap(item, 80)):
                    lines.append((chunk, 10, False, 102 if j == 0 else 114))
    if len(lines) > 44:  # one index page: the rest is in each filing's own evidence section
        lines = lines[:43] + [("…", 10, False, 90)]
    writer = PdfWriter()
    writer.add_page(_text_page(writer, lines))
    for part in parts:
        writer.append(str(part.pdf))
    total = len(writer.pages)
    for n, page in enumerate(writer.pages, 1):
        _stamp(writer, page, words["page"].format(n=n, m=total))
    writer.add_metadata({"/Title": f"{words['packet']} — {case_id}", "/Creator": "Puente"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(words["lang"])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    return total

