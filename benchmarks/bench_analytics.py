"""Analytics timings per analysis and size, with their growth slope; communities and centrality next to
igraph/leidenalg (compiled C/C++) run directly on the same projection in the same run (betweenness from
the same source actors where ``brokers`` estimates it in a large component).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import igraph as ig
import leidenalg
import networkx as nx

from armsgraph.analytics import ANALYSES, run_all
from armsgraph.analytics.networks import (
    RESOLUTIONS,
    RUNS,
    _to_igraph,
    betweenness_sources,
    brokers,
    communities,
    person_graph,
)
from armsgraph.graph.store import open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.settings import load_settings
from benchmarks.bench_ingest import ANALYSED, kept_and_complete, scenario
from benchmarks.common import Row, timer

#: The smaller size a quick run adds, so that even ``make bench`` shows how time grows with size.
QUICK_EXTRA = 2_500


def _igraph(graph: nx.Graph) -> ig.Graph:
    return _to_igraph(graph)[0]


def _projection_rows(n: int, graph: nx.Graph) -> list[Row]:
    """Communities and centrality: armsgraph's functions against igraph/leidenalg on the same graph."""
    with timer() as ours:
        communities(graph, seed=0)
    # communities() is a consensus: its resolution scan alone makes len(RESOLUTIONS) x RUNS Leiden runs, so
    # the reference is leidenalg making that many runs; "<= 2x" bounds the consensus rounds, the polish
    # and armsgraph's own overhead to as much again.
    scan = len(RESOLUTIONS) * RUNS
    with timer() as direct:
        projection = _igraph(graph)
        for seed in range(scan):
            leidenalg.find_partition(
                projection, leidenalg.ModularityVertexPartition, weights="weight", seed=seed, n_iterations=-1
            )  # to convergence, as armsgraph's runs
    with timer() as ours_b:
        brokers(graph)
    sources, sampled = betweenness_sources(_igraph(graph))  # the same pivots where brokers samples
    with timer() as direct_b:
        _igraph(graph).betweenness(directed=False, sources=sources)
    ties = f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} ties"
    print(f"communities at {n:,} ({ties}): armsgraph {ours():.3f}s, leidenalg {direct():.3f}s; "
          f"centrality: armsgraph {ours_b():.3f}s, igraph betweenness {direct_b():.3f}s")  # fmt: skip
    return [
        Row("analytics", f"communities, {n:,} incidents ({ties})", ours(), "s", direct(),
            f"leidenalg, {scan} runs (the resolution scan's) on the same projection", "≤ 2×"),
        Row("analytics", f"centrality, {n:,} incidents ({ties})", ours_b(), "s", direct_b(),
            "igraph betweenness on the same projection" + (", same pivots" if sampled else ""), "≤ 2×"),
    ]  # fmt: skip


def _slopes(times: dict[str, dict[int, float]]) -> list[Row]:
    """Growth exponent per analysis between the smallest and largest size (1 = linear, 2 = quadratic)."""
    rows = []
    for name, by_size in times.items():
        (n0, t0), (n1, t1) = min(by_size.items()), max(by_size.items())
        if n1 == n0 or t0 <= 0:
            continue
        slope = math.log(t1 / t0) / math.log(n1 / n0)
        print(f"analytics {name}: time grows as size^{slope:.2f} from {n0:,} to {n1:,} incidents")
        case = f"{name}: exponent of time vs size, {n0:,}→{n1:,} incidents"
        extra = {"times": {str(k): v for k, v in by_size.items()}}
        rows.append(Row("scaling", case, slope, "", target="< 2 (1 = linear)", extra=extra))
    return rows


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """Seconds per analysis per size, the projection comparisons, and the growth exponents."""
    rows: list[Row] = []
    times: dict[str, dict[int, float]] = {}
    for n in ([QUICK_EXTRA] if quick else []) + sizes:
        with tempfile.TemporaryDirectory() as tmp:
            kept = kept_and_complete(n)  # ingested by the ingest section (ARMSGRAPH_BENCH_KEEP)
            store = open_store(load_settings(data_dir=kept or Path(tmp)))
            try:
                if kept is None:
                    store.apply_schema()
                    ingest_bundle(store, scenario(n), progress=False)
                else:
                    print(f"analytics at {n:,} incidents on the store kept by the ingest section: {kept}")
                for name in ANALYSES:
                    with timer() as elapsed:
                        run_all(store, only=[name], progress=False)
                    print(f"analytics {name} at {n:,} incidents: {elapsed():.2f}s")
                    times.setdefault(name, {})[n] = elapsed()
                    rows.append(Row("analytics", f"{name}, {n:,} incidents", elapsed(), "s"))
                graph = person_graph(store.read("analytics_actors"), store.read("analytics_actor_edges"))
            finally:
                store.close()
            if kept is not None:  # every analysis ran on it: the dashboard section serves it as it is
                (kept / ANALYSED).write_text(f"{n} incidents: {', '.join(ANALYSES)}\n", encoding="utf-8")
        rows.extend(_projection_rows(n, graph))
    return rows + _slopes(times)
