"""Review: accept or reject entity-resolution candidates (POSSIBLY_SAME) that were never merged silently."""

import streamlit as st

from armsgraph.dashboard import auth, data, ui

SHOWN = 12

st.title("Review possible duplicates")
store = ui.store()
status_column, filter_column = st.columns([1, 2], vertical_alignment="bottom")
show = status_column.segmented_control(
    "Show", ["pending", "accepted", "rejected"], default="pending", key="review_status"
)
needle = filter_column.text_input("Filter", placeholder="name or uid", key="review_filter")
status = show or "pending"
best = data.possibly_same(store, (status,))
candidates = data.matching(best, needle)
if candidates.empty:
    ui.nothing_yet(f"{status} candidates" + (f" matching “{needle}”" if needle else ""))
    st.stop()

total = data.candidate_count(store, (status,))
among = f"the best {len(best):,}" if total > len(best) else "them"
st.caption(
    f"{total:,} {status} candidates, best score first"
    + (f"; {len(candidates):,} of {among} match the filter" if needle else "")
    + f"; showing {min(SHOWN, len(candidates))}. "
    "Nodes are never merged: a decision is recorded on the candidate with your name."
)
user = (auth.principal() or auth.LOCAL).user
for i, candidate in enumerate(candidates.head(SHOWN).to_dict("records")):
    with st.container(border=True):
        left, right, score, actions = st.columns([4, 4, 2, 3], vertical_alignment="center")
        left.markdown(f"**{ui.md(candidate['left_name'])}**  \n:gray[{ui.md(candidate['left_uid'])}]")
        right.markdown(f"**{ui.md(candidate['right_name'])}**  \n:gray[{ui.md(candidate['right_uid'])}]")
        score.markdown(f"**{candidate['score']:.2f}**  \n:gray[{ui.md(candidate['rule'])}]")
        if candidate["status"] != "pending":
            actions.markdown(
                f"{candidate['status']} by {ui.md(candidate['decided_by'])}  \n:gray[{candidate['decided_at']}]"
            )
            continue
        same, different = actions.columns(2)
        if same.button("Same", key=f"accept_{i}", type="primary", icon=":material/check:", width="stretch"):
            data.decide(store, candidate, "accepted", user)
            st.rerun()
        if different.button("Different", key=f"reject_{i}", icon=":material/close:", width="stretch"):
            data.decide(store, candidate, "rejected", user)
            st.rerun()
