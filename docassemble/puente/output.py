"""The output folder (``--out``): one run at a time, nothing half-written,
nothing outside it.

- A run holds an OS file lock (``flock``) on ``<out>/.puente.lock``. The
  kernel releases it when the process ends, however it ends, so a killed run
  never leaves the folder stuck; a second run into a busy folder is refused.
- Work in progress is staged in ``<out>/.staging/`` (same filesystem and
  permissions as the output, never the system temp folder). Whatever is in
  ``.staging`` when a run gets the lock was left by a dead run and is removed.
- A case lands whole: its staged folder is renamed into place.
- A path is only ever built from a case id that passed ``safe_case_id`` and
  resolves inside the output folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import Problem, PuenteError
from .i18n import N_
from .validate import safe_case_id

LOCK_NAME = ".puente.lock"
STAGING_NAME = ".staging"


class OutputBusy(PuenteError):
    """Another run holds the output folder (exit code 2)."""

    def __init__(self, folder: Path):
        self.problem = Problem(
            "--out", N_("The output folder {folder} is in use by another Puente run; "
                        "wait until it ends or choose another folder."),
            {"folder": str(folder)}, case_id=str(folder))
        super().__init__(self.problem.line())


class OutputFolder:
    """``with OutputFolder(path) as out:`` holds the lock and a clean staging
    folder for the length of one run."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._fd: int | None = None
        self.staging = self.root / STAGING_NAME / "run"  # the real one is made in __enter__

    # -- lock -----------------------------------------------------------
    def __enter__(self) -> "OutputFolder":
        self.root.mkdir(parents=True, exist_ok=True)
        self.root = self.root.resolve()
        lock = self.root / LOCK_NAME
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputBusy(self.root) from None
            # The previous holder unlinks the file before releasing it: if
            # ours is no longer the file at that path, take the lock again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            # Anything staged now belongs to a run that died: clear it.
            shutil.rmtree(self.root / STAGING_NAME, ignore_errors=True)
            (self.root / STAGING_NAME).mkdir(mode=0o700)
            self.staging = Path(tempfile.mkdtemp(prefix="run-", dir=self.root / STAGING_NAME))
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self._release()

    def _release(self) -> None:
        shutil.rmtree(self.root / STAGING_NAME, ignore_errors=True)
        if self._fd is not None:
            try:
                os.unlink(self.root / LOCK_NAME)  # still holding it: see __enter__
            except FileNotFoundError:
                pass
            os.close(self._fd)
            self._fd = None

    # -- paths ------------------------------------------------------------
    def case_dir(self, case_id: str) -> Path:
        """The final folder of a case; refuses an id that is not safe."""
        safe = safe_case_id(case_id)
        if safe is None:
            raise PuenteError("refusing to build a path from an unchecked case id")
        path = self.root / safe
        if path.parent != self.root or path.resolve().parent != self.root:
            raise PuenteError("refusing a case folder outside the output folder")
        return path

    def staged_case_dir(self, case_id: str) -> Path:
        return self.staging / "cases" / self.case_dir(case_id).name

    # -- landing ----------------------------------------------------------
    def land(self, staged: Path, case_id: str) -> Path:
        """Move a finished case into place whole. The old folder (if any) is
        first moved aside into staging, then the new one renamed in, so the
        output holds either the old case or the new one, never a mix."""
        final = self.case_dir(case_id)
        aside = None
        if final.exists():
            aside = Path(tempfile.mkdtemp(prefix="old-", dir=self.staging))
            os.rename(final, aside / "case")
        os.rename(staged, final)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
        return final

    def remove_case(self, case_id: str) -> None:
        """Remove the output an earlier run left for a case that fails now,
        only if the id is safe and the folder is a Puente case folder."""
        final = self.case_dir(case_id)
        if final.is_dir() and not final.is_symlink() and (final / "case.json").is_file():
            aside = Path(tempfile.mkdtemp(prefix="old-", dir=self.staging))
            os.rename(final, aside / "case")
            shutil.rmtree(aside, ignore_errors=True)

    def write_text(self, name: str, text: str) -> None:
        """Write a file of the output folder atomically (temp file + rename)."""
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.staging)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.root / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read_previous_manifest(root: Path) -> dict[str, dict]:
    """case_id -> entry of the manifest an earlier run left (empty when none
    or unreadable)."""
    try:
        data = json.loads((Path(root) / "manifest.json").read_text(encoding="utf-8"))
        return {c["case_id"]: c for c in data.get("cases", []) if isinstance(c, dict) and "case_id" in c}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
