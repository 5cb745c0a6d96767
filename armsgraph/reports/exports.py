"""Exports: CSV of any table, GEXF/GraphML of a subgraph (Gephi), FollowTheMoney-shaped entities (Aleph).

Every CSV the dashboard writes goes through :func:`to_csv`, so text a spreadsheet would run as a
formula (CSV injection) leaves armsgraph inert.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import networkx as nx
import pandas as pd

__all__ = ["FORMULA_STARTS", "ftm_entities", "inert", "subgraph", "to_csv", "to_ftm_jsonl", "to_gexf", "to_graphml"]

#: Cell starts that spreadsheets run as formulas (CSV injection); such cells get a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Reader(Protocol):
    """Anything with named reads: a GraphStore or a SecureStore."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...


def inert(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """Any table as UTF-8 CSV (lists joined with '; '); cells a spreadsheet would run as formulas are made inert.

    Rows end with CRLF (RFC 4180), so a cell holding a CR or LF is quoted: a bare CR in an unquoted cell would
    start a new row in a spreadsheet, and the rest of the cell (``=HYPERLINK(…)``) would be a fresh, live cell.
    """
    flat = frame.map(lambda v: inert("; ".join(map(str, v)) if isinstance(v, list) else v))
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


def subgraph(store: Reader, uids: Iterable[str]) -> nx.MultiDiGraph:
    """The given nodes and the relationships among them, attributes flattened to scalars."""
    wanted = sorted(set(uids))
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for row in store.read("export_nodes", uids=wanted).to_dict("records"):
        props = {k: _scalar(v) for k, v in (row["props"] or {}).items()}
        graph.add_node(row["uid"], label=row["label"], **props)
    for row in store.read("export_edges", uids=wanted).to_dict("records"):
        props = {k: _scalar(v) for k, v in (row["props"] or {}).items()}
        graph.add_edge(row["source"], row["target"], key=row["type"], type=row["type"], **props)
    return graph


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 for Gephi."""
    out = io.BytesIO()
    nx.write_gexf(graph, out)
    return out.getvalue()


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML."""
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue()


_SCHEMA = {
    "Person": "Person",
    "Organisation": "Organization",
    "Incident": "Event",
    "Firearm": "Asset",
    "Case": "Project",
    "Identifier": "Note",
}


def _ftm_id(*parts: str) -> str:
    """A stable entity id from its parts (as FtM's ``make_id``: SHA-1 over the parts)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def _entity(schema: str, entity_id: str, **values: Any) -> dict[str, Any]:
    """An FtM-shaped entity: id, schema, and every non-empty property as a list of strings."""
    properties = {k: [str(v)] for k, v in values.items() if v not in (None, "")}
    return {"id": entity_id, "schema": schema, "properties": properties}


def ftm_entities(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """FollowTheMoney-shaped entities (plain JSON, no FtM library): persons, organisations, incidents, firearms, cases.

    Incidents become Events with their involved persons and organisations (``involved``); a firearm
    seized in an incident becomes an Asset linked to it by an UnknownLink (role "seized");
    memberships become Membership. Property names follow FtM's schemata, so ``ftm``/Aleph load the lines.
    """
    entities: dict[str, dict[str, Any]] = {}
    for uid, data in graph.nodes(data=True):
        schema = _SCHEMA.get(str(data.get("label")))
        if schema is not None:
            name = data.get("name") or data.get("title") or data.get("serial") or data.get("value")
            name = name or str(uid).rsplit(":", 1)[-1]  # an incident by the id its bundle gave it
            notes = f"armsgraph {uid}; sources: {data.get('sources', '')}"
            extra = _ftm_extra(schema, data)
            entities[uid] = _entity(schema, _ftm_id("armsgraph", uid), name=name, notes=notes, **extra)
    return [*entities.values(), *_ftm_links(graph, entities)]


def _ftm_extra(schema: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The FtM properties a schema carries beyond name and notes."""
    if schema == "Person":
        return {"nationality": data.get("nationality"), "birthDate": data.get("date_of_birth")}
    if schema == "Organization":
        return {"country": data.get("country")}
    if schema == "Event":
        return {"date": data.get("date"), "country": data.get("country"), "summary": data.get("context")}
    if schema == "Asset":
        return {"description": " ".join(str(data.get(k)) for k in ("make", "model", "type", "calibre") if data.get(k))}
    return {}


def _ftm_links(graph: nx.MultiDiGraph, entities: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Involvements added to their Event (``involved``); memberships and seizures as link entities."""
    links = []
    for source, target, data in graph.edges(data=True):
        kind = data.get("type")
        if source not in entities or target not in entities:
            continue
        a, b = entities[source]["id"], entities[target]["id"]
        if kind == "INVOLVED_IN":
            entities[target]["properties"].setdefault("involved", []).append(a)
        elif kind == "MEMBER_OF":
            links.append(
                _entity("Membership", _ftm_id("armsgraph", source, target, "member"), member=a, organization=b)
            )
        elif kind == "SEIZED":
            link = _ftm_id("armsgraph", source, target, "seized")
            links.append(_entity("UnknownLink", link, subject=a, object=b, role="seized"))
    return links


def to_ftm_jsonl(graph: nx.MultiDiGraph) -> bytes:
    """FtM-shaped entities as JSON Lines (``ftm`` / Aleph load this)."""
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ftm_entities(graph)).encode("utf-8")


def record_aggregate_download(store: Any, what: str, rows: int) -> None:
    """Audit the download of an aggregate table (figures that name no one; any role may take these away)."""
    from armsgraph import audit
    from armsgraph.access import SecureStore

    if isinstance(store, SecureStore) and store.audit_dir is not None:
        who = store.principal
        audit.record(store.audit_dir, who.user, who.role, "export", what, {"aggregate": True, "rows": rows})
