"""unoserver 3.7 that only the server's own user can reach.

unoserver listens on TCP (its XML-RPC port, and LibreOffice's UNO port
behind it): any local account could ask it to open a file the server's user
can read and get the PDF back. This runs the same unoserver with both
endpoints moved to sockets only the server's user can connect to:

* XML-RPC on a UNIX socket in a 0700 folder (``--socket``), and
* LibreOffice's UNO bridge on a named pipe (``pipe,name=...``: LibreOffice
  creates it as /tmp/OSL_PIPE_<uid>_<name> without write permission for
  others, which a UNIX socket needs to be connected to). The name is random
  per start so no one can create it first.

Runs under Debian's /usr/bin/python3 (python3-uno), with unoserver on
PYTHONPATH. Clients: scripts/server/unoconvert-unix (for docassemble) and
docassemble.puente.documents.pdf (``PUENTE_UNOSERVER=unix:/path``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import socketserver
import subprocess
import sys
import xmlrpc.server

import unoserver.comparer as comparer
import unoserver.converter as converter
import unoserver.server as server


def main() -> int:
    parser = argparse.ArgumentParser("unoserver_unix")
    parser.add_argument("--socket", required=True, help="the XML-RPC UNIX socket (its folder becomes 0700)")
    parser.add_argument("--user-installation", required=True)
    parser.add_argument("--temp-dir")
    parser.add_argument("--conversion-timeout", type=int)
    args = parser.parse_args()

    folder = os.path.dirname(os.path.abspath(args.socket))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    if os.path.exists(args.socket):
        os.unlink(args.socket)
    pipe = "puente-" + secrets.token_hex(16)

    class Handler(xmlrpc.server.SimpleXMLRPCRequestHandler):
        disable_nagle_algorithm = False  # a TCP option; this is a UNIX socket

    class UnixXMLRPCServer(socketserver.UnixStreamServer, xmlrpc.server.SimpleXMLRPCDispatcher):
        """SimpleXMLRPCServer, on a UNIX socket instead of host:port."""

        def __init__(self, addr, allow_none=False):
            self.logRequests = False
            xmlrpc.server.SimpleXMLRPCDispatcher.__init__(self, allow_none, None)
            old = os.umask(0o077)  # the socket file: the server's user only
            try:
                socketserver.UnixStreamServer.__init__(self, args.socket, Handler)
            finally:
                os.umask(old)

    server.XMLRPCServer = UnixXMLRPCServer

    class PipePopen(subprocess.Popen):
        """LibreOffice started with a named pipe instead of a TCP port."""

        def __init__(self, cmd, *a, **k):
            cmd = [f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext" if str(c).startswith("--accept=") else c
                   for c in cmd]
            super().__init__(cmd, *a, **k)

    server.subprocess = type(sys)("subprocess_pipe")
    server.subprocess.__dict__.update(subprocess.__dict__)
    server.subprocess.Popen = PipePopen

    for module in (converter, comparer):
        module.uno = _PipeUno(module.uno, pipe)

    import shutil
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory(dir=args.temp_dir):
        uno_server = server.UnoServer(
            "unix", "0", "pipe", "0",  # not used: the socket and the pipe above
            Path(args.user_installation).as_uri(), args.conversion_timeout, None, args.temp_dir,
        )
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        process = uno_server.start(executable=soffice)
        if process is None:
            return 1
        return process.wait()


class _PipeUno:
    """The ``uno`` module as converter.py and comparer.py see it: the URL
    resolver they create connects to the named pipe whatever URL they give."""

    def __init__(self, real, pipe):
        self._real, self._pipe = real, pipe

    def __getattr__(self, name):
        return getattr(self._real, name)

    def getComponentContext(self):  # noqa: N802 - UNO's name
        return _Context(self._real.getComponentContext(), self._pipe)


class _Context:
    def __init__(self, real, pipe):
        self._real, self._pipe = real, pipe

    def __getattr__(self, name):
        return getattr(self._real, name)

    @property
    def ServiceManager(self):  # noqa: N802 - UNO's name
        return _ServiceManager(self._real.ServiceManager, self._real, self._pipe)


class _ServiceManager:
    def __init__(self, real, context, pipe):
        self._real, self._context, self._pipe = real, context, pipe

    def __getattr__(self, name):
        return getattr(self._real, name)

    def createInstanceWithContext(self, name, _context):  # noqa: N802 - UNO's name
        instance = self._real.createInstanceWithContext(name, self._context)
        return _Resolver(instance, self._pipe) if name == "com.sun.star.bridge.UnoUrlResolver" else instance


class _Resolver:
    def __init__(self, real, pipe):
        self._real, self._pipe = real, pipe

    def resolve(self, _url):
        return self._real.resolve(f"uno:pipe,name={self._pipe};urp;StarOffice.ComponentContext")


if __name__ == "__main__":
    sys.exit(main())
