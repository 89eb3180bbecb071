"""Where the package's data lives.

In a built wheel (and so on a docassemble server) the interviews, templates,
translations and law data sit under ``docassemble/puente/data/``; in a source
checkout they sit in the top-level folders of the repository (see the
``force-include`` table in ``pyproject.toml``). Everything that reads them asks
this module, so both layouts work without copying files around.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent.parent

# data sub-folder in the wheel -> top-level folder in the repository
_LAYOUT = {
    "questions": "interviews",
    "templates": "templates",
    "sources": "translations",
    "law": "law",
}


def data_dir(kind: str) -> Path:
    """Return the folder holding one kind of data (``questions``, ``templates``,
    ``sources`` or ``law``)."""
    if kind not in _LAYOUT:
        raise KeyError(kind)
    installed = _PACKAGE_DIR / "data" / kind
    if installed.is_dir():
        return installed
    return _REPO_DIR / _LAYOUT[kind]


def template_path(name: str) -> Path:
    return data_dir("templates") / name


def law_dir() -> Path:
    return data_dir("law")
