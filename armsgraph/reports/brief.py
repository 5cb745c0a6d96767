"""Linked-case briefs for prosecutors: every statement cited to its source records.

``build_brief(store, case_uid)`` reads the case through named queries (so a
:class:`~armsgraph.access.SecureStore` applies the reader's rights) and returns a
:class:`Brief` that renders as Markdown, self-contained HTML or PDF. Record text is
untrusted: it is escaped in every format.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from armsgraph.access import LEVELS, level
from armsgraph.errors import ArmsgraphError

__all__ = ["Brief", "build_brief"]

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|<>~])")


class Reader(Protocol):
    """Anything with named reads: a GraphStore or a SecureStore."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...


class Citations:
    """Numbered source records: ``cite(props)`` returns the numbers of a node's or edge's sources."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, sources: Any, batch: Any = None) -> list[int]:
        out = []
        for ref in sources if isinstance(sources, list) else []:
            text = _reference(str(ref), batch)
            out.append(self.numbers.setdefault(text, len(self.numbers) + 1))
        return sorted(set(out))

    @property
    def entries(self) -> list[str]:
        return [text for text, _ in sorted(self.numbers.items(), key=lambda item: item[1])]


def _reference(ref: str, batch: Any) -> str:
    file, _, row = ref.rpartition(":")
    text = f"{file}, row {row}" if file and row else ref
    return f"{text} (batch {batch})" if batch else text


@dataclass
class Brief:
    """The structured content of a linked-case brief."""

    case_uid: str
    title: str
    classification: str
    summary: list[tuple[str, str]]
    incidents: list[dict[str, Any]]
    linked: list[dict[str, Any]]
    firearms: list[dict[str, Any]]
    persons: list[dict[str, Any]]
    citations: list[str]
    graph: nx.Graph = field(default_factory=nx.Graph)

    @property
    def timeline(self) -> list[dict[str, Any]]:
        """Every incident of the brief, in date order."""
        rows = [{**i, "kind_of_link": "case"} for i in self.incidents]
        rows += [{**i, "kind_of_link": "linked"} for i in self.linked]
        return sorted(rows, key=lambda r: (str(r.get("date") or ""), r["uid"]))

    @property
    def markdown(self) -> str:
        """The brief as Markdown (record text escaped)."""
        e = _md
        out = [f"**{self.classification.upper()}**", "", f"# Linked-case brief: {e(self.title)}", ""]
        out += [f"- **{k}**: {e(v)}" for k, v in self.summary] + ["", "## Incidents in the case", ""]
        out += [
            f"- {e(i['uid'])} — {e(i.get('date'))}, {e(i.get('country'))}, {e(i.get('context'))} {_cites(i)}"
            for i in self.incidents
        ]
        out += ["", "## Linked incidents and why", ""]
        out += [
            f"- {e(i['uid'])} ({e(i.get('date'))}, {e(i.get('context'))}) linked to {e(i['from_uid'])} by "
            f"{e(', '.join(i['why']))} {_cites(i)}"
            for i in self.linked
        ] or ["- none found"]
        out += ["", "## Firearms and their histories", ""]
        for f in self.firearms:
            out.append(f"- {e(f['caption'])} {_cites(f)}")
            out += [f"  - {e(step)}" for step in f["history"]]
        out += ["", "## Persons and roles", ""]
        out += [f"- {e(p['name'])}: {e(', '.join(p['roles']))} {_cites(p)}" for p in self.persons] or ["- none"]
        out += ["", "## Timeline", ""]
        out += [
            f"- {e(t.get('date'))}: {e(t['uid'])} ({e(t.get('context'))}, {t['kind_of_link']})" for t in self.timeline
        ]
        out += ["", "## Sources", ""] + [f"{n}. {e(text)}" for n, text in enumerate(self.citations, start=1)]
        return "\n".join(out) + "\n"

    def html(self) -> str:
        """Self-contained HTML (no external resources), autoescaped."""
        env = Environment(loader=PackageLoader("armsgraph.reports", "templates"), autoescape=select_autoescape())
        return env.get_template("brief.html").render(
            brief=self, network_svg=_network_svg(self.graph), map_svg=_map_svg(self.timeline)
        )

    def pdf(self) -> bytes:
        """The brief as PDF (DejaVu font when installed, so any script prints)."""
        from fpdf import FPDF

        pdf = FPDF()
        font = next((d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists()), None)
        family = "Helvetica"
        if font is not None:
            pdf.add_font("DejaVu", "", str(font / "DejaVuSans.ttf"))
            pdf.add_font("DejaVu", "B", str(font / "DejaVuSans-Bold.ttf"))
            family = "DejaVu"
        banner = self.classification.upper()
        pdf.set_auto_page_break(auto=True, margin=15)

        def text(value: str) -> str:
            return value if family == "DejaVu" else value.encode("latin-1", "replace").decode("latin-1")

        pdf.add_page()
        for line in self.markdown.splitlines():
            if pdf.get_y() < 15:
                pdf.set_font(family, "B", 8)
                pdf.cell(0, 5, text(banner), align="C", new_x="LMARGIN", new_y="NEXT")
            heading = line.startswith("#")
            pdf.set_font(family, "B" if heading or line == f"**{banner}**" else "", 13 if heading else 9)
            clean = _unmd(line.lstrip("# ").replace("**", ""))
            pdf.multi_cell(0, 6 if heading else 4.5, text(clean), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


def _md(value: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def _unmd(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _cites(item: dict[str, Any]) -> str:
    numbers = item.get("cites") or []
    return "[" + ", ".join(str(n) for n in numbers) + "]" if numbers else ""


def _network_svg(graph: nx.Graph, size: int = 520) -> str:
    """A small SVG of the case subgraph (spring layout, seeded)."""
    if graph.number_of_nodes() == 0:
        return ""
    pos = nx.spring_layout(graph, seed=7)
    scale = (size - 60) / 2

    def xy(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return 30 + (x + 1) * scale, 30 + (y + 1) * scale

    colours = {
        "Case": "#7b2cbf",
        "Incident": "#d00000",
        "Firearm": "#1d3557",
        "Person": "#2a9d8f",
        "Organisation": "#e9c46a",
    }
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}">']
    for a, b in graph.edges:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999"/>')
    for node, data in graph.nodes(data=True):
        x, y = xy(node)
        colour = colours.get(data.get("label", ""), "#666")
        caption = html.escape(str(data.get("caption", node))[:28])
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"><title>{caption}</title></circle>')
        parts.append(f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="9">{caption}</text>')
    return "".join(parts) + "</svg>"


def _map_svg(incidents: list[dict[str, Any]], width: int = 520, height: int = 260) -> str:
    """Incident points on an equirectangular frame (no tiles, no network)."""
    points = [
        (float(i["lon"]), float(i["lat"]), i)
        for i in incidents
        if isinstance(i.get("lat"), int | float)
        and isinstance(i.get("lon"), int | float)
        and not math.isnan(float(i["lat"]))
    ]
    if not points:
        return ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<rect width="{width}" height="{height}" fill="#eef3f7" stroke="#99a"/>',
    ]
    for lon, lat, item in points:
        x, y = (lon + 180) / 360 * width, (90 - lat) / 180 * height
        colour = "#d00000" if item["kind_of_link"] == "case" else "#f4a261"
        label = html.escape(f"{item['uid']} {item.get('date') or ''}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>{label}</title></circle>')
    return "".join(parts) + "</svg>"


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A query result as plain dicts."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _highest(levels: list[Any]) -> str:
    return LEVELS[max([level(v) for v in levels] or [1])]


def build_brief(store: Reader, case_uid: str) -> Brief:
    """Read a case and everything linked to it; every item carries the numbers of its source records."""
    case = store.read("brief_case", case=case_uid)
    if case.empty:
        raise ArmsgraphError(f"no case {case_uid!r} (or not visible to you)")
    props: dict[str, Any] = case.iloc[0]["props"]
    cites = Citations()
    classes = [props.get("classification")]
    graph: nx.Graph = nx.Graph()
    graph.add_node(case_uid, label="Case", caption=props.get("title") or case_uid)
    summary = [
        ("Case", f"{case_uid} {_cites({'cites': cites.cite(props.get('sources'), props.get('batch_id'))})}"),
        ("Jurisdiction", str(props.get("jurisdiction") or "")),
        ("Offences", ", ".join(props.get("offences") or [])),
        ("Status", str(props.get("status") or "")),
        ("Opened", str(props.get("opened") or "")),
        ("Joint investigation team", "yes" if props.get("joint_investigation_team") else "no"),
        ("MLA requests", ", ".join(props.get("mla_requests") or []) or "none"),
    ]

    def item(uid: str, node: dict[str, Any], *link_sources: Any) -> dict[str, Any]:
        classes.append(node.get("classification"))
        numbers = cites.cite(node.get("sources"), node.get("batch_id"))
        for sources in link_sources:
            numbers += cites.cite(sources, node.get("batch_id"))
        shown = {k: node.get(k) or "" for k in ("date", "country", "context", "kind")}
        return {"uid": uid, **shown, "lat": node.get("lat"), "lon": node.get("lon"), "cites": sorted(set(numbers))}

    incidents = [
        item(r["uid"], r["props"], r["link_sources"]) for r in _rows(store.read("brief_case_incidents", case=case_uid))
    ]
    own = {i["uid"] for i in incidents}
    for i in incidents:
        graph.add_node(i["uid"], label="Incident", caption=f"{i['uid']} {i.get('date') or ''}")
        graph.add_edge(case_uid, i["uid"])
    linked: dict[str, dict[str, Any]] = {}
    for r in _rows(store.read("brief_linked_incidents", case=case_uid)):
        if r["uid"] in own:
            continue
        entry = linked.setdefault(
            r["uid"], {**item(r["uid"], r["props"], r["link_sources"]), "from_uid": r["from_uid"], "why": []}
        )
        entry["why"] = sorted(set(entry["why"]) | set(r["rules"] or []))
        entry["evidence"] = list(r["evidence"] or [])
    for r in _rows(store.read("brief_shared_links", case=case_uid)):
        if r["uid"] in own:
            continue
        entry = linked.setdefault(r["uid"], {**item(r["uid"], r["props"]), "from_uid": r["from_uid"], "why": []})
        entry["why"] = sorted(set(entry["why"]) | {f"shared {r['via_label'].lower()} {r['via']}"})
        entry["cites"] = sorted(set(entry["cites"]) | set(cites.cite(r["via_sources"])))
    for entry in linked.values():
        graph.add_node(entry["uid"], label="Incident", caption=entry["uid"])
        graph.add_edge(entry["from_uid"], entry["uid"])
    firearms = _firearms(store.read("brief_firearms", case=case_uid), cites, graph, classes)
    persons = _persons(store.read("brief_persons", case=case_uid), cites, graph, classes)
    return Brief(
        case_uid=case_uid,
        title=str(props.get("title") or case_uid),
        classification=_highest(classes),
        summary=summary,
        incidents=incidents,
        linked=sorted(linked.values(), key=lambda x: x["uid"]),
        firearms=firearms,
        persons=persons,
        citations=cites.entries,
        graph=graph,
    )


def _firearms(frame: pd.DataFrame, cites: Citations, graph: nx.Graph, classes: list[Any]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in _rows(frame):
        props = r["props"]
        if r["uid"] not in out:
            classes.append(props.get("classification"))
            caption = " ".join(str(props.get(k)) for k in ("make", "model", "type", "calibre") if props.get(k))
            out[r["uid"]] = {
                "uid": r["uid"],
                "caption": f"{caption or r['uid']} serial {props.get('serial') or 'unknown'}",
                "history": [],
                "cites": cites.cite(props.get("sources"), props.get("batch_id")),
            }
            graph.add_node(r["uid"], label="Firearm", caption=caption or r["uid"])
            graph.add_edge(r["incident"], r["uid"])
        transfer = r["transfer"] if isinstance(r["transfer"], dict) else None
        if transfer:
            flags = " — LAST LEGAL" if transfer.get("last_legal") else ""
            flags += " — POINT OF DIVERSION" if transfer.get("diversion") else ""
            parties = f"{r['from_name'] or '?'} → {r['to_name'] or '?'}"
            numbers = cites.cite(transfer.get("sources"), transfer.get("batch_id"))
            when, where = transfer.get("date") or "undated", transfer.get("country") or ""
            step = f"{when} {transfer.get('kind')}: {parties} ({where})"
            out[r["uid"]]["history"].append(f"{step}{flags} [{', '.join(map(str, numbers))}]")
    return list(out.values())


def _persons(frame: pd.DataFrame, cites: Citations, graph: nx.Graph, classes: list[Any]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in _rows(frame):
        props = r["props"]
        entry = out.setdefault(
            r["uid"],
            {
                "uid": r["uid"],
                "name": props.get("name") or r["uid"],
                "roles": [],
                "cites": cites.cite(props.get("sources"), props.get("batch_id")),
            },
        )
        classes.append(props.get("classification"))
        role = f"{r['role']} in {r['incident']}" if isinstance(r["incident"], str) else str(r["role"])
        entry["roles"] = sorted(set(entry["roles"]) | {role})
        entry["cites"] = sorted(set(entry["cites"]) | set(cites.cite(r["link_sources"], props.get("batch_id"))))
        graph.add_node(r["uid"], label=r["label"], caption=entry["name"])
        if isinstance(r["incident"], str):
            graph.add_edge(r["uid"], r["incident"])
    return sorted(out.values(), key=lambda p: str(p["name"]))
