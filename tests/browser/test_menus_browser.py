"""Menus per role, in the browser: each role's menu lists only the pages it can use, and none of them refuses.

Programme staff get the Indicators page, with the SDG 16.4.2 figure the analysis wrote; the pages
built from row-level reads are not in their menu.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from armsgraph import dashboard
from armsgraph.analytics import indicators, results
from armsgraph.dashboard.menu import shows
from armsgraph.graph.store import open_store
from tests.browser import test_access_matrix_browser as matrix
from tests.browser.test_access_matrix_browser import MAIN_TITLE, USERS, Served, sign_in
from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser
REFUSAL = "Your role may not see this page"
#: Menu title of each page file, in menu order, as the dashboard's entry file declares them.
PAGES = dict(
    re.findall(r'(?:listed|page)\("(\w+\.py)", "([^"]+)"', Path(dashboard.__file__).with_name("app.py").read_text())
)
PAGES.pop("sign_in.py", None)
#: The access-matrix graph and users, served once for this module too.
served = matrix.served
chromium = matrix.chromium


@pytest.fixture(scope="module")
def sdg(served: Served) -> tuple[int, int]:
    """SDG 16.4.2 computed by the indicators analysis over the served graph: (seized, origin established)."""
    store = open_store(served.settings)
    try:
        indicators.analyse(store)
        total = results.load(store, "sdg_16_4_2_total")
    finally:
        store.close()
    return int(total["seized"].iloc[0]), int(total["traced_origin_established"].iloc[0])


@pytest.mark.parametrize("user", ["pat", "pia", "al"])
def test_each_role_sees_only_the_pages_it_can_use(
    chromium: Any, served: Served, sdg: tuple[int, int], user: str
) -> None:
    role = USERS[user][0]
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    try:
        sign_in(tab, served, user)
        sidebar = tab.locator('[data-testid="stSidebar"]')
        listed = [t for t in PAGES.values() if sidebar.get_by_role("link", name=t, exact=True).count()]
        assert listed == [t for f, t in PAGES.items() if shows(role, f)], (user, listed)
        texts = {}
        for title in listed:
            tab.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True).click()
            tab.locator(MAIN_TITLE).first.wait_for(timeout=30_000)
            settle(tab)
            texts[title] = tab.locator('[data-testid="stMain"]').inner_text()
            assert REFUSAL not in texts[title], (user, title)
    finally:
        context.close()
    assert "Indicators" in listed
    seized, established = sdg
    page = texts["Indicators"]
    assert f"{established:,} of {seized:,} seized firearms" in page and "Definition." in page
    assert "Download SDG 16.4.2 (CSV)" in page
    if role == "programme":
        assert listed == ["Overview", "Routes & flows", "Hotspots", "Indicators"]
    if role == "prosecutor":
        assert "Review" not in listed and "Case brief" in listed
