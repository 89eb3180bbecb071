"""The warm converters (documents/converters.py) with real LibreOffice: a
batch through them, a LibreOffice killed in the middle of a batch, a
document LibreOffice cannot open, a hung LibreOffice, and the replacement
of a worker after K documents. Nothing is mocked: the failures are real
signals sent to the real processes."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docassemble.puente.calendar import WorkingCalendar
from docassemble.puente.documents import converters
from docassemble.puente.documents.converters import ConverterPool
from docassemble.puente.law import default_law
from docassemble.puente.pipeline import Options, generate

from .conftest import EXAMPLES, ROOT

pytestmark = [pytest.mark.pdf, pytest.mark.skipif(
    not converters.available(), reason="LibreOffice or its UNO bindings (python3-uno) not installed")]

TODAY = date(2026, 11, 23)


def group_members(pgid: int) -> list[int]:
    """The processes of a process group (a worker and its LibreOffice)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                pids.append(int(proc.name))
    return pids


def office_pids(marker: str) -> list[int]:
    """Running soffice.bin processes whose command line names ``marker``."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if "soffice.bin" in cmdline and marker in cmdline and state != "Z":
                pids.append(int(proc.name))
    return pids


def documents(folder: Path, n: int) -> list[Path]:
    """``n`` DOCX files to convert (copies of two real templates)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = ROOT / "templates" / ("screening_es.docx" if i % 2 else "rights_sheet_en.docx")
        target = folder / f"doc{i}.docx"
        target.write_bytes(src.read_bytes())
        out.append(target)
    return out


def test_a_batch_through_warm_converters_survives_a_killed_libreoffice(tmp_path):
    """Three cases; when the first has landed, every LibreOffice of the run
    is killed (os.kill): the others still land whole, with every PDF."""
    src_cases = sorted(EXAMPLES.glob("*.yaml"))[:3]
    raws = [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in src_cases]
    out = tmp_path / "out"
    killed: list[int] = []
    warm: list[bool] = []

    def on_case(result):
        if not killed:
            pids = office_pids(str(out))
            warm.append(bool(pids) and all(
                "--accept=pipe" in Path(f"/proc/{pid}/cmdline").read_bytes().decode() for pid in pids))
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            killed.extend(pids or [0])

    law = default_law()
    results = generate(raws, out, law, WorkingCalendar(law.calendar),
                       Options(languages=("es",), jobs=2, today=TODAY), on_case=on_case)
    assert killed[0] > 0 and warm == [True], "no warm LibreOffice was running after the first case"
    assert [r.status for r in results] == ["ok"] * 3, [(r.case_id, r.errors) for r in results]
    for r in results:
        assert r.documents and all(d.pdf and d.pages and d.pages >= 1 for d in r.documents)
        for d in r.documents:
            assert len(PdfReader(str(out / d.pdf)).pages) == d.pages
    # the manifest (rewritten from converter threads while later cases
    # rendered) lists every case as it finished, documents included
    entries = {e["case_id"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"]}
    assert {cid: len(e["documents"]) for cid, e in entries.items()} == {r.case_id: len(r.documents) for r in results}
    assert not office_pids(str(out)) and not (out / ".staging").exists()
    assert not list(out.rglob(".~lock*")), "a killed LibreOffice's lock file landed in a case"


def test_a_broken_document_fails_alone_and_workers_are_replaced_after_k(tmp_path):
    """One worker, K = 3: a file LibreOffice cannot open is tried twice and
    reported; the documents before and after it (and the other "cases")
    convert; the worker is replaced each time it reaches three documents."""
    docs = documents(tmp_path / "docs", 5)
    broken = tmp_path / "docs" / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is no Word document")
    with ConverterPool(tmp_path / "lo", 1, max_docs=3) as pool:
        first = pool.convert(docs[:2])
        second = pool.convert([broken, docs[2]])
        third = pool.convert(docs[3:])
        starts = pool.worker_starts()
    assert set(first[0]) == set(docs[:2]) and not first[1]
    assert set(second[0]) == {docs[2]} and set(second[1]) == {broken}
    assert "could not open" in second[1][broken]
    assert set(third[0]) == set(docs[3:]) and not third[1]
    # 2 + 2 attempts at the broken file + 1 + 2 = 7 conversions, 3 per worker
    assert starts == 3
    for pdf in [*first[0].values(), *second[0].values(), *third[0].values()]:
        assert len(PdfReader(str(pdf)).pages) >= 1
    assert not broken.with_suffix(".pdf").exists()
    assert not (tmp_path / "lo").exists() or not any((tmp_path / "lo").iterdir())


def test_an_idle_pool_shares_one_case_among_its_workers(tmp_path):
    """The first case of a run does not wait for one LibreOffice alone."""
    docs = documents(tmp_path / "docs", 4)
    with ConverterPool(tmp_path / "lo", 2) as pool:
        done, failed = pool.convert(docs)
        shares = sorted(w.docs for w in pool.workers)
    assert set(done) == set(docs) and not failed
    assert shares == [2, 2]


def test_a_hung_libreoffice_is_replaced_and_the_document_retried(tmp_path):
    """LibreOffice stopped (SIGSTOP) in the middle of a case: after the
    timeout the worker is killed, a new one converts the document again."""
    docs = documents(tmp_path / "docs", 3)
    with ConverterPool(tmp_path / "lo", 1, timeout=8) as pool:
        assert set(pool.convert(docs[:1])[0]) == {docs[0]}  # warm
        leader = pool.worker_pids()[0]
        members = [pid for pid in group_members(leader) if pid != leader]
        assert members, "LibreOffice is not in the worker's process group"
        for pid in members:
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        done, failed = pool.convert(docs[1:])
        took = time.monotonic() - started
        assert set(done) == set(docs[1:]) and not failed
        assert pool.worker_starts() == 2 and took >= 8
        assert not any(Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text()
                       for pid in members), "the hung LibreOffice was left running"
    assert not group_members(leader)


def test_closing_the_pool_while_it_starts_leaves_nothing(tmp_path):
    """A run that ends (or is stopped) while LibreOffice is still starting."""
    pool = ConverterPool(tmp_path / "lo", 2)
    deadline = time.monotonic() + 30
    while not pool.worker_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    leaders = pool.worker_pids()
    closer = threading.Thread(target=pool.close)
    closer.start()
    closer.join(timeout=30)
    assert not closer.is_alive()
    assert leaders
    # SIGKILLed processes leave /proc a moment after the signal (LibreOffice's
    # many threads take a few milliseconds to tear down): nothing may remain.
    deadline = time.monotonic() + 10
    while any(group_members(pid) for pid in leaders) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(group_members(pid) for pid in leaders)
