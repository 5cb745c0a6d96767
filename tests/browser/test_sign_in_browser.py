"""Sign-in in headless Chromium: the session survives a reload, follows user changes, ends on sign-out or removal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from armsgraph import audit, users
from armsgraph.dashboard.auth import COOKIE
from tests.browser.conftest import Dashboard
from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser

MAIN_TITLE = '[data-testid="stMain"] h1'
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture
def account(dashboard: Dashboard) -> Iterator[str]:
    """A programme user's password; the users file is put back afterwards."""
    path = users.users_path(dashboard.settings.data_dir)
    before = path.read_bytes() if path.exists() else None
    yield users.add_user(dashboard.settings.data_dir, "pia", "programme", "public")
    if before is None:
        path.unlink()
    else:
        path.write_bytes(before)


def _sign_in(tab: Any, dashboard: Dashboard, password: str) -> None:
    tab.goto(dashboard.url)
    tab.wait_for_selector('[data-testid="stForm"]', timeout=30_000)
    tab.get_by_label("User").fill("pia")
    tab.get_by_role("textbox", name="Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.locator(MAIN_TITLE).first).to_have_text("Overview", timeout=30_000)
    settle(tab)


def _signed_out(tab: Any) -> None:
    tab.wait_for_selector('[data-testid="stForm"]', timeout=30_000)
    assert tab.get_by_role("button", name="Sign in").count() == 1


def test_a_reload_keeps_the_session_and_user_changes_apply(page: Any, dashboard: Dashboard, account: str) -> None:
    _sign_in(page, dashboard, account)
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    assert users.principal_from_token(dashboard.settings.data_dir, cookie["value"]) is not None

    page.reload()
    expect(page.locator(MAIN_TITLE).first).to_have_text("Overview", timeout=30_000)
    expect(page.locator(SIDEBAR)).to_contain_text("pia (programme, public)", timeout=30_000)
    assert [e["action"] for e in audit.entries(dashboard.settings.data_dir) if e["user"] == "pia"][-1] in {
        "session-resumed",
        "view",
        "query",
    }

    users.change_user(dashboard.settings.data_dir, "pia", role="analyst", clearance="restricted")
    page.locator(SIDEBAR).get_by_role("link", name="Routes & flows").click()  # the next page run
    expect(page.locator(SIDEBAR)).to_contain_text("pia (analyst, restricted)", timeout=30_000)

    page.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
    _signed_out(page)
    page.reload()  # the cookie no longer signs in
    _signed_out(page)


def test_a_removed_user_is_signed_out_at_the_next_page_run(page: Any, dashboard: Dashboard, account: str) -> None:
    _sign_in(page, dashboard, account)
    users.remove_user(dashboard.settings.data_dir, "pia")
    page.locator(SIDEBAR).get_by_role("link", name="Hotspots").click()
    _signed_out(page)
    page.reload()
    _signed_out(page)
