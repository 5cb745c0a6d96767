"""Dashboard page loads in headless Chromium (median and p95 after the first load) on a generated scenario.

Each page is timed two ways after a first load that fills the caches: opened from the menu
(the sidebar link, from the page before it: what users do) and fully reloaded (the browser
fetches and starts the whole app again). A load counts from the click or navigation until
the server has finished the page's script run (its ``script_finished`` message reached the
browser), the page's title is shown and every chart is drawn. The reference, measured in
the same run and the same two ways, is Streamlit's own cost: the smallest possible app
served the same way.

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
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_dashboard_browser import FINGERPRINT
from tests.conftest import free_port, wait_healthy

#: Timed menu openings per page after the first load (10: a page's p95 then blends its two slowest).
REPEATS = 10
#: Timed full reloads per page (fewer: each restarts the whole app in the browser).
RELOADS = 5
TIMEOUT_S = 120
#: Every page of the menu (path, title), in the menu's order.
PAGES = [
    ("", "Overview"), ("network_explorer", "Network explorer"), ("key_players", "Key players"),
    ("linked_incidents", "Linked incidents"), ("nexus", "Arms–crime–terrorism nexus"), ("timeline", "Timeline"),
    ("routes_flows", "Routes & flows"), ("hotspots", "Hotspots"), ("tracing", "Tracing"), ("indicators", "Indicators"),
    ("case_brief", "Case brief"), ("review", "Review possible duplicates"), ("data_quality", "Data quality"),
]  # fmt: skip
#: Reference app pages (path, title): the one timed first, the one it is opened from second.
REFERENCE_PAGES = [("", "Reference"), ("other", "Other")]


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


class Timer:
    """Times page loads in one tab: a load ends when the script run has finished and the page is drawn."""

    def __init__(self, tab: Any, base: str) -> None:
        self.tab, self.base = tab, base
        self.finished: list[float] = []  # when the server's script run finished (perf_counter)
        self.server: list[float] = []  # per load: seconds until the script run finished (the rest is the browser)
        tab.on("websocket", self._watch)

    def _watch(self, socket: Any) -> None:
        socket.on(
            "framereceived",
            lambda payload: self.finished.append(time.perf_counter()) if _script_finished(payload) else None,
        )

    def _until_drawn(self, title: str, start: float) -> float:
        self.tab.wait_for_function(_TITLE_SHOWN, arg=title, timeout=TIMEOUT_S * 1000)
        while not (self.finished and self.tab.evaluate(FINGERPRINT)["ready"]):
            if time.perf_counter() - start > TIMEOUT_S:
                raise TimeoutError(f"{title} not drawn after {TIMEOUT_S}s")
            self.tab.wait_for_timeout(25)
        self.server.append(self.finished[0] - start)
        return time.perf_counter() - start

    def reload(self, path: str, title: str) -> float:
        """Seconds to open ``base/path`` afresh (the browser starts the whole app again)."""
        self.finished.clear()
        start = time.perf_counter()
        self.tab.goto(f"{self.base}/{path}")
        return self._until_drawn(title, start)

    def open_from_menu(self, path: str, title: str) -> float:
        """Seconds to open the page at ``path`` by clicking its sidebar link (the app stays loaded)."""
        self.finished.clear()
        start = time.perf_counter()
        self.tab.evaluate(_CLICK_MENU_LINK, path)
        return self._until_drawn(title, start)


#: True once the main area's title reads ``title``.
_TITLE_SHOWN = """title => [...document.querySelectorAll('[data-testid="stMain"] h1')]
    .some(h => h.innerText.trim() === title)"""
#: Clicks the sidebar link whose URL path is ``path`` ("" for the default page).
_CLICK_MENU_LINK = """path => {
    const links = [...document.querySelectorAll('[data-testid="stSidebarNavLink"]')];
    const link = links.find(a => new URL(a.href).pathname.replace(/^\\/+|\\/+$/g, '') === path);
    if (!link) throw new Error('no menu link to /' + path);
    link.click();
}"""


def _serve(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=handle)
    wait_healthy(f"http://127.0.0.1:{port}", process, timeout_s=180)
    return process


def measure(browser: Any, base: str, pages: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Per page title: its first load, ``REPEATS`` openings from the menu and ``RELOADS`` full reloads.

    Each menu opening starts on the page listed before it (the last page for the first).
    """
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    timer = Timer(tab, base)
    found: dict[str, dict[str, Any]] = {}
    try:
        for index, (path, title) in enumerate(pages):
            before = pages[index - 1]
            first = timer.reload(path, title)
            menu = []
            for _ in range(REPEATS):
                timer.open_from_menu(*before)
                menu.append(timer.open_from_menu(path, title))
            timer.server.clear()
            reloads = [timer.reload(path, title) for _ in range(RELOADS)]
            found[title] = {"first": first, "menu": menu, "reload": reloads, "reload_server": list(timer.server)}
        return found
    finally:
        tab.close()


def p95(times: list[float]) -> float:
    """The 95th percentile of a few timings, interpolated between the nearest ranks (numpy's "linear")."""
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def _prepared(tmp: Path, incidents: int) -> tuple[Settings, Callable[[], None]]:
    """Settings of the data directory to serve and a function that releases it."""
    from benchmarks.bench_ingest import kept_and_analysed, scenario

    given = os.environ.get("ARMSGRAPH_BENCH_DASHBOARD_DATA_DIR") or kept_and_analysed(incidents)
    if given:
        print(f"dashboard at {incidents:,} incidents on a store already ingested and analysed: {given}")
        return load_settings(data_dir=Path(given)), lambda: None
    from armsgraph.analytics import run_all
    from armsgraph.ingest import ingest_bundle

    settings = load_settings(data_dir=tmp / "data")
    store = open_store(settings)
    store.apply_schema()
    ingest_bundle(store, scenario(incidents))
    run_all(store)
    return settings, store.close


def _rows(title: str, n: int, times: dict[str, Any], reference: dict[str, Any]) -> list[Row]:
    rows = []
    for way, name in (("menu", "opened from the menu"), ("reload", "full reload")):
        extra = {"median": statistics.median(times[way]), "first": times["first"], "times": times[way]}
        if way == "reload":  # seconds until the server's script run finished, the rest is the browser drawing
            extra["server_median"] = statistics.median(times["reload_server"])
        rows.append(Row("dashboard", f"{title} ({n:,} incidents), {name}, p95", p95(times[way]), "s",
                        p95(reference[way]), f"minimal Streamlit app, {name}", "p95 < 2 s", extra))  # fmt: skip
    return rows


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """Two rows per page (opened from the menu, fully reloaded): p95 load time against the minimal app's."""
    from playwright.sync_api import sync_playwright

    n = int(os.environ.get("ARMSGRAPH_BENCH_DASHBOARD_INCIDENTS", 10_000 if quick else 100_000))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings, release = _prepared(Path(tmp), n)
        port, ref_port = free_port(), free_port()
        app = _serve(streamlit_command(port), streamlit_env(settings), port, Path(tmp) / "app.log")
        ref_cmd = [sys.executable, "-m", "streamlit", "run", str(HERE / "minimal_app.py"), "--server.port",
                   str(ref_port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
        ref = _serve(ref_cmd, streamlit_env(settings), ref_port, Path(tmp) / "ref.log")
        try:
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                reference = measure(browser, f"http://127.0.0.1:{ref_port}", REFERENCE_PAGES)["Reference"]
                for title, times in measure(browser, f"http://127.0.0.1:{port}", PAGES).items():
                    menu, full = times["menu"], times["reload"]
                    print(f"dashboard {title}: first {times['first']:.2f}s; from the menu median "
                          f"{statistics.median(menu):.2f}s p95 {p95(menu):.2f}s; full reload median "
                          f"{statistics.median(full):.2f}s p95 {p95(full):.2f}s, script run finished after "
                          f"{statistics.median(times['reload_server']):.2f}s (median; the rest is the browser) "
                          f"(minimal app p95 "
                          f"{p95(reference['menu']):.2f}s / {p95(reference['reload']):.2f}s)")  # fmt: skip
                    rows.extend(_rows(title, n, times, reference))
                browser.close()
        finally:
            for process in (app, ref):
                process.terminate()
                process.wait(timeout=30)
            release()
    return rows
