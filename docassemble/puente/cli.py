"""The ``puente`` command (docs/cli.md).

Exit codes: 0 everything valid / produced; 1 some case invalid or failed;
2 usage error, or the output folder is in use by another run; ``puente board``:
3 when a deadline is overdue (for scripts).
Problems print as "case: field: Spanish / English". Nothing
about a child (name, story) is printed except inside documents the user asked
for: messages name the case id and the field.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
from datetime import date
from pathlib import Path

from .calendar import WorkingCalendar, load_extra_days
from .dates import long_date, today_in_mexico
from .deadlines import case_deadlines
from .documents.protect import encrypt_pdf
from .documents.review_packet import build_review_packet
from .errors import InputError, Problem, PuenteError
from .ics import deadlines_to_ics
from .law import default_law
from .law_report import law_report
from .output import OutputBusy
from .pipeline import Options, generate
from .readers import iter_inputs, read_inputs
from .review import sign_off, sign_off_problems
from .template_sheet import write_template_workbook
from .validate import parse_case

PASSWORD_ENV = "PUENTE_PDF_PASSWORD"


class UsageError(Exception):
    """Bad combination of options: exit code 2."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _languages(text: str) -> tuple[str, ...]:
    langs = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [x for x in langs if x not in ("es", "en")]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown language(s): {', '.join(bad)} (use es,en)")
    return tuple(dict.fromkeys(("es", *langs)))  # Spanish is always produced


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", type=_languages, default=("es", "en"),
                        help="languages to produce, e.g. es,en (Spanish is always produced)")
    common.add_argument("--no-pdf", action="store_true", help="produce DOCX only")
    common.add_argument("--calendar", metavar="FILE",
                        help="extra non-working days (YAML or CSV: date, reference to the DOF acuerdo)")
    common.add_argument("--quiet", action="store_true", help="print only errors")
    common.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="the date to use as today (default filing date), for reproducible runs; "
                             "without it, today in America/Mexico_City (or $PUENTE_TIMEZONE)")

    sharing = argparse.ArgumentParser(add_help=False)
    sharing.add_argument("--redact", action="store_true",
                         help="also write public versions (initials, no dates of birth or file numbers) "
                              "under <case>/redacted/")
    sharing.add_argument("--encrypt", action="store_true",
                         help=f"encrypt every PDF with AES-256; the password is read from ${PASSWORD_ENV} or asked for")

    parser = argparse.ArgumentParser(
        prog="puente",
        description="Filings for migrant children in Mexico (COMAR, PPNNA), in Spanish and English.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", parents=[common], help="check case files or workbooks")
    p.add_argument("inputs", nargs="+", metavar="INPUT")

    rerun = argparse.ArgumentParser(add_help=False)
    mode = rerun.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="finish what an earlier (interrupted) run into --out left undone; this is also "
                           "what a plain re-run does: a case already done, with the same record, options "
                           "and Puente, is kept")
    mode.add_argument("--force", action="store_true", help="produce every case again, even those already done")

    p = sub.add_parser("generate", parents=[common, sharing, rerun], help="all documents for one case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser(
        "batch", parents=[common, sharing, rerun], help="every case in a workbook, CSV, list or folder",
        description="Every case of the input into --out. Each case lands in --out as soon as its documents are "
                    "done, and manifest.json/manifest.csv are rewritten after each case: if the run is stopped, "
                    "run the same command again (or add --resume) and only what is missing is produced. One run "
                    "at a time per --out: a second one exits with code 2.")
    p.add_argument("input", metavar="INPUT")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="LibreOffice converters side by side (default: one per core)")

    p = sub.add_parser("deadlines", parents=[common], help="the deadline table of one case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--ics", metavar="FILE", help="also write the deadlines as iCalendar")

    p = sub.add_parser("review", parents=[common, sharing],
                       help="children's counsel's review packet of a generated case; record a sign-off")
    p.add_argument("target", metavar="CASE_OR_OUTPUT_DIR",
                   help="a case folder of an output (out/EX-0001), or a case file (then --out is needed)")
    p.add_argument("--out", metavar="DIR", help="where to generate first, when given a case file")
    p.add_argument("--reviewer-lang", choices=("es", "en"), default="en", help="language of the packet (default en)")
    p.add_argument("--sign", choices=("approved", "changes_requested"), help="record the reviewer's decision")
    p.add_argument("--reviewer", metavar="NAME", help="who signs off (with --sign)")
    p.add_argument("--comments", metavar="TEXT", default="", help="the reviewer's comments (with --sign)")

    p = sub.add_parser("board", help="the office's deadline board: every case, every deadline")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="case files, workbooks, folders, or output folders of puente batch (their case.json)")
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                   help="the board's date (default: today in Mexico City)")
    p.add_argument("--calendar", metavar="FILE",
                   help="extra non-working days (YAML or CSV: date, reference to the DOF acuerdo)")
    p.add_argument("--counsel", metavar="NAME", help="only the cases of this counsel (name or initials)")
    p.add_argument("--html", metavar="FILE", help="write the board as one HTML page (sortable, filterable, printable)")
    p.add_argument("--csv", metavar="FILE", help="write the board as CSV (spreadsheet-safe)")
    p.add_argument("--ics", metavar="FILE", help="write one calendar feed with every open deadline")
    p.add_argument("--alarm-days", type=int, default=3, metavar="N",
                   help="the .ics reminder, in business days before each deadline (default 3)")
    p.add_argument("--digest", metavar="DIR", help="write digest.txt and digest.html (what is due soon) into DIR")
    p.add_argument("--digest-days", type=int, default=5, metavar="N",
                   help="the digest covers the next N business days (default 5) and everything overdue")
    p.add_argument("--quiet", action="store_true", help="print only errors (not the table)")

    p = sub.add_parser("template-sheet", help="an empty batch workbook with bilingual headers")
    p.add_argument("file", metavar="FILE.xlsx")

    p = sub.add_parser(
        "law-report",
        help="every citation of law/, checked (and where) or to verify, and the documents that use it",
        description="Print, as Markdown, every citation in law/citations.yml grouped by statute: checked "
                    "(with the text it was read against) or to verify (with the reason), and which templates, "
                    "interviews, code and law entries use it, so a lawyer knows what changes if one is corrected.")
    p.add_argument("--out", metavar="FILE.md", help="also write the report to this Markdown file")
    p.add_argument("--quiet", action="store_true", help="with --out, do not print the report")
    return parser


def cmd_law_report(args) -> int:
    report = law_report(default_law())
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(report, encoding="utf-8")
    if not (args.out and args.quiet):
        print(report)
    if args.out:
        print(f"-> {args.out}", file=sys.stderr)
    return 0


def _calendar(args) -> WorkingCalendar:
    law = default_law()
    extra = load_extra_days(args.calendar) if getattr(args, "calendar", None) else []
    return WorkingCalendar(law.calendar, extra)


def _print_problems(problems: list[Problem], quiet: bool) -> None:
    for p in problems:
        if p.severity == "warning" and quiet:
            continue
        print(p.line(), file=sys.stderr)


def cmd_validate(args) -> int:
    raws, problems = read_inputs(args.inputs)
    today = args.today or today_in_mexico()
    valid = 0
    for raw in raws:
        case, found = parse_case(raw.data, today=today)
        problems += found
        valid += case is not None
    _print_problems(problems, args.quiet)
    errors = [p for p in problems if p.severity == "error"]
    if not args.quiet:
        print(f"{valid}/{len(raws)} casos válidos / valid cases; {len(errors)} errores / errors")
    return 0 if not errors else 1


def _password(args) -> str | None:
    """The PDF password: from the environment or typed at a prompt, never from
    the command line (it would land in the shell history and process list)."""
    if not args.encrypt:
        return None
    password = os.environ.get(PASSWORD_ENV)
    if not password and sys.stdin.isatty():
        password = getpass.getpass("Contraseña para los PDF / PDF password: ")
    if not password:
        raise UsageError(f"--encrypt needs a password: set {PASSWORD_ENV} or run in a terminal")
    return password


def _run(args, inputs: list[str], jobs: int) -> int:
    password = _password(args)
    if password and args.no_pdf:
        raise UsageError("--encrypt encrypts PDFs: it cannot be combined with --no-pdf")
    # Read as the run goes (a folder file by file): the first case starts at
    # once and memory stays flat however many cases there are.
    problems: list[Problem] = []
    raws = ((r.source, r.data) for r in iter_inputs(inputs, problems))
    law = default_law()
    options = Options(languages=args.lang, pdf=not args.no_pdf, jobs=jobs, today=args.today,
                      redact=args.redact, password=password, force=getattr(args, "force", False),
                      keep_cases=False)
    results = generate(raws, Path(args.out), law, _calendar(args), options,
                       read_problems=problems, progress=not args.quiet)
    for r in results:
        _print_problems(r.errors + r.warnings, args.quiet)
    ok = sum(r.status == "ok" for r in results)
    if not args.quiet:
        docs = sum(len(r.documents) for r in results)
        kept = sum(r.skipped for r in results)
        print(f"{ok}/{len(results)} casos generados / cases generated; {docs} documentos / documents -> {args.out}"
              + (f" ({kept} sin cambios, conservados / unchanged, kept)" if kept else ""))
    return 0 if ok == len(results) else 1


def cmd_deadlines(args) -> int:
    raws, problems = read_inputs([args.case])
    today = args.today or today_in_mexico()
    calendar = _calendar(args)
    law = default_law()
    status = 0 if raws and not problems else 1
    _print_problems(problems, args.quiet)
    for raw in raws:
        case, found = parse_case(raw.data, today=today)
        _print_problems(found, args.quiet)
        if case is None:
            status = 1
            continue
        assert case.case_id  # required: parse_case returns no case without one
        deadlines = case_deadlines(case, law, calendar)
        print(f"{case.case_id} — {calendar.name}")
        for d in deadlines:
            if d.step != "due":  # a settled step is never late
                state = "cumplido / done" if d.step == "done" else "no aplica / not applicable"
            elif d.is_past:
                state = "VENCIDO / PAST"
            else:
                state = "informativo / informational" if d.rule.informational else "abierto / open"
            late = f" ({d.working_days_late} días hábiles de retraso / business days late)" if d.is_late else ""
            # the term the case applies (a prevención's own, when recorded)
            print(f"  {d.date.isoformat()}  {d.rule.label.es} / {d.rule.label.en}\n"
                  f"      {d.term_text('es')} / {d.term_text('en')} desde/from {d.from_date.isoformat()} — {d.basis}"
                  f" — {state}{late}"
                  f"\n      {long_date(d.date, 'es')} / {long_date(d.date, 'en')}")
        if args.ics:
            Path(args.ics).write_text(deadlines_to_ics(case.case_id, deadlines, calendar.name, "es"),
                                      encoding="utf-8", newline="")
    return status


def cmd_review(args) -> int:
    target = Path(args.target)
    if target.is_file():
        if not args.out:
            raise UsageError("given a case file, review needs --out DIR to generate it first")
        status = _run(args, [str(target)], 1)
        if status:
            return status
        raws, _ = read_inputs([str(target)])
        target = Path(args.out) / str(raws[0].data.get("case_id"))
    if not (target / "case.json").exists():
        raise UsageError(f"{target} is not a case folder of an output (no case.json)")
    today = args.today or today_in_mexico()
    if args.sign:
        problems = sign_off_problems(args.sign, args.reviewer or "", args.comments)
        if problems:  # --reviewer NAME, and --comments TEXT with changes_requested
            raise UsageError("; ".join(f"--{p.field}: {p.message_es} / {p.message_en}"
                                       for p in problems).replace("--decision", "--sign"))
        sign_off(target, args.sign, args.reviewer, args.comments, today)
    law = default_law()
    paths = build_review_packet(target, law, _calendar(args), args.reviewer_lang, today=today, pdf=not args.no_pdf)
    password = _password(args)
    if password and "pdf" in paths:
        encrypt_pdf(paths["pdf"], password)
    if not args.quiet:
        print(f"-> {paths.get('pdf', paths['docx'])}")
    return 0


def _exit_on_signal(signum, frame):  # noqa: ARG001
    # SystemExit unwinds through every ``finally``: LibreOffice groups are
    # killed and the staging folder removed before the process ends.
    raise SystemExit(128 + signum)


def cmd_board(args) -> int:
    from .board import board_rows, digest_text, load_cases, to_csv, to_ics, to_text, today_or
    from .board_html import digest_html, to_html

    if args.alarm_days < 1 or args.digest_days < 1:
        raise UsageError("--alarm-days and --digest-days must be 1 or more")
    today = today_or(args.today)
    law = default_law()
    calendar = _calendar(args)
    cases, problems = load_cases(args.inputs, today)
    _print_problems(problems, args.quiet)
    rows = board_rows(cases, today, law, calendar, counsel=args.counsel)
    if not args.quiet:
        print(to_text(rows, today, law), end="")
    writes = {args.html: lambda: to_html(rows, today, law, calendar.name),
              args.csv: lambda: to_csv(rows, law),
              args.ics: lambda: to_ics(rows, calendar, alarm_working_days=args.alarm_days)}
    for path, make in writes.items():
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(make(), encoding="utf-8", newline="")
    if args.digest:
        folder = Path(args.digest)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "digest.txt").write_text(digest_text(rows, today, law, args.digest_days), encoding="utf-8")
        (folder / "digest.html").write_text(digest_html(rows, today, law, args.digest_days), encoding="utf-8")
    if any(r.state == "overdue" for r in rows):
        return 3
    errors = [p for p in problems if p.severity == "error"]
    return 1 if errors or not cases else 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="puente: %(message)s")
    args = build_parser().parse_args(argv)
    if argv is None:  # the real command, not a test calling main()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _exit_on_signal)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "generate":
            return _run(args, [args.case], 1)
        if args.command == "batch":
            if args.jobs < 1:
                print("--jobs must be 1 or more", file=sys.stderr)
                return 2
            return _run(args, [args.input], args.jobs)
        if args.command == "deadlines":
            return cmd_deadlines(args)
        if args.command == "review":
            return cmd_review(args)
        if args.command == "board":
            return cmd_board(args)
        if args.command == "law-report":
            return cmd_law_report(args)
        if args.command == "template-sheet":
            write_template_workbook(Path(args.file))
            print(f"-> {args.file}")
            return 0
    except UsageError as exc:
        print(f"puente: {exc}", file=sys.stderr)
        return 2
    except OutputBusy as exc:
        print(exc.problem.line(), file=sys.stderr)
        return 2
    except InputError as exc:
        print(exc.problem.line(), file=sys.stderr)
        return 1
    except PuenteError as exc:
        print(f"puente: {exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
