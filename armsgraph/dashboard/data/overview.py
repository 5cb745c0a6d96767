"""Overview and Indicators: headline counts, SDG 16.4.2 and the IAFQ tables, incidents by month, country and type."""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import indicators, results
from armsgraph.dashboard.data.cache import Reader, cached


@cached
def graph_counts(store: Reader) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    nodes, rels = store.read("node_counts"), store.read("relationship_counts")
    out = {str(k): int(v) for k, v in zip(nodes["label"], nodes["count"], strict=True)}
    out.update({str(k): int(v) for k, v in zip(rels["type"], rels["count"], strict=True)})
    return out


@cached
def sdg_table(store: Reader) -> pd.DataFrame:
    """SDG 16.4.2 by country and year as the indicators analysis wrote it (country, year, seized,
    traced_origin_established, share); empty until ``armsgraph analyse`` ran."""
    return results.load(store, "sdg_16_4_2", indicators.SDG_COLUMNS)


@cached
def sdg_16_4_2(store: Reader) -> pd.DataFrame:
    """Per year: seized firearms, those whose illicit origin tracing established, and the share (SDG 16.4.2),
    summed over countries from the indicators analysis' own table (:func:`sdg_table`)."""
    table = sdg_table(store)
    frame = (
        table.assign(year=table["year"].astype(str))
        .groupby("year", as_index=False)[["seized", "traced_origin_established"]]
        .sum()
        .rename(columns={"seized": "firearms", "traced_origin_established": "traced"})
        .astype({"firearms": int, "traced": int})
    )
    frame["share"] = frame["traced"] / frame["firearms"].where(frame["firearms"] > 0)
    return frame


def sdg_share(frame: pd.DataFrame) -> float | None:
    """The SDG 16.4.2 share over all years of :func:`sdg_16_4_2` (None when nothing was seized)."""
    total = int(frame["firearms"].sum()) if len(frame) else 0
    return float(frame["traced"].sum()) / total if total else None


@cached
def iafq(store: Reader) -> dict[str, pd.DataFrame]:
    """The IAFQ-shaped tables the indicators analysis wrote: ``iafq_by_<dimension>`` (value, firearms, incidents)."""
    return {
        dimension: results.load(store, f"iafq_by_{dimension}", [dimension, "firearms", "incidents"])
        for dimension in indicators.IAFQ_DIMENSIONS
    }


@cached
def linked_summary(store: Reader) -> dict[str, int]:
    """Number of linked-incident clusters and of incidents in them."""
    frame = store.read("dashboard_linked_summary")
    return {k: int(frame.iloc[0][k]) if len(frame) else 0 for k in ("clusters", "incidents")}


@cached
def incidents_by_month(store: Reader) -> pd.DataFrame:
    """Incidents per month and context."""
    return store.read("dashboard_incidents_by_month")


@cached
def firearms_by_type(store: Reader) -> pd.DataFrame:
    """Seized firearms per type and manufacture mode."""
    return store.read("dashboard_firearms_by_type")


@cached
def incidents_by_country(store: Reader) -> pd.DataFrame:
    """Incidents and seized firearms per country."""
    return store.read("dashboard_incidents_by_country")
