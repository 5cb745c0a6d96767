"""Hotspots: where seizures concentrate significantly (Getis-Ord Gi*), named, and how each one is trending."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import flows

#: Hotspots drawn as small multiples (the largest first).
SMALL_MULTIPLES = 12

st.title("Hotspots")
store = ui.store()
located = flows.incident_map(store)
if not located.located:
    ui.nothing_yet("incidents with coordinates")
    st.stop()

hotspots = flows.hotspots(store)
ui.metrics(
    [
        ("Located incidents", ui.number(located.located)),
        ("Hotspots", ui.number(len(hotspots))),
        ("In a hotspot", ui.percent(located.in_hotspot / located.located)),
    ]
)

# The map comes first; the table and the per-hotspot trends are drawn when their tab is open, so a page
# load waits for one map, not for a wide table and a dozen small charts too.
map_tab, table_tab, trend_tab = st.tabs(
    ["Map", "Hotspots, largest first", "Trend per hotspot"], key="hotspot_views", on_change="rerun"
)
if map_tab.open:
    with map_tab:
        ui.chart(charts.hotspot_map(store), key="hotspot_map")
        if not located.per_incident:
            st.caption(
                f"{ui.number(located.located)} located incidents, drawn as {ui.number(len(located.points))} cells of "
                f"{located.cell_degrees:g}° per context (marker area = incidents; hover for counts)."
            )
if hotspots.empty:
    st.info("No significant hotspot (or none computed yet: `armsgraph analyse`).")
    st.stop()

shown = hotspots.assign(name=hotspots["summary"].fillna(hotspots["hotspot"]))
if table_tab.open:
    with table_tab:
        st.caption(
            "A hotspot is a group of 10 km cells whose Getis-Ord Gi* is significantly high after false-discovery "
            "control, at most 60 km wide, named by the places it covers; its trend class comes from a Mann–Kendall "
            "test on incidents per month (new, intensifying, persistent, diminishing)."
        )
        st.dataframe(
            shown[["name", "incidents", "first", "last", "trend", "lat", "lon"]], hide_index=True, width="stretch",
            column_config={
                "name": st.column_config.TextColumn("hotspot (trend class)", width="large"),
                "incidents": st.column_config.NumberColumn("incidents", help="incidents in the hotspot"),
                "lat": st.column_config.NumberColumn("lat", format="%.3f", help="centre of its located incidents"),
                "lon": st.column_config.NumberColumn("lon", format="%.3f", help="centre of its located incidents"),
                "trend": st.column_config.NumberColumn(
                    "trend", format="%.3f", help="Sen's slope: change in incidents per month, per month"
                ),
            },
        )  # fmt: skip

if trend_tab.open:
    with trend_tab:
        months = flows.hotspot_trend(store, top=SMALL_MULTIPLES)
        if not months.empty:
            names = dict(zip(shown["hotspot"], shown["name"], strict=True))
            months = months.assign(hotspot=months["hotspot"].map(lambda h: names.get(h, h)))
            fig = px.bar(months, x="month", y="incidents", facet_col="hotspot", facet_col_wrap=3, height=220 * -(-min(
                SMALL_MULTIPLES, months["hotspot"].nunique()) // 3))  # fmt: skip
            fig.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1][:48]))
            fig.update_yaxes(matches=None, title=None)
            fig.update_xaxes(title=None)
            ui.chart(fig, key="hotspot_small_multiples")
            if len(hotspots) > SMALL_MULTIPLES:
                st.caption(f"The {SMALL_MULTIPLES} largest of {ui.number(len(hotspots))} hotspots, one panel each.")
