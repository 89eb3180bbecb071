"""The ``puente`` command (interfaces.md).

Exit codes: 0 everything valid / produced; 1 some case invalid or failed;
2 usage error. Problems print as "case: field: Spanish / English". Nothing
about a child (name, story) is printed except inside documents the user asked
for: messages name the case id and the field.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from datetime import date
from pathlib import Path

from .calendar import WorkingCalendar, load_extra_days
from .deadlines import case_deadlines
from .documents.context import long_date
from .documents.protect import encrypt_pdf
from .documents.review_packet import build_review_packet
from .errors import InputError, Problem, PuenteError
from .ics import deadlines_to_ics
from .law import default_law
from .pipeline import Options, generate
from .readers import read_inputs
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
                        help="the date to use as today (default filing date), for reproducible runs")

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

    p = sub.add_parser("generate", parents=[common, sharing], help="all documents for one case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("batch", parents=[common, sharing], help="every case in a workbook, CSV, list or folder")
    p.add_argument("input", metavar="INPUT")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="LibreOffice processes side by side")

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

    p = sub.add_parser("template-sheet", help="an empty batch workbook with bilingual headers")
    p.add_argument("file", metavar="FILE.xlsx")
    return parser


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
    today = args.today or date.today()
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
    raws, problems = read_inputs(inputs)
    law = default_law()
    options = Options(languages=args.lang, pdf=not args.no_pdf, jobs=jobs, today=args.today,
                      redact=args.redact, password=password)
    results = generate([(r.source, r.data) for r in raws], Path(args.out), law, _calendar(args), options,
                       read_problems=problems, progress=not args.quiet)
    for r in results:
        _print_problems(r.errors + r.warnings, args.quiet)
    ok = sum(r.status == "ok" for r in results)
    if not args.quiet:
        docs = sum(len(r.documents) for r in results)
        print(f"{ok}/{len(results)} casos generados / cases generated; {docs} documentos / documents -> {args.out}")
    return 0 if ok == len(results) else 1


def cmd_deadlines(args) -> int:
    raws, problems = read_inputs([args.case])
    today = args.today or date.today()
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
            if d.is_past:
                state = "VENCIDO / PAST"
            else:
                state = "informativo / informational" if d.rule.informational else "abierto / open"
            late = f" ({d.working_days_late} días hábiles de retraso / working days late)" if d.is_past else ""
            unit = "días hábiles" if d.rule.unit == "working_days" else "años"
            print(f"  {d.date.isoformat()}  {d.rule.label.es} / {d.rule.label.en}\n"
                  f"      {d.rule.term} {unit} desde/from {d.from_date.isoformat()} — {d.basis} — {state}{late}"
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
    today = args.today or date.today()
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


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="puente: %(message)s")
    args = build_parser().parse_args(argv)
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
        if args.command == "template-sheet":
            write_template_workbook(Path(args.file))
            print(f"-> {args.file}")
            return 0
    except UsageError as exc:
        print(f"puente: {exc}", file=sys.stderr)
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
