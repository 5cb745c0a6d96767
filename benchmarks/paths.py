"""Shortest evidence paths between members of one planted network, timed on an ingested scenario.

    .venv/bin/python -m benchmarks.paths DATA_DIR SCENARIO_DIR [--pairs 40] [--seed 1]

``DATA_DIR`` holds the ingested scenario ``SCENARIO_DIR`` (its ``truth.json`` names each planted
network's members). Pairs of recorded members of one network are drawn at random; each pair's
``paths.shortest_path`` (what the network explorer runs) is timed, and beside it, as the same-run
reference, the store's cheapest read on the same endpoints: their direct neighbours (one indexed
lookup and one expansion each). Prints the median and p95 of both and the path lengths found.
Nothing is written to the history.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from armsgraph.analytics import paths
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import load_settings
from benchmarks.bench_dashboard import p95


def network_members(store: GraphStore, truth: dict) -> dict[str, list[str]]:
    """Planted network → the store uids of its recorded members (persons carry their first record id)."""
    members: dict[str, list[str]] = {}
    for uid in sorted(store.read("analytics_actors").query("label == 'Person'")["uid"]):
        record = str(uid).rsplit(":", 1)[-1].upper()
        network = truth["person_network"].get(truth["persons"].get(record, ""))
        if network:
            members.setdefault(network, []).append(str(uid))
    return {name: uids for name, uids in members.items() if len(uids) >= 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    truth = json.loads((args.scenario / "truth.json").read_text(encoding="utf-8"))
    store = open_store(load_settings(data_dir=args.data_dir))
    try:
        members = network_members(store, truth)
        rng = random.Random(args.seed)
        names = sorted(members)
        pairs = [tuple(rng.sample(members[rng.choice(names)], 2)) for _ in range(args.pairs)]
        found: list[float] = []
        reference: list[float] = []
        lengths: Counter[str] = Counter()
        for source, target in pairs:
            started = time.perf_counter()
            answer = paths.shortest_path(store, source, target)
            found.append(time.perf_counter() - started)
            lengths[str(len(answer.steps) - 1) if not answer.message else answer.message] += 1
            started = time.perf_counter()
            store.read("neighbours", uid=source, limit=200)
            store.read("neighbours", uid=target, limit=200)
            reference.append(time.perf_counter() - started)
    finally:
        store.close()
    print(f"{len(pairs)} pairs of members of one planted network ({len(members)} networks) in {args.data_dir}")
    print(
        f"shortest evidence path: median {statistics.median(found):.3f} s, p95 {p95(found):.3f} s, "
        f"max {max(found):.3f} s"
    )
    print(f"reference (both ends' neighbours): median {statistics.median(reference):.3f} s, p95 {p95(reference):.3f} s")
    print("steps found: " + ", ".join(f"{k}: {v}" for k, v in sorted(lengths.items())))


if __name__ == "__main__":
    main()
