"""The Review page's queue: candidates ranked by score and by the evidence both records give, and bulk decisions.

A score says how alike two names are; the evidence says how many of the fields entity resolution
compares (:data:`casework.REVIEW_FIELDS`) the two records agree on, and on how many they differ.
Among equal scores the pair that agrees on more fields (and differs on fewer) comes first. A bulk
decision is recorded candidate by candidate through :func:`casework.decide`, so each one is written
and audited exactly as a single decision is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from armsgraph.dashboard.data import casework
from armsgraph.dashboard.data.cache import Reader, cached
from armsgraph.dashboard.data.frames import shown

#: Columns the ranking adds: fields on which both records agree, and on which they differ.
EVIDENCE = ("agree", "differ")


def evidence(label: str, left: Mapping[str, Any], right: Mapping[str, Any]) -> tuple[int, int]:
    """How many compared fields of two records' properties agree, and how many differ."""
    fields = casework.REVIEW_FIELDS.get(label, ("name",))
    verdicts = [casework.agreement(shown(left.get(f)), shown(right.get(f))) for f in fields]
    return verdicts.count("same"), verdicts.count("differs")


@cached
def ranked(store: Reader, statuses: tuple[str, ...] = ("pending",)) -> pd.DataFrame:
    """The best candidates (:func:`casework.possibly_same`) with ``agree`` and ``differ`` counts, sorted by
    score, then most fields agreeing, then fewest differing (then names, for a stable order)."""
    candidates = casework.possibly_same(store, statuses)
    if candidates.empty:
        return candidates.assign(**{column: pd.Series(dtype=int) for column in EVIDENCE})
    uids = sorted(set(candidates["left_uid"]) | set(candidates["right_uid"]))
    props = {row["uid"]: row.get("props") or {} for row in store.read("entity_profiles", uids=uids).to_dict("records")}
    counts = [
        evidence(str(c.label), props.get(c.left_uid, {}), props.get(c.right_uid, {}))
        for c in candidates.itertuples(index=False)
    ]
    out = candidates.assign(agree=[a for a, _ in counts], differ=[d for _, d in counts])
    order = ["score", "agree", "differ", "left_name", "right_name"]
    return out.sort_values(order, ascending=[False, False, True, True, True], kind="stable").reset_index(drop=True)


def at_least(candidates: pd.DataFrame, score: float) -> pd.DataFrame:
    """The pending candidates scored ``score`` or more."""
    return candidates[(candidates["score"] >= score) & (candidates["status"] == "pending")]


def decide_all(store: Reader, candidates: Iterable[Mapping[Any, Any]], status: str, user: str) -> int:
    """Record ``status`` on every candidate, one decision (written and audited) each; how many were decided."""
    return sum(casework.decide(store, c, status, user) for c in candidates)


def pair(candidate: Mapping[Any, Any]) -> str:
    """A candidate's key in the page's selection (the two uids; never shown)."""
    return f"{candidate['left_uid']}|{candidate['right_uid']}"
