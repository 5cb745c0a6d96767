"""Linked incidents: the clusters analytics found, and for every link the rule and the records behind it."""

import streamlit as st
import streamlit.components.v1 as components

from armsgraph.dashboard import data, explorer, network_view, ui

st.title("Linked incidents")
store = ui.store()
clusters = data.clusters(store)
if clusters.empty:
    ui.nothing_yet("linked-incident clusters", "Run `armsgraph analyse` after ingest.")
    st.stop()

ui.metrics(
    [
        ("Clusters", ui.number(len(clusters))),
        ("Incidents in clusters", ui.number(clusters["incidents"].sum())),
        ("Largest cluster", ui.number(clusters["incidents"].max())),
    ]
)
st.subheader("Clusters")
picked = st.dataframe(
    clusters, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="clusters",
    column_config={"score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0)},
)  # fmt: skip
rows = picked.selection.rows if picked else []
cluster = clusters.iloc[rows[0]]["cluster"] if rows else clusters.iloc[0]["cluster"]

st.subheader(f"Cluster {cluster}")
incidents = data.cluster_incidents(store, cluster)
links = data.cluster_links(store, cluster)
picture_column, incidents_column = st.columns([2, 3])
with picture_column:
    picture = explorer.cluster_view(incidents, links)
    page = network_view.render_html(picture, explorer.layout(picture), "context", height_px=300)
    components.html(page, height=300 + network_view.LEGEND_PX + 8)
with incidents_column:
    st.markdown("**Incidents**")
    st.dataframe(incidents, hide_index=True, width="stretch")
st.markdown("**Links and their evidence**")
if links.empty:
    st.caption("No LINKED edges recorded inside this cluster.")
else:
    st.dataframe(links, hide_index=True, width="stretch")
