"""docker-compose.yml and the Dockerfile refer only to files and variables that exist."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VAR_RE = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _declared_env() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split("=", 1)[0].strip())
    return names


def test_every_variable_is_declared_in_env_example() -> None:
    used = set(VAR_RE.findall((ROOT / "docker-compose.yml").read_text()))
    assert used, "compose file uses no variables?"
    assert used <= _declared_env(), f"undeclared: {used - _declared_env()}"


def test_password_is_required_not_defaulted() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${NEO4J_PASSWORD:?" in text
    assert not re.search(r"NEO4J_PASSWORD[:=-]+[A-Za-z0-9]", (ROOT / ".env.example").read_text())


def test_build_context_volumes_and_dependencies_exist() -> None:
    compose = _compose()
    services = compose["services"]
    assert services["neo4j"]["image"].startswith("neo4j:5")
    assert "healthcheck" in services["neo4j"]
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = ROOT / build["context"]
            assert (context / build.get("dockerfile", "Dockerfile")).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: volume {source} not declared"
        for dependency in service.get("depends_on", {}):
            assert dependency in services
    env = services["dashboard"]["environment"]
    assert env["ARMSGRAPH_STORE"] == "neo4j"
    assert env["ARMSGRAPH_NEO4J_URI"].startswith("bolt://neo4j:")


def test_dockerfile_copies_existing_paths_and_runs_a_real_command() -> None:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    for line in lines:
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    cmd = json.loads(next(line for line in lines if line.startswith("CMD "))[4:])
    assert cmd[0] == "armsgraph"
    helptext = subprocess.run(
        [sys.executable, "-m", "armsgraph", cmd[1], "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    for flag in [part for part in cmd[2:] if part.startswith("--")]:
        assert flag in helptext, f"`armsgraph {cmd[1]}` has no option {flag}"
