"""Helpers on frames that every page group uses, and the limits of what a page lists or draws."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

#: Rows a page lists in a table; when there are more the page says "showing N of M".
TABLE_ROWS = 1_000
#: Series a line chart draws (the largest); the page says how many there are.
TOP_SERIES = 10
#: Groups a stacked chart colours one by one (plotly's palette has 10 colours); the rest are one "other".
TOP_GROUPS = 9
#: Bins of a histogram computed here (the browser then draws ~30 bars, not every value).
HISTOGRAM_BINS = 30
#: Row limit of row-level reads that a page summarises (counts, medians, histograms): far above any graph
#: the dashboard serves, so every row counts; a result of exactly this size would be flagged as truncated.
ALL_ROWS = 10_000_000


def repeat_rows(frame: pd.DataFrame, counts: str) -> pd.DataFrame:
    """One row per counted item of an aggregate (``counts`` says how many each row stands for)."""
    return frame.loc[frame.index.repeat(frame[counts].astype(int))].reset_index(drop=True)


def every_month(counts: pd.DataFrame, by: str) -> pd.DataFrame:
    """``counts`` (month, ``by``, incidents) with the months missing inside each group's span counted as 0."""
    filled = []
    for name, group in counts.groupby(by, sort=False):
        span = pd.period_range(group["month"].min(), group["month"].max(), freq="M").strftime("%Y-%m")
        incidents = group.set_index("month")["incidents"].reindex(span, fill_value=0)
        filled.append(pd.DataFrame({"month": span, by: name, "incidents": incidents.to_numpy()}))
    if not filled:
        return pd.DataFrame(columns=["month", by, "incidents"])
    return pd.concat(filled, ignore_index=True).sort_values(["month", by], ignore_index=True)


def largest_groups(labels: pd.Series, top: int = TOP_GROUPS) -> pd.Series:
    """``labels`` with all but the ``top`` most frequent replaced by "other (N)" (N: how many were merged).

    For stacked charts: a colour per group stays distinguishable and the stack's totals do not change.
    """
    names = labels.fillna("unknown").astype(str)
    counts = names.value_counts()
    if len(counts) <= top + 1:
        return names
    kept = set(counts.index[:top])
    return names.where(names.isin(kept), f"other ({len(counts) - top})")


def histogram(values: pd.Series, groups: pd.Series | None = None, bins: int = HISTOGRAM_BINS) -> pd.DataFrame:
    """Counts per bin (and group): start, end, middle, count — a histogram small enough to send to a browser.

    Bins are equal-width over all values (as a plotly histogram with ``nbins`` would choose, roughly).
    """
    columns = ["group", "start", "end", "middle", "count"]
    kept = values.notna()
    numbers = values[kept].astype(float).to_numpy()
    if not len(numbers):
        return pd.DataFrame(columns=columns)
    edges = np.histogram_bin_edges(numbers, bins=min(bins, max(1, len(np.unique(numbers)))))
    labels = groups[kept].fillna("unknown").astype(str).to_numpy() if groups is not None else np.full(len(numbers), "")
    frames = []
    for group in sorted({str(label) for label in labels}):
        counts, _ = np.histogram(numbers[labels == group], bins=edges)
        middle = (edges[:-1] + edges[1:]) / 2
        frames.append(pd.DataFrame({"group": group, "start": edges[:-1], "end": edges[1:], "middle": middle,
                                    "count": counts}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def duration(days: Any) -> str | None:
    """Days as years and months ("3 years 7 months", "5 months", "12 days"); None when unknown.

    Months are 30.44 days, years 365.25 (calendar averages).
    """
    if days is None or (isinstance(days, float) and np.isnan(days)):
        return None
    total = float(days)
    years, rest = divmod(total, 365.25)
    months = int(rest // 30.44)
    if years >= 1:
        y = int(years)
        return f"{y} year{'s' if y != 1 else ''}" + (f" {months} month{'s' if months != 1 else ''}" if months else "")
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{int(total)} day{'s' if int(total) != 1 else ''}"


def shown(value: Any) -> str:
    """A value as text: "" when missing, list items joined with ", "."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    return str(value)


def as_tuple(values: Sequence[str]) -> tuple[str, ...]:
    """A sorted, duplicate-free tuple (a stable cache key for a set of uids)."""
    return tuple(sorted(set(values)))
