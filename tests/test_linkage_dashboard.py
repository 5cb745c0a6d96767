"""The Linked incidents page shows the waterfall of a chosen link: prior, each comparison's weight, total."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from armsgraph.analytics import linking
from armsgraph.dashboard.linkage import waterfall
from armsgraph.graph.store import GraphStore, open_store
from tests.conftest import settings_for
from tests.test_analytics_linking import linking_graph

PAGE = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard" / "views" / "linked_incidents.py"


def test_waterfall_steps_add_up_to_the_match_weight() -> None:
    link = {
        "prior_weight": -13.3,
        "comparisons": ["date", "identifier"],
        "levels": ["same day", "a shared identifier"],
        "weights": [7.4, 49.2],
        "match_weight": 43.3,
    }
    steps = waterfall(link)
    assert steps["step"].tolist() == [
        "prior (two incidents at random)",
        "date: same day",
        "identifier: a shared identifier",
        "match weight",
    ]
    assert steps["weight"].iloc[:-1].sum() == pytest.approx(steps["weight"].iloc[-1])


def test_page_draws_the_waterfall_of_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store: GraphStore = open_store(settings_for("embedded", tmp_path / "data"))
    try:
        store.apply_schema()
        linking_graph(store)
        linking.analyse(store)
    finally:
        store.close()
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    app = AppTest.from_file(str(PAGE), default_timeout=90).run()
    assert not app.exception, [e.value for e in app.exception]
    options = app.selectbox(key="waterfall_link").options
    assert [o.split("  ")[0] for o in options] == ["i1 – i9", "i1 – i2"]  # the strongest first
    caption = " ".join(c.value for c in app.caption)
    assert "the same person (+" in caption and "Match probability 1.0000" in caption
