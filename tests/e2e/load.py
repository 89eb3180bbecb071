"""A bounded load test on loopback: N simulated lawyers at once, each going
through the asylum interview over docassemble's REST API, from the first
question to the documents screen, answering as tests/e2e/cases.py answers
(EX-0001's facts, each with its own case id). Reports errors (target 0),
the time each screen took to answer (p50, p95, max) and documents per
minute, and can write the result as a Markdown page.

    make loadtest                                  # 20 lawyers, writes docs/loadtest.md
    .venv/bin/python -m tests.e2e.load --users 3   # a smoke run; the server must be up

Only 127.0.0.1 is accepted as the target: this is not a tool to load
someone else's server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .cases import answerer_for, load
from .daclient import DAClient, drive, file_numbers

ROOT = Path(__file__).resolve().parents[2]
ASYLUM = "docassemble.puente:data/questions/asylum.yml"


@dataclass
class Lawyer:
    number: int
    screens: list[float] = field(default_factory=list)
    documents: int = 0
    error: str | None = None
    seconds: float = 0.0


def one_lawyer(base: str, key: str, number: int, start: threading.Barrier) -> Lawyer:
    me = Lawyer(number)
    case = load("EX-0001")
    case["case_id"] = f"LOAD-{number:03d}"
    answerer = answerer_for(case)
    client = DAClient(base, key)
    start.wait()
    t0 = time.monotonic()
    try:
        s = client.new_session(ASYLUM, lang="es")
        original = s.post

        def timed(*a, **k):
            t = time.monotonic()
            try:
                return original(*a, **k)
            finally:
                me.screens.append(time.monotonic() - t)

        s.post = timed  # type: ignore[method-assign]
        q = drive(s, answerer, until=lambda q: q.get("id") == "documents")
        me.documents = sum(1 for _, name in file_numbers(q) if name.endswith((".pdf", ".docx")))
        if not me.documents:
            me.error = "no documents on the documents screen"
    except Exception as exc:  # noqa: BLE001 - every failure is counted, named by type
        me.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    me.seconds = time.monotonic() - t0
    return me


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def run(base: str, key: str, users: int) -> dict:
    host = urlparse(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {host}: the load test runs on loopback only")
    barrier = threading.Barrier(users)
    results: list[Lawyer] = [None] * users  # type: ignore[list-item]

    def worker(n: int) -> None:
        results[n] = one_lawyer(base, key, n + 1, barrier)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(1800)
    wall = time.monotonic() - t0
    screens = [t for r in results if r for t in r.screens]
    documents = sum(r.documents for r in results if r)
    errors = [f"lawyer {r.number}: {r.error}" for r in results if r and r.error]
    return {
        "users": users, "wall_s": wall, "errors": errors, "screens": len(screens),
        "p50": statistics.median(screens) if screens else float("nan"),
        "p95": percentile(screens, 95), "max": max(screens) if screens else float("nan"),
        "documents": documents, "documents_per_minute": documents / (wall / 60) if wall else 0.0,
        "per_lawyer_s": statistics.median([r.seconds for r in results if r]) if results else float("nan"),
    }


def markdown(result: dict, note: str = "") -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load1 = os.getloadavg()[0]
    lines = [
        "## Load test (`make loadtest`)",
        "",
        f"{result['users']} simulated lawyers at once, each through the asylum interview over the REST API",
        "from the first question to the documents screen (EX-0001's facts, each its own case id), against",
        "`make serve` on 127.0.0.1 (one gunicorn worker with 8 threads, one Celery process, unoserver).",
        f"Measured {when} on {os.cpu_count()} cores ({platform.machine()}), load average {load1:.1f} when it ended"
        + (f"; {note}" if note else "") + ".",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| errors | **{len(result['errors'])}** (target 0) |",
        f"| screens answered | {result['screens']} |",
        f"| screen time p50 | {result['p50']:.2f} s |",
        f"| screen time p95 | {result['p95']:.2f} s |",
        f"| screen time max | {result['max']:.2f} s (the documents screen: assembly and PDF conversion) |",
        f"| documents made | {result['documents']} (DOCX and PDF) |",
        f"| documents per minute | {result['documents_per_minute']:.1f} |",
        f"| one lawyer's whole path (median) | {result['per_lawyer_s']:.0f} s |",
        f"| wall time | {result['wall_s']:.0f} s |",
        "",
    ]
    if result["errors"]:
        lines += ["Errors:", ""] + [f"* {e}" for e in result["errors"]] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--base", default=f"http://127.0.0.1:{os.environ.get('PUENTE_PORT', '8080')}")
    parser.add_argument("--state", default=os.environ.get("PUENTE_STATE", str(ROOT / ".state")))
    parser.add_argument("--write", help="write the result as Markdown to this file")
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 50:
        parser.error("--users: between 1 and 50 (a bounded test)")
    key = (Path(args.state) / "secrets" / "api-key").read_text().strip()
    result = run(args.base, key, args.users)
    text = markdown(result, args.note)
    print(text)
    if args.write:
        Path(args.write).write_text("# Puente under load\n\n" + text, encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
