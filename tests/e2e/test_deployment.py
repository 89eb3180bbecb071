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
