"""Routes and flows: place→place flows weighted by firearms and incidents; corridors, transit hubs, new corridors."""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics.common import parse_date, short_hash, write_clusters
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "corridors", "flows"]


def _weighted(legs: pd.DataFrame) -> pd.DataFrame:
    legs = legs.copy()
    qty = pd.to_numeric(legs["firearms_qty"], errors="coerce")
    seized = pd.to_numeric(legs["firearms_seized"], errors="coerce").fillna(0)
    legs["firearms"] = qty.where(qty.notna(), seized.where(seized > 0, 1)).astype(float)
    return legs.sort_values(["incident", "route", "order"])


def flows(legs: pd.DataFrame) -> pd.DataFrame:
    """Flows between consecutive stops of every incident's route.

    Parameters
    ----------
    legs : DataFrame with incident, route, order, code, name, firearms_qty, firearms_seized

    Returns
    -------
    DataFrame with source, target, source_name, target_name, firearms, incidents, ranked by firearms.

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1", "i1"], "route": ["r", "r"], "order": [0, 1],
    ...     "code": ["SRB", "DEU"], "name": ["Serbia", "Germany"], "firearms_qty": [None, None],
    ...     "firearms_seized": [3, 3], "date": ["2021", "2021"], "role": ["departure", "destination"]})
    >>> flows(legs)[["source", "target", "firearms"]].values.tolist()
    [['SRB', 'DEU', 3.0]]
    """
    legs = _weighted(legs)
    nxt = legs.groupby(["incident", "route"]).shift(-1)
    steps = pd.DataFrame(
        {
            "source": legs["code"],
            "target": nxt["code"],
            "source_name": legs["name"],
            "target_name": nxt["name"],
            "firearms": legs["firearms"],
            "incident": legs["incident"],
        }
    ).dropna(subset=["target"])
    out = steps.groupby(["source", "target", "source_name", "target_name"], dropna=False).agg(
        firearms=("firearms", "sum"), incidents=("incident", "nunique")
    )
    return out.reset_index().sort_values(
        ["firearms", "source", "target"], ascending=[False, True, True], ignore_index=True
    )


def corridors(legs: pd.DataFrame, new_months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Departure→destination corridors (with their transits) and transit hubs.

    A corridor is ``new_in_period`` when first seen within the last ``new_months`` months of the data.

    Examples
    --------
    >>> legs = pd.DataFrame({"incident": ["i1"] * 3, "route": ["r"] * 3, "order": [0, 1, 2],
    ...     "code": ["TUR", "BGR", "DEU"], "name": ["T", "B", "D"], "firearms_qty": [None] * 3,
    ...     "firearms_seized": [2] * 3, "date": ["2021-05-01"] * 3, "role": ["departure", "transit", "destination"]})
    >>> c, hubs = corridors(legs)
    >>> c[["source", "target", "transit", "firearms"]].values.tolist(), hubs["place"].tolist()
    ([['TUR', 'DEU', 'BGR', 2.0]], ['BGR'])
    """
    legs = _weighted(legs)
    per_route = (
        legs.groupby(["incident", "route"])
        .agg(
            source=("code", "first"),
            target=("code", "last"),
            firearms=("firearms", "first"),
            date=("date", "first"),
            transit=("code", lambda s: ">".join(list(s)[1:-1])),
        )
        .reset_index()
    )
    per_route = per_route[per_route["source"] != per_route["target"]]
    per_route["day"] = [parse_date(d) for d in per_route["date"]]
    grouped = (
        per_route.groupby(["source", "target"])
        .agg(
            firearms=("firearms", "sum"),
            incidents=("incident", "nunique"),
            transit=("transit", lambda s: s.mode().iloc[0] if len(s.mode()) else ""),
            first_seen=("day", "min"),
        )
        .reset_index()
    )
    latest = per_route["day"].dropna().max() if per_route["day"].notna().any() else None
    if latest is not None:
        cutoff = latest.replace(year=latest.year - new_months // 12) if new_months % 12 == 0 else latest
        grouped["new_in_period"] = [
            bool(d is not None and not pd.isna(d) and d > cutoff) for d in grouped["first_seen"]
        ]
    else:
        grouped["new_in_period"] = False
    grouped["first_seen"] = [d.isoformat() if d is not None and not pd.isna(d) else None for d in grouped["first_seen"]]
    grouped = grouped.sort_values(["firearms", "source", "target"], ascending=[False, True, True], ignore_index=True)
    transit = legs[legs["role"] == "transit"]
    hubs = transit.groupby("code").agg(transit_firearms=("firearms", "sum"), incidents=("incident", "nunique"))
    hubs = hubs.reset_index().rename(columns={"code": "place"})
    return grouped, hubs.sort_values(["transit_firearms", "place"], ascending=[False, True], ignore_index=True)


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Flows, corridors and hubs; the top corridors are written as Cluster nodes of kind corridor."""
    legs = store.read("analytics_route_legs")
    if legs.empty:
        empty = pd.DataFrame(columns=["source", "target", "firearms", "incidents"])
        write_clusters(store, "corridor", pd.DataFrame(), [])
        return {"flows": empty, "corridors": empty, "hubs": pd.DataFrame(columns=["place", "transit_firearms"])}
    flow = flows(legs)
    corridor, hubs = corridors(legs)
    top = corridor.head(50)
    summary = pd.DataFrame(
        {
            "uid": ["cluster:corridor:" + short_hash(s, t) for s, t in zip(top["source"], top["target"], strict=True)],
            "size": top["incidents"],
            "score": top["firearms"],
            "method": "departure→destination, firearms",
            "summary": [
                f"{s} → {t}" + (f" via {v}" if v else "")
                for s, t, v in zip(top["source"], top["target"], top["transit"], strict=True)
            ],
        }
    )
    write_clusters(store, "corridor", summary, [])
    return {"flows": flow, "corridors": corridor, "hubs": hubs}
