"""A batch cut into parts (as the batch upload interview runs it, one
docassemble background task per part) gives the same output as one run:
the same case folders, the same manifest, a repeated case id still caught,
a broken case still reported alone; a part whose task failed is reported
case by case, in Spanish and English."""

from __future__ import annotations

import copy
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from docassemble.puente.batch_parts import (
    TASK_FAILED,
    auto_part_size,
    failed_results,
    merge_parts,
    plan_parts,
    run_part,
    split_part,
    zip_folder,
)
from docassemble.puente.errors import Problem
from docassemble.puente.pipeline import Options, generate

from .conftest import TODAY

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def raw(case_id, n=0):
    return (f"cases.json, case {n}", {"case_id": case_id})


def test_parts_keep_the_file_order_and_repeated_ids_together():
    raws = [raw("A-1", 1), raw("B-1", 2), raw("a-1 ", 3), raw("C-1", 4), raw(None, 5), raw(None, 6), raw("D-1", 7)]
    parts = plan_parts(raws, 2)
    assert parts == [[0, 2], [1, 3], [4, 5], [6]]  # A-1 and "a-1 " are one id to generate
    assert sorted(i for p in parts for i in p) == list(range(len(raws)))
    assert plan_parts(raws, 100) == [[0, 2, 1, 3, 4, 5, 6]]
    assert split_part(raws, [0, 2, 1, 3]) == [[0, 2], [1], [3]]
    assert split_part(raws, [4]) == [[4]]


@pytest.mark.parametrize("n, size", [(1, 1), (8, 1), (9, 2), (30, 4), (200, 4)])
def test_part_size(n, size):
    assert auto_part_size(n) == size


def _batch(example):
    cases = [example("EX-0001"), example("EX-0002"), example("EX-0003")]
    broken = copy.deepcopy(cases[0])
    broken["case_id"] = "BAD-DATE"
    broken["child"]["entry_date"] = "2026-02-30"
    repeat = dict(copy.deepcopy(cases[1]), case_id="ex-0002")
    raws = [(f"cases.json, case {i + 1}", c) for i, c in enumerate(cases + [broken, repeat])]
    problems = [Problem("", "Cannot read {source}: it is not valid YAML.", {"source": "x.yaml"}, case_id="x.yaml")]
    return raws, problems


def _manifest(text: bytes) -> dict:
    """A manifest without what differs between two renderings of the same
    case (the time, and the hashes: a DOCX holds the time it was written)."""
    data = json.loads(text)
    data.pop("generated_at")
    for case in data["cases"]:
        for doc in case["documents"]:
            doc.pop("sha256")
    return data


def test_parts_merged_equal_one_run(tmp_path, example, law, calendar):
    raws, problems = _batch(example)
    options = Options(languages=("es", "en"), pdf=False, today=TODAY)

    whole = tmp_path / "whole"
    generate(raws, whole, law, calendar, options, read_problems=problems, now=NOW)
    whole_zip = tmp_path / "whole.zip"
    zip_folder(whole, whole_zip)

    parts = plan_parts(raws, 1)
    assert len(parts) == 4  # EX-0002 and its repeat ex-0002 share a part
    results, zips = [], []
    for n, indices in reversed(list(enumerate(parts))):  # in any order the workers finish
        part = run_part(raws, indices, tmp_path / f"part{n}", law, calendar, options)
        assert all(r.case is None for _, r in part.results)
        with zipfile.ZipFile(part.zip_path) as zf:
            assert not {"manifest.json", "manifest.csv"} & set(zf.namelist())
        results += part.results
        zips.append(part.zip_path)
    merged = tmp_path / "merged.zip"
    ordered = merge_parts(problems, results, zips, merged, calendar, now=NOW)

    with zipfile.ZipFile(whole_zip) as a, zipfile.ZipFile(merged) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert _manifest(a.read("manifest.json")) == _manifest(b.read("manifest.json"))
        assert a.read("manifest.csv") == b.read("manifest.csv")
        assert _manifest(a.read("manifest.json"))["cases"][1]["documents"]  # documents were compared
        assert a.read("EX-0003/case.json") == b.read("EX-0003/case.json")
        names = b.namelist()
    status = {r.case_id: r.status for r in ordered}
    assert status == {"x.yaml": "error", "EX-0001": "ok", "EX-0002": "ok", "EX-0003": "ok",
                      "BAD-DATE": "error", "ex-0002": "error"}
    assert [r.case_id for r in ordered][:2] == ["x.yaml", "EX-0001"]  # the file's problems, then the file's order
    assert "EX-0001/es/asylum.docx" in names and not any(n.startswith(("BAD-DATE/", "ex-0002/")) for n in names)


def test_a_failed_task_is_reported_case_by_case(example):
    raws = [("cases.xlsx, sheet cases, row 3", example("EX-0001")), ("cases.xlsx, sheet cases, row 4", {"x": 1})]
    out = failed_results(raws, [0, 1])
    assert [(i, r.case_id, r.status) for i, r in out] == [(0, "EX-0001", "error"),
                                                          (1, "cases.xlsx, sheet cases, row 4", "error")]
    problem = out[0][1].errors[0]
    assert problem.message == TASK_FAILED and problem.field == "" and problem.case_id == "EX-0001"
    assert problem.message_es.startswith("El servidor no pudo producir los documentos de este caso")
    assert problem.message_en.startswith("The server could not produce this case's documents")


def test_merge_keeps_no_path_outside_the_zip(tmp_path, calendar):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../outside.txt", "x")
        zf.writestr("/abs.txt", "x")
        zf.writestr("A-1/case.json", "{}")
        zf.writestr("manifest.json", "{}")
    target = tmp_path / "out.zip"
    merge_parts([], [], [evil], target, calendar, now=NOW)
    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == ["A-1/case.json", "manifest.csv", "manifest.json"]
        assert json.loads(zf.read("manifest.json"))["cases"] == []


def test_zip_folder_of_a_missing_folder_is_empty(tmp_path):
    target = tmp_path / "x.zip"
    zip_folder(Path(tmp_path / "none"), target)
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist() == []
