"""Review: accept or reject entity-resolution candidates (POSSIBLY_SAME) that were never merged silently.

Each card shows both records side by side on the fields resolution compares (name, aliases, date of
birth, nationality; serial, make, model, type, calibre), whether they agree, the record ids, and how
many incidents and cases each side is tied to: what decided the score, not only the score.
"""

import streamlit as st

from armsgraph.dashboard import auth, ui
from armsgraph.dashboard.data import casework

SHOWN = 12

st.title("Review possible duplicates")
store = ui.store()
status_column, filter_column = st.columns([1, 2], vertical_alignment="bottom")
show = status_column.segmented_control(
    "Show", ["pending", "accepted", "rejected"], default="pending", key="review_status"
)
needle = filter_column.text_input("Filter", placeholder="name or uid", key="review_filter")
status = show or "pending"
best = casework.possibly_same(store, (status,))
candidates = casework.matching(best, needle)
if candidates.empty:
    ui.nothing_yet(f"{status} candidates" + (f" matching “{needle}”" if needle else ""))
    st.stop()

total = casework.candidate_count(store, (status,))
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
        fields = casework.candidate_fields(store, candidate["label"], candidate["left_uid"], candidate["right_uid"])
        left, right, score, actions = st.columns([4, 4, 2, 3], vertical_alignment="center")
        left.markdown(f"**{ui.md(candidate['left_name'])}**")
        right.markdown(f"**{ui.md(candidate['right_name'])}**")
        score.markdown(f"**{candidate['score']:.2f}**  \n:gray[{ui.md(candidate['rule'])}]")
        st.dataframe(fields, hide_index=True, width="stretch", key=f"fields_{i}")
        if candidate["status"] != "pending":
            actions.markdown(
                f"{candidate['status']} by {ui.md(candidate['decided_by'])}  \n:gray[{candidate['decided_at']}]"
            )
            continue
        same, different = actions.columns(2)
        if same.button("Same", key=f"accept_{i}", type="primary", icon=":material/check:", width="stretch"):
            casework.decide(store, candidate, "accepted", user)
            st.rerun()
        if different.button("Different", key=f"reject_{i}", icon=":material/close:", width="stretch"):
            casework.decide(store, candidate, "rejected", user)
            st.rerun()
