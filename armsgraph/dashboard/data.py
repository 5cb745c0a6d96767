"""What the dashboard shows, as importable functions: named reads in, DataFrames out.

Every function takes the store first and is cached with ``st.cache_data`` (keyed by
the store's identity, not its connection, so tests with different stores never share
results). Pages call these and only lay out the results; there is no Cypher and no
business logic in a page. The one write (a review decision) clears the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, Protocol, TypeVar, cast

import pandas as pd
import streamlit as st

from armsgraph.access import SecureStore
from armsgraph.dashboard import geo
from armsgraph.graph.store import GraphStore, WriteSummary
from armsgraph.ingest import review

P = ParamSpec("P")
R = TypeVar("R")

CACHE_TTL_S = 120
#: Traced outcome that establishes a firearm's illicit origin (SDG 16.4.2 numerator).
TRACED = "traced"


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


def cached(func: Callable[P, R]) -> Callable[P, R]:
    """``st.cache_data`` with the store hashed by :func:`store_key`."""
    return st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, hash_funcs=_STORE_HASH)(func)


def clear_cache() -> None:
    """Forget every cached result (after a write, or in tests)."""
    st.cache_data.clear()


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
def sdg_16_4_2(store: Reader) -> pd.DataFrame:
    """Per year: seized firearms, those traced to an established illicit origin, and the share (SDG 16.4.2)."""
    frame = store.read("dashboard_trace_established")
    frame["firearms"] = frame["firearms"].astype(int)
    frame["traced"] = frame["traced"].fillna(0).astype(int)
    frame["share"] = frame["traced"] / frame["firearms"].where(frame["firearms"] > 0)
    return frame


def sdg_share(frame: pd.DataFrame) -> float | None:
    """The SDG 16.4.2 share over all years of :func:`sdg_16_4_2` (None when nothing was seized)."""
    total = int(frame["firearms"].sum()) if len(frame) else 0
    return float(frame["traced"].sum()) / total if total else None


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
    """Entities whose uid, name, serial or value contains ``text``."""
    if not text.strip():
        return pd.DataFrame(columns=["label", "uid", "caption"])
    return store.read("search_entities", text=text.strip(), limit=limit)


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
def clusters(store: Reader, limit: int = 500) -> pd.DataFrame:
    """Linked-incident clusters with their size, span, contexts and countries."""
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
def cluster_links(store: Reader, cluster: str) -> pd.DataFrame:
    """Each link inside one cluster: the rules that fired and the evidence (records) behind them."""
    frame = store.read("dashboard_cluster_links", cluster=cluster)
    for column in ("rules", "evidence", "sources"):
        frame[column] = frame[column].map(lambda v: "; ".join(str(x) for x in (v or [])))
    return frame


# -- routes, flows and hotspots ---------------------------------------------------------
def _with_coordinates(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    where = frame[column].map(geo.locate)
    frame[f"{column}_lat"] = where.map(lambda p: p[0] if p else None)
    frame[f"{column}_lon"] = where.map(lambda p: p[1] if p else None)
    return frame


@cached
def route_flows(store: Reader, limit: int = 500) -> pd.DataFrame:
    """Departure → destination flows (incidents, firearms, mode) with map coordinates of both ends."""
    frame = store.read("dashboard_route_flows", limit=limit)
    return _with_coordinates(_with_coordinates(frame, "departure"), "destination")


@cached
def incident_points(store: Reader, limit: int = 20_000) -> pd.DataFrame:
    """Incidents with coordinates, their context and hotspot."""
    return store.read("dashboard_incident_points", limit=limit)


def hotspot_summary(points: pd.DataFrame) -> pd.DataFrame:
    """Per hotspot: incidents, centre, first and last date, and the change between its two halves in time."""
    spots = points.dropna(subset=["hotspot"])
    columns = ["hotspot", "incidents", "lat", "lon", "first", "last", "trend"]
    if spots.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for name, group in spots.groupby("hotspot"):
        dates = group["date"].dropna().sort_values()
        half = len(dates) // 2
        trend = (len(dates) - half) - half  # later half minus earlier half
        rows.append([name, len(group), group["lat"].mean(), group["lon"].mean(), dates.min(), dates.max(), trend])
    return pd.DataFrame(rows, columns=columns).sort_values("incidents", ascending=False).reset_index(drop=True)


@cached
def hotspot_trend(store: Reader) -> pd.DataFrame:
    """Incidents per month and hotspot (incidents outside any hotspot are left out)."""
    points = incident_points(store)
    spots = points.dropna(subset=["hotspot", "date"])
    spots = spots.assign(month=spots["date"].str.slice(0, 7))
    return spots.groupby(["month", "hotspot"]).size().rename("incidents").reset_index()


# -- tracing ----------------------------------------------------------------------------
@cached
def trace_requests(store: Reader, limit: int = 20_000) -> pd.DataFrame:
    """Trace requests with their response time in days (sent → answered)."""
    frame = store.read("dashboard_trace_requests", limit=limit)
    frame["response_days"] = _days(frame["sent"], frame["answered"])
    return frame


def trace_summary(requests: pd.DataFrame) -> dict[str, float | int | None]:
    """Requests, answered share and median response time of a :func:`trace_requests` frame."""
    answered = requests["answered"].notna()
    days = requests["response_days"].dropna()
    return {
        "requests": len(requests),
        "answered_share": float(answered.mean()) if len(requests) else None,
        "median_response_days": float(days.median()) if len(days) else None,
        "traced": int((requests["outcome"] == TRACED).sum()),
    }


@cached
def diversion_points(store: Reader, limit: int = 100) -> pd.DataFrame:
    """Parties firearms were diverted from, most firearms first."""
    return store.read("dashboard_diversion_points", limit=limit)


@cached
def time_to_crime(store: Reader, limit: int = 20_000) -> pd.DataFrame:
    """Per traced firearm: last legal transfer, first recovery and the days between (time-to-crime)."""
    frame = store.read("dashboard_time_to_crime", limit=limit)
    frame["first_recovered"] = frame["recovered"].map(lambda dates: min(d for d in dates if d))
    frame["days"] = _days(frame["last_legal"], frame["first_recovered"])
    return frame.drop(columns=["recovered"])


# -- nexus, timeline, cases -------------------------------------------------------------
@cached
def nexus_bridges(store: Reader, limit: int = 500) -> pd.DataFrame:
    """Entities tied to incidents of more than one context, most contexts first."""
    frame = store.read("dashboard_nexus_bridges", limit=limit)
    frame["contexts"] = frame["contexts"].map(lambda c: sorted(c))
    return frame


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


@cached
def incidents_in_contexts(store: Reader, contexts: tuple[str, ...], limit: int = 200) -> pd.DataFrame:
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


# -- review -----------------------------------------------------------------------------
@cached
def possibly_same(store: Reader, statuses: tuple[str, ...] = ("pending",), limit: int = 500) -> pd.DataFrame:
    """Entity-resolution candidates in the given statuses, best score first (the ingest's review list)."""
    return review.list_candidates(_as_store(store), statuses, limit)


def decide(store: Reader, candidate: Mapping[Any, Any], status: str, user: str) -> int:
    """Record an analyst's decision (accepted / rejected) on one candidate through the ingest's review."""
    decided = review.decide(_as_store(store), candidate["left_uid"], candidate["right_uid"], status, decided_by=user)
    clear_cache()
    return decided


def matching(candidates: pd.DataFrame, text: str) -> pd.DataFrame:
    """The candidates whose names or uids on either side contain ``text`` (case-insensitive)."""
    if not text.strip():
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
