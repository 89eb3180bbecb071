"""Nothing lost, nothing leaked: the output folder under bad ids, repeated
ids, two runs at once, a run killed with ``kill -9`` in the middle of the
PDF conversion, and re-runs that finish only what is missing."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import docassemble.puente
from docassemble.puente.cli import main

from .conftest import EXAMPLES, needs_soffice

# The checkout whose code is under test (for the commands run as processes).
CODE = Path(docassemble.puente.__file__).resolve().parents[2]

TODAY = "2026-11-23"


def ana(**changes) -> dict:
    data = yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def manifest(out: Path) -> dict[str, dict]:
    return {c["case_id"]: c for c in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"]}


def puente(*args: str, **kw) -> subprocess.Popen:
    """The real command in its own process (PYTHONPATH: this checkout)."""
    env = dict(os.environ, PYTHONPATH=str(CODE))
    return subprocess.Popen([sys.executable, "-m", "docassemble.puente.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def soffice_pids(marker: str) -> list[int]:
    """LibreOffice processes whose command line names ``marker`` (our output folder)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and ("soffice" in cmdline or "oosplash" in cmdline):
            pids.append(int(proc.name))
    return pids


# ---------------------------------------------------------------------------
# Defect 1: a rejected case id never reaches outside --out


@pytest.mark.parametrize("bad", ["../victim", "ABSOLUTE"])
def test_a_rejected_case_id_deletes_nothing_outside_out(tmp_path, bad):
    # an absolute id short enough to be echoed whole (the old code cut ids at 64)
    victim = Path(tempfile.mkdtemp(prefix="v", dir="/tmp")) if bad == "ABSOLUTE" else tmp_path / "victim"
    victim.mkdir(exist_ok=True)
    (victim / "case.json").write_text("{}", encoding="utf-8")
    (victim / "keep.txt").write_text("mine", encoding="utf-8")
    case_id = str(victim) if bad == "ABSOLUTE" else bad
    src = write(tmp_path / "in" / "case.yaml", ana(case_id=case_id))
    code = main(["generate", str(src), "--out", str(tmp_path / "out"), "--no-pdf", "--quiet", "--today", TODAY])
    assert code == 1
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (victim / "case.json").exists()
    if bad == "ABSOLUTE":
        shutil.rmtree(victim)


@pytest.mark.parametrize("case_id", ["CON", "nul", "COM1", "LPT9.txt", "EX-1.", "A..B"])
def test_case_ids_windows_cannot_open_are_refused(tmp_path, case_id):
    src = write(tmp_path / "case.yaml", ana(case_id=case_id))
    code = main(["generate", str(src), "--out", str(tmp_path / "out"), "--no-pdf", "--quiet", "--today", TODAY])
    assert code == 1
    entry = next(iter(manifest(tmp_path / "out").values()))
    assert entry["status"] == "error" and entry["errors"][0]["field"] == "case_id"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["manifest.csv", "manifest.json"]


# ---------------------------------------------------------------------------
# Defect 2: a repeated id, or a row of no case, never deletes good output


def test_a_repeated_id_keeps_the_first_case_and_its_files(tmp_path):
    write(tmp_path / "in" / "a.yaml", ana())
    write(tmp_path / "in" / "b.yaml", ana())
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 1
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"]
    ok = [e for e in entries if e["status"] == "ok"]
    assert len(ok) == 1 and ok[0]["case_id"] == "EX-0001" and ok[0]["documents"]
    for doc in ok[0]["documents"]:
        assert (out / doc["docx"]).is_file(), doc["docx"]


def test_a_family_row_of_no_case_keeps_that_case_s_earlier_output(tmp_path):
    out = tmp_path / "out"
    assert main(["generate", str(write(tmp_path / "ana.yaml", ana())), "--out", str(out), "--no-pdf", "--quiet",
                 "--today", TODAY]) == 0
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "cases.csv").write_text("case_id,procedures\nEX-0099,asylum\n", encoding="utf-8")
    (sheets / "family.csv").write_text("case_id,given_names,family_names,relationship\nEX-0001,A,B,mother\n",
                                       encoding="utf-8")
    assert main(["batch", str(sheets / "cases.csv"), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 1
    assert (out / "EX-0001" / "es" / "asylum.docx").is_file()


def test_a_case_that_fails_now_still_removes_its_own_earlier_output(tmp_path):
    out = tmp_path / "out"
    src = write(tmp_path / "ana.yaml", ana())
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 0
    write(src, ana(child={**ana()["child"], "date_of_birth": "1990-01-01"}))
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 1
    assert not (out / "EX-0001").exists()


# ---------------------------------------------------------------------------
# Defect 3: one run at a time per output folder


def test_a_second_run_into_a_busy_out_is_refused_with_exit_2(tmp_path, capsys):
    from docassemble.puente.output import OutputFolder

    src = write(tmp_path / "ana.yaml", ana())
    out = tmp_path / "out"
    with OutputFolder(out):  # another run holds the folder
        code = main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY])
        err = capsys.readouterr().err
    assert code == 2
    assert "en uso por otra ejecución" in err and "in use by another Puente run" in err
    assert not (out / "EX-0001").exists()
    # the lock died with its holder: the next run goes through
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 0


def test_a_lock_held_by_a_killed_process_does_not_stay(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[2]);"
        "from docassemble.puente.output import OutputFolder;"
        "f = OutputFolder(sys.argv[1]).__enter__(); print('held', flush=True); time.sleep(60)"), str(out), str(CODE)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    src = write(tmp_path / "ana.yaml", ana())
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 2
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 0
    assert not (out / ".staging").exists() and not (out / ".puente.lock").exists()


# ---------------------------------------------------------------------------
# Resume: each case lands whole; a re-run finishes what is missing


def test_a_rerun_keeps_unchanged_cases_and_redoes_changed_ones(tmp_path):
    src = tmp_path / "in"
    for path in EXAMPLES.glob("*.yaml"):
        (src / path.name).parent.mkdir(exist_ok=True)
        (src / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    args = ["batch", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]
    assert main(args) == 0
    first = manifest(out)
    assert all(e["status"] == "ok" and e["fingerprint"] for e in first.values())
    stamp = (out / "EX-0002" / "es" / "derivative_status.docx").stat().st_mtime_ns
    data = yaml.safe_load((src / "ana-asylum.yaml").read_text(encoding="utf-8"))
    data["child"]["route"] = "Tecún Umán"
    write(src / "ana-asylum.yaml", data)
    assert main(args) == 0
    second = manifest(out)
    assert second["EX-0002"].get("skipped") and second["EX-0002"]["documents"] == first["EX-0002"]["documents"]
    assert second["EX-0002"]["warnings"] == first["EX-0002"]["warnings"]
    assert second["EX-0002"]["deadlines"] == first["EX-0002"]["deadlines"]
    assert (out / "EX-0002" / "es" / "derivative_status.docx").stat().st_mtime_ns == stamp
    assert not second["EX-0001"].get("skipped") and second["EX-0001"]["fingerprint"] != first["EX-0001"]["fingerprint"]
    # a missing file, or --force, redoes the case
    (out / "EX-0003" / "es" / "checklist.docx").unlink()
    assert main(args) == 0
    assert not manifest(out)["EX-0003"].get("skipped") and (out / "EX-0003" / "es" / "checklist.docx").is_file()
    assert main([*args, "--force"]) == 0
    assert not any(e.get("skipped") for e in manifest(out).values())
    # another day: the deadlines' "today" changed, every case is redone
    assert main([*args[:-1], "2026-11-24"]) == 0
    assert not any(e.get("skipped") for e in manifest(out).values())


def test_a_dead_run_s_staging_is_cleared(tmp_path):
    out = tmp_path / "out"
    left = out / ".staging" / "run-dead" / "cases" / "EX-0001" / "es"
    left.mkdir(parents=True)
    (left / "asylum.docx").write_bytes(b"left by a killed run")
    src = write(tmp_path / "ana.yaml", ana())
    assert main(["generate", str(src), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY]) == 0
    assert not (out / ".staging").exists()


def test_manifest_csv_cells_cannot_be_formulas(tmp_path):
    """Defect 6: ids and unknown headers starting with = + - @ are escaped."""
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "cases.csv").write_text(
        'case_id,"=HYPERLINK(""http://x"")",@SUM(A1)\n"=1+1",a,b\n+5,a,b\n-2,a,b\n', encoding="utf-8")
    out = tmp_path / "out"
    main(["batch", str(sheets / "cases.csv"), "--out", str(out), "--no-pdf", "--quiet", "--today", TODAY])
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=1+1" in cells


# ---------------------------------------------------------------------------
# Defects 3 and 8 with real LibreOffice: two runs at once; kill -9 during the
# conversion, then a re-run that completes with nothing left behind.


def _examples_in(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for path in sorted(EXAMPLES.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["case_id"] = f"{data['case_id']}-{n}"
            write(folder / f"{n}-{path.name}", data)
    return folder


def _wait_for(predicate, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _assert_output_complete(out: Path, expected: int) -> None:
    entries = manifest(out)
    assert len(entries) == expected and {e["status"] for e in entries.values()} == {"ok"}
    for entry in entries.values():
        for doc in entry["documents"]:
            reader = PdfReader(str(out / doc["pdf"]))
            assert len(reader.pages) == doc["pages"] >= 1
    assert not (out / ".staging").exists()


@pytest.mark.pdf
@needs_soffice()
def test_two_runs_into_one_out(tmp_path):
    src = _examples_in(tmp_path / "in")
    out = tmp_path / "out"
    first = puente("batch", str(src), "--out", str(out), "--today", TODAY, "--lang", "es", "--quiet")
    assert _wait_for(lambda: (out / ".staging").exists() or first.poll() is not None)
    second = puente("batch", str(src), "--out", str(out), "--today", TODAY, "--lang", "es", "--quiet")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 2, err
    assert "in use by another Puente run" in err and "Traceback" not in err
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    _assert_output_complete(out, len(list(EXAMPLES.glob("*.yaml"))))


@pytest.mark.pdf
@needs_soffice()
def test_kill_9_during_conversion_then_rerun(tmp_path):
    src = _examples_in(tmp_path / "in")
    out = tmp_path / "out"
    args = ("batch", str(src), "--out", str(out), "--today", TODAY, "--jobs", "2", "--lang", "es", "--quiet")
    run = puente(*args)
    # LibreOffice is converting (its profile lives in our staging folder)
    assert _wait_for(lambda: bool(soffice_pids(str(out)))), "LibreOffice never started"
    time.sleep(1.5)
    run.send_signal(signal.SIGKILL)
    run.communicate()
    # the guard kills LibreOffice's group when Puente dies
    assert _wait_for(lambda: not soffice_pids(str(out)), timeout=15), "orphaned LibreOffice"
    landed_before = manifest(out) if (out / "manifest.json").exists() else {}
    assert all(e["status"] == "ok" for e in landed_before.values())
    again = puente(*args)
    _, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    _assert_output_complete(out, len(list(EXAMPLES.glob("*.yaml"))))
    for case_id in landed_before:  # what landed before the kill was kept, not redone
        assert manifest(out)[case_id].get("skipped"), case_id
    assert not soffice_pids(str(out))
    assert not list(out.rglob("d0*.docx")) and not list(out.rglob("lo-*"))


def test_sigterm_leaves_no_staging(tmp_path):
    """A polite stop (SIGTERM) cleans up: nothing staged stays behind."""
    src = _examples_in(tmp_path / "in", copies=3)
    out = tmp_path / "out"
    run = puente("batch", str(src), "--out", str(out), "--today", TODAY, "--no-pdf", "--quiet")
    assert _wait_for(lambda: (out / "manifest.json").exists() or run.poll() is not None)
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=60)
    assert not (out / ".staging").exists() and not (out / ".puente.lock").exists()
    for entry in manifest(out).values():  # every case the manifest lists is whole
        for doc in entry["documents"]:
            assert (out / doc["docx"]).is_file()


def test_a_batch_killed_at_a_random_point_loses_nothing(tmp_path):
    """scripts/kill-and-resume.py with a few cases (the 1,000-case run is
    done by hand): kill -9 once some cases landed, run again, compare."""
    script = CODE / "scripts" / "kill-and-resume.py"
    run = subprocess.run([sys.executable, str(script), "--cases", "6", "--no-pdf", "--seed", "7",
                          "--work", str(tmp_path)], capture_output=True, text=True, timeout=600)
    summary = json.loads(run.stdout)
    assert run.returncode == 0 and summary["problems"] == [], summary
    assert summary["documents"] >= 6 * 10
