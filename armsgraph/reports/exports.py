"""Exports: CSV of any table, GEXF/GraphML of a subgraph (Gephi), FollowTheMoney entities (Aleph).

Every CSV the dashboard writes goes through :func:`to_csv`, so text a spreadsheet would run as a
formula (CSV injection) leaves armsgraph inert.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, Protocol

import networkx as nx
import pandas as pd
from followthemoney import model

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


def ftm_entities(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """FollowTheMoney entities for the subgraph's persons, organisations, incidents, firearms and cases.

    Incidents become Events with their involved persons and organisations; a firearm seized in an
    incident becomes an Asset linked to it by an UnknownLink (role "seized"); memberships become
    Membership. Every entity is validated by FtM's model (unknown values are dropped by FtM).
    """
    proxies: dict[str, Any] = {}
    for uid, data in graph.nodes(data=True):
        schema = _SCHEMA.get(str(data.get("label")))
        if schema is None:
            continue
        proxy = model.make_entity(schema)
        proxy.make_id("armsgraph", uid)
        name = data.get("name") or data.get("title") or data.get("serial") or data.get("value") or uid
        proxy.add("name", str(name))
        if schema == "Person":
            proxy.add("nationality", data.get("nationality"), quiet=True)
            proxy.add("birthDate", data.get("date_of_birth"), quiet=True)
        elif schema == "Organization":
            proxy.add("country", data.get("country"), quiet=True)
        elif schema == "Event":
            proxy.add("date", data.get("date"), quiet=True)
            proxy.add("country", data.get("country"), quiet=True)
            proxy.add("summary", data.get("context"), quiet=True)
        elif schema == "Asset":
            description = " ".join(str(data.get(k)) for k in ("make", "model", "type", "calibre") if data.get(k))
            proxy.add("description", description or None, quiet=True)
        proxy.add("sourceUrl", None, quiet=True)
        proxy.add("notes", f"armsgraph {uid}; sources: {data.get('sources', '')}", quiet=True)
        proxies[uid] = proxy
    links = []
    for source, target, data in graph.edges(data=True):
        kind = data.get("type")
        if kind == "INVOLVED_IN" and source in proxies and target in proxies:
            proxies[target].add("involved", proxies[source].id)
        elif kind == "MEMBER_OF" and source in proxies and target in proxies:
            link = model.make_entity("Membership")
            link.make_id("armsgraph", source, target, "member")
            link.add("member", proxies[source].id)
            link.add("organization", proxies[target].id)
            links.append(link)
        elif kind == "SEIZED" and source in proxies and target in proxies:
            link = model.make_entity("UnknownLink")
            link.make_id("armsgraph", source, target, "seized")
            link.add("subject", proxies[source].id)
            link.add("object", proxies[target].id)
            link.add("role", "seized")
            links.append(link)
    return [p.to_dict() for p in [*proxies.values(), *links]]


def to_ftm_jsonl(graph: nx.MultiDiGraph) -> bytes:
    """FtM entities as JSON Lines (``ftm`` / Aleph load this)."""
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ftm_entities(graph)).encode("utf-8")
