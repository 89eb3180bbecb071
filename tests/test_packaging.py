"""The wheel a docassemble server installs carries the interviews, templates,
translations and law data where docassemble looks for them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True)
    (path,) = out.glob("docassemble_puente-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_layout(wheel):
    names = set(wheel.namelist())
    assert "docassemble/__init__.py" not in names, "docassemble is a namespace package"
    assert "docassemble/puente/__init__.py" in names
    assert "docassemble/puente/cli.py" in names
    for folder, top in (("templates", "templates"), ("sources", "translations"), ("law", "law"),
                        ("questions", "interviews"), ("static", "static")):
        expected = {f"docassemble/puente/data/{folder}/{p.relative_to(ROOT / top).as_posix()}"
                    for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        missing = expected - names
        assert not missing, f"{folder}: {sorted(missing)[:5]}"
    assert "docassemble/puente/data/templates/asylum_es.docx" in names
    assert "docassemble/puente/data/sources/es/LC_MESSAGES/puente.po" in names
    assert "docassemble/puente/data/law/citations.yml" in names


def test_wheel_metadata(wheel):
    meta = next(n for n in wheel.namelist() if n.endswith("METADATA"))
    text = wheel.read(meta).decode()
    assert "Name: docassemble.puente" in text
    assert "Requires-Python: >=3.12" in text
    entry = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "puente = docassemble.puente.cli:main" in wheel.read(entry).decode()


def test_core_never_imports_docassemble():
    """Only the docassemble glue may import docassemble (docs/architecture.md)."""
    package = ROOT / "docassemble" / "puente"
    for path in package.rglob("*.py"):
        if path.name == "da.py":
            continue
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            stripped = line.strip()
            assert not (stripped.startswith(("import docassemble", "from docassemble"))
                        and "puente" not in stripped), f"{path.name}: {stripped}"
