"""Nexus: how terrorism, organised crime and trafficking connect through networks, firearms and persons.

Each network (a community found by :mod:`armsgraph.analytics.networks`) reaches the contexts of
its own incidents and of every incident in which one of its firearms reappears. The score:
``(groups reached − 1) / 2 + 0.5 × share of its firearms seen in two or more groups``, from 0
(one group only) to 1.5 (all three groups, every firearm crossing).
"""

from __future__ import annotations

import pandas as pd

from armsgraph.graph.store import GraphStore

__all__ = ["GROUPS", "analyse", "nexus_scores"]

#: Incident contexts → nexus group.
GROUPS = {
    "terrorism": "terrorism",
    "organised crime": "organised crime",
    "drug trafficking": "organised crime",
    "violent crime": "organised crime",
    "illicit trafficking": "trafficking",
}


def nexus_scores(involvement: pd.DataFrame, seized: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score every network and list the firearm paths that cross groups.

    Parameters
    ----------
    involvement : DataFrame with actor, community, incident, context
    seized : DataFrame with firearm, incident, context

    Returns
    -------
    (network_scores, paths): scores per community with counts per group and evidence; paths has
    firearm, incident_a, group_a, incident_b, group_b, community.

    Examples
    --------
    >>> inv = pd.DataFrame({"actor": ["p1"], "community": [0], "incident": ["i1"],
    ...                     "context": ["illicit trafficking"]})
    >>> sz = pd.DataFrame({"firearm": ["f1", "f1"], "incident": ["i1", "i2"],
    ...                    "context": ["illicit trafficking", "terrorism"]})
    >>> scores, paths = nexus_scores(inv, sz)
    >>> row = scores.iloc[0]
    >>> int(row.community), float(row.score), int(row.terrorism), int(row.trafficking)
    (0, 1.0, 1, 1)
    """
    group_of = {k: v for k, v in GROUPS.items()}
    seized = seized.assign(group=seized["context"].map(group_of))
    inv = involvement.dropna(subset=["community"]).assign(group=involvement["context"].map(group_of))
    firearm_groups = seized.dropna(subset=["group"]).groupby("firearm")["group"].agg(lambda s: set(s))
    rows, paths = [], []
    for community, members in inv.groupby("community"):
        incidents = set(members["incident"])
        firearms = set(seized.loc[seized["incident"].isin(incidents), "firearm"])
        reached = seized[seized["firearm"].isin(firearms)]
        groups = pd.concat([members[["incident", "group"]], reached[["incident", "group"]]]).dropna().drop_duplicates()
        counts = groups["group"].value_counts()
        crossing = [f for f in firearms if len(firearm_groups.get(f, set())) >= 2]
        touched = len(counts)
        score = max(0, touched - 1) / 2 + 0.5 * (len(crossing) / len(firearms) if firearms else 0.0)
        rows.append(
            {
                "community": int(community),
                "score": round(score, 4),
                "actors": members["actor"].nunique(),
                "incidents": len(incidents),
                "terrorism": int(counts.get("terrorism", 0)),
                "organised_crime": int(counts.get("organised crime", 0)),
                "trafficking": int(counts.get("trafficking", 0)),
                "crossing_firearms": len(crossing),
                "evidence": sorted(crossing)[:10],
            }
        )
        for firearm in sorted(crossing)[:20]:
            seen = reached[reached["firearm"] == firearm].dropna(subset=["group"]).drop_duplicates("group")
            first = seen.iloc[0]
            for other in seen.iloc[1:].itertuples(index=False):
                paths.append((firearm, first["incident"], first["group"], other.incident, other.group, int(community)))
    scores = pd.DataFrame(
        rows,
        columns=[
            "community",
            "score",
            "actors",
            "incidents",
            "terrorism",
            "organised_crime",
            "trafficking",
            "crossing_firearms",
            "evidence",
        ],
    )
    scores = scores.sort_values(["score", "incidents", "community"], ascending=[False, False, True], ignore_index=True)
    path_table = pd.DataFrame(paths, columns=["firearm", "incident_a", "group_a", "incident_b", "group_b", "community"])
    return scores, path_table


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Nexus scores per network and the connecting paths (needs networks' communities first)."""
    involvement = store.read("analytics_person_incident_contexts")
    seized = store.read("analytics_seized_firearms")
    if involvement.empty or seized.empty:
        return {"network_scores": pd.DataFrame(columns=["community", "score"]), "paths": pd.DataFrame()}
    scores, paths = nexus_scores(involvement, seized[["firearm", "incident", "context"]])
    return {"network_scores": scores, "paths": paths}
