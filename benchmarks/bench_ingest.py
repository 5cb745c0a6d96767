"""Ingest, end to end (parse → validate → normalise → resolve → load), next to the same graph's raw MERGE rate.

Runs on the embedded store, and also on Neo4j when ``NEO4J_URI`` (and ``NEO4J_PASSWORD``) are set;
there the database is cleared before each run, so point it at a scratch database. The batch size
is chosen per store by timing the raw writes at several sizes first.

``ARMSGRAPH_BENCH_KEEP=DIR`` keeps each embedded ingest's store in ``DIR/<incidents>`` (it must not
exist yet); the analytics section then times its analyses on that store instead of ingesting the
scenario again (at 1M incidents that saves the better part of an hour), and the dashboard section
serves it once analysed. Without it, a run keeps its stores in a folder of its own, removed at the end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.ingest.pipeline import IngestSettings
from armsgraph.scenario.generate import generate_scenario
from armsgraph.settings import load_settings
from benchmarks.bench_store import graph_steps, raw_rate
from benchmarks.common import KEEP, Row, peak_rss_mb, server_rss_mb, timer

#: Where generated scenarios are kept between benchmark sections (generation is not timed).
CACHE = Path(tempfile.gettempdir()) / "armsgraph-bench"
BATCH_SIZES = (500, 2000, 5000, 10000)
#: The scenario the batch sizes are compared on (small: the comparison only needs relative speed).
SWEEP_INCIDENTS = 2_500
#: Written into a kept store's folder (``ARMSGRAPH_BENCH_KEEP``) once its ingest has finished.
INGESTED = "bench-ingest-finished"
#: Written into a kept store's folder once the analytics section has run every analysis on it.
ANALYSED = "bench-analytics-finished"


def scenario(incidents: int, seed: int = 7) -> Path:
    """A generated bundle of ``incidents`` incidents, made once and reused."""
    out = CACHE / f"scenario-{incidents}-{seed}"
    if not (out / "truth.json").exists():
        generate_scenario(out, incidents, seed, progress=False)
    return out


def bundle_rows(bundle: Path) -> int:
    """Data rows in every CSV file of a bundle."""
    total = 0
    for path in bundle.glob("*.csv"):
        with path.open("rb") as handle:
            total += max(0, sum(1 for _ in handle) - 1)
    return total


def store_kinds() -> list[str]:
    """The embedded store, and Neo4j when it is configured."""
    return ["embedded", "neo4j"] if os.environ.get("NEO4J_URI") else ["embedded"]


@contextmanager
def fresh_store(kind: str, data_dir: Path, batch: int = 2000) -> Iterator[GraphStore]:
    """An empty store of ``kind`` with its schema (Neo4j: the configured database, cleared)."""
    store = open_store(load_settings(store=kind, data_dir=data_dir, batch_size=batch))
    try:
        if kind == "neo4j":
            store.write("clear_graph")
        store.apply_schema()
        yield store
    finally:
        store.close()


def kept_store(n: int) -> Path | None:
    """Where the embedded store ingested from the ``n``-incident scenario is kept (``ARMSGRAPH_BENCH_KEEP``)."""
    keep = os.environ.get(KEEP)
    return Path(keep) / str(n) if keep else None


def kept_and_complete(n: int) -> Path | None:
    """The kept store of the ``n``-incident scenario, if one was kept and its ingest finished."""
    kept = kept_store(n)
    return kept if kept is not None and (kept / INGESTED).exists() else None


def kept_and_analysed(n: int) -> Path | None:
    """The kept store of the ``n``-incident scenario, if the analytics section has run every analysis on it."""
    kept = kept_and_complete(n)
    return kept if kept is not None and (kept / ANALYSED).exists() else None


def best_batch(kind: str, bundle: Path, workdir: Path) -> int:
    """The batch size with the highest raw MERGE rate for this store, measured on ``bundle``."""
    rates = {}
    for size in BATCH_SIZES:
        with (
            fresh_store(kind, workdir / f"batch-{size}", size) as store,
            graph_steps(store, bundle, workdir / "steps") as steps,
        ):
            rates[size] = raw_rate(store, steps, batch=size)["elements_per_s"]
    print(f"{kind} raw MERGE elements/s by batch size: " + ", ".join(f"{k}: {v:,.0f}" for k, v in rates.items()))
    return max(rates, key=lambda size: rates[size])


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """One row per store and size: ingest records/s against the raw MERGE of the same graph."""
    rows: list[Row] = []
    for kind in store_kinds():
        with tempfile.TemporaryDirectory() as tmp:
            batch = best_batch(kind, scenario(SWEEP_INCIDENTS), Path(tmp))
            for n in sizes:
                rows.append(_one(kind, n, batch, Path(tmp) / str(n)))
    return rows


def _one(kind: str, n: int, batch: int, workdir: Path) -> Row:
    bundle = scenario(n)
    records = bundle_rows(bundle)
    kept = kept_store(n) if kind == "embedded" else None
    if kept is not None and kept.exists():
        raise SystemExit(f"{kept} exists: ARMSGRAPH_BENCH_KEEP needs a fresh folder to time an ingest into")
    with fresh_store(kind, kept or workdir / "ingest", batch) as store:
        with timer() as elapsed:
            ingest_bundle(store, bundle, progress=False, settings=IngestSettings(batch_size=batch))
        seconds = elapsed()
        elements = sum(store.counts().values())
        server_mb = server_rss_mb(store.server.pid()) if hasattr(store, "server") else 0.0
    if kept is not None:
        (kept / INGESTED).write_text(f"{n} incidents, batch {batch}\n", encoding="utf-8")
    client_mb = peak_rss_mb()
    with (
        fresh_store(kind, workdir / "raw", batch) as reference,
        graph_steps(reference, bundle, workdir / "steps") as steps,
    ):
        raw = raw_rate(reference, steps, batch=batch)
    rate, raw_records = records / seconds, records / raw["seconds"]
    print(f"ingest {kind} {n:,} incidents: {records:,} records → {elements:,} nodes+relationships in "
          f"{seconds:.1f}s = {rate:,.0f} records/s; same graph by raw MERGE {raw['seconds']:.1f}s = "
          f"{raw_records:,.0f} records/s (batch {batch}); client peak RSS {client_mb:,.0f} MB, "
          f"server RSS {server_mb:,.0f} MB")  # fmt: skip
    return Row(
        "ingest", f"{kind}, {n:,} incidents ({records:,} records, batch {batch})", rate, "records/s",
        raw_records, "raw UNWIND…MERGE of the same graph", "≥ 0.5×",
        {"seconds": seconds, "raw_seconds": raw["seconds"], "elements": elements, "batch": batch,
         "peak_rss_mb": client_mb, "server_rss_mb": server_mb},
    )  # fmt: skip
