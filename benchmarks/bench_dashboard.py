"""Dashboard page loads in headless Chromium (median and p95 after the first load) on a generated scenario.

The reference, measured in the same run, is Streamlit's own cost: the smallest possible page
served the same way.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from armsgraph.analytics import run_all
from armsgraph.commands.dashboard import streamlit_command, streamlit_env
from armsgraph.graph.store import open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.settings import load_settings
from benchmarks.bench_ingest import scenario
from benchmarks.common import HERE, Row
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_healthy
from tests.browser.test_dashboard_browser import FINGERPRINT, PAGES

REPEATS = 5


def _load_time(tab: object, url: str) -> float:
    """Seconds from navigation until the title is shown and every chart is drawn."""
    start = time.perf_counter()
    tab.goto(url)  # type: ignore[attr-defined]
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)  # type: ignore[attr-defined]
    while not tab.evaluate(FINGERPRINT)["ready"]:  # type: ignore[attr-defined]
        tab.wait_for_timeout(50)  # type: ignore[attr-defined]
    return time.perf_counter() - start


def _serve(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=handle)
    _wait_healthy(f"http://127.0.0.1:{port}", process, timeout_s=180)
    return process


def _measure(browser: object, url: str) -> list[float]:
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})  # type: ignore[attr-defined]
    try:
        _load_time(tab, url)  # first load fills the caches: not counted
        return [_load_time(tab, url) for _ in range(REPEATS)]
    finally:
        tab.close()


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """One row per page: p95 load time against the minimal page's p95."""
    from playwright.sync_api import sync_playwright

    n = 10_000 if quick else 100_000
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data")
        store = open_store(settings)
        store.apply_schema()
        ingest_bundle(store, scenario(n), progress=False)
        run_all(store, progress=False)
        port, ref_port = _free_port(), _free_port()
        app = _serve(streamlit_command(port), streamlit_env(settings), port, Path(tmp) / "app.log")
        ref_cmd = [sys.executable, "-m", "streamlit", "run", str(HERE / "minimal_app.py"), "--server.port",
                   str(ref_port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
        ref = _serve(ref_cmd, streamlit_env(settings), ref_port, Path(tmp) / "ref.log")
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                reference = _measure(browser, f"http://127.0.0.1:{ref_port}/")
                ref_p95 = max(reference)
                for path, title in PAGES:
                    times = _measure(browser, f"http://127.0.0.1:{port}/{path}")
                    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
                    print(f"dashboard {title}: median {statistics.median(times):.2f}s p95 {p95:.2f}s "
                          f"(minimal page p95 {ref_p95:.2f}s)")  # fmt: skip
                    rows.append(Row("dashboard", f"{title} ({n:,} incidents), p95", p95, "s", ref_p95,
                                    "minimal Streamlit page", "p95 < 2 s",
                                    {"median": statistics.median(times), "times": times}))  # fmt: skip
                browser.close()
        finally:
            for process in (app, ref):
                process.terminate()
                process.wait(timeout=30)
            store.close()
    return rows
