"""The graph model as data: one YAML file per node type and per relationship type.

The model is loaded once and refuses an inconsistent schema at start-up with a
message that names the file and the field. Labels, relationship types and
property names reach Cypher only through this model, never from user text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class GraphModel:
    """The validated set of node and relationship types."""

    nodes: Mapping[str, NodeType]
    relationships: Mapping[str, RelationshipType]
    directory: Path = field(default=MODEL_DIR)

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

    def check_properties(self, owner: str, allowed: Mapping[str, Property], names: Iterable[str]) -> None:
        """Refuse property names that are neither in the model nor provenance."""
        unknown = sorted(n for n in set(names) if n not in allowed)
        if unknown:
            raise ModelViolationError(f"{owner} has no properties {unknown} in the graph model")


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
        if not isinstance(spec, dict):
            raise _fail(source, where, "must be a mapping with at least 'type'")
        extra = set(spec) - _PROP_KEYS
        if extra:
            raise _fail(source, f"{where}.{sorted(extra)[0]}", f"unknown field; allowed: {sorted(_PROP_KEYS)}")
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
    return GraphModel(nodes, rels, directory)


@cache
def default_model() -> GraphModel:
    """The model in use, loaded once per process (``ARMSGRAPH_MODEL_DIR`` overrides the packaged one)."""
    override = os.environ.get("ARMSGRAPH_MODEL_DIR")
    return load_model(Path(override) if override else MODEL_DIR)
