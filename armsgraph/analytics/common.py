"""Small helpers shared by the analyses: distances, result writing (dates: armsgraph.dates)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from armsgraph.graph.store import GraphStore

SOURCE = "analytics"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def short_hash(*parts: str) -> str:
    """A stable 12-character id for result nodes."""
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]


def provenance(row: int = 0) -> dict[str, Any]:
    """Provenance for results written by analytics."""
    return {"src_file": SOURCE, "src_row": row, "batch_id": SOURCE, "classification": "restricted"}


def write_clusters(
    store: GraphStore, kind: str, clusters: pd.DataFrame, members: Iterable[tuple[str, str, str]]
) -> None:
    """Replace the Cluster nodes of ``kind`` and their IN_CLUSTER memberships.

    ``clusters`` has uid, size, score, method, summary; ``members`` yields (label, member uid, cluster uid).
    """
    store.write("analytics_clear_clusters", kind=kind)
    if clusters.empty:
        return
    store.upsert_nodes(
        "Cluster",
        [
            {
                "uid": r.uid,
                "kind": kind,
                "size": int(r.size),
                "score": float(r.score),
                "method": r.method,
                "summary": r.summary,
                **provenance(n),
            }
            for n, r in enumerate(clusters.itertuples(index=False), start=1)
        ],
    )
    by_label: dict[str, list[dict[str, Any]]] = {}
    for label, uid, cluster in members:
        by_label.setdefault(label, []).append({"from": uid, "to": cluster, **provenance()})
    for label, rows in by_label.items():
        store.upsert_relationships("IN_CLUSTER", label, "Cluster", rows)
