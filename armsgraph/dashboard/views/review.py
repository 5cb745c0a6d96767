"""Review: accept or reject entity-resolution candidates (POSSIBLY_SAME) that were never merged silently."""

import streamlit as st

from armsgraph.dashboard import auth, data, ui

st.title("Review possible duplicates")
store = ui.store()
show = st.segmented_control("Show", ["pending", "accepted", "rejected"], default="pending", key="review_status")
candidates = data.possibly_same(store, (show or "pending",))
if candidates.empty:
    ui.nothing_yet(f"{show or 'pending'} candidates")
    st.stop()

st.caption(f"{len(candidates):,} candidates, best score first. A decision is recorded on the edge with your name.")
user = (auth.principal() or auth.LOCAL).user
for i, candidate in enumerate(candidates.head(50).to_dict("records")):
    with st.container(border=True):
        left, right, score, actions = st.columns([3, 3, 1, 2], vertical_alignment="center")
        left.markdown(f"**{candidate['left_name']}**  \n`{candidate['left_uid']}` · {candidate['label']}")
        right.markdown(f"**{candidate['right_name']}**  \n`{candidate['right_uid']}` · {candidate['label']}")
        score.metric(str(candidate["rule"]), f"{candidate['score']:.2f}")
        if candidate["status"] == "pending":
            accept, reject = actions.columns(2)
            if accept.button("Same", key=f"accept_{i}", type="primary", icon=":material/check:"):
                data.decide(store, candidate, "accepted", user)
                st.rerun()
            if reject.button("Different", key=f"reject_{i}", icon=":material/close:"):
                data.decide(store, candidate, "rejected", user)
                st.rerun()
        else:
            actions.markdown(
                f"{candidate['status']} by {candidate['decided_by'] or '—'}  \n{candidate['decided_at'] or ''}"
            )
