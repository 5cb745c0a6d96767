"""Nexus: how trafficking, organised crime and terrorism connect through shared people, firearms and routes."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import data, ui

st.title("Arms–crime–terrorism nexus")
store = ui.store()
bridges = data.nexus_bridges(store)
if bridges.empty:
    ui.nothing_yet("entities shared across criminal contexts")
    st.stop()

terror = bridges[bridges["contexts"].map(lambda c: "terrorism" in c)]
ui.metrics(
    [
        ("Bridging entities", ui.number(len(bridges))),
        ("…touching terrorism", ui.number(len(terror))),
        ("Contexts connected", ui.number(len({c for cs in bridges["contexts"] for c in cs}))),
    ]
)

matrix_column, table_column = st.columns([2, 3])
with matrix_column:
    st.subheader("Which contexts connect")
    fig = px.imshow(data.nexus_matrix(bridges), text_auto=True, color_continuous_scale="Reds", aspect="auto")
    fig.update_layout(height=380, coloraxis_showscale=False)
    ui.chart(fig, key="nexus_matrix")
with table_column:
    st.subheader("Bridging entities")
    shown = bridges.assign(contexts=bridges["contexts"].map(", ".join))
    st.dataframe(shown, hide_index=True, width="stretch")

st.subheader("Path between two contexts")
contexts = sorted({c for cs in bridges["contexts"] for c in cs})
left, right = st.columns(2)
first = left.selectbox("From context", contexts, index=contexts.index("terrorism") if "terrorism" in contexts else 0)
second = right.selectbox("To context", [c for c in contexts if c != first])
starts = data.incidents_in_contexts(store, (first,))
ends = data.incidents_in_contexts(store, (second,))
source = left.selectbox("Incident", starts["uid"].tolist(), key="nexus_source")
target = right.selectbox("Incident", ends["uid"].tolist(), key="nexus_target")
if source and target:
    path = data.shortest_path(store, source, target)
    if path.empty:
        st.info(f"No path within 6 hops between {source} and {target}.")
    else:
        steps = [
            (f"—{step['via']}→ " if isinstance(step["via"], str) else "")
            + f"**{ui.md(step['uid'])}** :gray[{step['label']}]"
            for step in path.to_dict("records")
        ]
        st.markdown(" ".join(steps))
