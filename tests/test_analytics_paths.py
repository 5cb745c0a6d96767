"""Shortest paths over evidence: no computed clusters or LINKED pairs, POSSIBLY_SAME only when asked, a time limit."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from armsgraph.analytics import paths
from armsgraph.errors import QueryTimeoutError
from armsgraph.graph import queries
from armsgraph.graph.model import default_model
from armsgraph.graph.store import GraphStore

P = {"src_file": "people.csv", "batch_id": "b1"}


def duplicates_graph(store: GraphStore) -> None:
    """Anna met Boris in i1; Borys (maybe Boris) met Carla in i2; a computed network Cluster holds Anna and Carla;
    i1 and i2 are LINKED by the analyses."""
    store.upsert_nodes("Person", [
        {"uid": "anna", "name": "Anna", "src_row": 1, **P}, {"uid": "boris", "name": "Boris", "src_row": 2, **P},
        {"uid": "borys", "name": "Borys", "src_row": 3, **P}, {"uid": "carla", "name": "Carla", "src_row": 4, **P},
    ])  # fmt: skip
    store.upsert_nodes("Incident", [{"uid": "i1", "src_row": 5, **P}, {"uid": "i2", "src_row": 6, **P}])
    store.upsert_nodes("Cluster", [{"uid": "cluster:network:0", "kind": "network", "src_row": 0, **P}])
    store.upsert_relationships("INVOLVED_IN", "Person", "Incident", [
        {"from": "anna", "to": "i1", "role": "buyer", "src_row": 7, **P},
        {"from": "boris", "to": "i1", "role": "seller", "src_row": 8, **P},
        {"from": "borys", "to": "i2", "role": "buyer", "src_row": 9, **P},
        {"from": "carla", "to": "i2", "role": "seller", "src_row": 10, **P},
    ])  # fmt: skip
    store.upsert_relationships(
        "POSSIBLY_SAME", "Person", "Person", [{"from": "boris", "to": "borys", "rule": "name", "score": 0.8, **P}]
    )
    store.upsert_relationships("IN_CLUSTER", "Person", "Cluster", [
        {"from": "anna", "to": "cluster:network:0", **P}, {"from": "carla", "to": "cluster:network:0", **P},
    ])  # fmt: skip
    store.upsert_relationships("LINKED", "Incident", "Incident", [{"from": "i1", "to": "i2", "weight": 0.9, **P}])


def test_a_path_through_possibly_same_or_computed_nodes_is_not_returned_by_default(store: GraphStore) -> None:
    duplicates_graph(store)
    answer = paths.shortest_path(store, "anna", "carla")
    assert answer.steps.empty and answer.message == "no path within 6 hops over evidence"


def test_possibly_same_is_followed_when_the_analyst_ticks_it(store: GraphStore) -> None:
    duplicates_graph(store)
    answer = paths.shortest_path(store, "anna", "carla", include_possibly_same=True)
    assert answer.uids == ["anna", "i1", "boris", "borys", "i2", "carla"]
    assert answer.steps["name"].tolist()[:3] == ["Anna", "i1", "Boris"]
    via = answer.steps["via"].tolist()
    assert pd.isna(via[0]) and via[1:] == ["INVOLVED_IN", "INVOLVED_IN", "POSSIBLY_SAME", "INVOLVED_IN", "INVOLVED_IN"]
    assert answer.steps["evidence"].tolist()[1:3] == ["people.csv, row 7", "people.csv, row 8"]
    # Bounded length: five hops are needed.
    short = paths.shortest_path(store, "anna", "carla", include_possibly_same=True, max_hops=4)
    assert short.steps.empty and "within 4 hops" in short.message


#: Incidents in each of the two towns of ``towns_graph``: enough that searching both takes the server
#: well over 1 ms (10-80 ms measured), so a 1 ms limit always ends it.
TOWN_INCIDENTS = 8_000


def towns_graph(store: GraphStore) -> None:
    """Two towns that share nothing, each with many incidents AT its city and a person ("a0", "b0") in one
    of them: a search from a0 to b0 explores both towns before it can say there is no path."""
    for town in "ab":
        store.upsert_nodes("Place", [{"uid": f"{town}-city", "name": f"City {town}", "src_row": 0, **P}])
        store.upsert_nodes("Incident", [{"uid": f"{town}i{n}", "src_row": n, **P} for n in range(TOWN_INCIDENTS)])
        store.upsert_relationships("AT", "Incident", "Place", [
            {"from": f"{town}i{n}", "to": f"{town}-city", "src_row": n, **P} for n in range(TOWN_INCIDENTS)
        ])  # fmt: skip
        store.upsert_nodes("Person", [{"uid": f"{town}0", "name": f"Person {town}", "src_row": 0, **P}])
        store.upsert_relationships(
            "INVOLVED_IN",
            "Person",
            "Incident",
            [{"from": f"{town}0", "to": f"{town}i0", "role": "buyer", "src_row": 0, **P}],
        )


def test_a_query_over_the_time_limit_is_ended_by_the_server_and_returns_the_message(store: GraphStore) -> None:
    towns_graph(store)
    answer = paths.shortest_path(store, "a0", "b0", time_limit_s=0.001)  # the server's 1 ms TIMEOUT
    assert answer.steps.empty and answer.message == "no path within 6 hops in 0.001 s"
    # Within the default limit the same search completes: no path over evidence, and a real one is found.
    assert paths.shortest_path(store, "a0", "b0").message == "no path within 6 hops over evidence"
    assert paths.shortest_path(store, "a0", "ai4321").uids == ["a0", "ai0", "a-city", "ai4321"]


def test_the_store_raises_a_timeout_error_past_its_time_limit(store: GraphStore) -> None:
    towns_graph(store)
    with pytest.raises(QueryTimeoutError):
        store.read("shortest_evidence_path", timeout_s=0.001, source="a0", target="b0", max_hops=6)
    assert store.read("shortest_evidence_path", source="a0", target="b0", max_hops=6).empty


def test_evidence_types_leave_out_computed_relationships() -> None:
    types = paths.evidence_types()
    assert "INVOLVED_IN" in types and not {"IN_CLUSTER", "LINKED", "POSSIBLY_SAME"} & set(types)
    assert "POSSIBLY_SAME" in paths.evidence_types(include_possibly_same=True)
    for hops in (0, paths.MAX_HOPS + 1):  # the statements search at most MAX_HOPS steps
        with pytest.raises(ValueError, match="max_hops must be between 1 and 6"):
            paths.shortest_path(None, "a", "b", max_hops=hops)  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", queries.DIALECTS)
@pytest.mark.parametrize("candidates", [False, True])
def test_the_path_statements_spell_out_the_models_labels_and_evidence_types(dialect: str, candidates: bool) -> None:
    text = queries.text(paths.STATEMENTS[candidates], dialect)
    for end, variable in (("source", "a"), ("target", "b")):  # each endpoint through every label's uid index
        found = re.findall(rf"MATCH \({variable}:(\w+)\) WHERE {variable}\.uid = \${end} RETURN {variable}", text)
        assert found == sorted(default_model().nodes)
    pattern = re.search(r"\(a\)-\[:([A-Z_|]+)\*1\.\.(\d+)\]-\(b\)", text)
    assert pattern is not None
    assert pattern.group(1).split("|") == paths.evidence_types(include_possibly_same=candidates)
    assert int(pattern.group(2)) == paths.MAX_HOPS
