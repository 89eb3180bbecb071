"""DOCX -> PDF with LibreOffice, many documents per LibreOffice process.

Starting LibreOffice costs seconds; converting a document once it runs costs
a fraction of one. So a whole batch is converted by a few long-running
``soffice --convert-to pdf`` calls, each given many files and its own
profile, never one process per document.

Nothing outlives the run: the documents are staged in a folder the caller
gives (inside the output folder, same filesystem and permissions, never the
system temp folder), LibreOffice's profile, HOME and TMPDIR are in it too,
and each LibreOffice runs in its own process group under a small guard that
kills the whole group when Puente dies, even by ``kill -9``.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import RenderError

log = logging.getLogger("puente")

SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")
TIMEOUT_PER_FILE = 60
TIMEOUT_BASE = 120
# Tagged PDF: headings, paragraphs, tables and reading order for screen
# readers (PDF/UA basics). The document's language is set afterwards
# (protect.set_metadata).
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
UNOSERVER_FILTER_OPTIONS = ["UseTaggedPDF=true"]


def find_soffice() -> str | None:
    for name in SOFFICE_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# The guard: leader of a new process group, it starts LibreOffice in that
# group and waits. Its stdin is a pipe from Puente; when Puente dies (even by
# SIGKILL) the pipe closes and the guard kills the whole group, so no
# LibreOffice (oosplash and the soffice.bin it forks) is left running.
_GUARD = r"""
import os, signal, subprocess, sys, threading
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
def watch():
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
sys.exit(child.wait())
"""

# Running guards and the work folder of each, so that one run (a server
# thread) can kill its own LibreOffice processes and not another's.
_running: dict[subprocess.Popen, Path] = {}
_running_lock = threading.Lock()


def kill_running(workdir: Path) -> None:
    """Kill every LibreOffice group started with a work folder inside
    ``workdir`` (a run that fails or gets a signal)."""
    with _running_lock:
        procs = [proc for proc, folder in _running.items() if folder.is_relative_to(workdir)]
    for proc in procs:
        _kill_group(proc)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_guarded(cmd: list[str], env: dict[str, str], timeout: float, workdir: Path) -> None:
    """Run ``cmd`` in its own process group that dies with this process."""
    proc = subprocess.Popen([sys.executable, "-c", _GUARD, *cmd], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    with _running_lock:
        _running[proc] = workdir
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError("LibreOffice did not finish converting in time") from None
    finally:
        # Whatever happened (timeout, KeyboardInterrupt, SystemExit from a
        # signal), the group goes: the guard and every LibreOffice process.
        _kill_group(proc)
        if proc.stdin:
            proc.stdin.close()
        proc.wait()
        with _running_lock:
            _running.pop(proc, None)


def _convert_chunk(soffice: str, files: list[Path], workdir: Path) -> dict[Path, Path]:
    """Convert ``files`` with one LibreOffice process; returns docx -> pdf for
    the files that converted. Files are staged under unique names because
    LibreOffice writes every PDF into one folder by stem."""
    workdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lo-", dir=workdir))
    try:
        stage, outdir, profile = tmp / "in", tmp / "out", tmp / "profile"
        stage.mkdir()
        outdir.mkdir()
        staged: dict[str, Path] = {}
        for i, src in enumerate(files):
            name = f"d{i:05d}.docx"
            shutil.copyfile(src, stage / name)
            staged[f"d{i:05d}"] = src
        cmd = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", PDF_FILTER, "--outdir", str(outdir),
            *[str(stage / f"{stem}.docx") for stem in staged],
        ]
        # LibreOffice writes into HOME and TMPDIR: both inside the work folder.
        env = dict(os.environ, HOME=str(tmp), TMPDIR=str(tmp))
        _run_guarded(cmd, env, TIMEOUT_BASE + TIMEOUT_PER_FILE * len(files), tmp)
        done = {}
        for stem, src in staged.items():
            pdf = outdir / f"{stem}.pdf"
            if pdf.exists() and pdf.stat().st_size > 0:
                target = src.with_suffix(".pdf")
                shutil.move(str(pdf), target)
                done[src] = target
        return done
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _convert_with_unoserver(address: str, files: list[Path]) -> dict[Path, Path]:
    """Convert through a running unoserver (``host:port``, or
    ``unix:/path`` for the socket of scripts/server/unoserver_unix.py), as on
    the docassemble server, where LibreOffice stays warm between requests."""
    if address.startswith("unix:"):
        from .unix_rpc import convert

        def convert_one(src: Path, target: Path) -> None:
            convert(address[len("unix:"):], str(src), str(target),
                    filtername="writer_pdf_Export", filter_options=UNOSERVER_FILTER_OPTIONS)
    else:
        from unoserver.client import UnoClient  # only where the server installed it

        host, _, port = address.partition(":")
        client = UnoClient(server=host, port=port or "2003")

        def convert_one(src: Path, target: Path) -> None:
            client.convert(inpath=str(src), outpath=str(target), convert_to="pdf",
                           filtername="writer_pdf_Export", filter_options=UNOSERVER_FILTER_OPTIONS)
    done = {}
    for src in files:
        target = src.with_suffix(".pdf")
        convert_one(src, target)
        if target.exists() and target.stat().st_size > 0:
            done[src] = target
    return done


def convert_to_pdf(files: list[Path], jobs: int = 1, workdir: Path | None = None) -> dict[Path, Path]:
    """Convert every DOCX in ``files`` to a PDF beside it.

    On a server that runs unoserver (``PUENTE_UNOSERVER=host:port``, set by
    scripts/server/start.sh) the running LibreOffice converts them; otherwise
    ``jobs`` LibreOffice processes run side by side, each with a share of the
    files. Returns docx -> pdf; a file missing from the result failed.
    LibreOffice's copies and profile live in ``workdir`` (default: a
    hidden folder beside the first file), removed when it is done.
    """
    files = list(files)
    if not files:
        return {}
    result: dict[Path, Path] = {}
    address = os.environ.get("PUENTE_UNOSERVER")
    if address:
        try:
            result.update(_convert_with_unoserver(address, files))
        except Exception as exc:  # unoserver down or missing: fall back, but say so
            log.warning("unoserver at %s failed (%s); converting with soffice", address, type(exc).__name__)
        files = [f for f in files if f not in result]
        if not files:
            return result
    soffice = find_soffice()
    if soffice is None:
        raise RenderError("LibreOffice (soffice) is not installed: install libreoffice-writer-nogui or use --no-pdf")
    jobs = max(1, min(jobs, len(files)))
    chunks = [files[i::jobs] for i in range(jobs)]
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix=".puente-lo-", dir=files[0].parent)) if workdir is None else Path(workdir)
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for done in pool.map(lambda chunk: _convert_chunk(soffice, chunk, folder), chunks):
                result.update(done)
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    return result
