"""Key players for the dashboard: the actor projection read once per store, ranked by fragmentation."""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import networks
from armsgraph.dashboard.data import cache

#: Actors listed (and the first ones marked on the picture).
TOP = 25


@cache.cached
def ranking(store: cache.Reader, top: int = TOP) -> pd.DataFrame:
    """Key players by Borgatti's fragmentation, with weighted degree, betweenness, brokerage and the reason.

    Communities are those the networks analysis stored (``armsgraph analyse``); none yet: every actor
    is its own community, so brokerage counts the actors' distinct contacts.
    """
    actors = store.read("analytics_actors")
    edges = store.read("analytics_actor_edges")
    if actors.empty:
        return pd.DataFrame(columns=["rank", "node", "name", "fragmentation", "weighted_degree", "betweenness",
                                     "communities_bridged", "reason"])  # fmt: skip
    graph = networks.person_graph(actors.sort_values("uid", ignore_index=True), edges)
    stored = store.read("analytics_network_results")
    community = {
        uid: int(c) for uid, c in zip(stored.get("uid", []), stored.get("community", []), strict=True) if pd.notna(c)
    }
    community |= {node: -1 - n for n, node in enumerate(sorted(graph)) if node not in community}
    return networks.key_players(graph, community, k=top)
