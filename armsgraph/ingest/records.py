"""The record types of an ingest bundle (docs/formats.md): columns, kinds and required fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from armsgraph.settings import CLASSIFICATIONS as CLASSIFICATIONS  # one list, for settings and records


@dataclass(frozen=True)
class Column:
    """One column of a record type: its kind (how it is validated and normalised) and whether it is required."""

    name: str
    kind: str = "text"
    required: bool = False


#: Column kinds: primitive ones are coerced in *validate*, the others cleaned by a registered type in *normalise*.
#: ``count`` is an integer that cannot be negative (quantities, casualties).
PRIMITIVE_KINDS = frozenset({"text", "integer", "count", "float", "boolean", "list"})
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


@dataclass(frozen=True)
class RecordType:
    """A record type: file name stem, id column (None for link tables) and columns."""

    name: str
    id_column: str | None
    columns: Mapping[str, Column]

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns.values() if c.required]


def _type(name: str, id_column: str | None, *columns: Column) -> RecordType:
    cols = {c.name: c for c in (*columns, Column("classification"))}
    return RecordType(name, id_column, cols)


C = Column
# fmt: off
RECORD_TYPES: dict[str, RecordType] = {
    t.name: t
    for t in (
        _type(
            "incidents", "incident_id",
            C("incident_id", required=True), C("date", "date", True), C("kind"), C("context"), C("agency"),
            C("country", "country", True), C("subdivision", "subdivision"), C("city"), C("lat", "float"),
            C("lon", "float"), C("x", "float"), C("y", "float"), C("transport_mode"), C("concealment"),
            C("departure_country", "country"), C("departure_subdivision", "subdivision"),
            C("transit_countries", "country_list"), C("destination_country", "country"),
            C("destination_subdivision", "subdivision"), C("route_mode"), C("ammunition_qty", "count"),
            C("parts_qty", "count"), C("firearms_qty", "count"), C("description"),
            C("attack_type"), C("target_type"), C("weapon_types", "list"), C("killed", "integer"),
            C("injured", "integer"),
        ),
        _type(
            "firearms", "firearm_record_id",
            C("firearm_record_id", required=True), C("incident_id", required=True), C("serial"), C("make", "make"),
            C("model"), C("type", "firearm_type", True), C("calibre", "calibre"),
            C("country_of_manufacture", "country"), C("year", "integer"), C("marking_status", "marking"),
            C("manufacture_mode", "mode"), C("status"),
        ),
        _type(
            "persons", "person_record_id",
            C("person_record_id", required=True), C("name", required=True), C("aliases", "list"),
            C("date_of_birth", "date"), C("nationality", "country"), C("organisation_ids", "list"), C("gender"),
        ),
        _type(
            "organisations", "org_id",
            C("org_id", required=True), C("name", required=True), C("kind", required=True), C("country", "country"),
        ),
        _type("involvements", None, C("incident_id", required=True), C("party_id", required=True),
              C("role", required=True), C("status"), C("age", "count"), C("age_group")),
        _type("associations", None, C("from_id", required=True), C("to_id", required=True), C("kind"),
              C("weight", "float"), C("date", "date"), C("source")),
        _type("identifiers", None, C("owner_id", required=True), C("kind", required=True),
              C("value", required=True)),
        _type(
            "traces", "trace_id",
            C("trace_id", required=True), C("firearm_record_id", required=True),
            C("requesting_state", "country", True), C("requested_state", "country"), C("sent", "date", True),
            C("acknowledged", "date"), C("answered", "date"), C("status", required=True), C("outcome"),
        ),
        _type(
            "transfers", None,
            C("firearm_record_id", required=True), C("order", "integer", True), C("kind", required=True),
            C("date", "date"), C("country", "country"), C("from_party"), C("to_party"),
            C("last_legal", "boolean"), C("diversion", "boolean"),
        ),
        _type(
            "cases", "case_id",
            C("case_id", required=True), C("title"), C("jurisdiction", "country", True), C("offences", "list"),
            C("status"), C("opened", "date"), C("joint_investigation_team", "boolean"), C("mla_requests", "list"),
            C("incident_ids", "list"), C("defendant_ids", "list"),
        ),
        _type(
            "ballistics", "evidence_id",
            C("evidence_id", required=True), C("incident_id", required=True), C("kind"), C("calibre", "calibre"),
            C("hit_group"),
        ),
    )
}
# fmt: on

#: The order in which record types are processed (parties before the links that name them).
ORDER = tuple(RECORD_TYPES)


def record_type(name: str) -> RecordType:
    """The record type named ``name`` (KeyError naming the known ones)."""
    try:
        return RECORD_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown record type {name!r}; known: {', '.join(RECORD_TYPES)}") from None
