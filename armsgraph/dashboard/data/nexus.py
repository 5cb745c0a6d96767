"""Nexus: entities that tie incidents of several contexts (crime, terrorism, trafficking…) together."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from armsgraph.dashboard.data.cache import Reader, cached
from armsgraph.dashboard.data.frames import TABLE_ROWS

#: Incidents of a context offered as the end of a nexus path (the newest).
CONTEXT_INCIDENTS = 200


@cached
def nexus_bridges(store: Reader) -> pd.DataFrame:
    """Entities tied to incidents of more than one context, most contexts first, then most incidents."""
    frame = store.read("dashboard_nexus_bridges")
    frame["contexts"] = frame["contexts"].map(lambda c: sorted(c))
    frame["_contexts"] = frame["contexts"].map(len)
    frame = frame.sort_values(["_contexts", "incidents", "uid"], ascending=[False, False, True], ignore_index=True)
    return frame.drop(columns=["_contexts"])


def nexus_matrix(bridges: pd.DataFrame) -> pd.DataFrame:
    """Context × context: how many bridging entities tie incidents of both contexts."""
    pairs: dict[tuple[str, str], int] = {}
    for contexts in bridges["contexts"]:
        for i, a in enumerate(contexts):
            for b in contexts[i + 1 :]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
                pairs[(b, a)] = pairs.get((b, a), 0) + 1
    names = sorted({c for contexts in bridges["contexts"] for c in contexts})
    return pd.DataFrame([[pairs.get((a, b), 0) for b in names] for a in names], index=names, columns=names)


@dataclass(frozen=True)
class NexusOverview:
    """The Nexus page's summary of every bridging entity, and the first ``TABLE_ROWS`` of them to list."""

    bridges: int
    touching_terrorism: int
    contexts: list[str]
    matrix: pd.DataFrame
    top: pd.DataFrame  # most contexts first, contexts joined with ", "


@cached
def nexus_overview(store: Reader, rows: int = TABLE_ROWS) -> NexusOverview:
    """Counts, context × context matrix and the top ``rows`` of all :func:`nexus_bridges`."""
    bridges = nexus_bridges(store)
    contexts = sorted({c for cs in bridges["contexts"] for c in cs})
    terror = int(bridges["contexts"].map(lambda c: "terrorism" in c).sum()) if len(bridges) else 0
    top = bridges.head(rows).assign(contexts=lambda f: f["contexts"].map(", ".join)).reset_index(drop=True)
    return NexusOverview(len(bridges), terror, contexts, nexus_matrix(bridges), top)


@cached
def incidents_in_contexts(store: Reader, contexts: tuple[str, ...], limit: int = CONTEXT_INCIDENTS) -> pd.DataFrame:
    """Incidents of the given contexts, newest first."""
    return store.read("dashboard_incidents_by_context", contexts=list(contexts), limit=limit)
