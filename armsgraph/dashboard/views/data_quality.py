"""Data quality: what each ingest run accepted and rejected, and why (file, row, column, reason).

Rejected values are shown to admins only; other roles see counts, columns and reasons with values
redacted. Every read is audited.
"""

import streamlit as st

from armsgraph.dashboard import auth, quality, ui

st.title("Data quality")
who = auth.principal() or auth.LOCAL
runs = quality.runs(ui.data_dir(), who)
if runs.empty:
    ui.nothing_yet("ingest reports", "Each `armsgraph ingest` saves one under `<data_dir>/reports/`.")
    st.stop()

problems = quality.problems(ui.data_dir(), who)
ui.metrics(
    [
        ("Ingest runs", ui.number(len(runs))),
        ("Rows read", ui.number(runs["rows_in"].sum())),
        ("Rows rejected", ui.number(runs["rejected"].sum())),
        ("Awaiting review", ui.number(runs["possibly_same"].sum())),
    ]
)
st.subheader("Runs")
st.dataframe(runs, hide_index=True, width="stretch")
if problems.empty:
    st.success("No rejected rows or warnings.", icon=":material/check_circle:")
    st.stop()

severity = st.segmented_control("Show", ["error", "link", "warning"], default="error", key="quality_severity")
shown = problems[problems["severity"] == (severity or "error")]
reasons_column, files_column = st.columns([3, 2])
with reasons_column:
    st.subheader("Why")
    reasons = shown.groupby("reason").size().rename("rows").reset_index().sort_values("rows", ascending=False)
    st.dataframe(
        reasons, hide_index=True, width="stretch",
        column_config={"rows": st.column_config.ProgressColumn("rows", format="%d", min_value=0,
                                                               max_value=int(reasons["rows"].max()))},
    )  # fmt: skip
with files_column:
    st.subheader("Where")
    where = shown.groupby(["file", "column"], dropna=False).size().rename("rows").reset_index()
    st.dataframe(where.sort_values("rows", ascending=False), hide_index=True, width="stretch")
st.subheader("Rows")
if not quality.sees_values(who):
    st.caption(f"Rejected values are shown to admins only; they read {quality.REDACTED} here.")
st.dataframe(shown, hide_index=True, width="stretch")
