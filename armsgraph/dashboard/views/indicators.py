"""Indicators: SDG 16.4.2 by country and year with its definition, and the IAFQ-shaped tables, as CSV too."""

import pandas as pd
import streamlit as st

from armsgraph.analytics import indicators
from armsgraph.dashboard import ui
from armsgraph.dashboard.data import overview
from armsgraph.reports import exports

st.title("Indicators")
store = ui.store()
table = overview.sdg_table(store)
if table.empty:
    ui.nothing_yet("indicators", "Run `armsgraph analyse` (the demo runs it) to compute them.")
    st.stop()


def download(frame: pd.DataFrame, name: str, label: str) -> None:
    """An audited CSV download of one aggregate table."""
    st.download_button(
        label, exports.to_csv(frame), file_name=f"{name}.csv", mime="text/csv", key=f"download_{name}",
        icon=":material/download:", on_click=exports.record_aggregate_download,
        args=(store, f"indicators.{name}.csv", len(frame)),
    )  # fmt: skip


sdg = overview.sdg_16_4_2(store)
st.subheader("SDG 16.4.2 — illicit origin established by tracing")
left, right = st.columns([1, 3])
left.metric("Share of seized firearms traced", ui.percent(overview.sdg_share(sdg)), border=True)
left.caption(f"{ui.number(sdg['traced'].sum())} of {ui.number(sdg['firearms'].sum())} seized firearms")
right.markdown(f"**Definition.** {indicators.DEFINITION}")

shown = table.assign(share=table["share"].map(lambda v: ui.percent(v)))
shown = shown.rename(columns={"traced_origin_established": "origin established"})
st.dataframe(shown, hide_index=True, width="stretch")
download(table, "sdg_16_4_2", "Download SDG 16.4.2 (CSV)")

st.subheader("Seizures by type, calibre, context, country and year (IAFQ)")
st.caption("Distinct firearms and incidents; each seizure counts in its own context, country and year.")
tables = overview.iafq(store)
tabs = st.tabs([d.capitalize() for d in tables], key="iafq_tabs", on_change="rerun")  # the open one is drawn
for tab, (dimension, frame) in zip(tabs, tables.items(), strict=True):
    if tab.open:
        with tab:
            st.dataframe(frame, hide_index=True, width="stretch")
            download(frame, f"iafq_by_{dimension}", f"Download by {dimension} (CSV)")
