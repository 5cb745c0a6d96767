"""Every difference between FalkorDB's and Neo4j's Cypher, in one place.

- Constraint and index DDL (Neo4j: named ``CREATE CONSTRAINT … IF NOT EXISTS``;
  FalkorDB: unnamed ``CREATE INDEX FOR … ON …`` then ``GRAPH.CONSTRAINT CREATE``,
  which needs the index first).
- Statements whose text differs (e.g. undirected shortest path: Neo4j
  ``shortestPath``, FalkorDB ``algo.SPpaths``) live in ``cypher/<dialect>/``;
  :func:`statement` picks the file.
- Parameter values: FalkorDB's client writes parameters into a ``CYPHER k=v``
  header, so NaN/inf and non-JSON values are turned into nulls and plain types
  here; both stores receive dates as ISO strings, never driver temporal types.
  NUL characters (which end FalkorDB's query text) and lone surrogates (not
  encodable) become U+FFFD in both stores.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from armsgraph.graph import queries
from armsgraph.graph.model import GraphModel

FALKORDB = "falkordb"
NEO4J = "neo4j"


def statement(name: str, dialect: str) -> str:
    """The text of a named statement for ``dialect``."""
    return queries.text(name, dialect)


def neo4j_schema(model: GraphModel) -> list[str]:
    """Uniqueness constraints on every key and indexes on indexed properties (idempotent)."""
    out: list[str] = []
    for node in model.nodes.values():
        lower = node.label.lower()
        out.append(
            f"CREATE CONSTRAINT {lower}_{node.key}_unique IF NOT EXISTS "
            f"FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
        )
        out.extend(
            f"CREATE INDEX {lower}_{prop} IF NOT EXISTS FOR (n:{node.label}) ON (n.{prop})" for prop in node.indexed
        )
    return out


def falkordb_indexes(model: GraphModel, existing: set[tuple[str, str]]) -> list[str]:
    """Range indexes on every key and indexed property not in ``existing`` (FalkorDB has no IF NOT EXISTS)."""
    out: list[str] = []
    for node in model.nodes.values():
        for prop in [node.key, *node.indexed]:
            if (node.label, prop) not in existing:
                out.append(f"CREATE INDEX FOR (n:{node.label}) ON (n.{prop})")
    return out


def falkordb_unique_constraints(model: GraphModel, graph: str, existing: set[str]) -> list[tuple[str, ...]]:
    """``GRAPH.CONSTRAINT CREATE`` argument lists for every node key whose label has none yet."""
    return [
        ("GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", node.label, "PROPERTIES", "1", node.key)
        for node in model.nodes.values()
        if node.label not in existing
    ]


def is_already_exists(message: str) -> bool:
    """True when FalkorDB refused DDL only because the index or constraint exists."""
    text = message.lower()
    return "already indexed" in text or "already exists" in text


def _text(value: str) -> str:
    """Text every store can hold: NUL and lone surrogates become U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    return value


def plain(value: Any) -> Any:
    """A parameter value both stores accept: JSON-like, no NaN, dates as ISO strings."""
    kind = type(value)
    if kind is str:
        return value if value.isascii() and "\x00" not in value else _text(value)
    if value is None or kind is int or kind is bool:
        return value
    return _plain_other(value)


def _plain_other(value: Any) -> Any:
    """``plain`` past its fast paths (exact str, int, bool and None): subclasses, floats, dates, containers."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)
