"""Linked incidents: the clusters of linked incidents, their incidents and the links inside each one."""

from __future__ import annotations

import pandas as pd

from armsgraph.dashboard.data.cache import Reader, cached

#: Clusters listed on the Linked incidents page (the largest; the metrics count them all).
CLUSTER_ROWS = 500
#: Links of one cluster read for its table and picture (the strongest; the page says how many there are).
CLUSTER_LINKS = 5_000


@cached
def clusters(store: Reader, limit: int = CLUSTER_ROWS) -> pd.DataFrame:
    """The ``limit`` largest linked-incident clusters with their size, span, contexts and countries."""
    frame = store.read("dashboard_clusters", limit=limit)
    frame["first"] = frame["dates"].map(lambda d: min((x for x in d if x), default=None))
    frame["last"] = frame["dates"].map(lambda d: max((x for x in d if x), default=None))
    frame["contexts"] = frame["contexts"].map(lambda c: ", ".join(sorted(set(c))))
    frame["countries"] = frame["countries"].map(lambda c: ", ".join(sorted({x for x in c if x})))
    return frame.drop(columns=["dates"])


@cached
def cluster_incidents(store: Reader, cluster: str) -> pd.DataFrame:
    """The incidents of one cluster, with their source records."""
    frame = store.read("dashboard_cluster_incidents", cluster=cluster)
    frame["sources"] = frame["sources"].map(lambda s: "; ".join(s or []))
    return frame


@cached
def cluster_links(store: Reader, cluster: str, limit: int = CLUSTER_LINKS) -> pd.DataFrame:
    """The ``limit`` strongest links inside one cluster: the rules that fired and the evidence (records) behind them."""
    frame = store.read("dashboard_cluster_links", cluster=cluster, limit=limit)
    for column in ("rules", "evidence", "sources"):
        frame[column] = frame[column].map(lambda v: "; ".join(str(x) for x in (v or [])))
    return frame


@cached
def cluster_link_count(store: Reader, cluster: str) -> int:
    """How many links lie inside one cluster (:func:`cluster_links` returns the strongest of them)."""
    frame = store.read("dashboard_cluster_link_count", cluster=cluster)
    return int(frame["links"].iloc[0]) if len(frame) else 0
