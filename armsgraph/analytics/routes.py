"""Routes and flows: place→place flows weighted by firearms and incidents; corridors, transit hubs, new corridors.

Every incident that travelled along a route contributes its firearms to each step of the route
(departure → transit… → destination). An incident weighs ``firearms_qty`` when the record gives a
count (aggregated data such as the ATF source–recovery tables), else the number of firearms it
seized, else 1.

Stops are read at the **country** level by default; a route whose stops all lie in one country
keeps its own finer places (so domestic flows such as ATF's US-IN → US-IL stay visible).
``level="subdivision"`` reads every stop at the subdivision level (cities go up to their
subdivision).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from armsgraph.analytics.common import short_hash, write_clusters
from armsgraph.dates import months_before, start_of
from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import GraphStore

__all__ = ["LEVELS", "analyse", "corridors", "flows", "hubs", "route_stops"]

LEVELS = ("country", "subdivision")
FLOW_COLUMNS = ["source", "target", "firearms", "incidents", "source_name", "target_name"]
CORRIDOR_COLUMNS = [
    "rank",
    "source",
    "target",
    "firearms",
    "incidents",
    "transit",
    "first_seen",
    "last_seen",
    "new_in_period",
    "source_name",
    "target_name",
]
HUB_COLUMNS = ["place", "place_name", "transit_firearms", "incidents", "corridors"]


def _firearms(legs: pd.DataFrame) -> pd.Series:
    """Firearms per leg row: the declared quantity, else the firearms seized, else 1."""
    qty = pd.to_numeric(legs["firearms_qty"], errors="coerce")
    seized = pd.to_numeric(legs["firearms_seized"], errors="coerce").fillna(0)
    weight = qty.where(qty > 0, seized.where(seized > 0, 1.0))
    return weight.astype(float)


def _column(legs: pd.DataFrame, name: str) -> pd.Series:
    return legs[name] if name in legs else pd.Series(None, index=legs.index, dtype=object)


def route_stops(legs: pd.DataFrame, level: str = "country") -> pd.DataFrame:
    """One row per stop of every incident's route, read at ``level``; repeated consecutive stops merged.

    Parameters
    ----------
    legs : DataFrame
        incident, date, firearms_qty, firearms_seized, route, order, place, kind, code, name, and the
        stop's ancestors country_uid/code/name and subdivision_uid/code/name (may be missing).
    level : {"country", "subdivision"}

    Returns
    -------
    DataFrame with incident, route, date, firearms, position, stop, stop_name, stop_uid, stops (route length).

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1"] * 3, "route": ["r"] * 3, "order": [0, 1, 2],
    ...     "date": ["2021"] * 3, "firearms_qty": [None] * 3, "firearms_seized": [2] * 3,
    ...     "place": ["city:MEX:Tijuana", "country:USA", "subdivision:US-CA"],
    ...     "kind": ["city", "country", "subdivision"], "code": [None, "USA", "US-CA"],
    ...     "name": ["Tijuana", "United States", "California"],
    ...     "country_uid": ["country:MEX", None, "country:USA"], "country_code": ["MEX", None, "USA"],
    ...     "country_name": ["Mexico", None, "United States"]})
    >>> route_stops(legs)["stop"].tolist()
    ['MEX', 'USA']
    """
    if level not in LEVELS:
        raise AnalyticsError(f"unknown route level {level!r}; choose from {list(LEVELS)}")
    legs = legs.sort_values(["incident", "route", "order"], kind="stable").reset_index(drop=True)
    own = pd.DataFrame(
        {"stop": legs["code"].fillna(legs["place"]), "stop_name": legs["name"], "stop_uid": legs["place"]}
    )
    kind = _column(legs, "kind")
    if level == "country":
        up = pd.DataFrame(
            {
                "stop": _column(legs, "country_code"),
                "stop_name": _column(legs, "country_name"),
                "stop_uid": _column(legs, "country_uid"),
            }
        )
        use_up = (kind != "country") & up["stop"].notna()
        coarse = own.mask(use_up, up)
        # a route that never leaves one country keeps its own places
        countries = coarse["stop"].groupby([legs["incident"], legs["route"]]).transform("nunique")
        chosen = coarse.mask(countries <= 1, own)
    else:
        up = pd.DataFrame(
            {
                "stop": _column(legs, "subdivision_code"),
                "stop_name": _column(legs, "subdivision_name"),
                "stop_uid": _column(legs, "subdivision_uid"),
            }
        )
        chosen = own.mask(kind.isin(["city", "point"]) & up["stop"].notna(), up)
    out = pd.concat([legs[["incident", "route", "date"]], chosen, _firearms(legs).rename("firearms")], axis=1)
    group = [out["incident"], out["route"]]
    repeated = out["stop"].eq(out.groupby(group)["stop"].shift(1))
    out = out[~repeated].reset_index(drop=True)
    out["position"] = out.groupby(["incident", "route"]).cumcount()
    out["stops"] = out.groupby(["incident", "route"])["stop"].transform("size")
    return out


def flows(stops: pd.DataFrame) -> pd.DataFrame:
    """Flows between consecutive stops, summed over incidents and ranked by firearms.

    Parameters
    ----------
    stops : DataFrame from :func:`route_stops`

    Returns
    -------
    DataFrame with source, target, firearms, incidents, source_name, target_name.

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1", "i1", "i2", "i2"], "route": ["r"] * 4, "order": [0, 1, 0, 1],
    ...     "date": ["2021"] * 4, "firearms_qty": [None, None, 40, 40], "firearms_seized": [3, 3, 0, 0],
    ...     "place": ["country:SRB", "country:DEU"] * 2, "kind": ["country"] * 4, "code": ["SRB", "DEU"] * 2,
    ...     "name": ["Serbia", "Germany"] * 2})
    >>> flows(route_stops(legs))[["source", "target", "firearms", "incidents"]].values.tolist()
    [['SRB', 'DEU', 43.0, 2]]
    """
    nxt = stops.groupby(["incident", "route"])[["stop", "stop_name"]].shift(-1)
    steps = pd.DataFrame(
        {
            "source": stops["stop"],
            "target": nxt["stop"],
            "source_name": stops["stop_name"],
            "target_name": nxt["stop_name"],
            "firearms": stops["firearms"],
            "incident": stops["incident"],
        }
    ).dropna(subset=["target"])
    if steps.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    out = steps.groupby(["source", "target"]).agg(
        firearms=("firearms", "sum"),
        incidents=("incident", "nunique"),
        source_name=("source_name", "first"),
        target_name=("target_name", "first"),
    )
    out = out.reset_index().sort_values(
        ["firearms", "incidents", "source", "target"], ascending=[False, False, True, True], ignore_index=True
    )
    return out[FLOW_COLUMNS]


def _route_ends(stops: pd.DataFrame) -> pd.DataFrame:
    """One row per incident route: source, target, transit chain, firearms, date, end uids."""
    by = stops.groupby(["incident", "route"], sort=False)
    ends = by.agg(
        source=("stop", "first"),
        target=("stop", "last"),
        source_name=("stop_name", "first"),
        target_name=("stop_name", "last"),
        source_uid=("stop_uid", "first"),
        target_uid=("stop_uid", "last"),
        firearms=("firearms", "first"),
        date=("date", "first"),
    ).reset_index()
    middle = stops[(stops["position"] > 0) & (stops["position"] < stops["stops"] - 1)]
    transit = middle.groupby(["incident", "route"])["stop"].agg(">".join).rename("transit")
    ends = ends.join(transit, on=["incident", "route"])
    ends["transit"] = ends["transit"].fillna("")
    return ends[ends["source"] != ends["target"]].reset_index(drop=True)


def _most_common(values: pd.Series) -> str:
    chains = values[values != ""]
    if chains.empty:
        return ""
    counts = chains.value_counts()
    return str(sorted(counts[counts == counts.max()].index)[0])


def corridors(stops: pd.DataFrame, new_months: int = 12, as_of: dt.date | None = None) -> pd.DataFrame:
    """Departure→destination corridors, ranked by firearms, with their usual transit and first sighting.

    A corridor is ``new_in_period`` when it was first seen after ``as_of`` minus ``new_months`` months
    (``as_of`` defaults to the latest incident date) and so was not seen before that period.

    Parameters
    ----------
    stops : DataFrame from :func:`route_stops`
    new_months : length of the recent period, in months
    as_of : end of the recent period

    Returns
    -------
    DataFrame with rank, source, target, firearms, incidents, transit (most common chain, ">"-joined),
    first_seen, last_seen, new_in_period, source_name, target_name.

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1"] * 3 + ["i2"] * 2, "route": ["r1"] * 3 + ["r2"] * 2,
    ...     "order": [0, 1, 2, 0, 1], "date": ["2020-05-01"] * 3 + ["2021-06-01"] * 2,
    ...     "firearms_qty": [None] * 5, "firearms_seized": [2] * 3 + [1] * 2,
    ...     "place": ["TUR", "BGR", "DEU", "ALB", "ITA"], "kind": ["country"] * 5,
    ...     "code": ["TUR", "BGR", "DEU", "ALB", "ITA"], "name": ["T", "B", "D", "A", "I"]})
    >>> corridors(route_stops(legs))[["source", "target", "transit", "firearms", "new_in_period"]].values.tolist()
    [['TUR', 'DEU', 'BGR', 2.0, False], ['ALB', 'ITA', '', 1.0, True]]
    """
    ends = _route_ends(stops)
    if ends.empty:
        return pd.DataFrame(columns=CORRIDOR_COLUMNS)
    ends["day"] = [start_of(d) for d in ends["date"]]
    grouped = (
        ends.groupby(["source", "target"])
        .agg(
            firearms=("firearms", "sum"),
            incidents=("incident", "nunique"),
            transit=("transit", _most_common),
            first_day=("day", lambda s: min(s.dropna(), default=None)),
            last_day=("day", lambda s: max(s.dropna(), default=None)),
            source_name=("source_name", "first"),
            target_name=("target_name", "first"),
        )
        .reset_index()
    )
    days = ends["day"].dropna()
    end = as_of or (max(days) if not days.empty else None)
    cutoff = months_before(end, new_months) if end else None
    grouped["new_in_period"] = [bool(cutoff and d and d > cutoff) for d in grouped["first_day"]]
    grouped["first_seen"] = [d.isoformat() if d else None for d in grouped["first_day"]]
    grouped["last_seen"] = [d.isoformat() if d else None for d in grouped["last_day"]]
    grouped = grouped.sort_values(
        ["firearms", "incidents", "source", "target"], ascending=[False, False, True, True], ignore_index=True
    )
    grouped["rank"] = range(1, len(grouped) + 1)
    return grouped[CORRIDOR_COLUMNS]


def hubs(stops: pd.DataFrame) -> pd.DataFrame:
    """Transit places (neither first nor last stop of a route), ranked by the firearms passing through.

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1"] * 3, "route": ["r"] * 3, "order": [0, 1, 2],
    ...     "date": ["2021"] * 3, "firearms_qty": [None] * 3, "firearms_seized": [4] * 3,
    ...     "place": ["TUR", "BGR", "DEU"], "kind": ["country"] * 3, "code": ["TUR", "BGR", "DEU"],
    ...     "name": ["Türkiye", "Bulgaria", "Germany"]})
    >>> hubs(route_stops(legs)).values.tolist()
    [['BGR', 'Bulgaria', 4.0, 1, 1]]
    """
    middle = stops[(stops["position"] > 0) & (stops["position"] < stops["stops"] - 1)]
    if middle.empty:
        return pd.DataFrame(columns=HUB_COLUMNS)
    ends = _route_ends(stops)[["incident", "route", "source", "target"]]
    middle = middle.merge(ends, on=["incident", "route"], how="left")
    middle["corridor"] = middle["source"].fillna("") + ">" + middle["target"].fillna("")
    table = (
        middle.groupby("stop")
        .agg(
            place_name=("stop_name", "first"),
            transit_firearms=("firearms", "sum"),
            incidents=("incident", "nunique"),
            corridors=("corridor", "nunique"),
        )
        .reset_index()
        .rename(columns={"stop": "place"})
    )
    return table.sort_values(["transit_firearms", "place"], ascending=[False, True], ignore_index=True)[HUB_COLUMNS]


def _corridor_clusters(stops: pd.DataFrame, table: pd.DataFrame, top: int) -> tuple[pd.DataFrame, list[Any]]:
    """Cluster rows and (label, uid, cluster) memberships for the ``top`` corridors."""
    best = table.head(top)
    uid = {(s, t): "cluster:corridor:" + short_hash(s, t) for s, t in zip(best["source"], best["target"], strict=True)}
    summary = pd.DataFrame(
        {
            "uid": list(uid.values()),
            "size": best["incidents"].astype(int),
            "score": best["firearms"].astype(float),
            "method": "route departure→destination, weighted by firearms",
            "summary": [
                f"{s} → {t}" + (f" via {v}" if v else "") + f": {f:g} firearms"
                for s, t, v, f in zip(best["source"], best["target"], best["transit"], best["firearms"], strict=True)
            ],
        }
    )
    ends = _route_ends(stops)
    ends["cluster"] = [uid.get((s, t)) for s, t in zip(ends["source"], ends["target"], strict=True)]
    ends = ends.dropna(subset=["cluster"])
    members: list[tuple[str, str, str]] = sorted(
        {("Incident", i, c) for i, c in zip(ends["incident"], ends["cluster"], strict=True)}
        | {("Place", p, c) for p, c in zip(ends["source_uid"], ends["cluster"], strict=True) if p}
        | {("Place", p, c) for p, c in zip(ends["target_uid"], ends["cluster"], strict=True) if p}
    )
    return summary, members


def analyse(
    store: GraphStore, *, seed: int = 0, level: str = "country", new_months: int = 12, top: int = 50
) -> dict[str, pd.DataFrame]:
    """Flows, corridors and hubs; the ``top`` corridors are written as ``Cluster {kind: "corridor"}`` nodes.

    Each corridor cluster has IN_CLUSTER edges from its incidents and its two end places. Earlier
    corridor clusters are removed first. ``seed`` is unused (the analysis is deterministic).
    """
    legs = store.read("analytics_routes_legs")
    if legs.empty:
        write_clusters(store, "corridor", pd.DataFrame(), [])
        return {
            "flows": pd.DataFrame(columns=FLOW_COLUMNS),
            "corridors": pd.DataFrame(columns=CORRIDOR_COLUMNS),
            "hubs": pd.DataFrame(columns=HUB_COLUMNS),
        }
    stops = route_stops(legs, level)
    table = corridors(stops, new_months=new_months)
    summary, members = _corridor_clusters(stops, table, top)
    write_clusters(store, "corridor", summary, members)
    return {"flows": flows(stops), "corridors": table, "hubs": hubs(stops)}
