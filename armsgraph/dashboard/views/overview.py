"""Overview: the headline numbers, SDG 16.4.2, and how incidents trend by context and country."""

import streamlit as st

from armsgraph.analytics import indicators
from armsgraph.dashboard import charts, ui
from armsgraph.dashboard.data import overview

st.title("Overview")
store = ui.store()
counts = overview.graph_counts(store)
sdg = overview.sdg_16_4_2(store)
linked = overview.linked_summary(store)

ui.metrics(
    [
        ("Incidents", ui.number(counts.get("Incident", 0))),
        ("Firearms", ui.number(counts.get("Firearm", 0))),
        ("Persons", ui.number(counts.get("Person", 0))),
        ("Organisations", ui.number(counts.get("Organisation", 0))),
        ("Cases", ui.number(counts.get("Case", 0))),
        ("Linked clusters", ui.number(linked["clusters"])),
    ]
)

st.subheader("SDG 16.4.2 — illicit origin established by tracing")
left, right = st.columns([1, 3])
left.metric(
    "Share of seized firearms traced",
    ui.percent(overview.sdg_share(sdg)),
    help=indicators.DEFINITION,
    border=True,
)
left.caption(f"{ui.number(sdg['traced'].sum())} of {ui.number(sdg['firearms'].sum())} seized firearms")

# The figures above come first; each chart is drawn when its tab is open, so a first visit draws the
# smallest (SDG 16.4.2 by year), not four plotly charts: most of a full reload's time is the browser drawing them.
with right:
    by_year, trend, where, what = st.tabs(
        ["SDG 16.4.2 by year", "Incidents over time", "Where", "What"], key="overview_charts", on_change="rerun"
    )
if by_year.open:
    with by_year:
        if sdg.empty:
            st.info("No indicators yet: `armsgraph analyse` computes them (the demo runs it).")
        else:
            ui.chart(charts.sdg(store), key="sdg")
if trend.open:
    with trend:
        if overview.incidents_by_month(store).empty:
            ui.nothing_yet("dated incidents", "Run `armsgraph demo` or ingest a bundle.")
        else:
            ui.chart(charts.incidents_per_month(store), key="trend")
if where.open:
    with where:
        if overview.incidents_by_country(store).empty:
            st.info("No incidents with a country yet.")
        else:
            ui.chart(charts.countries(store), key="countries")
if what.open:
    with what:
        if overview.firearms_by_type(store).empty:
            st.info("No seized firearms yet.")
        else:
            ui.chart(charts.firearm_types(store), key="types")
