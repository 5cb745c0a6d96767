"""Every page script runs against the sample graph without an exception (Streamlit's AppTest, in-process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.users import add_user
from tests.browser.sample_graph import load_sample
from tests.conftest import settings_for

DASHBOARD = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard"
PAGES = sorted(p.name for p in (DASHBOARD / "views").glob("*.py") if p.name != "sign_in.py")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("dash-pages")
    store: GraphStore = open_store(settings_for("embedded", data_dir))
    store.apply_schema()
    load_sample(store)
    yield data_dir
    store.close()


@pytest.fixture
def served(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard's settings point at the sample graph; no cached connection or result from another test."""
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(sample_dir))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    return sample_dir


def run(page: str) -> AppTest:
    return AppTest.from_file(str(DASHBOARD / "views" / page), default_timeout=60).run()


def test_no_legacy_pages_folder() -> None:
    # A pages/ folder beside app.py would make Streamlit run a fresh server's first session without app.py.
    assert not (DASHBOARD / "pages").exists()
    assert len(PAGES) == 14


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(served: Path, page: str) -> None:
    app = run(page)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, f"{page} shows no title"


def test_overview_shows_known_numbers(served: Path) -> None:
    app = run("overview.py")
    values = {m.label: m.value for m in app.metric}
    assert values["Incidents"] == "5" and values["Linked clusters"] == "1"
    assert values["Share of seized firearms traced"] == "25.0%"


def test_tracing_shows_response_times(served: Path) -> None:
    values = {m.label: m.value for m in run("tracing.py").metric}
    assert values["Trace requests"] == "3" and values["Median response"] == "23 days"
    assert values["Median time-to-crime"] == "2 years 7 months"  # 953 days


def test_explorer_expand_adds_neighbours(served: Path) -> None:
    app = run("network_explorer.py")
    app.text_input(key="explorer_search_text").set_value("Juan").run()
    next(b for b in app.button if b.label == "Expand neighbours").click().run()
    assert not app.exception
    assert set(app.session_state["explorer_uids"]) == {"P-1", "INC-1", "INC-2", "ORG-1", "ID-1", "CASE-1", "P-4"}
    assert any("7 nodes" in c.value for c in app.caption)


def test_app_turns_off_the_tables_own_downloads_before_drawing(served: Path) -> None:
    # `streamlit run app.py` without armsgraph serve's --client.disableDataExport: app.py sets it and reruns.
    before = st.get_option("client.disableDataExport")
    st.set_option("client.disableDataExport", False)
    try:
        app = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60).run()
        assert st.get_option("client.disableDataExport") is True
        assert not app.exception and [t.value for t in app.title] == ["Overview"]
    finally:
        st.set_option("client.disableDataExport", before)


def test_sign_in_page_when_users_exist(served: Path) -> None:
    password = add_user(served, "ann", "programme")
    try:
        app = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60).run()
        assert [t.value for t in app.title] == ["armsgraph"]  # the sign-in page only
        app.text_input[0].set_value("ann")
        app.text_input[1].set_value("wrong")
        app.button[0].click().run()
        assert [e.value for e in app.error] == ["unknown user or wrong password"]
        assert "armsgraph_principal" not in app.session_state
        app.text_input[1].set_value(password)
        app.button[0].click().run()
        assert app.session_state["armsgraph_principal"].role == "programme"  # the browser test follows the sign-in
    finally:
        (served / "users.json").unlink()


def test_timeline_of_an_entity(served: Path) -> None:
    app = run("timeline.py")
    app.text_input(key="timeline_entity_text").set_value("Juan Perez").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["uid"].tolist() == ["INC-1", "INC-2", "INC-3"]


def test_nexus_path_between_contexts(served: Path) -> None:
    app = run("nexus.py")
    assert {m.label: m.value for m in app.metric}["Bridging entities"] == "2"
    assert len(app.selectbox) == 0  # the path finder's pickers are drawn when it is opened
    app.session_state["nexus_finder"] = True
    app.run()
    pick = {box.label: box for box in app.selectbox}
    pick["From context"].set_value("terrorism").run()
    pick = {box.label: box for box in app.selectbox}
    pick["To context"].set_value("organised crime").run()
    assert not app.exception
    assert not any("INC\\-3" in m.value for m in app.markdown)  # no path is searched before it is asked for
    next(b for b in app.button if b.label == "Find path").click().run()
    # over evidence only (the case concerning both), each step with the record that supports it
    assert app.markdown[-1].value == "**Path:** INC\\-3 → CASE\\-1 → INC\\-2"
    steps = app.dataframe[-1].value
    assert steps["uid"].tolist() == ["INC-3", "CASE-1", "INC-2"]
    assert steps["via"].tolist()[1:] == ["CONCERNS", "CONCERNS"]
    assert steps["evidence"].iloc[1] == "sample.csv, row 4"


def test_tracing_lists_requests_only_when_asked(served: Path) -> None:
    app = run("tracing.py")
    assert len(app.dataframe) == 1  # points of diversion; the requests table is drawn when opened
    app.session_state["tracing_requests"] = True
    app.run()
    assert not app.exception
    assert app.dataframe[-1].value["uid"].tolist() == ["TR-3", "TR-2", "TR-1"]


def test_key_players_page_shows_the_stored_ranking_or_says_analyse_has_not_run(served: Path) -> None:
    from armsgraph.analytics import networks, results
    from armsgraph.dashboard.key_players import NOT_ANALYSED

    app = run("key_players.py")  # the sample graph was never analysed: a message, no recomputation
    assert not app.exception and not app.dataframe and NOT_ANALYSED in [i.value for i in app.info]
    store = open_store(settings_for("embedded", served))
    try:
        graph = networks.person_graph(store.read("analytics_actors"), store.read("analytics_actor_edges"))
        ranked = networks.key_players(graph, networks.communities(graph), k=5)
        results.save(store, {"key_players": ranked}, entity={"key_players": "node"})  # what analyse stores
        st.cache_data.clear()
        app = run("key_players.py")
        assert not app.exception, [e.value for e in app.exception]
        table = app.dataframe[0].value
        assert table["node"].tolist() == ranked["node"].tolist() and table["rank"].tolist() == [1, 2, 3, 4, 5]
        assert table["reason"].str.contains("fragmentation becomes").all()
    finally:
        store.write("analytics_results_clear", tables=["key_players"])
        store.close()


def test_duration_histograms_read_in_years_months_or_days() -> None:
    import pandas as pd

    from armsgraph.dashboard import charts
    from armsgraph.dashboard.data import frames

    def unit(*days: float) -> str:
        return charts.in_duration_units(frames.histogram(pd.Series(days)))[1]

    assert (unit(0, 730), unit(0, 731)) == ("months", "years")  # two years (730.5 days) and more read in years
    assert (unit(5, 60), unit(5, 61)) == ("days", "months")
    scaled, _ = charts.in_duration_units(frames.histogram(pd.Series([0.0, 953, 6423])))
    assert scaled["end"].max() == pytest.approx(6423 / 365.25) and scaled["range"].iloc[0].startswith("0 days to ")
    fig = charts.histogram_bars(frames.histogram(pd.Series([0.0, 953, 6423])), "firearms", "to recovery")
    assert fig.layout.xaxis.title.text == "years to recovery"
    assert "6423" not in str(fig.data[0].x)  # drawn in years, not days
