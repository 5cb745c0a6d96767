"""Network explorer: find an entity, expand its neighbours, find the shortest path between two, colour the picture."""

import streamlit as st

from armsgraph.analytics import paths
from armsgraph.dashboard import explorer, network_view, ui

st.title("Network explorer")
store = ui.store()
state = st.session_state
state.setdefault("explorer_uids", [])
state.setdefault("explorer_path", [])

search_column, path_column = st.columns(2)
with search_column, st.container(border=True):
    st.markdown("**Find and expand**")
    chosen = ui.entity_picker("Search entities", key="explorer_search")
    add_button, expand_button = st.columns(2)
    if add_button.button("Add to view", disabled=chosen is None, width="stretch") and chosen:
        state.explorer_uids = explorer.add(state.explorer_uids, [chosen])
    if expand_button.button("Expand neighbours", type="primary", disabled=chosen is None, width="stretch") and chosen:
        state.explorer_uids = explorer.expand(store, state.explorer_uids, chosen)
with path_column, st.container(border=True):
    st.markdown("**Shortest path**")
    source = ui.entity_picker("From", key="explorer_from")
    target = ui.entity_picker("To", key="explorer_to")
    unconfirmed = st.checkbox(
        "Also through unconfirmed duplicates (POSSIBLY_SAME)", key="explorer_possibly_same",
        help="By default a path follows recorded evidence only: no computed clusters or links, no pending duplicates.",
    )  # fmt: skip
    if st.button("Find path", disabled=not (source and target), width="stretch") and source and target:
        answer = paths.shortest_path(store, source, target, include_possibly_same=unconfirmed)
        state.explorer_path = answer.uids
        state.explorer_steps = answer.steps
        state.explorer_uids = explorer.add(state.explorer_uids, answer.uids)
        if answer.message:
            st.warning(answer.message[0].upper() + answer.message[1:] + ".")

on_screen = state.explorer_uids
controls = st.columns([2, 2, 1])
colour_by = (
    controls[0].segmented_control("Colour by", network_view.COLOUR_BY, default="label", key="explorer_colour")
    or "label"
)
expand_on_screen = controls[1].selectbox(
    "Expand a node on screen", ["", *on_screen], key="explorer_expand_on_screen",
    format_func=lambda uid: uid or "—",
)  # fmt: skip
if expand_on_screen and controls[1].button("Expand it"):
    state.explorer_uids = explorer.expand(store, state.explorer_uids, expand_on_screen)
    st.rerun()
if controls[2].button("Clear view", width="stretch"):
    state.explorer_uids, state.explorer_path, state.explorer_steps = [], [], None
    st.rerun()

if not state.explorer_uids:
    st.info("Search for a person, firearm serial, incident or place above and press **Expand neighbours**.")
else:
    pinned = {chosen or "", *state.explorer_path}
    view = explorer.view(store, state.explorer_uids, pinned=pinned, limit=network_view.limit("explorer"))
    positions = explorer.layout(view)
    page = network_view.render_html(view, positions, colour_by=colour_by, highlight=set(state.explorer_path))
    st.iframe(page, height=620 + network_view.LEGEND_PX + 8)
    st.caption(
        f"{len(view.nodes):,} nodes · {len(view.edges):,} relationships"
        + (f" · {view.aggregated:,} folded into groups" if view.aggregated else "")
    )
    network_view.show_more("explorer", view.drawn, view.aggregated)
    if state.explorer_path:
        steps = state.get("explorer_steps")
        if steps is not None and not steps.empty:
            st.markdown("**Path:** " + " → ".join(ui.md(str(name)) for name in steps["name"]))
            st.dataframe(steps, hide_index=True, width="stretch")
        else:
            st.markdown("**Path:** " + " → ".join(ui.md(uid) for uid in state.explorer_path))
    with st.expander("Entities on screen"):
        st.dataframe(view.nodes, hide_index=True, width="stretch")
