"""Routes & flows: departure → destination corridors on a map, weighted by firearms, and as a table."""

import streamlit as st

from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import flows, frames

st.title("Routes & flows")
store = ui.store()
routes = flows.route_flows(store)
if routes.empty:
    ui.nothing_yet("routes", "Incidents with departure / destination countries create routes.")
    st.stop()

modes = sorted(routes["mode"].unique())
chosen = st.multiselect("Modes of transport", modes, default=modes)
shown = routes[routes["mode"].isin(chosen)]
ui.metrics(
    [
        ("Corridors", ui.number(len(shown))),
        ("Firearms moved", ui.number(shown["firearms"].sum())),
        ("Incidents on routes", ui.number(shown["incidents"].sum())),
    ]
)

# The map comes first; the corridor table is drawn when its tab is open (a page load waits for one of them).
map_tab, table_tab = st.tabs(["Map", "Top corridors"], key="routes_views", on_change="rerun")
if map_tab.open:
    with map_tab:
        ui.chart(charts.flow_map(store, tuple(sorted(chosen))), key="flows")
        st.caption("Line width grows with the firearms moved (six width classes).")
if table_tab.open:
    with table_tab:
        top = max(int(shown["firearms"].max()), 1) if len(shown) else 1
        firearms = st.column_config.ProgressColumn("firearms", min_value=0, max_value=top, format="%d")
        columns = ["departure", "destination", "mode", "firearms", "incidents"]
        st.dataframe(
            shown[columns].head(frames.TABLE_ROWS),
            hide_index=True,
            width="stretch",
            column_config={"firearms": firearms},
        )
        if len(shown) > frames.TABLE_ROWS:
            st.caption(
                f"The {ui.number(frames.TABLE_ROWS)} corridors with the most firearms, of {ui.number(len(shown))}."
            )
