"""The server as an attacker on the internet, a curious colleague and a
local account on the host would probe it (issue: the server, hardened):
no interview without signing in, the batch for staff roles only, no
self-registration, services that do not run as root, a file store no one
else can read, a converter no one else can reach, Redis and RabbitMQ behind
passwords, a script policy, sign-in throttling per account."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid

import pytest
import requests

from .conftest import STATE, require_interview

INTERVIEWS = ("main_intake.yml", "asylum.yml", "coadyuvante.yml", "family_reunification.yml",
              "derivative_status.yml", "batch.yml")
SMOKE = "docassemble.puentesmoke:data/questions/smoke.yml"
AS_ROOT = os.geteuid() == 0


def url(server, name: str) -> str:
    return f"{server.base}/interview?i=docassemble.puente:data/questions/{name}"


@pytest.mark.parametrize("name", INTERVIEWS)
def test_anonymous_visitors_are_sent_to_sign_in(server, name):
    require_interview(name)
    r = requests.get(url(server, name), timeout=60, allow_redirects=False)
    assert r.status_code in (302, 303, 403), f"{name}: HTTP {r.status_code} to an anonymous visitor"
    if r.status_code != 403:
        assert "/user/sign-in" in r.headers["Location"], r.headers["Location"]
    # Nor through the API without a key.
    r = requests.get(f"{server.base}/api/session/new", params={"i": f"docassemble.puente:data/questions/{name}"},
                     timeout=60)
    assert r.status_code in (401, 403), r.status_code


def test_no_one_registers_on_their_own(server):
    r = requests.get(server.base + "/user/register", timeout=60, allow_redirects=False)
    assert r.status_code in (302, 403, 404), r.status_code
    if r.status_code == 302:
        assert "/user/register" not in r.headers["Location"]


def test_batch_is_for_staff_roles_only(server):
    plain = server.user(f"sin-rol-{uuid.uuid4().hex[:6]}@example.org", ["user"])
    staff = server.user(f"paralegal-{uuid.uuid4().hex[:6]}@example.org", ["advocate"])
    r = server.sign_in(*plain).get(url(server, "batch.yml"), timeout=120)
    # docassemble refuses with its error page ("not allowed to access this
    # interview"), status 403 or, in 1.10, 501.
    assert r.status_code in (403, 501), r.status_code
    assert "Generar los escritos de muchos casos" not in r.text and "batch_upload" not in r.text
    r = server.sign_in(*staff).get(url(server, "batch.yml"), timeout=120)
    assert r.status_code == 200 and "Generar los escritos de muchos casos" in r.text, r.text[-800:]
    # A staff member without a role may still use the procedure interviews.
    r = server.sign_in(*plain).get(url(server, "asylum.yml"), timeout=120)
    assert r.status_code == 200 and 'lang="es"' in r.text


def _pid(name: str) -> int:
    return int((STATE / "run" / f"{name}.pid").read_text().split()[0])


def _uid(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    raise AssertionError(pid)


def _tree(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    found = [pid]
    for child in out:
        found += _tree(int(child))
    return found


@pytest.mark.skipif(not AS_ROOT, reason="started as an ordinary user: the services run as that user")
def test_services_run_as_an_unprivileged_user(server):
    import pwd
    for name in ("web", "celery", "unoserver", "redis", "rabbitmq"):
        if not (STATE / "run" / f"{name}.pid").exists():
            pytest.skip(f"{name} was not started by make serve (reused)")
        for pid in _tree(_pid(name)):
            try:
                uid = _uid(pid)
            except OSError:
                continue  # exited meanwhile
            assert uid != 0, f"{name} (pid {pid}) runs as root"
            assert pwd.getpwuid(uid).pw_name == "puente", (name, pid, uid)


def _as_nobody(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *cmd],
                          capture_output=True, text=True, timeout=120, **kw)


@pytest.mark.skipif(not AS_ROOT, reason="needs root to act as another local account")
def test_file_store_is_the_servers_alone(api):
    s = api.new_session(SMOKE)
    s.post({"child_name": "Rosa Confidencial", "age": 12}, question_name=s.question()["questionName"])
    s.wait_for(lambda q: q.get("id") == "final", limit=180)
    store = STATE / "docassemble" / "files"
    files = [p for p in store.rglob("*") if p.is_file()]
    assert files, "the file store is empty"
    loose = [f"{p} {oct(p.stat().st_mode & 0o777)}" for p in files if p.stat().st_mode & 0o077]
    assert not loose, f"files others can read: {loose[:10]}"
    dirs = [p for p in [store, *store.rglob("*")] if p.is_dir() and p.stat().st_mode & 0o077]
    assert not dirs, [f"{p} {oct(p.stat().st_mode & 0o777)}" for p in dirs[:10]]
    # Another local account cannot list or read it.
    r = _as_nobody("cat", str(files[0]))
    assert r.returncode != 0 and "Permission denied" in r.stderr
    r = _as_nobody("ls", str(store))
    assert r.returncode != 0


@pytest.mark.skipif(not AS_ROOT, reason="needs root to act as another local account")
def test_another_local_account_cannot_use_the_converter(server, tmp_path):
    secret = tmp_path / "solo-root.docx"
    from docx import Document
    doc = Document()
    doc.add_paragraph("Dato que solo root puede leer")
    doc.save(secret)
    secret.chmod(0o600)
    os.chmod(tmp_path, 0o755)
    out = tmp_path / "robado.pdf"
    sock = STATE / "run" / "uno" / "xmlrpc.sock"
    assert sock.exists(), "the converter's socket is missing"
    code = ("import sys; from docassemble.puente.documents.unix_rpc import convert; "
            f"convert({str(sock)!r}, {str(secret)!r}, '/tmp/robado-' + str(__import__('os').getpid()) + '.pdf')")
    venv_python = str(STATE.parent / ".venv" / "bin" / "python")
    r = _as_nobody(venv_python, "-c", code, env={"PYTHONPATH": str(STATE.parent)})
    assert r.returncode != 0 and ("Permission denied" in r.stderr or "No such file" in r.stderr
                                  or "PermissionError" in r.stderr), r.stderr[-800:]
    # No TCP door either: unoserver's and LibreOffice's usual ports are closed.
    for port in (2002, 2003):
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(3)
            s.connect(("127.0.0.1", port))
    # LibreOffice's pipe is not connectable by others either.
    for pipe in __import__("glob").glob("/tmp/OSL_PIPE_*_puente-*"):
        r = _as_nobody("python3", "-c", f"import socket; s = socket.socket(socket.AF_UNIX); s.connect({pipe!r})")
        assert r.returncode != 0 and "Permission denied" in r.stderr, pipe
    assert not out.exists()
    # The server itself still converts (the smoke interview makes a PDF through it).


def test_redis_and_rabbitmq_want_passwords(server):
    with socket.create_connection(("127.0.0.1", 6379), timeout=10) as s:
        s.sendall(b"PING\r\n")
        answer = s.recv(200)
    assert answer.startswith(b"-NOAUTH"), answer
    from kombu import Connection
    with pytest.raises(Exception) as err:
        with Connection("pyamqp://guest:guest@127.0.0.1:5672//", connect_timeout=10) as c:
            c.connect()
    assert "ACCESS_REFUSED" in str(err.value) or "403" in str(err.value) or "auth" in str(err.value).lower()


def test_pages_carry_a_script_policy(server):
    r = requests.get(server.base + "/user/sign-in", timeout=60)
    policy = r.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "img-src 'self'" in policy, policy
    assert "frame-ancestors 'self'" in policy


def test_wrong_passwords_lock_the_account_not_the_office(server):
    email, password = server.user(f"abogada-{uuid.uuid4().hex[:6]}@example.org", ["user"])
    http = requests.Session()
    codes = []
    for _ in range(11):
        page = http.get(server.base + "/user/sign-in", timeout=60)
        import re
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        r = http.post(server.base + "/user/sign-in", timeout=60, allow_redirects=False,
                      data={"csrf_token": token, "email": email, "password": "incorrecta"})
        codes.append(r.status_code)
    assert codes[:10] == [200] * 10 and codes[10] == 429, codes
    assert "Cuenta bloqueada" in r.text and "Account locked" in r.text
    # The right password is refused too while the account is locked...
    with pytest.raises(AssertionError):
        server.sign_in(email, password)
    # ...but everyone else in the office (same IP) still signs in.
    assert server.sign_in().get(server.base + "/user/profile", timeout=60).status_code == 200
