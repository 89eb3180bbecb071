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
