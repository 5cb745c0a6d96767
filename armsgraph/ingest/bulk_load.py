"""The *load* stage of a first load: the store's bulk path instead of batched MERGEs.

:func:`bulk_first_load` writes an ingest's steps through :mod:`armsgraph.graph.bulk` when the
store can take them in bulk (the embedded store with an empty graph) and returns the same
:class:`~armsgraph.ingest.load.LoadResult` the MERGE load gives, with the same problems; it
returns None otherwise, and the caller loads by MERGE. A marker file under
``<data_dir>/ingest/checkpoints/`` stands while a bulk load runs: a load interrupted half way
left a graph that only that load wrote, so the next ingest drops it and starts again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from armsgraph.graph import bulk
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.build import Step
from armsgraph.ingest.load import LoadResult
from armsgraph.ingest.report import problem
from armsgraph.progress import Progress, reporter


def marker(store: GraphStore) -> Path:
    """The file that stands while a bulk load into the store's graph runs."""
    return Path(store.settings.data_dir) / "ingest" / "checkpoints" / f"bulk-{store.settings.graph_name}.running"


def discard_interrupted(store: GraphStore) -> bool:
    """Drop the graph an interrupted bulk load left (it holds part of that load only); True if there was one.

    Called before anything reads the graph: entity resolution must not see the part-loaded firearms.
    """
    running = marker(store)
    if not running.is_file():
        return False
    client = getattr(store, "client", None)
    if client is not None and store.settings.graph_name in client.list_graphs():
        client.select_graph(store.settings.graph_name).delete()
    store.apply_schema()  # the empty graph with its indexes and constraints, as before that load
    running.unlink()
    return True


def bulk_first_load(
    store: GraphStore, steps: list[Step], batch_id: str, batch_size: int, progress: Progress | None = None
) -> LoadResult | None:
    """Load ``steps`` through the store's bulk path if its graph is empty; None (nothing written) if not.

    ``batch_size`` only cuts the rows as the MERGE load cuts them, so that rows whose endpoint
    is missing are reported chunk by chunk in the same words.
    """
    running = marker(store)
    discard_interrupted(store)
    if not bulk.falkordb_can_bulk_load(store):
        return None
    running.parent.mkdir(parents=True, exist_ok=True)
    tmp = running.with_suffix(".tmp")
    tmp.write_text(json.dumps({"batch_id": batch_id, "graph": store.settings.graph_name}), encoding="utf-8")
    os.replace(tmp, running)
    report, task, done = reporter(progress), f"bulk loading batch {batch_id[:8]}", [0]
    report(task, 0, len(steps))

    def advance() -> None:
        done[0] += 1
        report(task, 1)

    written = bulk.falkordb_bulk_load(store, steps, batch_size, advance)
    store.write("ingest_possibly_same_pending")
    report(task, len(steps) - done[0])  # the steps with nothing to write
    running.unlink(missing_ok=True)
    return _result(written)


def neo4j_import_files(store: GraphStore, steps: list[Step], directory: Path, batch_size: int) -> LoadResult:
    """Write ``steps`` as ``neo4j-admin database import`` files in ``directory`` instead of loading them.

    The result counts the nodes and relationships the files hold, with the same problems a load reports.
    """
    return _result(bulk.write_neo4j_import(store.model, steps, directory, batch_size).result)


def _result(written: bulk.BulkResult) -> LoadResult:
    """A bulk write as the MERGE load reports it: counts, and unmatched rows per chunk in the same words."""
    result = LoadResult(written.nodes_created, written.relationships_created)
    for title, missing in written.unmatched:
        message = f"{missing} {title} rows found no endpoint in the graph"
        result.problems.append(problem("", None, None, None, message, severity="error"))
    return result
