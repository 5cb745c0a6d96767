"""Networks inside Neo4j with Graph Data Science: components, communities, brokers and paths server-side.

When the store is Neo4j with the GDS plugin, ``armsgraph analyse`` runs the networks analysis here
instead of in Python: the actor graph (the ties of ``analytics_actor_edges``) is projected into GDS by
a Cypher projection (``cypher/neo4j/gds_actor_graph_project.cypher``), weakly connected components,
Leiden communities, betweenness and degree run in the server, and their results are written back
onto the persons and organisations as the Python path writes them (``community``, ``betweenness``,
``degree``, plus ``component``). The client never holds the projection: it sends named statements
and reads back one row per actor and the summaries.

Differences from the Python path (``analytics/networks.py``), by design:

- Communities come from one seeded Leiden run over the whole projection (GDS, one thread,
  ``randomSeed``, weighted modularity at resolution 1), not from the Python path's consensus of
  many leidenalg runs at the most stable resolution. Both number communities the same way (by size,
  ties by smallest uid; an actor alone in its community has none).
- Betweenness is exact up to :data:`EXACT_UP_TO` actors; beyond, GDS estimates it from
  :data:`SAMPLES` seeded sources drawn over the whole graph (Python samples per large component),
  scaled by actors/sources so that the estimate is unbiased; both are normalised as networkx does.
- The disruption what-if (removing brokers one by one) stays on the Python path.

The projected graph stays in the server's catalog after the analysis (:data:`GRAPH`), so that
:func:`actor_path` answers shortest-path questions over it; the next analysis replaces it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from armsgraph.analytics.common import write_clusters
from armsgraph.errors import AnalyticsError, StoreError
from armsgraph.graph.store import GraphStore

__all__ = ["EXACT_UP_TO", "GRAPH", "SAMPLES", "actor_path", "analyse", "available", "betweenness_plan"]

#: Name of the actor graph in the GDS catalog.
GRAPH = "armsgraph-actors"
#: Betweenness is exact for graphs of up to this many actors.
EXACT_UP_TO = 50_000
#: Sources GDS samples to estimate betweenness in a larger graph.
SAMPLES = 10_000
#: Steps of one analysis, in order: the named statement and what its row reports.
STEPS = (
    "gds_graph_drop",
    "gds_actor_graph_project",
    "gds_actor_components",
    "gds_actor_communities",
    "gds_actor_betweenness",
    "gds_actor_degree",
    "gds_actor_scores_write",
)


def available(store: GraphStore) -> str | None:
    """The GDS version when ``store`` is Neo4j with Graph Data Science installed, else None."""
    call = getattr(store, "call", None)
    if store.kind != "neo4j" or call is None:
        return None
    try:
        frame = call("gds_version")
    except StoreError:
        return None
    return str(frame["version"].iloc[0]) if len(frame) else None


def betweenness_plan(actors: int, exact_up_to: int = EXACT_UP_TO, samples: int = SAMPLES) -> tuple[int, float]:
    """GDS ``samplingSize`` and the factor that turns its raw scores into networkx's normalised betweenness.

    GDS counts each pair of an undirected graph once (as igraph does) and does not extrapolate a
    sample, so the factor is ``2 / ((n-1)(n-2))`` (networkx's normalisation), times ``n / sources``
    when sampled.

    Examples
    --------
    >>> betweenness_plan(4)
    (4, 0.3333333333333333)
    >>> betweenness_plan(100_000, exact_up_to=50_000, samples=10_000)[0]
    10000
    """
    if actors < 1:
        return 0, 1.0
    scale = 2 / ((actors - 1) * (actors - 2)) if actors > 2 else 1.0
    if actors <= exact_up_to:
        return actors, scale
    return samples, scale * actors / samples


def _one_row(frame: pd.DataFrame, step: str) -> dict[str, Any]:
    """The single row a GDS step returns; an error naming the step if it returned none."""
    if len(frame) != 1:
        raise AnalyticsError(f"GDS step {step} returned {len(frame)} rows, expected one")
    return {str(k): v for k, v in frame.iloc[0].items()}


def project(store: GraphStore, graph: str = GRAPH) -> dict[str, Any]:
    """Replace ``graph`` in the GDS catalog by a fresh projection of the actor graph; its node and tie counts."""
    call = _caller(store)
    call("gds_graph_drop", graph=graph)
    return _one_row(call("gds_actor_graph_project", graph=graph), "gds_actor_graph_project")


def _caller(store: GraphStore) -> Any:
    call = getattr(store, "call", None)
    if store.kind != "neo4j" or call is None:
        raise AnalyticsError(f"the GDS path needs the Neo4j store, not {store.kind!r}")
    return call


def run_server_side(store: GraphStore, *, seed: int = 0, graph: str = GRAPH) -> dict[str, Any]:
    """Project, run components, Leiden, betweenness and degree in GDS and write the scores back.

    Returns what each step reported (counts, modularity, the betweenness plan).
    """
    call = _caller(store)
    report = {"projection": project(store, graph)}
    actors = int(report["projection"]["nodes"])
    sampling, scale = betweenness_plan(actors)
    report["components"] = _one_row(call("gds_actor_components", graph=graph), "gds_actor_components")
    report["communities"] = _one_row(call("gds_actor_communities", graph=graph, seed=seed), "gds_actor_communities")
    if actors:
        report["betweenness"] = _one_row(
            call("gds_actor_betweenness", graph=graph, sampling_size=sampling, seed=seed), "gds_actor_betweenness"
        )
    report["degree"] = _one_row(call("gds_actor_degree", graph=graph), "gds_actor_degree")
    report["written"] = int(store.write("gds_actor_scores_write", graph=graph, betweenness_scale=scale).matched)
    report["ranked"] = int(store.write("analytics_rank_communities").matched)
    report["plan"] = {"sampling_size": sampling, "betweenness_scale": scale, "exact": sampling == actors}
    return report


def network_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per community: its Cluster uid, size, top betweenness and key players (as the Python path)."""
    rows = []
    for community, group in table.dropna(subset=["community"]).groupby("community"):
        ranked = group.sort_values("betweenness", ascending=False, kind="stable")
        rows.append(
            {
                "uid": f"cluster:network:{int(community)}",
                "size": len(group),
                "score": float(group["betweenness"].max()),
                "method": "GDS Leiden (one seeded run)",
                "summary": "key players: " + ", ".join(ranked["name"].head(3)),
            }
        )
    return pd.DataFrame(rows, columns=["uid", "size", "score", "method", "summary"])


def _described(value: Any) -> str:
    """A step's report as one line (``key=value, ...``)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The networks analysis inside Neo4j: scores written by GDS, network Clusters, the same tables as Python's.

    ``disruption`` is empty on this path (the what-if runs on the Python path only); ``gds`` reports
    what each server-side step did.
    """
    report = run_server_side(store, seed=seed)
    table = store.read("analytics_actor_scores").sort_values("uid", ignore_index=True)
    table["degree"] = table["degree"].fillna(0).astype(int)
    summary = network_summary(table)
    members = (
        (row.label, row.uid, f"cluster:network:{int(row.community)}")
        for row in table.dropna(subset=["community"]).itertuples(index=False)
    )
    write_clusters(store, "network", summary, members)
    top = table.sort_values(["betweenness", "degree"], ascending=False, kind="stable").head(25)
    gds = pd.DataFrame([{"step": step, "result": _described(value)} for step, value in report.items()])
    return {
        "actors": table,
        "brokers": top.reset_index(drop=True),
        "disruption": pd.DataFrame(columns=["removed", "node", "largest_component_share", "measure"]),
        "networks": summary,
        "gds": gds,
    }


def actor_path(store: GraphStore, source: str, target: str, graph: str = GRAPH) -> pd.DataFrame:
    """Shortest path (fewest ties) between two actors over the projected actor graph, run in GDS.

    Projects the actor graph first when the catalog does not hold it (after a restart, say).
    One row (``uids`` along the path, ``hops``), or none when they are not connected.
    """
    call = _caller(store)
    exists = call("gds_graph_exists", graph=graph)
    if not (len(exists) and bool(exists["exists"].iloc[0])):
        project(store, graph)
    return call("gds_actor_path", graph=graph, source=source, target=target)
