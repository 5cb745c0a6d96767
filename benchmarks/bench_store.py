"""The embedded store's raw batched ``UNWIND … MERGE`` rate: the reference for ingest."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from armsgraph.graph.store import GraphStore, chunks, open_store
from armsgraph.settings import load_settings
from benchmarks.common import HERE, timer

NODES = (HERE / "raw_merge_nodes.cypher").read_text()
EDGES = (HERE / "raw_merge_edges.cypher").read_text()


def raw_rate(store: GraphStore, n_nodes: int, edges_per_node: int = 2, batch: int = 2000) -> dict[str, float]:
    """Records/s for plain node MERGEs then plain edge MERGEs through the same client armsgraph uses."""
    rng = random.Random(1)
    nodes = [
        {"uid": f"raw-{i}", "props": {"date": "2021-01-01", "country": "DEU", "context": "illicit trafficking"}}
        for i in range(n_nodes)
    ]
    edges = [
        {"a": f"raw-{i}", "b": f"raw-{rng.randrange(n_nodes)}"} for i in range(n_nodes) for _ in range(edges_per_node)
    ]
    with timer() as node_time:
        for part in chunks(nodes, batch):
            store._write(NODES, {"rows": list(part)})
    with timer() as edge_time:
        for part in chunks(edges, batch):
            store._write(EDGES, {"rows": list(part)})
    total = node_time() + edge_time()
    return {
        "nodes_per_s": n_nodes / node_time(),
        "edges_per_s": len(edges) / edge_time(),
        "records_per_s": (n_nodes + len(edges)) / total,
        "seconds": total,
    }


def main(n_nodes: int = 50_000) -> dict[str, float]:
    """Measure on a fresh embedded store in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(load_settings(data_dir=Path(tmp)))
        try:
            store.apply_schema()
            return raw_rate(store, n_nodes)
        finally:
            store.close()


if __name__ == "__main__":
    print(main())
