"""Hotspots: space–time clusters of seizures, with their trend, ranked.

1. **Space**: DBSCAN on great-circle (haversine) distance, ``radius_km`` neighbourhood, at least
   ``min_incidents`` incidents. Coordinates are first snapped to a ~1 km grid and weighted by their
   count, so dense cities cost no more than their distinct spots.
2. **Time**: a spatial cluster is split wherever ``gap_days`` pass without an incident; undated
   incidents join the largest episode. Episodes with fewer than ``min_incidents`` incidents are dropped.
3. **Trend**: least-squares slope of incidents per calendar month over the episode's months
   (empty months count as 0); positive means growing.

Ranked by incidents, then trend. Incidents use their own lat/lon, else those of their city/point place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN

from armsgraph.analytics.common import parse_date, short_hash, write_clusters
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "hotspots", "monthly_trend"]

EARTH_KM = 6371.0
GRID_DEGREES = 0.01
COLUMNS = [
    "rank",
    "hotspot_id",
    "lat",
    "lon",
    "country",
    "incidents",
    "firearms",
    "first",
    "last",
    "trend",
    "evidence",
]


def monthly_trend(dates: pd.Series) -> float:
    """Least-squares slope of incidents per month over the months spanned (empty months count).

    Examples
    --------
    >>> monthly_trend(pd.Series(["2021-01-05", "2021-02-01", "2021-02-20", "2021-03-03", "2021-03-09",
    ...                          "2021-03-30"]))
    1.0
    """
    days = [d for d in map(parse_date, dates) if d]
    months = pd.Series([d.year * 12 + d.month - 1 for d in days])
    if months.nunique() < 2:
        return 0.0
    counts = months.value_counts().reindex(range(months.min(), months.max() + 1), fill_value=0)
    return round(float(np.polyfit(counts.index.to_numpy(), counts.to_numpy(), 1)[0]), 4)


def _spatial_labels(located: pd.DataFrame, radius_km: float, min_incidents: int) -> np.ndarray:
    """DBSCAN label per located incident (−1: noise), on grid-snapped, count-weighted coordinates."""
    snapped = (located[["lat", "lon"]].astype(float) / GRID_DEGREES).round().astype(int)
    cells, inverse, counts = np.unique(snapped.to_numpy(), axis=0, return_inverse=True, return_counts=True)
    coords = np.radians(cells * GRID_DEGREES)
    labels = DBSCAN(
        eps=radius_km / EARTH_KM, min_samples=min_incidents, metric="haversine", algorithm="ball_tree"
    ).fit_predict(coords, sample_weight=counts)
    result: np.ndarray = labels[inverse.reshape(-1)]
    return result


def _episodes(group: pd.DataFrame, gap_days: int) -> pd.Series:
    """Episode number per incident of one spatial cluster: a new one after ``gap_days`` without incidents."""
    days = pd.to_datetime(pd.Series([parse_date(d) for d in group["date"]], index=group.index), errors="coerce")
    dated = days.dropna().sort_values()
    episode = (dated.diff().dt.days > gap_days).cumsum()
    out = pd.Series(-1, index=group.index, dtype=int)
    out.loc[episode.index] = episode.to_numpy()
    if not episode.empty:
        out[days.isna()] = int(episode.value_counts().sort_index().to_numpy().argmax())
    else:
        out[:] = 0
    return out


def hotspots(
    incidents: pd.DataFrame, radius_km: float = 25.0, min_incidents: int = 5, gap_days: int = 180
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Space–time clusters of located incidents, ranked, each with its monthly trend.

    Parameters
    ----------
    incidents : DataFrame with uid, lat, lon, date, country, firearms_qty, firearms_seized
    radius_km, min_incidents : DBSCAN neighbourhood (great-circle) and core size
    gap_days : a cluster splits into two episodes after this many days without an incident

    Returns
    -------
    (hotspots, members): hotspots has rank, hotspot_id, lat, lon (centre), country (most common), incidents,
    firearms (declared quantity, else seized), first, last, trend (incidents per month per month), evidence
    (up to ten incident uids); members maps incident → hotspot_id.

    Examples
    --------
    >>> pts = pd.DataFrame({"uid": [f"i{n}" for n in range(8)], "lat": [45.0] * 6 + [10.0, -10.0],
    ...     "lon": [15.0] * 6 + [10.0, -10.0], "date": ["2021-01-01"] * 8, "country": ["HRV"] * 8,
    ...     "firearms_qty": [None] * 8, "firearms_seized": [2] * 8})
    >>> spots, members = hotspots(pts)
    >>> spots[["incidents", "firearms", "country"]].values.tolist(), len(members)
    ([[6, 12, 'HRV']], 6)
    """
    located = incidents.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    empty = (pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=["incident", "hotspot_id"]))
    if len(located) < min_incidents:
        return empty
    located["space"] = _spatial_labels(located, radius_km, min_incidents)
    qty = pd.to_numeric(located["firearms_qty"], errors="coerce")
    seized = pd.to_numeric(located["firearms_seized"], errors="coerce").fillna(0)
    located["firearms"] = qty.where(qty > 0, seized).astype(int)
    rows, members = [], []
    for _space, cluster in located[located["space"] >= 0].groupby("space"):
        for _episode, group in cluster.groupby(_episodes(cluster, gap_days)):
            if len(group) < min_incidents:
                continue
            uids = sorted(group["uid"])
            hotspot_id = "cluster:hotspot:" + short_hash(uids[0])
            dates = sorted(d for d in group["date"] if isinstance(d, str) and d)
            countries = group["country"].dropna()
            rows.append(
                {
                    "hotspot_id": hotspot_id,
                    "lat": round(float(group["lat"].mean()), 5),
                    "lon": round(float(group["lon"].mean()), 5),
                    "country": str(countries.mode().iloc[0]) if not countries.empty else None,
                    "incidents": len(group),
                    "firearms": int(group["firearms"].sum()),
                    "first": dates[0] if dates else None,
                    "last": dates[-1] if dates else None,
                    "trend": monthly_trend(group["date"]),
                    "evidence": uids[:10],
                }
            )
            members.extend((uid, hotspot_id) for uid in uids)
    if not rows:
        return empty
    spots = pd.DataFrame(rows).sort_values(
        ["incidents", "trend", "hotspot_id"], ascending=[False, False, True], ignore_index=True
    )
    spots["rank"] = range(1, len(spots) + 1)
    return spots[COLUMNS], pd.DataFrame(members, columns=["incident", "hotspot_id"])


def analyse(
    store: GraphStore, *, seed: int = 0, radius_km: float = 25.0, min_incidents: int = 5, gap_days: int = 180
) -> dict[str, pd.DataFrame]:
    """Hotspots, written as ``Cluster {kind: "hotspot"}`` nodes with IN_CLUSTER from their incidents and as
    ``Incident.hotspot``; earlier hotspot results are removed first. ``seed`` is unused (DBSCAN is deterministic).
    """
    incidents = store.read("analytics_hotspots_incidents").reindex(
        columns=["uid", "date", "country", "lat", "lon", "firearms_qty", "firearms_seized"]
    )
    spots, members = hotspots(incidents, radius_km=radius_km, min_incidents=min_incidents, gap_days=gap_days)
    store.write("analytics_hotspots_clear")
    store.write("analytics_hotspots_set", rows=[{"uid": i, "hotspot": h} for i, h in members.itertuples(index=False)])
    summary = pd.DataFrame(
        {
            "uid": spots["hotspot_id"],
            "size": spots["incidents"],
            "score": spots["trend"],
            "method": f"DBSCAN haversine {radius_km:g} km, {min_incidents} incidents, split after {gap_days} days",
            "summary": [
                f"{n} incidents around {lat:.2f},{lon:.2f} ({c or 'unknown'}), {a} to {b}"
                for n, lat, lon, c, a, b in zip(
                    spots["incidents"],
                    spots["lat"],
                    spots["lon"],
                    spots["country"],
                    spots["first"],
                    spots["last"],
                    strict=True,
                )
            ],
        }
    )
    write_clusters(store, "hotspot", summary, [("Incident", i, h) for i, h in members.itertuples(index=False)])
    return {"hotspots": spots}
