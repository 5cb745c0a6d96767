"""Client memory after each ingest stage (the table in docs/benchmarks.md, *Ingest memory*).

    .venv/bin/python -m benchmarks.ingest_memory 10000          # incidents; batch 10,000
    .venv/bin/python -m benchmarks.ingest_memory 100000 2000    # and a batch size
    .venv/bin/python -m benchmarks.ingest_memory 1000000 --data-dir runs/1m   # keep the ingested store

Prints the resident memory (from /proc) and the peak so far after collect, resolve, build and
load, on a fresh embedded store in a temporary folder. The scenario is generated once and cached
like the other benchmarks'. Not a timed benchmark: nothing is appended to the history.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import armsgraph.ingest.pipeline as pipeline
from armsgraph.graph.embedded import EmbeddedStore
from benchmarks.bench_ingest import fresh_store, scenario
from benchmarks.common import server_rss_mb

STAGES = ("collect_stage", "resolve_stage", "build_stage", "load_stage")


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _reporting(name: str, stage: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        out = stage(*args, **kwargs)
        seconds = time.perf_counter() - started
        print(f"after {name:14s} {seconds:7.2f} s   rss {rss_mb():8,.0f} MB   peak {peak_mb():8,.0f} MB", flush=True)
        return out

    return run


def main(incidents: int, batch: int = 10_000, data_dir: Path | None = None) -> None:
    bundle = scenario(incidents)
    for name in STAGES:
        setattr(pipeline, name, _reporting(name, getattr(pipeline, name)))
    print(f"{incidents:,} incidents, batch {batch:,}: start rss {rss_mb():,.0f} MB", flush=True)
    with tempfile.TemporaryDirectory() as tmp, fresh_store("embedded", data_dir or Path(tmp) / "store", batch) as store:
        started = time.perf_counter()
        pipeline.ingest_bundle(store, bundle, progress=False)
        server = server_rss_mb(store.server.pid()) if isinstance(store, EmbeddedStore) else 0.0
        print(f"total {time.perf_counter() - started:.2f} s, peak {peak_mb():,.0f} MB, server rss {server:,.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("incidents", nargs="?", type=int, default=10_000)
    parser.add_argument("batch", nargs="?", type=int, default=10_000)
    parser.add_argument(
        "--data-dir", type=Path, help="ingest into this data directory and keep it (default: a temporary one)"
    )
    args = parser.parse_args()
    main(args.incidents, args.batch, args.data_dir)
