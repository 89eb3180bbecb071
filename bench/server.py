"""Timings through a running docassemble server (`make serve`), on loopback
only, over the REST API (issue 15, items 7 and 8):

    .venv/bin/python bench/server.py batch --cases 24      # the batch upload interview, N cases
    .venv/bin/python bench/server.py assembly --runs 3     # one case's documents in the asylum interview

``batch`` uploads N invented cases (the examples again and again under new
ids: every procedure, Spanish and English, DOCX and PDF) to the batch
interview and times the report, then the generation from the click to the
done screen (the parts fan out over the server's Celery workers), and
checks the ZIP's manifest. ``assembly`` drives the asylum interview with
EX-0001's facts to the documents screen and times the request that
assembles them (every document in both languages, DOCX and PDF).

bench/server-scaling.sh runs both against servers started with 1 and 2
Celery processes, and with and without unoserver. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.cases import answerer_for, load  # noqa: E402
from tests.e2e.daclient import Answerer, DAClient, checkbox_keys, checkboxes, drive, file_numbers  # noqa: E402

BATCH = "docassemble.puente:data/questions/batch.yml"
ASYLUM = "docassemble.puente:data/questions/asylum.yml"
STATE = Path(os.environ.get("PUENTE_STATE", ROOT / ".state"))


def client() -> DAClient:
    port = os.environ.get("PUENTE_PORT", "8080")
    return DAClient(f"http://127.0.0.1:{port}", (STATE / "secrets" / "api-key").read_text().strip())


def make_cases(path: Path, n: int) -> Path:
    examples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    cases = []
    for i in range(n):
        case = json.loads(json.dumps(examples[i % len(examples)], default=str))
        case["case_id"] = f"S-{i:04d}"
        cases.append(case)
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return path


def batch(n: int) -> dict:
    s = client().new_session(BATCH, lang="es")
    q = drive(s, Answerer({}), until=lambda q: q.get("id") == "batch upload", max_steps=5)
    keys = checkbox_keys(next(f for f in q["fields"] if f.get("variable_name") == "batch_languages"))
    with tempfile.TemporaryDirectory() as tmp:
        upload = make_cases(Path(tmp) / "cases.yaml", n)
        t0 = time.monotonic()
        q = s.post_file("batch_upload", upload, question_name=q["questionName"], extra={
            "batch_report_language": "es", "batch_upload_screen": True,
            "batch_languages": checkboxes("batch_languages", {k: True for k in keys})})
    q = s.wait_for(lambda q: q.get("id") == "batch report", limit=600, every=0.5)
    checked = time.monotonic() - t0
    t1 = time.monotonic()
    q = s.post({"batch_report_screen": True}, question_name=q["questionName"])
    q = s.wait_for(lambda q: q.get("id") in ("batch done", "batch failed", "batch busy"), limit=7200, every=1)
    generated = time.monotonic() - t1
    if q.get("id") == "batch busy":
        raise SystemExit("another batch of this account is still running (one batch per person)")
    if q.get("id") != "batch done":
        raise SystemExit("the batch failed on the server")
    zips = [n for n, name in file_numbers(q) if name.endswith(".zip")]
    with zipfile.ZipFile(io.BytesIO(s.file(zips[0]).content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        pdfs = sum(1 for name in zf.namelist() if name.endswith(".pdf"))
    status = [c["status"] for c in manifest["cases"]]
    documents = sum(len(c["documents"]) for c in manifest["cases"])
    out = {"cases": n, "ok": status.count("ok"), "documents": documents, "pdf_files": pdfs,
           "check_s": round(checked, 1), "generate_s": round(generated, 1),
           "docs_per_s": round(documents / generated, 2), "s_per_case": round(generated / n, 2)}
    out.update(part_times(s.session))
    if out.get("part_s_sum"):
        out["overlap"] = round(out["part_s_sum"] / generated, 2)
    return out


PART_START = re.compile(r"(ForkPoolWorker-\d+)\] background_action: .* session code is (\S+) and action is "
                        r"\{'action': 'puente_batch_part'")
PART_TIME = re.compile(r"(ForkPoolWorker-\d+)\] Time in background action was ([\d.]+)")


def part_times(session: str) -> dict:
    """From the worker's log (`make serve` writes it): how many part tasks
    ran for ``session``, on how many worker processes, and their summed
    time; summed time over wall time says how much the parts overlapped."""
    log = STATE / "log" / "celery.log"
    if not os.access(log, os.R_OK):
        return {}
    running: dict[str, bool] = {}
    seconds, workers, parts = 0.0, set(), 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if m := PART_START.search(line):
            running[m.group(1)] = m.group(2) == session
        elif (m := PART_TIME.search(line)) and running.pop(m.group(1), False):
            seconds += float(m.group(2))
            workers.add(m.group(1))
            parts += 1
    return {"parts": parts, "worker_processes": len(workers), "part_s_sum": round(seconds, 1)}


def assembly(runs: int, per_document: bool = False) -> dict:
    times, documents = [], 0
    for run in range(runs):
        case = load("EX-0001")
        case["case_id"] = f"ASM-{run:03d}"
        s = client().new_session(ASYLUM, lang="es")
        last: list[float] = []
        original = s.post

        def timed(*a, original=original, last=last, **k):
            t = time.monotonic()
            try:
                return original(*a, **k)
            finally:
                last.append(time.monotonic() - t)

        s.post = timed  # type: ignore[method-assign]
        q = drive(s, answerer_for(case), until=lambda q: q.get("id") == "documents")
        names = [name for _, name in file_numbers(q)]
        documents = sum(1 for name in names if name.endswith((".pdf", ".docx")))
        if not any(name.endswith(".pdf") for name in names):
            raise SystemExit("no PDF on the documents screen")
        times.append(last[-1])  # the request whose answer is the documents screen: the assembly
    out = {"runs": runs, "documents": documents, "assembly_s": [round(t, 2) for t in times],
           "median_s": round(sorted(times)[len(times) // 2], 2)}
    if per_document:
        out["per_document_s"] = one_process_each(s, q)
    return out


def one_process_each(s, q: dict) -> float:
    """The same DOCX, each converted by a LibreOffice process of its own
    (docassemble's path for an interview's attachments without unoconv):
    seconds for all of them, one after the other, with one warm profile."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for number, name in file_numbers(q):
            if name.endswith(".docx"):
                path = folder / f"{len(files):02d}-{Path(name).name}"
                path.write_bytes(s.file(number).content)
                files.append(path)
        profile = (folder / "profile").as_uri()

        def convert(path: Path) -> None:
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(folder / "pdf"), str(path)], check=True, capture_output=True, timeout=300)

        convert(files[0])  # the profile is made once, as a server's is
        t = time.monotonic()
        for path in files:
            convert(path)
        return round(time.monotonic() - t, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("batch").add_argument("--cases", type=int, default=24)
    asm = sub.add_parser("assembly")
    asm.add_argument("--runs", type=int, default=3)
    asm.add_argument("--per-document", action="store_true",
                     help="also convert the same DOCX with one LibreOffice process each")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    result = batch(args.cases) if args.what == "batch" else assembly(args.runs, args.per_document)
    result.update({"label": os.environ.get("BENCH_LABEL", ""), "what": args.what, "cpus": os.cpu_count(),
                   "load_before": round(load_before, 1),
                   "load_after": round(os.getloadavg()[0], 1)})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
