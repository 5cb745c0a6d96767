"""Networks: projection, communities (Leiden vs Louvain), brokers vs networkx, disruption, results in the store."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from itertools import combinations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from armsgraph.analytics import networks
from armsgraph.graph.store import GraphStore


def test_person_graph_counts_ties_and_drops_self_loops() -> None:
    actors = pd.DataFrame(
        {"uid": ["p1", "p2", "o1"], "label": ["Person", "Person", "Organisation"], "name": list("ABO")}
    )
    edges = pd.DataFrame(
        {
            "source": ["p1", "p1", "p1", "p2"],
            "target": ["p2", "p2", "p1", "o1"],
            "kind": ["co-involvement", "identifier", "co-involvement", "transfer"],
            "via": ["i1", "x1", "i2", "t1"],
        }
    )
    graph = networks.person_graph(actors, edges)
    assert graph["p1"]["p2"]["weight"] == 2 and graph["p1"]["p2"]["kinds"] == {"co-involvement", "identifier"}
    assert not graph.has_edge("p1", "p1") and graph.number_of_edges() == 2
    assert graph.nodes["o1"]["label"] == "Organisation"


def two_cliques(size: int) -> nx.Graph:
    left = [f"a{n:02d}" for n in range(size)]
    right = [f"b{n:02d}" for n in range(size)]
    graph = nx.Graph(list(combinations(left, 2)) + list(combinations(right, 2)))
    graph.add_edge(left[0], right[0])
    return graph


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_large_component_is_split_into_its_cliques(method: str) -> None:
    labels = networks.communities(two_cliques(40), seed=1, method=method)  # 80 nodes > SMALL_COMPONENT
    assert len(set(labels.values())) == 2
    assert len({labels[f"a{n:02d}"] for n in range(40)}) == 1 and labels["a00"] != labels["b00"]


def test_a_small_component_of_two_teams_is_split_and_pairs_and_isolates_are_reported_as_such() -> None:
    # The shortcut that kept every component of up to 60 actors whole is gone: a 10-actor cell of two
    # 5-actor teams joined by one tie is two communities.
    graph = two_cliques(5)
    graph.add_edge("p1", "p2")
    graph.add_node("alone")
    report = networks.community_report(graph)
    labels = report.labels
    assert len({labels[f"a{n:02d}"] for n in range(5)}) == 1 and labels["a00"] != labels["b00"]
    assert "alone" not in labels and report.isolates == ["alone"]
    assert report.table["kind"].tolist() == ["community", "community", "pair"]
    assert report.table["size"].tolist() == [5, 5, 2] and report.table["stability"].tolist() == [1.0, 1.0, 1.0]
    # Modularity terms add up to the network's modularity.
    groups = [{n for n, c in labels.items() if c == k} for k in range(3)] + [{"alone"}]
    assert report.table["modularity"].sum() == pytest.approx(nx.community.modularity(graph, groups), abs=1e-5)


def test_communities_barely_depend_on_the_seed() -> None:
    graph = nx.planted_partition_graph(6, 25, 0.3, 0.04, seed=5)
    truth = [node // 25 for node in sorted(graph)]
    scores = []
    for seed in range(4):
        labels = networks.communities(graph, seed=seed)
        scores.append(adjusted_rand_score(truth, [labels.get(n, -1 - n) for n in sorted(graph)]))
    assert min(scores) > 0.9 and statistics.pstdev(scores) <= 0.02


def test_resolution_is_the_most_stable_near_optimal_one_nearest_one() -> None:
    same = dict.fromkeys((0.6, 0.8, 1.0, 1.2), 0.4)
    assert networks._choose_resolution({0.6: 1.0, 0.8: 0.995, 1.0: 0.95, 1.2: 0.9}, same) == 0.8
    assert networks._choose_resolution({0.8: 0.97, 1.0: 0.97, 1.2: 0.99}, same) == 1.0
    assert networks._choose_resolution({0.8: 0.9, 1.2: 0.9}, same) == 0.8
    # A very stable coarse split whose modularity is under 95% of the best is no candidate (boundary: 95%).
    agreement = {0.6: 0.8, 1.0: 0.15, 1.2: 0.2}
    assert networks._choose_resolution(agreement, {0.6: 0.2849, 1.0: 0.3, 1.2: 0.29}) == 1.2
    assert networks._choose_resolution(agreement, {0.6: 0.2850, 1.0: 0.3, 1.2: 0.29}) == 0.6
    with pytest.raises(ValueError, match="runs"):
        networks.community_report(nx.path_graph(3), runs=0)


#: Every node may move.
EVERY = np.ones(7, dtype=bool)


def _triangles_and(node_ties: list[tuple[int, float]]) -> ig.Graph:
    """Triangles 0-1-2 and 3-4-5 (weight 1) and node 6 with ``node_ties`` (neighbour, weight)."""
    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), *((6, u) for u, _ in node_ties)]
    g = ig.Graph(n=7, edges=edges)
    g.es["weight"] = [1.0] * 6 + [w for _, w in node_ties]
    return g


def test_refinement_moves_a_node_only_to_a_community_holding_strictly_more_of_its_ties() -> None:
    start = np.array([0, 0, 0, 1, 1, 1, 0])  # node 6 placed with the first triangle
    # Two ties into the second triangle, one into its own: it moves; the triangles stay.
    assert networks._refined(_triangles_and([(3, 1), (4, 1), (0, 1)]), start, EVERY).tolist() == [0, 0, 0, 1, 1, 1, 1]
    # Two ties each way: a tie does not move it (boundary: 2 against 2 stays, 2 against 1 moves).
    assert networks._refined(_triangles_and([(3, 1), (4, 1), (0, 1), (1, 1)]), start, EVERY).tolist() == start.tolist()
    # Weights, not counts: two ties of 1.75 outweigh three of 1 (and two of 1.5 against three of 1 stay).
    own = [(0, 1.0), (1, 1.0), (2, 1.0)]
    assert networks._refined(_triangles_and([(3, 1.75), (4, 1.75), *own]), start, EVERY)[6] == 1
    assert networks._refined(_triangles_and([(3, 1.5), (4, 1.5), *own]), start, EVERY).tolist() == start.tolist()
    # Two other communities equally strong and stronger than its own: the lower number wins.
    alone = np.array([0, 0, 0, 1, 1, 1, 2])
    assert networks._refined(_triangles_and([(3, 1), (0, 1)]), alone, EVERY)[6] == 0
    # Nodes are visited in order and see the moves made before them in the same sweep: on a path of
    # four singletons, node 0 joins 1, node 2 joins 1 (tie 1 against 3: the lower number), node 3
    # follows 2, all in one sweep; with no sweep at all nothing moves.
    path = ig.Graph(n=4, edges=[(0, 1), (1, 2), (2, 3)])
    path.es["weight"] = [1.0, 1.0, 1.0]
    assert networks._refined(path, np.array([0, 1, 2, 3]), np.ones(4, dtype=bool), sweeps=1).tolist() == [1, 1, 1, 1]
    assert networks._refined(path, np.array([0, 1, 2, 3]), np.ones(4, dtype=bool), sweeps=0).tolist() == [0, 1, 2, 3]


def test_only_nodes_the_runs_disagree_about_are_moved() -> None:
    g = _triangles_and([(3, 1), (4, 1), (0, 1)])
    start = np.array([0, 0, 0, 1, 1, 1, 0])
    # Every run put node 6 with the first triangle: modularity settled it, and it stays there.
    assert networks._contested(g, [start, start]).tolist() == [False] * 7
    assert networks._refined(g, start, networks._contested(g, [start, start])).tolist() == start.tolist()
    # One run of two put it with the second triangle: node 6 and the ends of its ties that split are
    # contested, and its ties settle it; the triangles' other nodes are not.
    other = np.array([0, 0, 0, 1, 1, 1, 1])
    contested = networks._contested(g, [start, other])
    assert contested.tolist() == [True, False, False, True, True, False, True]
    assert networks._refined(g, start, contested).tolist() == other.tolist()


def test_unknown_community_method_is_refused() -> None:
    with pytest.raises(ValueError, match="leiden or louvain"):
        networks.communities(nx.path_graph(3), method="girvan")


@pytest.mark.parametrize("seed", [11, 12])
def test_leiden_and_louvain_recover_a_planted_partition(seed: int) -> None:
    graph = nx.planted_partition_graph(6, 30, 0.35, 0.01, seed=seed)
    truth = {node: node // 30 for node in graph}
    modularity, ari = {}, {}
    for method in ("leiden", "louvain"):
        labels = networks.communities(graph, seed=seed, method=method)
        groups: dict[int, set[int]] = {}
        for node, label in labels.items():
            groups.setdefault(label, set()).add(node)
        modularity[method] = nx.community.modularity(graph, groups.values())
        ari[method] = adjusted_rand_score([truth[n] for n in graph], [labels[n] for n in graph])
    assert modularity["leiden"] == pytest.approx(modularity["louvain"], rel=0.03)
    assert min(ari.values()) > 0.9


def test_communities_are_reproducible_with_a_seed() -> None:
    graph = nx.planted_partition_graph(5, 20, 0.3, 0.03, seed=4)
    assert networks.communities(graph, seed=3) == networks.communities(graph, seed=3)


def test_exact_betweenness_equals_networkx() -> None:
    graph = nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=2)
    assert networks.brokers(graph) == pytest.approx(nx.betweenness_centrality(graph))
    # With every node a pivot the estimate is the exact value.
    assert networks.brokers(graph, pivots=120, exact_up_to=10) == pytest.approx(nx.betweenness_centrality(graph))
    with pytest.raises(ValueError, match="pivots"):
        networks.brokers(graph, pivots=0)


def _hubs_and_a_path() -> nx.Graph:
    """A 1,500-node scale-free component (clear brokers) beside a 5-node path."""
    big = nx.relabel_nodes(nx.powerlaw_cluster_graph(1500, 2, 0.3, seed=3), lambda i: f"b{i:04d}")
    return nx.union(big, nx.relabel_nodes(nx.path_graph(5), lambda i: f"s{i}"))


def test_betweenness_in_a_large_component_is_estimated_from_seeded_pivots() -> None:
    graph = _hubs_and_a_path()
    exact = networks.brokers(graph)
    estimate = networks.brokers(graph, pivots=150, exact_up_to=100, seed=1)
    assert estimate == networks.brokers(graph, pivots=150, exact_up_to=100, seed=1)
    assert estimate != networks.brokers(graph, pivots=150, exact_up_to=100, seed=2)
    for node in ("s0", "s1", "s2"):  # the small component stays exact
        assert estimate[node] == pytest.approx(exact[node], rel=1e-12)
    top = sorted(exact, key=lambda n: -exact[n])[:10]
    assert len(set(top) & set(sorted(estimate, key=lambda n: -estimate[n])[:10])) >= 7
    assert estimate != pytest.approx(exact)  # sampled, not exact


def test_estimated_betweenness_is_unbiased() -> None:
    graph = _hubs_and_a_path()
    exact = networks.brokers(graph)
    runs = [networks.brokers(graph, pivots=150, exact_up_to=100, seed=seed) for seed in range(30)]
    for node in sorted(exact, key=lambda n: -exact[n])[:5]:
        assert sum(run[node] for run in runs) / len(runs) == pytest.approx(exact[node], rel=0.1)


def test_disruption_follows_each_removal_across_components() -> None:
    """Splitting only the component that lost a node gives the same curve as recomputing everything."""
    graph = nx.union(nx.random_labeled_tree(300, seed=1), nx.barbell_graph(60, 3), rename=("a", "b"))
    curve = networks.disruption(graph, "betweenness", k=12)  # the tree splits, then the barbell is largest
    assert curve["largest_component_share"].tolist()[2] == 123 / 423
    work = graph.copy()
    for node, share in zip(curve["node"][1:], curve["largest_component_share"][1:], strict=True):
        work.remove_node(node)
        assert share == max(len(c) for c in nx.connected_components(work)) / graph.number_of_nodes()
    assert curve["largest_component_share"].is_monotonic_decreasing


def test_disruption_removes_the_bridge_first() -> None:
    graph = nx.barbell_graph(5, 1)  # two 5-cliques joined through node 5
    curve = networks.disruption(graph, "betweenness", k=2)
    assert curve["node"].tolist()[1] == 5
    assert curve["largest_component_share"].tolist()[:2] == [1.0, pytest.approx(5 / 11)]
    by_degree = networks.disruption(graph, "degree", k=1)
    assert by_degree["node"].tolist()[1] in (4, 6)  # the bridge's neighbours have degree 5
    assert by_degree["largest_component_share"].tolist()[1] == pytest.approx(6 / 11)  # cuts off its 4 clique-mates
    with pytest.raises(ValueError, match="measure"):
        networks.disruption(graph, "closeness")


P = {"src_file": "people.csv"}


def people_graph(store: GraphStore) -> None:
    """p1, p2, p3 in incident i1; p3 and p4 share a phone; p5, p6 in i2; p7 alone; p1 member of o1 (not a tie)."""
    store.upsert_nodes("Incident", [{"uid": "i1", **P}, {"uid": "i2", **P}])
    store.upsert_nodes("Person", [{"uid": f"p{n}", "name": f"P{n}", **P} for n in range(1, 8)])
    store.upsert_nodes("Organisation", [{"uid": "o1", "name": "Group", "kind": "criminal group", **P}])
    store.upsert_nodes("Identifier", [{"uid": "x1", "kind": "phone", **P}])
    involved = [("p1", "i1"), ("p2", "i1"), ("p3", "i1"), ("p5", "i2"), ("p6", "i2")]
    store.upsert_relationships(
        "INVOLVED_IN", "Person", "Incident", [{"from": p, "to": i, "role": "suspect", **P} for p, i in involved]
    )
    store.upsert_relationships("USES", "Person", "Identifier", [{"from": p, "to": "x1", **P} for p in ("p3", "p4")])
    store.upsert_relationships("MEMBER_OF", "Person", "Organisation", [{"from": "p1", "to": "o1", **P}])


def test_analyse_writes_scores_and_network_clusters(store: GraphStore) -> None:
    people_graph(store)
    tables = networks.analyse(store)
    stored = store.read("analytics_network_results").set_index("uid")
    assert stored.loc["p3", "degree"] == 3 and stored.loc["p3", "betweenness"] == pytest.approx(
        2 / 21, abs=1e-6
    )  # 8 actors: 2 of 21 pairs
    big, small = stored.loc["p1", "cluster"], stored.loc["p5", "cluster"]
    assert big == "cluster:network:0" and small == "cluster:network:1"
    assert set(stored.index[stored["cluster"] == big]) == {"p1", "p2", "p3", "p4"}
    assert stored.loc["p1", "cluster_size"] == 4
    assert stored.loc["p1", "community"] == 0 and stored.loc["p6", "community"] == 1
    assert pd.isna(stored.loc["p7", "community"]) and pd.isna(stored.loc["p7", "cluster"])
    assert stored.loc["p7", "degree"] == 0
    assert tables["brokers"].iloc[0]["uid"] == "p3"
    assert set(tables["disruption"]["measure"]) == {"betweenness", "degree"}
    networks.analyse(store)
    counts = store.counts()
    pd.testing.assert_frame_equal(store.read("analytics_network_results").set_index("uid"), stored)
    assert counts["Cluster"] == 2


#: Communities of a loosely tied 400-actor component beside 300 pairs (the component is under half of the
#: graph, so networkx iterates its subgraph in the set's order, which string hashing sets per process).
HASH_ORDER_SCRIPT = """
import random, sys
import networkx as nx
from armsgraph.analytics.networks import communities
rng = random.Random(3)
g = nx.Graph()
g.add_nodes_from(f"p{i:04d}" for i in range(400))
for i in range(400):
    for j in (rng.randrange(400), rng.randrange(400)):
        if j != i:
            g.add_edge(f"p{i:04d}", f"p{j:04d}", weight=1)
for i in range(300):
    g.add_edge(f"q{i:04d}a", f"q{i:04d}b", weight=1)
print(sorted(communities(g, seed=0).items()))
"""


def test_communities_are_the_same_in_every_process_whatever_its_string_hash_seed() -> None:
    # The 100k crash-safety run: 16,203 networks in the reference process, 16,204 after kills and a rerun.
    results = set()
    for hash_seed in ("1", "2"):  # two processes whose string hashing differs
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", HASH_ORDER_SCRIPT], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        results.add(done.stdout)
    assert len(results) == 1


def test_communities_do_not_depend_on_the_order_the_store_returns_rows() -> None:
    # A store returns rows in storage order, which a crashed-and-rerun analysis can change; Leiden
    # is seeded but order-sensitive, so the projection must not depend on row order.
    planted = nx.planted_partition_graph(6, 30, 0.1, 0.05, seed=3)  # weak structure: order-sensitive
    actors = pd.DataFrame({"uid": [f"p{n:03d}" for n in planted], "label": "Person", "name": "x"})
    edges = pd.DataFrame(
        [(f"p{a:03d}", f"p{b:03d}", "co-involvement", f"i{n}") for n, (a, b) in enumerate(planted.edges)],
        columns=["source", "target", "kind", "via"],
    )
    first = networks.communities(networks.person_graph(actors, edges))
    for seed in range(5):
        shuffled = networks.person_graph(
            actors.sample(frac=1, random_state=seed), edges.sample(frac=1, random_state=seed)
        )
        assert networks.communities(shuffled) == first


def _fragmentation(graph: nx.Graph) -> float:
    n = graph.number_of_nodes()
    return 1 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph)) / (n * (n - 1))


def test_key_players_are_taken_out_greedily_by_fragmentation() -> None:
    # A 12-spoke star hangs off l1 of a chain: 6-clique (l) - "cut" - 6-clique (r). Removing the hub
    # leaves 13 reachable actors; then "cut" splits them 6 | 6, better than l0 (5 | 7).
    graph = nx.Graph()
    graph.add_edges_from((f"l{a}", f"l{b}") for a, b in combinations(range(6), 2))
    graph.add_edges_from((f"r{a}", f"r{b}") for a, b in combinations(range(6), 2))
    graph.add_edges_from([("l0", "cut"), ("cut", "r0"), ("hub", "l1"), *(("hub", f"s{n}") for n in range(12))])
    nx.set_edge_attributes(graph, 1, "weight")
    community = {n: 0 if n.startswith("l") else 1 if n.startswith("r") else 2 for n in graph}
    table = networks.key_players(graph, community, k=2)
    assert table["node"].tolist() == ["hub", "cut"]
    best_single = max(_fragmentation(nx.restricted_view(graph, [v], [])) for v in graph)
    assert table.loc[0, "fragmentation"] == pytest.approx(best_single, abs=1e-4)
    assert table.loc[1, "fragmentation"] == pytest.approx(
        _fragmentation(nx.restricted_view(graph, ["hub", "cut"], [])), abs=1e-4
    )
    assert "splits a network of 26 actors into 13 parts (largest 13)" in table.loc[0, "reason"]
    assert table.loc[1, "communities_bridged"] == 2 and networks.brokerage(graph, community)["l0"] == 1
