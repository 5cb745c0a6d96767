"""Hotspots: where seizures concentrate on a map, and whether each hotspot is growing."""

import streamlit as st

from armsgraph.dashboard import charts, data, ui

st.title("Hotspots")
store = ui.store()
located = data.incident_map(store)
if not located.located:
    ui.nothing_yet("incidents with coordinates")
    st.stop()

hotspots = data.hotspots(store)
ui.metrics(
    [
        ("Located incidents", ui.number(located.located)),
        ("Hotspots", ui.number(len(hotspots))),
        ("In a hotspot", ui.percent(located.in_hotspot / located.located)),
    ]
)

ui.chart(charts.hotspot_map(store), key="hotspot_map")
if not located.per_incident:
    st.caption(
        f"{ui.number(located.located)} located incidents, drawn as {ui.number(len(located.points))} cells of "
        f"{located.cell_degrees:g}° per context (marker area = incidents; hover for counts)."
    )

if hotspots.empty:
    st.info("No hotspots have been computed yet (`armsgraph analyse`).")
else:
    table_column, trend_column = st.columns([2, 3])
    with table_column:
        st.subheader("Hotspots")
        st.dataframe(
            hotspots, hide_index=True, width="stretch",
            column_config={
                "incidents": st.column_config.NumberColumn("incidents", help="incidents in the hotspot"),
                "lat": st.column_config.NumberColumn("lat", format="%.3f", help="centre of its located incidents"),
                "lon": st.column_config.NumberColumn("lon", format="%.3f", help="centre of its located incidents"),
                "trend": st.column_config.NumberColumn(
                    "trend", format="%.3f", help="incidents per month, change per month (least-squares slope)"
                ),
            },
        )  # fmt: skip
    with trend_column:
        st.subheader("Trend")
        ui.chart(charts.hotspot_trend(store), key="hotspot_trend")
        if len(hotspots) > data.TOP_SERIES:
            st.caption(f"The {data.TOP_SERIES} largest of {ui.number(len(hotspots))} hotspots.")
