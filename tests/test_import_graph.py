"""The documents package has no import cycle.

``context`` gathers what every document module adds (filings, supporting,
after_filing); those modules share their small phrase helpers through the
leaves ``grammar``, ``phrases`` and ``numbering``, never through
``context``. An import inside a function counts: it only delays the cycle.
An import under ``if TYPE_CHECKING:`` does not (it never runs).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "docassemble.puente.documents"
DOCUMENTS = Path(__file__).resolve().parent.parent / "docassemble" / "puente" / "documents"
MODULES = sorted(p.stem for p in DOCUMENTS.glob("*.py") if p.stem != "__init__")
LEAVES = ("grammar", "phrases", "numbering", "first_use")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The sibling modules of the documents package that an import statement names."""
    out: set[str] = set()
    if isinstance(node, ast.ImportFrom):
        if node.level == 1:  # from . import x / from .x import y
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
        elif node.level == 0 and node.module and node.module.startswith(PACKAGE + "."):
            out.add(node.module[len(PACKAGE) + 1:].split(".")[0])
        elif node.level == 0 and node.module == PACKAGE:
            out.update(a.name for a in node.names)
    else:
        for alias in node.names:
            if alias.name.startswith(PACKAGE + "."):
                out.add(alias.name[len(PACKAGE) + 1:].split(".")[0])
    return out & set(MODULES)


def imports_of(source: str) -> set[str]:
    """Every sibling a module imports at run time: at module level or inside
    a function, but not under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(_imported(node))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def import_graph() -> dict[str, set[str]]:
    return {m: imports_of((DOCUMENTS / f"{m}.py").read_text(encoding="utf-8")) - {m} for m in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that comes back to its start, or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_the_graph_reader_sees_every_kind_of_import():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import filings, grammar as g\n"
        "from .phrases import join_words\n"
        "from ..dates import long_date\n"
        "import docassemble.puente.documents.numbering\n"
        "if TYPE_CHECKING:\n"
        "    from .context import DocumentContext\n"
        "def f():\n"
        "    from docassemble.puente.documents.supporting import extra_context\n"
        "    from .arguments import citer\n"
    )
    assert imports_of(source) == {"filings", "grammar", "phrases", "numbering", "supporting", "arguments"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_documents_package_has_no_import_cycle():
    graph = import_graph()
    assert "context" in graph and graph["context"] >= {"filings", "supporting", "after_filing"}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in documents/: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("leaf", LEAVES)
def test_the_phrase_helpers_are_leaves(leaf):
    # phrases may use grammar's demonyms; nothing else of the package
    allowed = {"grammar"} if leaf == "phrases" else set()
    assert import_graph()[leaf] <= allowed


@pytest.mark.parametrize("module", ["supporting", "filings", "after_filing", "arguments"])
def test_a_document_module_imports_alone(module):
    """Imported first, in a fresh interpreter, without ``context``."""
    code = (f"import sys, {PACKAGE}.{module}\n"
            f"assert '{PACKAGE}.context' not in sys.modules, 'context was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
