"""The benchmark (bench/bench.py, `make bench`) runs: a 2-case smoke run
without PDFs, so `make test` keeps it working without paying for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"docs_per_s", "ceiling_docs_per_s", "per_doc_docs_per_s", "ratio_to_ceiling", "speedup_vs_per_doc",
        "first_case_s", "rerun_ms_per_case", "peak_rss_mb", "n_cases"}


def test_bench_smoke_run(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--cases", "2", "--no-pdf",
                          "--results", str(results)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads(results.read_text(encoding="utf-8"))
    assert KEYS <= set(data)
    assert data["n_cases"] == 2 and data["docs"] >= 20 and data["docs_per_s"] > 0
    assert data["rerun_skipped"] == 2 and data["rerun_ms_per_case"] > 0
    assert data["peak_rss_mb"] > 10 and 0 < data["first_case_s"] <= data["wall_s"]
