"""From case records to the output folder: validate, render, convert, pack,
write the manifest. The command line, the batch upload interview and the
guided interview all call ``generate``; nothing here imports docassemble.

Each case is built in a staging folder inside the output folder and moved
into place, whole, as soon as every document of it succeeded, so a case that
fails leaves no files behind and a run that is killed keeps every case it
finished (``output.py``). The manifest is rewritten, atomically, after each
case; a run into the same folder skips the cases that are already done and
unchanged, and finishes the rest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sys
import textwrap
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sized

from . import __version__
from .calendar import WorkingCalendar
from .dates import office_timezone, today_in_mexico
from .documents import converters
from .documents.context import DocumentContext, document_title
from .documents.docx_text import lines as docx_paragraphs
from .documents.packet import PacketPart, build_packet
from .documents.pdf import convert_to_pdf, kill_running
from .documents.protect import encrypt_pdf, redact_context, redaction_for, remaining_secrets, set_metadata
from .documents.render import FILINGS, PACKET_KINDS, SUPPORTING, render_docx, template_file
from .errors import Problem, PuenteError
from .i18n import N_
from .ics import deadlines_to_ics
from .law import Law, default_law
from .model import Case, to_dict
from .output import OutputFolder, read_previous_manifest
from .resources import data_dir
from .review import refresh as refresh_review
from .review import summary as review_summary
from .stage import case_stage, documents_to_produce, needs_carta_poder
from .validate import parse_case, safe_case_id

log = logging.getLogger("puente")



@dataclass
class Options:
    languages: tuple[str, ...] = ("es", "en")
    pdf: bool = True
    jobs: int = 1
    today: date | None = None
    redact: bool = False          # also write public versions under <case>/redacted/
    password: str | None = None   # encrypt every PDF (AES-256); never stored
    force: bool = False           # redo every case, even those done and unchanged
    warm: bool = True             # warm converters when LibreOffice's UNO bindings are there
    keep_cases: bool = True       # each result keeps its Case (the interview uses it); not the command line


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
    fingerprint: str | None = None  # what the documents were made from (resume)
    public_failed: bool = False     # --redact: the public versions failed the check (status "partial")
    skipped: bool = False           # done by an earlier run and unchanged

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "case_id": self.case_id,
            "status": self.status,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }
        if self.status in ("ok", "partial"):
            out["flags"] = self.flags
            out["deadlines"] = self.deadlines
        out["documents"] = [d.to_dict() for d in self.documents]
        if self.review:
            out["review"] = review_summary(self.review)
        if self.source:
            out["source"] = self.source
        if self.status == "ok" and self.fingerprint:
            out["fingerprint"] = self.fingerprint
        if self.skipped:
            out["skipped"] = True
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


class Progress:
    """A one-line progress bar on a terminal; silent in a pipe or with --quiet.
    A stream of cases of unknown length gets a count instead of a bar."""

    def __init__(self, total: int | None, label: str, enabled: bool):
        self.total, self.label, self.n = total, label, 0
        self.enabled = enabled and sys.stderr.isatty() and total != 0

    def step(self, n: int = 1) -> None:
        self.n += n
        if self.enabled and self.total is None:
            sys.stderr.write(f"\r{self.label} {self.n}")
            sys.stderr.flush()
        elif self.enabled and self.total:
            width = 30
            done = int(width * self.n / self.total)
            sys.stderr.write(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {self.n}/{self.total}")
            sys.stderr.flush()
            if self.n >= self.total:
                sys.stderr.write("\n")


def generate(
    raw_cases: Iterable[tuple[str, Any]],
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
    ``manifest.json`` and ``manifest.csv``. ``raw_cases`` holds (source,
    mapping) pairs as the readers give them: a list, or a stream that is
    read as the run goes (then ``read_problems`` may grow meanwhile).

    Holds the output folder's lock for the whole run (``OutputBusy`` when
    another run has it). Each case lands as soon as its documents are done
    and the manifest is rewritten after each one, so a run that is killed
    keeps every finished case; the next run skips a case whose record,
    options and Puente itself are unchanged (``Options.force`` redoes all).
    """
    with OutputFolder(Path(out_dir)) as out:
        run = _Run(out, law, calendar, options, now=now, on_case=on_case)
        return run.generate(raw_cases, read_problems if read_problems is not None else [], progress)


class _Run:
    """One run of ``generate``: validation, rendering into staging,
    conversion in units of a few cases, and the landing of each case."""

    def __init__(self, out: OutputFolder, law: Law, calendar: WorkingCalendar, options: Options, *,
                 now: datetime | None, on_case: Callable[[CaseResult], None] | None):
        self.out, self.law, self.calendar, self.options = out, law, calendar, options
        self.today = options.today or today_in_mexico()
        self.now, self.on_case = now, on_case
        self.results: list[CaseResult] = []
        self._manifest_cache: dict[int, tuple[str, str]] = {}
        self._written_at, self._write_cost = 0.0, 0.0
        self.previous = {} if options.force else read_previous_manifest(out.root)
        self._lock = threading.RLock()  # results, manifest and landing, shared with converter threads
        # docx -> why LibreOffice failed on it (for the case's error message)
        self.conversion_errors: dict[Path, str] = {}
        # Warm converters (documents/converters.py) unless the server's
        # unoserver converts, or LibreOffice's UNO bindings are missing.
        self.warm = (options.pdf and options.warm and not os.environ.get("PUENTE_UNOSERVER")
                     and converters.available())
        self.converters: converters.ConverterPool | None = None

    def generate(self, raw_cases: Iterable[tuple[str, Any]], read_problems: list[Problem],
                 progress: bool) -> list[CaseResult]:
        taken = 0

        def take_problems() -> None:
            # A problem of the input (a repeated id, a row of no case) is about
            # that input only: it never touches a case folder. A stream of
            # cases (readers.iter_inputs) adds them as it finds them.
            nonlocal taken
            for problem in read_problems[taken:]:
                with self._lock:
                    self.results.append(CaseResult(case_id=problem.case_id or "?", status="error", errors=[problem]))
            taken = len(read_problems)

        take_problems()
        seen: set[str] = set()
        total = len(raw_cases) if isinstance(raw_cases, Sized) else None
        bar = Progress(total, "DOCX" if not self.options.pdf else "DOCX+PDF", progress)
        # Warm converters take each case as soon as it is rendered; without
        # them each unit pays a LibreOffice start, so units hold a few cases.
        cases = total if total is not None else 48
        unit_docs = 1 if self.warm else max(8, min(48, -(-cases * 12 // max(1, self.options.jobs))))
        # With warm converters a thread converts a case and then lands it; a
        # second thread per converter keeps the converters busy meanwhile.
        threads = self.options.jobs * (2 if self.warm else 1)
        pool = ThreadPoolExecutor(max_workers=threads) if self.options.pdf else None
        futures: dict[Future, list[_Pending]] = {}
        unit: list[_Pending] = []
        try:
            for source, data in raw_cases:
                take_problems()
                pending = self._prepare(source, data, seen)
                bar.step()
                if pending is None:
                    continue
                if pool is None:
                    self._finish(pending, {})
                    continue
                unit.append(pending)
                if sum(len(p.rendered) for p in unit) >= unit_docs:
                    futures[pool.submit(self._convert_and_land, unit)] = unit
                    unit = []
                self._land_converted(futures, block=False)
            take_problems()
            if unit and pool is not None:
                futures[pool.submit(self._convert_and_land, unit)] = unit
            self._land_converted(futures, block=True)
        except BaseException:
            # a signal or an error: no LibreOffice outlives the run, and none
            # is started again for the conversions still under way
            if self.converters is not None:
                self.converters.close()
            kill_running(self.out.staging)
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if self.converters is not None:
                self.converters.close()
            self._write_manifest(final=True)  # every case finished so far, even on a signal
        return self.results

    # -- 1. validate and render ------------------------------------------
    def _prepare(self, source: str, data: Any, seen: set[str]) -> "_Pending | None":
        case, problems = parse_case(data, today=self.today)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        cid = (case.case_id if case else next((p.case_id for p in problems if p.case_id), None)) or source
        # "pending" until this case is finished: a converter thread may rewrite
        # the manifest meanwhile, and must neither list it nor keep its entry
        result = CaseResult(case_id=cid, status="pending", errors=errors, warnings=warnings, source=source,
                            case=case)
        with self._lock:
            self.results.append(result)
        # Windows and macOS do not tell EX-1 from ex-1: one folder, one case.
        if case is not None and cid.casefold() in seen:
            result.errors.append(Problem(
                "case_id", N_("This case id appears twice in the input; each case needs its own."),
                case_id=cid))
            result.status = "error"  # the first case keeps its folder
            self._done(result)
            return None
        if case is None:
            result.status = "error"
            # Only a case whose own id is valid replaces (removes) what an
            # earlier run left for it; a raw, unchecked id is never a path.
            own_id = safe_case_id(data.get("case_id")) if isinstance(data, dict) else None
            if own_id and own_id.casefold() not in seen:
                seen.add(own_id.casefold())
                self.out.remove_case(own_id)
            self._done(result)
            return None
        seen.add(cid.casefold())  # the case's own id, which validation requires
        fingerprint = self._fingerprint(case)
        if self._skip(result, fingerprint):
            self._done(result)
            return None
        if self.warm and self.converters is None:
            # started by the first case to make (not on a re-run that keeps
            # every case); LibreOffice starts while this case renders
            self.converters = converters.ConverterPool(self.out.staging / "lo", self.options.jobs)
        case_dir = self.out.staged_case_dir(cid)
        try:
            dc = DocumentContext.build(case, self.law, self.calendar)
            result.flags = [f.id for f in dc.flags]
            result.deadlines = [d.to_dict() for d in dc.deadlines]
            result.warnings += _rule_warnings(case, dc)
            rendered = []
            for kind, lang in document_plan(case, self.options.languages):
                docx = case_dir / lang / f"{kind}.docx"
                # a fresh view per document: it carries the document's own
                # numbering and first-mention glosses (context.py)
                render_docx(kind, lang, dc.for_language(lang), docx)
                rendered.append((kind, lang, docx))
            if self.options.redact:
                rendered += self._render_public(case, dc, case_dir, result)
            record = to_dict(case)
            record.pop("review", None)
            _write_json(case_dir / "case.json", record)
            (case_dir / "deadlines.ics").write_text(
                deadlines_to_ics(cid, dc.deadlines, self.calendar.name, "es"), encoding="utf-8", newline="")
        except PuenteError as exc:
            log.error("case %s: %s", case.case_id, exc)
            self._fail(result, exc)
            shutil.rmtree(case_dir, ignore_errors=True)
            return None
        result.status = "pending"
        result.fingerprint = fingerprint
        return _Pending(result, case_dir, rendered)

    def _render_public(self, case: Case, dc: DocumentContext, case_dir: Path,
                       result: CaseResult) -> list[tuple[str, str, Path]]:
        """The public versions (``--redact``), each checked as DOCX at once
        (with or without PDFs). If one fails, none is written, and the
        filed documents still are."""
        out = []
        try:
            for kind, lang in document_plan(case, self.options.languages):
                redaction = redaction_for(case, lang)
                ctx = redact_context(dc.for_language(lang), redaction)
                ctx["case"] = None  # templates must print context phrases, never raw record fields
                docx = case_dir / "redacted" / lang / f"{kind}.docx"
                render_docx(kind, lang, ctx, docx)
                if remaining_secrets(docx, redaction):
                    raise PuenteError(f"the public version redacted/{lang}/{kind}.docx still shows protected data")
                out.append((kind, lang, docx))
        except PuenteError as exc:
            self._public_failed(result, case_dir, exc)
            return []
        return out

    def _public_failed(self, result: CaseResult, case_dir: Path, exc: Exception) -> None:
        log.error("case %s: %s", result.case_id, exc)
        shutil.rmtree(case_dir / "redacted", ignore_errors=True)
        result.public_failed = True
        result.errors.append(Problem(
            "", N_("The public version (--redact) could not be made safely, so none was written: {detail}. "
                   "The filed documents were produced."), {"detail": str(exc)}, case_id=result.case_id))

    # -- 2. convert ------------------------------------------------------
    def _convert(self, unit: list["_Pending"]) -> dict[Path, Path]:
        """A case's documents through a warm converter, or (without them)
        one LibreOffice process for the documents of a few cases."""
        docs = [docx for p in unit for _, _, docx in p.rendered]
        if self.converters is None:
            return convert_to_pdf(docs, jobs=1, workdir=self.out.staging / "lo")
        done, failed = self.converters.convert(docs)
        self.conversion_errors.update(failed)
        return done

    def _convert_and_land(self, unit: list["_Pending"]) -> None:
        """In a converter thread: convert a unit, then land its cases at
        once (the main thread goes on rendering)."""
        try:
            converted = self._convert(unit)
        except PuenteError as exc:
            with self._lock:
                for pending in unit:
                    log.error("case %s: %s", pending.result.case_id, exc)
                    self._fail(pending.result, exc)
                    self._done(pending.result)
            return
        for pending in unit:
            self._finish(pending, converted)

    def _land_converted(self, futures: dict[Future, list["_Pending"]], *, block: bool) -> None:
        """Collect the finished units; an unexpected error in a converter
        thread is raised here, in the main thread."""
        while futures:
            done = [f for f in futures if f.done()]
            if not done:
                if not block:
                    return
                wait(list(futures), return_when=FIRST_COMPLETED)
                continue
            for fut in done:
                futures.pop(fut)
                fut.result()

    # -- 3. records, packets, landing ------------------------------------
    def _finish(self, pending: "_Pending", converted: dict[Path, Path]) -> None:
        # One case lands at a time: converter threads and the main thread
        # share the results, the manifest and the output folder.
        with self._lock:
            self._finish_locked(pending, converted)

    def _finish_locked(self, pending: "_Pending", converted: dict[Path, Path]) -> None:
        result, case_dir, rendered = pending.result, pending.case_dir, pending.rendered
        options, law = self.options, self.law
        assert result.case is not None  # only valid cases are pending
        try:
            if options.pdf and any(d.parent.parent.name == "redacted" for _, _, d in rendered):
                rendered = self._check_public_pdfs(result, case_dir, rendered, converted)
            for kind, lang, docx in rendered:
                rel = docx.relative_to(case_dir).with_suffix("")
                redacted = rel.parts[0] == "redacted"
                record = DocumentRecord(kind, lang, f"{result.case_id}/{rel.as_posix()}.docx",
                                        redacted=redacted or None)
                if options.pdf:
                    pdf = converted.get(docx)
                    if pdf is None:
                        why = self.conversion_errors.pop(docx, "")
                        raise PuenteError(f"LibreOffice did not convert {rel.as_posix()}.docx"
                                          + (f" ({why})" if why else ""))
                    title = f"{document_title(law, kind, lang)} — {result.case_id}"
                    record.pages = set_metadata(pdf, title + (" (versión pública)" if redacted else ""), lang)
                    record.pdf = f"{result.case_id}/{rel.as_posix()}.pdf"
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
            _carry_review(result, case_dir, self.out.case_dir(result.case_id))
            self.out.land(case_dir, result.case_id)
            result.status = "partial" if result.public_failed else "ok"
        except (PuenteError, OSError) as exc:
            log.error("case %s: %s", result.case_id, exc)
            self._fail(result, exc)
            shutil.rmtree(case_dir, ignore_errors=True)
        self._done(result)

    def _check_public_pdfs(self, result: CaseResult, case_dir: Path, rendered: list[tuple[str, str, Path]],
                           converted: dict[Path, Path]) -> list[tuple[str, str, Path]]:
        """The fail-closed check of the public PDFs (text and metadata); on a
        leak every public version goes, the filed documents stay."""
        assert result.case is not None
        for kind, lang, docx in rendered:
            if docx.parent.parent.name != "redacted" or docx not in converted:
                continue
            pdf = converted[docx]
            set_metadata(pdf, f"{document_title(self.law, kind, lang)} — {result.case_id} (versión pública)", lang)
            if remaining_secrets(pdf, redaction_for(result.case, lang)):
                self._public_failed(result, case_dir, PuenteError(
                    f"the public version redacted/{lang}/{kind}.pdf still shows protected data"))
                return [r for r in rendered if r[2].parent.parent.name != "redacted"]
        return rendered

    def _fail(self, result: CaseResult, exc: Exception) -> None:
        result.status = "error"
        result.documents = []
        result.errors.append(Problem("", N_("The documents could not be produced: {detail}"),
                                     {"detail": str(exc)}, case_id=result.case_id))
        # A case that fails now must not leave the output of an earlier run.
        self.out.remove_case(result.case_id)

    def _done(self, result: CaseResult) -> None:
        """A case is finished (landed, skipped or failed): the manifest says so
        at once, so a run killed later keeps it."""
        with self._lock:
            self._write_manifest()
            if self.on_case:
                self.on_case(result)
            if not self.options.keep_cases:
                result.case = None  # memory stays flat over thousands of cases

    def _write_manifest(self, *, final: bool = False) -> None:
        """Rewrite the manifest with every finished case. Rewriting costs
        more as the list grows: between two cases it is skipped while the
        last rewrite took more than a tenth of the time since, so at
        thousands of cases it is rewritten every second or so, not after
        every case; the last rewrite always happens (also on a signal)."""
        now = time.monotonic()
        if not final and now - self._written_at < 10 * self._write_cost:
            return
        write_manifest([r for r in self.results if r.status != "pending"], self.out, self.calendar,
                       now=self.now, cache=self._manifest_cache)
        self._written_at = time.monotonic()
        self._write_cost = self._written_at - now

    # -- resume ------------------------------------------------------------
    def _fingerprint(self, case: Case) -> str:
        """What a case's documents depend on: its record, the options, the
        day, the calendar, and Puente itself (code, templates, law data)."""
        o = self.options
        basis = {
            "record": to_dict(case), "languages": list(o.languages), "pdf": o.pdf, "redact": o.redact,
            "encrypt": bool(o.password), "today": self.today.isoformat(),
            "calendar": self.calendar.describe(), "tool": tool_fingerprint(),
        }
        return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()

    def _skip(self, result: CaseResult, fingerprint: str) -> bool:
        """Take an unchanged case from the earlier run instead of redoing it:
        same fingerprint, status ok, every file still there (and, encrypted,
        opening with this password)."""
        old = self.previous.get(result.case_id)
        if not old or old.get("status") != "ok" or old.get("fingerprint") != fingerprint:
            return False
        root = self.out.root
        docs = old.get("documents") or []
        for d in docs:
            for key in ("docx", "pdf"):
                if d.get(key) and not (root / d[key]).is_file():
                    return False
        if not (root / result.case_id / "case.json").is_file():
            return False
        if self.options.password and not _opens_with(root / result.case_id, self.options.password):
            return False
        result.status = "ok"
        result.skipped = True
        # the warnings as the earlier run gave them (some need the deadlines)
        result.warnings = [_StoredProblem(w.get("field", ""), w.get("message_en", ""), case_id=result.case_id,
                                          severity="warning", es=w.get("message_es", ""))
                           for w in old.get("warnings", [])]
        result.fingerprint = fingerprint
        result.flags = old.get("flags", [])
        result.deadlines = old.get("deadlines", [])
        result.documents = [DocumentRecord(**{k: d.get(k) for k in DocumentRecord.__dataclass_fields__}) for d in docs]
        if old.get("review"):
            record = json.loads((root / result.case_id / "case.json").read_text(encoding="utf-8"))
            result.review = record.get("review")
        return True


@dataclass
class _StoredProblem(Problem):
    """A problem read back from an earlier manifest: its texts as written."""

    es: str = ""

    def text(self, lang: str) -> str:
        return self.es if lang == "es" else self.message


@dataclass
class _Pending:
    result: CaseResult
    case_dir: Path
    rendered: list[tuple[str, str, Path]]


def _opens_with(case_dir: Path, password: str) -> bool:
    from pypdf import PdfReader

    pdf = next(iter(sorted(case_dir.rglob("*.pdf"))), None)
    if pdf is None:
        return False
    try:
        reader = PdfReader(str(pdf))
        return bool(reader.is_encrypted and reader.decrypt(password))
    except Exception:  # noqa: BLE001 - an unreadable PDF is simply redone
        return False


@lru_cache(maxsize=None)
def tool_fingerprint() -> str:
    """A hash of Puente's version, code, templates, law data and messages:
    a case generated by a different Puente is generated again."""
    h = hashlib.sha256(__version__.encode())
    folders = [Path(__file__).resolve().parent, data_dir("templates"), data_dir("law"), data_dir("sources")]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".docx", ".yml", ".yaml", ".po", ".json", ".csv"):
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()


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
    """Warnings that need the deadlines (docs/case-record.md)."""
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


# A cell that starts with one of these is a formula to a spreadsheet
# (OWASP "CSV injection"): such a cell gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


MANIFEST_CSV_HEADER = ("case_id", "status", "flags", "asylum_filing_deadline", "asylum_filing_status",
                       "working_days_late", "documents", "errors_es", "errors_en", "warnings_es", "warnings_en")


def _manifest_parts(r: CaseResult) -> tuple[str, str]:
    """One case's entry of manifest.json (indented as inside "cases") and its
    row of manifest.csv."""
    entry = textwrap.indent(json.dumps(r.to_dict(), ensure_ascii=False, indent=2), "    ")
    filing = next((d for d in r.deadlines if d["id"] == "asylum_filing"), {})
    row = io.StringIO()
    csv.writer(row).writerow([csv_cell(cell) for cell in (
        r.case_id, r.status, ";".join(r.flags), filing.get("date", ""), filing.get("status", ""),
        filing.get("working_days_late", ""), len(r.documents),
        " | ".join(f"{p.field}: {p.message_es}" for p in r.errors),
        " | ".join(f"{p.field}: {p.message_en}" for p in r.errors),
        " | ".join(f"{p.field}: {p.message_es}" for p in r.warnings),
        " | ".join(f"{p.field}: {p.message_en}" for p in r.warnings),
    )])
    return entry, row.getvalue()


def write_manifest(results: list[CaseResult], out: OutputFolder | Path, calendar: WorkingCalendar, *,
                   now: datetime | None = None, cache: dict[int, tuple[str, str]] | None = None) -> None:
    """Write manifest.json and manifest.csv, each atomically (a reader, or a
    run killed half-way, sees the old file or the new one). ``cache`` keeps
    the text of finished cases between the rewrites of one run, so
    rewriting after every case stays cheap at thousands of cases."""
    now = now or datetime.now(office_timezone())
    cache = {} if cache is None else cache
    parts = []
    for r in results:
        part = cache.get(id(r))
        if part is None:
            part = _manifest_parts(r)
            cache[id(r)] = part
        parts.append(part)
    head = json.dumps({"generated_at": now.isoformat(timespec="seconds"), "version": __version__,
                       "calendar": {"name": calendar.name, "extra_days": calendar.describe()["extra_days"]}},
                      ensure_ascii=False, indent=2)
    cases = "[\n" + ",\n".join(entry for entry, _ in parts) + "\n  ]" if parts else "[]"
    text = head[:-2] + ',\n  "cases": ' + cases + "\n}\n"
    header = io.StringIO()
    csv.writer(header).writerow(MANIFEST_CSV_HEADER)
    table = header.getvalue() + "".join(row for _, row in parts)
    if isinstance(out, OutputFolder):
        out.write_text("manifest.json", text)
        out.write_text("manifest.csv", table)
    else:
        (Path(out) / "manifest.json").write_text(text, encoding="utf-8")
        (Path(out) / "manifest.csv").write_text(table, encoding="utf-8", newline="")
