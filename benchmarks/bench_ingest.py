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

import csv
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from armsgraph.graph import bulk
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.ingest.build import Step
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
                if kind == "embedded":
                    rows.extend(bulk_rows(n, batch, Path(tmp) / f"bulk-{n}", merge=rows[-1]))
    return rows


def _one(kind: str, n: int, batch: int, workdir: Path) -> Row:
    bundle = scenario(n)
    records = bundle_rows(bundle)
    kept = kept_store(n) if kind == "embedded" else None
    if kept is not None and kept.exists():
        raise SystemExit(f"{kept} exists: ARMSGRAPH_BENCH_KEEP needs a fresh folder to time an ingest into")
    with fresh_store(kind, kept or workdir / "ingest", batch) as store:
        with timer() as elapsed:
            ingest_bundle(
                store, bundle, progress=False, settings=IngestSettings(batch_size=batch, bulk_first_load=False)
            )
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


# -- the bulk first load -------------------------------------------------------------------------------
def bulk_rows(n: int, batch: int, workdir: Path, merge: Row | None = None) -> list[Row]:
    """A first load through GRAPH.BULK: end to end, and its load stage against falkordb-bulk-loader.

    End to end: the whole ingest of the bundle into an empty store (the bulk path), as input
    records per second, next to the MERGE ingest of the same bundle in the same run (``merge``).
    Load stage: the graph rows ingest builds (built beforehand, not timed) written by
    :func:`armsgraph.graph.bulk.falkordb_bulk_load` (merge per key, pack, GRAPH.BULK, then the
    model's indexes and constraints built), next to falkordb-bulk-loader's own run on CSV files of
    the very same elements (written beforehand, not timed) followed by the same schema build, as
    graph elements per second.
    """
    bundle = scenario(n)
    records = bundle_rows(bundle)
    with fresh_store("embedded", workdir / "ingest", batch) as store:
        with timer() as elapsed:
            ingest_bundle(store, bundle, progress=False, settings=IngestSettings(batch_size=batch))
        seconds = elapsed()
        elements = sum(store.counts().values())
    with (
        fresh_store("embedded", workdir / "stage", batch) as store,
        graph_steps(store, bundle, workdir / "steps") as steps,
    ):
        with timer() as elapsed:
            bulk.falkordb_bulk_load(store, steps, batch)
        stage_s = elapsed()
        stage_elements = sum(store.counts().values())
        with fresh_store("embedded", workdir / "loader", batch) as reference:
            loader = loader_rate(reference, steps, batch, workdir / "csv")
    rate, stage_rate = records / seconds, stage_elements / stage_s
    print(f"bulk first load {n:,} incidents: {records:,} records → {elements:,} elements in {seconds:.1f}s = "
          f"{rate:,.0f} records/s end to end; load stage {stage_elements:,} elements in {stage_s:.1f}s = "
          f"{stage_rate:,.0f} elements/s; falkordb-bulk-loader {loader['seconds']:.1f}s = "
          f"{loader['elements_per_s']:,.0f} elements/s (of which schema {loader['schema_seconds']:.1f}s)")  # fmt: skip
    merge_rate = merge.value if merge is not None else None
    return [
        Row("ingest", f"embedded bulk first load, {n:,} incidents ({records:,} records), end to end", rate,
            "records/s", merge_rate, "MERGE ingest of the same bundle", "",
            {"seconds": seconds, "elements": elements, "batch": batch}),
        Row("ingest", f"embedded bulk load stage, {n:,} incidents ({stage_elements:,} elements)", stage_rate,
            "elements/s", loader["elements_per_s"], "falkordb-bulk-loader on the same elements", "≥ 0.5×",
            {"seconds": stage_s, "loader_seconds": loader["seconds"],
             "loader_schema_seconds": loader["schema_seconds"]}),
    ]  # fmt: skip


_LOADER_TYPES = {bool: "BOOL", int: "INT", float: "DOUBLE", str: "STRING", list: "ARRAY"}


def _loader_cell(value: Any) -> Any:
    """A value as falkordb-bulk-loader reads it: empty for null, lists as Python literals, lower-case booleans."""
    if value is None:
        return ""
    if type(value) is list:
        return repr(value)
    return str(value).lower() if type(value) is bool else value


def _loader_csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    """One CSV file in falkordb-bulk-loader's layout (lists as Python literals, empty for null)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            out.writerow([_loader_cell(v) for v in row])


def loader_rate(store: GraphStore, steps: list[Step], batch: int, work: Path) -> dict[str, float]:
    """Elements per second of falkordb-bulk-loader writing the elements of ``steps`` into ``store``'s graph.

    The CSV files (one per label and per relationship step, typed headers) are written first and
    not timed; the loader's own command (``--enforce-schema``, in its own process, start-up included) and the
    model's schema build are.
    """
    work.mkdir(parents=True, exist_ok=True)
    args = ["--enforce-schema", "--escapechar", "none"]
    seen: dict[str, set[Any]] = {}

    def exists(label: str, uid: str) -> bool:
        return uid in seen.get(label, ())

    for merged in bulk.merged_steps(store.model, steps, batch, exists, bulk.BulkResult()):
        values = list(merged.elements.values())
        names = sorted({k for v in values for k in v})
        types = {k: _LOADER_TYPES[next(type(v[k]) for v in values if v.get(k) is not None)] for k in names}
        path = work / f"{merged.kind}-{merged.name}-{merged.from_label}-{merged.to_label}.csv"
        if merged.kind == "nodes":
            key = store.model.node(merged.name).key
            seen[merged.name] = set(merged.elements)
            header = [f"{key}:ID({merged.name})", *(f"{k}:{types[k]}" for k in names if k != key)]
            _loader_csv(path, header, ([v[key], *(v.get(k) for k in names if k != key)] for v in values))
            args += ["--nodes-with-label", merged.name, str(path)]
        else:
            header = [
                f":START_ID({merged.from_label})",
                f":END_ID({merged.to_label})",
                *(f"{k}:{types[k]}" for k in names),
            ]
            rows = ([key[0], key[1], *(v.get(k) for k in names)] for key, v in merged.elements.items())
            _loader_csv(path, header, rows)
            args += ["--relations-with-type", merged.name, str(path)]
    client = store.client  # type: ignore[attr-defined]
    client.select_graph(store.settings.graph_name).delete()  # the loader creates its graph
    url = f"unix://{store.server.socket}"  # type: ignore[attr-defined]
    command = [sys.executable, "-m", "falkordb_bulk_loader.bulk_insert", store.settings.graph_name, "--server-url", url]
    with timer() as elapsed:  # its own process, as it is run (its connections end with it)
        subprocess.run([*command, *args], check=True, capture_output=True)
        loaded = elapsed()
        store.apply_schema()
    seconds = elapsed()
    elements = sum(store.counts().values())
    return {"elements": elements, "seconds": seconds, "schema_seconds": seconds - loaded,
            "elements_per_s": elements / seconds}  # fmt: skip
