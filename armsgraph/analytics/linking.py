"""Linked incidents: pairs of incidents that share a firearm, a ballistic hit group, an actor,
an identifier, a point of diversion or the same event, with the evidence for every link.

Blocking keys: incidents are grouped by the entity they share, so only incidents in one group
are ever compared; a group larger than ``max_group`` is linked as a chain in date order (its
incidents stay in one cluster without a quadratic number of pairs).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations, pairwise
from typing import Any

import networkx as nx
import pandas as pd

from armsgraph.analytics.common import (
    analytics_settings,
    haversine_km,
    parse_date,
    provenance,
    write_clusters,
)
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "ballistic_groups", "clusters", "linked_incidents"]

_SOURCES_SHOWN = 5


def ballistic_groups(evidence: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    """One entity per firearm seen through ballistics: evidence joined by hit group or examiner HIT.

    Parameters
    ----------
    evidence : DataFrame with incident, evidence, hit_group, sources
    hits : DataFrame with source, target (evidence uids)

    Returns
    -------
    DataFrame with incident, entity, sources — the ``entities`` rows of rule "ballistic".

    Examples
    --------
    >>> ev = pd.DataFrame({"incident": ["i1", "i2"], "evidence": ["b1", "b2"], "hit_group": ["G", "G"],
    ...                    "sources": [["b.csv:1"], ["b.csv:2"]]})
    >>> sorted(ballistic_groups(ev, pd.DataFrame(columns=["source", "target"]))["entity"].unique())
    ['ballistic:b1']
    """
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(evidence["evidence"])
    graph.add_edges_from(zip(hits["source"], hits["target"], strict=True))
    for _, group in evidence.dropna(subset=["hit_group"]).groupby("hit_group"):
        uids = list(group["evidence"])
        graph.add_edges_from(pairwise(uids))
    root = {uid: min(component) for component in nx.connected_components(graph) for uid in component}
    out = evidence[["incident", "sources"]].copy()
    out["entity"] = ["ballistic:" + root[uid] for uid in evidence["evidence"]]
    return out


def _group_pairs(incidents: list[str], dates: Mapping[str, Any], max_group: int) -> Iterable[tuple[str, str]]:
    unique = sorted(set(incidents))
    if len(unique) <= max_group:
        return combinations(unique, 2)
    ordered = sorted(unique, key=lambda uid: (str(dates.get(uid) or ""), uid))
    return ((min(a, b), max(a, b)) for a, b in pairwise(ordered))


def _same_event_entities(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents on one full date within ~1 km: candidate reports of one event."""
    located = incidents.dropna(subset=["lat", "lon", "date"])
    located = located[located["date"].str.len() == 10]
    keys = located["date"] + "@" + located["lat"].round(2).astype(str) + "," + located["lon"].round(2).astype(str)
    return pd.DataFrame({"incident": located["uid"], "entity": "event:" + keys, "sources": [[]] * len(located)})


def linked_incidents(
    incidents: pd.DataFrame, entities: pd.DataFrame, settings: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Every pair of incidents linked by shared evidence, weighted, with that evidence.

    Parameters
    ----------
    incidents : DataFrame with uid, date, lat, lon, agency
    entities : DataFrame with incident, entity, rule, sources — one row per incident and shared thing
        (rules: firearm, ballistic, person, organisation, identifier, trace); ``same_event`` is derived
        from ``incidents`` here.
    settings : rules, weights, threshold, max_group, space_time window (default ``analytics/settings.yaml``)

    Returns
    -------
    DataFrame with a, b (a < b), rules (list), weight, evidence (list of "rule: entity [file:row …]"),
    sorted by weight then uids. Pairs below the threshold are kept (the caller filters).

    Examples
    --------
    >>> inc = pd.DataFrame({"uid": ["i1", "i2", "i3"], "date": ["2021-01-01"] * 3, "lat": [None] * 3,
    ...                     "lon": [None] * 3, "agency": [None] * 3})
    >>> ent = pd.DataFrame({"incident": ["i1", "i2"], "entity": ["firearm:X", "firearm:X"],
    ...                     "rule": ["firearm", "firearm"], "sources": [["f.csv:1"], ["f.csv:2"]]})
    >>> linked_incidents(inc, ent)[["a", "b", "rules"]].values.tolist()
    [['i1', 'i2', ['firearm']]]
    """
    config = dict(settings or analytics_settings())
    weights: Mapping[str, float] = config["rules"]
    max_group = int(config.get("max_group", 150))
    dates = dict(zip(incidents["uid"], incidents["date"], strict=True))
    events = _same_event_entities(incidents).assign(rule="same_event")
    rules: dict[tuple[str, str], set[str]] = defaultdict(set)
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    actors: dict[tuple[str, str], bool] = {}
    everything = pd.concat([entities, events], ignore_index=True)
    shared = everything.groupby(["rule", "entity"])["incident"].transform("nunique") >= 2
    for (rule, entity), group in everything[shared].groupby(["rule", "entity"], sort=True):
        members = list(group["incident"])
        refs = sorted({s for sources in group["sources"] for s in (sources or [])})[:_SOURCES_SHOWN]
        note = f"{rule}: {entity}" + (f" [{'; '.join(refs)}]" if refs else "")
        for a, b in _group_pairs(members, dates, max_group):
            rules[(a, b)].add(str(rule))
            evidence[(a, b)].append(note)
            if rule in ("person", "organisation"):
                actors[(a, b)] = True
    window = config.get("space_time", {})
    where = incidents.set_index("uid")[["lat", "lon"]].to_dict("index") if len(incidents) else {}
    rows = []
    for (a, b), found in rules.items():
        if actors.get((a, b)) and _within(a, b, dates, where, window):
            found = found | {"space_time"}
        weight = 1.0
        for rule in found:
            weight *= 1.0 - float(weights.get(rule, 0.0))
        rows.append((a, b, sorted(found), round(1.0 - weight, 4), evidence[(a, b)]))
    pairs = pd.DataFrame(rows, columns=["a", "b", "rules", "weight", "evidence"])
    return pairs.sort_values(["weight", "a", "b"], ascending=[False, True, True], ignore_index=True)


def _within(a: str, b: str, dates: Mapping[str, Any], where: Mapping[str, Any], window: Mapping[str, Any]) -> bool:
    da, db = parse_date(dates.get(a)), parse_date(dates.get(b))
    if da is None or db is None or abs((da - db).days) > int(window.get("days", 30)):
        return False
    pa, pb = where.get(a, {}), where.get(b, {})
    coords = [pa.get("lat"), pa.get("lon"), pb.get("lat"), pb.get("lon")]
    if any(c is None or pd.isna(c) for c in coords):
        return True  # same actor, close in time, place unknown
    return haversine_km(*[float(c) for c in coords]) <= float(window.get("km", 50))


def clusters(pairs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Connected components of the links at or above ``threshold``.

    Returns
    -------
    DataFrame with incident, cluster (``cluster:linked:<n>``, n = 1 for the largest, ties broken by
    smallest member uid, so the same pairs always give the same numbers), size, score (mean link weight).

    Examples
    --------
    >>> p = pd.DataFrame({"a": ["i1", "i3", "i5"], "b": ["i2", "i4", "i2"], "weight": [0.9, 0.2, 0.8]})
    >>> clusters(p, 0.5)[["incident", "cluster", "size"]].values.tolist()
    [['i1', 'cluster:linked:1', 3], ['i2', 'cluster:linked:1', 3], ['i5', 'cluster:linked:1', 3]]
    """
    strong = pairs[pairs["weight"] >= threshold]
    graph: nx.Graph = nx.Graph()
    graph.add_weighted_edges_from(zip(strong["a"], strong["b"], strong["weight"], strict=True))
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda m: (-len(m), m[0]))
    rows = []
    for n, members in enumerate(components, start=1):
        sub = graph.subgraph(members)
        # fsum: exact whatever the order, which follows the process's string hashing (a subgraph of a
        # set); a plain sum put one 100k cluster at 0.872 in one run and 0.8721 in another.
        score = math.fsum(w for _, _, w in sub.edges(data="weight")) / max(1, sub.number_of_edges())
        rows.extend((uid, f"cluster:linked:{n}", len(members), round(score, 4)) for uid in members)
    return pd.DataFrame(rows, columns=["incident", "cluster", "size", "score"])


def _per_incident(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per incident of a read that lists each shared entity once with its ``incidents``."""
    return frame.explode("incidents", ignore_index=True).rename(columns={"incidents": "incident"})


def _entities(store: GraphStore) -> pd.DataFrame:
    """(incident, entity, rule, sources) of everything incidents share; firearms and actors only when shared.

    Firearms and actors are grouped in the store: at 100k incidents most firearms and persons are seen
    once, and reading them (with their sources) only for :func:`linked_incidents` to skip them was most of
    the reading time.
    """
    parts = [
        _per_incident(store.read("analytics_link_firearm")).assign(rule="firearm"),
        store.read("analytics_link_identifier").assign(rule="identifier"),
        store.read("analytics_link_trace").assign(rule="trace"),
    ]
    actors = _per_incident(store.read("analytics_link_actor"))
    actors["rule"] = actors["label"].map({"Person": "person", "Organisation": "organisation"})
    parts.append(actors.drop(columns=["label"]))
    evidence = store.read("analytics_link_ballistic")
    if not evidence.empty:
        parts.append(ballistic_groups(evidence, store.read("analytics_ballistic_hits")).assign(rule="ballistic"))
    frames = [p[["incident", "entity", "rule", "sources"]] for p in parts if not p.empty]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["incident", "entity", "rule", "sources"])
    )


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Link incidents, cluster them, and write LINKED edges, Incident.cluster and Cluster nodes."""
    config = analytics_settings()
    incidents = store.read("analytics_incidents")
    pairs = linked_incidents(incidents, _entities(store), config)
    strong = pairs[pairs["weight"] >= float(config["threshold"])]
    members = clusters(pairs, float(config["threshold"]))
    store.write("analytics_clear_linked")
    store.upsert_relationships(
        "LINKED",
        "Incident",
        "Incident",
        [
            {"from": r.a, "to": r.b, "rules": r.rules, "weight": r.weight, "evidence": r.evidence, **provenance(n)}
            for n, r in enumerate(strong.itertuples(index=False), start=1)
        ],
    )
    store.write(
        "analytics_set_incident_cluster", rows=[{"uid": r.incident, "cluster": r.cluster} for r in members.itertuples()]
    )
    summary = members.groupby("cluster").agg(size=("size", "first"), score=("score", "first")).reset_index()
    summary = summary.rename(columns={"cluster": "uid"}).assign(
        method="connected components of LINKED (weight >= threshold)",
        summary=[f"{s} linked incidents" for s in summary["size"]],
    )
    write_clusters(
        store, "linked_incidents", summary, (("Incident", r.incident, r.cluster) for r in members.itertuples())
    )
    return {"pairs": strong.reset_index(drop=True), "clusters": members}
