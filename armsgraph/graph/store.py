"""The store interface: six methods, two real implementations (FalkorDB embedded, Neo4j).

Rows going in are plain dicts of model properties; what comes out of a named
read is a pandas DataFrame. Writes are idempotent ``UNWIND $rows … MERGE``
batches so a driver may retry them and a re-run changes nothing.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from armsgraph.graph import dialect, queries
from armsgraph.graph.model import PROVENANCE, GraphModel, default_model
from armsgraph.settings import Settings

#: Provenance fields a row may carry; ``sources`` is derived from src_file:src_row.
_ROW_PROVENANCE = ("src_file", "src_row", "batch_id", "ingested_at")


@dataclass
class WriteSummary:
    """What a write did: counters from the store plus rows matched by the statement."""

    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    rows: int = 0
    matched: int = 0

    def __iadd__(self, other: WriteSummary) -> WriteSummary:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most ``size`` rows."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _split(row: Mapping[str, Any], skip: Iterable[str], now: str) -> dict[str, Any]:
    """Separate provenance from properties; drop None values so merges never erase facts."""
    skip = set(skip)
    out: dict[str, Any] = {name: dialect.plain(row.get(name)) for name in _ROW_PROVENANCE}
    out["ingested_at"] = out["ingested_at"] or now
    out["src_ref"] = f"{out['src_file'] or 'unknown'}:{out['src_row'] if out['src_row'] is not None else ''}"
    out["props"] = {
        k: dialect.plain(v)
        for k, v in row.items()
        if k not in skip and k not in _ROW_PROVENANCE and k != "sources" and v is not None
    }
    return out


class GraphStore(abc.ABC):
    """A graph database behind six methods. Labels and types come only from the model."""

    kind: str = ""
    dialect: str = ""

    def __init__(self, settings: Settings, model: GraphModel | None = None) -> None:
        self.settings = settings
        self.model = model or default_model()

    # -- the interface ------------------------------------------------------------------
    @abc.abstractmethod
    def apply_schema(self) -> None:
        """Create uniqueness constraints and indexes from the model (idempotent)."""

    def upsert_nodes(self, label: str, rows: Sequence[Mapping[str, Any]]) -> WriteSummary:
        """MERGE nodes of ``label`` by their key, in batches; provenance on every node."""
        node = self.model.node(label)
        self.model.check_properties(label, node.properties, {k for r in rows for k in r})
        now = _now()
        prepared = []
        for row in rows:
            item = _split(row, {node.key}, now)
            item["key"] = dialect.plain(row.get(node.key))
            if item["key"] is None:
                raise ValueError(f"{label} row without its key {node.key!r}: {dict(row)!r}")
            prepared.append(item)
        template = dialect.statement("upsert_nodes", self.dialect)
        text = queries.render(template, label=label, key=node.key)
        return self._write_batches(text, prepared)

    def upsert_relationships(
        self, rel_type: str, from_label: str, to_label: str, rows: Sequence[Mapping[str, Any]]
    ) -> WriteSummary:
        """MERGE ``rel_type`` edges between nodes given by key in ``from``/``to``.

        The summary's ``matched`` counts rows whose both endpoints exist; the caller
        reports the others (nothing is dropped silently).
        """
        rel = self.model.check_endpoints(rel_type, from_label, to_label)
        allowed = dict(rel.properties)
        self.model.check_properties(rel_type, allowed, {k for r in rows for k in r} - {"from", "to"})
        now = _now()
        prepared = []
        for row in rows:
            item = _split(row, {"from", "to"}, now)
            item["from"], item["to"] = dialect.plain(row.get("from")), dialect.plain(row.get("to"))
            missing = [k for k in rel.key if item["props"].get(k) is None]
            if missing or item["from"] is None or item["to"] is None:
                raise ValueError(f"{rel_type} row lacks from/to or key {list(rel.key)}: {dict(row)!r}")
            prepared.append(item)
        rel_key = ""
        if rel.key:
            rel_key = " {" + ", ".join(f"{k}: row.props.{k}" for k in rel.key) + "}"
        text = queries.render(
            dialect.statement("upsert_relationships", self.dialect),
            from_label=from_label,
            to_label=to_label,
            from_key=self.model.node(from_label).key,
            to_key=self.model.node(to_label).key,
            rel_type=rel_type,
            rel_key=rel_key,
        )
        return self._write_batches(text, prepared)

    def read(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named read in a read transaction; rows as a DataFrame."""
        text = dialect.statement(name, self.dialect)
        columns, rows = self._read(text, {k: dialect.plain(v) for k, v in params.items()})
        return pd.DataFrame(rows, columns=columns)

    def write(self, name: str, **params: Any) -> WriteSummary:
        """Run a named write in a write transaction (its ``$rows`` are sent in batches)."""
        text = dialect.statement(name, self.dialect)
        clean = {k: dialect.plain(v) for k, v in params.items()}
        if isinstance(clean.get("rows"), list):
            rows = clean.pop("rows")
            return self._write_batches(text, rows, clean)
        return self._write(text, clean)

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections (and, for the embedded store, the server when last out)."""

    # -- what each store implements -----------------------------------------------------
    @abc.abstractmethod
    def _read(self, text: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        """Run ``text`` read-only; column names and rows of plain values."""

    @abc.abstractmethod
    def _write(self, text: str, params: dict[str, Any]) -> WriteSummary:
        """Run ``text`` in one write transaction."""

    # -- shared helpers -----------------------------------------------------------------
    def _write_batches(
        self, text: str, rows: list[dict[str, Any]], extra: dict[str, Any] | None = None
    ) -> WriteSummary:
        total = WriteSummary()
        for batch in chunks(rows, self.settings.batch_size):
            summary = self._write(text, {**(extra or {}), "rows": list(batch)})
            summary.rows = len(batch)
            total += summary
        return total

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, in one mapping."""
        nodes = self.read("node_counts")
        rels = self.read("relationship_counts")
        out = {str(k): int(v) for k, v in zip(nodes["label"], nodes["count"], strict=True)}
        out.update({str(k): int(v) for k, v in zip(rels["type"], rels["count"], strict=True)})
        return out

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def provenance_fields() -> tuple[str, ...]:
    """The provenance property names every node and edge carries."""
    return tuple(PROVENANCE)


def open_store(settings: Settings, model: GraphModel | None = None) -> GraphStore:
    """The store the settings name, connected and ready."""
    if settings.store == "neo4j":
        from armsgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore(settings, model)
    from armsgraph.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings, model)
