"""The Linked incidents page's reads and waterfall chart: why one link was made, comparison by comparison."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from armsgraph.dashboard.data.cache import Reader, cached

__all__ = ["cluster_explanations", "waterfall", "waterfall_figure"]


@cached
def cluster_explanations(store: Reader, cluster: str, limit: int = 500) -> pd.DataFrame:
    """The links inside one cluster with match probability, match weight and each comparison's weight."""
    return store.read("analytics_link_explanations", cluster=cluster, limit=limit)


def waterfall(link: Mapping[Any, Any]) -> pd.DataFrame:
    """One link as waterfall steps: the prior, then every comparison that gave evidence, then the total.

    Examples
    --------
    >>> w = waterfall({"prior_weight": -13.3, "comparisons": ["date"], "levels": ["same day"], "weights": [7.4],
    ...                "match_weight": -5.9})
    >>> w["step"].tolist(), w["weight"].tolist()
    (['prior (two incidents at random)', 'date: same day', 'match weight'], [-13.3, 7.4, -5.9])
    """
    rows = [("prior (two incidents at random)", float(link["prior_weight"] or 0.0), "relative")]
    for name, said, weight in zip(link["comparisons"] or [], link["levels"] or [], link["weights"] or [], strict=True):
        rows.append((f"{name.replace('_', ' ')}: {said}", float(weight), "relative"))
    rows.append(("match weight", float(link["match_weight"] or 0.0), "total"))
    return pd.DataFrame(rows, columns=["step", "weight", "measure"])


def waterfall_figure(link: Mapping[Any, Any]) -> go.Figure:
    """A plotly waterfall of :func:`waterfall` (bits of evidence: up for a link, down against)."""
    steps = waterfall(link)
    figure = go.Figure(
        go.Waterfall(
            x=steps["step"],
            y=steps["weight"],
            measure=steps["measure"],
            text=[f"{w:+.1f}" for w in steps["weight"]],
            textposition="outside",
            increasing={"marker": {"color": "#2e7d32"}},
            decreasing={"marker": {"color": "#a8201a"}},
            totals={"marker": {"color": "#37474f"}},
        )
    )
    figure.update_layout(
        height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10}, yaxis_title="match weight (bits)", showlegend=False
    )
    return figure
