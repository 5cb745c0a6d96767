"""Dashboard page loads in headless Chromium (median and p95 after the first load) on a generated scenario.

A load counts from navigation until the server has finished the page's script run (its
``script_finished`` message reached the browser) and every chart is drawn. The reference,
measured in the same run, is Streamlit's own cost: the smallest possible page served the
same way.

Environment:

- ``ARMSGRAPH_BENCH_DASHBOARD_INCIDENTS``: scenario size (default 10,000 quick, 100,000 full).
- ``ARMSGRAPH_BENCH_DASHBOARD_DATA_DIR``: serve this data directory as it is (already ingested
  and analysed; nothing is written to it) instead of building a fresh one — for iterating on
  the dashboard without paying for ingest and analytics each time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from armsgraph.commands.dashboard import streamlit_command, streamlit_env
from armsgraph.graph.store import open_store
from armsgraph.settings import Settings, load_settings
from benchmarks.common import HERE, Row
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_healthy
from tests.browser.test_dashboard_browser import FINGERPRINT, PAGES

#: Timed loads per page after the first (10: a page's p95 then blends its two slowest loads).
REPEATS = 10
TIMEOUT_S = 120


def _script_finished(payload: bytes | str) -> bool:
    """True for the server's "script run finished" message (a ForwardMsg on the app's websocket)."""
    from google.protobuf.message import DecodeError
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    try:
        return ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"
    except DecodeError:  # not a ForwardMsg: not the frame waited for
        return False


def _load_time(tab: Any, url: str) -> float:
    """Seconds from navigation until the script run has finished and every chart is drawn."""
    finished: list[bool] = []

    def watch(socket: Any) -> None:
        socket.on("framereceived", lambda payload: finished.append(True) if _script_finished(payload) else None)

    tab.on("websocket", watch)
    try:
        start = time.perf_counter()
        tab.goto(url)
        tab.wait_for_selector('[data-testid="stMain"] h1', timeout=TIMEOUT_S * 1000)
        while not (finished and tab.evaluate(FINGERPRINT)["ready"]):
            if time.perf_counter() - start > TIMEOUT_S:
                raise TimeoutError(f"{url} not loaded after {TIMEOUT_S}s")
            tab.wait_for_timeout(25)
        return time.perf_counter() - start
    finally:
        tab.remove_listener("websocket", watch)


def _serve(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=handle)
    _wait_healthy(f"http://127.0.0.1:{port}", process, timeout_s=180)
    return process


def measure(browser: Any, url: str, repeats: int = REPEATS) -> tuple[float, list[float]]:
    """The first load (fills the caches) and ``repeats`` timed loads after it, each in the same tab."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        first = _load_time(tab, url)
        return first, [_load_time(tab, url) for _ in range(repeats)]
    finally:
        tab.close()


def p95(times: list[float]) -> float:
    """The 95th percentile of a few timings, interpolated between the nearest ranks (numpy's "linear")."""
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def _prepared(tmp: Path, incidents: int) -> tuple[Settings, Callable[[], None]]:
    """Settings of the data directory to serve and a function that releases it."""
    given = os.environ.get("ARMSGRAPH_BENCH_DASHBOARD_DATA_DIR")
    if given:
        return load_settings(data_dir=Path(given)), lambda: None
    from armsgraph.analytics import run_all
    from armsgraph.ingest import ingest_bundle
    from benchmarks.bench_ingest import scenario

    settings = load_settings(data_dir=tmp / "data")
    store = open_store(settings)
    store.apply_schema()
    ingest_bundle(store, scenario(incidents), progress=False)
    run_all(store, progress=False)
    return settings, store.close


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """One row per page: p95 load time against the minimal page's p95."""
    from playwright.sync_api import sync_playwright

    n = int(os.environ.get("ARMSGRAPH_BENCH_DASHBOARD_INCIDENTS", 10_000 if quick else 100_000))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings, release = _prepared(Path(tmp), n)
        port, ref_port = _free_port(), _free_port()
        app = _serve(streamlit_command(port), streamlit_env(settings), port, Path(tmp) / "app.log")
        ref_cmd = [sys.executable, "-m", "streamlit", "run", str(HERE / "minimal_app.py"), "--server.port",
                   str(ref_port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
        ref = _serve(ref_cmd, streamlit_env(settings), ref_port, Path(tmp) / "ref.log")
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                _, reference = measure(browser, f"http://127.0.0.1:{ref_port}/")
                ref_p95 = p95(reference)
                for path, title in PAGES:
                    first, times = measure(browser, f"http://127.0.0.1:{port}/{path}")
                    print(f"dashboard {title}: first {first:.2f}s, then median {statistics.median(times):.2f}s "
                          f"p95 {p95(times):.2f}s (minimal page p95 {ref_p95:.2f}s)")  # fmt: skip
                    rows.append(Row("dashboard", f"{title} ({n:,} incidents), p95", p95(times), "s", ref_p95,
                                    "minimal Streamlit page", "p95 < 2 s",
                                    {"median": statistics.median(times), "first": first, "times": times}))  # fmt: skip
                browser.close()
        finally:
            for process in (app, ref):
                process.terminate()
                process.wait(timeout=30)
            release()
    return rows
