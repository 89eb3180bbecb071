"""Limits on one uploaded batch file, checked before any parser opens it.

A server takes files from people it does not control: a workbook that
unpacks to gigabytes (a zip bomb named ``.xlsx``), or 20,000 rows that would
keep the single worker busy for a day. These checks are cheap and streaming:
the file's size, the sizes the archive declares for its members (Python's
``zipfile`` never inflates a member past its declared size, so the declared
sizes bound what openpyxl can read), and the number of filled rows of the
cases sheet or CSV, counted while reading and stopped at the limit. Each
limit is an ``InputError`` with a Spanish and English message that says the
limit and what to do.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .errors import InputError
from .i18n import N_
from .readers import CASE_FILE_SUFFIXES, SHEET_NAMES, WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 5 * 1024 * 1024  # the file as uploaded
    max_case_file_bytes: int = 2 * 1024 * 1024  # JSON / YAML
    max_unpacked_bytes: int = 40 * 1024 * 1024  # every member of a workbook, inflated
    max_ratio: int = 200  # inflated / compressed, per member (text XML compresses ~10-30x)
    max_members: int = 200
    max_cases: int = 200  # filled rows of the cases sheet

    @classmethod
    def from_config(cls, config: dict | None) -> "UploadLimits":
        """Limits from the server's configuration (``puente: batch limits:``)."""
        values = {k.replace(" ", "_"): v for k, v in (config or {}).items()}
        return cls(**{k: int(v) for k, v in values.items() if k in cls.__dataclass_fields__})


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_upload(path: Path, limits: UploadLimits = UploadLimits()) -> None:
    """Raise ``InputError`` when the file at ``path`` exceeds a limit."""
    source = path.name
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size > limits.max_bytes:
        raise InputError(source, N_("{source} is too large ({size}); the limit is {limit} per upload. Split the cases "
                                    "into several files."),
                         size=_mb(size), limit=_mb(limits.max_bytes))
    if suffix in CASE_FILE_SUFFIXES and size > limits.max_case_file_bytes:
        raise InputError(source, N_("{source} is too large ({size}); the limit for a JSON or YAML file is {limit}. "
                                    "Split the cases into several files."),
                         size=_mb(size), limit=_mb(limits.max_case_file_bytes))
    if suffix in WORKBOOK_SUFFIXES:
        _check_workbook(path, source, limits)
    elif suffix == ".csv":
        _check_csv(path, source, limits)


def _too_many(source: str, limits: UploadLimits) -> InputError:
    return InputError(source, N_("{source} has more than {limit} cases; the limit is {limit} cases per upload so that "
                                 "one file cannot keep the server busy for everyone. Split it into several files."),
                      limit=limits.max_cases)


def _check_workbook(path: Path, source: str, limits: UploadLimits) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(source, N_("Cannot read {source}: it is not a valid Excel workbook (.xlsx).")) from None
    with zf:
        members = zf.infolist()
        if len(members) > limits.max_members:
            raise InputError(source, N_("Cannot read {source}: the workbook holds {count} parts, more than an Excel "
                                        "workbook of cases has ({limit} at most)."),
                             count=len(members), limit=limits.max_members)
        unpacked = sum(m.file_size for m in members)
        worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
        bomb = InputError(source, N_("{source} unpacks to {size}, more than the {limit} a workbook of cases needs, or "
                                     "is compressed far more than a real workbook is; it was not opened. Save the "
                                     "cases again in a new workbook."),
                          size=_mb(unpacked), limit=_mb(limits.max_unpacked_bytes))
        if worst > limits.max_ratio:
            raise bomb
        # Counting stops one row past the limit, so a workbook that is merely
        # too long is told so (the clearer message) after reading its start.
        sheet = _cases_sheet_member(zf)
        # + 1: the header row
        if sheet is not None and _count_filled_rows(zf, sheet, limits.max_cases + 1) > limits.max_cases + 1:
            raise _too_many(source, limits)
        if unpacked > limits.max_unpacked_bytes:
            raise bomb


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _cases_sheet_member(zf: zipfile.ZipFile) -> str | None:
    """The archive member of the sheet named ``cases`` (or ``casos``)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        if (sheet.get("name") or "").strip().lower() in SHEET_NAMES["cases"]:
            target = targets.get(sheet.get(f"{_NS_REL}id"), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _count_filled_rows(zf: zipfile.ZipFile, member: str, stop: int) -> int:
    """Rows with at least one value, counted as the XML streams; stops past ``stop``."""
    count = 0
    try:
        with zf.open(member) as fh:
            for _event, element in ElementTree.iterparse(fh, events=("end",)):
                if element.tag == f"{_NS_MAIN}row":
                    if any(c.find(f"{_NS_MAIN}v") is not None or c.find(f"{_NS_MAIN}is") is not None for c in element):
                        count += 1
                        if count > stop:
                            return count
                    element.clear()
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, RuntimeError):
        return count  # damage: the reader reports it
    return count


def _check_csv(path: Path, source: str, limits: UploadLimits) -> None:
    filled = 0
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        try:
            for row in csv.reader(fh, delimiter=_delimiter(fh)):
                if any(cell.strip() for cell in row):
                    filled += 1
                    if filled > limits.max_cases + 1:
                        raise _too_many(source, limits)
        except csv.Error:
            return  # the reader reports it


def _delimiter(fh: io.TextIOBase) -> str:
    first = fh.readline()
    fh.seek(0)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


__all__ = ["UploadLimits", "check_upload"]
