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

ui.chart(charts.flow_map(store, tuple(sorted(chosen))), key="flows")
st.caption("Line width grows with the firearms moved (six width classes).")

st.subheader("Top corridors")
top = max(int(shown["firearms"].max()), 1) if len(shown) else 1
st.dataframe(
    shown[["departure", "destination", "mode", "firearms", "incidents"]].head(frames.TABLE_ROWS), hide_index=True,
    width="stretch",
    column_config={"firearms": st.column_config.ProgressColumn("firearms", min_value=0, max_value=top,
                                                               format="%d")},
)  # fmt: skip
if len(shown) > frames.TABLE_ROWS:
    st.caption(f"The {ui.number(frames.TABLE_ROWS)} corridors with the most firearms, of {ui.number(len(shown))}.")
