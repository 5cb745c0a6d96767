"""Tracing: trace requests by status and response time, points of diversion, and time-to-crime."""

import streamlit as st

from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import frames, tracing

st.title("Tracing")
store = ui.store()
overview = tracing.trace_overview(store)
summary = overview.summary
if not summary["requests"]:
    ui.nothing_yet("trace requests")
    st.stop()

ttc = tracing.time_to_crime_overview(store)
ui.metrics(
    [
        ("Trace requests", ui.number(summary["requests"])),
        ("Answered", ui.percent(summary["answered_share"])),
        ("Median response", frames.duration(summary["median_response_days"]) or "—"),
        ("Origin established (SDG 16.4.2)", ui.number(summary["traced"])),
        ("Median time-to-crime", frames.duration(ttc.median_days) or "—"),
    ]
)

diversion_column, charts_column = st.columns(2)
with diversion_column:
    st.subheader("Points of diversion")
    diversion = tracing.diversion_points(store)
    if diversion.empty:
        st.info("No points of diversion yet: `armsgraph analyse` finds them in traced histories.")
    else:
        st.dataframe(diversion.drop(columns=["party_uid"]), hide_index=True, width="stretch")
        st.caption(f"Most diverted firearms first; at most {tracing.DIVERSION_ROWS} parties.")
# Each chart is drawn when its tab is open (one on a first visit): a page load does not wait for three plotly charts.
with charts_column:
    status_tab, response_tab, crime_tab = st.tabs(
        ["Status and outcome", "Response times", "Time-to-crime"], key="tracing_charts", on_change="rerun"
    )
if status_tab.open:
    with status_tab:
        ui.chart(charts.trace_status(store), key="trace_status")
if response_tab.open:
    with response_tab:
        if overview.response_days.empty:
            st.info("No answered requests yet.")
        else:
            ui.chart(charts.trace_response(store), key="trace_response")
if crime_tab.open:
    with crime_tab:
        if ttc.median_days is None:
            st.info("No firearm has both a last legal transfer and a dated recovery.")
        else:
            ui.chart(charts.time_to_crime(store), key="ttc")
            st.caption(f"{ui.number(ttc.firearms)} firearms with a last legal transfer and a dated recovery.")

table = st.expander("Trace requests, newest first", key="tracing_requests", on_change="rerun")
if table.open:  # drawn when opened, not on every visit
    with table:
        response = overview.newest["response_days"].map(frames.duration)
        st.dataframe(overview.newest.assign(response_days=response).rename(columns={"response_days": "response"}),
                     hide_index=True, width="stretch")  # fmt: skip
        if summary["requests"] > len(overview.newest):
            st.caption(f"The newest {ui.number(len(overview.newest))} of {ui.number(summary['requests'])} requests.")
