"""DOCX -> PDF with LibreOffice, many documents per LibreOffice process.

Starting LibreOffice costs seconds; converting a document once it runs costs
a fraction of one. So a whole batch is converted by a few long-running
``soffice --convert-to pdf`` calls, each given many files and its own
profile, never one process per document.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import RenderError

log = logging.getLogger("puente")

SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")
TIMEOUT_PER_FILE = 60
TIMEOUT_BASE = 120


def find_soffice() -> str | None:
    for name in SOFFICE_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _convert_chunk(soffice: str, files: list[Path]) -> dict[Path, Path]:
    """Convert ``files`` with one LibreOffice process; returns docx -> pdf for
    the files that converted. Files are staged under unique names because
    LibreOffice writes every PDF into one folder by stem."""
    with tempfile.TemporaryDirectory(prefix="puente-lo-") as tmp_name:
        tmp = Path(tmp_name)
        stage, outdir, profile = tmp / "in", tmp / "out", tmp / "profile"
        stage.mkdir()
        outdir.mkdir()
        staged: dict[str, Path] = {}
        for i, src in enumerate(files):
            name = f"d{i:05d}.docx"
            shutil.copyfile(src, stage / name)
            staged[f"d{i:05d}"] = src
        cmd = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir),
            *[str(stage / f"{stem}.docx") for stem in staged],
        ]
        env = dict(os.environ, HOME=str(tmp))  # LibreOffice writes into HOME
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False,
                           timeout=TIMEOUT_BASE + TIMEOUT_PER_FILE * len(files))
        except subprocess.TimeoutExpired:
            raise RenderError("LibreOffice did not finish converting in time") from None
        done = {}
        for stem, src in staged.items():
            pdf = outdir / f"{stem}.pdf"
            if pdf.exists() and pdf.stat().st_size > 0:
                target = src.with_suffix(".pdf")
                shutil.move(str(pdf), target)
                done[src] = target
        return done


def _convert_with_unoserver(address: str, files: list[Path]) -> dict[Path, Path]:
    """Convert through a running unoserver (``host:port``), as on the
    docassemble server, where LibreOffice stays warm between requests."""
    from unoserver.client import UnoClient  # only where the server installed it

    host, _, port = address.partition(":")
    client = UnoClient(server=host, port=port or "2003")
    done = {}
    for src in files:
        target = src.with_suffix(".pdf")
        client.convert(inpath=str(src), outpath=str(target), convert_to="pdf")
        if target.exists() and target.stat().st_size > 0:
            done[src] = target
    return done


def convert_to_pdf(files: list[Path], jobs: int = 1) -> dict[Path, Path]:
    """Convert every DOCX in ``files`` to a PDF beside it.

    On a server that runs unoserver (``PUENTE_UNOSERVER=host:port``, set by
    scripts/server/start.sh) the running LibreOffice converts them; otherwise
    ``jobs`` LibreOffice processes run side by side, each with a share of the
    files. Returns docx -> pdf; a file missing from the result failed.
    """
    files = list(files)
    if not files:
        return {}
    result: dict[Path, Path] = {}
    address = os.environ.get("PUENTE_UNOSERVER")
    if address:
        try:
            result.update(_convert_with_unoserver(address, files))
        except Exception as exc:  # unoserver down or missing: fall back, but say so
            log.warning("unoserver at %s failed (%s); converting with soffice", address, type(exc).__name__)
        files = [f for f in files if f not in result]
        if not files:
            return result
    soffice = find_soffice()
    if soffice is None:
        raise RenderError("LibreOffice (soffice) is not installed: install libreoffice-writer-nogui or use --no-pdf")
    jobs = max(1, min(jobs, len(files)))
    chunks = [files[i::jobs] for i in range(jobs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in pool.map(lambda chunk: _convert_chunk(soffice, chunk), chunks):
            result.update(done)
    return result
