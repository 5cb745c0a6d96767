"""Indicators: SDG 16.4.2 (illicit origin established by tracing) and IAFQ-style tables.

SDG 16.4.2 as computed here, by country and year:

* **denominator** (``seized``): distinct firearms seized, found or surrendered — every firearm an
  incident SEIZED — each counted once, in the country and year of its *first* incident (earliest
  date, then smallest uid). Firearms whose status says they were never recovered (``lost``,
  ``stolen``, ``trafficked``) count too when an incident seized them: the status describes the report,
  the SEIZED edge the recovery.
* **numerator** (``traced_origin_established``): those of them whose illicit origin was established by
  tracing: a trace request answered with an outcome in ``ESTABLISHED`` (a point of diversion or illicit
  manufacture was found), or a traced legal history whose diversion transfer is marked.
* ``share`` = numerator / denominator (0 … 1).

``sdg_16_4_2_total`` is the same over every country and year (one row). :func:`analyse` writes every
table as result rows (:mod:`armsgraph.analytics.results`); the dashboard's Overview, Tracing and
Indicators pages and the CLI read those rows, so the figure has this one definition.

IAFQ-style tables count distinct firearms and incidents by firearm type, calibre, criminal context,
country and year (every seizure of a firearm counts in its own context, country and year).
"""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import results
from armsgraph.dates import year_of
from armsgraph.graph.store import GraphStore

__all__ = ["DEFINITION", "ESTABLISHED", "IAFQ_DIMENSIONS", "analyse", "iafq_tables", "sdg_16_4_2", "sdg_total"]

#: SDG 16.4.2 as computed here, in a sentence (shown next to the figure).
DEFINITION = (
    "Share of seized, found or surrendered firearms whose illicit origin was established by tracing: each firearm "
    "an incident seized counts once, in the country and year of its first seizure; its origin counts as "
    "established when a trace request was answered with a point of diversion or illicit manufacture "
    "(outcome traced, diverted, illicit manufacture or established) or its traced history marks the diversion."
)

#: Trace outcomes that establish an illicit origin (a point of diversion or illicit manufacture).
ESTABLISHED = frozenset({"traced", "diverted", "illicit manufacture", "established"})
IAFQ_DIMENSIONS = ("type", "calibre", "context", "country", "year")
SDG_COLUMNS = ["country", "year", "seized", "traced_origin_established", "share"]
TOTAL_COLUMNS = ["seized", "traced_origin_established", "share"]
FIREARM_COLUMNS = ["firearm", "type", "calibre", "status", "incident", "context", "country", "date"]


def _year(dates: pd.Series) -> pd.Series:
    return dates.map(lambda value: year_of(value) or "unknown")


def sdg_16_4_2(firearms: pd.DataFrame, origins: pd.DataFrame) -> pd.DataFrame:
    """Share of seized, found or surrendered firearms whose illicit origin was established by tracing.

    Parameters
    ----------
    firearms : DataFrame with firearm, incident, country, date (one row per seizure)
    origins : DataFrame with firearm, outcome (trace outcomes; ``diverted`` for a marked diversion)

    Returns
    -------
    DataFrame with country, year, seized, traced_origin_established, share.

    Examples
    --------
    >>> s = pd.DataFrame({"firearm": ["f1", "f2", "f1"], "incident": ["i1", "i2", "i3"],
    ...     "country": ["MEX", "MEX", "USA"], "date": ["2021-02", "2021-05", "2022"]})
    >>> o = pd.DataFrame({"firearm": ["f1", "f2"], "outcome": ["traced", "untraceable"]})
    >>> sdg_16_4_2(s, o).values.tolist()
    [['MEX', '2021', 2, 1, 0.5]]
    """
    if firearms.empty:
        return pd.DataFrame(columns=SDG_COLUMNS)
    first = (
        firearms.assign(sort_date=firearms["date"].fillna("9999"))
        .sort_values(["firearm", "sort_date", "incident"])
        .drop_duplicates("firearm")
    )
    established = set(origins.loc[origins["outcome"].isin(ESTABLISHED), "firearm"].dropna())
    first = first.assign(
        country=first["country"].fillna("unknown"),
        year=_year(first["date"]),
        origin=first["firearm"].isin(established),
    )
    table = (
        first.groupby(["country", "year"])
        .agg(seized=("firearm", "nunique"), traced_origin_established=("origin", "sum"))
        .reset_index()
    )
    table["traced_origin_established"] = table["traced_origin_established"].astype(int)
    table["share"] = (table["traced_origin_established"] / table["seized"]).round(4)
    return table.sort_values(["country", "year"], ignore_index=True)[SDG_COLUMNS]


def sdg_total(table: pd.DataFrame) -> pd.DataFrame:
    """SDG 16.4.2 over every country and year of :func:`sdg_16_4_2` (one row; share None when nothing was seized).

    Examples
    --------
    >>> t = pd.DataFrame({"seized": [2, 2], "traced_origin_established": [1, 0]})
    >>> sdg_total(t).to_dict("records")
    [{'seized': 4, 'traced_origin_established': 1, 'share': 0.25}]
    """
    seized = int(table["seized"].sum()) if len(table) else 0
    established = int(table["traced_origin_established"].sum()) if len(table) else 0
    share = round(established / seized, 4) if seized else None
    return pd.DataFrame([[seized, established, share]], columns=TOTAL_COLUMNS)


def iafq_tables(firearms: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Firearms and incidents by type, calibre, context, country and year (Illicit Arms Flows Questionnaire style).

    Returns ``iafq`` (long: dimension, value, firearms, incidents) and one ``iafq_by_<dimension>`` table each.

    Examples
    --------
    >>> s = pd.DataFrame({"firearm": ["f1", "f2", "f2"], "incident": ["i1", "i1", "i2"],
    ...     "type": ["pistol", "rifle", "rifle"], "calibre": ["9x19mm", None, None],
    ...     "context": ["terrorism", "terrorism", "organised crime"], "country": ["FRA"] * 3,
    ...     "date": ["2020-01-01", "2020-01-01", "2021-01-01"]})
    >>> iafq_tables(s)["iafq_by_context"].values.tolist()
    [['terrorism', 2, 1], ['organised crime', 1, 1]]
    """
    frame = firearms.assign(year=_year(firearms["date"]))
    out: dict[str, pd.DataFrame] = {}
    long = []
    for dimension in IAFQ_DIMENSIONS:
        values = frame[dimension].fillna("unknown").astype(str)
        table = (
            frame.assign(**{dimension: values})
            .groupby(dimension)
            .agg(firearms=("firearm", "nunique"), incidents=("incident", "nunique"))
            .reset_index()
            .sort_values(["firearms", dimension], ascending=[False, True], ignore_index=True)
        )
        out[f"iafq_by_{dimension}"] = table
        long.append(table.rename(columns={dimension: "value"}).assign(dimension=dimension))
    columns = ["dimension", "value", "firearms", "incidents"]
    out["iafq"] = pd.concat(long, ignore_index=True)[columns] if long else pd.DataFrame(columns=columns)
    return out


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """SDG 16.4.2 by country and year and in total, and the IAFQ tables, written as result rows (``seed`` unused)."""
    firearms = store.read("analytics_indicators_firearms").reindex(columns=FIREARM_COLUMNS)
    origins = store.read("analytics_indicators_origins").reindex(columns=["firearm", "basis", "outcome", "evidence"])
    sdg = sdg_16_4_2(firearms, origins)
    tables = {"sdg_16_4_2": sdg, "sdg_16_4_2_total": sdg_total(sdg), **iafq_tables(firearms)}
    results.save(store, tables)
    return tables
