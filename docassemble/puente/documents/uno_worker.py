"""One warm LibreOffice: converts DOCX to PDF on request, for as long as
Puente runs (documents/converters.py starts and watches it).

Runs under a Python that has LibreOffice's UNO bindings (Debian's
/usr/bin/python3 with python3-uno), not Puente's: it imports nothing from
Puente and must stay compatible with the system's Python 3.

    python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME

It starts ``soffice`` listening on a named pipe (``pipe,name=...``: no TCP
port; LibreOffice creates it without write permission for others), in this
process's own process group. Requests come on stdin, one JSON line each
(``{"in": path, "out": path}``), answers go to stdout (``{"ok": true}`` or
``{"ok": false, "error": ...}``); the first line out is ``{"ready": pid}``.

When stdin closes (Puente ended, however it ended, even by ``kill -9``) the
whole group is killed, LibreOffice included: nothing outlives the run.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno  # LibreOffice's, not on PyPI
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_TIMEOUT = 90


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def answer(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def die(*_: Any) -> None:
    os.killpg(0, signal.SIGKILL)  # this process and LibreOffice with it


def read_requests(requests: queue.Queue[str]) -> None:
    for line in sys.stdin:
        requests.put(line)
    die()


def connect(soffice: str, profile: str, pipe: str) -> tuple[subprocess.Popen, Any]:
    office = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible", "--nocrashreport",
         "--nodefault", "--nologo", "--norestore", "--nolockcheck",
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                sys.exit(3)
            time.sleep(0.1)
    no_lock_files(ctx)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return office, desktop


def no_lock_files(ctx: Any) -> None:
    """No ``.~lock.*#`` files beside the documents: one left by a LibreOffice
    that was killed would make the next one refuse to write that file (and
    would land in the case's folder)."""
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.Office.Common/Misc"),))
    access.setPropertyValue("UseDocumentOOoLockFile", False)
    access.setPropertyValue("UseDocumentSystemFileLocking", False)
    access.commitChanges()


def convert(desktop: Any, src: str, target: str) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       (prop("Hidden", True), prop("ReadOnly", True)))
    if doc is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        # Tagged PDF (headings, paragraphs, reading order for screen readers),
        # as the --convert-to path asks for it.
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", (prop("UseTaggedPDF", True),))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(target),
                                       (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))))
    finally:
        doc.close(True)


def alive(office: subprocess.Popen, desktop: Any) -> bool:
    try:
        desktop.getComponents()
    except Exception:  # noqa: BLE001 - a disposed bridge: LibreOffice is gone
        return False
    return office.poll() is None


def main() -> None:
    soffice, profile, pipe = sys.argv[1:4]
    if os.getpgrp() != os.getpid():
        os.setsid()  # die() kills our own group: it must be ours alone
    signal.signal(signal.SIGTERM, die)
    requests: queue.Queue[str] = queue.Queue()
    threading.Thread(target=read_requests, args=(requests,), daemon=True).start()
    office, desktop = connect(soffice, profile, pipe)
    answer({"ready": office.pid})
    while True:
        request = json.loads(requests.get())
        try:
            convert(desktop, request["in"], request["out"])
            answer({"ok": True})
        except Exception as exc:  # noqa: BLE001 - reported to Puente, which decides
            if not alive(office, desktop):
                sys.exit(4)  # LibreOffice died: Puente starts a new worker
            answer({"ok": False, "error": "%s: %s" % (type(exc).__name__, str(exc)[:200])})


if __name__ == "__main__":
    main()
