#!/usr/bin/env python3
"""Refresh translations/puente-en.xlsx after interview text changed.

Loads every entry interview with docassemble.base the way docassemble's
"download an interview phrase translation file" utility does, lists every
translatable phrase, and rewrites the workbook: translations already made are
kept, new phrases get an empty `tr_text` for the translator, and phrases no
interview uses any more are dropped. Phrases that are only code (a Mako
expression, a choice value) are copied as they are.

    make interview-translations       # or: .venv/bin/python scripts/update-interview-translations.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import da_harness as h  # noqa: E402

WORKBOOK = ROOT / "translations" / "puente-en.xlsx"


def is_code(phrase: str) -> bool:
    text = re.sub(r"\$\{[^}]*\}", "", phrase)
    text = re.sub(r"(?m)^[ \t]*%.*$", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return not re.search(r"[^\W\d_]", text) or re.fullmatch(r"[a-z_]+|True|False", phrase.strip()) is not None


def main() -> int:
    h.boot()
    rows = h.all_phrases()
    old = h.read_translation_file(WORKBOOK)
    merged = {phrase: old.get(phrase) or (phrase if is_code(phrase) else "") for _, _, phrase in rows}
    h.write_translation_file(WORKBOOK, rows, merged)
    todo = sum(1 for v in merged.values() if not v)
    dropped = len(set(old) - set(merged))
    print(f"{WORKBOOK.relative_to(ROOT)}: {len(rows)} phrases, {todo} to translate, {dropped} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
