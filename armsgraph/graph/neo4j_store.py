"""Neo4jStore: Neo4j 5 through the official driver over Bolt.

Reads run in read transactions and writes in write transactions through the
driver's managed ``execute_query`` (which retries transient failures, safe
because every write is an idempotent MERGE). Connection and query timeouts come
from settings; credentials only from settings/environment.
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from armsgraph.errors import StoreError, StoreUnavailableError
from armsgraph.graph import dialect
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

    def _run(self, text: str, params: dict[str, Any], routing: RoutingControl) -> neo4j.EagerResult:
        query = neo4j.Query(text, timeout=self.settings.query_timeout_s)
        try:
            return self._driver.execute_query(query, params, routing_=routing, database_=self.settings.neo4j_database)
        except ServiceUnavailable as exc:
            raise StoreUnavailableError(f"Neo4j unavailable: {exc}") from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused the statement: {exc.message or exc}") from exc

    def apply_schema(self) -> None:
        for text in dialect.neo4j_schema(self.model):
            self._run(text, {}, RoutingControl.WRITE)

    def _read(self, text: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        result = self._run(text, params, RoutingControl.READ)
        return list(result.keys), [[_plain(v) for v in record.values()] for record in result.records]

    def _send(self, payload: Any) -> WriteSummary:
        text, params = payload
        result = self._run(text, params, RoutingControl.WRITE)
        counters = result.summary.counters
        matched = 0
        if list(result.keys) == ["matched"] and result.records:
            matched = int(result.records[0][0])
        return WriteSummary(
            nodes_created=counters.nodes_created,
            relationships_created=counters.relationships_created,
            properties_set=counters.properties_set,
            nodes_deleted=counters.nodes_deleted,
            relationships_deleted=counters.relationships_deleted,
            matched=matched,
        )

    def close(self) -> None:
        self._driver.close()


def _plain(value: Any) -> Any:
    """Driver values as plain Python, shaped like the embedded store's."""
    if isinstance(value, neo4j.graph.Node):
        return {**dict(value), "_labels": sorted(value.labels)}
    if isinstance(value, neo4j.graph.Relationship):
        return {**dict(value), "_type": value.type}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
