"""Score the analyses against a generated scenario's planted truth (``truth.json``).

Metrics: linked-incident pair precision / recall / F1, network ARI / NMI over person records
in planted networks, diversion-point recall@10 and corridor recall@10.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from rich.table import Table
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from armsgraph.analytics import run_all
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.progress import Progress
from armsgraph.settings import Settings

__all__ = ["COLUMNS", "evaluate_scenario", "evaluation_table", "score"]

#: Metric → column heading of the evaluation table.
COLUMNS = {
    "pair_precision": "pair P",
    "pair_recall": "pair R",
    "pair_f1": "pair F1",
    "cluster_ari": "clus ARI",
    "network_ari": "net ARI",
    "network_nmi": "net NMI",
    "diversion_recall_at_10": "div R@10",
    "corridor_recall_at_10": "corr R@10",
}


def _pair_scores(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pair_precision": precision, "pair_recall": recall, "pair_f1": f1}


def _cluster_ari(planted: set[frozenset[str]], predicted: Mapping[str, str]) -> float:
    """ARI of predicted clusters against the components of the planted pairs, over every incident in either
    (an incident in no cluster is a cluster of its own)."""
    graph: nx.Graph = nx.Graph()
    graph.add_edges_from(tuple(pair) for pair in planted)
    graph.add_nodes_from(predicted)
    true_of = {uid: n for n, members in enumerate(nx.connected_components(graph)) for uid in members}
    incidents = sorted(true_of)
    if not incidents:
        return 0.0
    return float(
        adjusted_rand_score([true_of[i] for i in incidents], [predicted.get(i, f"alone:{i}") for i in incidents])
    )


def _record_owner(actors: pd.DataFrame, source: str) -> dict[str, str]:
    """Record id (as in the bundle) → uid of the node it was resolved into (record_ids hold ``source/id``)."""
    owner: dict[str, str] = {}
    for uid, records in zip(actors["uid"], actors["record_ids"], strict=True):
        for record in records or []:
            owner[str(record).removeprefix(f"{source}/")] = uid
    return owner


def _linking_scores(truth: Mapping[str, Any], linking: Mapping[str, pd.DataFrame], source: str) -> dict[str, float]:
    """Pair precision / recall / F1, recall per planted reason, and cluster ARI (rejected incidents left out)."""
    prefix = f"incident:{source}:"
    linked = linking["pairs"]
    predicted = {
        frozenset((a.removeprefix(prefix), b.removeprefix(prefix)))
        for a, b in zip(linked["a"], linked["b"], strict=True)
    }
    invalid = {row["id"] for row in truth.get("invalid_rows", []) if row.get("file") == "incidents.csv"}
    reasons: dict[str, set[frozenset[str]]] = {}
    for pair in truth["linked_pairs"]:
        if not set(pair[:2]) & invalid:
            reasons.setdefault(str(pair[2]) if len(pair) > 2 else "any", set()).add(frozenset(pair[:2]))
    planted = set().union(*reasons.values()) if reasons else set()
    out = _pair_scores(predicted, planted)
    out |= {f"recall_{reason}": len(pairs & predicted) / len(pairs) for reason, pairs in sorted(reasons.items())}
    clustered = linking["clusters"]
    out["cluster_ari"] = _cluster_ari(
        planted, dict(zip(clustered["incident"].str.removeprefix(prefix), clustered["cluster"], strict=True))
    )
    return out


def _network_scores(truth: Mapping[str, Any], actors: pd.DataFrame, owner: Mapping[str, str]) -> dict[str, float]:
    """ARI and NMI of the actors' communities against the planted networks, over the planted persons' records."""
    community = dict(zip(actors["uid"], actors["community"], strict=True))
    labels_true, labels_pred = [], []
    for record, person in truth["persons"].items():
        network = truth["person_network"].get(person)
        if network is None or record not in owner:
            continue
        found = community.get(owner[record])
        labels_true.append(network)
        labels_pred.append(f"c{int(found)}" if found is not None and not pd.isna(found) else f"alone:{owner[record]}")
    if not labels_true:
        return {"network_ari": 0.0, "network_nmi": 0.0}
    return {
        "network_ari": adjusted_rand_score(labels_true, labels_pred),
        "network_nmi": normalized_mutual_info_score(labels_true, labels_pred),
    }


def _recall_at_10(planted: Sequence[Any], found: set[Any]) -> float:
    """Share of the first ten planted items that were found."""
    top = planted[:10]
    return sum(1 for item in top if item in found) / max(1, len(top))


def score(truth: Mapping[str, Any], results: Mapping[str, Mapping[str, pd.DataFrame]], source: str) -> dict[str, float]:
    """Compare analysis results with the planted truth of a scenario ingested under ``source``.

    Incidents the ingest rejected (invalid rows) cannot be linked and are left out of the truth pairs.
    """
    out = _linking_scores(truth, results["linking"], source)
    actors = results["networks"]["actors"]
    owner = _record_owner(actors, source)
    out |= _network_scores(truth, actors, owner)

    ours = set()
    for uid in results["diversion"]["diversion_points"]["party_uid"].head(10):
        ours |= {record for record, who in owner.items() if who == uid}
    out["diversion_recall_at_10"] = _recall_at_10([p["party_id"] for p in truth["diversion_points"]], ours)

    flows = results["routes"]["flows"]
    our_corridors = set(zip(flows["source"].head(10), flows["target"].head(10), strict=True))
    out["corridor_recall_at_10"] = _recall_at_10([(c["from"], c["to"]) for c in truth["corridors"]], our_corridors)
    return out


def evaluate_scenario(
    settings: Settings, incidents: int, seed: int, noise: float = 1.0, progress: Progress | None = None
) -> dict[str, float]:
    """Generate, ingest, analyse and score one scenario in a temporary data directory."""
    from armsgraph.ingest import ingest_bundle
    from armsgraph.scenario.generate import generate_scenario

    with tempfile.TemporaryDirectory(prefix="armsgraph-eval-") as tmp:
        bundle = Path(tmp) / f"eval{incidents}s{seed}"
        generate_scenario(bundle, incidents, seed, noise=noise, progress=progress)
        store: GraphStore = open_store(settings.replace(data_dir=Path(tmp) / "data", store="embedded"))
        try:
            store.apply_schema()
            ingest_bundle(store, bundle, progress=progress)
            results = run_all(store, seed=seed, progress=progress)
        finally:
            store.close()
        truth = json.loads((bundle / "truth.json").read_text(encoding="utf-8"))
    return {"incidents": incidents, "seed": seed, "noise": noise, **score(truth, results, bundle.name)}


def evaluation_table(scores: Sequence[Mapping[str, Any]]) -> Table:
    """A rich table of ``evaluate_scenario`` results, one row per noise level."""
    first = scores[0] if scores else {}
    title = f"armsgraph evaluate ({first.get('incidents', 0):,} incidents, seed {first.get('seed')})"
    table = Table("noise", *COLUMNS.values(), title=title)
    for s in scores:
        table.add_row(f"{s['noise']:g}", *[f"{s[k]:.3f}" for k in COLUMNS])
    reasons = sorted({k for s in scores for k in s if k.startswith("recall_")})
    if reasons:
        table.caption = "pair recall by planted reason: " + "; ".join(
            f"{r.removeprefix('recall_')} " + "/".join(f"{s.get(r, 0.0):.3f}" for s in scores) for r in reasons
        )
    return table
