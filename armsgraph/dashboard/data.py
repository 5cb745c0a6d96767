"""What the dashboard shows, as importable functions: named reads in, DataFrames out.

Every function takes the store first and is cached with ``st.cache_data`` (keyed by
the store's identity, not its connection, so tests with different stores never share
results). Pages call these and only lay out the results; there is no Cypher and no
business logic in a page. The one write (a review decision) clears the cache.

Every call by a user (a :class:`armsgraph.access.SecureStore`) of these functions, and of the
figures built on them (:func:`shared`), is written to the audit log as a ``view`` of
``data.<function>`` (``charts.<figure>``, …) with its arguments, whether the result comes from the
store or from the cache; the named queries behind a result computed afresh are logged by the
SecureStore itself (``query``).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar, cast

import numpy as np
import pandas as pd
import streamlit as st

from armsgraph import audit
from armsgraph.access import SecureStore
from armsgraph.analytics import indicators, results
from armsgraph.dashboard import geo
from armsgraph.graph.store import GraphStore, WriteSummary
from armsgraph.ingest import review

P = ParamSpec("P")
R = TypeVar("R")

CACHE_TTL_S = 120
#: Located incidents a map draws one by one; beyond this it draws grid cells (incidents per cell and context).
MAP_POINTS_MAX = 2_000
#: Side of a map grid cell in degrees (~28 km at the equator, about a hotspot's 25 km radius).
MAP_CELL_DEGREES = 0.25
#: Rows a page lists in a table; when there are more the page says "showing N of M".
TABLE_ROWS = 1_000
#: Clusters listed on the Linked incidents page (the largest; the metrics count them all).
CLUSTER_ROWS = 500
#: Links of one cluster read for its table and picture (the strongest; the page says how many there are).
CLUSTER_LINKS = 5_000
#: Entity-resolution candidates read for the Review page (the best scores; its filter searches these).
REVIEW_ROWS = 500
#: Points of diversion listed (most diverted firearms first).
DIVERSION_ROWS = 100
#: Incidents of a context offered as the end of a nexus path (the newest).
CONTEXT_INCIDENTS = 200
#: Series a line chart draws (the largest); the page says how many there are.
TOP_SERIES = 10
#: Groups a stacked chart colours one by one (plotly's palette has 10 colours); the rest are one "other".
TOP_GROUPS = 9
#: Bins of a histogram computed here (the browser then draws ~30 bars, not every value).
HISTOGRAM_BINS = 30
#: Row limit of row-level reads that a page summarises (counts, medians, histograms): far above any graph
#: the dashboard serves, so every row counts; a result of exactly this size would be flagged as truncated.
ALL_ROWS = 10_000_000


class Reader(Protocol):
    """A store, or a store seen through a user's rights (:class:`armsgraph.access.SecureStore`)."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...

    def write(self, name: str, **params: Any) -> WriteSummary: ...


def store_key(store: GraphStore | SecureStore) -> str:
    """What identifies what a reader sees, for caching: store kind, location, graph and principal."""
    if isinstance(store, SecureStore):
        who = store.principal
        return f"{store_key(store.store)}|{who.user}|{who.role}|{who.clearance}|{','.join(sorted(who.cases))}"
    where = store.settings.neo4j_uri if store.kind == "neo4j" else str(store.settings.data_dir)
    return f"{store.kind}|{where}|{store.settings.graph_name}"


_STORE_HASH: dict[str | type, Callable[[Any], Any]] = {
    "armsgraph.graph.embedded.EmbeddedStore": store_key,
    "armsgraph.graph.neo4j_store.Neo4jStore": store_key,
    "armsgraph.access.SecureStore": store_key,
}


class _Depth(threading.local):
    """How deep this thread is in audited calls (a cached function calling another is one view, not two)."""

    value = 0


_DEPTH = _Depth()
VIEW = "view"


def audited(func: Callable[P, R], served: Callable[P, R]) -> Callable[P, R]:
    """``served`` (``func`` behind a cache) with every outermost call by a user recorded in the audit log.

    The entry is written before the result is looked up, so a result served from the cache is
    recorded like one computed afresh (and a refused one too): who (the SecureStore's principal),
    what (``<module>.<function>``, e.g. ``data.clusters``) and with which arguments (defaults
    included, the store left out). Calls made while computing another audited result are part of
    that view and not recorded again. A plain GraphStore (tests, the CLI) records nothing.
    """
    signature = inspect.signature(func)
    target = f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"

    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _DEPTH.value
        if not outer:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            store, *_ = bound.arguments.values()
            if isinstance(store, SecureStore) and store.audit_dir is not None:
                params = dict(list(bound.arguments.items())[1:])
                audit.record(store.audit_dir, store.principal.user, store.principal.role, VIEW, target, params)
        _DEPTH.value = outer + 1
        try:
            return served(*args, **kwargs)
        finally:
            _DEPTH.value = outer

    return call


def cached(func: Callable[P, R]) -> Callable[P, R]:
    """``st.cache_data`` with the store hashed by :func:`store_key`; every call audited (:func:`audited`)."""
    return audited(func, st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, hash_funcs=_STORE_HASH)(func))


_SHARED: list[Any] = []


def shared(func: Callable[P, R]) -> Callable[P, R]:
    """Like :func:`cached`, but the one result object is handed to every caller instead of a copy.

    For results that are only read, never changed — the pages' figures: a cache hit then costs
    nothing, where :func:`cached` unpickles a copy (~0.05 s per figure).
    """
    wrapped = st.cache_resource(ttl=CACHE_TTL_S, show_spinner=False, hash_funcs=_STORE_HASH)(func)
    _SHARED.append(wrapped)
    return audited(func, wrapped)


def clear_cache() -> None:
    """Forget every cached result (after a write, or in tests)."""
    st.cache_data.clear()
    for func in _SHARED:
        func.clear()


def _days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole days between two columns of ISO dates (partial or missing dates give NaN)."""
    first = pd.to_datetime(start, errors="coerce", format="ISO8601")
    last = pd.to_datetime(end, errors="coerce", format="ISO8601")
    return (last - first).dt.days


# -- overview ---------------------------------------------------------------------------
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


# -- network explorer -------------------------------------------------------------------
@cached
def search(store: Reader, text: str, limit: int = 25) -> pd.DataFrame:
    """Entities whose uid, name, serial or value contains ``text``; ``about`` tells namesakes apart (date of
    birth, nationality, aliases, incidents and cases; make, type and calibre of a firearm)."""
    if not text.strip():
        return pd.DataFrame(columns=["label", "uid", "caption", "about"])
    frame = store.read("search_entities", text=text.strip(), limit=limit)
    profiled = frame.loc[frame["label"].isin(list(REVIEW_FIELDS)), "uid"].tolist()
    profiles = store.read("entity_profiles", uids=profiled) if profiled else pd.DataFrame(columns=["uid"])
    about = {row["uid"]: profile_text(row) for row in profiles.to_dict("records")}
    frame["about"] = frame["uid"].map(about)
    return frame


def profile_text(row: Mapping[Any, Any]) -> str:
    """ "born 1980-01-02 · MEX · alias El Flaco · 3 incidents · 1 case" from an ``entity_profiles`` row."""
    props = row.get("props") or {}
    parts = [
        f"born {props['date_of_birth']}" if props.get("date_of_birth") else "",
        _shown(props.get("nationality") or props.get("country")),
        f"alias {_shown(props.get('aliases'))}" if _shown(props.get("aliases")) else "",
        " ".join(_shown(props.get(k)) for k in ("make", "type", "calibre") if _shown(props.get(k))),
        _shown(props.get("kind")),
    ]
    for name, count in (("incident", row.get("incidents")), ("case", row.get("cases"))):
        if isinstance(count, int | float) and count == count:
            parts.append(f"{int(count)} {name}{'s' if int(count) != 1 else ''}")
    return " · ".join(p for p in parts if p)


@cached
def entity(store: Reader, uid: str) -> dict[str, Any]:
    """One entity's label and properties (empty when unknown)."""
    frame = store.read("entity", uid=uid)
    if frame.empty:
        return {}
    row = frame.iloc[0]
    return {"label": row["label"], "uid": row["uid"], **dict(row["properties"])}


@cached
def neighbours(store: Reader, uid: str, limit: int = 200) -> pd.DataFrame:
    """Direct neighbours of ``uid`` with the joining relationship."""
    return store.read("neighbours", uid=uid, limit=limit)


@cached
def shortest_path(store: Reader, source: str, target: str, max_hops: int = 6) -> pd.DataFrame:
    """The nodes of one shortest undirected path (uid, label, the relationship reaching it); empty when none."""
    frame = store.read("shortest_path", source=source, target=target, max_hops=max_hops)
    if frame.empty:
        return pd.DataFrame(columns=["uid", "label", "via"])
    row = frame.iloc[0]
    return pd.DataFrame({"uid": row["uids"], "label": row["labels"], "via": [None, *row["types"]]})


@cached
def node_details(store: Reader, uids: tuple[str, ...]) -> pd.DataFrame:
    """Label, caption, community, context and main role of each node (one row per uid)."""
    columns = ["uid", "label", "caption", "community", "context", "role", "date"]
    if not uids:
        return pd.DataFrame(columns=columns)
    frame = store.read("dashboard_node_details", uids=list(uids))
    frame["role"] = frame["roles"].map(lambda roles: ", ".join(sorted(roles)) if roles else None)
    frame["community"] = frame["community"].map(lambda c: None if pd.isna(c) else f"community {int(c)}")
    return frame[columns].drop_duplicates("uid").reset_index(drop=True)


@cached
def edges_among(store: Reader, uids: tuple[str, ...]) -> pd.DataFrame:
    """Relationships between the given nodes."""
    if not uids:
        return pd.DataFrame(columns=["source", "type", "target", "role"])
    return store.read("dashboard_edges_among", uids=list(uids))


# -- linked incidents -------------------------------------------------------------------
@cached
def clusters(store: Reader, limit: int = CLUSTER_ROWS) -> pd.DataFrame:
    """The ``limit`` largest linked-incident clusters with their size, span, contexts and countries."""
    frame = store.read("dashboard_clusters", limit=limit)
    frame["first"] = frame["dates"].map(lambda d: min((x for x in d if x), default=None))
    frame["last"] = frame["dates"].map(lambda d: max((x for x in d if x), default=None))
    frame["contexts"] = frame["contexts"].map(lambda c: ", ".join(sorted(set(c))))
    frame["countries"] = frame["countries"].map(lambda c: ", ".join(sorted({x for x in c if x})))
    return frame.drop(columns=["dates"])


@cached
def cluster_incidents(store: Reader, cluster: str) -> pd.DataFrame:
    """The incidents of one cluster, with their source records."""
    frame = store.read("dashboard_cluster_incidents", cluster=cluster)
    frame["sources"] = frame["sources"].map(lambda s: "; ".join(s or []))
    return frame


@cached
def cluster_links(store: Reader, cluster: str, limit: int = CLUSTER_LINKS) -> pd.DataFrame:
    """The ``limit`` strongest links inside one cluster: the rules that fired and the evidence (records) behind them."""
    frame = store.read("dashboard_cluster_links", cluster=cluster, limit=limit)
    for column in ("rules", "evidence", "sources"):
        frame[column] = frame[column].map(lambda v: "; ".join(str(x) for x in (v or [])))
    return frame


@cached
def cluster_link_count(store: Reader, cluster: str) -> int:
    """How many links lie inside one cluster (:func:`cluster_links` returns the strongest of them)."""
    frame = store.read("dashboard_cluster_link_count", cluster=cluster)
    return int(frame["links"].iloc[0]) if len(frame) else 0


# -- routes, flows and hotspots ---------------------------------------------------------
def _with_coordinates(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    where = frame[column].map(geo.locate)
    frame[f"{column}_lat"] = where.map(lambda p: p[0] if p else None)
    frame[f"{column}_lon"] = where.map(lambda p: p[1] if p else None)
    return frame


@cached
def route_flows(store: Reader, limit: int = ALL_ROWS) -> pd.DataFrame:
    """Departure → destination flows (incidents, firearms, mode) with map coordinates of both ends."""
    frame = store.read("dashboard_route_flows", limit=limit)
    return _with_coordinates(_with_coordinates(frame, "departure"), "destination")


@cached
def incident_points(store: Reader, limit: int = MAP_POINTS_MAX) -> pd.DataFrame:
    """Located incidents, one row each: date, coordinates, country, context and hotspot (no record ids)."""
    return store.read("dashboard_incident_points", limit=limit)


@dataclass(frozen=True)
class IncidentMap:
    """What a map of located incidents draws: one point per incident, or per grid cell and context when dense.

    ``points`` has lat, lon, context and incidents (1 per incident; date, country and hotspot too when
    ``per_incident``); ``located`` and ``in_hotspot`` count every located incident either way.
    """

    points: pd.DataFrame
    per_incident: bool
    located: int
    in_hotspot: int
    cell_degrees: float


@cached
def incident_map(store: Reader, max_points: int = MAP_POINTS_MAX, cell: float = MAP_CELL_DEGREES) -> IncidentMap:
    """Located incidents for a map: each one up to ``max_points``, else counts per ``cell``-degree cell and context."""
    cells = store.read("dashboard_incident_cells", cell=cell)
    located, in_hotspot = int(cells["incidents"].sum()), int(cells["in_hotspot"].sum())
    if located <= max_points:
        points = incident_points(store, limit=max_points).assign(incidents=1)
        return IncidentMap(points, True, located, in_hotspot, cell)
    return IncidentMap(cells, False, located, in_hotspot, cell)


@cached
def hotspots(store: Reader) -> pd.DataFrame:
    """Per hotspot, largest first: incidents, centre of its located incidents, first and last date, and trend.

    The trend is the analytics' own (``Cluster.score``: least-squares slope of incidents per month).
    """
    return store.read("dashboard_hotspots")


@cached
def hotspot_trend(store: Reader, top: int = TOP_SERIES) -> pd.DataFrame:
    """Incidents per month of the ``top`` largest hotspots, every month of each one's span listed (see
    :func:`every_month`). Incidents outside any hotspot are left out.
    """
    months = store.read("dashboard_hotspot_months")
    largest = hotspots(store)["hotspot"].head(top)
    return every_month(months[months["hotspot"].isin(largest)], "hotspot")


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


# -- tracing ----------------------------------------------------------------------------
@cached
def trace_requests(store: Reader, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """The newest ``limit`` trace requests, with their response time in days (sent → answered)."""
    frame = store.read("dashboard_trace_requests", limit=limit)
    frame["response_days"] = _days(frame["sent"], frame["answered"])
    return frame


def _repeat(frame: pd.DataFrame, counts: str) -> pd.DataFrame:
    """One row per counted item of an aggregate (``counts`` says how many each row stands for)."""
    return frame.loc[frame.index.repeat(frame[counts].astype(int))].reset_index(drop=True)


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
    answered = _repeat(results.load(store, "trace_response_days", ["requested_state", "days", "requests"]), "requests")
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
    days = _repeat(counts, "firearms")["days"].astype(float)
    return TimeToCrime(len(days), float(days.median()) if len(days) else None, histogram(days))


# -- nexus, timeline, cases -------------------------------------------------------------
@cached
def nexus_bridges(store: Reader) -> pd.DataFrame:
    """Entities tied to incidents of more than one context, most contexts first, then most incidents."""
    frame = store.read("dashboard_nexus_bridges")
    frame["contexts"] = frame["contexts"].map(lambda c: sorted(c))
    frame["_contexts"] = frame["contexts"].map(len)
    frame = frame.sort_values(["_contexts", "incidents", "uid"], ascending=[False, False, True], ignore_index=True)
    return frame.drop(columns=["_contexts"])


def nexus_matrix(bridges: pd.DataFrame) -> pd.DataFrame:
    """Context × context: how many bridging entities tie incidents of both contexts."""
    pairs: dict[tuple[str, str], int] = {}
    for contexts in bridges["contexts"]:
        for i, a in enumerate(contexts):
            for b in contexts[i + 1 :]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
                pairs[(b, a)] = pairs.get((b, a), 0) + 1
    names = sorted({c for contexts in bridges["contexts"] for c in contexts})
    return pd.DataFrame([[pairs.get((a, b), 0) for b in names] for a in names], index=names, columns=names)


@dataclass(frozen=True)
class NexusOverview:
    """The Nexus page's summary of every bridging entity, and the first ``TABLE_ROWS`` of them to list."""

    bridges: int
    touching_terrorism: int
    contexts: list[str]
    matrix: pd.DataFrame
    top: pd.DataFrame  # most contexts first, contexts joined with ", "


@cached
def nexus_overview(store: Reader, rows: int = TABLE_ROWS) -> NexusOverview:
    """Counts, context × context matrix and the top ``rows`` of all :func:`nexus_bridges`."""
    bridges = nexus_bridges(store)
    contexts = sorted({c for cs in bridges["contexts"] for c in cs})
    terror = int(bridges["contexts"].map(lambda c: "terrorism" in c).sum()) if len(bridges) else 0
    top = bridges.head(rows).assign(contexts=lambda f: f["contexts"].map(", ".join)).reset_index(drop=True)
    return NexusOverview(len(bridges), terror, contexts, nexus_matrix(bridges), top)


@cached
def incidents_in_contexts(store: Reader, contexts: tuple[str, ...], limit: int = CONTEXT_INCIDENTS) -> pd.DataFrame:
    """Incidents of the given contexts, newest first."""
    return store.read("dashboard_incidents_by_context", contexts=list(contexts), limit=limit)


@cached
def entity_timeline(store: Reader, uid: str, limit: int = 2_000) -> pd.DataFrame:
    """Incidents within two hops of an entity, in date order."""
    frame = store.read("dashboard_entity_timeline", uid=uid, limit=limit)
    frame["when"] = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    return frame


@cached
def cases(store: Reader, limit: int = 1_000) -> pd.DataFrame:
    """Cases with status and the number of incidents and persons they concern."""
    return store.read("dashboard_cases", limit=limit)


@cached
def case_brief(store: Reader, case_uid: str) -> Any:
    """The linked-case brief of one case (:func:`armsgraph.reports.brief.build_brief`), once per store and case."""
    from armsgraph.reports.brief import build_brief  # imported when first used: fpdf2 and jinja2 load with it

    return build_brief(store, case_uid)


# -- review -----------------------------------------------------------------------------
@cached
def possibly_same(store: Reader, statuses: tuple[str, ...] = ("pending",), limit: int = REVIEW_ROWS) -> pd.DataFrame:
    """Entity-resolution candidates in the given statuses, best score first (the ingest's review list)."""
    return review.list_candidates(_as_store(store), statuses, limit)


@cached
def candidate_count(store: Reader, statuses: tuple[str, ...] = ("pending",)) -> int:
    """How many entity-resolution candidates have one of the given statuses (:func:`possibly_same` lists the best)."""
    frame = store.read("dashboard_review_count", statuses=list(statuses))
    return int(frame["candidates"].iloc[0]) if len(frame) else 0


#: The fields entity resolution compares, per label, in the order a review card lists them.
REVIEW_FIELDS = {
    "Person": ("name", "aliases", "date_of_birth", "nationality"),
    "Organisation": ("name", "kind", "country"),
    "Firearm": ("serial", "make", "model", "type", "calibre", "country_of_manufacture"),
}


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    return str(value)


@cached
def candidate_fields(store: Reader, label: str, left: str, right: str) -> pd.DataFrame:
    """One review candidate side by side: field, left, right and whether they agree (same / differs / one missing),
    the compared fields first, then the record ids and how many incidents and cases each side is tied to."""
    frame = store.read("entity_profiles", uids=[left, right])
    sides = {row["uid"]: row for row in frame.to_dict("records")}
    a, b = sides.get(left, {}), sides.get(right, {})
    rows = []
    for name in REVIEW_FIELDS.get(label, ("name",)):
        x, y = _shown((a.get("props") or {}).get(name)), _shown((b.get("props") or {}).get(name))
        agree = (
            "—"
            if not x and not y
            else "one missing"
            if not x or not y
            else "same"
            if x.casefold() == y.casefold()
            else "differs"
        )
        rows.append((name.replace("_", " "), x, y, agree))
    ids = [
        _shown([str(r).split("/", 1)[-1] for r in (side.get("props") or {}).get("record_ids") or []]) for side in (a, b)
    ]
    rows.append(("records", ids[0], ids[1], ""))
    rows.append(("incidents", _shown(a.get("incidents")), _shown(b.get("incidents")), ""))
    if label != "Firearm":
        rows.append(("cases", _shown(a.get("cases")), _shown(b.get("cases")), ""))
    return pd.DataFrame(rows, columns=["field", "left", "right", "agree"])


def decide(store: Reader, candidate: Mapping[Any, Any], status: str, user: str) -> int:
    """Record an analyst's decision (accepted / rejected) on one candidate through the ingest's review."""
    decided = review.decide(_as_store(store), candidate["left_uid"], candidate["right_uid"], status, decided_by=user)
    clear_cache()
    return decided


def matching(candidates: pd.DataFrame, text: str) -> pd.DataFrame:
    """The candidates whose names or uids on either side contain ``text`` (case-insensitive)."""
    if not text.strip() or candidates.empty:  # an empty frame's row-wise join is a frame, not text
        return candidates
    columns = ["left_uid", "left_name", "right_uid", "right_name"]
    hay = candidates[columns].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
    return candidates[hay.str.contains(text.strip().lower(), regex=False)]


def _as_store(store: Reader) -> GraphStore:
    """A reader where a GraphStore is typed: a SecureStore offers the same read/write and enforces rights."""
    return cast(GraphStore, store)


def as_tuple(values: Sequence[str]) -> tuple[str, ...]:
    """A sorted, duplicate-free tuple (a stable cache key for a set of uids)."""
    return tuple(sorted(set(values)))
