"""Kill a batch at a random point with SIGKILL, run it again, and check that
nothing was lost: every case in the manifest, every document on disk with
the hash the manifest gives, the cases finished before the kill kept (not
redone), no staging folder, no LibreOffice left running.

    .venv/bin/python scripts/kill-and-resume.py --cases 1000 --no-pdf
    .venv/bin/python scripts/kill-and-resume.py --cases 60 --jobs 2

Prints a JSON summary; exit 0 when nothing was lost. `tests/test_reliability.py`
runs it with a few cases; the 1,000-case run is done by hand (docs/cli.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def make_cases(folder: Path, n: int) -> None:
    """``n`` cases: the examples again and again under new ids."""
    examples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    cases = []
    for i in range(n):
        case = json.loads(json.dumps(examples[i % len(examples)], default=str))
        case["case_id"] = f"K-{i:05d}"
        cases.append(case)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")


def soffice_running(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline and ("soffice" in cmdline or "oosplash" in cmdline):
                pids.append(int(proc.name))
    return pids


def landed(out: Path) -> dict[str, dict]:
    try:
        return {c["case_id"]: c for c in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"]}
    except (OSError, ValueError):
        return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lang", default="es,en", help="languages to produce (es: half the documents)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--work", metavar="DIR", help="work folder (default: a temporary one, removed)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="puente-kill-"))
    src, out = work / "in", work / "out"
    make_cases(src, args.cases)
    command = [sys.executable, "-m", "docassemble.puente.cli", "batch", str(src / "cases.yaml"), "--out", str(out),
               "--today", "2026-11-23", "--quiet", "--jobs", str(args.jobs), "--lang", args.lang]
    command += ["--no-pdf"] if args.no_pdf else []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # Kill once a random share (5%-95%) of the cases has landed.
    target = max(1, int(args.cases * rng.uniform(0.05, 0.95)))
    started = time.monotonic()
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while run.poll() is None and len(landed(out)) < target:
        time.sleep(0.05)
    killed_at = time.monotonic() - started
    was_running = run.poll() is None
    run.send_signal(signal.SIGKILL)
    run.wait()
    before = {cid: c for cid, c in landed(out).items() if c["status"] == "ok"}
    time.sleep(1)
    orphans_after_kill = soffice_running(str(out))
    started = time.monotonic()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    rerun_s = time.monotonic() - started
    after = landed(out)
    problems = []
    if rerun.returncode != 0:
        problems.append(f"rerun exit {rerun.returncode}: {rerun.stderr[-500:]}")
    if len(after) != args.cases or any(c["status"] != "ok" for c in after.values()):
        problems.append(f"{len(after)} cases in the manifest, {sum(c['status'] == 'ok' for c in after.values())} ok")
    missing = bad_hash = 0
    for case in after.values():
        for doc in case.get("documents", []):
            path = out / (doc.get("pdf") or doc["docx"])
            if not path.is_file():
                missing += 1
            elif hashlib.sha256(path.read_bytes()).hexdigest() != doc["sha256"]:
                bad_hash += 1
    redone = [cid for cid in before if not after.get(cid, {}).get("skipped")]
    if missing or bad_hash:
        problems.append(f"{missing} documents missing, {bad_hash} with another hash than the manifest's")
    if redone:
        problems.append(f"{len(redone)} cases finished before the kill were produced again")
    if (out / ".staging").exists():
        problems.append("a staging folder is left")
    if orphans_after_kill or soffice_running(str(out)):
        problems.append("LibreOffice processes outlived the run")
    summary = {
        "cases": args.cases, "pdf": not args.no_pdf, "seed": seed, "killed_while_running": was_running,
        "killed_after_s": round(killed_at, 1), "landed_before_kill": len(before), "rerun_s": round(rerun_s, 1),
        "documents": sum(len(c.get("documents", [])) for c in after.values()), "problems": problems,
    }
    print(json.dumps(summary, indent=2))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
