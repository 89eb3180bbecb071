"""Dates as documents write them, through Babel."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

LOCALES = {"es": "es_MX", "en": "en_US", "fr": "fr_FR", "ht": "fr_HT", "pt": "pt_BR"}


def long_date(day: date | None, lang: str) -> str:
    """'20 de abril de 2026' / 'April 20, 2026' / '20 avril 2026'."""
    if day is None:
        return ""
    if lang == "es":
        return format_date(day, "d 'de' MMMM 'de' y", locale="es_MX")
    return format_date(day, "long", locale=LOCALES.get(lang, "en_US"))


MEXICO_TZ = "America/Mexico_City"


def office_today() -> date:
    """Today for a Mexican office: the day in America/Mexico_City, not UTC
    (at 19:00 in Mexico City it is already tomorrow in UTC)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(MEXICO_TZ)).date()
