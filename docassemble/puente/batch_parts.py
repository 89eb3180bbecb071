"""A batch cut into parts that run apart and are merged back into one output.

The batch upload interview runs each part as a docassemble background task,
on whichever Celery worker (process or container) takes it, and merges the
parts' results when all are in. The merged ZIP holds the same case folders
and the same manifest as one ``generate`` over the whole batch:

- each part is an ordinary ``generate`` run into a folder of its own, so a
  case lands whole or not at all, and a case that fails is reported alone
  with its case id and field, exactly as in one run;
- cases that share a case id (compared as ``generate`` compares them:
  trimmed, case-insensitively) go to the same part, so the repeat is still
  caught and reported against the second one;
- the manifest lists the file's own problems first, then every case in the
  order the file gave them, whatever part finished first.

Nothing here imports docassemble (``da.py`` is the glue).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .calendar import WorkingCalendar
from .errors import Problem
from .i18n import N_
from .law import Law
from .pipeline import CaseResult, Options, generate, write_manifest
from .validate import safe_case_id

MANIFEST_FILES = ("manifest.json", "manifest.csv")
# A part of about this many cases: big enough that docassemble's own cost
# per background task (about 1.5 s: a one-second pause, loading the session)
# stays small beside the cases' own work, small enough that a batch is
# spread over every worker and that progress moves.
MAX_PART_CASES = 4
TARGET_PARTS = 8

TASK_FAILED = N_("The server could not produce this case's documents (its background task failed). "
                 "Upload the file again; if it fails again, tell whoever runs the server.")


def auto_part_size(n_cases: int) -> int:
    """Cases per part for a batch of ``n_cases``: about eight parts, of one
    to four cases each."""
    return max(1, min(MAX_PART_CASES, -(-n_cases // TARGET_PARTS)))


def _id_key(data: Any) -> str | None:
    if not isinstance(data, dict) or data.get("case_id") in (None, ""):
        return None
    return str(data["case_id"]).strip().casefold() or None


def plan_parts(raws: list[tuple[str, Any]], size: int) -> list[list[int]]:
    """The indices of ``raws`` (``(source, mapping)`` pairs, as the readers
    give them) in parts of about ``size`` cases, in the file's order. Cases
    with the same id stay together (a part may then be a little larger)."""
    groups: dict[Any, list[int]] = {}
    for i, (_, data) in enumerate(raws):
        groups.setdefault(_id_key(data) or ("row", i), []).append(i)
    parts: list[list[int]] = []
    current: list[int] = []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            parts.append(current)
            current = []
        current += group
    if current:
        parts.append(current)
    return parts


def split_part(raws: list[tuple[str, Any]], indices: list[int]) -> list[list[int]]:
    """A part cut into parts of one case id each (for a part whose task
    failed: each case is then tried, and reported, alone)."""
    return [[indices[j] for j in sub] for sub in plan_parts([raws[i] for i in indices], 1)]


@dataclass
class PartResult:
    """What one part hands back: each case's result by its place in the
    file, and the ZIP of the case folders that landed (no manifest)."""

    results: list[tuple[int, CaseResult]]
    zip_path: Path


def run_part(raws: list[tuple[str, Any]], indices: list[int], work: Path, law: Law,
             calendar: WorkingCalendar, options: Options) -> PartResult:
    """Generate the cases ``indices`` of ``raws`` under ``work`` and zip the
    case folders into ``work / "part.zip"``."""
    out = work / "out"
    results = generate([raws[i] for i in indices], out, law, calendar, options)
    # ``generate`` gives one result per case, in order, when it is given no
    # problems of the file (those are merged in once, by ``merge_parts``).
    if len(results) != len(indices):
        raise RuntimeError(f"a part of {len(indices)} cases gave {len(results)} results")
    for result in results:
        result.case = None  # the record is in the case folder; the result travels light
    target = work / "part.zip"
    zip_folder(out, target, exclude=MANIFEST_FILES)
    return PartResult(list(zip(indices, results, strict=True)), target)


def failed_results(raws: list[tuple[str, Any]], indices: list[int]) -> list[tuple[int, CaseResult]]:
    """The results of cases whose task failed: each one an error of its
    own, named by its case id (or, without a usable one, where it was read)."""
    out = []
    for i in indices:
        source, data = raws[i]
        cid = (safe_case_id(data.get("case_id")) if isinstance(data, dict) else None) or source
        out.append((i, CaseResult(case_id=cid, status="error", source=source,
                                  errors=[Problem("", TASK_FAILED, case_id=cid)])))
    return out


def merge_parts(read_problems: list[Problem], results: list[tuple[int, CaseResult]], part_zips: list[Path],
                target: Path, calendar: WorkingCalendar, *, now: datetime | None = None) -> list[CaseResult]:
    """Write ``target``: the case folders of every part and the manifest of
    the whole batch. Returns the results in the manifest's order."""
    ordered = [CaseResult(case_id=p.case_id or "?", status="error", errors=[p]) for p in read_problems]
    ordered += [r for _, r in sorted(results, key=lambda item: item[0])]
    manifest_dir = target.parent / "manifest"
    manifest_dir.mkdir(parents=True, exist_ok=True)
    write_manifest(ordered, manifest_dir, calendar, now=now)
    entries: dict[str, bytes] = {name: (manifest_dir / name).read_bytes() for name in MANIFEST_FILES}
    for part in part_zips:
        with zipfile.ZipFile(part) as zf:
            for name in zf.namelist():
                if _safe_member(name) and name not in MANIFEST_FILES:
                    entries[name] = zf.read(name)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            zf.writestr(name, entries[name])
    return ordered


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "\\" not in name


def zip_folder(folder: Path, target: Path, exclude: tuple[str, ...] = ()) -> None:
    """Zip the files under ``folder``. Every name in the archive is relative
    to it: a symbolic link, or anything that resolves outside the folder, is
    left out, so a ZIP never holds a path that unpacks outside its root."""
    root = folder.resolve()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_symlink() or not path.is_file() or path.name in exclude or ".staging" in path.parts:
                continue
            real = path.resolve()
            if not real.is_relative_to(root):
                continue
            name = real.relative_to(root).as_posix()
            if name.startswith("/") or ".." in name.split("/"):
                continue
            zf.write(real, name)
