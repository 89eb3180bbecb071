"""From case records to the output folder: validate, render, convert, pack,
write the manifest. The command line, the batch upload interview and the
guided interview all call ``generate``; nothing here imports docassemble.

Each case is built in a staging folder and moved into place only when every
document of it succeeded, so a case that fails leaves no files behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from . import __version__
from .calendar import WorkingCalendar
from .documents.context import DocumentContext, document_title
from .documents.packet import PacketPart, build_packet
from .documents.pdf import convert_to_pdf
from .documents.protect import encrypt_pdf, redact_context, redaction_for, remaining_secrets, set_metadata
from .documents.render import render_docx, template_file
from .errors import Problem, PuenteError
from .i18n import N_
from .ics import deadlines_to_ics
from .law import Law, default_law
from .model import Case, to_dict
from .review import docx_paragraphs
from .review import refresh as refresh_review
from .review import summary as review_summary
from .stage import case_stage, documents_to_produce, needs_carta_poder
from .validate import parse_case

log = logging.getLogger("puente")

# Document kinds in packet order: the filings first (what is due soonest after
# the first filing leads), then supporting documents.
FILINGS = ("review_appeal", "prevention_reply", "ratification", "residence_change",
           "asylum", "derivative_status", "family_reunification", "coadyuvante")
# The carta poder goes behind the filings it accredits counsel in (LFPA art. 19).
PACKET_KINDS = FILINGS + ("carta_poder",)
SUPPORTING = ("restitution_plan", "screening", "rights_sheet", "checklist")
MEXICO_TZ = ZoneInfo("America/Mexico_City")


@dataclass
class Options:
    languages: tuple[str, ...] = ("es", "en")
    pdf: bool = True
    jobs: int = 1
    today: date | None = None
    redact: bool = False          # also write public versions under <case>/redacted/
    password: str | None = None   # encrypt every PDF (AES-256); never stored


@dataclass
class DocumentRecord:
    kind: str
    language: str
    docx: str
    pdf: str | None = None
    pages: int | None = None
    sha256: str | None = None
    redacted: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class CaseResult:
    case_id: str
    status: str = "ok"
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    source: str = ""
    case: Case | None = None
    review: dict | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "case_id": self.case_id,
            "status": self.status,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }
        if self.status == "ok":
            out["flags"] = self.flags
            out["deadlines"] = self.deadlines
        out["documents"] = [d.to_dict() for d in self.documents]
        if self.review:
            out["review"] = review_summary(self.review)
        if self.source:
            out["source"] = self.source
        return out


# The child's own sheet is also written in the child's language when we have
# it (many children in Tapachula speak Haitian Creole, French or Portuguese).
CHILD_LANGUAGES = ("fr", "ht", "pt")


def document_plan(case: Case, languages: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, language) pairs to produce for a case: its filings and
    supporting documents whose template exists, in every output language."""
    filings = documents_to_produce(case, case_stage(case, default_law(), WorkingCalendar(default_law().calendar)))
    kinds = [k for k in FILINGS if k in filings]
    kinds += ["carta_poder"] if needs_carta_poder(case, filings) else []
    kinds += list(SUPPORTING)
    langs = [lang for lang in ("es", "en") if lang in languages and lang in case.output_languages]
    plan: list[tuple[str, str]] = [(k, lang) for k in kinds for lang in langs]
    plan += [("rights_sheet", lang) for lang in CHILD_LANGUAGES if lang in case.child.languages]
    return [(k, lang) for k, lang in plan if template_file(k, lang).exists()]


def missing_templates(case: Case, languages: Iterable[str]) -> list[str]:
    return [k for k in FILINGS if k in case.procedures
            for lang in languages if lang in case.output_languages and not template_file(k, lang).exists()]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


class Progress:
    """A one-line progress bar on a terminal; silent in a pipe or with --quiet."""

    def __init__(self, total: int, label: str, enabled: bool):
        self.total, self.label, self.n = total, label, 0
        self.enabled = enabled and sys.stderr.isatty() and total > 0

    def step(self, n: int = 1) -> None:
        self.n += n
        if self.enabled:
            width = 30
            done = int(width * self.n / self.total)
            sys.stderr.write(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {self.n}/{self.total}")
            sys.stderr.flush()
            if self.n >= self.total:
                sys.stderr.write("\n")


def generate(
    raw_cases: list[tuple[str, Any]],
    out_dir: Path,
    law: Law,
    calendar: WorkingCalendar,
    options: Options,
    *,
    read_problems: list[Problem] | None = None,
    progress: bool = False,
    now: datetime | None = None,
    on_case: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Produce every document of every valid case under ``out_dir`` and write
    ``manifest.json`` and ``manifest.csv``. ``raw_cases`` is a list of
    (source, mapping) pairs as the readers give them."""
    today = options.today or date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()

    results: list[CaseResult] = []
    seen: set[str] = set()
    for problem in read_problems or []:
        results.append(CaseResult(case_id=problem.case_id or "?", status="error", errors=[problem]))

    # 1. Validate and render DOCX.
    bar = Progress(len(raw_cases), "DOCX", progress)
    pending: list[tuple[CaseResult, Path, list[tuple[str, str, Path]]]] = []
    for source, data in raw_cases:
        case, problems = parse_case(data, today=today)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        cid = (case.case_id if case else next((p.case_id for p in problems if p.case_id), None)) or source
        result = CaseResult(case_id=cid, errors=errors, warnings=warnings, source=source, case=case)
        if case is not None and case.case_id in seen:
            result.errors.append(Problem(
                "case_id", N_("This case id appears twice in the input; each case needs its own."),
                case_id=case.case_id))
            case = None
        if case is None:
            result.status = "error"
            results.append(result)
            bar.step()
            continue
        seen.add(cid)  # the case's own id, which validation requires
        try:
            dc = DocumentContext.build(case, law, calendar)
            result.flags = [f.id for f in dc.flags]
            result.deadlines = [d.to_dict() for d in dc.deadlines]
            result.warnings += _rule_warnings(case, dc)
            case_dir = staging / cid
            rendered = []
            for kind, lang in document_plan(case, options.languages):
                docx = case_dir / lang / f"{kind}.docx"
                render_docx(kind, lang, dc.for_language(lang), docx)
                rendered.append((kind, lang, docx))
            if options.redact:
                for kind, lang in document_plan(case, options.languages):
                    ctx = redact_context(dc.for_language(lang), redaction_for(case, lang))
                    ctx["case"] = None  # templates must print context phrases, never raw record fields
                    docx = case_dir / "redacted" / lang / f"{kind}.docx"
                    render_docx(kind, lang, ctx, docx)
                    rendered.append((kind, lang, docx))
            record = to_dict(case)
            record.pop("review", None)
            _write_json(case_dir / "case.json", record)
            (case_dir / "deadlines.ics").write_text(
                deadlines_to_ics(cid, dc.deadlines, calendar.name, "es"), encoding="utf-8", newline="")
            pending.append((result, case_dir, rendered))
        except PuenteError as exc:
            log.error("case %s: %s", case.case_id, exc)
            result.status = "error"
            result.errors.append(Problem("", N_("The documents could not be produced: {detail}"),
                                         {"detail": str(exc)}, case_id=case.case_id))
        results.append(result)
        bar.step()

    # 2. PDF: all documents of the batch through a few LibreOffice processes.
    if options.pdf and pending:
        all_docx = [docx for _, _, rendered in pending for _, _, docx in rendered]
        bar = Progress(1, f"PDF ({len(all_docx)})", progress)
        converted = convert_to_pdf(all_docx, jobs=options.jobs)
        bar.step()
    else:
        converted = {}

    # 3. Records, packets, and the move into place.
    for result, case_dir, rendered in pending:
        assert result.case is not None  # only valid cases are pending
        try:
            for kind, lang, docx in rendered:
                rel = docx.relative_to(case_dir).with_suffix("")
                redacted = rel.parts[0] == "redacted"
                record = DocumentRecord(kind, lang, f"{result.case_id}/{rel}.docx", redacted=redacted or None)
                if options.pdf:
                    pdf = converted.get(docx)
                    if pdf is None:
                        raise PuenteError(f"LibreOffice did not convert {rel}.docx")
                    title = f"{document_title(law, kind, lang)} — {result.case_id}"
                    set_metadata(pdf, title + (" (versión pública)" if redacted else ""), lang)
                    if redacted and remaining_secrets(pdf, redaction_for(result.case, lang)):
                        raise PuenteError(f"the public version {rel}.pdf still shows protected data; not written")
                    record.pdf = f"{result.case_id}/{rel}.pdf"
                    record.pages = _pdf_pages(pdf)
                result.documents.append(record)
            if options.pdf:
                for lang in ("es", "en"):
                    parts = [PacketPart(document_title(law, kind, lang), case_dir / lang / f"{kind}.pdf")
                             for kind, doc_lang, docx in rendered
                             if doc_lang == lang and kind in PACKET_KINDS and docx.parent == case_dir / lang]
                    if parts:
                        annexes = _annexes([(part.title, part.pdf.with_suffix(".docx")) for part in parts])
                        build_packet(parts, annexes, case_dir / f"packet.{lang}.pdf",
                                     case_id=result.case_id, lang=lang)
                if options.password:
                    for pdf in case_dir.rglob("*.pdf"):
                        encrypt_pdf(pdf, options.password)
            for record in result.documents:  # hashes of the files as finally written
                record.sha256 = _sha256(case_dir / Path(record.pdf or record.docx).relative_to(result.case_id))
            _carry_review(result, case_dir, out_dir / result.case_id)
            final = out_dir / result.case_id
            if final.exists():
                shutil.rmtree(final)
            shutil.move(str(case_dir), final)
        except (PuenteError, OSError) as exc:
            log.error("case %s: %s", result.case_id, exc)
            result.status = "error"
            result.documents = []
            result.errors.append(Problem("", N_("The documents could not be produced: {detail}"),
                                         {"detail": str(exc)}, case_id=result.case_id))
        if on_case:
            on_case(result)
    shutil.rmtree(staging, ignore_errors=True)
    # A case that failed now must not leave the output of an earlier run.
    for result in results:
        if result.status == "error" and result.case_id and (out_dir / result.case_id).is_dir() \
                and (out_dir / result.case_id / "case.json").exists():
            shutil.rmtree(out_dir / result.case_id)
    write_manifest(results, out_dir, calendar, now=now)
    return results


def _carry_review(result: CaseResult, case_dir: Path, old_dir: Path) -> None:
    """Bring a sign-off forward (from the input record or from the case.json
    of the previous run in the same folder) and mark it stale if anything
    it covered has changed."""
    previous = result.case.review if result.case else None
    old = old_dir / "case.json"
    if previous is None and old.exists():
        previous = json.loads(old.read_text(encoding="utf-8")).get("review")
    if not previous:
        return
    record = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    result.review = refresh_review(previous, record, case_dir)
    record["review"] = result.review
    _write_json(case_dir / "case.json", record)


ANNEX_LINE = re.compile(r"^((?:Anexo|Exhibit)\s+\d+)\.\s*(.+)$")


def _annexes(filings: list[tuple[str, Path]]) -> list[tuple[str, list[str]]]:
    """The annexes each filing lists in its evidence section, read from the
    rendered document itself, so the index matches the filings exactly."""
    out = []
    for title, docx in filings:
        lines = [f"{m.group(1)}. {m.group(2)}" for m in map(ANNEX_LINE.match, docx_paragraphs(docx)) if m]
        if lines:
            out.append((title, lines))
    return out


def _rule_warnings(case: Case, dc: DocumentContext) -> list[Problem]:
    """Warnings that need the deadlines (case-schema.md)."""
    out = []
    filing = next((d for d in dc.deadlines if d.id == "asylum_filing"), None)
    if filing and not filing.is_past and case.claim.late_filing_reasons:
        out.append(Problem("claim.late_filing_reasons",
                           N_("Late-filing reasons were given but the application is filed on time (deadline "
                              "{deadline}); they will not be printed."),
                           {"deadline": filing.date.isoformat()}, case_id=case.case_id, severity="warning"))
    if filing and filing.is_past and not case.claim.late_filing_reasons:
        out.append(Problem("claim.late_filing_reasons",
                           N_("The application is late (deadline {deadline}) and no late-filing reasons were given: "
                              "add them so the filing can justify the delay."),
                           {"deadline": filing.date.isoformat()}, case_id=case.case_id, severity="warning"))
    return out


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_manifest(results: list[CaseResult], out_dir: Path, calendar: WorkingCalendar, *,
                   now: datetime | None = None) -> dict:
    now = now or datetime.now(MEXICO_TZ)
    manifest = {
        "generated_at": now.isoformat(timespec="seconds"),
        "version": __version__,
        "calendar": {"name": calendar.name, "extra_days": calendar.describe()["extra_days"]},
        "cases": [r.to_dict() for r in results],
    }
    _write_json(out_dir / "manifest.json", manifest)
    with (out_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "status", "flags", "asylum_filing_deadline", "asylum_filing_status",
                         "working_days_late", "documents", "errors_es", "errors_en", "warnings_es", "warnings_en"])
        for r in results:
            filing = next((d for d in r.deadlines if d["id"] == "asylum_filing"), {})
            writer.writerow([
                r.case_id, r.status, ";".join(r.flags), filing.get("date", ""), filing.get("status", ""),
                filing.get("working_days_late", ""), len(r.documents),
                " | ".join(f"{p.field}: {p.message_es}" for p in r.errors),
                " | ".join(f"{p.field}: {p.message_en}" for p in r.errors),
                " | ".join(f"{p.field}: {p.message_es}" for p in r.warnings),
                " | ".join(f"{p.field}: {p.message_en}" for p in r.warnings),
            ])
    return manifest
