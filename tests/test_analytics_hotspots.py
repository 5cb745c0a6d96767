"""Hotspots: Getis-Ord Gi* with false-discovery control, bounded extent, names, emerging trend, results in the store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from armsgraph.analytics import hotspots
from armsgraph.analytics.common import haversine_km
from armsgraph.graph.store import GraphStore

MONTHS = [f"{2020 + m // 12}-{m % 12 + 1:02d}-15" for m in range(24)]


def points(rng: np.random.Generator, n: int, lat: float, lon: float, km: float, spread: str, prefix: str,
           **fields: object) -> pd.DataFrame:  # fmt: skip
    """``n`` incidents around (lat, lon): uniform in a square of side ``km`` or normal with sd ``km``."""
    if spread == "uniform":
        dy, dx = rng.uniform(-km / 2, km / 2, n), rng.uniform(-km / 2, km / 2, n)
    else:
        dy, dx = rng.normal(0, km, n), rng.normal(0, km, n)
    return pd.DataFrame({
        "uid": [f"{prefix}{i:04d}" for i in range(n)],
        "lat": lat + dy / 111.32, "lon": lon + dx / (111.32 * np.cos(np.radians(lat))),
        "date": rng.choice(MONTHS, n), "country": "XXX", "firearms_qty": None, "firearms_seized": 1,
        "city": fields.get("city"), "region": fields.get("region"),
    })  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_uniform_points_put_at_most_5_percent_of_incidents_in_hotspots(seed: int) -> None:
    rng = np.random.default_rng(seed)
    incidents = points(rng, 3000, 42.0, 20.0, 600, "uniform", "u")
    _, members = hotspots.hotspots(incidents)
    assert len(members) <= 0.05 * len(incidents)


def test_two_planted_clusters_300_km_apart_are_two_named_hotspots() -> None:
    rng = np.random.default_rng(7)
    background = points(rng, 1500, 42.0, 20.0, 800, "uniform", "b")
    west = points(rng, 120, 42.0, 18.2, 4, "normal", "w", city="Westport", region="Coast")
    east = points(rng, 120, 42.0, 21.8, 4, "normal", "e", city="Eastham", region="Hills")
    assert 290 < haversine_km(42.0, 18.2, 42.0, 21.8) < 310
    spots, members = hotspots.hotspots(pd.concat([background, west, east], ignore_index=True))
    assert sorted(spots["name"]) == ["Eastham, Hills, XXX", "Westport, Coast, XXX"]
    for prefix in ("w", "e"):
        caught = members[members["incident"].str.startswith(prefix)]
        assert len(caught) >= 100 and caught["hotspot_id"].nunique() == 1
    assert len(members[members["incident"].str.startswith("b")]) <= 0.05 * len(background)


def test_no_hotspot_is_wider_than_the_configured_maximum() -> None:
    rng = np.random.default_rng(3)
    # A dense 300 km corridor would chain into one "hotspot" across regions.
    corridor = pd.concat(
        [points(rng, 60, 42.0, 18.0 + step * 0.12, 3, "normal", f"c{step:02d}-") for step in range(30)],
        ignore_index=True,
    )
    incidents = pd.concat([corridor, points(rng, 1500, 42.0, 19.8, 800, "uniform", "b")], ignore_index=True)
    for maximum in (40.0, 80.0):
        spots, members = hotspots.hotspots(incidents, max_extent_km=maximum)
        assert len(spots) >= 3 and (spots["extent_km"] <= maximum).all()
        located = incidents.set_index("uid")
        for _, group in members.groupby("hotspot_id"):
            where = located.loc[group["incident"], ["lat", "lon"]].to_numpy()
            widest = max(haversine_km(*a, *b) for a in where[::5] for b in where[::5])
            assert widest <= maximum


def test_trend_classes() -> None:
    assert hotspots.trend_class(pd.Series([0] * 18 + [2, 3, 4, 5, 6, 7]))[0] == "new"
    assert hotspots.trend_class(pd.Series([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]))[0] == "intensifying"
    assert hotspots.trend_class(pd.Series([6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]))[0] == "diminishing"
    assert hotspots.trend_class(pd.Series([3, 1, 4, 1, 5, 2, 3, 1, 4, 2, 3, 2]))[0] == "persistent"


P = {"src_file": "spots.csv"}
ZAGREB = (45.81, 15.98)


def zagreb_graph(store: GraphStore) -> None:
    """60 incidents at Zagreb's city place (located only through it), 400 spread over 500 km, 1 without a place."""
    rng = np.random.default_rng(5)
    spread = points(rng, 400, ZAGREB[0], ZAGREB[1], 500, "uniform", "s")
    rows = [{"uid": f"z{n:02d}", "date": MONTHS[n % 24], "country": "HRV", **P} for n in range(60)]
    rows += [{"uid": r.uid, "date": r.date, "country": "HRV", "lat": r.lat, "lon": r.lon, **P}
             for r in spread.itertuples()]  # fmt: skip
    rows += [{"uid": "nowhere", "date": "2021-01-01", "country": "HRV", "hotspot": "stale", **P}]
    store.upsert_nodes("Incident", rows)
    store.upsert_nodes("Place", [
        {"uid": "city:HRV:Zagreb", "kind": "city", "name": "Zagreb", "lat": ZAGREB[0], "lon": ZAGREB[1], **P},
        {"uid": "subdivision:HR-21", "kind": "subdivision", "name": "Grad Zagreb", **P},
    ])  # fmt: skip
    at = [{"from": f"z{n:02d}", "to": "city:HRV:Zagreb", **P} for n in range(60)]
    at += [{"from": f"z{n:02d}", "to": "subdivision:HR-21", **P} for n in range(60)]
    store.upsert_relationships("AT", "Incident", "Place", at)


def test_results_written_named_and_replaced(store: GraphStore) -> None:
    zagreb_graph(store)
    spots = hotspots.analyse(store)["hotspots"]
    top = spots.iloc[0]
    assert top["name"] == "Zagreb, Grad Zagreb, HRV" and top["incidents"] >= 60
    assert top["trend_class"] == "diminishing"  # 3 a month in 2020, 2 a month in 2021
    counts = store.counts()
    hotspots.analyse(store)
    assert store.counts() == counts and counts["Cluster"] == len(spots)
    prop = {u: store.read("entity", uid=u).iloc[0]["properties"].get("hotspot") for u in ("z00", "nowhere")}
    assert prop == {"z00": top["hotspot_id"], "nowhere": None}
    assert hotspots.analyse(store, min_incidents=10_000)["hotspots"].empty
    assert store.counts().get("Cluster", 0) == 0
