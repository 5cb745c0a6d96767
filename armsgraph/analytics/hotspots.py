"""Hotspots: space–time clusters of seizures (DBSCAN on great-circle distance) with their trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN

from armsgraph.analytics.common import parse_date, short_hash, write_clusters
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "hotspots"]

EARTH_KM = 6371.0


def hotspots(
    incidents: pd.DataFrame, radius_km: float = 25.0, min_incidents: int = 10
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dense groups of located incidents, ranked by size, each with its monthly trend.

    Parameters
    ----------
    incidents : DataFrame with uid, lat, lon, date, country, firearms_seized
    radius_km, min_incidents : DBSCAN neighbourhood (haversine) and core size

    Returns
    -------
    (hotspots, members): hotspots has hotspot_id, lat, lon, country, incidents, firearms, first, last,
    trend (incidents per month, least-squares slope), evidence (up to 10 incident uids); members maps
    incident uid → hotspot_id.

    Examples
    --------
    >>> pts = pd.DataFrame({"uid": [f"i{n}" for n in range(12)], "lat": [45.0] * 10 + [10.0, -10.0],
    ...     "lon": [15.0] * 10 + [10.0, -10.0], "date": ["2021-01-01"] * 12, "country": ["HRV"] * 12,
    ...     "firearms_seized": [1] * 12})
    >>> spots, members = hotspots(pts)
    >>> spots["incidents"].tolist(), len(members)
    ([10], 10)
    """
    located = incidents.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    columns = ["hotspot_id", "lat", "lon", "country", "incidents", "firearms", "first", "last", "trend", "evidence"]
    if len(located) < min_incidents:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=["incident", "hotspot_id"])
    coords = np.radians(located[["lat", "lon"]].astype(float).to_numpy())
    labels = DBSCAN(
        eps=radius_km / EARTH_KM, min_samples=min_incidents, metric="haversine", algorithm="ball_tree"
    ).fit_predict(coords)
    located["label"] = labels
    rows, members = [], []
    for _label, group in located[located["label"] >= 0].groupby("label"):
        uids = sorted(group["uid"])
        hotspot_id = "cluster:hotspot:" + short_hash(uids[0])
        months = pd.Series([d.year * 12 + d.month for d in map(parse_date, group["date"]) if d])
        counts = months.value_counts().sort_index()
        trend = float(np.polyfit(counts.index, counts.values, 1)[0]) if len(counts) > 1 else 0.0
        dates = sorted(d for d in group["date"] if isinstance(d, str))
        rows.append(
            (
                hotspot_id,
                float(group["lat"].mean()),
                float(group["lon"].mean()),
                group["country"].mode().iloc[0] if group["country"].notna().any() else None,
                len(group),
                int(pd.to_numeric(group["firearms_seized"], errors="coerce").fillna(0).sum()),
                dates[0] if dates else None,
                dates[-1] if dates else None,
                round(trend, 4),
                uids[:10],
            )
        )
        members.extend((uid, hotspot_id) for uid in uids)
    spots = pd.DataFrame(rows, columns=columns).sort_values(
        ["incidents", "hotspot_id"], ascending=[False, True], ignore_index=True
    )
    return spots, pd.DataFrame(members, columns=["incident", "hotspot_id"])


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Hotspots, written as Cluster nodes (kind hotspot), IN_CLUSTER edges and Incident.hotspot."""
    incidents = store.read("analytics_incidents")
    spots, members = hotspots(incidents)
    store.write("analytics_set_incident_hotspot", rows=[{"uid": u, "hotspot": None} for u in incidents["uid"]])
    store.write(
        "analytics_set_incident_hotspot",
        rows=[{"uid": r.incident, "hotspot": r.hotspot_id} for r in members.itertuples()],
    )
    summary = pd.DataFrame(
        {
            "uid": spots["hotspot_id"],
            "size": spots["incidents"],
            "score": spots["trend"],
            "method": "DBSCAN haversine 25 km, 10 incidents",
            "summary": [
                f"{n} incidents around {lat:.2f},{lon:.2f} ({c})"
                for n, lat, lon, c in zip(spots["incidents"], spots["lat"], spots["lon"], spots["country"], strict=True)
            ],
        }
    )
    write_clusters(store, "hotspot", summary, (("Incident", r.incident, r.hotspot_id) for r in members.itertuples()))
    return {"hotspots": spots}
