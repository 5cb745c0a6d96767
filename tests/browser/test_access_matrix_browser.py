"""The access matrix in the browser: every dashboard page × an admin, an analyst, a prosecutor, programme staff.

The dashboard serves the graph of :mod:`tests.test_access_matrix` (a secret person, a secret
firearm, a secret case, a case outside the prosecutor's). Each user signs in and opens every page
by its URL (those outside their menu too); what the page shows is collected — its text, table
cells, every ``title`` and SVG tooltip, the data behind its Plotly charts, the HTML of its network
pictures and components, its images, every option of every select box — after typing probes (a
secret name, serials, uids) into every search box and expanding the neighbours of the incident the
secret person was involved in; every download button is clicked and its file read (PDFs through
``pdftotext``). None of it may hold a string the user must not see. The admin, cleared for
secrets, must see them (the collection is not blind).
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

from armsgraph import dashboard
from armsgraph.dashboard.menu import shows
from armsgraph.graph.store import open_store
from armsgraph.settings import Settings
from armsgraph.users import add_user
from tests.browser.conftest import CHROMIUM, serving
from tests.browser.test_dashboard_browser import settle as settle_page
from tests.conftest import settings_for
from tests.test_access_matrix import IDENTIFYING, OUT_OF_SCOPE, SECRET, load

pytestmark = pytest.mark.browser

#: Every page file of the dashboard; each is opened by its URL (a page left out of a role's menu still
#: answers its URL, with a refusal), and those in the role's menu (:func:`menu.shows`) must not refuse.
PAGES = sorted(p.name for p in Path(dashboard.__file__).with_name("views").glob("*.py") if p.name != "sign_in.py")
REFUSED = "may not see this page"
#: Typed into every search box of a page, one after the other.
#: None holds a whole forbidden string (a page may echo what was typed); "inc:" chooses inc:1 first.
PROBES = ["Informant", "secret9", "SN", "far", "Nightjar", "inc:"]
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
    with serving(settings, store, work) as url:
        yield Served(url, settings, passwords)


@pytest.fixture(scope="module")
def chromium(served: Served, chromium_browser: Any) -> Any:
    """The session's Chromium, once the access-matrix graph is served."""
    return chromium_browser


def settle(tab: Any) -> None:
    """Wait until Streamlit has finished the page (a refusal has no title, so only the main area is awaited)."""
    settle_page(tab, 60_000, shown='[data-testid="stMain"]')


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
    """Click every visible download button of the page; the files' text (PDFs through pdftotext)."""
    parts = []
    buttons = tab.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        if not buttons.nth(i).is_visible():  # on another tab: clicked when that tab is shown
            continue
        try:
            with tab.expect_download(timeout=60_000) as event:
                buttons.nth(i).click()
        except PlaywrightError as exc:  # said with the page and the button, not only Playwright's wait
            raise AssertionError(f"{tab.url}: {buttons.nth(i).inner_text()!r} gave no file within 60 s") from exc
        path = tmp / event.value.suggested_filename
        event.value.save_as(path)
        if path.suffix == ".pdf":
            done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
            parts.append(done.stdout)
        else:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        settle(tab)
    return "\n".join(parts)


def every_tab(tab: Any, tmp: Path) -> str:
    """What each of the page's tabs shows and downloads (the page itself when it has none), expanders opened."""
    closed = tab.locator('[data-testid="stMain"] details:not([open]) > summary')
    for _ in range(closed.count()):
        if not closed.count():
            break
        closed.first.click()
        settle(tab)
    tabs = tab.locator('[data-testid="stMain"] [role="tab"]')
    seen = []
    for i in range(max(tabs.count(), 1)):
        if tabs.count() > i:
            tabs.nth(i).click()
            settle(tab)
        seen += [seen_on_page(tab), downloads(tab, tmp)]
    return "\n".join(seen)


def visit(tab: Any, url: str, tmp: Path) -> str:
    """Open a page by its URL, probe its search boxes, and return all it showed and downloaded."""
    tab.goto(url)
    settle(tab)
    not_found = tab.get_by_role("dialog").filter(has_text="Page not found")
    if not_found.count():  # a page outside the user's menu is not registered: Streamlit runs the main page
        tab.keyboard.press("Escape")  # under a modal that makes it inert; closed, the main page is read as any
        not_found.wait_for(state="hidden", timeout=10_000)
    seen = [every_tab(tab, tmp)]
    searches = tab.locator('[data-testid="stMain"] [data-testid="stTextInput"] input')
    for i in range(searches.count()):
        for probe in PROBES:
            if searches.count() <= i:  # the page refused or changed after the last probe: nothing more to type into
                break
            searches.nth(i).fill(probe, timeout=10_000)
            searches.nth(i).press("Enter")
            settle(tab)
            seen.append(seen_on_page(tab))
    expand = tab.get_by_role("button", name="Expand neighbours")
    if expand.count() and expand.is_enabled():  # the last probe chose inc:1 (first match), where the secret person was
        expand.click()
        settle(tab)
        seen.append(seen_on_page(tab))
    return "\n".join(seen)


@pytest.mark.parametrize("user", list(USERS))
def test_no_page_shows_what_the_user_may_not_see(chromium: Any, served: Served, user: str, tmp_path: Path) -> None:
    role = USERS[user][0]
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    leaks, problems, seen = [], [], ""
    try:
        sign_in(tab, served, user)
        for file in PAGES:
            text = visit(tab, f"{served.url}/{Path(file).stem}", tmp_path)
            if f"Signed in as {user} " not in tab.locator('[data-testid="stSidebar"]').inner_text():
                problems.append(f"{user} × {file}: not signed in any more")
            if tab.locator('[data-testid="stException"]').count():
                problems.append(f"{user} × {file}: an exception on the page")
            if REFUSED in text and shows(role, file):
                problems.append(f"{user} × {file}: in the menu but refused")
            seen += text
            leaked = [s for s in USERS[user][3] if s in text]
            if leaked:
                leaks.append(f"{user} × {file}: {leaked}")
    finally:
        context.close()
    assert not leaks, "\n".join(leaks)
    assert not problems, "\n".join(problems)
    if user == "ada":  # cleared for everything: the secrets do reach the screen, so the probes above can find them
        assert all(s in seen for s in ("Informant Nine", "SN-SECRET-77", "Operation Nightjar", "Farid Outsider"))
    if user == "al":
        assert all(s in seen for s in ("Ana Lopez", "Farid Outsider", "Operation Rook", "SN-OPEN-11"))
    if user == "pia":
        assert all(s in seen for s in ("Operation Rook", "Ana Lopez", "SN-OPEN-11"))
    if user == "pat":
        assert "Person" in seen
