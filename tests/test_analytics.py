"""Analytics: known answers on a tiny hand-made graph, real-data checks, networkx cross-checks."""

from __future__ import annotations

import csv
import random
import shutil
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

from armsgraph.analytics import run_all
from armsgraph.analytics.networks import brokers, communities, disruption
from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA, require

P = {"src_file": "tiny.csv"}


def tiny_graph(store: GraphStore) -> None:
    """i1–i2 share a firearm; i2–i3 share a person; i4 is alone; i5–i6 share a hit group; i1 is terrorism."""
    store.upsert_nodes(
        "Incident",
        [
            {
                "uid": "i1",
                "date": "2021-01-01",
                "context": "terrorism",
                "country": "FRA",
                "lat": 48.85,
                "lon": 2.35,
                **P,
            },
            {
                "uid": "i2",
                "date": "2021-01-10",
                "context": "illicit trafficking",
                "country": "FRA",
                "lat": 48.86,
                "lon": 2.36,
                **P,
            },
            {"uid": "i3", "date": "2022-06-01", "context": "illicit trafficking", "country": "BEL", **P},
            {"uid": "i4", "date": "2021-03-01", "context": "illicit possession", "country": "DEU", **P},
            {"uid": "i5", "date": "2021-04-01", "context": "violent crime", "country": "DEU", **P},
            {"uid": "i6", "date": "2021-05-01", "context": "violent crime", "country": "DEU", **P},
        ],
    )
    store.upsert_nodes("Firearm", [{"uid": "f1", "serial": "A1", **P}, {"uid": "f2", "serial": "B2", **P}])
    store.upsert_nodes("Person", [{"uid": "p1", "name": "Ana", **P}, {"uid": "p2", "name": "Ben", **P}])
    store.upsert_nodes(
        "BallisticEvidence", [{"uid": "b5", "hit_group": "G", **P}, {"uid": "b6", "hit_group": "G", **P}]
    )
    store.upsert_nodes("Organisation", [{"uid": "org:d", "name": "Dealer", "kind": "licensed dealer", **P}])
    store.upsert_nodes(
        "Transfer",
        [
            {"uid": "t1", "kind": "sale", "date": "2020-12-01", "last_legal": True, **P},
            {"uid": "t2", "kind": "diversion", "diversion": True, **P},
        ],
    )
    store.upsert_nodes(
        "Place",
        [
            {"uid": "country:SRB", "code": "SRB", "kind": "country", **P},
            {"uid": "country:AUT", "code": "AUT", "kind": "country", **P},
            {"uid": "country:FRA", "code": "FRA", "kind": "country", **P},
        ],
    )
    store.upsert_nodes("Route", [{"uid": "r1", "mode": "land", **P}])
    store.upsert_relationships(
        "SEIZED",
        "Incident",
        "Firearm",
        [{"from": "i1", "to": "f1", **P}, {"from": "i2", "to": "f1", **P}, {"from": "i4", "to": "f2", **P}],
    )
    store.upsert_relationships(
        "INVOLVED_IN",
        "Person",
        "Incident",
        [
            {"from": "p1", "to": "i2", "role": "courier", **P},
            {"from": "p1", "to": "i3", "role": "courier", **P},
            {"from": "p2", "to": "i3", "role": "buyer", **P},
        ],
    )
    store.upsert_relationships(
        "RECOVERED_AT",
        "BallisticEvidence",
        "Incident",
        [{"from": "b5", "to": "i5", **P}, {"from": "b6", "to": "i6", **P}],
    )
    store.upsert_relationships(
        "HISTORY",
        "Firearm",
        "Transfer",
        [{"from": "f1", "to": "t1", "order": 1, **P}, {"from": "f1", "to": "t2", "order": 2, **P}],
    )
    store.upsert_relationships("FROM", "Transfer", "Organisation", [{"from": "t2", "to": "org:d", **P}])
    store.upsert_relationships("ALONG", "Incident", "Route", [{"from": "i2", "to": "r1", **P}])
    store.upsert_relationships(
        "LEG",
        "Route",
        "Place",
        [
            {"from": "r1", "to": "country:SRB", "order": 0, "role": "departure", **P},
            {"from": "r1", "to": "country:AUT", "order": 1, "role": "transit", **P},
            {"from": "r1", "to": "country:FRA", "order": 2, "role": "destination", **P},
        ],
    )


def test_run_all_known_answers(store: GraphStore) -> None:
    tiny_graph(store)
    results = run_all(store, progress=False)
    pairs = {(r.a, r.b): set(r.rules) for r in results["linking"]["pairs"].itertuples()}
    assert pairs == {("i1", "i2"): {"firearm", "trace"}, ("i2", "i3"): {"person"}, ("i5", "i6"): {"ballistic"}}
    clusters = results["linking"]["clusters"]
    assert sorted(clusters.groupby("cluster")["incident"].apply(sorted).tolist()) == [["i1", "i2", "i3"], ["i5", "i6"]]
    linked = store.read("dashboard_cluster_links", cluster=clusters.iloc[0]["cluster"], limit=100_000)
    assert len(linked) == 2 and all(linked["evidence"].map(len) > 0)
    assert store.read("entity", uid="i4").iloc[0]["properties"].get("cluster") is None
    # networks: p1 and p2 met in i3
    actors = results["networks"]["actors"].set_index("uid")
    assert actors.loc["p1", "community"] == actors.loc["p2", "community"]
    assert int(actors.loc["p1", "degree"]) == 1
    # routes: SRB → AUT → FRA, one firearm
    assert results["routes"]["flows"][["source", "target"]].values.tolist() == [["AUT", "FRA"], ["SRB", "AUT"]]
    corridor = results["routes"]["corridors"].iloc[0]
    assert (corridor.source, corridor.target, corridor.transit) == ("SRB", "FRA", "AUT")
    # diversion: f1 diverted from the dealer, seized 2021-01-01, 31 days after its last legal sale
    points = results["diversion"]["diversion_points"]
    assert points[["party_uid", "firearms"]].values.tolist() == [["org:d", 1]]
    assert results["diversion"]["time_to_crime"]["days"].tolist() == [31]
    assert store.read("entity", uid="org:d").iloc[0]["properties"]["diverted_firearms"] == 1
    # indicators: of two seized firearms, f1's origin was established
    sdg = results["indicators"]["sdg_16_4_2"].set_index("country")
    assert sdg.loc["FRA", "share"] == 1.0 and sdg.loc["DEU", "share"] == 0.0
    # nexus: p1's network reaches trafficking and, through f1, terrorism
    scores = results["nexus"]["network_scores"]
    assert scores.iloc[0]["terrorism"] == 1 and scores.iloc[0]["score"] >= 0.5


def test_rerun_replaces_results(store: GraphStore) -> None:
    tiny_graph(store)
    run_all(store, progress=False)
    first = store.counts()
    run_all(store, progress=False)
    assert store.counts() == first
    assert first["LINKED"] == 3


def test_unknown_analysis_is_refused(store: GraphStore) -> None:
    with pytest.raises(AnalyticsError, match="unknown analyses"):
        run_all(store, only=["astrology"], progress=False)


def _random_graph(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.Graph()
    for block in range(4):
        members = [f"n{block}-{i}" for i in range(25)]
        graph.add_edges_from((a, b) for a, b in combinations(members, 2) if rng.random() < 0.3)
    nodes = list(graph.nodes)
    graph.add_edges_from((rng.choice(nodes), rng.choice(nodes)) for _ in range(8))
    return graph


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leiden_matches_louvain_modularity(seed: int) -> None:
    graph = _random_graph(seed)
    modularity = {}
    for method in ("leiden", "louvain"):
        labels = communities(graph, seed=seed, method=method)
        groups = {}
        for node, label in labels.items():
            groups.setdefault(label, set()).add(node)
        modularity[method] = nx.community.modularity(graph, groups.values())
    assert modularity["leiden"] == pytest.approx(modularity["louvain"], abs=0.03)
    assert modularity["leiden"] > 0.5


def test_betweenness_equals_networkx_and_disruption_fragments() -> None:
    graph = _random_graph(5)
    assert brokers(graph) == pytest.approx(nx.betweenness_centrality(graph))
    star = nx.star_graph(6)
    curve = disruption(star, nx.betweenness_centrality(star), k=1)
    assert curve["largest_component_share"].tolist() == [1.0, pytest.approx(1 / 7)]


ROXANNE = (
    REAL_DATA / "roxanne-burglary" / "israel_lea_inp_burglary_offender_id_network_from_2020-01-01_to_2020-06-30.json"
)
ATF = REAL_DATA / "atf-trace-source-recovery" / "source_recovery_by_state.csv"


def test_roxanne_shared_offender_pairs_exact(store: GraphStore, tmp_path: Path) -> None:
    require(ROXANNE)
    bundle = tmp_path / "roxanne"
    bundle.mkdir()
    shutil.copy(ROXANNE, bundle)
    ingest_bundle(store, bundle, mapping="roxanne_burglary", progress=False)
    pairs = run_all(store, only=["linking"], progress=False)["linking"]["pairs"]
    by_person = pairs[pairs["rules"].map(lambda r: "person" in r)]
    assert len(by_person) == 1331


def test_atf_2021_corridors_rank_as_published(store: GraphStore, tmp_path: Path) -> None:
    require(ATF)
    bundle = tmp_path / "atf"
    bundle.mkdir()
    with ATF.open(encoding="utf-8") as src, (bundle / ATF.name).open("w", encoding="utf-8", newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=["source_state", "recovery_state", "year", "n"])
        writer.writeheader()
        writer.writerows(r for r in csv.DictReader(src) if r["year"] == "2021")
    ingest_bundle(store, bundle, mapping="atf_source_recovery", progress=False)
    flows = run_all(store, only=["routes"], progress=False)["routes"]["flows"].set_index(["source", "target"])
    assert flows.loc[("US-IN", "US-IL"), "firearms"] == 2601
    assert flows.loc[("US-IL", "US-IN"), "firearms"] == 186
    assert flows.loc[("US-GA", "US-NY"), "firearms"] == 981
    assert flows.loc[("US-AZ", "US-CA"), "firearms"] == 4725
    ranked = list(flows.index)
    assert ranked.index(("US-IN", "US-IL")) < ranked.index(("US-IL", "US-IN"))


@pytest.mark.parametrize(
    "name", ["common", "linking", "networks", "routes", "diversion", "nexus", "hotspots", "indicators"]
)
def test_docstring_examples(name: str) -> None:
    """Every analysis documents a runnable example; run them."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"armsgraph.analytics.{name}"))
    assert result.failed == 0
