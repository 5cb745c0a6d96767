"""The figures the pages show, built from :mod:`armsgraph.dashboard.data` once per store and shared.

Building a plotly express figure costs a few hundred milliseconds of validation. Every
function here takes the store first and is cached like the data functions (per store and
user, for :data:`cache.CACHE_TTL_S`), but hands out one figure object to every session
(:func:`cache.shared`): a figure from here is read-only — show it with
:func:`armsgraph.dashboard.ui.chart`, which does not change it. What a figure may not draw one
by one (dense maps, many series, long value lists) is aggregated in
:mod:`~armsgraph.dashboard.data`, and the page says so.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from armsgraph.dashboard import geo
from armsgraph.dashboard.data import flows, frames, nexus, overview, tracing
from armsgraph.dashboard.data.cache import Reader, shared
from armsgraph.dashboard.ui import CONTEXT_COLOURS

#: Margins of every non-map figure (ui.chart's own; set here because shared figures are never changed there).
MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
#: Largest and smallest marker (px) of a map drawn as grid cells (area grows with incidents in between).
CELL_SIZE_MAX = 18
CELL_SIZE_MIN = 4
FLOW_COLOUR = "#e4572e"
#: Line widths a flow map uses (one trace each): flows are drawn in these width classes, not one trace per flow.
FLOW_WIDTHS = (1.0, 2.0, 3.5, 5.0, 6.5, 8.0)


#: Units a duration axis reads in, largest first: (name, days per unit, from how many days on it is used).
DURATION_UNITS = (("years", 365.25, 730.5), ("months", 30.44, 60.88), ("days", 1.0, 0.0))


def in_duration_units(bins: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Histogram bins in days rescaled to years, months or days (the largest unit of which the longest bin
    spans at least two), each bin's range in words (:func:`frames.duration`, one formatting everywhere)."""
    top = float(bins["end"].max()) if len(bins) else 0.0
    unit, size = next((name, size) for name, size, least in DURATION_UNITS if top >= least)
    out = bins.assign(start=bins["start"] / size, end=bins["end"] / size, middle=bins["middle"] / size)
    return out.assign(range=[_between(a, b) for a, b in zip(bins["start"], bins["end"], strict=True)]), unit


def _between(start: float, end: float) -> str:
    """ "1 year 2 months to 1 year 5 months"; one duration when both ends read the same."""
    a, b = frames.duration(start), frames.duration(end)
    return str(a) if a == b else f"{a} to {b}"


def histogram_bars(
    bins: pd.DataFrame, y: str, x_title: str, legend: str = "", height: int = 320, colours: dict[str, str] | None = None
) -> go.Figure:
    """Bars of a histogram of durations in days (:func:`frames.histogram`), drawn in years, months or days
    (:func:`in_duration_units`; the unit starts ``x_title``), stacked by group when there are groups.

    Empty bins are not drawn (they would be invisible anyway, and each bar costs the browser time).
    """
    scaled, unit = in_duration_units(bins)
    shown = scaled[scaled["count"] > 0].rename(columns={"count": y})
    grouped = bool((shown["group"] != "").any())
    fig = px.bar(
        shown, x="middle", y=y, color="group" if grouped else None, color_discrete_map=colours, custom_data=["range"],
    )  # fmt: skip
    width = float((scaled["end"] - scaled["start"]).iloc[0]) if len(scaled) else 1.0
    fig.update_traces(width=width, hovertemplate="%{customdata[0]}: %{y:,}<extra></extra>")
    fig.update_layout(
        margin=MARGIN, height=height, bargap=0, barmode="stack", legend_title_text=legend,
        xaxis_title=f"{unit} {x_title}",
    )  # fmt: skip
    return fig


# -- overview ---------------------------------------------------------------------------
@shared
def sdg(store: Reader) -> go.Figure:
    """SDG 16.4.2 per year: seized firearms and those traced to an illicit origin."""
    frame = overview.sdg_16_4_2(store).rename(columns={"firearms": "seized"})
    fig = px.bar(
        frame, x="year", y=["traced", "seized"], barmode="overlay", labels={"value": "firearms", "variable": ""}
    )
    fig.update_layout(margin=MARGIN, height=260, legend_title_text="")
    fig.update_xaxes(type="category", title="year")  # whole years, never "2,022.6"
    return fig


@shared
def incidents_per_month(store: Reader) -> go.Figure:
    """Incidents per month, stacked by context."""
    fig = px.bar(
        overview.incidents_by_month(store),
        x="month",
        y="incidents",
        color="context",
        color_discrete_map=CONTEXT_COLOURS,
    )
    fig.update_layout(margin=MARGIN, height=320, legend_title_text="", bargap=0.1)
    return fig


@shared
def countries(store: Reader) -> go.Figure:
    """Incidents per country on the offline world map (seized firearms on hover)."""
    fig = px.choropleth(
        overview.incidents_by_country(store), locations="country", locationmode="ISO-3", color="incidents",
        hover_data=["firearms"], color_continuous_scale="OrRd",
    )  # fmt: skip
    return geo.styled(fig, height=360)


@shared
def firearm_types(store: Reader) -> go.Figure:
    """Seized firearms per type, stacked by manufacture mode."""
    fig = px.bar(overview.firearms_by_type(store), x="firearms", y="type", color="manufacture_mode", orientation="h")
    fig.update_layout(margin=MARGIN, height=360, legend_title_text="mode", yaxis={"categoryorder": "total ascending"})
    return fig


# -- timeline ---------------------------------------------------------------------------
@shared
def months_by_context(store: Reader) -> go.Figure:
    """Every dated incident: one bubble per month and context, sized by incidents."""
    fig = px.scatter(
        overview.incidents_by_month(store), x="month", y="context", size="incidents", color="context",
        color_discrete_map=CONTEXT_COLOURS,
    )  # fmt: skip
    fig.update_layout(margin=MARGIN, height=420, showlegend=False)
    return fig


# -- hotspots ---------------------------------------------------------------------------
@shared
def hotspot_map(store: Reader) -> go.Figure:
    """Located incidents by context (each one, or per grid cell when dense) with a ring on every hotspot."""
    located = flows.incident_map(store)
    if located.per_incident:
        fig = px.scatter_geo(
            located.points, lat="lat", lon="lon", color="context", hover_data=["date", "country", "hotspot"],
            color_discrete_map=CONTEXT_COLOURS, opacity=0.75,
        )  # fmt: skip
        fig.update_traces(marker={"size": 7})
    else:
        fig = px.scatter_geo(
            located.points, lat="lat", lon="lon", color="context", size="incidents", size_max=CELL_SIZE_MAX,
            hover_data={"incidents": True, "in_hotspot": True, "lat": ":.2f", "lon": ":.2f"},
            color_discrete_map=CONTEXT_COLOURS, opacity=0.75,
        )  # fmt: skip
        fig.update_traces(marker_sizemin=CELL_SIZE_MIN)
    spots = flows.hotspots(store).dropna(subset=["lat", "lon"])
    if len(spots):
        fig.add_scattergeo(
            lat=spots["lat"], lon=spots["lon"], text=spots["hotspot"], mode="markers",
            marker={"size": 12 + 30 * spots["incidents"] / spots["incidents"].max(), "color": "rgba(0,0,0,0)",
                    "line": {"width": 2, "color": "#a8201a"}},
            name="hotspot",
        )  # fmt: skip
    return geo.styled(fig, height=560, fit=True)


@shared
def hotspot_trend(store: Reader) -> go.Figure:
    """Incidents per month of the largest hotspots (:data:`frames.TOP_SERIES`).

    Lines only (a marker per month cost the browser ~0.5 s); a hotspot active in a single month is a marker.
    """
    fig = px.line(flows.hotspot_trend(store), x="month", y="incidents", color="hotspot")
    fig.for_each_trace(lambda trace: trace.update(mode="markers") if len(trace.x) == 1 else None)
    fig.update_layout(margin=MARGIN, height=320, legend_title_text="")
    return fig


# -- tracing ----------------------------------------------------------------------------
@shared
def trace_status(store: Reader) -> go.Figure:
    """Trace requests per status, stacked by outcome."""
    fig = px.bar(tracing.trace_overview(store).by_status, x="status", y="requests", color="outcome")
    fig.update_layout(margin=MARGIN, height=320, legend_title_text="")
    return fig


@shared
def trace_response(store: Reader) -> go.Figure:
    """Time from sending a trace request to its answer (months or days), stacked by requested state."""
    bins = tracing.trace_overview(store).response_days
    return histogram_bars(bins, "requests", "to answer", legend="requested state")


@shared
def time_to_crime(store: Reader) -> go.Figure:
    """Time from a firearm's last legal transfer to its first recovery (years, months or days)."""
    bins = tracing.time_to_crime_overview(store).days
    return histogram_bars(bins, "firearms", "from last legal transfer to recovery", height=240)


# -- nexus ------------------------------------------------------------------------------
@shared
def nexus_matrix(store: Reader) -> go.Figure:
    """Context × context: bridging entities that tie incidents of both."""
    fig = px.imshow(nexus.nexus_overview(store).matrix, text_auto=True, color_continuous_scale="Reds", aspect="auto")
    fig.update_layout(margin=MARGIN, height=380, coloraxis_showscale=False)
    return fig


# -- routes and flows -------------------------------------------------------------------
def _width_class(firearms: pd.Series, top: int) -> pd.Series:
    """The :data:`FLOW_WIDTHS` class of each flow (line width grows with firearms, as 1 + 7 × share of the top)."""
    share = firearms.astype(float) / max(top, 1)
    wanted = 1 + 7 * share
    return wanted.map(lambda w: min(FLOW_WIDTHS, key=lambda c: abs(c - w)))


@shared
def flow_map(store: Reader, modes: tuple[str, ...]) -> go.Figure:
    """Departure → destination lines of the chosen modes (width by firearms) and their end points."""
    routes = flows.route_flows(store)
    mapped = routes[routes["mode"].isin(modes)].dropna(subset=["departure_lat", "destination_lat"])
    top = max(int(mapped["firearms"].max()), 1) if len(mapped) else 1
    fig = go.Figure()
    for width, group in mapped.groupby(_width_class(mapped["firearms"], top), sort=True):
        lat: list[object] = []
        lon: list[object] = []
        text: list[str | None] = []
        for flow in group.itertuples():
            label = f"{flow.departure} → {flow.destination}: {flow.firearms} firearms ({flow.mode})"
            lat += [flow.departure_lat, flow.destination_lat, None]  # None: lift the pen between flows
            lon += [flow.departure_lon, flow.destination_lon, None]
            text += [label, label, None]
        fig.add_trace(
            go.Scattergeo(
                lat=lat, lon=lon, text=text, mode="lines", hoverinfo="text", opacity=0.7, showlegend=False,
                line={"width": width, "color": FLOW_COLOUR},
            )
        )  # fmt: skip
    ends = pd.concat(
        [
            mapped[["departure", "departure_lat", "departure_lon"]].set_axis(["code", "lat", "lon"], axis=1),
            mapped[["destination", "destination_lat", "destination_lon"]].set_axis(["code", "lat", "lon"], axis=1),
        ]
    ).drop_duplicates("code")
    fig.add_trace(
        go.Scattergeo(
            lat=ends["lat"], lon=ends["lon"], text=ends["code"], mode="markers+text", textposition="top center",
            marker={"size": 6, "color": "#29335c"}, showlegend=False,
        )
    )  # fmt: skip
    usa_only = len(mapped) > 0 and all(len(str(c)) == 2 or str(c).startswith("US-") for c in mapped["departure"])
    return geo.styled(fig, scope="usa" if usa_only else "world", height=560, fit=True)
