"""Linked incidents: the clusters analytics found, and for every link the rule and the records behind it."""

import streamlit as st

from armsgraph.dashboard import data, ui

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
incidents_column, links_column = st.columns([2, 3])
with incidents_column:
    st.markdown("**Incidents**")
    st.dataframe(data.cluster_incidents(store, cluster), hide_index=True, width="stretch")
with links_column:
    st.markdown("**Links and their evidence**")
    links = data.cluster_links(store, cluster)
    if links.empty:
        st.caption("No LINKED edges recorded inside this cluster.")
    else:
        st.dataframe(links, hide_index=True, width="stretch")
