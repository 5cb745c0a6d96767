"""Review: accept or reject entity-resolution candidates (POSSIBLY_SAME) that were never merged silently.

Each card shows both records side by side on the fields resolution compares (name, aliases, date of
birth, nationality; serial, make, model, type, calibre), whether they agree, the record ids, and how
many incidents and cases each side is tied to: what decided the score, not only the score. Cards come
best score first and, among equal scores, most fields agreeing first (:mod:`~armsgraph.dashboard.review_queue`).
Several candidates can be decided at once (the selected cards, or every listed candidate at or above a
score), after a confirmation; each is recorded and audited as a single decision is.
"""

from typing import Any

import streamlit as st

from armsgraph.dashboard import auth, review_queue, ui
from armsgraph.dashboard.data import casework

SHOWN = 12
VERBS = {"accepted": "Accept", "rejected": "Reject"}

st.title("Review possible duplicates")
store = ui.store()
state = st.session_state
status_column, filter_column = st.columns([1, 2], vertical_alignment="bottom")
show = status_column.segmented_control(
    "Show", ["pending", "accepted", "rejected"], default="pending", key="review_status"
)
needle = filter_column.text_input("Filter", placeholder="name or uid", key="review_filter")
status = show or "pending"
if done := state.pop("review_done", None):
    st.success(done)
best = review_queue.ranked(store, (status,))
candidates = casework.matching(best, needle)
if candidates.empty:
    ui.nothing_yet(f"{status} candidates" + (f" matching “{needle}”" if needle else ""))
    st.stop()

total = casework.candidate_count(store, (status,))
among = f"the best {len(best):,}" if total > len(best) else "them"
st.caption(
    f"{total:,} {status} candidates, best score first, then the most fields agreeing"
    + (f"; {len(candidates):,} of {among} match the filter" if needle else "")
    + f"; showing {min(SHOWN, len(candidates))}. "
    "Nodes are never merged: a decision is recorded on the candidate with your name."
)
user = (auth.principal() or auth.LOCAL).user
cards = candidates.head(SHOWN).to_dict("records")


def ask(decision: str, rows: list[dict[Any, Any]], what: str) -> None:
    """Hold a bulk decision until it is confirmed."""
    state["review_bulk"] = (decision, rows, what)


if status == "pending":
    picked = [c for c in cards if state.get(f"pick_{review_queue.pair(c)}")]
    with st.container(border=True):
        chosen_column, threshold_column = st.columns(2, vertical_alignment="bottom")
        chosen_column.markdown(f"**{len(picked)} selected** of the cards below")
        accept_column, reject_column = chosen_column.columns(2)
        if accept_column.button("Accept selected", disabled=not picked, key="bulk_accept", width="stretch"):
            ask("accepted", picked, f"the {len(picked)} selected candidates")
        if reject_column.button("Reject selected", disabled=not picked, key="bulk_reject", width="stretch"):
            ask("rejected", picked, f"the {len(picked)} selected candidates")
        floor = threshold_column.number_input(
            "Score at least", min_value=0.0, max_value=1.0, value=0.95, step=0.01, key="review_threshold"
        )
        above = review_queue.at_least(candidates, floor)
        label = f"Accept all {len(above):,} with score ≥ {floor:.2f}"
        where = (f" matching “{needle}”" if needle else "") + (
            f" among the best {len(best):,}" if total > len(best) else ""
        )
        if threshold_column.button(label, disabled=above.empty, key="bulk_threshold", width="stretch"):
            ask(
                "accepted",
                above.to_dict("records"),
                f"all {len(above):,} pending candidates{where} with score ≥ {floor:.2f}",
            )

if bulk := state.get("review_bulk"):
    decision, rows, what = bulk
    with st.container(border=True):
        st.warning(
            f"{VERBS[decision]} {what}? Each is recorded under your name ({user}) and audited, as a single decision is."
        )
        yes, no = st.columns(2)
        if yes.button(f"Confirm: {VERBS[decision].lower()} {len(rows):,}", type="primary", key="bulk_confirm"):
            decided = review_queue.decide_all(store, rows, decision, user)
            for key in [k for k in state if str(k).startswith("pick_")]:
                del state[key]
            state.pop("review_bulk", None)
            state["review_done"] = f"{decided:,} candidates {decision}."
            st.rerun()
        if no.button("Cancel", key="bulk_cancel"):
            state.pop("review_bulk", None)
            st.rerun()

for i, candidate in enumerate(cards):
    with st.container(border=True):
        fields = casework.candidate_fields(store, candidate["label"], candidate["left_uid"], candidate["right_uid"])
        left, right, score, actions = st.columns([4, 4, 2, 3], vertical_alignment="center")
        left.markdown(f"**{ui.md(candidate['left_name'])}**")
        right.markdown(f"**{ui.md(candidate['right_name'])}**")
        score.markdown(
            f"**{candidate['score']:.2f}**  \n:gray[{ui.md(candidate['rule'])}]  \n"
            f":gray[{candidate['agree']} agree · {candidate['differ']} differ]"
        )
        st.table(fields, hide_index=True)  # a static table: twelve interactive grids made the page slow to draw
        if candidate["status"] != "pending":
            actions.markdown(
                f"{candidate['status']} by {ui.md(candidate['decided_by'])}  \n:gray[{candidate['decided_at']}]"
            )
            continue
        actions.checkbox("Select", key=f"pick_{review_queue.pair(candidate)}")
        same, different = actions.columns(2)
        if same.button("Same", key=f"accept_{i}", type="primary", icon=":material/check:", width="stretch"):
            casework.decide(store, candidate, "accepted", user)
            st.rerun()
        if different.button("Different", key=f"reject_{i}", icon=":material/close:", width="stretch"):
            casework.decide(store, candidate, "rejected", user)
            st.rerun()
