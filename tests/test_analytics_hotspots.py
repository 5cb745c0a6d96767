"""Hotspots: space–time clusters, trend, and results written back, on a tiny hand-made graph."""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import hotspots
from armsgraph.graph.store import GraphStore

P = {"src_file": "tiny.csv"}
ZAGREB = (45.81, 15.98)


def tiny_spots(store: GraphStore) -> None:
    """z0–z5 in Zagreb, Jan–Mar 2021 (1, 2, 3 a month; z5 located only through its city place; z0 declares 5
    firearms); y0–y4 in Zagreb again in 2023 (a second episode); far1, far2 alone; c1 only at a country place."""
    dates = ["2021-01-10", "2021-02-03", "2021-02-25", "2021-03-01", "2021-03-15", "2021-03-30"]
    rows = [
        {"uid": f"z{n}", "date": d, "country": "HRV", "lat": ZAGREB[0] + n * 0.002, "lon": ZAGREB[1], **P}
        for n, d in enumerate(dates)
    ]
    rows[0]["firearms_qty"] = 5
    del rows[5]["lat"], rows[5]["lon"]
    rows += [{"uid": f"y{n}", "date": f"2023-01-0{n + 1}", "country": "HRV", "lat": ZAGREB[0], "lon": ZAGREB[1], **P}
             for n in range(5)]  # fmt: skip
    rows += [
        {"uid": "far1", "date": "2021-01-01", "country": "ESP", "lat": 40.4, "lon": -3.7, "hotspot": "stale", **P},
        {"uid": "far2", "date": "2021-01-01", "country": "PRT", "lat": 38.7, "lon": -9.1, **P},
        {"uid": "c1", "date": "2021-01-01", "country": "HRV", **P},
    ]
    store.upsert_nodes("Incident", rows)
    store.upsert_nodes(
        "Place",
        [
            {"uid": "city:HRV:Zagreb", "kind": "city", "name": "Zagreb", "lat": ZAGREB[0], "lon": ZAGREB[1], **P},
            {"uid": "country:HRV", "kind": "country", "code": "HRV", "lat": ZAGREB[0], "lon": ZAGREB[1], **P},
        ],
    )
    store.upsert_relationships(
        "AT",
        "Incident",
        "Place",
        [{"from": "z5", "to": "city:HRV:Zagreb", **P}, {"from": "c1", "to": "country:HRV", **P}],
    )
    store.upsert_nodes("Firearm", [{"uid": f"f{n}", **P} for n in range(1, 6)])
    store.upsert_relationships(
        "SEIZED", "Incident", "Firearm", [{"from": f"z{n}", "to": f"f{n}", **P} for n in range(1, 6)]
    )


def test_space_time_clusters_ranked_with_trend(store: GraphStore) -> None:
    tiny_spots(store)
    spots = hotspots.analyse(store)["hotspots"]
    assert spots[["rank", "incidents", "firearms", "country", "first", "last"]].values.tolist() == [
        [1, 6, 10, "HRV", "2021-01-10", "2021-03-30"],
        [2, 5, 0, "HRV", "2023-01-01", "2023-01-05"],
    ]
    assert spots["trend"].tolist() == [1.0, 0.0]
    assert spots.iloc[0]["evidence"] == [f"z{n}" for n in range(6)]
    assert abs(spots.iloc[1]["lat"] - ZAGREB[0]) < 1e-9


def test_results_written_and_replaced(store: GraphStore) -> None:
    tiny_spots(store)
    first = hotspots.analyse(store)["hotspots"]
    counts = store.counts()
    hotspots.analyse(store)
    assert store.counts() == counts and counts["Cluster"] == 2
    prop = {u: store.read("entity", uid=u).iloc[0]["properties"].get("hotspot") for u in ("z5", "y0", "far1", "c1")}
    assert prop == {"z5": first.iloc[0]["hotspot_id"], "y0": first.iloc[1]["hotspot_id"], "far1": None, "c1": None}
    members = set(store.read("neighbours", uid=first.iloc[1]["hotspot_id"], limit=50)["uid"])
    assert members == {f"y{n}" for n in range(5)}
    # a larger core size leaves no hotspot: everything is cleared
    assert hotspots.analyse(store, min_incidents=7)["hotspots"].empty
    assert store.counts().get("Cluster", 0) == 0
    assert store.read("entity", uid="z0").iloc[0]["properties"].get("hotspot") is None


def test_trend_counts_empty_months() -> None:
    assert hotspots.monthly_trend(pd.Series(["2021-01-01", "2021-01-02", "2021-03-01"])) == -0.5
    assert hotspots.monthly_trend(pd.Series(["2021", None])) == 0.0
