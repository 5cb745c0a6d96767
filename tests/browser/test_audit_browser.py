"""The Audit log page in headless Chromium: admins see it and the chain's state; other roles are refused."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from armsgraph import audit
from armsgraph.users import add_user, users_path
from tests.browser.conftest import Dashboard, save_screenshot
from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser

MAIN_TITLE = '[data-testid="stMain"] h1'
CELLS = '[data-testid="stDataFrame"] [role="gridcell"]'


@pytest.fixture
def accounts(dashboard: Dashboard) -> Iterator[dict[str, str]]:
    """An admin (ada) and an analyst (ana) with their passwords; the users file is put back afterwards."""
    path = users_path(dashboard.settings.data_dir)
    before = path.read_bytes() if path.exists() else None
    data_dir = dashboard.settings.data_dir
    yield {"ada": add_user(data_dir, "ada", "admin", "secret"), "ana": add_user(data_dir, "ana", "analyst")}
    if before is None:
        path.unlink()
    else:
        path.write_bytes(before)


def sign_in(tab: Any, dashboard: Dashboard, user: str, password: str) -> None:
    tab.goto(dashboard.url)
    tab.wait_for_selector('[data-testid="stForm"]', timeout=30_000)
    tab.get_by_label("User").fill(user)
    tab.get_by_role("textbox", name="Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.locator(MAIN_TITLE).first).to_have_text("Overview", timeout=30_000)
    settle(tab)


def open_audit_log(tab: Any) -> None:
    tab.locator('[data-testid="stSidebar"]').get_by_role("link", name="Audit log").click()
    expect(tab.locator(MAIN_TITLE).first).to_have_text("Audit log", timeout=30_000)
    settle(tab)


def choose(tab: Any, label: str, option: str) -> None:
    """Pick one option of a multiselect by typing it."""
    box = tab.locator('[data-testid="stMultiSelect"]').filter(has_text=label).locator("input")
    box.fill(option)
    box.press("Enter")
    tab.keyboard.press("Escape")
    settle(tab)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the audit log's lock (the one :func:`armsgraph.audit.record` takes) while rewriting it."""
    with path.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def last_entry(dashboard: Dashboard) -> dict[str, Any]:
    return list(audit.entries(dashboard.settings.data_dir))[-1]


def test_admin_sees_the_verified_log_filters_it_and_the_export_is_audited(
    page: Any, dashboard: Dashboard, accounts: dict[str, str]
) -> None:
    sign_in(page, dashboard, "ada", accounts["ada"])
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Administration")).to_have_count(1)
    open_audit_log(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(page.locator('[data-testid="stAlert"]').first).to_contain_text("Chain verified")
    choose(page, "User", "ada")
    choose(page, "Action", "login")
    cells = set(page.locator(CELLS).all_text_contents())  # the grid's accessible cells (it draws on a canvas)
    assert {"ada", "admin", "login"} <= cells and not {"ana", "query"} & cells, cells
    save_screenshot(page, "audit_log")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and {(r["user"], r["role"], r["action"]) for r in rows} == {("ada", "admin", "login")}
    settle(page)
    exported = last_entry(dashboard)
    assert (exported["user"], exported["action"], exported["target"]) == ("ada", "export", "audit-log.csv")
    assert exported["params"]["rows"] == len(rows) and exported["params"]["users"] == ["ada"]


def test_analyst_has_no_menu_entry_and_is_refused_at_the_url(
    page: Any, dashboard: Dashboard, accounts: dict[str, str]
) -> None:
    sign_in(page, dashboard, "ana", accounts["ana"])
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Administration" not in sidebar.inner_text()
    expect(sidebar.get_by_role("link", name="Audit log")).to_have_count(0)
    # Typing the URL opens a new, signed-out session; go there within the signed-in one, as a link would.
    page.evaluate("() => { history.pushState({}, '', '/audit_log'); dispatchEvent(new PopStateEvent('popstate')); }")
    expect(page.locator('[data-testid="stAlert"]').first).to_contain_text("may not see this page", timeout=30_000)
    expect(page.locator('[data-testid="stAlert"]').first).to_contain_text("admins only")
    assert page.locator(CELLS).count() == 0 and page.get_by_text("Chain verified").count() == 0
    refused = last_entry(dashboard)
    assert (refused["user"], refused["action"], refused["target"]) == ("ana", "denied", "audit-log")


def test_tampering_shows_the_chain_broken(page: Any, dashboard: Dashboard, accounts: dict[str, str]) -> None:
    sign_in(page, dashboard, "ada", accounts["ada"])
    path = audit.audit_path(dashboard.settings.data_dir)
    with locked(path):
        original = path.read_bytes().splitlines(keepends=True)
        line = max(i for i, raw in enumerate(original) if json.loads(raw)["action"] == "login")
        entry = json.loads(original[line])
        entry["user"] = "someone-else"
        path.write_bytes(b"".join([*original[:line], json.dumps(entry).encode() + b"\n", *original[line + 1 :]]))
    try:
        open_audit_log(page)
        alert = page.locator('[data-testid="stAlert"]').first
        expect(alert).to_contain_text(f"Chain broken at line {line + 1}")
        expect(alert).to_contain_text("content changed after it was written")
        save_screenshot(page, "audit_log_broken")
    finally:  # put the line back; entries appended meanwhile still chain from it
        with locked(path):
            now = path.read_bytes().splitlines(keepends=True)
            path.write_bytes(b"".join([*original, *now[len(original) :]]))
    assert audit.verify(dashboard.settings.data_dir).ok
