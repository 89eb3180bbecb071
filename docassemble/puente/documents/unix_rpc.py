"""XML-RPC over a UNIX socket: how the server's processes reach unoserver.

scripts/server/unoserver_unix.py serves unoserver on a socket in a folder
only the server's user may enter, so no other local account can ask the
converter to read files; this is the client side of that socket.
"""

from __future__ import annotations

import http.client
import socket
import xmlrpc.client

TIMEOUT = 300


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = TIMEOUT):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def make_connection(self, host: object) -> http.client.HTTPConnection:  # noqa: ARG002 - the socket is the address
        return _UnixHTTPConnection(self._path)


def proxy(path: str) -> xmlrpc.client.ServerProxy:
    """An XML-RPC proxy to the server listening on the UNIX socket ``path``."""
    return xmlrpc.client.ServerProxy("http://localhost/", transport=UnixTransport(path), allow_none=True)


def convert(path: str, inpath: str, outpath: str, *, filtername: str | None = None,
            filter_options: list[str] | None = None) -> None:
    """unoserver's ``convert`` (API 3, positional as its own client calls it)."""
    with proxy(path) as p:
        p.convert(inpath, None, outpath, "pdf", filtername, list(filter_options or []), True, None, None)
