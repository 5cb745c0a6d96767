"""Nexus: how terrorism, organised crime and trafficking connect through firearms, persons, routes and networks.

Incident contexts fall into three nexus groups (``GROUPS``); other contexts take no part. A
**network** is a community written by the networks analysis (``Person.community`` /
``Organisation.community``); actors without one are grouped by connected components of
co-involvement (actors involved in the same incident), computed here.

A network *reaches* its own incidents (those its actors were involved in) and every incident where
one of the firearms seized in its own incidents was seized again. Its score is::

    score = mix + 0.5 × bridge                               (0 … 1.5)
    mix    = (1 − Σ p_g²) / (2/3)    p_g = share of reached incidents in group g (0: one group, 1: even thirds)
    bridge = share of the network's firearms, actors and routes seen in incidents of two or more groups

The paths table lists, for every entity seen in incidents of two groups, one path
incident → entity → incident per pair of groups (the smallest incident uids, so the table is stable).
"""

from __future__ import annotations

import pandas as pd

from armsgraph.graph.store import GraphStore

__all__ = ["GROUPS", "analyse", "context_links", "networks_of", "nexus_paths", "nexus_scores"]

#: Incident context → nexus group.
GROUPS = {
    "terrorism": "terrorism",
    "organised crime": "organised_crime",
    "drug trafficking": "organised_crime",
    "illicit trafficking": "trafficking",
    "arms trafficking": "trafficking",
    "trafficking": "trafficking",
}
GROUP_NAMES = ("terrorism", "organised_crime", "trafficking")
ACTORS = ("Person", "Organisation")
SCORE_COLUMNS = [
    "rank",
    "network",
    "score",
    "mix",
    "bridge",
    "actors",
    "incidents",
    "terrorism",
    "organised_crime",
    "trafficking",
    "crossing_entities",
    "evidence",
]
PATH_COLUMNS = [
    "network",
    "via_label",
    "via",
    "incident_a",
    "context_a",
    "group_a",
    "incident_b",
    "context_b",
    "group_b",
]


def networks_of(links: pd.DataFrame) -> pd.Series:
    """Network id per actor: ``community:<n>`` where known, else ``component:<first actor uid>`` of co-involvement.

    Examples
    --------
    >>> links = pd.DataFrame({"incident": ["i1", "i1", "i2", "i3"], "label": ["Person"] * 4,
    ...     "entity": ["p1", "p2", "p2", "p3"], "community": [None, None, None, 7]})
    >>> networks_of(links).to_dict()
    {'p1': 'component:p1', 'p2': 'component:p1', 'p3': 'community:7'}
    """
    actors = links[links["label"].isin(ACTORS)]
    known = actors.dropna(subset=["community"]).drop_duplicates("entity")
    out = {e: f"community:{int(c)}" for e, c in zip(known["entity"], known["community"], strict=True)}
    rest = actors[~actors["entity"].isin(out)]
    parent: dict[str, str] = {e: e for e in rest["entity"]}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    pairs = rest[["incident", "entity"]].drop_duplicates().sort_values(["incident", "entity"])
    current, first = None, ""
    for incident, entity in zip(pairs["incident"], pairs["entity"], strict=True):
        if incident != current:
            current, first = incident, entity
            continue
        a, b = find(first), find(entity)
        if a != b:
            parent[max(a, b)] = min(a, b)
    out.update({e: f"component:{find(e)}" for e in parent})
    return pd.Series(out, dtype=object).sort_index()


def _entity_groups(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Links with the nexus group of their incident (rows outside the groups dropped)."""
    group = incidents.assign(group=incidents["context"].map(GROUPS)).dropna(subset=["group"])
    return links.merge(group[["incident", "context", "group"]], on="incident")


def nexus_scores(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Score every network by how its reach mixes the three nexus groups (see the module docstring).

    Parameters
    ----------
    incidents : DataFrame with incident, context
    links : DataFrame with incident, label (Firearm, Person, Organisation, Route), entity, community

    Returns
    -------
    DataFrame ranked by score: rank, network, score, mix, bridge, actors, incidents (reached, in any group),
    terrorism, organised_crime, trafficking (reached incidents per group), crossing_entities, evidence.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident": ["i1", "i2", "i3"],
    ...     "context": ["terrorism", "illicit trafficking", "illicit trafficking"]})
    >>> links = pd.DataFrame({"incident": ["i2", "i3", "i1", "i2"], "label": ["Person", "Person", "Firearm", "Firearm"],
    ...     "entity": ["p1", "p1", "f1", "f1"], "community": [0, 0, None, None]})
    >>> row = nexus_scores(incidents, links).iloc[0]
    >>> row.network, int(row.terrorism), int(row.trafficking), float(row.mix), float(row.bridge), float(row.score)
    ('community:0', 1, 2, 0.6667, 0.5, 0.9167)
    """
    network = networks_of(links)
    if network.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    grouped = _entity_groups(incidents, links)
    crossing = grouped.groupby("entity")["group"].nunique()
    crossing = set(crossing[crossing >= 2].index)
    actor_links = links[links["label"].isin(ACTORS)]
    own = actor_links.assign(network=actor_links["entity"].map(network))[["network", "incident"]].drop_duplicates()
    owned = own.merge(links[~links["label"].isin(ACTORS)], on="incident")[["network", "label", "entity"]]
    firearms = owned[owned["label"] == "Firearm"].drop_duplicates()
    reached = firearms.merge(links[links["label"] == "Firearm"][["entity", "incident"]], on="entity")
    reach = pd.concat([own, reached[["network", "incident"]]]).drop_duplicates()
    reach = reach.merge(incidents.assign(group=incidents["context"].map(GROUPS))[["incident", "group"]], on="incident")
    counts = reach.dropna(subset=["group"]).groupby(["network", "group"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(GROUP_NAMES), fill_value=0).reindex(network.unique(), fill_value=0)
    total = counts.sum(axis=1)
    shares = counts.div(total.where(total > 0, 1), axis=0)
    mix = ((1 - (shares**2).sum(axis=1)) / (2 / 3)).where(total > 0, 0.0)
    members = pd.concat(
        [
            pd.DataFrame({"network": network.values, "label": "Actor", "entity": network.index}),
            owned.drop_duplicates(),
        ]
    )
    members["crossing"] = members["entity"].isin(crossing)
    bridge = members.groupby("network")["crossing"].mean()
    evidence = (
        members[members["crossing"]].sort_values("entity").groupby("network")["entity"].agg(lambda s: list(s)[:10])
    )
    table = counts.reset_index(names="network")
    table["mix"] = table["network"].map(mix).round(4)
    table["bridge"] = table["network"].map(bridge).fillna(0.0).round(4)
    table["score"] = (table["mix"] + 0.5 * table["bridge"]).round(4)
    table["actors"] = table["network"].map(network.value_counts()).astype(int)
    table["incidents"] = table["network"].map(total).astype(int)
    table["crossing_entities"] = table["network"].map(members.groupby("network")["crossing"].sum()).astype(int)
    table["evidence"] = [evidence.get(n, []) for n in table["network"]]
    table = table.sort_values(["score", "incidents", "network"], ascending=[False, False, True], ignore_index=True)
    table["rank"] = range(1, len(table) + 1)
    return table[SCORE_COLUMNS]


def nexus_paths(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One incident → entity → incident path per entity and pair of nexus groups it connects.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident": ["i1", "i2"], "context": ["terrorism", "drug trafficking"]})
    >>> links = pd.DataFrame({"incident": ["i1", "i2"], "label": ["Firearm"] * 2, "entity": ["f1"] * 2,
    ...     "community": [None, None]})
    >>> nexus_paths(incidents, links)[["via", "incident_a", "group_a", "incident_b", "group_b"]].values.tolist()
    [['f1', 'i2', 'organised_crime', 'i1', 'terrorism']]
    """
    grouped = _entity_groups(incidents, links)
    first = grouped.sort_values("incident").drop_duplicates(["entity", "group"])
    multi = first.groupby("entity")["group"].transform("size") >= 2
    first = first[multi]
    network = networks_of(links)
    actor_links = links[links["label"].isin(ACTORS)]
    incident_network = (
        actor_links.assign(network=actor_links["entity"].map(network)).groupby("incident")["network"].min()
    )
    cols = ["label", "entity", "incident", "context", "group"]
    pairs = first[cols].merge(first[cols].drop(columns="label"), on="entity", suffixes=("_a", "_b"))
    pairs = pairs[pairs["group_a"] < pairs["group_b"]].sort_values(["entity", "group_a", "group_b"])
    home = pairs["incident_a"].map(incident_network).fillna(pairs["incident_b"].map(incident_network))
    is_actor = pairs["label"].isin(ACTORS)
    home = home.mask(is_actor, pairs["entity"].map(network)).fillna(home)
    out = pd.DataFrame(
        {
            "network": home.astype(object).where(home.notna(), None),
            "via_label": pairs["label"],
            "via": pairs["entity"],
            "incident_a": pairs["incident_a"],
            "context_a": pairs["context_a"],
            "group_a": pairs["group_a"],
            "incident_b": pairs["incident_b"],
            "context_b": pairs["context_b"],
            "group_b": pairs["group_b"],
        }
    )
    return out.reset_index(drop=True)[PATH_COLUMNS]


def context_links(paths: pd.DataFrame) -> pd.DataFrame:
    """Entities shared between each pair of nexus groups, counted by kind (Firearm, Person, Organisation, Route).

    Examples
    --------
    >>> paths = pd.DataFrame({"via_label": ["Firearm", "Person"], "via": ["f1", "p1"],
    ...     "group_a": ["organised_crime"] * 2, "group_b": ["terrorism"] * 2})
    >>> context_links(paths).values.tolist()
    [['organised_crime', 'terrorism', 1, 0, 1, 0]]
    """
    columns = ["group_a", "group_b", "Firearm", "Organisation", "Person", "Route"]
    if paths.empty:
        return pd.DataFrame(columns=columns)
    table = paths.groupby(["group_a", "group_b", "via_label"])["via"].nunique().unstack(fill_value=0)
    table = table.reindex(columns=columns[2:], fill_value=0).reset_index()
    table.columns.name = None
    return table[columns]


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Nexus scores per network, the connecting paths, and entities shared between groups (nothing written back).

    ``seed`` is unused (the analysis is deterministic).
    """
    incidents = store.read("analytics_nexus_incidents").reindex(columns=["incident", "context", "date"])
    links = store.read("analytics_nexus_links").reindex(columns=["incident", "label", "entity", "community"])
    paths = nexus_paths(incidents, links)
    return {
        "network_scores": nexus_scores(incidents, links),
        "paths": paths,
        "context_links": context_links(paths),
    }
