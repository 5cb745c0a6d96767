"""Key players: who, removed, splits the networks most (Borgatti), beside degree, betweenness and brokerage."""

import streamlit as st

from armsgraph.dashboard import explorer, key_players, network_view, ui

st.title("Key players")
store = ui.store()
players = key_players.ranking(store)
if players.empty:
    st.info(key_players.NOT_ANALYSED, icon=":material/info:")
    st.stop()

st.caption(
    "Ranked by fragmentation (Borgatti's key-player problem): each actor in turn is the one whose removal "
    "leaves the most pairs of actors unable to reach each other. Weighted degree, betweenness and the "
    "communities an actor has ties into are shown beside it; the reason says why in words."
)
st.dataframe(
    players, hide_index=True, width="stretch",
    column_config={
        "fragmentation": st.column_config.NumberColumn(
            "fragmentation", format="%.4f", help="share of actor pairs that can no longer reach each other"
        ),
        "betweenness": st.column_config.NumberColumn("betweenness", format="%.5f"),
        "communities_bridged": st.column_config.NumberColumn("communities bridged"),
        "reason": st.column_config.TextColumn("reason", width="large"),
    },
)  # fmt: skip

most = min(10, len(players))
marked = st.slider("Key players marked on the picture", 1, most, min(5, most)) if most > 1 else most
top = [str(uid) for uid in players["node"].head(marked)]
uids: list[str] = []
for uid in top:
    uids = explorer.expand(store, uids, uid, limit=30)
view = explorer.view(store, uids, pinned=set(top), limit=network_view.limit("key_players"))
page = network_view.render_html(view, explorer.layout(view), colour_by="label", highlight=set(top))
st.iframe(page, height=620 + network_view.LEGEND_PX + 8)
st.caption(
    f"The top {marked} key players (highlighted) and up to 30 neighbours each"
    + (f"; {view.aggregated:,} of them folded into groups." if view.aggregated else ".")
)
network_view.show_more("key_players", view.drawn, view.aggregated)
