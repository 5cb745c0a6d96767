"""Indicators: SDG 16.4.2 (illicit origin established by tracing) and IAFQ-style tables."""

from __future__ import annotations

import pandas as pd

from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "iafq_tables", "sdg_16_4_2"]

#: Firearm statuses counted by SDG 16.4.2 (seized, found or surrendered); a missing status counts as seized.
COUNTED = {"seized", "found", "surrendered", None}
#: Trace outcomes that establish an illicit origin (a point of diversion or illicit manufacture was found).
ESTABLISHED = {"traced", "diverted", "illicit manufacture", "established"}


def sdg_16_4_2(seized: pd.DataFrame, traces: pd.DataFrame, transfers: pd.DataFrame) -> pd.DataFrame:
    """Share of seized, found or surrendered firearms whose illicit origin was established by tracing.

    A firearm counts in the numerator when a trace request for it was answered with an outcome in
    ``ESTABLISHED``, or its traced history marks the transfer where it was diverted. Grouped by the
    seizing incident's country and year.

    Examples
    --------
    >>> s = pd.DataFrame({"firearm": ["f1", "f2"], "status": ["seized", "seized"], "country": ["MEX", "MEX"],
    ...     "year": ["2021", "2021"]})
    >>> t = pd.DataFrame({"firearm": ["f1"], "outcome": ["traced"]})
    >>> sdg_16_4_2(s, t, pd.DataFrame(columns=["firearm", "diversion"]))["share"].tolist()
    [0.5]
    """
    counted = seized[seized["status"].isin(COUNTED) | seized["status"].isna()].drop_duplicates(
        ["firearm", "country", "year"]
    )
    established = set(traces.loc[traces["outcome"].isin(ESTABLISHED), "firearm"].dropna())
    established |= set(transfers.loc[transfers["diversion"] == True, "firearm"])  # noqa: E712
    counted = counted.assign(origin=counted["firearm"].isin(established))
    table = (
        counted.groupby(["country", "year"], dropna=False)
        .agg(seized=("firearm", "nunique"), traced_origin_established=("origin", "sum"))
        .reset_index()
    )
    table["share"] = (table["traced_origin_established"] / table["seized"]).round(4)
    return table.sort_values(["country", "year"], ignore_index=True)


def iafq_tables(seized: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Firearms seized by type, calibre, context, country and year (Illicit Arms Flows Questionnaire style).

    Examples
    --------
    >>> s = pd.DataFrame({"firearm": ["f1", "f2"], "type": ["pistol", "rifle"], "calibre": ["9x19mm", None],
    ...     "context": ["terrorism", "terrorism"], "country": ["FRA", "FRA"], "year": ["2020", "2020"]})
    >>> iafq_tables(s)["by_type"].values.tolist()
    [['pistol', 1], ['rifle', 1]]
    """
    out = {}
    for column in ("type", "calibre", "context", "country", "year"):
        table = seized.assign(**{column: seized[column].fillna("unknown")}).groupby(column)["firearm"].nunique()
        out[f"by_{column}"] = (
            table.rename("firearms")
            .reset_index()
            .sort_values(["firearms", column], ascending=[False, True], ignore_index=True)
        )
    return out


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """SDG 16.4.2 by country and year, and the IAFQ tables."""
    seized = store.read("analytics_seized_firearms")
    traces = store.read("analytics_trace_requests")
    transfers = store.read("analytics_transfers")
    if seized.empty:
        return {"sdg_16_4_2": pd.DataFrame(columns=["country", "year", "seized", "traced_origin_established", "share"])}
    tables = {"sdg_16_4_2": sdg_16_4_2(seized, traces, transfers)}
    tables.update({f"iafq_{k}": v for k, v in iafq_tables(seized).items()})
    return tables
