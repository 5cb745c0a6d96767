"""The access matrix in the browser: every dashboard page × a restricted analyst, a prosecutor and programme staff.

The dashboard serves the graph of :mod:`tests.test_access_matrix` (a secret person, a secret
firearm, a secret case, a case outside the prosecutor's). Each user signs in and opens every page
of their menu; what the page shows is collected — its text, table cells, every ``title`` and SVG
tooltip, the data behind its Plotly charts, the HTML of its network pictures and components, its
images, every option of every select box — after typing probes (a secret name, serials, uids) into
every search box and expanding the neighbours of the incident the secret person was involved in;
every download button is clicked and its file read (PDFs through ``pdftotext``). None of it may
hold a string the user must not see. An admin cleared for secrets opens the same pages, and must
see the secrets (the collection is not blind).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from armsgraph.commands.dashboard import streamlit_command, streamlit_env
from armsgraph.dashboard.menu import shows
from armsgraph.graph.embedded import EmbeddedServer
from armsgraph.graph.store import open_store
from armsgraph.settings import Settings
from armsgraph.users import add_user
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_dashboard_browser import settle
from tests.conftest import free_port, settings_for, wait_healthy
from tests.test_access_matrix import IDENTIFYING, OUT_OF_SCOPE, SECRET, load

pytestmark = pytest.mark.browser

#: Menu title by page file (each role's menu lists those :func:`armsgraph.dashboard.menu.shows` allows).
PAGES = {
    "overview.py": "Overview", "network_explorer.py": "Network explorer", "linked_incidents.py": "Linked incidents",
    "nexus.py": "Nexus", "timeline.py": "Timeline", "routes_flows.py": "Routes & flows", "hotspots.py": "Hotspots",
    "tracing.py": "Tracing", "indicators.py": "Indicators", "case_brief.py": "Case brief", "review.py": "Review",
    "data_quality.py": "Data quality",
}  # fmt: skip
#: Typed into every search box of a page, one after the other.
PROBES = ["Informant", "secret9", "SN", "far", "Nightjar", "inc:1"]
#: name: role, clearance, cases, what they must not see.
USERS: dict[str, tuple[str, str, list[str], tuple[str, ...]]] = {
    "ada": ("admin", "secret", [], ()),
    "al": ("analyst", "restricted", [], SECRET),
    "pia": ("prosecutor", "restricted", ["case:rook"], SECRET + OUT_OF_SCOPE),
    "pat": ("programme", "restricted", [], IDENTIFYING),
}
MAIN_TITLE = '[data-testid="stMain"] h1'

#: Everything on the page that a user could read, hovering included.
COLLECT = """() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  out.push(main ? main.innerText : '');
  document.querySelectorAll('[title]').forEach(e => out.push(e.getAttribute('title')));
  document.querySelectorAll('[aria-label]').forEach(e => out.push(e.getAttribute('aria-label')));
  document.querySelectorAll('svg title, svg text').forEach(e => out.push(e.textContent));
  document.querySelectorAll('[role="gridcell"], [role="columnheader"]').forEach(e => out.push(e.textContent));
  document.querySelectorAll('.js-plotly-plot').forEach(e => {
    try { out.push(JSON.stringify(e.data)); out.push(JSON.stringify(e.layout)); } catch (x) {}
  });
  document.querySelectorAll('input, textarea').forEach(e => out.push(e.value));
  return out.join('\\n');
}"""
IMAGES = "() => Array.from(document.querySelectorAll('[data-testid=\"stMain\"] img')).map(e => e.src)"


@dataclass
class Served:
    url: str
    settings: Settings
    passwords: dict[str, str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The dashboard over the access-matrix graph, with one user per row of :data:`USERS`."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed to read the brief PDFs: apt-get install poppler-utils")
    work = tmp_path_factory.mktemp("access-dash")
    settings = settings_for("embedded", work / "data")
    store = open_store(settings)
    store.apply_schema()
    load(store)
    passwords = {
        name: add_user(settings.data_dir, name, role, clearance, cases)
        for name, (role, clearance, cases, _) in USERS.items()
    }
    port = free_port()
    log = (work / "streamlit.log").open("wb")
    process = subprocess.Popen(streamlit_command(port), env=streamlit_env(settings), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield Served(url, settings, passwords)
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


@pytest.fixture(scope="module")
def chromium(served: Served) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(tab: Any, served: Served, user: str) -> None:
    tab.goto(served.url)
    tab.wait_for_selector('[data-testid="stForm"]', timeout=30_000)
    tab.get_by_label("User").fill(user)
    tab.get_by_role("textbox", name="Password").fill(served.passwords[user])
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_selector(MAIN_TITLE, timeout=30_000)
    settle(tab)


def seen_on_page(tab: Any) -> str:
    """The page's text, tooltips, chart data, component frames, images and select-box options."""
    parts = [tab.evaluate(COLLECT)]
    for frame in tab.frames[1:]:
        try:
            parts.append(frame.content())
        except PlaywrightError as exc:  # a frame gone between listing and reading: said in the text
            parts.append(f"<frame unreadable: {exc}>")
    for src in tab.evaluate(IMAGES):
        if src.startswith("http"):
            parts.append(tab.context.request.get(src).text())
        else:
            parts.append(src)
    boxes = tab.locator('[data-testid="stMain"] [data-testid="stSelectbox"]')
    for i in range(boxes.count()):
        boxes.nth(i).click()
        options = tab.locator('[role="option"]')
        options.first.wait_for(timeout=5_000)
        parts.extend(options.all_inner_texts())
        tab.keyboard.press("Escape")
    return "\n".join(parts)


def downloads(tab: Any, tmp: Path) -> str:
    """Click every download button of the page; the files' text (PDFs through pdftotext)."""
    parts = []
    buttons = tab.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        with tab.expect_download(timeout=60_000) as event:
            buttons.nth(i).click()
        path = tmp / event.value.suggested_filename
        event.value.save_as(path)
        if path.suffix == ".pdf":
            done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
            parts.append(done.stdout)
        else:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        settle(tab)
    return "\n".join(parts)


def visit(tab: Any, title: str, tmp: Path) -> str:
    """Open a page from the menu, probe its search boxes, and return all it showed and downloaded."""
    tab.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True).click()
    tab.locator(MAIN_TITLE).first.wait_for(timeout=30_000)
    settle(tab)
    seen = [seen_on_page(tab), downloads(tab, tmp)]
    searches = tab.locator('[data-testid="stMain"] [data-testid="stTextInput"] input')
    for i in range(searches.count()):
        for probe in PROBES:
            searches.nth(i).fill(probe)
            searches.nth(i).press("Enter")
            settle(tab)
            seen.append(seen_on_page(tab))
    expand = tab.get_by_role("button", name="Expand neighbours")
    if expand.count() and expand.is_enabled():  # the last probe chose inc:1, where the secret person was
        expand.click()
        settle(tab)
        seen.append(seen_on_page(tab))
    return "\n".join(seen)


@pytest.mark.parametrize("user", list(USERS))
def test_no_page_shows_what_the_user_may_not_see(chromium: Any, served: Served, user: str, tmp_path: Path) -> None:
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    try:
        sign_in(tab, served, user)
        menu = tab.locator('[data-testid="stSidebar"]').inner_text()
        leaks, seen = [], ""
        for file, title in PAGES.items():
            if not shows(USERS[user][0], file):
                continue
            assert title in menu, f"{user}: no {title} in the menu"
            text = visit(tab, title, tmp_path)
            seen += text
            leaked = [s for s in USERS[user][3] if s in text]
            if leaked:
                leaks.append(f"{user} × {title}: {leaked}")
    finally:
        context.close()
    assert not leaks, "\n".join(leaks)
    if user == "ada":  # cleared for everything: the secrets do reach the screen, so the search above can find them
        assert all(s in seen for s in ("Informant Nine", "SN-SECRET-77", "Operation Nightjar", "Farid Outsider"))
    if user == "pia":
        assert all(s in seen for s in ("Operation Rook", "Ana Lopez"))
    if user == "al":
        assert all(s in seen for s in ("Ana Lopez", "Farid Outsider", "Operation Rook"))
