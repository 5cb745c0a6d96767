"""The graph model as data: one YAML file per node type and per relationship type, and
``records.yaml``: the record types of an ingest bundle and what each becomes in the graph.

The model is loaded once and refuses an inconsistent schema at start-up with a
message that names the file and the field. Labels, relationship types and
property names reach Cypher only through this model, never from user text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from armsgraph.errors import ModelViolationError, SchemaError

MODEL_DIR = Path(__file__).with_name("model")

PROPERTY_TYPES = frozenset({"string", "integer", "float", "boolean", "date", "list"})
LABEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
REL_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PROPERTY_RE = re.compile(r"^[a-z][a-z0-9_]*$")

#: Provenance carried by every node and edge (added to every type automatically).
PROVENANCE: dict[str, str] = {
    "src_file": "string",
    "src_row": "integer",
    "batch_id": "string",
    "ingested_at": "string",
    "sources": "list",
    "classification": "string",
}

_NODE_KEYS = {"label", "key", "description", "properties"}
_REL_KEYS = {"type", "description", "from", "to", "key", "properties"}
_PROP_KEYS = {"type", "required", "index", "sensitive", "description"}


@dataclass(frozen=True)
class Property:
    """A typed property of a node or relationship type."""

    name: str
    type: str
    required: bool = False
    index: bool = False
    sensitive: bool = False
    description: str = ""


@dataclass(frozen=True)
class NodeType:
    """A node label with its key and properties."""

    label: str
    key: str
    properties: Mapping[str, Property]
    description: str = ""
    source: str = ""

    @property
    def indexed(self) -> list[str]:
        """Properties with a secondary index (the key has a uniqueness constraint)."""
        return [p.name for p in self.properties.values() if p.index and p.name != self.key]

    @property
    def sensitive(self) -> list[str]:
        """Properties that identify people (hidden from aggregate-only roles)."""
        return [p.name for p in self.properties.values() if p.sensitive]


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type with its allowed endpoints and its merge key."""

    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    key: tuple[str, ...]
    properties: Mapping[str, Property]
    description: str = ""
    source: str = ""


#: Column kinds of a record: ``text``, ``integer``, ``count`` (an integer >= 0), ``float``, ``boolean`` and
#: ``list`` are coerced when a row is validated; the others are cleaned by a registered normaliser.
RECORD_KINDS = frozenset({
    "text", "integer", "count", "float", "boolean", "list", "date", "country", "country_list", "subdivision",
    "calibre", "make", "firearm_type", "marking", "mode",
})  # fmt: skip
#: The property types a column of each kind may fill (its values as validate and normalise leave them).
KIND_STORED_AS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(
        ("text", "country", "subdivision", "calibre", "make", "firearm_type", "marking", "mode"), frozenset({"string"})
    ),
    "integer": frozenset({"integer", "float"}),
    "count": frozenset({"integer", "float"}),
    "float": frozenset({"float"}),
    "boolean": frozenset({"boolean"}),
    "date": frozenset({"date", "string"}),
    "list": frozenset({"list"}),
    "country_list": frozenset({"list"}),
}
_RECORD_KEYS = {"description", "id", "noun", "resolved", "scenario", "graph", "columns"}
_COLUMN_KEYS = {"kind", "required", "key", "references", "scenario", "description"}
_GRAPH_KEYS = {"label", "relationship", "properties"}


@dataclass(frozen=True)
class RecordColumn:
    """One column of a record type: its kind (how it is validated and normalised) and whether it is required.

    ``key``: its value becomes part of a uid; ``references``: the record types whose ids it names;
    ``scenario``: whether the scenario generator writes it.
    """

    name: str
    kind: str = "text"
    required: bool = False
    key: bool = False
    references: tuple[str, ...] = ()
    scenario: bool = True
    description: str = ""


@dataclass(frozen=True)
class RecordType:
    """A record type: file name stem, id column (None for link tables), columns and what its records become."""

    name: str
    id_column: str | None
    columns: Mapping[str, RecordColumn]
    description: str = ""
    noun: str = ""
    resolved: bool = False
    scenario: bool = True
    #: The node label (or relationship type) its records become, and the columns copied onto it.
    label: str = ""
    relationship: str = ""
    properties: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns.values() if c.required]


@dataclass(frozen=True)
class GraphModel:
    """The validated set of node and relationship types, and the record types that become them."""

    nodes: Mapping[str, NodeType]
    relationships: Mapping[str, RelationshipType]
    directory: Path = field(default=MODEL_DIR)
    records: Mapping[str, RecordType] = field(default_factory=dict)

    def node(self, label: str) -> NodeType:
        """The node type for ``label``; ModelViolationError if the model has none."""
        try:
            return self.nodes[label]
        except KeyError:
            raise ModelViolationError(f"unknown node label {label!r}") from None

    def relationship(self, rel_type: str) -> RelationshipType:
        """The relationship type ``rel_type``; ModelViolationError if the model has none."""
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise ModelViolationError(f"unknown relationship type {rel_type!r}") from None

    def check_endpoints(self, rel_type: str, source: str, target: str) -> RelationshipType:
        """Refuse a relationship whose endpoints the model does not allow."""
        rel = self.relationship(rel_type)
        if source not in rel.sources or target not in rel.targets:
            raise ModelViolationError(
                f"{rel_type} may go from {list(rel.sources)} to {list(rel.targets)}, not from {source!r} to {target!r}"
            )
        return rel

    def check_rows(
        self, owner: str, allowed: Mapping[str, Property], rows: Sequence[Mapping[str, Any]], ends: Iterable[str] = ()
    ) -> None:
        """The check every write of a store goes through: refuse rows naming a property ``owner`` does not have
        (:meth:`check_properties`; ``ends``, the endpoint columns of an edge row, aside) or holding a value
        not of its property's type (:meth:`check_values`). ModelViolationError, one line, before anything is sent.
        """
        self.check_properties(owner, allowed, {name for row in rows for name in row}.difference(ends))
        check = self.value_checker(owner, allowed)
        for row in rows:
            check(row)

    def check_values(self, owner: str, allowed: Mapping[str, Property], row: Mapping[str, Any]) -> None:
        """Refuse a row holding a value that is not of its property's model type (None is an absent value).

        ``string`` and ``date`` take text, ``integer`` a whole number (not a boolean), ``float`` any number
        (not a boolean), ``boolean`` True/False, ``list`` a list of text, numbers and booleans. NumPy scalars
        count as their Python equivalents (``np.int64`` a whole number, ``np.float64`` a float, ``np.bool_``
        a boolean): the store writes them as those.
        """
        self.value_checker(owner, allowed)(row)

    def value_checker(self, owner: str, allowed: Mapping[str, Property]) -> Callable[[Mapping[str, Any]], None]:
        """:meth:`check_values` for many rows of one owner (the usual types are told apart at once)."""
        exact = {name: _EXACT[prop.type] for name, prop in allowed.items()}
        lists = {name for name, prop in allowed.items() if prop.type == "list"}

        def check(row: Mapping[str, Any]) -> None:
            for name, value in row.items():
                types = exact.get(name)
                if types is None or type(value) in types or value is None:
                    continue
                if name in lists and type(value) is list and _EXACT_ITEMS.issuperset(map(type, value)):
                    continue
                kind = allowed[name].type
                if not _fits(kind, value):
                    shown = repr(value)[:80]
                    raise ModelViolationError(
                        f"{owner}.{name} is typed {kind} in the graph model, not {type(value).__name__} {shown}"
                    )

        return check

    def check_properties(self, owner: str, allowed: Mapping[str, Property], names: Iterable[str]) -> None:
        """Refuse property names that are neither in the model nor provenance."""
        unknown = sorted(n for n in set(names) if n not in allowed)
        if unknown:
            raise ModelViolationError(f"{owner} has no properties {unknown} in the graph model")


#: The values each property type takes (a boolean is no number, see :func:`_fits`); NumPy scalars
#: as their Python equivalents (``np.float64`` is a float already).
_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "date": (str,),
    "integer": (int, np.integer),
    "float": (float, int, np.integer, np.floating),
    "boolean": (bool, np.bool_),
    "list": (list, tuple),
}
#: What a list property's items may be.
_ITEM_TYPES: tuple[type, ...] = (str, int, float, bool, np.integer, np.floating, np.bool_)
#: Booleans, which are no numbers here although Python counts ``True`` as 1.
_BOOLEANS: tuple[type, ...] = (bool, np.bool_)


#: Types taken without a closer look (a list's items are always checked).
_EXACT: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "date": frozenset({str}),
    "integer": frozenset({int, np.int64}),
    "float": frozenset({float, int, np.float64, np.int64}),
    "boolean": frozenset({bool, np.bool_}),
    "list": frozenset(),
}
#: A list's item types taken without a closer look.
_EXACT_ITEMS = frozenset({str, int, float, bool, np.int64, np.float64, np.bool_})


def _fits(kind: str, value: Any) -> bool:
    """True when ``value`` may be stored in a property of type ``kind``."""
    if not isinstance(value, _VALUE_TYPES[kind]) or (isinstance(value, _BOOLEANS) and kind in ("integer", "float")):
        return False
    return not isinstance(value, list | tuple) or all(isinstance(item, _ITEM_TYPES) for item in value)


def _fail(source: str, where: str, message: str) -> SchemaError:
    return SchemaError(f"{source}: {where}: {message}")


def _properties(source: str, raw: Any) -> dict[str, Property]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail(source, "properties", "must be a mapping of name -> {type: ...}")
    props: dict[str, Property] = {}
    for name, spec in raw.items():
        where = f"properties.{name}"
        if not isinstance(name, str) or not PROPERTY_RE.match(name):
            raise _fail(source, where, "property names are lower_snake_case")
        if name in PROVENANCE:
            raise _fail(source, where, "is a provenance property added to every type")
        _fields(source, where, spec, _PROP_KEYS, "must be a mapping with at least 'type'")
        kind = spec.get("type")
        if kind not in PROPERTY_TYPES:
            raise _fail(source, f"{where}.type", f"{kind!r} is not one of {sorted(PROPERTY_TYPES)}")
        props[name] = Property(
            name=name,
            type=kind,
            required=bool(spec.get("required", False)),
            index=bool(spec.get("index", False)),
            sensitive=bool(spec.get("sensitive", False)),
            description=str(spec.get("description", "")),
        )
    for name, kind in PROVENANCE.items():
        props[name] = Property(name=name, type=kind)
    return props


def _read(path: Path, src: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SchemaError(f"{src}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"{src}: must be a YAML mapping")
    return data


def _node_type(path: Path) -> NodeType:
    src = f"nodes/{path.name}"
    data = _read(path, src)
    extra = set(data) - _NODE_KEYS
    if extra:
        raise _fail(src, sorted(extra)[0], f"unknown field; allowed: {sorted(_NODE_KEYS)}")
    label = data.get("label")
    if not isinstance(label, str) or not LABEL_RE.match(label):
        raise _fail(src, "label", f"{label!r} is not a CamelCase label")
    props = _properties(src, data.get("properties"))
    key = data.get("key")
    if key not in props or key in PROVENANCE:
        raise _fail(src, "key", f"{key!r} is not one of the declared properties")
    if not props[key].required:
        raise _fail(src, f"properties.{key}.required", "the key property must be required")
    return NodeType(label, key, props, str(data.get("description", "")), src)


def _labels(src: str, data: dict[str, Any], end: str, labels: Mapping[str, NodeType]) -> tuple[str, ...]:
    raw = data.get(end)
    if isinstance(raw, str):
        raw = [raw]
    if not raw or not isinstance(raw, list):
        raise _fail(src, end, "must list at least one node label")
    for label in raw:
        if label not in labels:
            raise _fail(src, end, f"{label!r} is not a node label of the model")
    return tuple(raw)


def _relationship_type(path: Path, labels: Mapping[str, NodeType]) -> RelationshipType:
    src = f"relationships/{path.name}"
    data = _read(path, src)
    extra = set(data) - _REL_KEYS
    if extra:
        raise _fail(src, sorted(extra)[0], f"unknown field; allowed: {sorted(_REL_KEYS)}")
    rel_type = data.get("type")
    if not isinstance(rel_type, str) or not REL_TYPE_RE.match(rel_type):
        raise _fail(src, "type", f"{rel_type!r} is not an UPPER_SNAKE relationship type")
    props = _properties(src, data.get("properties"))
    key = tuple(data.get("key") or ())
    for name in key:
        if name not in props or name in PROVENANCE:
            raise _fail(src, "key", f"{name!r} is not one of the declared properties")
        if not props[name].required:
            raise _fail(src, f"properties.{name}.required", "a key property must be required")
    return RelationshipType(
        rel_type,
        _labels(src, data, "from", labels),
        _labels(src, data, "to", labels),
        key,
        props,
        str(data.get("description", "")),
        src,
    )


def _flag(src: str, where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(src, where, f"{value!r} is not true or false")
    return value


def _names(src: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(src, where, "must be a list of names")
    return tuple(value)


def _record_column(src: str, where: str, name: str, spec: Any) -> RecordColumn:
    shape = "must be a mapping (kind, required, key, references, scenario, description)"
    _fields(src, where, spec, _COLUMN_KEYS, shape)
    kind = spec.get("kind", "text")
    if kind not in RECORD_KINDS:
        raise _fail(src, f"{where}.kind", f"{kind!r} is not one of {sorted(RECORD_KINDS)}")
    return RecordColumn(
        name,
        kind,
        _flag(src, f"{where}.required", spec.get("required", False)),
        _flag(src, f"{where}.key", spec.get("key", False)) or name.endswith(("_id", "_ids")),
        _names(src, f"{where}.references", spec.get("references", [])),
        _flag(src, f"{where}.scenario", spec.get("scenario", True)),
        str(spec.get("description", "")),
    )


def _fields(src: str, where: str, data: Any, allowed: AbstractSet[str], not_a_mapping: str) -> None:
    """``data`` at ``where`` is a mapping holding only ``allowed`` keys (else a one-line error naming the first)."""
    if not isinstance(data, dict):
        raise _fail(src, where, not_a_mapping)
    extra = set(data) - allowed
    if extra:
        raise _fail(src, f"{where}.{sorted(extra)[0]}", f"unknown field; allowed: {sorted(allowed)}")


def _record_type(src: str, name: str, data: Any) -> RecordType:
    _fields(src, name, data, _RECORD_KEYS, "must be a mapping with at least 'columns'")
    raw = data.get("columns")
    if not isinstance(raw, dict) or not raw:
        raise _fail(src, f"{name}.columns", "must map each column name to its description")
    columns = {col: _record_column(src, f"{name}.columns.{col}", col, spec or {}) for col, spec in raw.items()}
    columns.setdefault("classification", RecordColumn("classification", scenario=False))
    id_column = data.get("id")
    if id_column is not None and (id_column not in columns or not columns[id_column].required):
        raise _fail(src, f"{name}.id", f"{id_column!r} is not a required column of {name}")
    graph = data.get("graph") or {}
    if not isinstance(graph, dict) or set(graph) - _GRAPH_KEYS:
        raise _fail(src, f"{name}.graph", f"must be a mapping with {sorted(_GRAPH_KEYS)}")
    return RecordType(
        name,
        id_column,
        columns,
        str(data.get("description", "")),
        str(data.get("noun", name)),
        _flag(src, f"{name}.resolved", data.get("resolved", False)),
        _flag(src, f"{name}.scenario", data.get("scenario", True)),
        str(graph.get("label", "")),
        str(graph.get("relationship", "")),
        _names(src, f"{name}.graph.properties", graph.get("properties", [])),
    )


def load_records(directory: Path = MODEL_DIR) -> dict[str, RecordType]:
    """The record types of ``directory/records.yaml`` in processing order, each checked on its own.

    :func:`load_model` checks them against the node and relationship types too.
    """
    src = "records.yaml"
    data = _read(directory / src, src)
    records = {name: _record_type(src, str(name), spec) for name, spec in data.items()}
    for record in records.values():
        for column in record.columns.values():
            for target in column.references:
                if target not in records or records[target].id_column is None:
                    where = f"{record.name}.columns.{column.name}.references"
                    raise _fail(src, where, f"{target!r} is not a record type with an id")
    return records


def _check_records(
    records: Mapping[str, RecordType], nodes: Mapping[str, NodeType], rels: Mapping[str, RelationshipType]
) -> None:
    """Refuse a record type whose graph label, relationship type or copied properties the model lacks."""
    for record in records.values():
        where = f"{record.name}.graph"
        if record.label:
            if record.label not in nodes:
                raise _fail("records.yaml", f"{where}.label", f"{record.label!r} is not a node label of the model")
            allowed: Mapping[str, Property] = nodes[record.label].properties
        elif record.relationship:
            if record.relationship not in rels:
                raise _fail(
                    "records.yaml", f"{where}.relationship", f"{record.relationship!r} is not a relationship type"
                )
            allowed = rels[record.relationship].properties
        else:
            raise _fail("records.yaml", where, "names no node label or relationship type")
        owner = record.label or record.relationship
        for name in record.properties:
            if name not in record.columns:
                raise _fail("records.yaml", f"{where}.properties", f"{name!r} is not a column of {record.name}")
            if name not in allowed:
                raise _fail("records.yaml", f"{where}.properties", f"{name!r} is not a property of {owner}")
            kind, stored = record.columns[name].kind, allowed[name].type
            if stored not in KIND_STORED_AS[kind]:
                raise _fail(
                    "records.yaml",
                    f"{record.name}.columns.{name}.kind",
                    f"a {kind} column cannot fill {owner}.{name}, typed {stored} in the graph model",
                )


def model_directory() -> Path:
    """The model's folder: ``ARMSGRAPH_MODEL_DIR`` when set, else the packaged one."""
    override = os.environ.get("ARMSGRAPH_MODEL_DIR")
    return Path(override) if override else MODEL_DIR


def load_model(directory: Path = MODEL_DIR) -> GraphModel:
    """Load and validate every YAML file under ``directory/nodes`` and ``directory/relationships``."""
    nodes: dict[str, NodeType] = {}
    for path in sorted((directory / "nodes").glob("*.yaml")):
        node = _node_type(path)
        if node.label in nodes:
            raise _fail(node.source, "label", f"{node.label} is already defined in {nodes[node.label].source}")
        nodes[node.label] = node
    if not nodes:
        raise SchemaError(f"{directory}/nodes: no node types found")
    rels: dict[str, RelationshipType] = {}
    for path in sorted((directory / "relationships").glob("*.yaml")):
        rel = _relationship_type(path, nodes)
        if rel.type in rels:
            raise _fail(rel.source, "type", f"{rel.type} is already defined in {rels[rel.type].source}")
        rels[rel.type] = rel
    records = load_records(directory) if (directory / "records.yaml").is_file() else {}
    _check_records(records, nodes, rels)
    return GraphModel(nodes, rels, directory, records)


@cache
def default_records() -> dict[str, RecordType]:
    """The record types in use, read from :func:`model_directory` once per process.

    Modules build their tables from them when imported, before the CLI's start-up check runs: while
    that folder's ``records.yaml`` is broken they get the packaged record types, and :func:`default_model`
    (loaded by the start-up check and by every store) refuses to start, naming the file and the field.
    """
    try:
        return load_records(model_directory())
    except SchemaError:
        return load_records(MODEL_DIR)


@cache
def default_model() -> GraphModel:
    """The model in use, loaded once per process (``ARMSGRAPH_MODEL_DIR`` overrides the packaged one)."""
    return load_model(model_directory())
