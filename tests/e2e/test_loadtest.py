"""A small run of the load test (tests/e2e/load.py; `make loadtest` runs
20 lawyers): 3 lawyers at once through the asylum interview to the
documents screen, with no error."""

from __future__ import annotations

from .conftest import ARTIFACTS, require_interview
from .load import markdown, run


def test_three_lawyers_at_once_without_errors(server):
    require_interview("asylum.yml")
    result = run(server.base, server.key, 3)
    (ARTIFACTS / "api").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "api" / "loadtest-smoke.md").write_text(markdown(result, "smoke run in the test suite"))
    print(markdown(result))
    assert result["errors"] == [], result["errors"]
    assert result["documents"] >= 3 * 4 and result["screens"] >= 3 * 10
    assert result["p95"] < 120


def test_full_load_when_asked(server):
    """`PUENTE_LOADTEST_USERS=20 pytest tests/e2e/test_loadtest.py` runs the
    whole load test inside a test run (the server the suite started) and
    writes docs/loadtest.md, as `make loadtest` does against `make serve`."""
    import os

    from .conftest import ROOT

    users = int(os.environ.get("PUENTE_LOADTEST_USERS", "0"))
    if not users:
        import pytest
        pytest.skip("PUENTE_LOADTEST_USERS is not set (make loadtest runs the full load test)")
    result = run(server.base, server.key, users)
    text = markdown(result, "run inside the end-to-end suite")
    (ROOT / "docs" / "loadtest.md").write_text("# Puente under load\n\n" + text, encoding="utf-8")
    print(text)
    assert result["errors"] == [], result["errors"]
