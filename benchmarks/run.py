"""Run the benchmarks and print one table with every ratio.

``python -m benchmarks.run --quick`` (make bench: 10k incidents, < 10 min on 2 cores) or
``--full`` (make bench-full: 10k, 100k and 1M). Each figure is compared with a reference
measured in the same run. Results are appended to ``benchmarks/results/history.jsonl`` and
the table is written to ``benchmarks/results/latest.md`` (and into the README with
``--update-readme``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import KEEP, Row, machine, save

SECTIONS = ["benchmarks.bench_ingest", "benchmarks.bench_analytics", "benchmarks.bench_dashboard"]
README = Path(__file__).resolve().parents[1] / "README.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(table: str) -> None:
    """Replace the README's benchmark table between its markers."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), re.S)
    README.write_text(pattern.sub(f"{MARK_START}\n{table}{MARK_END}", text), encoding="utf-8")


@contextmanager
def kept_stores() -> Iterator[None]:
    """``ARMSGRAPH_BENCH_KEEP`` for this run when it is not set: a folder of its own, removed at the end.

    Each size is then ingested once (timed by the ingest section), analysed once (timed by the
    analytics section) and served by the dashboard section, instead of ingested three times.
    """
    if os.environ.get(KEEP):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="armsgraph-bench-kept-") as folder:
        os.environ[KEEP] = folder
        try:
            yield
        finally:
            del os.environ[KEEP]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k incidents only (default)")
    parser.add_argument("--full", action="store_true", help="10k, 100k and 1M incidents")
    parser.add_argument("--only", help="run one section, e.g. ingest")
    parser.add_argument("--sizes", help="comma-separated scenario sizes instead of the mode's, e.g. 10000,100000")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    sizes = [10_000, 100_000, 1_000_000] if args.full else [10_000]
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",")]
    mode = "full" if args.full else "quick"
    print(f"armsgraph benchmarks ({mode}) on {machine()}")
    rows: list[Row] = []
    with kept_stores():
        for name in SECTIONS:
            if args.only and not name.endswith(args.only):
                continue
            module = importlib.import_module(name)
            rows.extend(module.run(sizes, quick=not args.full))
    table = save(rows, mode)
    print(table)
    if args.update_readme:
        update_readme(table)


if __name__ == "__main__":
    main()
