"""Shortest paths over evidence: no computed clusters or LINKED pairs, POSSIBLY_SAME only when asked, a time limit."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from armsgraph.analytics import paths
from armsgraph.errors import QueryTimeoutError
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


def crowd_graph(store: GraphStore, persons: int = 600, incidents: int = 200) -> None:
    """Many persons each in five of many incidents (every pair of persons within a few hops), and a
    person "alone" in an incident of their own: a search from "p0" to "alone" explores all of it."""
    store.upsert_nodes("Person", [{"uid": f"p{n}", "name": f"P{n}", "src_row": n, **P} for n in range(persons)])
    store.upsert_nodes("Person", [{"uid": "alone", "name": "Alone", "src_row": 0, **P}])
    store.upsert_nodes("Incident", [{"uid": f"i{n}", "src_row": n, **P} for n in range(incidents + 1)])
    ties = [{"from": f"p{n}", "to": f"i{(n * 7 + k * 13) % incidents}", "role": "buyer", "src_row": n, **P}
            for n in range(persons) for k in range(5)]  # fmt: skip
    ties.append({"from": "alone", "to": f"i{incidents}", "role": "buyer", "src_row": 0, **P})
    store.upsert_relationships("INVOLVED_IN", "Person", "Incident", ties)


def test_a_query_over_the_time_limit_is_ended_by_the_server_and_returns_the_message(store: GraphStore) -> None:
    crowd_graph(store)
    started = time.perf_counter()
    answer = paths.shortest_path(store, "p0", "alone", time_limit_s=0.001)  # the server's 1 ms TIMEOUT
    assert answer.steps.empty and answer.message == "no path within 6 hops in 0.001 s"
    assert time.perf_counter() - started < 1.0  # ended by the server, not waited out
    # Within the default limit the same search completes: no path over evidence, and a real one is found.
    assert paths.shortest_path(store, "p0", "alone").message == "no path within 6 hops over evidence"
    found = paths.shortest_path(store, "p0", "p141").uids  # both attend incidents: one incident apart
    assert found[0] == "p0" and found[-1] == "p141" and len(found) == 3 and found[1].startswith("i")


def test_the_store_raises_a_timeout_error_past_its_time_limit(store: GraphStore) -> None:
    crowd_graph(store)
    types = paths.evidence_types()
    with pytest.raises(QueryTimeoutError):
        store.read("shortest_evidence_path", timeout_s=0.001, source="p0", target="alone", max_hops=6, types=types)
    assert store.read("shortest_evidence_path", source="p0", target="alone", max_hops=6, types=types).empty


def test_evidence_types_leave_out_computed_relationships() -> None:
    types = paths.evidence_types()
    assert "INVOLVED_IN" in types and not {"IN_CLUSTER", "LINKED", "POSSIBLY_SAME"} & set(types)
    assert "POSSIBLY_SAME" in paths.evidence_types(include_possibly_same=True)
    with pytest.raises(ValueError, match="max_hops"):
        paths.shortest_path(None, "a", "b", max_hops=0)  # type: ignore[arg-type]
