"""Nexus: how trafficking, organised crime and terrorism connect through shared people, firearms and routes."""

import streamlit as st

from armsgraph.analytics import paths
from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import nexus

st.title("Arms–crime–terrorism nexus")
store = ui.store()
bridging = nexus.nexus_overview(store)
if not bridging.bridges:
    ui.nothing_yet("entities shared across criminal contexts")
    st.stop()

ui.metrics(
    [
        ("Bridging entities", ui.number(bridging.bridges)),
        ("…touching terrorism", ui.number(bridging.touching_terrorism)),
        ("Contexts connected", ui.number(len(bridging.contexts))),
    ]
)

# One view at a time: the matrix, or the table when its tab is open (a page load draws one of them).
matrix_tab, table_tab = st.tabs(["Which contexts connect", "Bridging entities"], key="nexus_views", on_change="rerun")
if matrix_tab.open:
    with matrix_tab:
        ui.chart(charts.nexus_matrix(store), key="nexus_matrix")
if table_tab.open:
    with table_tab:
        st.dataframe(bridging.top, hide_index=True, width="stretch")
        if bridging.bridges > len(bridging.top):
            st.caption(
                f"The {ui.number(len(bridging.top))} with the most contexts and incidents, "
                f"of {ui.number(bridging.bridges)}; "
                "the counts and the matrix cover them all."
            )

finder = st.expander("Path between two contexts", key="nexus_finder", on_change="rerun")
if finder.open:  # its four pickers are drawn when opened, not on every visit (they were half the page's cost)
    with finder:
        contexts = bridging.contexts
        left, right = st.columns(2)
        first = left.selectbox(
            "From context", contexts, index=contexts.index("terrorism") if "terrorism" in contexts else 0
        )
        second = right.selectbox("To context", [c for c in contexts if c != first])
        starts = nexus.incidents_in_contexts(store, (first,))
        ends = nexus.incidents_in_contexts(store, (second,))
        source = left.selectbox("Incident", starts["uid"].tolist(), key="nexus_source")
        target = right.selectbox("Incident", ends["uid"].tolist(), key="nexus_target")
        if nexus.CONTEXT_INCIDENTS in (len(starts), len(ends)):
            st.caption(f"The newest {nexus.CONTEXT_INCIDENTS} incidents of a context can be picked.")
        # A shortest path may search much of the graph: it runs when asked, not on every visit to the page.
        if st.button("Find path", disabled=not (source and target)):
            st.session_state["nexus_path"] = (source, target)
        if source and target and st.session_state.get("nexus_path") == (source, target):
            answer = paths.shortest_path(store, source, target)
            if answer.message:
                st.info(answer.message[0].upper() + answer.message[1:] + f" between {source} and {target}.")
            else:
                st.markdown("**Path:** " + " → ".join(ui.md(str(name)) for name in answer.steps["name"]))
                st.dataframe(answer.steps, hide_index=True, width="stretch")
