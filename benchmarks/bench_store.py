"""The reference for ingest: the same graph written with the store's plainest batched ``UNWIND … MERGE``.

The rows the ingest pipeline would write for a bundle are built first (not timed), then written
with one MERGE per node or relationship and ``SET += props``: no validation, normalisation,
resolution, provenance, source lists, checkpoints or progress. The ratio of the two rates is the
share of the store's own write speed that the whole pipeline keeps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from armsgraph.graph import queries
from armsgraph.graph.store import GraphStore, chunks
from armsgraph.ingest.build import Step, build
from armsgraph.ingest.pipeline import Bundle, IngestSettings, normalise_stage, parse, resolve_stage, validate_stage
from armsgraph.ingest.resolve import slug
from benchmarks.common import HERE, timer

NODES = (HERE / "raw_merge_nodes.cypher").read_text()
EDGES = (HERE / "raw_merge_edges.cypher").read_text()


def graph_steps(store: GraphStore, path: Path) -> list[Step]:
    """What ingest writes for the bundle at ``path`` (parse → validate → normalise → resolve → build)."""
    settings = IngestSettings()
    bundle = Bundle.open(path, None)
    _, tables = parse(bundle)
    records = normalise_stage(validate_stage(tables, settings).records, settings)[0].records
    source = slug(bundle.root.resolve().name)
    resolution = resolve_stage(store, records, source, settings)
    return build(records, resolution, source, bundle.batch_id(), settings.classification).steps()


def _plain_rows(step: Step, key: str) -> list[dict[str, Any]]:
    skip = {key, "from", "to", "src_file", "src_row", "batch_id", "classification"}
    return [
        {"key": r.get(key), "from": r.get("from"), "to": r.get("to"),
         "props": {k: v for k, v in r.items() if k not in skip and v is not None}}
        for r in step.rows
    ]  # fmt: skip


def raw_rate(store: GraphStore, steps: list[Step], batch: int = 2000) -> dict[str, float]:
    """Graph elements written per second by plain batched MERGEs of ``steps`` into ``store``."""
    model = store.model
    elements = 0
    with timer() as elapsed:
        for step in steps:
            if step.kind == "nodes":
                key = model.node(step.name).key
                text = queries.render(NODES, label=step.name, key=key)
            elif step.kind == "relationships":
                rel = model.relationship(step.name)
                key = ""
                text = queries.render(
                    EDGES, from_label=step.from_label, to_label=step.to_label, rel_type=step.name,
                    from_key=model.node(step.from_label).key, to_key=model.node(step.to_label).key,
                    rel_key=" {" + ", ".join(f"{k}: row.props.{k}" for k in rel.key) + "}" if rel.key else "",
                )  # fmt: skip
            else:
                store.write(step.name, rows=step.rows)
                continue
            rows = _plain_rows(step, key)
            elements += len(rows)
            for part in chunks(rows, batch):
                store._write(text, {"rows": list(part)})
    return {"elements": elements, "seconds": elapsed(), "elements_per_s": elements / elapsed()}
