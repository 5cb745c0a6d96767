"""First loads at the store's bulk speed: GRAPH.BULK for the embedded store, import files for Neo4j.

A bulk load writes the graph that the idempotent ``UNWIND … MERGE`` upserts
(:meth:`armsgraph.graph.store.GraphStore.prepare_nodes` and friends) would leave in an empty
store, element for element: rows of one key are merged over the whole step as the upserts merge
them chunk after chunk (the first row's provenance, properties merged in order with later values
winning, each cited record once in ``sources``), relationship rows whose endpoint is not in the
graph are counted per ``batch_size`` chunk exactly as the upserts count them, and named
statements that only add record ids to nodes (``ingest_record_ids_<label>``) are applied to the
nodes before they are written. Values are typed as the upserts' parameters are
(:func:`armsgraph.graph.dialect.plain`): strings, integers, floats, booleans and lists of them.

- **Embedded FalkorDB** (:func:`falkordb_bulk_load`): each step is merged, packed into
  ``GRAPH.BULK``'s binary format (typed values, lists element by element) and sent through
  ``falkordb-bulk-loader``'s query buffer, which sends one buffer while the next is packed. The
  loader's own CSV reader is not used: it guesses each cell's type again (``"12"`` in a list
  becomes the integer 12). ``GRAPH.BULK`` only creates a new graph, so the empty graph is dropped
  first and the model's indexes and constraints are created again afterwards.
- **Neo4j** (:func:`write_neo4j_import`): one CSV file per step in ``neo4j-admin database import``
  layout (``uid:ID(Label)``, ``:LABEL``, ``:START_ID(Label)``, ``:END_ID(Label)``, ``:TYPE``,
  typed property columns) and the exact command that imports them (docs/neo4j.md).

Only a first load is bulk: :func:`falkordb_can_bulk_load` is true for an empty graph or one that
does not exist yet; every later load stays an idempotent MERGE.
"""

from __future__ import annotations

import datetime as dt
import shlex
import struct
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import redis
from falkordb_bulk_loader.entity_file import Type

from armsgraph.errors import StoreError
from armsgraph.graph import dialect
from armsgraph.graph.model import GraphModel
from armsgraph.graph.store import GraphStore, _ref, _split

#: Bytes of one packed label or relationship-type token, and of one GRAPH.BULK command (the loader's
#: default caps are 64 MB; smaller buffers let the server insert one while the next is packed).
TOKEN_BYTES = 16_000_000
BUFFER_BYTES = 32_000_000
#: Named statements a bulk load folds into the nodes it writes: ``<prefix><label in lower case>``.
RECORD_IDS = "ingest_record_ids_"
#: What separates list elements in the Neo4j import files (unit separator: never in normalised text).
ARRAY_DELIMITER = "\x1f"


class BulkStep(Protocol):
    """What a bulk load reads of one ingest step (:class:`armsgraph.ingest.build.Step`)."""

    kind: str
    name: str
    from_label: str
    to_label: str

    @property
    def title(self) -> str: ...

    def batches(self, size: int) -> Iterator[list[dict[str, Any]]]: ...


@dataclass
class Merged:
    """The elements of one step as the upserts leave them: key -> final properties (None dropped).

    A node's key is its uid; a relationship's is ``(from uid, to uid, *its merge key's values)``.
    """

    kind: str
    name: str
    elements: dict[Any, dict[str, Any]]
    from_label: str = ""
    to_label: str = ""


@dataclass
class BulkResult:
    """What a bulk load wrote, and the relationship rows it could not attach (per chunk, as the upserts report)."""

    nodes_created: int = 0
    relationships_created: int = 0
    #: (step title, rows of one ``batch_size`` chunk whose endpoint is not in the graph)
    unmatched: list[tuple[str, int]] = field(default_factory=list)
    #: named statements that were not folded into the nodes (sent as ordinary writes after the bulk)
    statements: list[BulkStep] = field(default_factory=list)


class _Merger:
    """Rows of one key merged as consecutive upserts merge them, straight into the properties they leave.

    The first row of a key creates it (its provenance; ``sources`` starts with the record it
    cites); every row's properties are set in order (``SET += props``: later values win, nulls
    never stored) and cite their record once.
    """

    def __init__(self, now: str) -> None:
        self.now = now
        self.elements: dict[Hashable, dict[str, Any]] = {}
        self._cited: dict[Hashable, set[str]] = {}

    def add(self, key: Hashable, row: Mapping[str, Any], item: dict[str, Any], own: Mapping[str, Any]) -> None:
        ref = _ref(item)
        element = self.elements.get(key)
        if element is None:
            element = dict(own)
            for name, value in (
                ("src_file", item["src_file"]),
                ("src_row", item["src_row"]),
                ("batch_id", dialect.plain(row.get("batch_id"))),
                ("ingested_at", dialect.plain(row.get("ingested_at") or self.now)),
            ):
                if value is not None:
                    element[name] = value
            element["sources"] = [ref]
            element.update(item["props"])
            self.elements[key] = element
            return
        element.update(item["props"])
        cited = self._cited.get(key)
        if cited is None:
            cited = self._cited[key] = set(element["sources"])
        if ref not in cited:
            cited.add(ref)
            element["sources"].append(ref)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_nodes(model: GraphModel, step: BulkStep, batch_size: int, now: str) -> Merged:
    """The nodes of ``step`` as :meth:`GraphStore.prepare_nodes` upserts would leave them."""
    node = model.node(step.name)
    merger = _Merger(now)
    for rows in step.batches(batch_size):
        model.check_properties(step.name, node.properties, {k for r in rows for k in r})
        for row in rows:
            item = _split(row, {node.key})
            key = dialect.plain(row.get(node.key))
            if key is None:
                raise ValueError(f"{step.name} row without its key {node.key!r}: {dict(row)!r}")
            merger.add(key, row, item, {node.key: key})
    return Merged("nodes", step.name, merger.elements)


def fold_record_ids(merged: Merged, step: BulkStep, batch_size: int) -> None:
    """Apply an ``ingest_record_ids_<label>`` statement to merged nodes (an idempotent union, in order)."""
    for rows in step.batches(batch_size):
        for row in rows:
            element = merged.elements.get(dialect.plain(row.get("uid")))
            if element is None:  # the statement's MATCH finds no node: nothing changes
                continue
            have = list(element.get("record_ids") or [])
            have += [i for i in dialect.plain(row.get("record_ids")) or [] if i not in have]
            element["record_ids"] = have


def merge_relationships(
    model: GraphModel, step: BulkStep, batch_size: int, now: str, exists: Callable[[str, str], bool]
) -> tuple[Merged, list[tuple[str, int]]]:
    """The relationships of ``step`` as the upserts leave them, and the unmatched rows of each chunk.

    ``exists(label, uid)`` says whether a node is in the graph; a row whose endpoint is not is
    dropped and counted against its ``batch_size`` chunk, as the upsert's ``matched`` counts it.
    """
    rel = model.check_endpoints(step.name, step.from_label, step.to_label)
    allowed = dict(rel.properties)
    merger = _Merger(now)
    unmatched: list[tuple[str, int]] = []
    for rows in step.batches(batch_size):
        model.check_properties(step.name, allowed, {k for r in rows for k in r} - {"from", "to"})
        missing = 0
        for row in rows:
            item = _split(row, {"from", "to"})
            source, target = dialect.plain(row.get("from")), dialect.plain(row.get("to"))
            absent = [k for k in rel.key if item["props"].get(k) is None]
            if absent or source is None or target is None:
                raise ValueError(f"{step.name} row lacks from/to or key {list(rel.key)}: {dict(row)!r}")
            if not (exists(step.from_label, source) and exists(step.to_label, target)):
                missing += 1
                continue
            key = (source, target, *(str(item["props"][k]) for k in rel.key))
            merger.add(key, row, item, {})
        if missing:
            unmatched.append((step.title, missing))
    return Merged("relationships", step.name, merger.elements, step.from_label, step.to_label), unmatched


def merged_steps(
    model: GraphModel,
    steps: Sequence[BulkStep],
    batch_size: int,
    exists: Callable[[str, str], bool],
    result: BulkResult,
) -> Iterator[Merged]:
    """Every node step, then every relationship step, merged one at a time (one step's rows in memory).

    Record-id statements are folded into their label's nodes; other statements are left in
    ``result.statements``; unmatched relationship rows are added to ``result.unmatched``.
    """
    now = _now()
    folds: dict[str, list[BulkStep]] = {}
    for step in steps:
        if step.kind == "statement":
            label = next((lbl for lbl in model.nodes if step.name == RECORD_IDS + lbl.lower()), None)
            if label is None:
                result.statements.append(step)
            else:
                folds.setdefault(label, []).append(step)
    node_steps = [s for s in steps if s.kind == "nodes"]
    for step in node_steps:
        merged = merge_nodes(model, step, batch_size, now)
        for fold in folds.pop(step.name, []):
            fold_record_ids(merged, fold, batch_size)
        yield merged
    # record ids of a label no step wrote would match no node, as the statement would not: nothing to do
    for step in steps:
        if step.kind == "relationships":
            merged, unmatched = merge_relationships(model, step, batch_size, now, exists)
            result.unmatched.extend(unmatched)
            yield merged


# -- embedded FalkorDB: GRAPH.BULK ------------------------------------------------------------------------
_BOOL = struct.Struct("=B?")
_LONG = struct.Struct("=Bq")
_DOUBLE = struct.Struct("=Bd")
_NULL = struct.pack("=B", Type.UNKNOWN.value)  # type 0: GRAPH.BULK skips the property


def pack_value(value: Any) -> bytes:
    """One property value in GRAPH.BULK's binary format (a type byte, then the value)."""
    kind = type(value)
    if kind is str:
        return bytes((Type.STRING.value,)) + value.encode("utf-8") + b"\x00"
    if kind is int:
        try:
            return _LONG.pack(Type.LONG.value, value)
        except struct.error:
            raise StoreError(f"integer {value} does not fit FalkorDB's 64-bit integers") from None
    if kind is float:
        return _DOUBLE.pack(Type.DOUBLE.value, value)
    if kind is bool:
        return _BOOL.pack(Type.BOOL.value, value)
    if kind is list:
        return _LONG.pack(Type.ARRAY.value, len(value)) + b"".join(pack_value(v) for v in value)
    if value is None:
        return _NULL
    raise StoreError(f"FalkorDB cannot hold a {kind.__name__} property value: {value!r}")


def _header(name: str, columns: Sequence[str]) -> bytes:
    """A token's header: the label or type, the number of properties, their names."""
    parts = [name.encode(), struct.pack("=I", len(columns)), *(c.encode() + b"\x00" for c in columns)]
    return parts[0] + b"\x00" + b"".join(parts[1:])


def _columns(elements: Iterable[Mapping[str, Any]], first: Sequence[str] = ()) -> list[str]:
    names = {k for e in elements for k in e}
    return [*first, *sorted(names - set(first))]


class _Sender:
    """Packed tokens queued on falkordb-bulk-loader's buffer and sent as GRAPH.BULK commands."""

    def __init__(self, client: Any, graph: str) -> None:
        from falkordb_bulk_loader.config import Config  # pathos (its send pool) is slow to import: only here
        from falkordb_bulk_loader.query_buffer import QueryBuffer

        self.config = Config(max_token_count=1024, max_buffer_size=BUFFER_BYTES // 1_000_000)
        self.buffer = QueryBuffer(graph, client, self.config)

    def push(self, kind: str, token: bytes, count: int) -> None:
        buf = self.buffer
        if buf.buffer_size + len(token) >= self.config.max_buffer_size or buf.redis_token_count + 1 >= 1024:
            self._guarded(buf.send_buffer)
        if kind == "nodes":
            buf.labels.append(token)
            buf.node_count += count
        else:
            buf.reltypes.append(token)
            buf.relation_count += count
        buf.buffer_size += len(token)
        buf.redis_token_count += 1

    def finish(self) -> tuple[int, int]:
        self._guarded(self.buffer.send_buffer)
        self._guarded(self.buffer.wait_pool)
        return int(self.buffer.nodes_created), int(self.buffer.relations_created)

    def _guarded(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"FalkorDB refused a GRAPH.BULK command: {exc}") from exc


#: Elements packed column by column at a time (memory: a few of their packed values, not the step's).
PACK_ELEMENTS = 20_000
_TEXT, _END = bytes((Type.STRING.value,)), b"\x00"


def _text_list(value: list[Any]) -> bytes:
    """A list packed element by element (lists of strings, the common case, in one comprehension)."""
    if all(type(v) is str for v in value):
        return _LONG.pack(Type.ARRAY.value, len(value)) + b"".join([_TEXT + v.encode() + _END for v in value])
    return pack_value(value)


def _packed_texts(values: list[Any]) -> list[bytes]:
    return [_NULL if v is None else _TEXT + v.encode() + _END for v in values]


def _packed_doubles(values: list[Any]) -> list[bytes]:
    double, tag, null = _DOUBLE.pack, Type.DOUBLE.value, _NULL
    return [null if v is None else double(tag, v) for v in values]


def _packed_lists(values: list[Any]) -> list[bytes]:
    return [_NULL if v is None else _text_list(v) for v in values]


def _packed_longs(values: list[Any]) -> list[bytes] | None:
    """Integers as LONG, or None when one does not fit 64 bits (packed one by one then)."""
    if not all(v is None or -(2**63) <= v < 2**63 for v in values):
        return None
    long, tag, null = _LONG.pack, Type.LONG.value, _NULL
    return [null if v is None else long(tag, v) for v in values]


def packed_column(values: list[Any]) -> list[bytes]:
    """One property's values, packed: a column of one type (the usual case) in one comprehension."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    packed: list[bytes] | None = None
    if kinds <= {str}:
        packed = _packed_texts(values)
    elif kinds == {float}:
        packed = _packed_doubles(values)
    elif kinds == {list}:
        packed = _packed_lists(values)
    elif kinds == {int}:
        packed = _packed_longs(values)
    return packed if packed is not None else [pack_value(v) for v in values]


def _tokens(merged: Merged, prefix: Callable[[Any], bytes], first: Sequence[str]) -> Iterator[tuple[bytes, int]]:
    """The merged elements packed into tokens of at most :data:`TOKEN_BYTES` (element count with each).

    Each :data:`PACK_ELEMENTS` elements are packed column by column, then joined row by row.
    """
    elements = merged.elements
    columns = _columns(elements.values(), first)
    header = _header(merged.name, columns)
    keys = list(elements)
    token: list[bytes] = []
    size = len(header)
    for start in range(0, len(keys), PACK_ELEMENTS):
        part = keys[start : start + PACK_ELEMENTS]
        values = [elements[k] for k in part]
        packed = [[prefix(k) for k in part], *(packed_column([v.get(c) for v in values]) for c in columns)]
        for row in map(b"".join, zip(*packed, strict=True)):
            if token and size + len(row) > TOKEN_BYTES:
                yield header + b"".join(token), len(token)
                token, size = [], len(header)
            token.append(row)
            size += len(row)
    if token:
        yield header + b"".join(token), len(token)


def _endpoints(merged: Merged, source: Mapping[str, int], target: Mapping[str, int]) -> Callable[[Any], bytes]:
    """How each relationship of ``merged`` starts in a GRAPH.BULK token: its source and target node ids."""
    pair = struct.Struct("=QQ")

    def prefix(key: tuple[str, ...]) -> bytes:
        a, b = key[0], key[1]
        return pair.pack(source[a], target[b])

    return prefix


def falkordb_can_bulk_load(store: GraphStore) -> bool:
    """True for the embedded store when its graph has no node (or does not exist yet)."""
    client = getattr(store, "client", None)
    if store.kind != "embedded" or client is None:
        return False
    if store.settings.graph_name not in client.list_graphs():
        return True
    return int(store.read("bulk_graph_has_nodes")["nodes"].iloc[0]) == 0


def falkordb_bulk_load(
    store: GraphStore,
    steps: Sequence[BulkStep],
    batch_size: int,
    advance: Callable[[], None] = lambda: None,
) -> BulkResult:
    """Write ``steps`` into the store's empty graph with GRAPH.BULK, then create the model's schema.

    The (empty) graph is dropped first: GRAPH.BULK creates its graph. ``advance()`` is called as
    each step is queued. Left-over named statements are run as ordinary writes at the end.
    """
    client = getattr(store, "client", None)
    graph = store.settings.graph_name
    if client is None:
        raise StoreError(f"the {store.kind} store has no GRAPH.BULK path")
    if graph in client.list_graphs():
        if int(store.read("bulk_graph_has_nodes")["nodes"].iloc[0]) != 0:
            raise StoreError(f"graph {graph!r} is not empty: a bulk load only writes a first load")
        client.select_graph(graph).delete()
    result = BulkResult()
    ids: dict[str, dict[str, int]] = {}  # label -> uid -> the node id GRAPH.BULK gives it (creation order)
    sender = _Sender(client, graph)

    def exists(label: str, uid: str) -> bool:
        return uid in ids.get(label, ())

    for merged in merged_steps(store.model, steps, batch_size, exists, result):
        if merged.kind == "nodes":
            key = store.model.node(merged.name).key
            if merged.name in ids:  # the upserts would merge the two steps' nodes; one merged step is expected
                raise StoreError(f"{merged.name} nodes come in two steps: a bulk load takes one step per label")
            start = sum(len(n) for n in ids.values())
            numbers = ids[merged.name] = {}
            numbers.update((uid, start + i) for i, uid in enumerate(merged.elements))
            for token, count in _tokens(merged, lambda _k: b"", [key]):
                sender.push("nodes", token, count)
        else:
            prefix = _endpoints(merged, ids.get(merged.from_label, {}), ids.get(merged.to_label, {}))
            for token, count in _tokens(merged, prefix, ()):
                sender.push("relationships", token, count)
        advance()
    result.nodes_created, result.relationships_created = sender.finish()
    store.apply_schema()
    for step in result.statements:
        for rows in step.batches(batch_size):
            store.write(step.name, rows=rows)
    return result


# -- Neo4j: neo4j-admin database import files --------------------------------------------------------------
#: What a load marks every new review candidate with (``ingest_possibly_same_pending`` does it after a MERGE load).
PENDING = ("POSSIBLY_SAME", "status", "pending")
_SCALAR_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclass
class Neo4jImport:
    """Import files written for ``neo4j-admin database import full`` and what they hold."""

    directory: Path
    node_files: list[Path] = field(default_factory=list)
    relationship_files: list[Path] = field(default_factory=list)
    result: BulkResult = field(default_factory=BulkResult)

    def command(self, database: str = "neo4j") -> list[str]:
        """The command that imports the files into ``database`` (which must not exist yet)."""
        return [
            "neo4j-admin", "database", "import", "full", database,
            "--id-type=string",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--multiline-fields=true",
            *(f"--nodes={path}" for path in self.node_files),
            *(f"--relationships={path}" for path in self.relationship_files),
        ]  # fmt: skip


def _column_type(owner: str, name: str, values: Iterable[Any]) -> str:
    """The import type of a column: one scalar type, or an array of one (integers with floats read as floats)."""
    kinds: set[type] = set()
    elements: set[type] = set()
    for value in values:
        if value is None:
            continue
        kinds.add(type(value))
        if type(value) is list:
            elements.update(type(v) for v in value if v is not None)
    if kinds == {list}:
        return _scalar_type(owner, name, elements or {str}) + "[]"
    return _scalar_type(owner, name, kinds)


def _scalar_type(owner: str, name: str, kinds: set[type]) -> str:
    if kinds == {int, float}:
        return "double"
    if len(kinds) == 1 and (kind := next(iter(kinds))) in _SCALAR_TYPES:
        return _SCALAR_TYPES[kind]
    found = ", ".join(sorted(k.__name__ for k in kinds))
    raise StoreError(f"{owner}.{name} holds {found} values: an import column takes one type")


def _cell(value: Any) -> str:
    """One CSV field: empty for null, text always quoted (quotes doubled), lists joined by the array delimiter."""
    if value is None:
        return ""
    if type(value) is list:
        parts = ["true" if v is True else "false" if v is False else str(v) for v in value]
        if any(ARRAY_DELIMITER in p for p in parts):
            raise StoreError(f"a list element holds the import's array delimiter U+{ord(ARRAY_DELIMITER):04X}")
        return '"' + ARRAY_DELIMITER.join(parts).replace('"', '""') + '"'
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is str:
        return '"' + value.replace('"', '""') + '"'
    return repr(value) if type(value) is float else str(value)


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for row in rows:
            handle.write(",".join(_cell(v) for v in row) + "\n")


def write_neo4j_import(model: GraphModel, steps: Sequence[BulkStep], directory: Path, batch_size: int) -> Neo4jImport:
    """Write ``steps`` as ``neo4j-admin database import full`` CSV files in ``directory``.

    One file per node label (``uid:ID(Label)``, ``:LABEL``, typed properties) and per
    relationship step (``:START_ID(From)``, ``:END_ID(To)``, ``:TYPE``, typed properties), each
    holding what the MERGE load would leave in an empty database. Review candidates are marked
    pending as after a load. Run :meth:`Neo4jImport.command`, start the database, then
    ``armsgraph --store neo4j schema`` for the constraints and indexes (docs/neo4j.md).
    """
    out = Neo4jImport(Path(directory).resolve())
    out.directory.mkdir(parents=True, exist_ok=True)
    uids: dict[str, set[str]] = {}

    def exists(label: str, uid: str) -> bool:
        return uid in uids.get(label, ())

    for merged in merged_steps(model, steps, batch_size, exists, out.result):
        elements = list(merged.elements.values())
        if merged.kind == "nodes":
            key = model.node(merged.name).key
            uids.setdefault(merged.name, set()).update(merged.elements)
            names = _columns(elements, [key])[1:]
            header = [f"{key}:ID({merged.name})", ":LABEL"]
            header += [f"{n}:{_column_type(merged.name, n, (e.get(n) for e in elements))}" for n in names]
            path = out.directory / f"nodes-{merged.name}.csv"
            _write_csv(path, header, ([e[key], merged.name, *(e.get(n) for n in names)] for e in elements))
            out.node_files.append(path)
            out.result.nodes_created += len(elements)
            continue
        if merged.name == PENDING[0]:
            for element in elements:
                element.setdefault(PENDING[1], PENDING[2])
        names = _columns(elements)
        header = [f":START_ID({merged.from_label})", f":END_ID({merged.to_label})", ":TYPE"]
        header += [f"{n}:{_column_type(merged.name, n, (e.get(n) for e in elements))}" for n in names]
        path = out.directory / f"relationships-{merged.name}-{merged.from_label}-{merged.to_label}.csv"
        rows = ([k[0], k[1], merged.name, *(e.get(n) for n in names)] for k, e in merged.elements.items())
        _write_csv(path, header, rows)
        out.relationship_files.append(path)
        out.result.relationships_created += len(elements)
    if out.result.statements:
        names = sorted({s.name for s in out.result.statements})
        raise StoreError(f"named statements {names} cannot be written as import files")
    (out.directory / "import.sh").write_text(
        "#!/bin/sh\n# Import into a database that does not exist yet (docs/neo4j.md), then start it and run\n"
        "# `armsgraph --store neo4j schema` for the constraints and indexes.\n"
        + shlex.join(out.command("${1:-neo4j}")).replace("'${1:-neo4j}'", '"${1:-neo4j}"')
        + "\n",
        encoding="utf-8",
    )
    return out
