"""Cells that are safe to open in a spreadsheet (OWASP, "CSV Injection").

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice and Google Sheets as a formula: a case
id or a name typed as ``=HYPERLINK("http://…")`` in an intake workbook would
run on the office's machine when the CSV is opened. Such a cell gets a
leading single quote, which the spreadsheet shows as text. Numbers written
as numbers (a negative count of days) are left alone.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write into a CSV cell: text that a spreadsheet would run
    as a formula is prefixed with ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
