"""Nexus: scores, paths and shared entities between terrorism, organised crime and trafficking (tiny graph)."""

from __future__ import annotations

import pandas as pd
import pytest

from armsgraph.analytics import nexus
from armsgraph.graph.store import GraphStore

P = {"src_file": "tiny.csv"}


def tiny_nexus(store: GraphStore) -> None:
    """Community 1 (p1, p2): p1 in i2; p2 in i2 (trafficking) and i3 (drug trafficking); f1 seized in i2 and i1
    (terrorism); route r1 used by i3 and i4 (terrorism). p3, p4 have no community: p3 in i6, p4 in i6 and i5."""
    contexts = {
        "i1": "terrorism",
        "i2": "illicit trafficking",
        "i3": "drug trafficking",
        "i4": "terrorism",
        "i5": "violent crime",
        "i6": "illicit trafficking",
    }
    store.upsert_nodes("Incident", [{"uid": u, "context": c, **P} for u, c in contexts.items()])
    store.upsert_nodes(
        "Person",
        [
            {"uid": "p1", "community": 1, **P},
            {"uid": "p2", "community": 1, **P},
            {"uid": "p3", **P},
            {"uid": "p4", **P},
        ],
    )
    involved = [("p1", "i2"), ("p2", "i2"), ("p2", "i3"), ("p3", "i6"), ("p4", "i6"), ("p4", "i5")]
    store.upsert_relationships(
        "INVOLVED_IN", "Person", "Incident", [{"from": a, "to": i, "role": "courier", **P} for a, i in involved]
    )
    store.upsert_nodes("Firearm", [{"uid": "f1", **P}])
    store.upsert_relationships(
        "SEIZED", "Incident", "Firearm", [{"from": "i2", "to": "f1", **P}, {"from": "i1", "to": "f1", **P}]
    )
    store.upsert_nodes("Route", [{"uid": "r1", "mode": "land", **P}])
    store.upsert_relationships(
        "ALONG", "Incident", "Route", [{"from": "i3", "to": "r1", **P}, {"from": "i4", "to": "r1", **P}]
    )


def test_network_scores(store: GraphStore) -> None:
    tiny_nexus(store)
    scores = nexus.analyse(store)["network_scores"]
    assert scores["network"].tolist() == ["community:1", "component:p3"]
    top = scores.iloc[0]
    # reaches i1 (terrorism, via f1), i2 (trafficking), i3 (organised crime): an even mix
    assert (top.terrorism, top.organised_crime, top.trafficking, top.incidents) == (1, 1, 1, 3)
    # p2, f1 and r1 cross groups, p1 does not: bridge 3/4
    assert (top.mix, top.bridge, top.score) == (1.0, 0.75, 1.375)
    assert top.evidence == ["f1", "p2", "r1"]
    other = scores.iloc[1]
    assert (other.score, other.trafficking, other.actors) == (0.0, 1, 2)


def test_paths_and_context_links(store: GraphStore) -> None:
    tiny_nexus(store)
    tables = nexus.analyse(store)
    paths = tables["paths"][["network", "via", "incident_a", "group_a", "incident_b", "group_b"]]
    assert paths.values.tolist() == [
        ["community:1", "f1", "i1", "terrorism", "i2", "trafficking"],
        ["community:1", "p2", "i3", "organised_crime", "i2", "trafficking"],
        ["community:1", "r1", "i3", "organised_crime", "i4", "terrorism"],
    ]
    links = tables["context_links"].set_index(["group_a", "group_b"])
    assert links.loc[("organised_crime", "terrorism"), "Route"] == 1
    assert links.loc[("terrorism", "trafficking"), "Firearm"] == 1
    assert links.loc[("organised_crime", "trafficking"), "Person"] == 1


def test_empty_graph(store: GraphStore) -> None:
    tables = nexus.analyse(store)
    assert all(t.empty for t in tables.values())


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0]])
def test_components_do_not_depend_on_row_order(order: list[int]) -> None:
    links = pd.DataFrame(
        {"incident": ["a", "a", "b", "c"], "label": ["Person"] * 4, "entity": ["x", "y", "y", "z"], "community": None}
    ).iloc[order]
    assert nexus.networks_of(links).to_dict() == {"x": "component:x", "y": "component:x", "z": "component:z"}
