"""Timeline: the incidents around one entity (or all of them) in date order, coloured by context."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import frames, network, overview

st.title("Timeline")
store = ui.store()
uid = ui.entity_picker("Entity", key="timeline_entity")
if uid is None:
    st.caption("Showing every dated incident; pick an entity to see the incidents within two hops of it.")
    monthly = overview.incidents_by_month(store)
    if monthly.empty:
        ui.nothing_yet("dated incidents")
        st.stop()
    ui.chart(charts.months_by_context(store), key="timeline_all")
    st.stop()

events = network.entity_timeline(store, uid).dropna(subset=["when"])
details = network.entity(store, uid)
name = details.get("name") or details.get("serial") or details.get("value") or details.get("title") or uid
if events.empty:
    st.markdown(f"**{ui.md(name)}** ({details.get('label', '')})")
    st.info("No dated incidents near this entity.")
    st.stop()
span = frames.duration((events["when"].max() - events["when"].min()).days)
st.markdown(
    f"**{ui.md(name)}** ({details.get('label', '')}) — {len(events):,} incidents within two hops, "
    f"{events['when'].min():%Y-%m-%d} to {events['when'].max():%Y-%m-%d} ({span})"
)
fig = px.scatter(
    events, x="when", y="context", color="context", hover_name="uid", hover_data=["kind", "country"],
    color_discrete_map=ui.CONTEXT_COLOURS,
)  # fmt: skip
fig.update_traces(marker={"size": 14, "line": {"width": 1, "color": "white"}})
fig.update_layout(height=380, showlegend=False, xaxis_title="")
ui.chart(fig, key="timeline_entity_chart")
st.dataframe(events.drop(columns=["when"]), hide_index=True, width="stretch")
