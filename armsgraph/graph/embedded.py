"""EmbeddedStore: FalkorDB started and stopped by armsgraph itself.

The server process of a data directory is :class:`armsgraph.graph.embedded_server.EmbeddedServer`;
this module is the store on top of it: named statements with their parameters in the
``CYPHER`` header, results as plain values.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Collection
from typing import Any

import orjson
import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as FalkorPath

from armsgraph.errors import QueryTimeoutError, StoreError, StoreUnavailableError
from armsgraph.graph import dialect
from armsgraph.graph.embedded_server import EmbeddedServer
from armsgraph.graph.model import GraphModel
from armsgraph.graph.store import GraphStore, WriteSummary
from armsgraph.settings import Settings

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _map_keys(value: Any, out: set[Any]) -> set[Any]:
    """Every map key inside ``value`` (maps in lists included)."""
    if isinstance(value, dict):
        out.update(value)
        for item in value.values():
            if isinstance(item, dict | list):
                _map_keys(item, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                _map_keys(item, out)
    return out


def _quote_keys(text: str, keys: Collection[Any]) -> str | None:
    """``text`` with every ``"key":`` back-quoted; None unless all keys are identifiers and none is left."""
    if not all(isinstance(k, str) and _IDENTIFIER.fullmatch(k) for k in keys):
        return None
    for key in keys:
        text = text.replace(f'"{key}":', f"`{key}`:")
    return None if '":' in text else text


def _json(value: Any) -> str:
    """Compact JSON, non-ASCII left as is; orjson (about 10× the standard library's speed), else ``json``."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # not JSON to orjson (a non-string key, an integer beyond 64 bits): the standard library
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def params_header(params: dict[str, Any], keys: Collection[str] | None = None) -> str:
    """FalkorDB's ``CYPHER k=v …`` parameter header, built by a compiled JSON encoder (orjson).

    Values are plain (:func:`armsgraph.graph.dialect.plain`: no NaN, which orjson would write as
    null). JSON is Cypher literal syntax once map keys are back-quoted. Inside a JSON string
    every quote is escaped, so ``"key":`` with unescaped quotes is always a map key:
    each key (all identifiers; ``keys`` when the caller knows them, else found) is
    back-quoted by plain replacement, in C. FalkorDB does not decode ``\\uXXXX``
    escapes, so a value that would need one (a control character), a map with a
    non-identifier key, or text still holding ``":`` (a quote and colon inside a value)
    goes through the client library's own serializer.
    """
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        text = _json(value)
        quoted = None
        if "\\u00" not in text:
            quoted = _quote_keys(text, keys) if keys is not None else None
            if quoted is None:
                quoted = _quote_keys(text, _map_keys(value, set()))
        parts.append(f"{name}={quoted if quoted is not None else stringify_param_value(value)}")
    return "CYPHER " + " ".join(parts) + " "


class EmbeddedStore(GraphStore):
    """FalkorDB started on demand in ``settings.data_dir``; the zero-set-up default."""

    kind = "embedded"
    dialect = dialect.FALKORDB

    def __init__(self, settings: Settings, model: GraphModel | None = None, keep_server: bool = False) -> None:
        super().__init__(settings, model)
        self.server = EmbeddedServer(settings.data_dir)
        self.keep_server = keep_server
        with self.server.locked():
            self.server.ensure_running()
            self._db = FalkorDB(
                unix_socket_path=str(self.server.socket), socket_connect_timeout=settings.connect_timeout_s
            )
            self._graph = self._db.select_graph(settings.graph_name)
            self._db.connection.ping()
        self._closed = False
        self._timeout_ms = int(settings.query_timeout_s * 1000)

    @property
    def client(self) -> FalkorDB:
        """The FalkorDB client (a first load sends GRAPH.BULK through it: :mod:`armsgraph.graph.bulk`)."""
        return self._db

    def apply_schema(self) -> None:
        indexed, constrained = self._schema_state()
        indexes = dialect.falkordb_indexes(self.model, set(indexed))
        constraints = dialect.falkordb_unique_constraints(self.model, self.settings.graph_name, set(constrained))
        for text in indexes:
            self._ddl(lambda t=text: self._graph.query(t))
        for args in constraints:
            self._ddl(lambda a=args: self._db.connection.execute_command(*a))
        if indexes or constraints:
            # Snapshot now: a restart replaying bulk MERGEs logged before their indexes exist is quadratic.
            # A snapshot holds only finished constraints, so wait for the background builds first.
            self._wait_schema_built()
            self.server.compact(min_bytes=0)

    def _schema_state(self) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
        """Build status of each (label, property) range index and each label's unique constraint."""
        if self._graph.name not in self._db.list_graphs():
            return {}, {}
        _, rows = self._read(dialect.statement("schema_indexes", self.dialect), {})
        indexes = {(str(label), str(prop)): str(status) for label, props, status in rows for prop in props}
        constraints = {
            str(c["label"]): str(c.get("status")) for c in self._graph.list_constraints() if c.get("type") == "UNIQUE"
        }
        return indexes, constraints

    def _wait_schema_built(self, timeout_s: float = 600.0) -> None:
        """Wait until FalkorDB has built every index and constraint in the background."""
        deadline = time.monotonic() + timeout_s
        while True:
            indexes, constraints = self._schema_state()
            failed = sorted(label for label, status in constraints.items() if status == "FAILED")
            if failed:
                raise StoreError(f"FalkorDB could not enforce unique uid on {', '.join(failed)}: duplicate keys")
            pending = [status for status in (*indexes.values(), *constraints.values()) if status != "OPERATIONAL"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StoreUnavailableError(f"FalkorDB is still building {len(pending)} indexes/constraints")
            time.sleep(0.05)

    def _ddl(self, run: Any) -> None:
        try:
            run()
        except redis.exceptions.ResponseError as exc:
            if not dialect.is_already_exists(str(exc)):
                raise StoreError(f"FalkorDB refused schema statement: {exc}") from exc

    def _run(self, query: str, read_only: bool, timeout_s: float | None = None) -> Any:
        """One GRAPH.QUERY / GRAPH.RO_QUERY (parameters already in its header), errors as store errors.

        The server ends it after ``timeout_s`` (its TIMEOUT argument, whole milliseconds, at least 1),
        by default after the store's ``query_timeout_s``.
        """
        run = self._graph.ro_query if read_only else self._graph.query
        timeout_ms = self._timeout_ms if timeout_s is None else max(1, round(timeout_s * 1000))
        try:
            return run(query, None, timeout=timeout_ms)
        except redis.exceptions.ConnectionError as exc:
            raise StoreUnavailableError(f"FalkorDB connection lost: {exc}") from exc
        except redis.exceptions.ResponseError as exc:
            kind = QueryTimeoutError if "timed out" in str(exc).lower() else StoreError
            raise kind(f"FalkorDB {'read' if read_only else 'write'} failed: {exc}") from exc

    def _read(
        self, text: str, params: dict[str, Any], timeout_s: float | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        query = params_header(params) + text
        try:
            result = self._run(query, read_only=True, timeout_s=timeout_s)
        except QueryTimeoutError:
            raise
        except StoreError as exc:  # RO_QUERY refuses a graph nobody has written yet; it reads as empty
            if "empty key" not in str(exc):
                raise
            result = self._run(query, read_only=False, timeout_s=timeout_s)
        columns = [str(h[1]) for h in result.header]
        return columns, [[_plain(v) for v in row] for row in result.result_set]

    def _encode(self, text: str, params: dict[str, Any], keys: Collection[str] | None = None) -> str:
        return params_header(params, keys) + text

    def _send(self, payload: Any) -> WriteSummary:
        result = self._run(payload, read_only=False)
        matched = 0
        if result.header and [h[1] for h in result.header] == ["matched"] and result.result_set:
            matched = int(result.result_set[0][0])
        return WriteSummary(
            nodes_created=int(result.nodes_created),
            relationships_created=int(result.relationships_created),
            properties_set=int(result.properties_set),
            nodes_deleted=int(result.nodes_deleted),
            relationships_deleted=int(result.relationships_deleted),
            matched=matched,
        )

    def close(self) -> None:
        """Disconnect; the last process out stops the server (unless keep_server)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._db.connection.close()
            self._db.connection.connection_pool.disconnect()
        if not self.keep_server:
            self.server.release()


def _plain(value: Any) -> Any:
    """FalkorDB result values as plain Python (nodes and edges as property dicts)."""
    if isinstance(value, Node):
        return {**value.properties, "_labels": list(value.labels or [])}
    if isinstance(value, Edge):
        return {**value.properties, "_type": value.relation}
    if isinstance(value, FalkorPath):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
