"""Dates as documents write them, through Babel."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

# A Mexican office's "today": at 19:00 in Tapachula it is already tomorrow in UTC.
MEXICO_TZ = ZoneInfo("America/Mexico_City")

LOCALES = {"es": "es_MX", "en": "en_US", "fr": "fr_FR", "ht": "fr_HT", "pt": "pt_BR"}


def long_date(day: date | None, lang: str) -> str:
    """'20 de abril de 2026' / 'April 20, 2026' / '20 avril 2026'."""
    if day is None:
        return ""
    if lang == "es":
        return format_date(day, "d 'de' MMMM 'de' y", locale="es_MX")
    return format_date(day, "long", locale=LOCALES.get(lang, "en_US"))


def today_in_mexico() -> date:
    """Today's date in Mexico City, whatever the machine's time zone."""
    return datetime.now(MEXICO_TZ).date()
