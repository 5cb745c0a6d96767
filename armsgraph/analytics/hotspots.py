"""Hotspots: statistically tested concentrations of incidents, named by the places they cover, with their trend.

1. **Grid**: located incidents are counted in square cells of ``cell_km`` (an equal-area grid: a
   cell's width in degrees of longitude grows with latitude). Empty cells next to occupied ones
   are kept as zeros, so a busy cell stands out against its surroundings.
2. **Test**: Getis-Ord Gi* (PySAL ``esda.G_Local``, star) on the counts, neighbours = cells whose
   centres lie within 1.5 cells (the 8 around and itself). A cell is hot when its z-score is positive
   and its p-value passes the Benjamini–Hochberg false-discovery threshold (``esda.fdr``) at ``alpha``:
   under complete spatial randomness few cells pass.
3. **Extent**: touching hot cells form a hotspot; one wider than ``max_extent_km`` is cut by
   complete-linkage clustering so that no two of its incidents lie further apart (no chaining across
   regions). Hotspots with fewer than ``min_incidents`` incidents are dropped.
4. **Name**: the one or two cities holding most of its incidents, their subdivision and country
   ("Tijuana, Baja California, MEX"); without cities, its centre.
5. **Trend** (emerging hot spot): Mann–Kendall test (``pymannkendall``) on incidents per month over
   the whole period: *new* (no incident before the last quarter of the period), *intensifying*
   (significant upward trend), *diminishing* (significant downward), else *persistent*.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pymannkendall
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics.pairwise import haversine_distances

from armsgraph.analytics.common import short_hash, write_clusters
from armsgraph.dates import month_number, start_of
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "hotspots", "name_of", "trend_class"]

KM_PER_DEGREE = 111.32
EARTH_KM = 6371.0
CELL_KM = 10.0
MAX_EXTENT_KM = 60.0
ALPHA = 0.05
COLUMNS = [
    "rank",
    "hotspot_id",
    "name",
    "lat",
    "lon",
    "country",
    "incidents",
    "firearms",
    "first",
    "last",
    "extent_km",
    "trend",
    "trend_class",
    "evidence",
]


def _cells(lat: np.ndarray, lon: np.ndarray, cell_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each point on the equal-area grid."""
    size = cell_km / KM_PER_DEGREE
    row = np.floor(lat / size).astype(int)
    width = size / np.maximum(np.cos(np.radians((row + 0.5) * size)), 0.01)
    return row, np.floor(lon / width).astype(int)


def _centres(rows: np.ndarray, cols: np.ndarray, cell_km: float) -> np.ndarray:
    """Cell centres in kilometres on the grid's own plane (row and column times the cell size)."""
    return np.column_stack([(rows + 0.5) * cell_km, (cols + 0.5) * cell_km])


def _hot_cells(counts: pd.Series, cell_km: float, alpha: float, seed: int) -> set[tuple[int, int]]:
    """Cells with a significantly high Gi* after false-discovery control (``counts`` indexed by (row, col))."""
    import esda
    from libpysal.weights import DistanceBand

    occupied = set(counts.index)
    ring = {(r + dr, c + dc) for r, c in occupied for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
    cells = sorted(occupied | ring)
    y = np.array([counts.get(cell, 0) for cell in cells], dtype=float)
    if len(cells) < 3 or y.std() == 0:
        return set()
    points = _centres(np.array([r for r, _ in cells]), np.array([c for _, c in cells]), cell_km)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands (isolated cells) are expected at the edge
        weights = DistanceBand(points, threshold=1.5 * cell_km, binary=True, silence_warnings=True)
        gi = esda.G_Local(y, weights, star=True, transform="B", permutations=0, seed=seed)
    p = np.asarray(gi.p_norm, dtype=float)
    z = np.asarray(gi.Zs, dtype=float)
    threshold = esda.fdr(p, alpha)
    return {cell for cell, zi, pi in zip(cells, z, p, strict=True) if zi > 0 and pi <= threshold}


def _groups(hot: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Touching hot cells (8-neighbourhood) as groups."""
    left, out = set(hot), []
    while left:
        stack, group = [left.pop()], []
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for cell in ((r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)):
                if cell in left:
                    left.remove(cell)
                    stack.append(cell)
        out.append(sorted(group))
    return sorted(out)


def _distances(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every two points."""
    result: np.ndarray = haversine_distances(np.radians(np.column_stack([lat, lon]))) * EARTH_KM
    return result


def _extent_km(lat: np.ndarray, lon: np.ndarray) -> float:
    """Largest great-circle distance between two of the points."""
    spots = np.unique(np.column_stack([lat, lon]), axis=0)
    return float(_distances(spots[:, 0], spots[:, 1]).max()) if len(spots) > 1 else 0.0


def _bounded(group: pd.DataFrame, max_extent_km: float) -> list[pd.DataFrame]:
    """``group`` cut by complete linkage so that no part is wider than ``max_extent_km``."""
    lat, lon = group["lat"].astype(float).to_numpy(), group["lon"].astype(float).to_numpy()
    if _extent_km(lat, lon) <= max_extent_km:
        return [group]
    spots, where = np.unique(np.column_stack([lat, lon]), axis=0, return_inverse=True)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=max_extent_km
    ).fit_predict(_distances(spots[:, 0], spots[:, 1]))
    return [part for _, part in group.groupby(labels[where.reshape(-1)])]


def name_of(group: pd.DataFrame) -> str:
    """The one or two cities with most incidents, then their subdivision and country; else the centre.

    Examples
    --------
    >>> name_of(pd.DataFrame({"city": ["Tijuana"] * 3 + ["Tecate"], "region": ["Baja California"] * 4,
    ...                       "country": ["MEX"] * 4, "lat": [32.5] * 4, "lon": [-117.0] * 4}))
    'Tijuana and Tecate, Baja California, MEX'
    """
    cities = group["city"].dropna().value_counts() if "city" in group else pd.Series(dtype=int)
    country = group["country"].dropna().mode()
    tail = [str(country.iloc[0])] if not country.empty else []
    if cities.empty:
        return ", ".join([f"around {group['lat'].mean():.2f}, {group['lon'].mean():.2f}", *tail])
    top = list(cities.index[:2])
    regions = group.loc[group["city"].isin(top), "region"].dropna().mode() if "region" in group else pd.Series()
    return ", ".join([" and ".join(map(str, top)), *([str(regions.iloc[0])] if not regions.empty else []), *tail])


def trend_class(monthly: pd.Series, alpha: float = ALPHA) -> tuple[str, float]:
    """Emerging-hot-spot class of a monthly count series (whole period, empty months 0) and Sen's slope.

    Examples
    --------
    >>> trend_class(pd.Series([0] * 20 + [3, 4, 5, 6]))[0]
    'new'
    >>> trend_class(pd.Series(range(24)))[0], trend_class(pd.Series(range(24, 0, -1)))[0]
    ('intensifying', 'diminishing')
    >>> trend_class(pd.Series([2, 3] * 12))[0]
    'persistent'
    """
    values = monthly.to_numpy(dtype=float)
    if len(values) < 4 or values.sum() == 0:
        return "persistent", 0.0
    first = int(np.argmax(values > 0))
    if first >= math.ceil(len(values) * 0.75):
        return "new", 0.0
    test = pymannkendall.original_test(values, alpha=alpha)
    slope = round(float(test.slope), 4)
    if test.h and test.trend == "increasing":
        return "intensifying", slope
    if test.h and test.trend == "decreasing":
        return "diminishing", slope
    return "persistent", slope


def _months(dates: pd.Series) -> pd.Series:
    return pd.Series([month_number(d) for d in map(start_of, dates) if d], dtype=int)


def _hotspot_row(group: pd.DataFrame, span: range, alpha: float) -> dict[str, object]:
    """One hotspot's row: named by its places, with its extent, firearms, first and last date, and trend."""
    uids = sorted(group["uid"])
    monthly = _months(group["date"]).value_counts().reindex(span, fill_value=0)
    kind, slope = trend_class(monthly, alpha)
    dates = sorted(d for d in group["date"] if isinstance(d, str) and d)
    countries = group["country"].dropna()
    return {
        "hotspot_id": "cluster:hotspot:" + short_hash(*uids[:3]),
        "name": name_of(group),
        "lat": round(float(group["lat"].mean()), 5),
        "lon": round(float(group["lon"].mean()), 5),
        "country": str(countries.mode().iloc[0]) if not countries.empty else None,
        "incidents": len(group),
        "firearms": int(group["firearms"].sum()),
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "extent_km": round(_extent_km(group["lat"].to_numpy(), group["lon"].to_numpy()), 1),
        "trend": slope,
        "trend_class": kind,
        "evidence": uids[:10],
    }


def hotspots(
    incidents: pd.DataFrame,
    cell_km: float = CELL_KM,
    max_extent_km: float = MAX_EXTENT_KM,
    min_incidents: int = 5,
    alpha: float = ALPHA,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tested hotspots of located incidents, ranked by incidents, each named, bounded and with its trend.

    ``incidents`` has uid, lat, lon, date, country, firearms_qty, firearms_seized and optionally city,
    region. Returns (hotspots with ``COLUMNS``, members: incident → hotspot_id).
    """
    empty = (pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=["incident", "hotspot_id"]))
    if cell_km <= 0 or max_extent_km <= 0:
        raise ValueError("cell_km and max_extent_km must be positive")
    located = incidents.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    if len(located) < min_incidents:
        return empty
    lat, lon = located["lat"].astype(float).to_numpy(), located["lon"].astype(float).to_numpy()
    rows, cols = _cells(lat, lon, cell_km)
    located["cell"] = list(zip(rows.tolist(), cols.tolist(), strict=True))
    hot = _hot_cells(located.groupby("cell").size(), cell_km, alpha, seed)
    if not hot:
        return empty
    qty = pd.to_numeric(located["firearms_qty"], errors="coerce")
    seized = pd.to_numeric(located["firearms_seized"], errors="coerce").fillna(0)
    located["firearms"] = qty.where(qty > 0, seized).astype(int)
    all_months = _months(located["date"])
    span = range(int(all_months.min()), int(all_months.max()) + 1) if not all_months.empty else range(0)
    rows_out, members = [], []
    for cells in _groups(hot):
        for group in _bounded(located[located["cell"].isin(set(cells))], max_extent_km):
            if len(group) < min_incidents:
                continue
            row = _hotspot_row(group, span, alpha)
            rows_out.append(row)
            members.extend((uid, row["hotspot_id"]) for uid in sorted(group["uid"]))
    if not rows_out:
        return empty
    spots = pd.DataFrame(rows_out).sort_values(["incidents", "hotspot_id"], ascending=[False, True], ignore_index=True)
    spots["rank"] = range(1, len(spots) + 1)
    return spots[COLUMNS], pd.DataFrame(members, columns=["incident", "hotspot_id"])


def analyse(
    store: GraphStore,
    *,
    seed: int = 0,
    cell_km: float = CELL_KM,
    max_extent_km: float = MAX_EXTENT_KM,
    min_incidents: int = 5,
) -> dict[str, pd.DataFrame]:
    """Hotspots, written as ``Cluster {kind: "hotspot"}`` nodes (summary = name and trend class) with IN_CLUSTER
    from their incidents and as ``Incident.hotspot``; earlier hotspot results are removed first."""
    incidents = store.read("analytics_hotspots_incidents").reindex(
        columns=["uid", "date", "country", "lat", "lon", "firearms_qty", "firearms_seized", "city", "region"]
    )
    spots, members = hotspots(
        incidents, cell_km=cell_km, max_extent_km=max_extent_km, min_incidents=min_incidents, seed=seed
    )
    store.write("analytics_hotspots_clear")
    store.write("analytics_hotspots_set", rows=[{"uid": i, "hotspot": h} for i, h in members.itertuples(index=False)])
    summary = pd.DataFrame(
        {
            "uid": spots["hotspot_id"],
            "size": spots["incidents"],
            "score": spots["trend"],
            "method": f"Getis-Ord Gi* on {cell_km:g} km cells, FDR {ALPHA:g}, at most {max_extent_km:g} km wide",
            "summary": [f"{n} ({k})" for n, k in zip(spots["name"], spots["trend_class"], strict=True)],
        }
    )
    write_clusters(store, "hotspot", summary, [("Incident", i, h) for i, h in members.itertuples(index=False)])
    return {"hotspots": spots}
