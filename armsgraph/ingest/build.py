"""From resolved records to graph rows: nodes and relationships with deterministic uids and provenance.

uids (documented in docs/formats.md): ``incident:<source>:<incident_id>``,
``country:AAA``, ``subdivision:US-IL``, ``city:<parent code>:<name>``,
``route:<mode>:<stop>>...>``, firearm/person/organisation uids from
:mod:`armsgraph.ingest.resolve`, ``identifier:<kind>:<normalised value>``,
``trace:<source>:<trace_id>``, ``transfer:<firearm uid>:<order>``,
``case:<source>:<case_id>``, ``ballistic:<source>:<evidence_id>``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from armsgraph.errors import InvalidValueError
from armsgraph.graph.model import default_model
from armsgraph.graph.store import chunks
from armsgraph.ingest.normalise import country_name
from armsgraph.ingest.normalise.countries import is_subdivision_code, subdivision_name
from armsgraph.ingest.normalise.names import IdentifierValueType
from armsgraph.ingest.records import RECORD_TYPES
from armsgraph.ingest.report import RowError, problem
from armsgraph.ingest.resolve import Entity, Resolution, org_key, person_key, slug
from armsgraph.ingest.spill import Spill, SpillFolder
from armsgraph.ingest.validate import AnyRecord, CompactRecord, Record

#: The rows of one step: a list, or a spill on disk (a whole bundle's rows need not fit in memory).
Rows = list[dict[str, Any]] | Spill[dict[str, Any]]


def _copied(record_type: str) -> tuple[str, ...]:
    """The columns the record schema (``graph.properties``) copies onto what a record of ``record_type`` becomes."""
    return RECORD_TYPES[record_type].properties


INCIDENT_PROPS = _copied("incidents")
#: A firearm's properties: its normalised serial (derived while normalising) next to its serial.
FIREARM_PROPS = tuple(p for c in _copied("firearms") for p in ((c, "serial_normalised") if c == "serial" else (c,)))
TRACE_PROPS = _copied("traces")
TRANSFER_PROPS = _copied("transfers")
CASE_PROPS = _copied("cases")
BALLISTIC_PROPS = _copied("ballistics")
INVOLVEMENT_PROPS = _copied("involvements")
ASSOCIATION_PROPS = _copied("associations")


@dataclass
class Step:
    """One write: nodes of a label, relationships of a type, or a named statement over rows."""

    kind: str
    name: str
    rows: Rows
    from_label: str = ""
    to_label: str = ""

    @property
    def title(self) -> str:
        """How the progress bar names this step."""
        return f"{self.name} ({self.from_label}->{self.to_label})" if self.kind == "relationships" else self.name

    def batches(self, size: int) -> Iterator[list[dict[str, Any]]]:
        """The rows in consecutive lists of at most ``size``."""
        if isinstance(self.rows, Spill):
            return self.rows.batches(size)
        return (list(part) for part in chunks(self.rows, size))


@dataclass
class GraphRows:
    """Everything to write for one bundle, in dependency order, plus problems found while building."""

    nodes: dict[str, Rows] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[tuple[str, str, str], Rows] = field(default_factory=lambda: defaultdict(list))
    record_ids: dict[str, Rows] = field(default_factory=lambda: defaultdict(list))
    problems: list[RowError] = field(default_factory=list)

    @classmethod
    def spilled(cls, folder: SpillFolder) -> GraphRows:
        """Graph rows kept on disk in ``folder``, one spill per step."""

        def new() -> Rows:
            return folder.spill("rows")

        return cls(defaultdict(new), defaultdict(new), defaultdict(new))

    def steps(self) -> list[Step]:
        """Node steps, then relationship steps, then record-id unions (a stable order)."""
        out = [Step("nodes", label, rows) for label, rows in self.nodes.items()]
        out += [Step("relationships", t, rows, f, to) for (t, f, to), rows in self.relationships.items()]
        out += [
            Step("statement", f"ingest_record_ids_{label.lower()}", rows) for label, rows in self.record_ids.items()
        ]
        return out


class Builder:
    """Turns records + resolution into :class:`GraphRows`."""

    def __init__(
        self, source: str, batch_id: str, classification: str, resolution: Resolution, out: GraphRows | None = None
    ) -> None:
        self.source = slug(source)
        self.batch_id = batch_id
        self.classification = classification
        self.res = resolution
        self.out = out if out is not None else GraphRows()
        self._checks: dict[str, Callable[[Mapping[str, Any]], None]] = {}
        self._places: set[str] = set()
        self._prov_of: AnyRecord | None = None
        self._prov: dict[str, Any] = {}

    def _checked(self, owner: str, row: Mapping[str, Any], node: bool) -> None:
        """Refuse a row whose values are not of the graph model's property types (ModelViolationError)."""
        check = self._checks.get(owner)
        if check is None:
            model = default_model()
            allowed = model.node(owner).properties if node else model.relationship(owner).properties
            check = self._checks[owner] = model.value_checker(owner, allowed)
        check(row)

    # -- helpers ---------------------------------------------------------------------
    def prov(self, record: AnyRecord) -> dict[str, Any]:
        """Provenance of a row written for ``record`` (made once for the rows of one record in a row; copied
        into each row, never changed)."""
        if record is not self._prov_of:
            self._prov_of = record
            self._prov = {
                "src_file": record.file,
                "src_row": record.row,
                "batch_id": self.batch_id,
                "classification": record.get("classification") or self.classification,
            }
        return self._prov

    def node(
        self, label: str, uid: str, record: AnyRecord, props: dict[str, Any], classification: str | None = None
    ) -> None:
        row = {"uid": uid, **{k: v for k, v in props.items() if v not in (None, "", [])}, **self.prov(record)}
        if classification:
            row["classification"] = classification
        self._checked(label, row, node=True)
        self.out.nodes[label].append(row)

    def rel(
        self,
        rel_type: str,
        from_label: str,
        from_uid: str,
        to_label: str,
        to_uid: str,
        record: AnyRecord,
        **props: Any,
    ) -> None:
        row = {"from": from_uid, "to": to_uid, **{k: v for k, v in props.items() if v is not None}, **self.prov(record)}
        self._checked(rel_type, row, node=False)
        self.out.relationships[(rel_type, from_label, to_label)].append(row)

    def uid(self, kind: str, record_id: Any) -> str:
        return f"{kind}:{self.source}:{record_id}"

    def party(self, party_id: str) -> tuple[str, str]:
        """(label, uid) of a person or organisation record id."""
        if party_id in self.res.uid_of["Person"]:
            return "Person", self.res.uid_of["Person"][party_id]
        return "Organisation", self.res.uid_of["Organisation"][party_id]

    def place(
        self, record: AnyRecord, country: str | None, subdivision: str | None = None, city: str | None = None
    ) -> str | None:
        """The most specific place uid, creating the chain of places and IN edges once per bundle."""
        if not country:
            return None
        uid = f"country:{country}"
        if uid not in self._places:
            self._places.add(uid)
            self.node(
                "Place", uid, record, {"name": country_name(country), "kind": "country", "code": country}, "public"
            )
        area = country
        if subdivision:
            # a subdivision kept as recorded (no ISO 3166-2 code) is named within its country
            area = subdivision if is_subdivision_code(subdivision) else f"{country}:{slug(subdivision)}"
            parent, uid = uid, f"subdivision:{area}"
            if uid not in self._places:
                self._places.add(uid)
                props = (
                    {"name": subdivision_name(subdivision), "kind": "subdivision", "code": subdivision}
                    if is_subdivision_code(subdivision)
                    else {"name": subdivision, "kind": "subdivision"}
                )
                self.node("Place", uid, record, props, "public")
                self.rel("IN", "Place", uid, "Place", parent, record, classification="public")
        if city:
            parent, uid = uid, f"city:{area}:{slug(city)}"
            if uid not in self._places:
                self._places.add(uid)
                self.node("Place", uid, record, {"name": city, "kind": "city"}, "public")
                self.rel("IN", "Place", uid, "Place", parent, record, classification="public")
        return uid

    # -- record types ----------------------------------------------------------------------
    def incident(self, record: Record) -> None:
        uid = self.uid("incident", record.get("incident_id"))
        self.node("Incident", uid, record, {k: record.get(k) for k in INCIDENT_PROPS})
        where = self.place(record, record.get("country"), record.get("subdivision"), record.get("city"))
        if where:
            self.rel("AT", "Incident", uid, "Place", where, record)
        self.route(record, uid)

    def route(self, record: Record, incident_uid: str) -> None:
        stops: list[tuple[str, str]] = []
        dep = self.place(record, record.get("departure_country"), record.get("departure_subdivision"))
        if dep:
            stops.append(("departure", dep))
        stops += [("transit", self.place(record, c) or "") for c in record.get("transit_countries") or []]
        dest = self.place(record, record.get("destination_country"), record.get("destination_subdivision"))
        if dest:
            stops.append(("destination", dest))
        if len(stops) < 2:
            if stops:
                self.out.problems.append(
                    problem(
                        record.file,
                        record.row,
                        "departure_country",
                        None,
                        "a route needs at least two places; no route written",
                        record.record_type,
                        "warning",
                    )
                )
            return
        mode = record.get("route_mode")
        codes = [s.split(":", 1)[1] for _, s in stops]
        uid = f"route:{slug(mode or 'any')}:{'>'.join(codes)}"
        self.node(
            "Route",
            uid,
            record,
            {
                "mode": mode,
                "departure": codes[0] if dep else None,
                "destination": codes[-1] if dest else None,
                "transit": [c for (role, _), c in zip(stops, codes, strict=True) if role == "transit"],
            },
        )
        for order, (role, place) in enumerate(stops):
            self.rel("LEG", "Route", uid, "Place", place, record, order=order, role=role)
        self.rel("ALONG", "Incident", incident_uid, "Route", uid, record)

    def entity_nodes(self) -> None:
        for entity in self.res.entities["Firearm"].values():
            self._entity(
                entity,
                "firearm_record_id",
                {k: entity.first(k) for k in FIREARM_PROPS} | {"resolution": entity.resolution},
            )
        for entity in self.res.entities["Person"].values():
            name = entity.first("name")
            others = sorted(
                {n for r in entity.records for n in [r.get("name"), *(r.get("aliases") or [])] if n and n != name}
            )
            self._entity(
                entity,
                "person_record_id",
                {
                    "name": name,
                    "name_normalised": person_key(str(name)),
                    "aliases": others,
                    "date_of_birth": entity.first("date_of_birth"),
                    "nationality": entity.first("nationality"),
                    "gender": entity.first("gender"),
                    "resolution": entity.resolution,
                },
            )
        for entity in self.res.entities["Organisation"].values():
            self._entity(
                entity,
                "org_id",
                {
                    "name": entity.first("name"),
                    "name_normalised": org_key(str(entity.first("name"))),
                    "kind": entity.first("kind"),
                    "country": entity.first("country"),
                    "resolution": entity.resolution,
                },
            )
            where = self.place(entity.records[0], entity.first("country"))
            if where:
                self.rel("AT", "Organisation", entity.uid, "Place", where, entity.records[0])

    def _entity(self, entity: Entity, id_column: str, props: dict[str, Any]) -> None:
        for record in entity.records:
            self.node(entity.label, entity.uid, record, props, entity.classification)
        ids = sorted({f"{self.source}/{r.get(id_column)}" for r in entity.records})
        self.out.record_ids[entity.label].append({"uid": entity.uid, "record_ids": ids})

    def firearm_link(self, record: Record) -> None:
        firearm = self.res.uid_of["Firearm"][str(record.get("firearm_record_id"))]
        self.rel(
            "SEIZED",
            "Incident",
            self.uid("incident", record.get("incident_id")),
            "Firearm",
            firearm,
            record,
            status=record.get("status"),
        )

    def person_links(self, record: Record) -> None:
        person = self.res.uid_of["Person"][str(record.get("person_record_id"))]
        for org_id in record.get("organisation_ids") or []:
            self.rel("MEMBER_OF", "Person", person, "Organisation", self.res.uid_of["Organisation"][org_id], record)

    def involvement(self, record: Record) -> None:
        label, uid = self.party(str(record.get("party_id")))
        self.rel(
            "INVOLVED_IN",
            label,
            uid,
            "Incident",
            self.uid("incident", record.get("incident_id")),
            record,
            **({k: record.get(k) for k in INVOLVEMENT_PROPS} | {"role": str(record.get("role")).lower()}),
        )

    def association(self, record: Record) -> None:
        """A recorded tie between two parties: one ASSOCIATED_WITH edge per pair and kind (no incident)."""
        from_label, from_uid = self.party(str(record.get("from_id")))
        to_label, to_uid = self.party(str(record.get("to_id")))
        kind = str(record.get("kind") or "association").lower()
        self.rel(
            "ASSOCIATED_WITH",
            from_label,
            from_uid,
            to_label,
            to_uid,
            record,
            **({k: record.get(k) for k in ASSOCIATION_PROPS} | {"kind": kind}),
        )

    def identifier(self, record: Record) -> None:
        kind = str(record.get("kind")).strip().lower()
        try:
            value = IdentifierValueType(kind).clean(record.get("value"))
        except InvalidValueError as exc:
            self.out.problems.append(
                problem(record.file, record.row, "value", record.get("value"), str(exc), record.record_type)
            )
            return
        uid = f"identifier:{slug(kind)}:{value}"
        self.node("Identifier", uid, record, {"kind": kind, "value": record.get("value"), "value_normalised": value})
        owner = str(record.get("owner_id"))
        if owner in self.res.uid_of["Person"] or owner in self.res.uid_of["Organisation"]:
            label, owner_uid = self.party(owner)
        else:
            label, owner_uid = "Incident", self.uid("incident", owner)
        self.rel("USES", label, owner_uid, "Identifier", uid, record)

    def trace(self, record: Record, incident_of: Mapping[str, str]) -> None:
        uid = self.uid("trace", record.get("trace_id"))
        self.node("TraceRequest", uid, record, {k: record.get(k) for k in TRACE_PROPS})
        firearm_id = str(record.get("firearm_record_id"))
        self.rel("FOR", "TraceRequest", uid, "Firearm", self.res.uid_of["Firearm"][firearm_id], record)
        self.rel("REQUESTED_IN", "TraceRequest", uid, "Incident", self.uid("incident", incident_of[firearm_id]), record)

    def transfer(self, record: Record) -> None:
        firearm = self.res.uid_of["Firearm"][str(record.get("firearm_record_id"))]
        order = int(record.get("order"))
        uid = f"transfer:{firearm}:{order}"
        self.node(
            "Transfer",
            uid,
            record,
            {k: record.get(k) for k in TRANSFER_PROPS} | {"order": order},
        )
        self.rel("HISTORY", "Firearm", firearm, "Transfer", uid, record, order=order)
        for column, rel_type in (("from_party", "FROM"), ("to_party", "TO")):
            if record.get(column):
                label, party = self.party(str(record.get(column)))
                self.rel(rel_type, "Transfer", uid, label, party, record)

    def case(self, record: Record) -> None:
        uid = self.uid("case", record.get("case_id"))
        self.node(
            "Case",
            uid,
            record,
            {k: record.get(k) for k in CASE_PROPS},
        )
        for incident in record.get("incident_ids") or []:
            self.rel("CONCERNS", "Case", uid, "Incident", self.uid("incident", incident), record)
        for defendant in record.get("defendant_ids") or []:
            label, party = self.party(defendant)
            self.rel("CHARGES", "Case", uid, label, party, record)

    def ballistics(self, records: Iterable[Record]) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        first: dict[str, CompactRecord] = {}
        for record in records:
            uid = self.uid("ballistic", record.get("evidence_id"))
            self.node("BallisticEvidence", uid, record, {k: record.get(k) for k in BALLISTIC_PROPS})
            self.rel(
                "RECOVERED_AT",
                "BallisticEvidence",
                uid,
                "Incident",
                self.uid("incident", record.get("incident_id")),
                record,
            )
            if record.get("hit_group"):
                group = str(record.get("hit_group"))
                groups[group].append(uid)
                if group not in first:
                    first[group] = CompactRecord.of(record)
        for group, members in sorted(groups.items()):  # a star from the first piece: n-1 edges, not all pairs
            hub, *rest = sorted(set(members))
            for other in rest:
                self.rel("HIT", "BallisticEvidence", hub, "BallisticEvidence", other, first[group])

    def candidates(self) -> None:
        for c in self.res.candidates:
            record = self.res.entities[c.label][c.left].records[0]
            self.rel("POSSIBLY_SAME", c.label, c.left, c.label, c.right, record, rule=c.rule, score=c.score)


def transfer_order(record: Record) -> int:
    """Where a transfer stands in its firearm's history (transfers are built in this order)."""
    return int(record.get("order"))


def build_rows(
    records_of: Callable[[str], Iterable[Record]],
    resolution: Resolution,
    source: str,
    batch_id: str,
    classification: str,
    out: GraphRows | None = None,
    incident_of: Mapping[str, str] | None = None,
    sort: Callable[..., Iterable[Record]] = sorted,
) -> GraphRows:
    """Graph rows for the accepted records of each type, read once per type in the order given.

    ``incident_of`` (firearm record id -> incident id of each accepted firearm) is collected from
    the firearms when not given; ``sort(records, key=...)`` orders the transfers (stable).
    """
    builder = Builder(source, batch_id, classification, resolution, out)
    for record in records_of("incidents"):
        builder.incident(record)
    builder.entity_nodes()
    collected: dict[str, str] = {}
    for record in records_of("firearms"):
        if incident_of is None:
            collected[str(record.get("firearm_record_id"))] = str(record.get("incident_id"))
        builder.firearm_link(record)
    for record in records_of("persons"):
        builder.person_links(record)
    for record in records_of("involvements"):
        builder.involvement(record)
    for record in records_of("associations"):
        builder.association(record)
    for record in records_of("identifiers"):
        builder.identifier(record)
    for record in records_of("traces"):
        builder.trace(record, collected if incident_of is None else incident_of)
    for record in sort(records_of("transfers"), key=transfer_order):
        builder.transfer(record)
    for record in records_of("cases"):
        builder.case(record)
    builder.ballistics(records_of("ballistics"))
    builder.candidates()
    return builder.out
