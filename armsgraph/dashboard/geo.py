"""Offline maps: plotly base maps and centroids from the topojson shipped in ``static/topojson``.

plotly.js fetches its base map (``<topojsonURL>/<scope>_<resolution>m.json``) from
cdn.plot.ly unless told otherwise; the dashboard serves the files itself through
Streamlit's static serving (``/app/static/``) and passes :data:`PLOTLY_CONFIG` to
every chart, so no request leaves the machine.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import plotly.graph_objects as go

STATIC_DIR = Path(__file__).with_name("static")
TOPOJSON_DIR = STATIC_DIR / "topojson"
#: Where the browser finds the base maps (Streamlit serves ``static/`` next to app.py here).
TOPOJSON_URL = "/app/static/topojson/"
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False}


@cache
def _centroids(name: str, layer: str) -> dict[str, tuple[float, float]]:
    data = json.loads((TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8"))
    out: dict[str, tuple[float, float]] = {}
    for geometry in data["objects"][layer]["geometries"]:
        centre = (geometry.get("properties") or {}).get("ct")
        if geometry.get("id") and centre:
            out[str(geometry["id"])] = (float(centre[1]), float(centre[0]))
    return out


def country_centroids() -> dict[str, tuple[float, float]]:
    """(lat, lon) of each country by ISO 3166-1 alpha-3 code."""
    return _centroids("world_110m", "countries")


def us_state_centroids() -> dict[str, tuple[float, float]]:
    """(lat, lon) of each US state by its two-letter code (``AZ``; ``US-AZ`` is accepted by :func:`locate`)."""
    return _centroids("usa_110m", "subunits")


def locate(code: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a country (ISO alpha-3) or US state (``AZ`` / ``US-AZ``) code; None when unknown."""
    if not code:
        return None
    code = code.strip().upper()
    if code.startswith("US-"):
        return us_state_centroids().get(code[3:])
    return country_centroids().get(code) or (us_state_centroids().get(code) if len(code) == 2 else None)


def base_geo(scope: str = "world") -> dict[str, object]:
    """A plotly ``geo`` layout that draws land and borders quietly (offline base map)."""
    return {
        "scope": scope,
        "resolution": 110,
        "showland": True,
        "landcolor": "#eef1f4",
        "showcountries": True,
        "countrycolor": "#b8c2cc",
        "showcoastlines": True,
        "coastlinecolor": "#b8c2cc",
        "showocean": True,
        "oceancolor": "#f8fbff",
        "projection_type": "albers usa" if scope == "usa" else "natural earth",
    }


def styled(fig: go.Figure, scope: str = "world", height: int = 480, fit: bool = False) -> go.Figure:
    """Apply the offline base map and a tight layout to a geo figure (``fit``: zoom to the data)."""
    fig.update_geos(**base_geo(scope), fitbounds="locations" if fit else False)
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": 10, "b": 0}, legend={"orientation": "h"})
    return fig
