"""Limits on a batch upload, checked before any parser opens the file: each
gives a clear message in Spanish and English, within a second."""

from __future__ import annotations

import time
import zipfile

import pytest
import yaml

from docassemble.puente.errors import InputError
from docassemble.puente.readers import read_input
from docassemble.puente.upload_limits import UploadLimits, check_upload

from .batch_files import filled_template, many_rows, zip_bomb
from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def ana() -> dict:
    return yaml.safe_load((EXAMPLES / "ana-asylum.yaml").read_text(encoding="utf-8"))


def refused(path, limits=None) -> InputError:
    limits = limits or UploadLimits()
    t = time.monotonic()
    with pytest.raises(InputError) as err:
        check_upload(path, limits)
    assert time.monotonic() - t < 5, "a limit must answer within seconds"
    return err.value


def test_zip_bomb_is_refused_before_openpyxl(tmp_path):
    bomb = zip_bomb(tmp_path / "casos.xlsx")
    assert bomb.stat().st_size < 1024 * 1024  # small on disk, 200 MB inflated
    problem = refused(bomb).problem
    assert "200 MB" in problem.text("en") and "40 MB" in problem.text("en")
    assert problem.text("es").startswith("casos.xlsx se descomprime en 200 MB")
    assert "/" not in problem.text("es").split(" ")[0]  # the file's name, not a server path


def test_too_many_rows_is_refused_quickly(tmp_path, ana):
    path = many_rows(tmp_path / "big.xlsx", ana, 3_000)
    problem = refused(path).problem
    assert "more than 200 cases" in problem.text("en")
    assert "más de 200 casos" in problem.text("es")


def test_row_cap_counts_only_filled_rows(tmp_path, ana):
    path = many_rows(tmp_path / "ok.xlsx", ana, 200)
    check_upload(path)  # 200 cases are allowed
    refused(path, UploadLimits(max_cases=199))


def test_the_template_with_cases_passes(tmp_path, ana):
    path = filled_template(tmp_path / "cases.xlsx", [dict(ana, case_id="T-1")])
    check_upload(path)
    raws, problems = read_input(path)
    assert [r.case_id for r in raws] == ["EX-0001", "T-1"], problems


def test_csv_rows_and_sizes(tmp_path):
    csv_path = tmp_path / "cases.csv"
    csv_path.write_text("case_id;child.given_names\n" + "".join(f"C{n};X\n" for n in range(300)), encoding="utf-8")
    assert "300" not in refused(csv_path).problem.text("en")  # names the limit, not the content
    big = tmp_path / "cases.json"
    big.write_bytes(b"[" + b" " * (3 * 1024 * 1024) + b"]")
    assert "JSON" in refused(big).problem.text("en")
    huge = tmp_path / "cases.xlsx"
    huge.write_bytes(b"\0" * (6 * 1024 * 1024))
    assert "6 MB" in refused(huge).problem.text("es")


def test_not_a_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "cases.xlsx"
    bad.write_bytes(b"this is not a workbook")
    assert "not a valid Excel workbook" in refused(bad).problem.text("en")


def test_limits_from_the_server_configuration():
    limits = UploadLimits.from_config({"max cases": 50, "max bytes": "1000", "unknown": 3})
    assert limits.max_cases == 50 and limits.max_bytes == 1000
    assert UploadLimits.from_config(None) == UploadLimits()


def test_each_limit_message_is_translated(tmp_path):
    import inspect
    import re

    import docassemble.puente.upload_limits as mod
    from docassemble.puente.i18n import catalog
    source = inspect.getsource(mod)
    for message in re.findall(r'N_\("([^"]+)"\)', source):
        assert catalog("es").get(message), f"no Spanish for {message!r}"
    assert zipfile  # (used by batch_files)
