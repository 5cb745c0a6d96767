"""Audit log (admins only): is the hash chain intact, who did what and when, counts per action, CSV export."""

import streamlit as st

from armsgraph import audit
from armsgraph.dashboard import audit_view, auth, ui

st.title("Audit log")
data_dir = ui.data_dir()
who = audit_view.require_admin(data_dir, auth.principal())

verdict = audit.verify(data_dir)
if verdict.ok:
    st.success(f"Chain verified: {verdict.checked:,} entries intact.", icon=":material/verified:")
else:
    before = f"lines 1–{verdict.checked:,} verify" if verdict.checked else "no line before it verifies"
    st.error(
        f"Chain broken at line {verdict.broken_at} ({ui.md(verdict.reason)}): {before}; "
        f"line {verdict.broken_at} and every later one cannot be trusted.",
        icon=":material/gpp_bad:",
    )

entries = audit_view.load(data_dir, verdict)
if entries.empty:
    st.info("The audit log is empty.", icon=":material/info:")
    st.stop()

users_column, actions_column, dates_column = st.columns(3)
users = users_column.multiselect("User", sorted(entries["user"].unique()), key="audit_users", placeholder="all")
actions = actions_column.multiselect(
    "Action", sorted(entries["action"].unique()), key="audit_actions", placeholder="all"
)
times = entries["time"].dropna()
start = end = None
if not times.empty:
    first, last = times.min().date(), times.max().date()
    picked = dates_column.date_input("Dates (UTC)", (first, last), first, last, key="audit_dates")
    chosen = list(picked) if isinstance(picked, tuple | list) else [picked]
    if chosen and chosen[0] != first:
        start = chosen[0]
    if len(chosen) > 1 and chosen[1] != last:
        end = chosen[1]
shown = audit_view.select(entries, users, actions, start, end)

st.caption(f"{len(shown):,} of {len(entries):,} entries, newest first. Times are UTC.")
counts_column, table_column = st.columns([1, 3])
with counts_column:
    st.subheader("Per action")
    st.bar_chart(
        audit_view.action_counts(shown), x="action", y="entries", x_label="", horizontal=True, sort="-entries",
        color="#a8201a", height=300,
    )  # fmt: skip
with table_column:
    st.subheader("Entries")
    st.dataframe(
        shown, hide_index=True, width="stretch",
        column_config={"time": st.column_config.DatetimeColumn("time", format="YYYY-MM-DD HH:mm:ss")},
    )  # fmt: skip
filters = {"users": users, "actions": actions, "from": str(start or ""), "to": str(end or "")}
st.download_button(
    "Download CSV", audit_view.to_csv(shown), file_name="audit-log.csv", mime="text/csv",
    icon=":material/download:", on_click=audit_view.record_export, args=(data_dir, who, len(shown), filters),
)  # fmt: skip
