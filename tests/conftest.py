"""Shared fixtures: a ``store`` parametrised over every store present.

The embedded FalkorDB store always runs (its own server in a temporary data
directory). Neo4j runs when ``NEO4J_URI`` (and ``NEO4J_PASSWORD``) are set; the
skip is visible in the test report otherwise.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import Settings, load_settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REAL_DATA = SHARED_DATA / "real"

STORE_KINDS = ["embedded", "neo4j"]


def settings_for(kind: str, data_dir: Path) -> Settings:
    """Settings for a test store of ``kind`` (embedded in ``data_dir``)."""
    return load_settings(store=kind, data_dir=data_dir, batch_size=500)


@pytest.fixture(scope="session")
def _stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, GraphStore]]:
    opened: dict[str, GraphStore] = {}
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture(params=STORE_KINDS)
def store(
    request: pytest.FixtureRequest, _stores: dict[str, GraphStore], tmp_path_factory: pytest.TempPathFactory
) -> GraphStore:
    """An empty graph store with the model's schema applied, one per store kind."""
    kind = request.param
    if kind == "neo4j" and not os.environ.get("NEO4J_URI"):
        pytest.skip("Neo4j store: NEO4J_URI is not set (see docs/neo4j.md to run against docker compose)")
    if kind not in _stores:
        _stores[kind] = open_store(settings_for(kind, tmp_path_factory.mktemp(f"store-{kind}")))
        _stores[kind].apply_schema()
    st = _stores[kind]
    st.write("clear_graph")
    return st


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[GraphStore]:
    """A private embedded store in this test's own data directory."""
    st = open_store(settings_for("embedded", tmp_path / "data"))
    st.apply_schema()
    try:
        yield st
    finally:
        st.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 90) -> None:
    """Wait until the Streamlit server at ``url`` answers its health check (fail if ``process`` exits)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"dashboard at {url} not healthy after {timeout_s}s")


def require(path: Path) -> Path:
    """A real data file that must be there: its absence fails the test (CI always has ../shared)."""
    assert path.is_file(), f"{path} is missing (the real data sets live in ../shared/data/real)"
    return path
