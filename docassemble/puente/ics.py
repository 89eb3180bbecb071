"""The deadlines of one case as an iCalendar file (RFC 5545, docs/deadlines.md).

Written by hand (the format is small): one all-day VEVENT per deadline, with
its rule, legal basis, the date it was counted from, its status and the
working-day calendar used, so a lawyer who drops the file into a calendar can
still check the date by hand.

The output is reproducible: nothing here reads the clock. DTSTAMP, which
RFC 5545 requires, is derived from the deadline's own data (the date the term
was counted from, at 00:00:00 UTC), so the same case gives the same file
byte for byte.

Privacy: the file names the case by its id, never the child. Calendars get
synced to phones and shared with colleagues.
"""

from __future__ import annotations

from datetime import date, timedelta

from .deadlines import Deadline

PRODID = "-//Puente//Deadlines//ES"
REMINDER_DAYS = 3
MAX_OCTETS = 75
CRLF = "\r\n"

_TEXT = {
    "es": {
        "basis": "Fundamento",
        "from": "Contado desde",
        "from_note": "el día 1 es el primer día hábil siguiente",
        "term": "Plazo",
        "status": "Estado",
        "open": "en curso",
        "past": "vencido ({n} días hábiles de retraso a la fecha de presentación)",
        "past_one": "vencido (1 día hábil de retraso a la fecha de presentación)",
        "informational": "informativo",
        "done": "cumplido",
        "not_applicable": "no aplica",
        "projected": "calculado desde la fecha de presentación prevista",
        "calendar": "Calendario",
        "acuerdos": "Los acuerdos de cada dependencia publicados en el DOF pueden añadir días inhábiles.",
        "reminder": "Recordatorio",
        "calname": "Puente: plazos del caso {case_id}",
    },
    "en": {
        "basis": "Legal basis",
        "from": "Counted from",
        "from_note": "day 1 is the first business day after it",
        "term": "Time limit",
        "status": "Status",
        "open": "open",
        "past": "past ({n} business days late on the filing date)",
        "past_one": "past (1 business day late on the filing date)",
        "informational": "informational",
        "done": "done",
        "not_applicable": "not applicable",
        "projected": "counted from the planned filing date",
        "calendar": "Calendar",
        "acuerdos": "Each agency's acuerdos published in the DOF may add non-working days.",
        "reminder": "Reminder",
        "calname": "Puente: deadlines of case {case_id}",
    },
}


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, ';', ',' and
    newlines; other control characters are dropped."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == ";":
            out.append("\\;")
        elif ch == ",":
            out.append("\\,")
        elif ch == "\n":
            out.append("\\n")
        elif (ord(ch) < 0x20 and ch != "\t") or ch == "\x7f":
            continue
        else:
            out.append(ch)
    return "".join(out)


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets (RFC 5545 §3.1), never inside a
    UTF-8 multi-octet character. Continuation lines start with one space,
    which counts toward their 75 octets."""
    pieces = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            pieces.append("".join(current))
            current, size, limit = [" "], 1, MAX_OCTETS
        current.append(ch)
        size += n
    pieces.append("".join(current))
    return CRLF.join(pieces)


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def _status(deadline: Deadline, t: dict[str, str]) -> str:
    if deadline.step != "due":  # a settled step is never late (after-filing.md)
        status = t[deadline.step]
    elif deadline.rule.informational:
        status = t["informational"]
    elif deadline.is_past:
        status = t["past_one"] if deadline.working_days_late == 1 else t["past"].format(n=deadline.working_days_late)
    else:
        status = t["open"]
    if deadline.projected:
        status += f"; {t['projected']}"
    return status


def _description(deadline: Deadline, calendar_name: str, lang: str) -> str:
    t = _TEXT[lang]
    from_line = f"{t['from']}: {deadline.from_date.isoformat()}"
    if deadline.rule.unit == "working_days":
        from_line += f" ({t['from_note']})"
    lines = [
        f"{t['basis']}: {deadline.rule.basis_text(lang)}",
        from_line,
        f"{t['term']}: {deadline.term_text(lang)}",
        f"{t['status']}: {_status(deadline, t)}",
        f"{t['calendar']}: {calendar_name}. {t['acuerdos']}",
    ]
    return "\n".join(lines)


def _has_alarm(deadline: Deadline) -> bool:
    return not deadline.is_past and not deadline.rule.informational and deadline.step == "due"


def event_lines(case_id: str, deadline: Deadline, calendar_name: str, lang: str = "es",
                trigger: str | None = None) -> list[str]:
    """One deadline as a VEVENT (unfolded lines). The UID is the case id and
    the rule id, so a calendar that imports the file again (or subscribes to
    the office's board) updates the event instead of duplicating it.
    ``trigger`` is the alarm's TRIGGER value (default: REMINDER_DAYS days
    before); no alarm for a past or informational deadline."""
    t = _TEXT[lang]
    summary = f"{case_id}: {deadline.label[lang]}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{case_id}-{deadline.id}@puente')}",
        f"DTSTAMP:{_date(deadline.from_date)}T000000Z",
        f"DTSTART;VALUE=DATE:{_date(deadline.date)}",
        f"DTEND;VALUE=DATE:{_date(deadline.date + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(_description(deadline, calendar_name, lang))}",
        "TRANSP:TRANSPARENT",
    ]
    if _has_alarm(deadline):
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(t['reminder'] + ': ' + summary)}",
            f"TRIGGER:{trigger or f'-P{REMINDER_DAYS}D'}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar_text(name: str, events: list[list[str]]) -> str:
    """A VCALENDAR around the given events, folded, with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def deadlines_to_ics(case_id: str, deadlines: list[Deadline], calendar_name: str, lang: str = "es") -> str:
    """The deadlines of one case as an iCalendar text (CRLF line endings).

    ``calendar_name`` names the working-day calendar the dates were counted
    with (for example ``WorkingCalendar.name`` plus the acuerdos loaded); it is
    written into every event's description. ``lang`` ("es" or "en") chooses
    the labels and descriptions. Events follow the order of ``deadlines``.

    With no deadlines the result is a VCALENDAR without events: RFC 5545 asks
    for at least one component, so a caller should not offer such a file.
    """
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}")
    return calendar_text(_TEXT[lang]["calname"].format(case_id=case_id),
                         [event_lines(case_id, d, calendar_name, lang) for d in deadlines])
