"""Crash safety: SIGKILL the ingest (and the analytics) at random points, rerun, and end with the
same graph as an uninterrupted run — same counts and the same content hash.

The scenario size defaults to 4,000 incidents so the suite stays fast; set
``ARMSGRAPH_CRASH_INCIDENTS=100000`` to run the full-scale version.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.scenario.generate import generate_scenario
from tests.conftest import settings_for

INCIDENTS = int(os.environ.get("ARMSGRAPH_CRASH_INCIDENTS", "4000"))
VOLATILE = {"ingested_at"}

#: pytest-timeout's 600 s is for the default size; the 100k run takes over an hour on 2 cores.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(max(600, INCIDENTS // 8))]


def content_hash(store: GraphStore) -> tuple[dict[str, int], str]:
    """Counts and a hash of every node and relationship with its properties (load times left out)."""
    digest = hashlib.sha256()
    _, nodes = store._read("MATCH (n) RETURN labels(n)[0], n.uid, properties(n) ORDER BY n.uid", {})
    for label, uid, props in nodes:
        clean = {k: v for k, v in props.items() if k not in VOLATILE}
        digest.update(json.dumps([label, uid, clean], sort_keys=True, default=str).encode())
    query = "MATCH (a)-[r]->(b) RETURN a.uid, type(r), b.uid, properties(r) ORDER BY a.uid, type(r), b.uid"
    _, edges = store._read(query, {})
    rows = sorted(
        json.dumps([a, t, b, {k: v for k, v in p.items() if k not in VOLATILE}], sort_keys=True, default=str)
        for a, t, b, p in edges
    )
    for row in rows:
        digest.update(row.encode())
    return store.counts(), digest.hexdigest()


def _cli(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "armsgraph", "--data-dir", str(data_dir), *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_at_random(data_dir: Path, args: list[str], rng: random.Random, kills: int, window_s: float) -> None:
    """Start the command ``kills`` times, killing it at a random moment of a run lasting ``window_s``."""
    for _ in range(kills):
        proc = _cli(data_dir, *args)
        time.sleep(rng.uniform(0.1, 0.95) * window_s)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finished = _cli(data_dir, *args)
    assert finished.wait(timeout=7200) == 0


def _state(data_dir: Path) -> tuple[dict[str, int], str]:
    store = open_store(settings_for("embedded", data_dir))
    try:
        return content_hash(store)
    finally:
        store.close()


def test_killed_ingest_and_analytics_end_equal_to_uninterrupted(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    generate_scenario(bundle, incidents=INCIDENTS, seed=11, progress=False)
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    ingest, analyse = ["ingest", str(bundle), "--no-progress"], ["analyse", "--top", "0"]
    durations = []
    for args in (ingest, analyse):
        started = time.monotonic()
        assert _cli(reference, *args).wait(timeout=7200) == 0
        durations.append(time.monotonic() - started)
    rng = random.Random(5)
    _kill_at_random(crashed, ingest, rng, kills=3, window_s=durations[0])
    _kill_at_random(crashed, analyse, rng, kills=2, window_s=durations[1])
    expected, got = _state(reference), _state(crashed)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
