"""Analytics timings per analysis, with community detection next to leidenalg run directly on the same projection."""

from __future__ import annotations

import tempfile
from pathlib import Path

import igraph as ig
import leidenalg

from armsgraph.analytics import ANALYSES, run_all
from armsgraph.analytics.networks import communities, person_graph
from armsgraph.graph.store import open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.settings import load_settings
from benchmarks.bench_ingest import scenario
from benchmarks.common import Row, timer


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """Rows: seconds per analysis per size; communities against leidenalg on the whole projection."""
    rows: list[Row] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(load_settings(data_dir=Path(tmp)))
            try:
                store.apply_schema()
                ingest_bundle(store, scenario(n), progress=False)
                for name in ANALYSES:
                    with timer() as elapsed:
                        run_all(store, only=[name], progress=False)
                    print(f"analytics {name} at {n:,} incidents: {elapsed():.2f}s")
                    rows.append(Row("analytics", f"{name}, {n:,} incidents", elapsed(), "s"))
                graph = person_graph(store.read("analytics_actors"), store.read("analytics_actor_edges"))
            finally:
                store.close()
        with timer() as ours:
            communities(graph, seed=0)
        nodes = list(graph.nodes)
        index = {uid: i for i, uid in enumerate(nodes)}
        with timer() as direct:
            g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges])
            leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, seed=0)
        print(f"communities at {n:,}: armsgraph {ours():.3f}s, leidenalg direct {direct():.3f}s "
              f"({graph.number_of_nodes():,} actors, {graph.number_of_edges():,} ties)")  # fmt: skip
        rows.append(Row("analytics", f"communities, {n:,} incidents ({graph.number_of_edges():,} ties)", ours(), "s",
                        direct(), "leidenalg on the same projection", "≤ 2×"))  # fmt: skip
    return rows
