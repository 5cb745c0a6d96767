"""The store interface: six methods, two real implementations (FalkorDB embedded, Neo4j).

Rows going in are plain dicts of model properties; what comes out of a named
read is a pandas DataFrame. Writes are idempotent ``UNWIND $rows … MERGE``
batches so a driver may retry them and a re-run changes nothing.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from armsgraph.graph import dialect, queries
from armsgraph.graph.model import PROVENANCE, GraphModel, default_model
from armsgraph.settings import Settings

log = logging.getLogger(__name__)

#: Provenance fields a row may carry; ``sources`` is derived from src_file:src_row.
_ROW_PROVENANCE = ("src_file", "src_row", "batch_id", "ingested_at")
#: Rows that ``upsert_*`` and ``write`` prepare and encode at a time (memory stays bounded at any size).
STREAM_ROWS = 50_000
#: The columns of a relationship row that name its endpoints (not properties).
_ENDS = ("from", "to")


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


def _names(rows: Sequence[Mapping[str, Any]]) -> set[str]:
    """Every column any of ``rows`` has."""
    return {k for r in rows for k in r}


def _logged(statement: str, rows: int, started: float) -> None:
    """One DEBUG line per named statement: its name, the rows it took or gave, and the milliseconds."""
    log.debug("%s: %d rows in %.1f ms", statement, rows, (time.perf_counter() - started) * 1000)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _split(row: Mapping[str, Any], skip: Iterable[str]) -> dict[str, Any]:
    """Separate provenance from properties; drop None values so merges never erase facts.

    ``batch_id`` and ``ingested_at`` are left out: they are the same for a whole batch and
    travel once per statement (see :func:`_by_batch`).
    """
    skip = set(skip)
    return {
        "src_file": dialect.plain(row.get("src_file")),
        "src_row": dialect.plain(row.get("src_row")),
        "props": {
            k: v if type(v) is int or (type(v) is str and v.isascii() and "\x00" not in v) else dialect.plain(v)
            for k, v in row.items()
            if k not in skip and k not in _ROW_PROVENANCE and k != "sources" and v is not None
        },
    }


def _ref(item: Mapping[str, Any]) -> str:
    """The ``file:row`` a prepared row cites (what ``sources`` lists)."""
    src_file, src_row = item.get("src_file"), item.get("src_row")
    return f"{'unknown' if src_file is None else src_file}:{'' if src_row is None else src_row}"


def _collapsed(items: list[dict[str, Any]], key: Callable[[dict[str, Any]], tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Prepared rows with one row per key, in order of first occurrence.

    A key's first row keeps its provenance (it creates the node or edge); the properties of its
    rows are merged in order (later values win, as one ``SET += `` after another would), ``refs``
    lists the records they cite once each in order, and ``n`` is how many rows it stands for.
    One statement then never merges the same key twice (FalkorDB counts that inconsistently),
    and a key repeated by thousands of records (a busy route) is written once, not row by row.
    """
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    cited: dict[tuple[Any, ...], set[str]] = {}
    for item in items:
        ref, k = _ref(item), key(item)
        first = out.get(k)
        if first is None:
            out[k], cited[k] = {**item, "props": dict(item["props"]), "refs": [ref], "n": 1}, {ref}
            continue
        first["props"].update(item["props"])
        first["n"] += 1
        if ref not in cited[k]:
            cited[k].add(ref)
            first["refs"].append(ref)
    return list(out.values())


def _by_batch(
    rows: Sequence[Mapping[str, Any]], prepared: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Prepared rows grouped by their ``batch_id``/``ingested_at`` (one group in an ingest)."""
    now = _now()
    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row, item in zip(rows, prepared, strict=True):
        groups.setdefault((row.get("batch_id"), row.get("ingested_at") or now), []).append(item)
    for (batch_id, ingested_at), items in groups.items():
        yield {"batch_id": dialect.plain(batch_id), "ingested_at": dialect.plain(ingested_at)}, items


@dataclass
class Statement:
    """One write ready to send: the store's own encoding of text and parameters, and its row count."""

    payload: Any
    rows: int = 0


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
        """MERGE nodes of ``label`` by their key, in batches; provenance on every node.

        Every row's property names and values are checked against the model before anything is written
        (:meth:`GraphModel.check_rows`, the one check of every write).
        """
        self.model.check_rows(label, self.model.node(label).properties, rows)
        started = time.perf_counter()
        summary = self._streamed(lambda part: self._prepare_nodes(label, part), rows)
        _logged(f"upsert {label}", len(rows), started)
        return summary

    def upsert_relationships(
        self, rel_type: str, from_label: str, to_label: str, rows: Sequence[Mapping[str, Any]]
    ) -> WriteSummary:
        """MERGE ``rel_type`` edges between nodes given by key in ``from``/``to``.

        The summary's ``matched`` counts rows whose both endpoints exist; the caller
        reports the others (nothing is dropped silently). Every row's property names and values are
        checked against the model before anything is written.
        """
        rel = self.model.check_endpoints(rel_type, from_label, to_label)
        self.model.check_rows(rel_type, rel.properties, rows, ends=_ENDS)
        started = time.perf_counter()
        summary = self._streamed(lambda part: self._prepare_relationships(rel_type, from_label, to_label, part), rows)
        _logged(f"upsert {rel_type}", len(rows), started)
        return summary

    def prepare_nodes(self, label: str, rows: Sequence[Mapping[str, Any]]) -> list[Statement]:
        """The statements :meth:`upsert_nodes` sends, checked and encoded (no I/O)."""
        self.model.check_rows(label, self.model.node(label).properties, rows)
        return self._prepare_nodes(label, rows)

    def prepare_relationships(
        self, rel_type: str, from_label: str, to_label: str, rows: Sequence[Mapping[str, Any]]
    ) -> list[Statement]:
        """The statements :meth:`upsert_relationships` sends, checked and encoded (no I/O)."""
        rel = self.model.check_endpoints(rel_type, from_label, to_label)
        self.model.check_rows(rel_type, rel.properties, rows, ends=_ENDS)
        return self._prepare_relationships(rel_type, from_label, to_label, rows)

    def _prepare_nodes(self, label: str, rows: Sequence[Mapping[str, Any]]) -> list[Statement]:
        """:meth:`prepare_nodes` for rows already checked."""
        node = self.model.node(label)
        names = _names(rows)
        prepared = []
        for row in rows:
            item = _split(row, {node.key})
            item["key"] = dialect.plain(row.get(node.key))
            if item["key"] is None:
                raise ValueError(f"{label} row without its key {node.key!r}: {dict(row)!r}")
            prepared.append(item)
        text = queries.render(dialect.statement("upsert_nodes", self.dialect), label=label, key=node.key)
        keys = names | {"src_file", "src_row", "props", "key", "refs", "n"}
        return [
            s
            for extra, items in _by_batch(rows, prepared)
            for s in self._batches(text, _collapsed(items, lambda item: (item["key"],)), extra, keys, merged=True)
        ]

    def _prepare_relationships(
        self, rel_type: str, from_label: str, to_label: str, rows: Sequence[Mapping[str, Any]]
    ) -> list[Statement]:
        """:meth:`prepare_relationships` for rows already checked."""
        rel = self.model.check_endpoints(rel_type, from_label, to_label)
        names = _names(rows)
        prepared = []
        for row in rows:
            item = _split(row, {"from", "to"})
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
        keys = names | {"src_file", "src_row", "props", "from", "to", "refs", "n"}

        def key(item: dict[str, Any]) -> tuple[Any, ...]:
            return (item["from"], item["to"], *(str(item["props"][k]) for k in rel.key))

        return [
            s
            for extra, items in _by_batch(rows, prepared)
            for s in self._batches(text, _collapsed(items, key), extra, keys, merged=True)
        ]

    def prepare_write(self, name: str, **params: Any) -> list[Statement]:
        """The statements :meth:`write` sends for a named write (its ``$rows`` cut into batches), checked."""
        self._check_write(name, params)
        return self._prepare_write(name, **params)

    def _check_write(self, name: str, params: Mapping[str, Any]) -> None:
        """Refuse bad parameters; and ``$rows`` of a write whose header says ``// sets: Label`` (its row columns
        are that label's property names) that the model refuses, as an upsert's rows."""
        queries.check_params(params)  # names and values, before any text is built
        label = queries.header(name).get("sets")
        rows = params.get("rows")
        if label and isinstance(rows, list):
            self.model.check_rows(label, self.model.node(label).properties, rows)

    def _prepare_write(self, name: str, **params: Any) -> list[Statement]:
        """:meth:`prepare_write` for parameters already checked."""
        text = dialect.statement(name, self.dialect)
        clean = {k: dialect.plain(v) for k, v in params.items()}
        if isinstance(clean.get("rows"), list):
            return self._batches(text, clean.pop("rows"), clean)
        return [Statement(self._encode(text, clean))]

    def send(self, statements: Iterable[Statement]) -> WriteSummary:
        """Run prepared statements in order, each in its own write transaction; their summed counters."""
        total = WriteSummary()
        for statement in statements:
            summary = self._send(statement.payload)
            summary.rows = statement.rows
            total += summary
        return total

    def read(self, name: str, *, timeout_s: float | None = None, **params: Any) -> pd.DataFrame:
        """Run a named read in a read transaction; rows as a DataFrame.

        ``timeout_s``: the server ends the query after this many seconds and :class:`QueryTimeoutError`
        is raised (default: the store's ``query_timeout_s``).
        """
        queries.check_params(params)  # names and values, before any text is built
        text = dialect.statement(name, self.dialect)
        started = time.perf_counter()
        columns, rows = self._read(text, {k: dialect.plain(v) for k, v in params.items()}, timeout_s)
        _logged(f"read {name}", len(rows), started)
        return pd.DataFrame(rows, columns=columns)

    def write(self, name: str, **params: Any) -> WriteSummary:
        """Run a named write in a write transaction (its ``$rows`` are sent in batches; checked as
        :meth:`prepare_write` says before the first is sent)."""
        rows = params.get("rows")
        self._check_write(name, params)  # every row, before the first slice is sent
        started = time.perf_counter()
        if isinstance(rows, list):
            summary = self._streamed(lambda part: self._prepare_write(name, **{**params, "rows": part}), rows)
        else:
            summary = self.send(self._prepare_write(name, **params))
        _logged(f"write {name}", len(rows) if isinstance(rows, list) else summary.rows, started)
        return summary

    def _streamed(self, prepare: Callable[[Sequence[Any]], list[Statement]], rows: Sequence[Any]) -> WriteSummary:
        """``prepare``'s statements for ``rows``, prepared and sent :data:`STREAM_ROWS` rows at a time.

        Encoded statements are several times the size of their rows, and an analysis writes millions of
        rows at 1M incidents (4.0M linked-incident pairs): prepared all at once, they all sat in memory.
        """
        return self.send(statement for part in chunks(rows, STREAM_ROWS) for statement in prepare(part))

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections (and, for the embedded store, the server when last out)."""

    # -- what each store implements -----------------------------------------------------
    @abc.abstractmethod
    def _read(
        self, text: str, params: dict[str, Any], timeout_s: float | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """Run ``text`` read-only (ended by the server after ``timeout_s``); column names and rows of plain values."""

    def _encode(self, text: str, params: dict[str, Any], keys: Collection[str] | None = None) -> Any:
        """A statement in the form :meth:`_send` takes (the embedded store renders it to one string).

        ``keys``, when given, are the map keys inside ``params`` (a hint that saves finding them).
        """
        return text, params

    @abc.abstractmethod
    def _send(self, payload: Any) -> WriteSummary:
        """Run one encoded statement in one write transaction."""

    # -- shared helpers -----------------------------------------------------------------
    def _write(self, text: str, params: dict[str, Any]) -> WriteSummary:
        return self._send(self._encode(text, params))

    def _batches(
        self,
        text: str,
        rows: list[dict[str, Any]],
        extra: dict[str, Any] | None = None,
        keys: Collection[str] | None = None,
        merged: bool = False,
    ) -> list[Statement]:
        """``rows`` in statements of ``batch_size``; a ``merged`` row (:func:`_collapsed`) counts as its ``n``."""
        return [
            Statement(
                self._encode(text, {**(extra or {}), "rows": list(batch)}, keys),
                sum(int(row["n"]) for row in batch) if merged else len(batch),
            )
            for batch in chunks(rows, self.settings.batch_size)
        ]

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
    if settings.store.kind == "neo4j":
        from armsgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore(settings, model)
    from armsgraph.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings, model)
