"""The case timeline as a picture for the review packet: entry, notification,
filing and every deadline on one line, past deadlines in red."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..dates import long_date
from ..deadlines import Deadline
from ..model import Case

FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
RED, BLUE, GREY, INK = (192, 0, 0), (31, 78, 121), (120, 120, 120), (30, 30, 30)
LABELS = {
    "es": {"entry": "Ingreso a México", "notified": "Aviso a la PPNNA", "filing": "Fecha del escrito",
           "filed": "Presentada ante COMAR", "refusal": "Notificación de negativa"},
    "en": {"entry": "Entry into Mexico", "notified": "PPNNA notified", "filing": "Date of the filing",
           "filed": "Filed with COMAR", "refusal": "Refusal notified"},
}


@dataclass
class Mark:
    day: date
    label: str
    color: tuple[int, int, int]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def timeline_marks(case: Case, deadlines: list[Deadline], lang: str) -> list[Mark]:
    words = LABELS["es" if lang == "es" else "en"]
    marks = []
    if case.child.entry_date:
        marks.append(Mark(case.child.entry_date, words["entry"], INK))
    if case.coadyuvante.notified_date:
        marks.append(Mark(case.coadyuvante.notified_date, words["notified"], INK))
    if case.proceedings.comar_filed_date:
        marks.append(Mark(case.proceedings.comar_filed_date, words["filed"], INK))
    if case.proceedings.refusal_notified:
        marks.append(Mark(case.proceedings.refusal_notified, words["refusal"], INK))
    if case.filing_date:
        marks.append(Mark(case.filing_date, words["filing"], BLUE))
    for d in deadlines:
        color = RED if d.is_late else (GREY if d.rule.informational or d.step != "due" else BLUE)
        label = d.rule.short or d.rule.label
        marks.append(Mark(d.date, label[lang], color))
    return sorted(marks, key=lambda m: m.day)


def draw_timeline(case: Case, deadlines: list[Deadline], lang: str, out: Path) -> Path:
    """Draw the marks on a dated axis; labels alternate above and below the
    line and are shortened so neighbours do not collide."""
    marks = timeline_marks(case, deadlines, lang)
    width, height, margin = 1800, 520, 90
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font, small = _font(22), _font(19)
    first, last = marks[0].day, marks[-1].day
    span = max((last - first).days, 1)
    axis_y = height // 2
    draw.line((margin, axis_y, width - margin, axis_y), fill=INK, width=4)
    for i, mark in enumerate(marks):
        x = margin + (width - 2 * margin) * (mark.day - first).days / span
        draw.ellipse((x - 11, axis_y - 11, x + 11, axis_y + 11), fill=mark.color)
        above = i % 2 == 0
        level = (i // 2) % 3  # three heights on each side
        y_text = axis_y - 70 - 62 * level if above else axis_y + 30 + 62 * level
        draw.line((x, axis_y, x, y_text + (40 if above else 0)), fill=mark.color, width=2)
        label = mark.label if len(mark.label) <= 38 else mark.label[:36] + "…"
        day = long_date(mark.day, lang)
        lw = max(draw.textlength(label, font=font), draw.textlength(day, font=small))
        x_text = min(max(x - lw / 2, 10), width - lw - 10)
        draw.text((x_text, y_text), label, fill=mark.color, font=font)
        draw.text((x_text, y_text + 24), day, fill=mark.color, font=small)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)
    return out
