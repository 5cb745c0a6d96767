"""Shortest paths an analyst can use: over evidence only, bounded in length and time, shown as names.

By default a path may not pass through what the analyses computed (``Cluster`` nodes reached by
IN_CLUSTER, LINKED incident pairs) nor through unconfirmed POSSIBLY_SAME duplicates: the analyst
opts in to the latter. The graph server ends the query at the time limit (FalkorDB's TIMEOUT
argument, Neo4j's transaction timeout); past it the answer is a message ("no path within 6 hops in
5 s"), not an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from armsgraph.errors import QueryTimeoutError
from armsgraph.graph.model import default_model

__all__ = ["COMPUTED", "MAX_HOPS", "STATEMENTS", "TIME_LIMIT_S", "PathAnswer", "evidence_types", "shortest_path"]

#: Relationship types written by the analyses, never evidence.
COMPUTED = frozenset({"IN_CLUSTER", "LINKED"})
#: Unconfirmed entity-resolution candidates: followed only when the analyst asks.
UNCONFIRMED = "POSSIBLY_SAME"
#: The longest path searched: written into the statements' patterns (``*1..6``), so a longer one is refused.
MAX_HOPS = 6
#: The statement searching evidence only, and the one also following POSSIBLY_SAME.
STATEMENTS = {False: "shortest_evidence_path", True: "shortest_evidence_path_or_candidate"}
TIME_LIMIT_S = 5.0
STEP_COLUMNS = ["uid", "label", "name", "via", "evidence"]


class Reads(Protocol):
    """A store, or a store seen through a user's rights."""

    def read(self, name: str, *, timeout_s: float | None = None, **params: Any) -> pd.DataFrame: ...


@dataclass(frozen=True)
class PathAnswer:
    """The steps of a path (uid, label, name, via = relationship reaching it, evidence = its record),
    empty when none, and a message for the analyst when there is no path."""

    steps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STEP_COLUMNS))
    message: str = ""

    @property
    def uids(self) -> list[str]:
        return [str(u) for u in self.steps["uid"]]


def evidence_types(include_possibly_same: bool = False) -> list[str]:
    """Relationship types a path may follow: every type of the model but computed ones (and
    POSSIBLY_SAME unless asked for); the statements in ``STATEMENTS`` spell them out."""
    leave_out = COMPUTED | (set() if include_possibly_same else {UNCONFIRMED})
    return sorted(set(default_model().relationships) - leave_out)


def _evidence(src_file: object, src_row: object) -> str:
    if src_file is None or (isinstance(src_file, float) and pd.isna(src_file)):
        return "no source recorded"
    return f"{src_file}, row {src_row}" if src_row is not None else str(src_file)


def shortest_path(
    store: Reads,
    source: str,
    target: str,
    *,
    max_hops: int = MAX_HOPS,
    time_limit_s: float = TIME_LIMIT_S,
    include_possibly_same: bool = False,
) -> PathAnswer:
    """One shortest path between two entities over evidence, or a message saying why there is none.

    Examples of messages: "no path within 6 hops in 5 s", "no path within 6 hops over evidence".
    """
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_HOPS}, not {max_hops}")
    statement = STATEMENTS[include_possibly_same]
    try:
        frame = store.read(statement, timeout_s=time_limit_s, source=source, target=target, max_hops=max_hops)
    except QueryTimeoutError:
        return PathAnswer(message=f"no path within {max_hops} hops in {time_limit_s:g} s")
    if frame.empty:
        scope = "over evidence and unconfirmed duplicates" if include_possibly_same else "over evidence"
        return PathAnswer(message=f"no path within {max_hops} hops {scope}")
    row = frame.iloc[0]
    steps = pd.DataFrame(
        {
            "uid": list(row["uids"]),
            "label": list(row["labels"]),
            "name": [str(n) for n in row["names"]],
            "via": [None, *row["types"]],
            "evidence": [None, *(_evidence(f, r) for f, r in zip(row["src_files"], row["src_rows"], strict=True))],
        }
    )
    return PathAnswer(steps)
