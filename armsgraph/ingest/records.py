"""The record types of an ingest bundle (docs/formats.md): columns, kinds, required fields, references and
what each record becomes in the graph, declared as data in ``armsgraph/graph/model/records.yaml``."""

from __future__ import annotations

from collections.abc import Mapping

from armsgraph.graph.model import RecordColumn as Column
from armsgraph.graph.model import RecordType, default_records
from armsgraph.settings import CLASSIFICATIONS as CLASSIFICATIONS  # one list, for settings and records

#: Column kinds coerced to a primitive in *validate* (``count`` is an integer that cannot be negative).
PRIMITIVE_KINDS = frozenset({"text", "integer", "count", "float", "boolean", "list"})
#: The other column kinds: the registered normaliser that cleans each in *normalise*.
NORMALISED_KINDS: Mapping[str, str] = {
    "date": "date",
    "country": "country",
    "country_list": "country",
    "subdivision": "subdivision",
    "calibre": "calibre",
    "make": "make",
    "firearm_type": "firearm type",
    "marking": "marking status",
    "mode": "manufacture mode",
}

#: Every record type by name, in processing order (parties before the links that name them).
RECORD_TYPES: dict[str, RecordType] = default_records()
#: The order in which record types are processed.
ORDER = tuple(RECORD_TYPES)
#: Record types resolution groups into entities (firearms, persons, organisations).
RESOLVED = tuple(name for name, spec in RECORD_TYPES.items() if spec.resolved)


def record_type(name: str) -> RecordType:
    """The record type named ``name`` (KeyError naming the known ones)."""
    try:
        return RECORD_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown record type {name!r}; known: {', '.join(RECORD_TYPES)}") from None


__all__ = ["CLASSIFICATIONS", "NORMALISED_KINDS", "ORDER", "PRIMITIVE_KINDS", "RECORD_TYPES", "Column", "RecordType"]
