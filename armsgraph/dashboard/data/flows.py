"""Routes & flows and Hotspots: departure → destination flows, incident maps, hotspots and their trends."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from armsgraph.dashboard import geo
from armsgraph.dashboard.data.cache import Reader, cached
from armsgraph.dashboard.data.frames import ALL_ROWS, TOP_SERIES, every_month

#: Located incidents a map draws one by one; beyond this it draws grid cells (incidents per cell and context).
MAP_POINTS_MAX = 2_000
#: Side of a map grid cell in degrees (~28 km at the equator, about a hotspot's 25 km radius).
MAP_CELL_DEGREES = 0.25


def _with_coordinates(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    where = frame[column].map(geo.locate)
    frame[f"{column}_lat"] = where.map(lambda p: p[0] if p else None)
    frame[f"{column}_lon"] = where.map(lambda p: p[1] if p else None)
    return frame


@cached
def route_flows(store: Reader, limit: int = ALL_ROWS) -> pd.DataFrame:
    """Departure → destination flows (incidents, firearms, mode) with map coordinates of both ends."""
    frame = store.read("dashboard_route_flows", limit=limit)
    return _with_coordinates(_with_coordinates(frame, "departure"), "destination")


@cached
def incident_points(store: Reader, limit: int = MAP_POINTS_MAX) -> pd.DataFrame:
    """Located incidents, one row each: date, coordinates, country, context and hotspot (no record ids)."""
    return store.read("dashboard_incident_points", limit=limit)


@dataclass(frozen=True)
class IncidentMap:
    """What a map of located incidents draws: one point per incident, or per grid cell and context when dense.

    ``points`` has lat, lon, context and incidents (1 per incident; date, country and hotspot too when
    ``per_incident``); ``located`` and ``in_hotspot`` count every located incident either way.
    """

    points: pd.DataFrame
    per_incident: bool
    located: int
    in_hotspot: int
    cell_degrees: float


@cached
def incident_map(store: Reader, max_points: int = MAP_POINTS_MAX, cell: float = MAP_CELL_DEGREES) -> IncidentMap:
    """Located incidents for a map: each one up to ``max_points``, else counts per ``cell``-degree cell and context."""
    cells = store.read("dashboard_incident_cells", cell=cell)
    located, in_hotspot = int(cells["incidents"].sum()), int(cells["in_hotspot"].sum())
    if located <= max_points:
        points = incident_points(store, limit=max_points).assign(incidents=1)
        return IncidentMap(points, True, located, in_hotspot, cell)
    return IncidentMap(cells, False, located, in_hotspot, cell)


@cached
def hotspots(store: Reader) -> pd.DataFrame:
    """Per hotspot, largest first: incidents, centre of its located incidents, first and last date, and trend.

    The trend is the analytics' own (``Cluster.score``: least-squares slope of incidents per month).
    """
    return store.read("dashboard_hotspots")


@cached
def hotspot_trend(store: Reader, top: int = TOP_SERIES) -> pd.DataFrame:
    """Incidents per month of the ``top`` largest hotspots, every month of each one's span listed (see
    :func:`every_month`). Incidents outside any hotspot are left out.
    """
    months = store.read("dashboard_hotspot_months")
    largest = hotspots(store)["hotspot"].head(top)
    return every_month(months[months["hotspot"].isin(largest)], "hotspot")
