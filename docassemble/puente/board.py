"""An office's deadline board: every case, every deadline, one table.

Given many cases and a date, one row per deadline: the case, the child's
initials (never the name: boards get printed and pinned up), the procedure,
the deadline, its date, the working days left, its state on that date, the
legal basis, counsel and the document that meets it. The dates and the
settled states come from the deadline engine (``deadlines.case_deadlines``,
the one the checklist and the documents use); the board only adds the
distance from ``today`` (``deadlines.state_on``).

The same rows feed the terminal table, the CSV, the HTML page
(``board_html``), the office's .ics feed and the daily digest. Nothing here
imports docassemble: the server's board (``da.py``) hands its saved sessions'
case records to ``case_rows``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from .calendar import WorkingCalendar
from .deadlines import STATE_LABELS, STATES, Deadline, case_deadlines, state_on, working_days_left
from .documents.phrases import initials
from .errors import Problem
from .ics import calendar_text, event_lines
from .law import Law
from .model import Case
from .pipeline import csv_cell
from .readers import RawCase, read_case_file, read_inputs
from .validate import parse_case

DEFAULT_ALARM_WORKING_DAYS = 3
DEFAULT_DIGEST_WORKING_DAYS = 5
BIRTHDAY_RED_DAYS = 90
ALARM_HOUR_UTC = 15  # 09:00 in Mexico City (UTC-6, no daylight saving time since 2022)


# Short names for a table column (the full names are in law/terms.yml).
PROCEDURE_SHORT = {
    "asylum": {"es": "Refugio", "en": "Asylum"},
    "coadyuvante": {"es": "Coadyuvancia (PPNNA)", "en": "Coadyuvante (PPNNA)"},
    "family_reunification": {"es": "Reunificación familiar", "en": "Family reunification"},
    "derivative_status": {"es": "Refugio por derivación", "en": "Derivative status"},
}


@dataclass(frozen=True)
class BoardRow:
    case_id: str
    initials: str               # the child's initials only
    procedures: tuple[str, ...]  # codes (law/terms.yml: procedures)
    deadline: Deadline
    state: str                  # deadlines.STATES
    working_days_left: int      # negative when past
    counsel: str                # counsel's initials
    link: str | None = None     # the server: back into the saved session
    # The 18th birthday within 90 days: shown in red with what must be done
    # before it (docs/after-filing.md, "Coming of age").
    birthday_soon: bool = False

    @property
    def date(self) -> date:
        return self.deadline.date

    @property
    def deadline_id(self) -> str:
        return self.deadline.id

    def label(self, lang: str) -> str:
        rule = self.deadline.rule
        return (rule.short or rule.label)[lang]

    def basis(self, lang: str) -> str:
        return self.deadline.rule.basis_text(lang)

    def document(self, lang: str) -> str:
        doc = self.deadline.rule.document
        return doc[lang] if doc else ""

    def note(self, lang: str) -> str:
        """What must be done before it (the coming of age), from the law data."""
        note = self.deadline.rule.note
        return note[lang] if note and self.deadline_id == "coming_of_age" else ""

    def procedure_text(self, law: Law, lang: str) -> str:
        return ", ".join(PROCEDURE_SHORT[p][lang] if p in PROCEDURE_SHORT else law.term("procedures", p)[lang]
                         for p in self.procedures)

    def state_text(self, lang: str) -> str:
        return STATE_LABELS[self.state][lang]


def counsel_name(case: Case) -> str:
    return case.representative.full_name


def case_rows(case: Case, today: date, law: Law, calendar: WorkingCalendar, *,
              link: str | None = None) -> list[BoardRow]:
    """The board's rows of one case, in the engine's order."""
    return deadline_rows(board_summary(case, today, law, calendar), today, law, calendar, link=link)


def board_summary(case: Case, today: date, law: Law, calendar: WorkingCalendar) -> dict:
    """What the board needs of a case and nothing more: the case id, the
    child's and counsel's initials, the procedures and the engine's
    deadlines (rule id, dates, settled step). No name, no story: the server
    keeps it unencrypted (``da.publish_board_summary``) so that the
    administrator's board can list a case whose answers stay encrypted with
    their user's key. Plain JSON types only."""
    rep = case.representative
    return {
        "case_id": case.case_id or "",
        "initials": initials(case.child.given_names, case.child.family_names),
        "counsel": initials(rep.given_names, rep.family_names),
        "procedures": list(case.procedures),
        "deadlines": [{"rule": d.id, "date": d.date.isoformat(), "from_date": d.from_date.isoformat(),
                       "status": d.status, "working_days_late": d.working_days_late, "projected": d.projected,
                       "step": d.step, "term": d.term}
                      for d in case_deadlines(case, law, calendar, today=today)],
    }


def deadline_rows(summary: dict, today: date, law: Law, calendar: WorkingCalendar, *,
                  link: str | None = None) -> list[BoardRow]:
    """The board's rows of a ``board_summary``: the engine's deadlines as
    computed, their state on ``today`` by ``state_on`` (never re-derived).
    A deadline whose rule is no longer in the law data is left out."""
    rows = []
    for d in summary.get("deadlines") or []:
        rule = law.deadlines.get(d["rule"])
        if rule is None:
            continue
        deadline = Deadline(rule, date.fromisoformat(d["date"]), date.fromisoformat(d["from_date"]), d["status"],
                            working_days_late=int(d.get("working_days_late") or 0),
                            projected=bool(d.get("projected")), step=d.get("step") or "due", term=d.get("term"))
        rows.append(BoardRow(str(summary.get("case_id") or ""), str(summary.get("initials") or ""),
                             tuple(summary.get("procedures") or ()), deadline,
                             state_on(deadline, today, calendar), working_days_left(deadline, today, calendar),
                             str(summary.get("counsel") or ""), link,
                             birthday_soon=(deadline.id == "coming_of_age"
                                            and 0 <= (deadline.date - today).days <= BIRTHDAY_RED_DAYS)))
    return rows


def sort_rows(rows: Iterable[BoardRow]) -> list[BoardRow]:
    """Overdue first, then this week, the next 30 days, later, done, not
    applicable; by date within a state (the most overdue first)."""
    return sorted(rows, key=lambda r: (STATES.index(r.state), r.date, r.case_id, r.deadline_id))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace(".", "").replace(" ", "")


def counsel_matches(case: Case, wanted: str) -> bool:
    """``--counsel``: counsel's full name or initials, ignoring case, accents,
    dots and spaces."""
    rep = case.representative
    key = _fold(wanted)
    return bool(key) and key in (_fold(counsel_name(case)), _fold(initials(rep.given_names, rep.family_names)))


def board_rows(cases: Iterable[Case], today: date, law: Law, calendar: WorkingCalendar,
               counsel: str | None = None) -> list[BoardRow]:
    rows = []
    for case in cases:
        if counsel and not counsel_matches(case, counsel):
            continue
        rows += case_rows(case, today, law, calendar)
    return sort_rows(rows)


def counts(rows: Iterable[BoardRow]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for row in rows:
        out[row.state] += 1
    return out


def next_row(rows: Iterable[BoardRow]) -> BoardRow | None:
    """A case's most pressing row (the server lists one line per case)."""
    ordered = sort_rows(rows)
    return ordered[0] if ordered else None


# --------------------------------------------------------------------------
# Inputs: case files, workbooks, folders, and output folders (<out>/<case>/case.json)


def _output_case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*/case.json") if p.is_file())


def read_board_inputs(paths: Iterable[str | Path]) -> tuple[list[RawCase], list[Problem]]:
    """Like ``readers.read_inputs``, and an output folder of ``puente batch``
    gives the ``case.json`` of each of its case folders."""
    plain: list[str | Path] = []
    raws: list[RawCase] = []
    problems: list[Problem] = []
    for path in paths:
        found = _output_case_files(Path(path)) if Path(path).is_dir() else []
        if not found:
            plain.append(path)
            continue
        for case_file in found:
            got, trouble = read_case_file(case_file)
            raws += got
            problems += trouble
    more, trouble = read_inputs(plain) if plain else ([], [])
    seen = {r.case_id for r in raws}
    raws += [r for r in more if r.case_id not in seen]
    return raws, problems + trouble


def load_cases(paths: Iterable[str | Path], today: date) -> tuple[list[Case], list[Problem]]:
    """Valid cases of the inputs; every problem of the others (by case id and field)."""
    raws, problems = read_board_inputs(paths)
    cases = []
    for raw in raws:
        case, found = parse_case(raw.data, today=today)
        problems += found
        if case is not None:
            cases.append(case)
    return cases, problems


# --------------------------------------------------------------------------
# Terminal table


def _days(n: int) -> str:
    return f"{n:+d}" if n else "0"


def to_text(rows: list[BoardRow], today: date, law: Law) -> str:
    """Grouped by state, overdue first; Spanish and English."""
    out = [f"Tablero de plazos / Deadline board — {today.isoformat()}"]
    if not rows:
        out.append("Sin plazos / No deadlines.")
    for state in STATES:
        group = [r for r in rows if r.state == state]
        if not group:
            continue
        label = STATE_LABELS[state]
        out += ["", f"{label['es'].upper()} / {label['en'].upper()} ({len(group)})"]
        for r in group:
            out.append(f"  {r.date.isoformat()}  {_days(r.working_days_left):>4}  {r.case_id:<14} {r.initials:<10} "
                       f"{r.label('es')} / {r.label('en')}")
            detail = [r.procedure_text(law, "es"), r.basis("es")]
            if r.counsel:
                detail.append(f"abogado(a)/counsel {r.counsel}")
            if r.document("es"):
                detail.append(f"{r.document('es')} / {r.document('en')}")
            out.append("        " + " — ".join(detail))
            if r.birthday_soon:
                out.append(f"        ¡Menos de {BIRTHDAY_RED_DAYS} días! / Less than {BIRTHDAY_RED_DAYS} days! "
                           + r.note("es"))
    c = counts(rows)
    out += ["", " · ".join(f"{STATE_LABELS[s]['es']} / {STATE_LABELS[s]['en']}: {c[s]}" for s in STATES)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# CSV (spreadsheet-safe)

CSV_COLUMNS = (
    ("case_id", "Clave del caso / Case id"),
    ("initials", "Iniciales / Initials"),
    ("procedure", "Procedimiento / Procedure"),
    ("deadline_id", "Plazo (clave) / Deadline (id)"),
    ("deadline_es", "Plazo / Deadline (es)"),
    ("deadline_en", "Plazo / Deadline (en)"),
    ("date", "Fecha / Date"),
    ("working_days_left", "Días hábiles restantes / Business days left"),
    ("state", "Estado / State"),
    ("basis", "Fundamento / Basis"),
    ("counsel", "Abogado(a) / Counsel"),
    ("document_es", "Documento / Document (es)"),
    ("document_en", "Documento / Document (en)"),
)


def row_record(row: BoardRow, law: Law) -> dict:
    return {
        "case_id": row.case_id, "initials": row.initials, "procedure": row.procedure_text(law, "es"),
        "deadline_id": row.deadline_id, "deadline_es": row.label("es"), "deadline_en": row.label("en"),
        "date": row.date.isoformat(), "working_days_left": row.working_days_left, "state": row.state,
        "basis": row.basis("es"), "counsel": row.counsel,
        "document_es": row.document("es"), "document_en": row.document("en"),
    }


def to_csv(rows: list[BoardRow], law: Law) -> str:
    """UTF-8 text; every text cell passes through ``pipeline.csv_cell`` (the
    manifest's: a cell that would start a formula gets a leading ``'``);
    the working days left stay a number, negative when past."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for _, header in CSV_COLUMNS])
    for row in rows:
        record = row_record(row, law)
        writer.writerow([record[key] if isinstance(record[key], int) else csv_cell(record[key])
                         for key, _ in CSV_COLUMNS])
    return buf.getvalue()


# --------------------------------------------------------------------------
# The office's .ics feed


def alarm_trigger(deadline: Deadline, calendar: WorkingCalendar, working_days: int) -> str:
    """TRIGGER for a reminder at 09:00 (Mexico City) ``working_days`` working
    days before an all-day event: relative to the event's start (00:00 of
    the deadline), so ``-P{d}DT15H`` is 09:00 of the day d+1 days before."""
    reminder_day = calendar.subtract_working_days(deadline.date, working_days)
    before = (deadline.date - reminder_day).days
    return f"-P{before - 1}DT{24 - 9}H" if before > 1 else f"-PT{24 - 9}H"


def to_ics(rows: list[BoardRow], calendar: WorkingCalendar, *, alarm_working_days: int = DEFAULT_ALARM_WORKING_DAYS,
           lang: str = "es", name: str = "Puente: plazos de la oficina / office deadlines") -> str:
    """One feed with every open deadline of the office (settled ones are
    left out, so a subscribed calendar drops them). Each event keeps the UID
    of the case's own .ics (case id + rule id): re-importing or refreshing
    updates it. Only case ids: calendars are synced to phones."""
    events = [event_lines(r.case_id, r.deadline, calendar.name, lang,
                          trigger=alarm_trigger(r.deadline, calendar, alarm_working_days))
              for r in rows if r.state not in ("done", "not_applicable")]
    return calendar_text(name, events)


# --------------------------------------------------------------------------
# Daily digest: what is due in the next N working days (and what is overdue)


def digest_rows(rows: list[BoardRow], working_days: int = DEFAULT_DIGEST_WORKING_DAYS) -> list[BoardRow]:
    return [r for r in rows if r.state == "overdue"
            or (r.state in ("this_week", "next_30_days", "later") and r.working_days_left <= working_days)]


def digest_text(rows: list[BoardRow], today: date, law: Law, working_days: int = DEFAULT_DIGEST_WORKING_DAYS) -> str:
    due = digest_rows(rows, working_days)
    head = (f"Puente — resumen diario / daily digest — {today.isoformat()}\n"
            f"Vencidos y plazos de los próximos {working_days} días hábiles / "
            f"Overdue and due in the next {working_days} business days: {len(due)}\n")
    if not due:
        return head + "\nNada pendiente / Nothing due.\n"
    return head + "\n" + to_text(due, today, law).split("\n", 1)[1].lstrip("\n")


def today_or(day: date | None) -> date:
    from .dates import today_in_mexico

    return day or today_in_mexico()

