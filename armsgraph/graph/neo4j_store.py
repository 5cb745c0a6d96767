"""Neo4jStore: Neo4j 5 through the official driver over Bolt.

Reads run in read transactions and writes in write transactions through the
driver's managed ``execute_query`` (which retries transient failures, safe
because every write is an idempotent MERGE). Connection and query timeouts come
from settings; credentials only from settings/environment.

What comes back is made plain and shaped like the embedded store's values
(:func:`plain_value`): nodes and relationships as property dicts with ``_labels``
/ ``_type``, paths as their nodes, temporal values as ISO-8601 strings, WGS-84
points as ``{latitude, longitude}`` (FalkorDB's shape), all of it inside lists and
maps too.
"""

from __future__ import annotations

from typing import Any

import neo4j
import neo4j.graph
import neo4j.spatial
import neo4j.time
import pandas as pd
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from armsgraph.errors import QueryTimeoutError, StoreError, StoreUnavailableError
from armsgraph.graph import dialect, queries
from armsgraph.graph.model import GraphModel
from armsgraph.graph.store import GraphStore, WriteSummary
from armsgraph.settings import Settings


class Neo4jStore(GraphStore):
    """A Neo4j 5 database (``docker compose up neo4j``, Aura or a cluster)."""

    kind = "neo4j"
    dialect = dialect.NEO4J

    def __init__(self, settings: Settings, model: GraphModel | None = None) -> None:
        super().__init__(settings, model)
        if not settings.neo4j_password:
            raise StoreUnavailableError("no Neo4j password: set NEO4J_PASSWORD (or ARMSGRAPH_NEO4J_PASSWORD / _FILE)")
        self._driver = GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password),
            connection_timeout=settings.connect_timeout_s,
            max_transaction_retry_time=settings.connect_timeout_s * 2,
        )
        try:
            self._driver.verify_connectivity()
        except AuthError as exc:
            self._driver.close()
            raise StoreUnavailableError(f"Neo4j at {settings.neo4j_uri} refused the credentials") from exc
        except (ServiceUnavailable, OSError, ValueError) as exc:
            self._driver.close()
            raise StoreUnavailableError(f"Neo4j at {settings.neo4j_uri} cannot be reached: {exc}") from exc

    def _run(
        self, text: str, params: dict[str, Any], routing: RoutingControl, timeout_s: float | None = None
    ) -> neo4j.EagerResult:
        """One statement in a transaction the server ends after ``timeout_s`` (default ``query_timeout_s``)."""
        query = neo4j.Query(text, timeout=self.settings.query_timeout_s if timeout_s is None else timeout_s)
        try:
            return self._driver.execute_query(query, params, routing_=routing, database_=self.settings.neo4j_database)
        except ServiceUnavailable as exc:
            raise StoreUnavailableError(f"Neo4j unavailable: {exc}") from exc
        except Neo4jError as exc:
            kind = QueryTimeoutError if "TimedOut" in (exc.code or "") else StoreError
            raise kind(f"Neo4j refused the statement: {exc.message or exc}") from exc

    def apply_schema(self) -> None:
        for text in dialect.neo4j_schema(self.model):
            self._run(text, {}, RoutingControl.WRITE)

    def _read(
        self, text: str, params: dict[str, Any], timeout_s: float | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        return read_rows(self._run(text, params, RoutingControl.READ, timeout_s))

    def _send(self, payload: Any) -> WriteSummary:
        text, params = payload
        return write_summary(self._run(text, params, RoutingControl.WRITE))

    def call(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named statement that both changes state and returns rows (GDS procedures), as a DataFrame.

        It runs in a write transaction routed to the writer: a GDS graph lives in the catalog of the
        member that projected it, so every step of one analysis must reach the same member.
        """
        queries.check_params(params)
        text = dialect.statement(name, self.dialect)
        columns, rows = read_rows(
            self._run(text, {k: dialect.plain(v) for k, v in params.items()}, RoutingControl.WRITE)
        )
        return pd.DataFrame(rows, columns=columns)

    def close(self) -> None:
        self._driver.close()


def read_rows(result: neo4j.EagerResult) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows of plain values from a read's result."""
    return list(result.keys), [[plain_value(v) for v in record.values()] for record in result.records]


def write_summary(result: neo4j.EagerResult) -> WriteSummary:
    """The store-neutral summary of a write: the server's counters and the statement's ``matched`` column."""
    counters = result.summary.counters
    matched = 0
    if list(result.keys) == ["matched"] and result.records and result.records[0][0] is not None:
        matched = int(result.records[0][0])
    return WriteSummary(
        nodes_created=counters.nodes_created,
        relationships_created=counters.relationships_created,
        properties_set=counters.properties_set,
        nodes_deleted=counters.nodes_deleted,
        relationships_deleted=counters.relationships_deleted,
        matched=matched,
    )


def _point(value: neo4j.spatial.Point) -> dict[str, float]:
    """A point as FalkorDB returns one (WGS-84 2D: latitude/longitude), else its coordinates and SRID."""
    if isinstance(value, neo4j.spatial.WGS84Point) and len(value) == 2:
        return {"latitude": float(value.latitude), "longitude": float(value.longitude)}
    return {**dict(zip("xyz", (float(c) for c in value), strict=False)), "srid": float(value.srid or 0)}


def plain_value(value: Any) -> Any:
    """A driver value as plain Python, shaped like the embedded store's.

    Nodes become their properties plus ``_labels`` (sorted), relationships their properties plus
    ``_type``, paths the list of their nodes; ``neo4j.time`` dates as ``YYYY-MM-DD``, date-times and
    times as Python's ISO format (microseconds: Python's precision), durations as ISO-8601
    (``P1DT2H``); points as maps. Lists and maps are converted element by element, property values
    of nodes and relationships included. Integers, floats, strings, booleans and None pass unchanged.
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship | neo4j.graph.Path):
        return _graph_value(value)
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration):
        return _temporal(value)
    if isinstance(value, neo4j.spatial.Point):
        return _point(value)
    if isinstance(value, list | tuple):  # after Duration and Point, which are tuples
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return value


def _graph_value(value: neo4j.graph.Node | neo4j.graph.Relationship | neo4j.graph.Path) -> Any:
    """A node as its properties and ``_labels``, a relationship as its properties and ``_type``, a path as its nodes."""
    if isinstance(value, neo4j.graph.Path):
        return [plain_value(n) for n in value.nodes]
    properties = {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Node):
        return {**properties, "_labels": sorted(value.labels)}
    return {**properties, "_type": value.type}


def _temporal(value: neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration) -> str:
    """A date as ``YYYY-MM-DD``, a duration as ISO-8601, a date-time or time as Python's ISO format."""
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Time):
        return value.to_native().isoformat()
    return value.iso_format()
