"""A live dashboard for the browser tests: a loaded data directory, ``streamlit run``, headless Chromium.

The data directory holds a small generated scenario (generator + ingest + analytics)
when those are installed, else the hand-made graph of :mod:`tests.browser.sample_graph`.
Every page records the requests it makes; a request to anything but localhost fails
the test (the dashboard must work on an air-gapped machine).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from armsgraph.commands.dashboard import streamlit_command, streamlit_env
from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import Settings
from tests.browser.sample_graph import load_sample
from tests.conftest import free_port, settings_for, wait_healthy

CHROMIUM = Path(os.environ.get("ARMSGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCENARIO_INCIDENTS = 300


def _generated_pipeline_present() -> bool:
    names = ("armsgraph.scenario.generate", "armsgraph.ingest.pipeline")
    return all(importlib.util.find_spec(n) for n in names)


def load_scenario(store: GraphStore, work: Path) -> str:
    """Fill ``store`` with the sample graph plus, when available, a generated, ingested and analysed scenario.

    Returns what it holds: "sample", "sample+generated" or "sample+generated+analysed".
    """
    load_sample(store)
    if not _generated_pipeline_present():
        return "sample"
    from armsgraph.ingest.pipeline import ingest_bundle
    from armsgraph.scenario.generate import generate_scenario

    bundle = work / "bundle"
    generate_scenario(bundle, incidents=SCENARIO_INCIDENTS, seed=7, progress=False)
    ingest_bundle(store, bundle, progress=False)
    analytics = importlib.import_module("armsgraph.analytics")
    if not hasattr(analytics, "run_all"):
        return "sample+generated"
    analytics.run_all(store)
    return "sample+generated+analysed"


@contextmanager
def serving(settings: Settings, store: GraphStore, work: Path) -> Iterator[str]:
    """Serve the dashboard on ``store``'s data for as long as the block runs; its URL. Afterwards the
    Streamlit process is stopped, ``store`` closed and the embedded server shut down."""
    port = free_port()
    log = (work / "streamlit.log").open("wb")
    process = subprocess.Popen(streamlit_command(port), env=streamlit_env(settings), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        store.close()
        server = EmbeddedServer(settings.data_dir)
        with server.locked():
            server.shutdown()


@dataclass
class Dashboard:
    """A running dashboard: its URL, settings and what data it serves."""

    url: str
    settings: Settings
    data: str
    external_requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The dashboard served by ``streamlit run`` on a free port over a loaded data directory."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    work = tmp_path_factory.mktemp("dash")
    settings = settings_for("embedded", work / "data")
    store = open_store(settings)
    store.apply_schema()
    what = load_scenario(store, work)
    with serving(settings, store, work) as url:
        yield Dashboard(url, settings, what)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """Headless Chromium (Debian's) driven by Playwright: one for the whole session, since Playwright's
    sync API runs one instance per thread."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser(dashboard: Dashboard, chromium_browser: object) -> object:
    """The session's Chromium, once the sample dashboard is served."""
    return chromium_browser


@pytest.fixture
def page(browser: object, dashboard: Dashboard) -> Iterator[object]:
    """A fresh browser page; fails the test if it requested anything outside localhost."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    tab = context.new_page()
    outside: list[str] = []

    def check(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            outside.append(url)

    tab.on("request", check)
    yield tab
    context.close()
    assert not outside, f"requests left localhost: {outside}"


def save_screenshot(tab: object, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = tab.viewport_size  # type: ignore[attr-defined]
    tall = tab.evaluate(MAIN_HEIGHT)  # type: ignore[attr-defined]
    tab.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(tall), 4000))})  # type: ignore[attr-defined]
    tab.wait_for_timeout(1000)  # type: ignore[attr-defined]  # plotly redraws at the new size
    tab.screenshot(path=str(path))  # type: ignore[attr-defined]
    tab.set_viewport_size(size)  # type: ignore[attr-defined]
    return path


#: Height of the page's scrolling main area (Streamlit scrolls inside it, not the document).
MAIN_HEIGHT = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"


def copy_for_readme(path: Path) -> None:
    """Copy one screenshot to docs/img/dashboard.png (the README's picture)."""
    target = Path(__file__).resolve().parents[2] / "docs" / "img" / "dashboard.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
