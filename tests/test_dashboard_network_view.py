"""The network picture: capping and folding, layout, colours, and an HTML page that needs no network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from armsgraph.dashboard import geo
from armsgraph.dashboard.network_view import (
    AGGREGATE_PREFIX,
    LEGEND_ENTRIES,
    MISSING_COLOUR,
    NETWORKX_MAX,
    View,
    cap,
    caption_of,
    colours,
    layout,
    render_html,
)


def star(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A hub incident with ``n`` person leaves and one firearm leaf."""
    nodes = pd.DataFrame(
        {
            "uid": ["hub", "gun", *[f"p{i}" for i in range(n)]],
            "label": ["Incident", "Firearm", *["Person"] * n],
            "caption": ["hub", "gun", *[f"person {i}" for i in range(n)]],
            "community": [None, None, *[f"community {i % 2}" for i in range(n)]],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["hub", *[f"p{i}" for i in range(n)]],
            "type": ["SEIZED", *["INVOLVED_IN"] * n],
            "target": ["gun", *["hub"] * n],
        }
    )
    return nodes, edges


def test_cap_keeps_small_views_whole() -> None:
    nodes, edges = star(5)
    view = cap(nodes, edges, pinned=set(), limit=10)
    assert len(view.nodes) == 7 and len(view.edges) == 6 and view.aggregated == 0


def test_cap_folds_the_least_connected_per_label() -> None:
    nodes, edges = star(20)
    view = cap(nodes, edges, pinned={"p7"}, limit=6)
    uids = set(view.nodes["uid"])
    assert len(view.nodes) <= 6
    assert {"hub", "p7"} <= uids  # best connected and pinned are kept
    folded = view.nodes[view.nodes["uid"].str.startswith(AGGREGATE_PREFIX)].set_index("label")
    kept_people = sum(1 for u in uids if u.startswith("p"))
    assert folded.loc["Person", "folded"] == 20 - kept_people
    assert folded.loc["Person", "caption"] == f"+{20 - kept_people:,} Person"
    kept = [u for u in uids if not u.startswith(AGGREGATE_PREFIX)]
    assert view.aggregated == len(nodes) - len(kept)
    assert (view.edges["source"] != view.edges["target"]).all()
    assert ("agg:Person", "INVOLVED_IN", "hub") in set(
        zip(view.edges["source"], view.edges["type"], view.edges["target"])
    )
    assert not view.edges.duplicated(["source", "type", "target"]).any()


def test_layout_is_deterministic_and_covers_every_node() -> None:
    view = View(*star(8))
    first, second = layout(view, seed=3), layout(view, seed=3)
    assert first == second and set(first) == set(view.nodes["uid"])
    assert len({(round(x), round(y)) for x, y in first.values()}) == len(first)  # no two nodes on one spot


def test_large_views_are_laid_out_deterministically() -> None:
    nodes, edges = star(NETWORKX_MAX + 50)
    view = View(nodes, edges)
    first = layout(view, seed=5)
    assert first == layout(view, seed=5) and set(first) == set(nodes["uid"])
    assert len({(round(x), round(y)) for x, y in first.values()}) == len(first)


def test_colours_by_attribute_with_grey_for_missing() -> None:
    view = View(*star(4))
    per_node, legend = colours(view, "community")
    assert set(legend) == {"community 0", "community 1"}
    assert per_node["p0"] == per_node["p2"] != per_node["p1"]
    assert per_node["hub"] == MISSING_COLOUR
    by_label, label_legend = colours(view, "label")
    assert set(label_legend) == {"Incident", "Firearm", "Person"} and by_label["p0"] == by_label["p3"]
    with pytest.raises(ValueError, match="colour_by"):
        colours(view, "shoe size")


def test_html_is_offline_and_escapes_record_text() -> None:
    nodes, edges = star(3)
    nodes.loc[2, "caption"] = "<script>alert('x')</script>"
    nodes.loc[3, "community"] = "<img src=x onerror=alert(1)>"
    view = View(nodes, edges)
    page = render_html(view, layout(view), colour_by="community", highlight={"hub", "gun"})
    assert "<script src" not in page and "<link" not in page
    assert "https://cdn" not in page and "cdnjs" not in page and "jsdelivr" not in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # legend text escaped
    assert "new vis.Network" in page and '"physics": {"enabled": false}' in page
    assert "div.vis-tooltip" in page and "data:image" not in page  # the stylesheet without its button images
    assert len(page) < 500_000


def _drawn(page: str, name: str) -> list[dict[str, object]]:
    found = re.search(rf"var {name} = new vis.DataSet\((.*?)\);\n", page)
    assert found, name
    return list(json.loads(found.group(1)))


def test_html_names_nodes_by_short_ids_and_their_captions_in_tooltips() -> None:
    view = View(*star(3))
    page = render_html(view, layout(view), highlight={"hub", "gun"})
    nodes, edges = _drawn(page, "nodes"), _drawn(page, "edges")
    by_caption = dict(zip(view.nodes["caption"], view.nodes["uid"], strict=True))
    uid_of = {n["id"]: by_caption[str(n["title"]).split(": ", 1)[1]] for n in nodes}
    assert sorted(uid_of.values()) == sorted(view.nodes["uid"]) and set(uid_of) == set(range(len(nodes)))
    drawn = {(uid_of[e["from"]], e["title"], uid_of[e["to"]]) for e in edges}
    assert drawn == set(view.edges[["source", "type", "target"]].itertuples(index=False, name=None))
    on_path = [e for e in edges if e.get("width") == 3]
    assert [(uid_of[e["from"]], uid_of[e["to"]]) for e in on_path] == [("hub", "gun")]
    assert {uid_of[n["id"]] for n in nodes if n.get("borderWidth") == 4} == {"hub", "gun"}


def test_nodes_are_labelled_by_names_and_record_ids_never_by_uids() -> None:
    nodes = pd.DataFrame(
        {
            "uid": ["incident:scenario-10000-seed7:INC-0000398", "incident:s:I2", "person:ab12", "firearm:kp1850:x"],
            "label": ["Incident", "Incident", "Person", "Firearm"],
            "caption": ["incident:scenario-10000-seed7:INC-0000398", None, "Dritan Krasniqi", "KPL850"],
        }
    )
    view = View(nodes, pd.DataFrame(columns=["source", "type", "target"]))
    drawn = _drawn(render_html(view, layout(view)), "nodes")
    assert [n["label"] for n in drawn] == ["INC-0000398", "I2", "Dritan Krasniqi", "KPL850"]
    assert not any(uid in str(n) for n in drawn for uid in nodes["uid"])  # not in labels, not in tooltips
    assert caption_of("case:planted:CASE-00001", float("nan")) == "CASE-00001"


def test_the_legend_is_inside_the_frame_and_counts_what_it_does_not_list() -> None:
    nodes, edges = star(40)
    nodes["community"] = [f"community {i}" for i in range(len(nodes))]
    view = View(nodes, edges)
    page = render_html(view, layout(view), colour_by="community", height_px=300)
    frame = page.split('<div class="frame">', 1)[1]
    assert frame.index('<div class="legend">') < frame.index('<div id="mynetwork">')  # drawn over the picture
    legend = frame.split('<div class="legend">', 1)[1].split("</div>", 1)[0]
    assert legend.count("<i ") == LEGEND_ENTRIES and f"+{len(nodes) - LEGEND_ENTRIES} more" in legend
    assert "height: 300px" in page and "box-sizing: border-box" in page


def test_html_of_a_dense_picture_stays_small() -> None:
    nodes, _ = star(298)
    uids = list(nodes["uid"])
    pairs = [(uids[i], uids[(i * 7 + k) % len(uids)]) for i in range(len(uids)) for k in range(1, 17)]
    edges = pd.DataFrame([(a, "LINKED", b) for a, b in pairs if a != b], columns=["source", "type", "target"])
    view = View(nodes, edges)
    page = render_html(view, layout(view))
    assert len(_drawn(page, "edges")) == len(edges) > 4_700
    assert len(page) < 500_000 + 60 * len(edges)  # vis-network itself (~480 kB) and ~50 bytes a link


def test_html_refuses_an_edge_to_a_node_it_does_not_draw() -> None:
    nodes, edges = star(2)
    edges.loc[len(edges)] = ["hub", "SEIZED", "elsewhere"]
    view = View(nodes, edges)
    with pytest.raises(ValueError, match="elsewhere"):
        render_html(view, layout(View(*star(2))))


def test_offline_maps_locate_countries_and_states() -> None:
    lat, lon = geo.locate("MEX") or (0, 0)
    assert 14 < lat < 33 and -118 < lon < -86
    lat, lon = geo.locate("US-AZ") or (0, 0)
    assert 31 < lat < 37 and -115 < lon < -109
    assert geo.locate("AZ") == geo.locate("US-AZ")
    assert geo.locate("XXX") is None and geo.locate(None) is None
    assert (geo.TOPOJSON_DIR / "LICENSE.txt").read_text().count("MIT License") == 1
    assert geo.PLOTLY_CONFIG["topojsonURL"] == "/app/static/topojson/"


def test_record_text_is_inert_in_markdown() -> None:
    from armsgraph.dashboard.ui import md

    assert md("[click](javascript:alert(1))") == r"\[click\]\(javascript\:alert\(1\)\)"
    assert md("**bold** <b>") == r"\*\*bold\*\* \<b\>"
    assert md(None) == "—" and md(float("nan")) == "—"


@pytest.fixture
def sample_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The dashboard's settings pointed at the browser tests' sample graph, no cached result from elsewhere."""
    import streamlit as st

    from armsgraph.graph.store import open_store
    from tests.browser.sample_graph import load_sample
    from tests.conftest import settings_for

    store = open_store(settings_for("embedded", tmp_path))
    store.apply_schema()
    load_sample(store)
    monkeypatch.setenv("ARMSGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARMSGRAPH_STORE", "embedded")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path
    store.close()


def test_the_explorer_draws_a_readable_number_and_shows_more_on_request(sample_dashboard: Path) -> None:
    from streamlit.testing.v1 import AppTest

    page = Path(__file__).resolve().parents[1] / "armsgraph" / "dashboard" / "views" / "network_explorer.py"
    app = AppTest.from_file(str(page), default_timeout=60)
    app.session_state["explorer_nodes"] = 4  # as if READABLE_NODES were 4: Juan and his 6 neighbours do not fit
    app.run()
    app.text_input(key="explorer_search_text").set_value("Juan").run()
    next(b for b in app.button if b.label == "Expand neighbours").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("folded into groups" in c.value for c in app.caption)
    more = [b for b in app.button if b.label.startswith("Show ") and b.label.endswith(" more")]
    assert len(more) == 1
    folded = int(more[0].label.split()[1])
    more[0].click().run()
    assert app.session_state["explorer_nodes"] == 4 + folded
    assert any(c.value.startswith("7 nodes") and "folded" not in c.value for c in app.caption)
    assert not [b for b in app.button if b.label.endswith(" more")]  # everything drawn: no button
