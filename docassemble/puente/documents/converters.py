"""Warm converters: a pool of long-running LibreOffice workers for a batch.

Starting LibreOffice costs seconds, converting one document once it runs a
fraction of one. ``soffice --convert-to`` pays the start once per call, so
the batch used to convert in units of dozens of documents, and the first
case waited for a whole unit. Here each worker (``uno_worker.py``, under a
Python with LibreOffice's UNO bindings) keeps one LibreOffice running for
the whole run and converts one document per request, so each case can be
converted, and land, as soon as it is rendered.

The rules of ``pdf.py`` hold: each worker's profile, HOME and TMPDIR are in
the folder the caller gives (inside ``<out>/.staging``); each worker is the
leader of its own process group with LibreOffice in it, registered so that
``pdf.kill_running`` kills it; and a worker kills its group as soon as its
stdin closes, which happens when Puente dies, even by ``kill -9``.

A worker is replaced when LibreOffice crashes, when a document takes longer
than the timeout (a hang), and after ``max_docs`` documents (LibreOffice's
memory grows over thousands of documents). A document whose conversion
fails, or kills or hangs its worker, is tried once more on a fresh worker;
if it fails again it is reported (``failed``) and its case alone fails.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ..errors import RenderError
from . import pdf

log = logging.getLogger("puente")

WORKER = Path(__file__).with_name("uno_worker.py")
# Pythons that may have LibreOffice's UNO bindings: Debian's (python3-uno)
# and the one LibreOffice's own packages bring; PUENTE_UNO_PYTHON first.
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python")
START_TIMEOUT = 120.0   # seconds for LibreOffice to start and accept the bridge
DOC_TIMEOUT = 60.0      # seconds for one document: longer is a hang
MAX_DOCS = 500          # documents per worker before it is replaced
ATTEMPTS = 2            # a document is tried once more before its case fails
START_FAILURES = 3      # workers that fail to start in a row: LibreOffice is broken


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that can ``import uno`` (None: warm converters unavailable,
    the batch converts with ``soffice --convert-to``)."""
    own = os.environ.get("PUENTE_UNO_PYTHON")
    for candidate in ([own] if own else []) + list(UNO_PYTHONS):
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            check = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30,
                                   env=dict(os.environ, PYTHONPATH=""))
        except (OSError, subprocess.TimeoutExpired):
            continue
        if check.returncode == 0:
            return candidate
    return None


def available() -> bool:
    return pdf.find_soffice() is not None and uno_python() is not None


class WorkerLost(Exception):
    """The worker died, hung or never started; it has been stopped."""


class _Worker:
    """One uno_worker.py process and the LibreOffice it runs."""

    def __init__(self, workdir: Path, index: int):
        self.workdir, self.index = workdir, index
        self.proc: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.office_pid: int | None = None
        self.docs = 0
        self.starts = 0
        self.lock = threading.Lock()  # start/stop against the warm-up thread
        self._buffer = b""
        self._ended = False  # the last _read met the end of the worker's output

    # -- life ------------------------------------------------------------
    def start(self) -> None:
        soffice, python = pdf.find_soffice(), uno_python()
        if soffice is None or python is None:
            raise WorkerLost("LibreOffice or its UNO bindings (python3-uno) are not installed")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"w{self.index}-", dir=self.workdir))
        profile = self.folder / "profile"
        # LibreOffice writes into HOME and TMPDIR: both inside the work folder.
        env = dict(os.environ, HOME=str(self.folder), TMPDIR=str(self.folder), PYTHONPATH="")
        pipe = "puente-" + secrets.token_hex(12)  # random: no one can take the name first
        self.proc = subprocess.Popen(
            [python, str(WORKER), soffice, profile.as_uri(), pipe], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=self.folder, start_new_session=True)
        with pdf._running_lock:
            pdf._running[self.proc] = self.folder
        self._buffer, self.docs = b"", 0
        self.starts += 1
        reply = self._read(time.monotonic() + START_TIMEOUT)
        if reply is None or "ready" not in reply:
            self.stop()
            raise WorkerLost("LibreOffice did not start")
        self.office_pid = int(reply["ready"])

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            pdf._kill_group(proc)  # the worker and its LibreOffice, whatever state they are in
            if proc.stdin:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            proc.wait()
            # Once more, now that the leader is gone: a LibreOffice process
            # forked while the first signal was on its way is still in the
            # group (the group outlives its leader while it has members).
            pdf._kill_group(proc)
            if proc.stdout:
                proc.stdout.close()
            with pdf._running_lock:
                pdf._running.pop(proc, None)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.office_pid = None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ensure(self, max_docs: int) -> None:
        """A running worker with room for one more document."""
        with self.lock:
            if self.running() and self.docs >= max_docs:
                log.info("converter %d: %d documents, replaced", self.index, self.docs)
                self.stop()
            if not self.running():
                self.stop()  # what is left of a dead one
                self.start()

    # -- work ------------------------------------------------------------
    def convert(self, src: Path, target: Path, timeout: float) -> str | None:
        """Convert one document: None when done, the error LibreOffice gave
        otherwise (the worker still runs); ``WorkerLost`` when the worker
        crashed or took longer than ``timeout`` (it is stopped)."""
        assert self.proc is not None and self.proc.stdin is not None and self.folder is not None
        self.docs += 1
        # Written in the worker's own folder and moved into place when
        # complete: a LibreOffice killed half-way leaves nothing in the case.
        written = self.folder / "out.pdf"
        written.unlink(missing_ok=True)
        try:
            self.proc.stdin.write((json.dumps({"in": str(src), "out": str(written)}) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            self.stop()
            raise WorkerLost("LibreOffice had stopped") from None
        reply = self._read(time.monotonic() + timeout)
        if reply is None:
            hung = not self._ended
            self.stop()
            raise WorkerLost("LibreOffice took too long (stopped)" if hung else "LibreOffice crashed")
        if not reply.get("ok"):
            return str(reply.get("error") or "LibreOffice could not convert it")
        if not written.is_file() or written.stat().st_size == 0:
            return "LibreOffice wrote no PDF"
        os.replace(written, target)
        return None

    def _read(self, deadline: float) -> dict | None:
        """The worker's next answer, or None if it ended (``_ended``) or the
        deadline passed."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        self._ended = False
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
                chunk = os.read(fd, 65536)
                if not chunk:
                    self._ended = True
                    return None
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            data = json.loads(line)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


class ConverterPool:
    """``size`` warm LibreOffice workers, shared by the threads that call
    ``convert`` (each call holds one worker for its documents)."""

    def __init__(self, workdir: Path, size: int, *, max_docs: int = MAX_DOCS, timeout: float = DOC_TIMEOUT):
        self.workdir, self.max_docs, self.timeout = Path(workdir), max(1, max_docs), timeout
        self.workers = [_Worker(self.workdir, i) for i in range(max(1, size))]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._start_failures = 0
        self._closed = False
        for worker in self.workers:
            self._idle.put(worker)
        # Start every LibreOffice now, in the background, so that the first
        # case finds them warm; convert() waits for its worker's start.
        for worker in self.workers:
            threading.Thread(target=self._warm, args=(worker,), daemon=True).start()

    def __enter__(self) -> "ConverterPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _warm(self, worker: _Worker) -> None:
        try:
            worker.ensure(self.max_docs)
        except WorkerLost:
            pass  # convert() tries again and reports it
        except OSError as exc:
            log.warning("converter %d did not start: %s", worker.index, exc)

    def _ensure(self, worker: _Worker) -> None:
        if self._closed:
            raise RenderError("the converters were closed")
        if self._start_failures >= START_FAILURES:
            raise RenderError("LibreOffice does not start (warm converters); see the log or use --no-pdf")
        try:
            worker.ensure(self.max_docs)
        except (WorkerLost, OSError):
            self._start_failures += 1
            raise
        self._start_failures = 0

    def convert(self, files: list[Path]) -> tuple[dict[Path, Path], dict[Path, str]]:
        """Convert each DOCX to a PDF beside it. Returns (docx -> pdf for
        those converted, docx -> why for those that failed twice)."""
        if self._closed:
            raise RenderError("the converters were closed")
        workers = [self._idle.get()]
        # Workers idle right now help with this case (at the start of a run,
        # or whenever rendering is slower than converting): its documents are
        # shared out and the case lands sooner. A busy pool gives one worker.
        while len(workers) < len(files):
            try:
                workers.append(self._idle.get_nowait())
            except queue.Empty:
                break
        done: dict[Path, Path] = {}
        failed: dict[Path, str] = {}
        try:
            if len(workers) == 1:
                self._convert_on(workers[0], files, done, failed)
            else:
                with ThreadPoolExecutor(max_workers=len(workers)) as helpers:
                    shares = [helpers.submit(self._convert_on, worker, files[i::len(workers)], done, failed)
                              for i, worker in enumerate(workers)]
                    for share in shares:
                        share.result()
        finally:
            for worker in workers:
                self._idle.put(worker)
        return done, failed

    def _convert_on(self, worker: _Worker, files: list[Path], done: dict[Path, Path],
                    failed: dict[Path, str]) -> None:
        for src in files:
            target = src.with_suffix(".pdf")
            why = ""
            for _ in range(ATTEMPTS):
                try:
                    self._ensure(worker)
                    target.unlink(missing_ok=True)
                    error = worker.convert(src, target, self.timeout)
                except (WorkerLost, OSError) as exc:
                    why = str(exc)
                    log.warning("converter %d: %s (%s)", worker.index, why, src.name)
                    continue
                if error is None and target.is_file() and target.stat().st_size > 0:
                    done[src] = target
                    break
                why = error or "LibreOffice wrote no PDF"
            else:
                failed[src] = why

    def worker_pids(self) -> list[int]:
        """The pid of each running worker (the leader of its process group)."""
        return [w.proc.pid for w in self.workers if w.proc is not None and w.running()]

    def worker_starts(self) -> int:
        return sum(w.starts for w in self.workers)

    def close(self) -> None:
        self._closed = True
        for worker in self.workers:
            proc = worker.proc
            if proc is not None:
                pdf._kill_group(proc)  # a worker still starting gives up at once
        for worker in self.workers:
            with worker.lock:
                worker.stop()

