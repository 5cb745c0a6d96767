"""Analyst review of entity-resolution candidates (POSSIBLY_SAME relationships).

``accept`` marks a candidate pair as the same entity, ``reject`` as different.
Nodes are not physically merged: each keeps its own records and provenance, and
readers (analytics, briefs) treat an accepted POSSIBLY_SAME as identity. A decision
is idempotent (deciding the same way again changes nothing, ``decided_at`` keeps
the first time) and survives re-ingests (ingest sets ``status`` only on new
candidates).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from armsgraph.errors import IngestError
from armsgraph.graph.store import GraphStore

STATUSES = ("pending", "accepted", "rejected")


def list_candidates(store: GraphStore, statuses: tuple[str, ...] = ("pending",), limit: int = 100) -> pd.DataFrame:
    """Candidates with the given statuses, best score first."""
    unknown = sorted(set(statuses) - set(STATUSES))
    if unknown:
        raise IngestError(f"unknown review status {unknown[0]!r}; use {', '.join(STATUSES)}")
    return store.read("review_possibly_same", statuses=list(statuses), limit=limit)


def decide(store: GraphStore, left: str, right: str, status: str, decided_by: str = "cli") -> int:
    """Set the decision on the candidate(s) between two uids (either order); how many were decided."""
    if status not in ("accepted", "rejected"):
        raise IngestError(f"a decision is 'accepted' or 'rejected', not {status!r}")
    frame = store.read("review_candidate_count", left=left, right=right)
    found = int(frame["count"].iloc[0]) if len(frame) else 0
    if not found:
        raise IngestError(f"no POSSIBLY_SAME candidate between {left!r} and {right!r}")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    store.write("review_decide", left=left, right=right, status=status, decided_by=decided_by, decided_at=now)
    return found
