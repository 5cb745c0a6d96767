"""Linked incidents: the clusters analytics found, and for every link the evidence, weighed comparison by comparison."""

import streamlit as st

from armsgraph.dashboard import explorer, linkage, network_view, ui
from armsgraph.dashboard.data import frames, linked, overview

st.title("Linked incidents")
store = ui.store()
clusters = linked.clusters(store)
if clusters.empty:
    ui.nothing_yet("linked-incident clusters", "Run `armsgraph analyse` after ingest.")
    st.stop()

summary = overview.linked_summary(store)
ui.metrics(
    [
        ("Clusters", ui.number(summary["clusters"])),
        ("Incidents in clusters", ui.number(summary["incidents"])),
        ("Largest cluster", ui.number(clusters["incidents"].max())),
    ]
)
st.subheader("Clusters")
picked = st.dataframe(
    clusters, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="clusters",
    column_config={"score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0)},
)  # fmt: skip
if summary["clusters"] > len(clusters):
    st.caption(f"The {ui.number(len(clusters))} largest of {ui.number(summary['clusters'])} clusters.")
rows = picked.selection.rows if picked else []
cluster = clusters.iloc[rows[0]]["cluster"] if rows else clusters.iloc[0]["cluster"]

st.subheader(f"Cluster {cluster}")
incidents = linked.cluster_incidents(store, cluster)
links = linked.cluster_links(store, cluster)
link_count = linked.cluster_link_count(store, cluster)
picture_column, incidents_column = st.columns([2, 3])
with picture_column:
    picture = explorer.cluster_picture(store, cluster, limit=network_view.limit("cluster"))
    st.iframe(picture.html, height=300 + network_view.LEGEND_PX + 8)
    if picture.folded:
        by = "their links" if len(links) == link_count else f"the {ui.number(len(links))} strongest links"
        st.caption(
            f"The {ui.number(picture.drawn)} best-connected of {ui.number(len(incidents))} incidents (by {by}); "
            f"the other {ui.number(picture.folded)} are drawn as one node."
        )
        network_view.show_more("cluster", picture.drawn, picture.folded)
with incidents_column:
    st.markdown("**Incidents**")
    st.dataframe(incidents.head(frames.TABLE_ROWS), hide_index=True, width="stretch")
    if len(incidents) > frames.TABLE_ROWS:
        st.caption(f"The first {ui.number(frames.TABLE_ROWS)} of {ui.number(len(incidents))} incidents by date.")
st.markdown("**Links and their evidence**")
if links.empty:
    st.caption("No LINKED edges recorded inside this cluster.")
else:
    st.dataframe(links.head(frames.TABLE_ROWS), hide_index=True, width="stretch")
    if link_count > frames.TABLE_ROWS:
        st.caption(f"The {ui.number(min(len(links), frames.TABLE_ROWS))} strongest of {ui.number(link_count)} links.")

st.markdown("**Why a link was made**")
explained = linkage.cluster_explanations(store, cluster)
explained = explained[explained["match_weight"].notna()] if "match_weight" in explained else explained
if explained.empty:
    st.caption("No link of this cluster carries its weights yet: run `armsgraph analyse --only linking`.")
else:
    labels = [f"{r.a} – {r.b}  (p = {r.weight:.4f})" for r in explained.itertuples()]
    chosen = st.selectbox("Link", range(len(labels)), format_func=lambda n: labels[n], key="waterfall_link")
    link = explained.iloc[int(chosen or 0)].to_dict()
    st.plotly_chart(linkage.waterfall_figure(link), width="stretch")
    st.caption(
        f"Match probability {link['weight']:.4f}, match weight {link['match_weight']:+.1f} bits: "
        f"{link['explanation']}. Comparisons not recorded on both incidents give no evidence and are not shown."
    )
