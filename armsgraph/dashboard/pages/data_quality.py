"""Data quality: what each ingest run accepted and rejected, and why (file, row, column, reason)."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import quality, ui

st.title("Data quality")
runs = quality.runs(ui.data_dir())
if runs.empty:
    ui.nothing_yet("ingest reports", "Each `armsgraph ingest` writes one under `<data_dir>/reports/`.")
    st.stop()

rejects = quality.rejects(ui.data_dir())
ui.metrics(
    [
        ("Ingest runs", ui.number(len(runs))),
        ("Rows accepted", ui.number(runs["accepted"].sum())),
        ("Rows rejected", ui.number(runs["rejected"].sum())),
        ("Warnings", ui.number(runs["warnings"].sum())),
    ]
)
st.subheader("Runs")
st.dataframe(runs, hide_index=True, width="stretch")
if rejects.empty:
    st.success("No rejected rows.", icon=":material/check_circle:")
    st.stop()

reasons_column, files_column = st.columns(2)
with reasons_column:
    st.subheader("Why rows were rejected")
    reasons = rejects.groupby("reason").size().rename("rows").reset_index().sort_values("rows")
    fig = px.bar(reasons, x="rows", y="reason", orientation="h")
    fig.update_layout(height=320, yaxis_title="")
    ui.chart(fig, key="reject_reasons")
with files_column:
    st.subheader("Where")
    by_file = rejects.groupby(["file", "column"]).size().rename("rows").reset_index()
    st.dataframe(by_file.sort_values("rows", ascending=False), hide_index=True, width="stretch")
st.subheader("Rejected rows")
st.dataframe(rejects, hide_index=True, width="stretch")
