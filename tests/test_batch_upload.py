"""The batch upload interview, in process: the upload is read in a
background task; hostile case ids and column headers come back escaped; the
template's example row is left out and said so; the report's "where" column
is in the report's language; the ZIP never holds a path outside its root."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest
import yaml

from tests import da_harness as h

from .batch_files import filled_template, zip_bomb
from .conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not h.docassemble_available(),
                                reason="docassemble.base is not installed (`make test` installs it)")

HOSTILE_ID = '<img src=x onerror="document.title=\'pwned\'">'
HOSTILE_HEADER = "<script>alert(1)</script>[x](javascript:alert(2))"


@pytest.fixture(scope="module", autouse=True)
def booted():
    h.boot()


@pytest.fixture(scope="module")
def ana() -> dict:
    return yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))


def report(upload: Path, lang: str) -> tuple[h.Session, h.Screen]:
    script = {"batch_upload": str(upload), "batch_report_language": lang, "batch_languages": ["es"]}
    session = h.Session("batch.yml", url_args={"lang": lang})
    screen = session.run(script, until="batch report")
    return session, screen


def test_hostile_ids_and_headers_are_escaped(tmp_path, ana):
    hostile = copy.deepcopy(ana)
    hostile["case_id"] = HOSTILE_ID
    good = dict(copy.deepcopy(ana), case_id="T-0001")
    upload = filled_template(tmp_path / "cases.xlsx", [good, hostile], header_extra=HOSTILE_HEADER)
    _, screen = report(upload, "en")
    body = screen.subquestion
    assert "<img" not in body and "<script" not in body and "](javascript:" not in body, body
    assert "&lt;img src=x onerror=" in body
    assert "&lt;script&gt;" in body
    assert "T-0001" in body


def test_template_example_row_is_skipped_and_named(tmp_path, ana):
    upload = filled_template(tmp_path / "cases.xlsx", [dict(copy.deepcopy(ana), case_id="T-0001")])
    session, screen = report(upload, "es")
    check = session.eval("batch_check")
    assert [r["case_id"] for r in check.rows] == ["T-0001"]
    assert "Se omitió la fila de ejemplo de la plantilla (EX-0001" in screen.subquestion
    assert "hoja cases, fila 2" in screen.subquestion  # where the example row was
    assert "hoja cases, fila 3" in screen.subquestion  # the real case
    assert "sheet cases" not in screen.subquestion and ", row " not in screen.subquestion


def test_zip_bomb_gives_a_bilingual_report_line(tmp_path):
    for lang, words in (("es", "se descomprime en"), ("en", "unpacks to")):
        _, screen = report(zip_bomb(tmp_path / "casos.xlsx"), lang)
        assert words in screen.subquestion
        assert "/tmp" not in screen.subquestion  # no server path


def test_unreadable_upload_is_a_message_not_an_error_page(tmp_path):
    bad = tmp_path / "cases.yaml"
    bad.write_bytes(b"\xff\xfe\x00 not yaml \x00")
    _, screen = report(bad, "en")
    assert screen.id == "batch report"
    assert "Cannot read cases.yaml" in screen.subquestion


def test_zip_never_holds_a_path_outside_its_root(tmp_path):
    from docassemble.puente.da import _zip_folder

    out = tmp_path / "out"
    (out / "A-1").mkdir(parents=True)
    (out / "A-1" / "case.json").write_text("{}")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (out / "A-1" / "link.txt").symlink_to(outside)
    (out / "escape").symlink_to(tmp_path)
    target = tmp_path / "x.zip"
    _zip_folder(out, target)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    assert names == ["A-1/case.json"], names


def test_one_batch_at_a_time_per_person(monkeypatch):
    """A second upload of the same person waits (its own screen) until the
    first batch is done; the first one is never blocked by itself."""
    from types import SimpleNamespace

    from docassemble.puente import da

    monkeypatch.setattr(da, "user_info", lambda: SimpleNamespace(id=7))

    assert da.batch_slot_take("session-A")
    assert da.batch_slot_take("session-A")  # the holder may ask again (page reloads)
    assert not da.batch_slot_take("session-B")
    da.batch_slot_free("session-B")  # only the holder frees it
    assert not da.batch_slot_take("session-B")
    da.batch_slot_free("session-A")
    assert da.batch_slot_take("session-B")
    monkeypatch.setattr(da, "user_info", lambda: SimpleNamespace(id=8))
    assert da.batch_slot_take("session-C")  # another person is never held up
    da.batch_slot_free("session-C")
    monkeypatch.setattr(da, "user_info", lambda: SimpleNamespace(id=7))
    da.batch_slot_free("session-B")


@pytest.fixture
def part_size():
    """Set ``puente: {batch part size: N}`` for one test."""
    import docassemble.base.config as da_config

    def set_size(n):
        da_config.daconfig["puente"]["batch part size"] = n

    yield set_size
    da_config.daconfig["puente"].pop("batch part size", None)


def _examples_upload(tmp_path: Path) -> tuple[Path, int]:
    by_id = {c["case_id"]: c for c in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES.glob("*.yaml"))}
    cases = [by_id["EX-0001"], by_id["EX-0002"], by_id["EX-0003"]]
    bad = dict(copy.deepcopy(cases[0]), case_id="BAD-1")
    bad["child"] = {k: v for k, v in bad["child"].items() if k != "entry_date"}
    upload = tmp_path / "cases.yaml"
    upload.write_text(yaml.safe_dump(cases + [bad], allow_unicode=True), encoding="utf-8")
    return upload, len(cases)


def _generate(upload: Path) -> h.Session:
    script = {"batch_upload": str(upload), "batch_report_language": "en", "batch_languages": ["es", "en"]}
    session = h.Session("batch.yml")
    screen = session.run(script, until="batch report")
    session.answer(screen, script)
    session.run(script, until="batch done")
    return session


def _part_actions() -> list[int]:
    return [t.args[6]["arguments"]["part"] for t in h._TASKS if t.args[6]["action"] == "puente_batch_part"]


def test_cases_fan_out_as_background_tasks(tmp_path, part_size):
    """One docassemble background task per part; each stores its results
    in the session's store (encrypted, like the answers), the page collects
    them, one more task packs the ZIP; the parts' keys and copies are gone
    afterwards. A task's arguments name a part, never a case."""
    part_size(1)
    upload, n = _examples_upload(tmp_path)
    session = _generate(upload)
    assert _part_actions() == [0, 1, 2, 3]  # three cases and the invalid one, one part each
    assert all(set(t.args[6]["arguments"]) <= {"part"} for t in h._TASKS)
    result = session.eval("batch_result")
    assert (result["ok"], result["total"]) == (n, n + 1)
    with zipfile.ZipFile(result["zip"].path()) as zf:
        names = zf.namelist()
        manifest = yaml.safe_load(zf.read("manifest.json"))
    assert [c["case_id"] for c in manifest["cases"]] == ["EX-0001", "EX-0002", "EX-0003", "BAD-1"]
    assert {"EX-0001/es/asylum.docx", "EX-0003/en/family_reunification.docx", "manifest.csv"} <= set(names)
    run_id = session.eval("batch_parts.run_id")
    keys = [k for k in h.SQL_STORE if f"puente-batch:{run_id}:" in k]
    assert [k.rsplit(":", 1)[1] for k in keys] == ["result"]  # the parts' entries were removed
    assert all(h.SQL_STORE[k][1] for k in keys)  # stored encrypted (the session's key)
    assert session.eval("batch_parts.cases_done()") == n + 1
    copies = [Path(h._file_info(k)["path"]) for k, v in h._FILES.items()
              if v["filename"].startswith("puente-batch-part-")]
    assert len(copies) >= 4 and all(c.stat().st_size == 0 for c in copies)  # the parts' ZIPs were emptied


def test_a_failed_part_is_retried_case_by_case(tmp_path, part_size, monkeypatch):
    """A part whose task fails is cut into single cases, each tried again in
    a task of its own; the one that fails again is reported alone, with its
    case id, in Spanish and English; the others are produced."""
    from docassemble.puente import da

    real = da.run_part

    def run_part(raws, indices, *args, **kwargs):
        if any(raws[i][1].get("case_id") == "EX-0002" for i in indices):
            raise OSError("disk full")
        return real(raws, indices, *args, **kwargs)

    monkeypatch.setattr(da, "run_part", run_part)
    part_size(2)
    upload, n = _examples_upload(tmp_path)
    session = _generate(upload)
    assert _part_actions() == [0, 1, 2, 3]  # parts [EX-0001, EX-0002] and [EX-0003, BAD-1]; then 0 split in two
    assert session.eval("batch_parts.parts") == [[0, 1], [2, 3], [0], [1]]
    result = session.eval("batch_result")
    assert result["ok"] == n - 1
    with zipfile.ZipFile(result["zip"].path()) as zf:
        manifest = yaml.safe_load(zf.read("manifest.json"))
        names = zf.namelist()
    status = {c["case_id"]: c["status"] for c in manifest["cases"]}
    assert status == {"EX-0001": "ok", "EX-0002": "error", "EX-0003": "ok", "BAD-1": "error"}
    error = next(c for c in manifest["cases"] if c["case_id"] == "EX-0002")["errors"][0]
    assert error["message_es"].startswith("El servidor no pudo producir los documentos de este caso")
    assert error["message_en"].startswith("The server could not produce this case's documents")
    assert "EX-0001/es/asylum.docx" in names and not any(x.startswith("EX-0002/") for x in names)
    screen = session.assemble()
    assert screen.id == "batch done" and f"Se generaron {n - 1} de {n + 1} casos" in screen.subquestion


def test_a_part_that_hangs_is_given_up(tmp_path, part_size):
    """A part that started longer ago than the part timeout (its worker hung
    or died) is taken for lost: its case is reported alone and the batch
    ends; what the lost task stores later is ignored."""
    part_size(1)
    upload, n = _examples_upload(tmp_path)
    script = {"batch_upload": str(upload), "batch_report_language": "en", "batch_languages": ["es", "en"]}
    session = h.Session("batch.yml")
    screen = session.run(script, until="batch report")
    session.answer(screen, script)
    screen = session.assemble()  # the parts are queued, none has run
    assert screen.id == "batch waiting" and "0 de 4 casos listos" in screen.subquestion
    session.exec("from docassemble.puente.da import _batch_store\n"
                 "_batch_store().set(batch_parts._key('0:started'), 1.0)")  # part 0 started long ago
    screen = session.assemble()
    assert "1 de 4 casos listos" in screen.subquestion  # given up: reported
    session.run(script, until="batch done")
    with zipfile.ZipFile(session.eval("batch_result")["zip"].path()) as zf:
        manifest = yaml.safe_load(zf.read("manifest.json"))
    status = {c["case_id"]: c["status"] for c in manifest["cases"]}
    assert status == {"EX-0001": "error", "EX-0002": "ok", "EX-0003": "ok", "BAD-1": "error"}
    assert manifest["cases"][0]["errors"][0]["message_en"].startswith("The server could not produce")
