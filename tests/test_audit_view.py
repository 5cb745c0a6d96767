"""The Audit log page: its table, filters, counts and CSV (pure functions), and the page itself (AppTest)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from armsgraph import audit
from armsgraph.access import Principal
from armsgraph.dashboard import audit_view
from armsgraph.errors import AccessDeniedError

DASHBOARD = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard"
ADMIN = Principal("ada", "admin", "secret")


def _log(data: Path) -> None:
    audit.record(data, "ada", "admin", "login")
    audit.record(data, "ana", "analyst", "query", "neighbours", {"uid": "P-1", "limit": 50})
    audit.record(data, "ana", "analyst", "export", "brief.md", {"uids": ["CASE-1"]})
    audit.record(data, "pat", "programme", "denied", "entity", {"uid": '=HYPERLINK("http://x")'})


def _set_time(data: Path, line: int, time: str) -> None:
    """Change one entry's time (breaks the chain there, as any edit does)."""
    path = audit.audit_path(data)
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[line - 1])
    entry["time"] = time
    lines[line - 1] = json.dumps(entry)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_load_is_newest_first_with_compact_parameters(tmp_path: Path) -> None:
    _log(tmp_path)
    frame = audit_view.load(tmp_path)
    assert list(frame.columns) == audit_view.COLUMNS
    assert list(frame["line"]) == [4, 3, 2, 1] and list(frame["seq"]) == [4, 3, 2, 1]
    assert list(frame["action"]) == ["denied", "export", "query", "login"]
    assert frame.loc[2, "params"] == '{"limit":50,"uid":"P-1"}'
    assert frame.loc[3, "params"] == "{}"
    assert str(frame["time"].dtype).startswith("datetime64") and frame["time"].dt.tz is not None
    assert not frame["verified"].any()  # nothing is marked verified without a verdict
    assert audit_view.load(tmp_path, audit.verify(tmp_path))["verified"].all()


def test_an_empty_or_missing_log_is_an_empty_table(tmp_path: Path) -> None:
    frame = audit_view.load(tmp_path)
    assert frame.empty and list(frame.columns) == audit_view.COLUMNS
    assert audit_view.select(frame, ["x"], ["y"], dt.date(2020, 1, 1)).empty
    assert audit_view.action_counts(frame).empty


def test_unreadable_lines_are_shown_not_dropped(tmp_path: Path) -> None:
    _log(tmp_path)
    with audit.audit_path(tmp_path).open("ab") as handle:
        handle.write(b"\xff\xfe<b>not json</b>" + b"x" * 500 + b"\n[1, 2]\n")
    frame = audit_view.load(tmp_path)
    assert len(frame) == 6
    assert list(frame.loc[:1, "action"]) == [audit_view.UNREADABLE] * 2
    assert frame.loc[0, "params"] == "[1, 2]"
    assert frame.loc[1, "params"].startswith("\ufffd\ufffd<b>not json</b>xxx") and "(517 characters)" in str(
        frame.loc[1, "params"]
    )
    assert frame.loc[:1, "time"].isna().all() and frame.loc[:1, "seq"].isna().all()


def test_select_by_user_action_and_dates(tmp_path: Path) -> None:
    _log(tmp_path)
    _set_time(tmp_path, 1, "2024-01-05T10:00:00.000+00:00")
    _set_time(tmp_path, 2, "2024-01-06T23:59:59.999+00:00")
    _set_time(tmp_path, 3, "not a time")
    frame = audit_view.load(tmp_path)
    assert list(audit_view.select(frame, users=["ana"])["seq"]) == [3, 2]
    assert list(audit_view.select(frame, actions=["login", "denied"])["seq"]) == [4, 1]
    assert list(audit_view.select(frame, ["ana"], ["query"])["seq"]) == [2]
    assert list(audit_view.select(frame, start=dt.date(2024, 1, 6), end=dt.date(2024, 1, 6))["seq"]) == [2]
    # a row without a readable time shows without date bounds only
    assert list(audit_view.select(frame, end=dt.date(2024, 1, 5))["seq"]) == [1]
    assert 3 in list(audit_view.select(frame)["seq"])
    assert 3 not in list(audit_view.select(frame, start=dt.date(2000, 1, 1))["seq"])


def test_action_counts_most_frequent_first(tmp_path: Path) -> None:
    _log(tmp_path)
    audit.record(tmp_path, "ana", "analyst", "query", "entity")
    counts = audit_view.action_counts(audit_view.load(tmp_path))
    assert counts.to_dict("records") == [
        {"action": "query", "entries": 2},
        {"action": "denied", "entries": 1},
        {"action": "export", "entries": 1},
        {"action": "login", "entries": 1},
    ]


def test_csv_round_trips_and_neutralises_formulas(tmp_path: Path) -> None:
    _log(tmp_path)
    audit.record(tmp_path, "=cmd|'/c calc'!A1", "analyst", "query", "+1", {"text": "-2"})
    frame = audit_view.load(tmp_path)
    rows = list(csv.DictReader(io.StringIO(audit_view.to_csv(frame).decode("utf-8"))))
    assert [r["seq"] for r in rows] == ["5", "4", "3", "2", "1"]
    assert (rows[0]["user"], rows[0]["target"], rows[0]["params"]) == ("'=cmd|'/c calc'!A1", "'+1", '{"text":"-2"}')
    assert rows[1]["params"] == '{"uid":"=HYPERLINK(\\"http://x\\")"}'  # JSON text starts with "{": inert
    assert rows[4]["time"] == frame.loc[4, "time"].isoformat(timespec="milliseconds")
    assert pd.Timestamp(rows[4]["time"]).tzinfo is not None


def test_only_admins_pass_and_refusals_are_audited(tmp_path: Path) -> None:
    assert audit_view.require_admin(tmp_path, ADMIN) is ADMIN
    with pytest.raises(AccessDeniedError, match="admins only"):
        audit_view.require_admin(tmp_path, Principal("ana", "analyst", "secret"))
    with pytest.raises(AccessDeniedError, match="nobody signed in"):
        audit_view.require_admin(tmp_path, None)
    [denied] = audit.entries(tmp_path)
    assert (denied["user"], denied["action"], denied["target"]) == ("ana", "denied", "audit-log")


def test_export_is_recorded_with_its_filters(tmp_path: Path) -> None:
    audit_view.record_export(tmp_path, ADMIN, 3, {"users": ["ana"], "actions": [], "from": "", "to": ""})
    [entry] = audit.entries(tmp_path)
    assert [entry[k] for k in ("user", "role", "action", "target")] == ["ada", "admin", "export", "audit-log.csv"]
    assert entry["params"] == {"rows": 3, "users": ["ana"], "actions": [], "from": "", "to": ""}


# -- the page (AppTest, no graph store needed) ----------------------------------------------------
@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path


def _page(who: Principal | None = None) -> AppTest:
    app = AppTest.from_file(str(DASHBOARD / "views" / "audit_log.py"), default_timeout=60)
    if who is not None:
        app.session_state["armsgraph_principal"] = who
    return app.run()


def test_page_shows_verified_chain_and_entries(served: Path) -> None:
    _log(served)
    app = _page()  # no users: the local admin
    assert not app.exception, [e.value for e in app.exception]
    assert [t.value for t in app.title] == ["Audit log"]
    assert [s.value for s in app.success] == ["Chain verified: 4 entries intact."]
    table = app.dataframe[0].value
    assert list(table["action"]) == ["denied", "export", "query", "login"]
    app.multiselect(key="audit_users").set_value(["ana"]).run()
    assert list(app.dataframe[0].value["seq"]) == [3, 2]
    assert "2 of 4 entries" in app.caption[0].value


def test_page_shows_where_the_chain_breaks(served: Path) -> None:
    _log(served)
    _set_time(served, 2, "2024-01-01T00:00:00.000+00:00")
    with audit.audit_path(served).open("ab") as handle:
        handle.write(b"[oops](http://example.org)\n")
    app = _page()
    assert not app.exception, [e.value for e in app.exception]
    [error] = app.error
    plain = error.value.replace("\\", "")  # the reason is Markdown-escaped
    assert plain.startswith("Chain broken at line 2 (line 2: content changed after it was written)")
    table = app.dataframe[0].value
    assert table["action"].iloc[0] == audit_view.UNREADABLE
    assert list(table["verified"]) == [False, False, False, False, True]  # lines 5..1


def test_page_shows_tampered_text_inert(served: Path) -> None:
    _log(served)
    path = audit.audit_path(served)
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    entry["seq"] = "![x](http://evil.example/x.png)"
    path.write_text("\n".join([json.dumps(entry), *lines[1:]]) + "\n", encoding="utf-8")
    [error] = _page().error
    assert "sequence \\!\\[x\\]\\(http" in error.value and "](http" not in error.value


def test_page_refuses_other_roles(served: Path) -> None:
    _log(served)
    app = _page(Principal("ana", "analyst", "secret"))
    assert app.exception and "admins only" in app.exception[0].value  # app.py turns this into a notice
    assert not app.dataframe and not app.success
    assert list(audit.entries(served))[-1]["action"] == "denied"


def test_app_menu_offers_the_page_to_admins_only(served: Path) -> None:
    from armsgraph.users import add_user

    add_user(served, "ana", "analyst", password="pw-analyst-1")
    add_user(served, "ada", "admin", "secret", password="pw-admin-1")  # the signed-in user is read from the file
    for who, refused in ((ADMIN, False), (Principal("ana", "analyst", "secret"), True)):
        app = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60)
        app.session_state["armsgraph_principal"] = who
        app.run()
        app.switch_page("views/audit_log.py").run()
        assert not app.exception, [e.value for e in app.exception]
        warnings = [w.value for w in app.warning]
        assert any("may not see this page" in w for w in warnings) is refused
        assert bool(app.dataframe) is not refused
