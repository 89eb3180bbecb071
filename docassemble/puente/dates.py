"""Dates as documents write them, through Babel; and what "today" is.

"Today" for a Mexican office is the day in America/Mexico_City, not the
server's UTC day: at 19:00 in Mexico City it is already tomorrow in UTC, and a
term counted from the UTC day is one working day off. Every front (the
interview, the CLI, the batch) asks ``office_today`` for it. An organization
elsewhere sets its own zone: ``PUENTE_TIMEZONE`` (CLI, batch) or
``puente: {timezone: …}`` in the server's configuration.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

DEFAULT_TIMEZONE = "America/Mexico_City"
TIMEZONE_ENV = "PUENTE_TIMEZONE"


def office_timezone(name: str | None = None) -> ZoneInfo:
    """The organization's time zone: ``name`` if given, else ``$PUENTE_TIMEZONE``,
    else Mexico City. An unknown name is an error (a wrong day is worse)."""
    name = name or os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {name!r} (e.g. America/Mexico_City)") from None


def office_today(tz: str | None = None, *, now: datetime | None = None) -> date:
    """The calendar day at the office right now (``now`` for tests: an aware instant)."""
    instant = now or datetime.now(timezone.utc)
    if instant.tzinfo is None:
        raise ValueError("now must carry its time zone")
    return instant.astimezone(office_timezone(tz)).date()


LOCALES = {"es": "es_MX", "en": "en_US", "fr": "fr_FR", "ht": "fr_HT", "pt": "pt_BR"}
# Babel has no Haitian Creole locale (fr_HT prints French month names).
CREOLE_MONTHS = ("janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb",
                 "novanm", "desanm")


def long_date(day: date | None, lang: str) -> str:
    """'20 de abril de 2026' / 'April 20, 2026' / '20 avril 2026' /
    '20 janvye 2026' (Creole): every language of the documents."""
    if day is None:
        return ""
    if lang == "es":
        return format_date(day, "d 'de' MMMM 'de' y", locale="es_MX")
    if lang == "ht":
        return f"{day.day} {CREOLE_MONTHS[day.month - 1]} {day.year}"
    return format_date(day, "long", locale=LOCALES.get(lang, "en_US"))


# The names other modules use for the same day.
MEXICO_TZ = ZoneInfo(DEFAULT_TIMEZONE)


def today_in_mexico() -> date:
    """Today at the office: Mexico City's day, or ``$PUENTE_TIMEZONE``'s."""
    return office_today()
