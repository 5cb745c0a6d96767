"""The networks analysis inside Neo4j with Graph Data Science (armsgraph/analytics/gds.py).

No Neo4j server runs here. The GDS statements are checked three ways:

- by Neo4j's own language service with the GDS signatures (tests/test_neo4j_dialect.py lints every
  file in ``cypher/neo4j/``; here: the GDS steps are among them);
- as the client sends them: a ``Neo4jStore`` whose one I/O point, ``_run``, records the text,
  parameters and routing of each statement and answers with the driver's own ``Record``,
  ``ResultSummary`` and value classes, scripted per statement as a GDS server would answer;
- the dialect-neutral write-back (community numbering) and read-back run on the embedded FalkorDB.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest
import yaml
from neo4j import RoutingControl
from neo4j.addressing import Address

from armsgraph.analytics import chosen, gds, networks
from armsgraph.errors import StoreError
from armsgraph.graph import queries
from armsgraph.graph.model import default_model
from armsgraph.graph.neo4j_store import Neo4jStore
from armsgraph.graph.store import GraphStore
from armsgraph.settings import Settings

NEO4J_DIR = queries.CYPHER_DIR / "neo4j"


def _result(keys: list[str], rows: list[list[Any]], stats: dict[str, int] | None = None) -> neo4j.EagerResult:
    address = Address(("localhost", 7687))
    summary = neo4j.ResultSummary(
        address, True, True, {"server": neo4j.ServerInfo(address, (5, 4)), "stats": stats or {}}
    )
    return neo4j.EagerResult([neo4j.Record(zip(keys, row, strict=True)) for row in rows], summary, keys)


def _name_of(text: str) -> str:
    """The named statement whose Neo4j text is ``text`` (templates: by their first line)."""
    for name in queries.names():
        try:
            if queries.text(name, "neo4j") == text:
                return name
        except Exception:
            continue
    return text.splitlines()[0]


class ScriptedNeo4j(Neo4jStore):
    """``Neo4jStore`` with its Bolt round trip replaced by scripted driver results (no server here)."""

    def __init__(self, answers: dict[str, Callable[[dict[str, Any]], neo4j.EagerResult]]) -> None:
        GraphStore.__init__(self, Settings(store="neo4j"), default_model())
        self.answers = answers
        self.sent: list[tuple[str, str, dict[str, Any], RoutingControl]] = []

    def _run(
        self, text: str, params: dict[str, Any], routing: RoutingControl, timeout_s: float | None = None
    ) -> neo4j.EagerResult:
        name = _name_of(text)
        self.sent.append((name, text, params, routing))
        if name in self.answers:
            return self.answers[name](params)
        return _result([], [], {})

    def close(self) -> None:
        pass


def _actors_answer(_: dict[str, Any]) -> neo4j.EagerResult:
    keys = ["uid", "label", "name", "kind", "component", "community", "betweenness", "degree"]
    return _result(
        keys,
        [
            ["org:1", "Organisation", "Los Tigres", "criminal group", 0, 0, 0.5, None],
            ["p:1", "Person", "Ana", None, 0, 0, 0.25, 2],
            ["p:2", "Person", "Ben", None, 0, 0, 0.0, 1],
            ["p:3", "Person", "Cy", None, 7, None, 0.0, 0],
        ],
    )


def _scripted(nodes: int, *, version: str = "2.13.2") -> ScriptedNeo4j:
    return ScriptedNeo4j(
        {
            "gds_version": lambda _: _result(["version"], [[version]]),
            "gds_graph_drop": lambda p: _result(["graph"], [[p["graph"]]]),
            "gds_actor_graph_project": lambda p: _result(
                ["graph", "nodes", "relationships"], [[p["graph"], nodes, 2 * nodes]]
            ),
            "gds_actor_components": lambda _: _result(["components", "nodes"], [[2, nodes]]),
            "gds_actor_communities": lambda _: _result(["communities", "modularity", "levels"], [[2, 0.41, 2]]),
            "gds_actor_betweenness": lambda _: _result(["nodes", "max_raw"], [[nodes, 3.0]]),
            "gds_actor_degree": lambda _: _result(["nodes"], [[nodes]]),
            "gds_actor_scores_write": lambda _: _result(["matched"], [[nodes]], {"properties-set": 4 * nodes}),
            "analytics_rank_communities": lambda _: _result(["matched"], [[nodes - 1]], {"properties-set": nodes}),
            "analytics_actor_scores": _actors_answer,
            "gds_graph_exists": lambda _: _result(["graphName", "exists"], [["armsgraph-actors", False]]),
            "gds_actor_path": lambda p: _result(["uids", "hops"], [[[p["source"], "p:2", p["target"]], 2]]),
        }
    )


# -- betweenness: sampling and normalisation ------------------------------------------------


@pytest.mark.parametrize(
    ("actors", "sampling", "scale"),
    [
        (0, 0, 1.0),
        (1, 1, 1.0),
        (2, 2, 1.0),
        (3, 3, 1.0),  # 2 / (2 * 1)
        (101, 101, 2 / (100 * 99)),
        (gds.EXACT_UP_TO, gds.EXACT_UP_TO, 2 / ((gds.EXACT_UP_TO - 1) * (gds.EXACT_UP_TO - 2))),
        (
            gds.EXACT_UP_TO + 1,
            gds.SAMPLES,
            2 / (gds.EXACT_UP_TO * (gds.EXACT_UP_TO - 1)) * (gds.EXACT_UP_TO + 1) / gds.SAMPLES,
        ),
    ],
)
def test_betweenness_is_exact_up_to_the_limit_then_sampled_and_scaled(actors: int, sampling: int, scale: float) -> None:
    got_sampling, got_scale = gds.betweenness_plan(actors)
    assert got_sampling == sampling
    assert got_scale == pytest.approx(scale, rel=1e-12)


def test_scaled_exact_gds_counts_equal_python_brokers_on_a_path() -> None:
    """GDS counts each undirected pair once (igraph's raw score); the plan's factor gives networkx's value."""
    import networkx as nx

    graph = nx.path_graph(["a", "b", "c", "d", "e"])
    raw_pairs_once = {"a": 0.0, "b": 3.0, "c": 4.0, "d": 3.0, "e": 0.0}  # shortest paths through each node
    _, scale = gds.betweenness_plan(graph.number_of_nodes())
    expected = networks.brokers(graph)
    assert {k: v * scale for k, v in raw_pairs_once.items()} == pytest.approx(expected)


# -- the projection: same ties as the Python path --------------------------------------------


def _branches(text: str) -> list[str]:
    """Each UNION branch's MATCH and WHERE lines, whitespace-normalised."""
    body = "\n".join(line.strip() for line in text.splitlines() if not line.startswith("//"))
    out = []
    for branch in re.split(r"\bUNION ALL\b", body):
        lines = [line for line in branch.splitlines() if line.startswith(("MATCH", "WHERE"))]
        out.append(" ".join(lines))
    return out


def test_projection_ties_actors_exactly_as_analytics_actor_edges() -> None:
    edges = _branches(queries.text("analytics_actor_edges", "neo4j"))
    projection = _branches((NEO4J_DIR / "gds_actor_graph_project.cypher").read_text())
    ties = [b for b in projection if "WHERE a:Person OR a:Organisation" not in b]
    assert ties == edges, "the GDS projection must tie actors as analytics_actor_edges does"
    assert any("WHERE a:Person OR a:Organisation" in b for b in projection), "lone actors are projected too"


def test_projection_is_undirected_weighted_and_named_by_parameter() -> None:
    text = (NEO4J_DIR / "gds_actor_graph_project.cypher").read_text()
    assert "gds.graph.project(\n       $graph, source, target" in text
    assert "undirectedRelationshipTypes: ['*']" in text
    assert "{weight: toFloat(ties)}" in text and "count(*) AS ties" in text
    assert queries.parameters("gds_actor_graph_project") == {"graph"}


def test_every_gds_step_is_a_named_neo4j_statement_with_its_header() -> None:
    for name in (*gds.STEPS, "gds_version", "gds_graph_exists", "gds_actor_path"):
        path = NEO4J_DIR / f"{name}.cypher"
        assert path.is_file(), name
        assert queries.header(name).get("access") == "admin", name
        assert not (queries.CYPHER_DIR / f"{name}.cypher").exists(), f"{name} is Neo4j-only"


# -- the client side: statements sent, parameters, routing, results read -----------------------


def test_gds_is_found_on_neo4j_and_not_on_the_embedded_store(embedded: GraphStore) -> None:
    assert gds.available(_scripted(3, version="2.13.2")) == "2.13.2"
    assert gds.available(embedded) is None
    module, where = chosen("networks", embedded)
    assert module is networks and where.startswith("in Python")
    module, where = chosen("networks", _scripted(3))
    assert module is gds and where == "inside Neo4j with Graph Data Science 2.13.2"


def test_embedded_store_runs_networks_on_the_python_path_unchanged(embedded: GraphStore) -> None:
    """run_all on the embedded store gives exactly what networks.analyse gives (no GDS step is sent)."""
    from armsgraph.analytics import run_all

    embedded.upsert_nodes("Incident", [{"uid": f"i{n}"} for n in range(3)])
    embedded.upsert_nodes("Person", [{"uid": f"p{n}", "name": f"P{n}"} for n in range(6)])
    ties = [("p0", "i0"), ("p1", "i0"), ("p2", "i0"), ("p2", "i1"), ("p3", "i1"), ("p4", "i2"), ("p5", "i2")]
    embedded.upsert_relationships(
        "INVOLVED_IN", "Person", "Incident", [{"from": p, "to": i, "role": "suspect"} for p, i in ties]
    )
    direct = networks.analyse(embedded, seed=2)["actors"]
    via_run_all = run_all(embedded, seed=2, only=["networks"], progress=False)["networks"]["actors"]
    pd.testing.assert_frame_equal(via_run_all, direct)
    assert "gds" not in run_all(embedded, seed=2, only=["networks"], progress=False)["networks"]
    assert direct["community"].notna().sum() == 6


def test_neo4j_without_gds_runs_networks_in_python() -> None:
    store = _scripted(3)

    def unknown(_: dict[str, Any]) -> neo4j.EagerResult:
        raise StoreError("Neo4j refused the statement: Unknown function 'gds.version'")

    store.answers["gds_version"] = unknown
    assert gds.available(store) is None
    module, where = chosen("networks", store)
    assert module is networks and "neo4j store" in where


@pytest.mark.parametrize("nodes", [4, gds.EXACT_UP_TO + 1])
def test_server_side_steps_send_the_named_statements_with_their_parameters(nodes: int) -> None:
    store = _scripted(nodes)
    report = gds.run_server_side(store, seed=11)
    names = [name for name, *_ in store.sent]
    assert names == [*gds.STEPS, "analytics_rank_communities"]
    for name, text, params, routing in store.sent:
        assert text == queries.text(name, "neo4j")
        assert routing is RoutingControl.WRITE, f"{name}: every GDS step must reach the member holding the graph"
        assert set(params) == queries.parameters(name), name
    sent = {name: params for name, _, params, _ in store.sent}
    assert sent["gds_actor_graph_project"] == {"graph": gds.GRAPH}
    assert sent["gds_actor_communities"] == {"graph": gds.GRAPH, "seed": 11}
    sampling, scale = gds.betweenness_plan(nodes)
    assert sent["gds_actor_betweenness"] == {"graph": gds.GRAPH, "sampling_size": sampling, "seed": 11}
    assert sent["gds_actor_scores_write"] == {"graph": gds.GRAPH, "betweenness_scale": scale}
    assert sent["analytics_rank_communities"] == {}
    assert report["projection"] == {"graph": gds.GRAPH, "nodes": nodes, "relationships": 2 * nodes}
    assert report["communities"]["modularity"] == 0.41
    assert (report["written"], report["ranked"]) == (nodes, nodes - 1)
    assert report["plan"]["exact"] is (nodes <= gds.EXACT_UP_TO)


def test_analyse_reads_scores_back_and_writes_network_clusters() -> None:
    store = _scripted(4)
    tables = gds.analyse(store, seed=3)
    actors = tables["actors"]
    assert actors["uid"].tolist() == ["org:1", "p:1", "p:2", "p:3"]
    assert actors["degree"].tolist() == [0, 2, 1, 0]  # an organisation's degree is not written: 0
    assert pd.isna(actors.loc[3, "community"])  # a lone actor has no community
    assert tables["networks"].to_dict("records") == [
        {
            "uid": "cluster:network:0",
            "size": 3,
            "score": 0.5,
            "method": "GDS Leiden (one seeded run)",
            "summary": "key players: Los Tigres, Ana, Ben",
        }
    ]
    assert tables["brokers"]["uid"].tolist()[:2] == ["org:1", "p:1"]
    assert tables["disruption"].empty
    assert "modularity=0.41" in " ".join(tables["gds"]["result"])
    names = [name for name, *_ in store.sent]
    reads = [(name, routing) for name, _, _, routing in store.sent if name == "analytics_actor_scores"]
    assert reads == [("analytics_actor_scores", RoutingControl.READ)]
    assert names.index("analytics_clear_clusters") > names.index("analytics_rank_communities")
    members = [p for _, text, p, _ in store.sent if "MERGE (a)-[r:IN_CLUSTER]->(b)" in text]
    sent_rows = [row for p in members for row in p.get("rows", [])]
    assert sorted((r["from"], r["to"]) for r in sent_rows) == [
        ("org:1", "cluster:network:0"),
        ("p:1", "cluster:network:0"),
        ("p:2", "cluster:network:0"),
    ]


def test_actor_path_projects_when_the_catalog_lacks_the_graph() -> None:
    store = _scripted(3)
    path = gds.actor_path(store, "p:1", "p:3")
    assert [name for name, *_ in store.sent] == [
        "gds_graph_exists",
        "gds_graph_drop",
        "gds_actor_graph_project",
        "gds_actor_path",
    ]
    assert path.to_dict("records") == [{"uids": ["p:1", "p:2", "p:3"], "hops": 2}]
    store = _scripted(3)
    store.answers["gds_graph_exists"] = lambda _: _result(["graphName", "exists"], [["armsgraph-actors", True]])
    gds.actor_path(store, "p:1", "p:3")
    assert [name for name, *_ in store.sent] == ["gds_graph_exists", "gds_actor_path"]


# -- the write-back that is plain Cypher, on a real engine ----------------------------------------


def _actors(store: GraphStore, rows: list[tuple[str, str, int | None, int | None]]) -> None:
    for label in ("Person", "Organisation"):
        store.upsert_nodes(
            label,
            [{"uid": u, "name": u.upper(), "component": c, "community": k} for u, lab, c, k in rows if lab == label],
        )


def test_communities_are_numbered_by_size_then_smallest_uid(embedded: GraphStore) -> None:
    rows: list[tuple[str, str, int | None, int | None]] = [
        ("p:a1", "Person", 5, 41),
        ("p:a2", "Person", 5, 41),
        ("o:a3", "Organisation", 5, 41),  # raw 41: 3 actors, smallest uid o:a3
        ("p:b1", "Person", 6, 7),
        ("p:b2", "Person", 6, 7),
        ("p:b3", "Person", 6, 7),  # raw 7: 3 actors, smallest uid p:b1 (after o:a3)
        ("p:c1", "Person", 7, 3),
        ("p:c2", "Person", 7, 3),  # raw 3: a pair
        ("p:a4", "Person", 5, 2),  # raw 2: alone in its community -> none
        ("p:d1", "Person", 8, None),  # no community written -> untouched
    ]
    _actors(embedded, rows)
    summary = embedded.write("analytics_rank_communities")
    assert summary.matched == 9
    got = embedded.read("analytics_actor_scores").set_index("uid")["community"]
    expected = {"o:a3": 0, "p:a1": 0, "p:a2": 0, "p:b1": 1, "p:b2": 1, "p:b3": 1, "p:c1": 2, "p:c2": 2}
    assert {uid: int(got[uid]) for uid in expected} == expected
    assert pd.isna(got["p:a4"]) and pd.isna(got["p:d1"])


def test_community_numbering_matches_the_python_paths(embedded: GraphStore) -> None:
    """Given the Python path's groups under scrambled raw ids, the numbering gives its numbers back."""
    import networkx as nx

    graph = nx.Graph([("p:1", "p:2"), ("p:3", "p:4"), ("p:4", "p:5"), ("p:6", "p:7"), ("p:9", "p:3")])
    graph.add_node("p:8")
    python = networks.communities(graph, seed=1)
    raw = {uid: 1000 - python[uid] if uid in python else 5000 + n for n, uid in enumerate(sorted(graph))}
    _actors(embedded, [(uid, "Person", 0, raw[uid]) for uid in sorted(graph)])
    embedded.write("analytics_rank_communities")
    got = embedded.read("analytics_actor_scores").set_index("uid")["community"]
    assert {uid: int(got[uid]) for uid in python} == python
    assert "p:8" not in python and pd.isna(got["p:8"])


def test_actor_scores_read_back_what_was_written(embedded: GraphStore) -> None:
    embedded.upsert_nodes(
        "Person", [{"uid": "p:1", "name": "Ana", "component": 2, "community": 0, "betweenness": 0.5, "degree": 3}]
    )
    embedded.upsert_nodes("Organisation", [{"uid": "o:1", "kind": "broker"}])
    rows = embedded.read("analytics_actor_scores").to_dict("records")
    assert {k: v for k, v in rows[0].items() if not pd.isna(v)} == {
        "uid": "o:1",
        "label": "Organisation",
        "name": "o:1",
        "kind": "broker",
        "betweenness": 0.0,
    }
    assert all(pd.isna(rows[0][k]) for k in ("component", "community", "degree"))
    assert rows[1]["betweenness"] == 0.5 and rows[1]["component"] == 2 and rows[1]["degree"] == 3


# -- docker compose starts what the GDS path needs ------------------------------------------------


def test_compose_runs_neo4j_5_26_or_later_with_the_gds_plugin() -> None:
    root = Path(__file__).resolve().parents[1]
    neo = yaml.safe_load((root / "docker-compose.yml").read_text())["services"]["neo4j"]
    major, minor = (int(x) for x in re.match(r"neo4j:(\d+)\.(\d+)", neo["image"]).groups())  # type: ignore[union-attr]
    assert (major, minor) >= (5, 23), "CALL () { } (scoped subqueries) needs Neo4j 5.23"
    assert major == 5
    assert "graph-data-science" in neo["environment"]["NEO4J_PLUGINS"]
    assert "gds.*" in neo["environment"]["NEO4J_dbms_security_procedures_unrestricted"]
    assert '"graph-data-science"' in (root / ".env.example").read_text()
