"""Key players for the dashboard: the ranking ``armsgraph analyse`` stored, read, not recomputed.

The networks analysis ranks key players (Borgatti's fragmentation, with weighted degree, betweenness
and brokerage) and saves them as the ``key_players`` result table; recomputing them here took 3.2 s
at 10,000 incidents on every first visit.
"""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import results
from armsgraph.dashboard.data import cache

#: Actors listed (and the first ones marked on the picture); analyse stores 25.
TOP = 25
COLUMNS = ["rank", "node", "name", "fragmentation", "weighted_degree", "betweenness", "communities_bridged", "reason"]
#: Shown when the table is empty because ``armsgraph analyse`` has not run on this graph.
NOT_ANALYSED = (
    "Key players are ranked by `armsgraph analyse`, which has not run on this graph yet "
    "(or found no persons or organisations with ties): run it, then reload this page."
)


@cache.cached
def ranking(store: cache.Reader, top: int = TOP) -> pd.DataFrame:
    """The first ``top`` key players stored by the networks analysis, in rank order (empty when it has not run)."""
    return results.load(store, "key_players", COLUMNS, entity=True, limit=top)
