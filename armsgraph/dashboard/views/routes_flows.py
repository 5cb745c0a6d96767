"""Routes & flows: departure → destination corridors on a map, weighted by firearms, and as a table."""

import plotly.graph_objects as go
import streamlit as st

from armsgraph.dashboard import data, geo, ui

st.title("Routes & flows")
store = ui.store()
flows = data.route_flows(store)
if flows.empty:
    ui.nothing_yet("routes", "Incidents with departure / destination countries create routes.")
    st.stop()

modes = sorted(flows["mode"].unique())
chosen = st.multiselect("Modes of transport", modes, default=modes)
shown = flows[flows["mode"].isin(chosen)]
mapped = shown.dropna(subset=["departure_lat", "destination_lat"])
ui.metrics(
    [
        ("Corridors", ui.number(len(shown))),
        ("Firearms moved", ui.number(shown["firearms"].sum())),
        ("Incidents on routes", ui.number(shown["incidents"].sum())),
    ]
)

fig = go.Figure()
top = max(int(mapped["firearms"].max()), 1) if len(mapped) else 1
for flow in mapped.to_dict("records"):
    fig.add_trace(
        go.Scattergeo(
            lat=[flow["departure_lat"], flow["destination_lat"]], lon=[flow["departure_lon"], flow["destination_lon"]],
            mode="lines", line={"width": 1 + 7 * flow["firearms"] / top, "color": "#e4572e"}, opacity=0.7,
            hoverinfo="text",
            text=f"{flow['departure']} → {flow['destination']}: {flow['firearms']} firearms ({flow['mode']})",
            showlegend=False,
        )
    )  # fmt: skip
ends = {(r.departure, r.departure_lat, r.departure_lon) for r in mapped.itertuples()} | {
    (r.destination, r.destination_lat, r.destination_lon) for r in mapped.itertuples()
}
fig.add_trace(
    go.Scattergeo(
        lat=[e[1] for e in ends], lon=[e[2] for e in ends], text=[e[0] for e in ends], mode="markers+text",
        textposition="top center", marker={"size": 6, "color": "#29335c"}, showlegend=False,
    )
)  # fmt: skip
usa_only = len(mapped) > 0 and all(len(str(c)) == 2 or str(c).startswith("US-") for c in mapped["departure"])
ui.chart(geo.styled(fig, scope="usa" if usa_only else "world", height=560, fit=True), key="flows")

st.subheader("Top corridors")
st.dataframe(
    shown[["departure", "destination", "mode", "firearms", "incidents"]], hide_index=True, width="stretch",
    column_config={"firearms": st.column_config.ProgressColumn("firearms", min_value=0, max_value=int(top),
                                                               format="%d")},
)  # fmt: skip
