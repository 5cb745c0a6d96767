"""Drive every dashboard page in headless Chromium: no exceptions, search/expand, brief download, offline."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from armsgraph import audit
from armsgraph.users import add_user
from tests.browser.conftest import Dashboard, copy_for_readme, save_screenshot

pytestmark = pytest.mark.browser

#: (url path, title shown on the page)
PAGES = [
    ("", "Overview"),
    ("network_explorer", "Network explorer"),
    ("linked_incidents", "Linked incidents"),
    ("nexus", "Arms–crime–terrorism nexus"),
    ("timeline", "Timeline"),
    ("routes_flows", "Routes & flows"),
    ("hotspots", "Hotspots"),
    ("tracing", "Tracing"),
    ("case_brief", "Case brief"),
    ("review", "Review possible duplicates"),
    ("data_quality", "Data quality"),
]


def settle(tab: Any, timeout_ms: int = 30_000, shown: str = '[data-testid="stMain"] h1') -> None:
    """Wait until Streamlit has finished the page: ``shown`` (the title) there, charts drawn and the page
    unchanged for ~1 s."""
    tab.wait_for_selector(shown, timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    last, stable = None, 0
    while stable < 3:
        if time.monotonic() > deadline:
            raise TimeoutError("the page kept changing")
        tab.wait_for_timeout(350)
        now = tab.evaluate(FINGERPRINT)
        stable = stable + 1 if now == last and now["ready"] else 0
        last = now


#: What must hold still: running state, loading skeletons, drawn charts, element count and page height.
FINGERPRINT = """() => ({
    ready: !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg')),
    elements: document.querySelectorAll('[data-testid]').length,
    height: document.querySelector('[data-testid="stMain"]').scrollHeight,
})"""


def open_page(tab: Any, dashboard: Dashboard, path: str) -> None:
    tab.goto(f"{dashboard.url}/{path}")
    settle(tab)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_page_loads_without_exception(page: Any, dashboard: Dashboard, path: str, title: str) -> None:
    open_page(page, dashboard, path)
    shot = save_screenshot(page, path or "overview")
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == title
    assert page.locator('[data-testid="stException"]').count() == 0
    if path == "":
        copy_for_readme(shot)


def test_maps_draw_from_local_topojson(page: Any, dashboard: Dashboard) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    open_page(page, dashboard, "hotspots")
    page.wait_for_selector(".js-plotly-plot .geo", timeout=20_000)
    assert any(url.endswith("/app/static/topojson/world_110m.json") for url in seen)


def _network_size(tab: Any) -> int:
    for frame in tab.frames:
        if frame.evaluate("() => typeof nodes !== 'undefined' && typeof network !== 'undefined'"):
            return int(frame.evaluate("() => nodes.length"))
    return 0


def _search(tab: Any, label: str, text: str) -> None:
    box = tab.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    settle(tab)


def test_network_explorer_search_and_expand(page: Any, dashboard: Dashboard) -> None:
    open_page(page, dashboard, "network_explorer")
    _search(page, "Search entities", "Juan Perez")
    page.get_by_role("button", name="Add to view").click()
    settle(page)
    page.wait_for_selector('iframe[title="st.iframe"]', timeout=20_000)
    page.wait_for_timeout(500)
    assert _network_size(page) == 1
    page.get_by_role("button", name="Expand neighbours").click()
    settle(page)
    page.wait_for_timeout(500)
    # P-1: two incidents, Cartel Norte, a phone, a case charge and a POSSIBLY_SAME candidate.
    assert _network_size(page) >= 7
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "network_explorer_expanded")


def test_network_explorer_shortest_path(page: Any, dashboard: Dashboard) -> None:
    open_page(page, dashboard, "network_explorer")
    _search(page, "From", "Ana Gomez")
    _search(page, "To", "country:GTM")
    page.get_by_role("button", name="Find path").click()
    settle(page)
    path_text = page.locator("p", has_text="Path:").first.inner_text()
    steps = [s.strip() for s in path_text.split("Path:")[1].split(" → ")]
    # Ana Gomez - INC-2 - … - Guatemala: four hops over recorded evidence, shown by name; no shorter way exists
    assert (steps[0], steps[1], steps[-1], len(steps)) == ("Ana Gomez", "INC-2", "Guatemala", 5), steps


def test_case_brief_downloads(page: Any, dashboard: Dashboard) -> None:
    open_page(page, dashboard, "case_brief")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download MD").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    title = page.locator('[data-testid="stMain"] h1').nth(1).inner_text().strip()
    assert "# Linked-case brief:" in text and title.removeprefix("Linked-case brief: ") in text
    assert "## Sources" in text and ", row " in text  # every statement cited to a source record
    exports = [e for e in audit.entries(dashboard.settings.data_dir) if e.get("target") == "brief.md"]
    [(who, action, [case_uid])] = [(e["user"], e["action"], e["params"]["uids"]) for e in exports]  # audited once
    assert (who, action) == ("local", "export") and download.value.suggested_filename == f"brief-{case_uid}.md".replace(
        ":", "_"
    )


#: Pages with a table and an audited download: (url path, the audited button).
AUDITED_DOWNLOADS = [("audit_log", "Download CSV"), ("case_brief", "Download MD")]


@pytest.mark.parametrize(("path", "audited"), AUDITED_DOWNLOADS, ids=[p for p, _ in AUDITED_DOWNLOADS])
def test_tables_offer_no_download_of_their_own(page: Any, dashboard: Dashboard, path: str, audited: str) -> None:
    # Streamlit's table toolbar would download the rows as CSV unaudited, with formula cells live.
    open_page(page, dashboard, "")  # the visit leaves audit entries: the Audit log page has a table
    open_page(page, dashboard, path)
    page.locator('[data-testid="stDataFrame"]').first.hover()
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()  # the table's toolbar is shown
    expect(page.get_by_role("button", name=re.compile(r"^Download as CSV"))).to_have_count(0)
    expect(page.get_by_role("button", name=audited, exact=True)).to_be_visible()


def test_a_page_served_from_the_cache_is_still_audited(page: Any, dashboard: Dashboard) -> None:
    def logged(action: str, target: str) -> list[dt.datetime]:
        """Views by this session's user; queries by anyone (users with the same rights share results)."""
        entries = audit.entries(dashboard.settings.data_dir)
        mine = [
            e
            for e in entries
            if (e.get("action"), e.get("target")) == (action, target)
            and (action == "query" or e.get("user") == "local")
        ]
        return [dt.datetime.fromisoformat(e["time"]) for e in mine]

    open_page(page, dashboard, "")
    for _ in range(3):
        views, queries = logged("view", "data.graph_counts"), logged("query", "node_counts")
        assert queries, "the first open computed the counts (here or in an earlier test)"
        open_page(page, dashboard, "")  # a new session: served from the cache unless the data changed meanwhile
        assert len(logged("view", "data.graph_counts")) == len(views) + 1  # audited, cached or not
        if len(logged("query", "node_counts")) == len(queries):
            return
    pytest.fail("three new sessions in a row all queried the store: the cache never served one")


def test_review_decision_is_recorded(page: Any, dashboard: Dashboard) -> None:
    open_page(page, dashboard, "review")
    page.get_by_label("Filter").fill("Jon Perez")
    page.get_by_label("Filter").press("Enter")
    expect(page.get_by_role("button", name="Different")).to_have_count(1, timeout=30_000)  # only P-1 / P-4 left
    expect(page.locator("strong", has_text="Jon Perez")).to_have_count(1)  # one card's name (its table repeats it)
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("Jon Perez")
    page.get_by_role("button", name="Different").click()
    expect(page.get_by_text("No pending candidates matching")).to_have_count(1, timeout=30_000)
    page.locator('[data-testid="stButtonGroup"]').get_by_text("rejected", exact=True).click()
    expect(page.get_by_text("rejected by local")).to_have_count(1, timeout=30_000)
    expect(page.locator("strong", has_text="Jon Perez")).to_have_count(1, timeout=30_000)  # the card's name, once
    save_screenshot(page, "review_decided")


def test_sign_in_when_users_exist(page: Any, dashboard: Dashboard) -> None:
    password = add_user(dashboard.settings.data_dir, "pat", "programme")
    try:
        page.goto(dashboard.url)
        page.wait_for_selector('[data-testid="stForm"]', timeout=30_000)
        page.get_by_label("User").fill("pat")
        page.get_by_role("textbox", name="Password").fill("not-" + password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector('[data-testid="stAlert"]', timeout=30_000)
        assert "unknown user or wrong password" in page.locator('[data-testid="stAlert"]').inner_text()
        page.get_by_role("textbox", name="Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Overview", timeout=30_000)
        settle(page)
        assert "pat" in page.locator('[data-testid="stSidebar"]').inner_text()
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_role("link", name="Linked incidents")).to_have_count(0)  # not a programme page
        sidebar.get_by_role("link", name="Indicators").click()  # same session: still signed in
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Indicators", timeout=30_000)
        assert "pat" in sidebar.inner_text()
    finally:
        (dashboard.settings.data_dir / "users.json").unlink()
