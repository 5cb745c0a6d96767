"""Ingest, end to end (parse → validate → normalise → resolve → load), next to the raw MERGE rate."""

from __future__ import annotations

import tempfile
from pathlib import Path

from armsgraph.graph.store import open_store
from armsgraph.ingest import ingest_bundle
from armsgraph.ingest.generate import generate_scenario
from armsgraph.settings import load_settings
from benchmarks.bench_store import raw_rate
from benchmarks.common import Row, peak_rss_mb, server_rss_mb, timer

#: Where generated scenarios are kept between benchmark sections (generation is not timed).
CACHE = Path(tempfile.gettempdir()) / "armsgraph-bench"


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


def run(sizes: list[int], quick: bool = True) -> list[Row]:
    """One row per size: records/s of ingest against the raw MERGE records/s measured alongside."""
    rows: list[Row] = []
    for n in sizes:
        bundle = scenario(n)
        records = bundle_rows(bundle)
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(load_settings(data_dir=Path(tmp) / "ingest"))
            try:
                store.apply_schema()
                with timer() as elapsed:
                    ingest_bundle(store, bundle, progress=False)
                seconds = elapsed()
                server_mb = server_rss_mb(store.server.pid()) if hasattr(store, "server") else 0.0
            finally:
                store.close()
            reference = open_store(load_settings(data_dir=Path(tmp) / "raw"))
            try:
                reference.apply_schema()
                raw = raw_rate(reference, min(records, 200_000))
            finally:
                reference.close()
        rate = records / seconds
        print(f"ingest {n:,} incidents: {records:,} records in {seconds:.1f}s = {rate:,.0f}/s "
              f"(raw MERGE {raw['records_per_s']:,.0f}/s); client peak RSS {peak_rss_mb():,.0f} MB, "
              f"server RSS {server_mb:,.0f} MB")  # fmt: skip
        rows.append(
            Row("ingest", f"{n:,} incidents ({records:,} records)", rate, "records/s",
                raw["records_per_s"], "raw UNWIND…MERGE", "≥ 0.5×",
                {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "server_rss_mb": server_mb})
        )  # fmt: skip
    return rows
