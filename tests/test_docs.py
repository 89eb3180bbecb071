"""The docs stay true to the code, and the repository stands on its own.

- The generated parts of docs/ (fields of the case record, deadline rules,
  non-working days) are what the code and the law data say today.
- Every command and option of the `puente` command is described in
  docs/cli.md (like sqlite-utils' test_docs.py).
- Nothing in the repository points outside it, and every Markdown page a
  file mentions exists.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

import pytest

from docassemble.puente import docgen
from docassemble.puente.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"


GENERATED = docgen.generated()


@pytest.mark.parametrize("page, name, content", GENERATED, ids=[f"{p.name}:{n}" for p, n, _ in GENERATED])
def test_generated_docs_match_the_code(page, name, content):
    current = docgen.current_part(page, name)
    assert current is not None, f"{page.relative_to(ROOT)} lost its markers for the generated part '{name}'"
    assert current == content, (
        f"{page.relative_to(ROOT)} ('{name}') no longer matches the code or the law data: "
        f"run `{docgen.REGENERATE}` (python -m docassemble.puente.docgen) and commit the page")


def test_docgen_check_reports_a_stale_page(tmp_path, monkeypatch):
    page = tmp_path / "case-record.md"
    begin, end = docgen._markers("fields")
    page.write_text(f"# Title\n\n{begin}\nold\n{end}\n\nAfter.\n", encoding="utf-8")
    assert docgen.current_part(page, "fields") == "old\n"
    assert docgen.write_part(page, "fields", "| new |\n")
    assert docgen.current_part(page, "fields") == "| new |\n"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n") and text.endswith("\n\nAfter.\n")
    assert not docgen.write_part(page, "fields", "| new |\n")  # nothing to do the second time


def test_the_field_reference_names_every_field():
    text = (ROOT / "docs" / "case-record.md").read_text(encoding="utf-8")
    for path in ("case_id", "child.given_names", "child.placement.type", "family[].relationship",
                 "family[].refugee_status.resolution_number", "claim.events[].date", "evidence[].available"):
        assert f"| `{path}` |" in text, path
    assert "#### Codes: `claim.grounds`" in text and "| `gender` |" in text


# ---------------------------------------------------------------------------
# The command line


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _sections(text: str) -> dict[str, str]:
    """'## puente <command>' heading -> the text up to the next '## ' heading."""
    out = {}
    for part in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        m = re.fullmatch(r"`?puente ([\w-]+)`?", heading.strip())
        if m:
            out[m.group(1)] = body
    return out


def test_every_command_has_its_section():
    sections = _sections(CLI_DOC.read_text(encoding="utf-8"))
    missing = sorted(set(_commands()) - set(sections))
    assert not missing, "docs/cli.md: add a section for each new command, e.g.\n" + "\n".join(
        f"## puente {name}\n\n`puente {name} ...` does …" for name in missing)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_option_is_described_in_its_command_section(command):
    section = _sections(CLI_DOC.read_text(encoding="utf-8")).get(command, "")
    parser = _commands()[command]
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if action.option_strings:
            name = max(action.option_strings, key=len)
            if not re.search(rf"`{re.escape(name)}[` =]", section):
                missing.append(f"`{name}`: {action.help or ''}")
        elif action.metavar and action.metavar not in section:
            missing.append(f"the argument {action.metavar}")
    assert not missing, (f"docs/cli.md, section '## puente {command}': describe " + "; ".join(missing)
                         + " (a row of its options table, or the list of common options)")


# ---------------------------------------------------------------------------
# A repository that stands on its own

OUTSIDE = re.compile(r"\.\./shared|shared/spec|/work/|\.\./seeds")
DOCS_PAGE = re.compile(r"(?<![\w/.-])docs/[\w-]+\.md\b")
LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")
# Pages of the specification the project started from; docs/ replaces them.
FORMER_PAGES = re.compile(r"(?<![\w/.-])(case-schema|interfaces|calendar|style|product)\.md\b")


def _repository_files() -> list[Path]:
    try:
        names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / n for n in names if (ROOT / n).is_file() and not n.endswith((".docx", ".xlsx", ".png", ".pdf"))]


def test_nothing_points_outside_the_repository():
    found = []
    for path in _repository_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line) and path.resolve() != Path(__file__).resolve():
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "the repository must stand on its own; point into docs/ instead:\n" + "\n".join(found)


def test_every_page_mentioned_exists():
    """Links between pages resolve, every `docs/….md` a file names exists, and
    nothing names a page of the former specification."""
    found = []
    for path in _repository_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            where = f"{path.relative_to(ROOT)}:{number}"
            found += [f"{where}: {name}" for name in DOCS_PAGE.findall(line) if not (ROOT / name).exists()]
            if path.suffix == ".md":
                found += [f"{where}: link to {target}" for target in LINK.findall(line)
                          if "://" not in target and not (path.parent / target).exists()]
            found += [f"{where}: {m.group(0)} (now in docs/)" for m in FORMER_PAGES.finditer(line)]
    assert not found, "these files name a page the repository does not have:\n" + "\n".join(found)
