"""Client CPU and wall time of ingest's Python stages (the table in docs/benchmarks.md, *Python stages*).

    .venv/bin/python -m benchmarks.ingest_stages 10000
    py-spy record --format speedscope -r 50 -o stages.json -- .venv/bin/python -m benchmarks.ingest_stages 10000

Runs ``collect_stage``, ``resolve_stage`` and ``build_stage`` as ``ingest_bundle`` runs them, on
the cached scenario and a fresh embedded store, and prints each stage's CPU and wall seconds (under
py-spy, where the time goes inside them). Not a timed benchmark: nothing is appended to the history.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from armsgraph.ingest.pipeline import (
    Bundle,
    IngestSettings,
    build_stage,
    collect_stage,
    paused_gc,
    resolve_stage,
)
from armsgraph.ingest.resolve import slug
from armsgraph.ingest.spill import SpillFolder
from benchmarks.bench_ingest import fresh_store, scenario


def main(incidents: int) -> dict[str, tuple[float, float]]:
    """(CPU seconds, wall seconds) of each Python stage for the ``incidents`` scenario."""
    times: dict[str, tuple[float, float]] = {}
    settings = IngestSettings()
    bundle = Bundle.open(scenario(incidents), None)
    source, batch_id = slug(bundle.root.resolve().name), bundle.batch_id()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_store("embedded", Path(tmp) / "store") as store,
        SpillFolder(Path(tmp) / "spill", batch_id) as folder,
        paused_gc(),  # as ingest_bundle runs the stages
    ):
        cpu, wall = time.process_time(), time.perf_counter()

        def lap(name: str) -> None:
            nonlocal cpu, wall
            times[name] = (time.process_time() - cpu, time.perf_counter() - wall)
            cpu, wall = time.process_time(), time.perf_counter()

        collected = collect_stage(bundle, settings, folder)
        lap("collect")
        references, incident_of = collected.references()
        resolution = resolve_stage(store, collected.resolvable(incident_of), source, settings)
        collected.release()
        lap("resolve")
        build_stage(collected, resolution, references, incident_of, source, batch_id, settings.classification, folder)
        lap("build")
    return times


if __name__ == "__main__":
    for stage, (cpu_s, wall_s) in main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000).items():
        print(f"{stage}: {cpu_s:.2f} s CPU, {wall_s:.2f} s wall")
