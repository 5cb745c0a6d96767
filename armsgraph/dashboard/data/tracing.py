"""Tracing: trace requests and their answers, points of diversion and time-to-crime."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from armsgraph.analytics import indicators, results
from armsgraph.dashboard.data.cache import Reader, cached
from armsgraph.dashboard.data.frames import TABLE_ROWS, duration, histogram, largest_groups, repeat_rows
from armsgraph.dates import days_between_series

#: Points of diversion listed (most diverted firearms first).
DIVERSION_ROWS = 100


@cached
def trace_requests(store: Reader, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """The newest ``limit`` trace requests, with their response time in days (sent → answered; none when
    either date is missing or the answer is dated before the request, as the diversion analysis counts it)."""
    frame = store.read("dashboard_trace_requests", limit=limit)
    frame["response_days"] = days_between_series(frame["sent"], frame["answered"])
    return frame


@dataclass(frozen=True)
class TraceOverview:
    """The Tracing page's summary of every trace request: small frames, whatever the number of requests."""

    summary: dict[str, float | int | None]
    by_status: pd.DataFrame  # status, outcome, requests
    response_days: pd.DataFrame  # histogram (see :func:`histogram`), grouped by requested state
    newest: pd.DataFrame  # the newest TABLE_ROWS requests


@cached
def trace_overview(store: Reader, rows: int = TABLE_ROWS) -> TraceOverview:
    """Summary, status × outcome counts, response-time histogram and the newest ``rows`` of all trace requests.

    Status and outcome are counted in the store; response days and the number of firearms whose origin
    was established come from the analyses' result tables (diversion, indicators), as everywhere else.
    """
    status = store.read("dashboard_trace_status")
    answered = repeat_rows(
        results.load(store, "trace_response_days", ["requested_state", "days", "requests"]), "requests"
    )
    requests = int(status["requests"].sum())
    days = answered["days"].astype(float)
    total = results.load(store, "sdg_16_4_2_total", indicators.TOTAL_COLUMNS)
    summary: dict[str, float | int | None] = {
        "requests": requests,
        "answered_share": float(status["answered"].sum()) / requests if requests else None,
        "median_response_days": float(days.median()) if len(days) else None,
        "traced": int(total["traced_origin_established"].iloc[0]) if len(total) else 0,
    }
    response = histogram(days, largest_groups(answered["requested_state"]))
    by_status = status[["status", "outcome", "requests"]].astype({"requests": int})
    return TraceOverview(summary, by_status, response, trace_requests(store, limit=rows))


@cached
def diversion_points(store: Reader, limit: int = DIVERSION_ROWS) -> pd.DataFrame:
    """Parties firearms were diverted from, most firearms first, as the diversion analysis ranked them:
    rank, party, kind, country, firearms, median time-to-crime (as text: years and months)."""
    columns = ["rank", "party_uid", "party_name", "kind", "country", "firearms", "median_time_to_crime_days"]
    frame = results.load(store, "diversion_points", columns, entity=True, limit=limit)
    frame["median_time_to_crime"] = frame["median_time_to_crime_days"].map(duration)
    return frame.drop(columns=["median_time_to_crime_days"]).rename(columns={"party_name": "party"})


@dataclass(frozen=True)
class TimeToCrime:
    """Time-to-crime over every firearm that has both dates: how many, the median and a histogram."""

    firearms: int
    median_days: float | None
    days: pd.DataFrame  # histogram (see :func:`histogram`)


@cached
def time_to_crime_overview(store: Reader) -> TimeToCrime:
    """Days from each traced firearm's last legal transfer to its first seizure: count, median and histogram,
    from the diversion analysis' distribution (``time_to_crime_days``)."""
    counts = results.load(store, "time_to_crime_days", ["days", "firearms"])
    days = repeat_rows(counts, "firearms")["days"].astype(float)
    return TimeToCrime(len(days), float(days.median()) if len(days) else None, histogram(days))
