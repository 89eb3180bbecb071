"""Shared fixtures: the law data, the default calendar, the example cases."""

from __future__ import annotations

import copy
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from docassemble.puente.calendar import WorkingCalendar
from docassemble.puente.law import default_law

# The property tests draw the same examples on every run, so CI never fails on
# a draw nobody can replay; PUENTE_HYPOTHESIS_RANDOM=1 explores new ones.
settings.register_profile("puente", derandomize=os.environ.get("PUENTE_HYPOTHESIS_RANDOM") != "1")
settings.load_profile("puente")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = date(2026, 11, 23)


def needs_soffice():
    return pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


@pytest.fixture(scope="session")
def law():
    return default_law()


@pytest.fixture(scope="session")
def calendar(law):
    return WorkingCalendar(law.calendar)


@pytest.fixture(scope="session")
def example_data():
    """case_id -> the raw mapping of each example file."""
    out = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["case_id"]] = data
    return out


@pytest.fixture
def example(example_data):
    """A fresh deep copy of one example's raw mapping: example('EX-0001')."""
    return lambda case_id: copy.deepcopy(example_data[case_id])
