"""The reference for ingest: the same graph written with the store's plainest batched ``UNWIND … MERGE``.

The rows the ingest pipeline would write for a bundle are built first by ingest's own stages and
kept on disk as ingest keeps them (not timed, and memory stays as low as ingest's at any size),
then written with one MERGE per node or relationship and ``SET += props``: no validation,
normalisation, resolution, provenance, source lists, checkpoints or progress. Only the writes are
timed. The ratio of the two rates is the share of the store's own write speed that the whole
pipeline keeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from armsgraph.graph import queries
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.build import Step
from armsgraph.ingest.pipeline import Bundle, IngestSettings, build_stage, collect_stage, resolve_stage
from armsgraph.ingest.resolve import slug
from armsgraph.ingest.spill import SpillFolder
from benchmarks.common import HERE

NODES = (HERE / "raw_merge_nodes.cypher").read_text()
EDGES = (HERE / "raw_merge_edges.cypher").read_text()


@contextmanager
def graph_steps(store: GraphStore, path: Path, work: Path) -> Iterator[list[Step]]:
    """What ingest writes for the bundle at ``path`` (collect → resolve → build), on disk under ``work`` while used."""
    settings = IngestSettings()
    bundle = Bundle.open(path, None)
    source, batch_id = slug(bundle.root.resolve().name), bundle.batch_id()
    with SpillFolder(work, batch_id) as folder:
        collected = collect_stage(bundle, settings, folder)
        references, incident_of = collected.references()
        resolution = resolve_stage(store, collected.resolvable(incident_of), source, settings)
        collected.release()
        rows, _ = build_stage(
            collected, resolution, references, incident_of, source, batch_id, settings.classification, folder
        )
        yield rows.steps()


def _plain_rows(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    skip = {key, "from", "to", "src_file", "src_row", "batch_id", "classification"}
    return [
        {"key": r.get(key), "from": r.get("from"), "to": r.get("to"),
         "props": {k: v for k, v in r.items() if k not in skip and v is not None}}
        for r in rows
    ]  # fmt: skip


def raw_rate(store: GraphStore, steps: list[Step], batch: int = 2000) -> dict[str, float]:
    """Graph elements written per second by plain batched MERGEs of ``steps`` into ``store`` (writes timed)."""
    model = store.model
    elements, seconds = 0, 0.0
    for step in steps:
        if step.kind == "statement":  # record-id unions: timed, not counted as elements
            for part in step.batches(batch):
                started = time.perf_counter()
                store.write(step.name, rows=part)
                seconds += time.perf_counter() - started
            continue
        if step.kind == "nodes":
            key = model.node(step.name).key
            text = queries.render(NODES, label=step.name, key=key)
        else:
            rel = model.relationship(step.name)
            key = ""
            text = queries.render(
                EDGES, from_label=step.from_label, to_label=step.to_label, rel_type=step.name,
                from_key=model.node(step.from_label).key, to_key=model.node(step.to_label).key,
                rel_key=" {" + ", ".join(f"{k}: row.props.{k}" for k in rel.key) + "}" if rel.key else "",
            )  # fmt: skip
        for part in step.batches(batch):
            rows = _plain_rows(part, key)
            started = time.perf_counter()
            store._write(text, {"rows": rows})
            seconds += time.perf_counter() - started
            elements += len(rows)
    return {"elements": elements, "seconds": seconds, "elements_per_s": elements / seconds if seconds else 0.0}
