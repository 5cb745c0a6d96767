"""Tracing: trace requests by status and response time, points of diversion, and time-to-crime."""

import plotly.express as px
import streamlit as st

from armsgraph.dashboard import data, ui

st.title("Tracing")
store = ui.store()
requests = data.trace_requests(store)
if requests.empty:
    ui.nothing_yet("trace requests")
    st.stop()

summary = data.trace_summary(requests)
ui.metrics(
    [
        ("Trace requests", ui.number(summary["requests"])),
        ("Answered", ui.percent(summary["answered_share"])),
        ("Median response (days)", ui.number(summary["median_response_days"])),
        ("Origin established", ui.number(summary["traced"])),
    ]
)

status_column, response_column = st.columns(2)
with status_column:
    st.subheader("Status and outcome")
    by_status = requests.groupby(["status", "outcome"]).size().rename("requests").reset_index()
    fig = px.bar(by_status, x="status", y="requests", color="outcome")
    fig.update_layout(height=320, legend_title_text="")
    ui.chart(fig, key="trace_status")
with response_column:
    st.subheader("Response times")
    answered = requests.dropna(subset=["response_days"])
    if answered.empty:
        st.info("No answered requests yet.")
    else:
        fig = px.histogram(answered, x="response_days", color="requested_state", nbins=30)
        fig.update_layout(height=320, legend_title_text="requested state", xaxis_title="days to answer")
        ui.chart(fig, key="trace_response")

diversion_column, crime_column = st.columns(2)
with diversion_column:
    st.subheader("Points of diversion")
    diversion = data.diversion_points(store)
    if diversion.empty:
        st.info("No traced transfer histories yet.")
    else:
        st.dataframe(diversion, hide_index=True, width="stretch")
with crime_column:
    st.subheader("Time-to-crime")
    ttc = data.time_to_crime(store).dropna(subset=["days"])
    if ttc.empty:
        st.info("No firearm has both a last legal transfer and a dated recovery.")
    else:
        st.metric("Median time-to-crime", f"{ttc['days'].median():,.0f} days", border=True)
        fig = px.histogram(ttc, x="days", nbins=30)
        fig.update_layout(height=240, xaxis_title="days from last legal transfer to recovery")
        ui.chart(fig, key="ttc")

with st.expander("All trace requests"):
    st.dataframe(requests, hide_index=True, width="stretch")
