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

ui.metrics(
    [
        ("Trace requests", ui.number(summary["requests"])),
        ("Answered", ui.percent(summary["answered_share"])),
        ("Median response", frames.duration(summary["median_response_days"]) or "—"),
        ("Origin established (SDG 16.4.2)", ui.number(summary["traced"])),
    ]
)

status_column, response_column = st.columns(2)
with status_column:
    st.subheader("Status and outcome")
    ui.chart(charts.trace_status(store), key="trace_status")
with response_column:
    st.subheader("Response times")
    if overview.response_days.empty:
        st.info("No answered requests yet.")
    else:
        ui.chart(charts.trace_response(store), key="trace_response")

diversion_column, crime_column = st.columns(2)
with diversion_column:
    st.subheader("Points of diversion")
    diversion = tracing.diversion_points(store)
    if diversion.empty:
        st.info("No points of diversion yet: `armsgraph analyse` finds them in traced histories.")
    else:
        st.dataframe(diversion.drop(columns=["party_uid"]), hide_index=True, width="stretch")
        st.caption(f"Most diverted firearms first; at most {tracing.DIVERSION_ROWS} parties.")
with crime_column:
    st.subheader("Time-to-crime")
    ttc = tracing.time_to_crime_overview(store)
    if ttc.median_days is None:
        st.info("No firearm has both a last legal transfer and a dated recovery.")
    else:
        st.metric("Median time-to-crime", frames.duration(ttc.median_days), border=True)
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
