"""Hotspots: where seizures concentrate on a map, and whether each hotspot is growing."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import data, geo, ui

st.title("Hotspots")
store = ui.store()
points = data.incident_points(store)
if points.empty:
    ui.nothing_yet("incidents with coordinates")
    st.stop()

hotspots = data.hotspot_summary(points)
ui.metrics(
    [
        ("Located incidents", ui.number(len(points))),
        ("Hotspots", ui.number(len(hotspots))),
        ("In a hotspot", ui.percent(points["hotspot"].notna().mean())),
    ]
)

fig = px.scatter_geo(
    points, lat="lat", lon="lon", color="context", hover_data=["date", "country", "hotspot"],
    color_discrete_map=ui.CONTEXT_COLOURS, opacity=0.75,
)  # fmt: skip
fig.update_traces(marker={"size": 7})
if len(hotspots):
    fig.add_scattergeo(
        lat=hotspots["lat"], lon=hotspots["lon"], text=hotspots["hotspot"], mode="markers",
        marker={"size": 12 + 30 * hotspots["incidents"] / hotspots["incidents"].max(), "color": "rgba(0,0,0,0)",
                "line": {"width": 2, "color": "#a8201a"}},
        name="hotspot",
    )  # fmt: skip
ui.chart(geo.styled(fig, height=560, fit=True), key="hotspot_map")

if hotspots.empty:
    st.info("No hotspots have been computed yet (`armsgraph analyse`).")
else:
    table_column, trend_column = st.columns([2, 3])
    with table_column:
        st.subheader("Hotspots")
        st.dataframe(
            hotspots, hide_index=True, width="stretch",
            column_config={"trend": st.column_config.NumberColumn("trend", help="later half minus earlier half")},
        )  # fmt: skip
    with trend_column:
        st.subheader("Trend")
        trend = data.hotspot_trend(store)
        fig = px.line(trend, x="month", y="incidents", color="hotspot", markers=True)
        fig.update_layout(height=320, legend_title_text="")
        ui.chart(fig, key="hotspot_trend")
