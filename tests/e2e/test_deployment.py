"""The Docker deployment files, tested without a Docker engine: the compose
file validates with Debian's docker-compose, and the Dockerfile pins the
same docassemble as `make serve`."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from .conftest import ROOT

DOCKER = ROOT / "docker"


def da_version_of_make_serve() -> str:
    text = (ROOT / "scripts" / "server" / "common.sh").read_text()
    return re.search(r"^DA_VERSION=(\S+)$", text, re.M).group(1)


def test_dockerfile_pins_the_docassemble_of_make_serve():
    text = (DOCKER / "Dockerfile").read_text()
    version = da_version_of_make_serve()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms == [f"jhpyle/docassemble:{version}"]
    assert re.search(rf"^ARG DA_VERSION={re.escape(version)}$", text, re.M)
    # The server's Python packages are pinned to the same version too.
    assert "docassemble.webapp==$DA_VERSION" in (ROOT / "scripts" / "server" / "install.sh").read_text()


def test_dockerfile_copies_what_the_wheel_needs():
    text = (DOCKER / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    for folder in re.findall(r'^"(\w+)" = "docassemble/puente/data/', pyproject, re.M):
        assert re.search(rf"^COPY .*\b{folder} /tmp/puente/{folder}$", text, re.M), folder
    ignored = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", ".state", ".git"} <= set(ignored)


def test_env_example_holds_no_secret():
    env = dict(line.split("=", 1) for line in (DOCKER / "env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert env["DA_ADMIN_API_KEY"] == ""
    assert env["DA_ADMIN_PASSWORD"] == "change-this-password"
    assert env["ENABLEUNOCONV"] == "true"


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose is not installed (scripts/server/install.sh installs Debian's)")
def test_compose_file_is_valid(tmp_path):
    copy = tmp_path / "docker"
    shutil.copytree(DOCKER, copy)
    shutil.copy(copy / "env.example", copy / "puente.env")
    proc = subprocess.run(["docker-compose", "-f", str(copy / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load(proc.stdout)
    service = config["services"]["docassemble"]
    assert service["build"]["dockerfile"] == "docker/Dockerfile"
    assert "dabackup" in config["volumes"]
    assert any(str(v).startswith("dabackup:/usr/share/docassemble/backup") for v in service["volumes"])
    assert service["environment"]["TIMEZONE"] == "America/Mexico_City"


# -- docassemble's multi-server arrangement with worker-only containers ------

SECRETS = ("DASECRETKEY", "DBPASSWORD", "RABBITMQ_PASSWORD", "S3SECRETACCESSKEY", "DA_ADMIN_API_KEY")
needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose is not installed (scripts/server/install.sh installs Debian's)")


def _env(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def _workers_config(tmp_path, fill: bool) -> subprocess.CompletedProcess:
    copy = tmp_path / "docker"
    shutil.copytree(DOCKER, copy)
    text = (copy / "cluster.env.example").read_text()
    if fill:
        for n, name in enumerate(SECRETS):
            text = re.sub(rf"^{name}=$", f"{name}=secret{n}x{'y' * 24}", text, flags=re.M)
    (copy / "cluster.env").write_text(text)
    return subprocess.run(["docker-compose", "--env-file", str(copy / "cluster.env"),
                           "-f", str(copy / "docker-compose.workers.yml"), "config"],
                          capture_output=True, text=True, timeout=120)


def test_cluster_env_example_holds_no_secret():
    env = _env(DOCKER / "cluster.env.example")
    assert all(env[name] == "" for name in SECRETS), {k: env[k] for k in SECRETS}
    assert env["DAALLOWUPDATES"] == "false"  # every container runs the image's Puente


@needs_compose
def test_worker_containers_compose_file(tmp_path):
    """docassemble's container roles: the singular services once, the web
    server (with a worker), and worker-only containers, all one image with
    one set of settings; the standard services get only their own
    credentials, and those match what docassemble is given."""
    proc = _workers_config(tmp_path, fill=True)
    assert proc.returncode == 0, proc.stderr
    services = yaml.safe_load(proc.stdout)["services"]
    docassemble = {name: s for name, s in services.items() if s.get("image", "").startswith("puente-docassemble")}
    roles = {name: s["environment"]["CONTAINERROLE"] for name, s in docassemble.items()}
    assert roles == {"backend": "log:cron:mail", "web": "web:celery", "worker": "celery"}
    assert all(s["build"]["dockerfile"] == "docker/Dockerfile" for s in docassemble.values())
    assert services["worker"]["deploy"]["replicas"] >= 2 and "ports" not in services["worker"]
    assert "ports" not in services["backend"]
    assert {(int(p["published"]), p["target"]) for p in services["web"]["ports"]} == {(80, 80), (443, 443)}
    shared = ("DASECRETKEY", "DBHOST", "DBNAME", "DBUSER", "DBPASSWORD", "REDIS", "RABBITMQ", "S3ENABLE",
              "S3BUCKET", "S3ENDPOINTURL", "S3ACCESSKEY", "S3SECRETACCESSKEY", "LOGSERVER")
    envs = [s["environment"] for s in docassemble.values()]
    for name in shared:
        assert len({str(e.get(name)) for e in envs}) == 1 and envs[0].get(name), name
    env = envs[0]
    assert env["ENVIRONMENT_TAKES_PRECEDENCE"] == "true" and env["DASECRETKEY"].startswith("secret0")
    assert env["DBHOST"] == "postgres" and env["REDIS"] == "redis://redis:6379" and env["LOGSERVER"] == "backend"
    pg, mq, s3 = (services[n]["environment"] for n in ("postgres", "rabbitmq", "minio"))
    assert (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]) == \
        (env["DBUSER"], env["DBPASSWORD"], env["DBNAME"])
    assert env["RABBITMQ"] == f"pyamqp://{mq['RABBITMQ_DEFAULT_USER']}:{mq['RABBITMQ_DEFAULT_PASS']}@rabbitmq//"
    assert (s3["MINIO_ROOT_USER"], s3["MINIO_ROOT_PASSWORD"]) == (env["S3ACCESSKEY"], env["S3SECRETACCESSKEY"])
    for name in ("postgres", "rabbitmq", "minio", "redis"):
        others = set(services[name].get("environment") or {}) - {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
                                                                   "RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS",
                                                                   "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}
        assert not others, (name, others)  # never the admin password or the secret key


@needs_compose
def test_worker_compose_file_wants_the_secrets(tmp_path):
    proc = _workers_config(tmp_path, fill=False)
    assert proc.returncode != 0
    assert "in cluster.env" in proc.stderr, proc.stderr
