"""End-to-end tests against a real docassemble server.

The session fixture ``server`` starts the server with the same script as
`make serve` (scripts/server/serve.sh: install what is missing, then start
PostgreSQL, Redis, RabbitMQ, unoserver, the Celery worker and gunicorn on
127.0.0.1) and, afterwards, stops what it started (scripts/server/stop.sh
--only NAME, by PID file). A server that `make serve` had already brought up
is used as it is and left running.

Every test that uses the server is marked ``e2e``: `pytest -m e2e` runs
them, `pytest -m "not e2e"` leaves them out. PUENTE_E2E=0 skips them.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .daclient import DAClient

if TYPE_CHECKING:
    import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "server"
STATE = Path(os.environ.get("PUENTE_STATE", ROOT / ".state"))
ARTIFACTS = ROOT / "artifacts" / "e2e"
QUESTIONS = ROOT / "interviews"
SERVICES = ("postgres", "redis", "rabbitmq", "epmd", "unoserver", "celery", "web")
SERVE_TIMEOUT = 1800  # a fresh machine installs Debian packages and docassemble first


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


def _alive(name: str) -> bool:
    pidfile = STATE / "run" / f"{name}.pid"
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _report(config, line: str) -> None:
    """A line on the terminal even while pytest captures output (timings)."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or reporter is None:
        print(f"[e2e] {line}")
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"[e2e] {line}")


@contextlib.contextmanager
def _leases_locked():
    import fcntl
    path = STATE / "run" / ".e2e-lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class Server:
    base: str
    key: str
    admin_email: str
    admin_password: str

    def client(self) -> DAClient:
        return DAClient(self.base, self.key)

    def sign_in(self, email: str | None = None, password: str | None = None) -> "requests.Session":
        """A web session signed in (as the administrator unless told otherwise)."""
        import re

        import requests

        http = requests.Session()
        page = http.get(self.base + "/user/sign-in", timeout=60)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the sign-in page"
        r = http.post(self.base + "/user/sign-in", timeout=60, allow_redirects=False,
                      data={"csrf_token": token.group(1), "email": email or self.admin_email,
                            "password": password or self.admin_password})
        assert r.status_code == 302, f"sign-in as {email or 'admin'} failed: HTTP {r.status_code}"
        return http

    def user(self, email: str, privileges: list[str], password: str = "Prueba-Segura-2026") -> tuple[str, str]:
        """A staff account made the way an administrator would (the API's
        /api/user/new); an existing one is reused. Returns (email, password)."""
        import requests

        r = requests.post(self.base + "/api/user/new", timeout=60,
                          json={"key": self.key, "username": email, "password": password, "privileges": privileges})
        assert r.status_code == 200 or "already exists" in r.text, r.text[:500]
        return email, password


def psql(sql: str) -> str:
    """The answer of the server's PostgreSQL to ``sql`` (tab-free, one row a line)."""
    import glob

    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    password = (STATE / "secrets" / "db-password").read_text().strip()
    return subprocess.run([binary, "-X", "-tA", "-h", "127.0.0.1", "-U", "puente", "-d", "docassemble", "-c", sql],
                          env={**os.environ, "PGPASSWORD": password}, capture_output=True, text=True,
                          timeout=60, check=True).stdout


@pytest.fixture(scope="session")
def server(request):
    if os.environ.get("PUENTE_E2E", "1") == "0":
        pytest.skip("PUENTE_E2E=0: end-to-end tests switched off")
    before = {name for name in SERVICES if _alive(name)}
    started_at = time.monotonic()
    log = ARTIFACTS / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with log.open("w") as out:
            proc = subprocess.run(["bash", str(SCRIPTS / "serve.sh")], stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=SERVE_TIMEOUT, cwd=ROOT)
        ok = proc.returncode == 0
    except subprocess.TimeoutExpired:
        ok = False
    started = [name for name in SERVICES if _alive(name) and name not in before]
    leases = STATE / "run" / "e2e-leases"
    leases.mkdir(parents=True, exist_ok=True)
    (leases / str(os.getpid())).write_text(" ".join(started))

    def stop():
        # Several test runs may share one server on a developer's machine:
        # the last one to finish stops what any of them started.
        t = time.monotonic()
        with _leases_locked():
            (leases / str(os.getpid())).unlink(missing_ok=True)
            owed = set(started)
            pending = STATE / "run" / "e2e-started"
            if pending.exists():
                owed |= set(pending.read_text().split())
            others = [p for p in leases.iterdir() if p.name.isdigit() and Path(f"/proc/{p.name}").exists()]
            if others:
                pending.write_text(" ".join(sorted(owed)))
                _report(request.config, f"server left running for {len(others)} other test run(s)")
                return
            pending.unlink(missing_ok=True)
            for name in reversed(SERVICES):
                if name in owed:
                    subprocess.run(["bash", str(SCRIPTS / "stop.sh"), "--only", name], cwd=ROOT, timeout=180,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _report(request.config, f"server stopped ({', '.join(sorted(owed)) or 'nothing of ours'}) "
                                f"in {time.monotonic() - t:.0f} s")

    request.addfinalizer(stop)
    for line in log.read_text(errors="replace").splitlines():
        if "stages:" in line or "ready in" in line or "installed in" in line or "ERROR" in line:
            _report(request.config, line.replace("[puente-server] ", ""))
    _report(request.config, f"server up in {time.monotonic() - started_at:.0f} s "
                            f"(started: {', '.join(started) or 'none, reused'}); log: {log.relative_to(ROOT)}")
    if not ok:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        pytest.fail(f"scripts/server/serve.sh failed:\n{tail}", pytrace=False)
    secrets = STATE / "secrets"
    port = os.environ.get("PUENTE_PORT", "8080")
    return Server(base=f"http://127.0.0.1:{port}", key=(secrets / "api-key").read_text().strip(),
                  admin_email=(secrets / "admin-email").read_text().strip(),
                  admin_password=(secrets / "admin-password").read_text().strip())


@pytest.fixture
def api(server) -> DAClient:
    return server.client()


def needs_interview(name: str):
    """Skip (only) while the interview file has not been written yet."""
    return pytest.mark.skipif(not (QUESTIONS / name).exists(),
                              reason=f"interviews/{name} does not exist yet (issue 4)")


def require_interview(name: str) -> None:
    """The same, inside a test."""
    if not (QUESTIONS / name).exists():
        pytest.skip(f"interviews/{name} does not exist yet (issue 4)")


@pytest.fixture(autouse=True)
def _timing(request):
    t = time.monotonic()
    yield
    if "server" in request.fixturenames:
        _report(request.config, f"{request.node.nodeid.split('::', 1)[-1]}: {time.monotonic() - t:.1f} s")


@pytest.fixture
def chromium(request):
    """A Chromium of its own for each test; its screenshots and downloads go
    to artifacts/e2e/<test name>/."""
    import re

    from . import browser as br

    b = br.Browser(ARTIFACTS / re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-"))
    yield b
    b.close()
