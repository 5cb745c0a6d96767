"""The brief's figures as self-contained SVG: the case network and a map on an offline base map.

The same SVG text goes into the HTML and Markdown briefs and, through fpdf2's SVG support, into the
PDF. The base map is the Natural Earth 1:110m country topojson the dashboard ships
(``dashboard/static/topojson``), decoded here and clipped to the area of the incidents: nothing is
fetched. Labels are names, recorded serials and incident ids (never uids), escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

__all__ = ["COLOURS", "NETWORK_NODES", "MapPoint", "country_centre", "map_svg", "network_svg", "readable"]

#: Node colours by label (network) — the legend lists those present.
COLOURS = {
    "Case": "#7b2cbf",
    "Incident": "#c1121f",
    "Linked incident": "#f4a261",
    "Firearm": "#1d3557",
    "Person": "#2a9d8f",
    "Organisation": "#b08900",
}
#: Kinds of node a capped network keeps first, in order.
PRIORITY = ("Case", "Incident", "Person", "Organisation", "Linked incident", "Firearm")
#: The most nodes a brief's network draws (a readable picture; every node is listed in the brief's text).
NETWORK_NODES = 50
Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class MapPoint:
    """An incident on the map: where, its label, whether it belongs to the case, and whether it is exact."""

    lat: float
    lon: float
    label: str
    in_case: bool
    exact: bool


def _svg_open(width: int, height: int) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'


def _text(x: float, y: float, value: str, size: float, font: str, fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="{font}" fill="{fill}">'
        f"{html.escape(value)}</text>"
    )


def _legend(entries: Sequence[tuple[str, str, bool]], x: float, y: float, font: str) -> list[str]:
    """Legend rows (colour, label, filled) inside the frame, top-left at (x, y), on a white box."""
    x0, y0, x1, y1 = _legend_box(entries, x, y)
    parts = [
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0}" '
        'fill="#ffffff" fill-opacity="0.85" stroke="#aab"/>'
    ]
    for n, (colour, label, filled) in enumerate(entries):
        cy = y + 9 + 12 * n
        fill = colour if filled else "#ffffff"
        parts.append(f'<circle cx="{x + 7:.1f}" cy="{cy:.1f}" r="3.5" fill="{fill}" stroke="{colour}"/>')
        parts.append(_text(x + 14, cy + 3, label, 8, font))
    return parts


def _order(graph: nx.Graph) -> list[Any]:
    """Nodes by :data:`PRIORITY`, then best connected first, then caption."""
    rank = {kind: n for n, kind in enumerate(PRIORITY)}

    def key(node: Any) -> tuple[int, int, str]:
        data = graph.nodes[node]
        return rank.get(str(data.get("label")), len(rank)), -graph.degree(node), str(data.get("caption", ""))

    return sorted(graph, key=key)


def _sorted(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges in sorted order: a seeded layout then draws it the same way in every
    process (the brief adds them in an order that follows set iteration)."""
    out = nx.Graph()
    out.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    out.add_edges_from(sorted((tuple(sorted((str(a), str(b)))) for a, b in graph.edges)))
    return out


def readable(graph: nx.Graph, limit: int = NETWORK_NODES) -> nx.Graph:
    """At most ``limit`` nodes of a case network: the case and its incidents first, then persons and
    organisations, linked incidents and firearms, each kind best connected first (ties by caption)."""
    if graph.number_of_nodes() <= limit:
        return graph
    return graph.subgraph(_order(graph)[:limit]).copy()


class _Labels:
    """Text labels placed where they overlap no other label, no marker and no reserved box (the legend):
    right of their point, else left of it, else not at all."""

    def __init__(self, width: float, height: float, reserved: Iterable[Box] = ()) -> None:
        self.width, self.height = width, height
        self.taken: list[Box] = list(reserved)

    def reserve(self, box: Box) -> None:
        self.taken.append(box)

    def place(self, x: float, y: float, text: str, size: float, gap: float = 6.0, must: bool = False) -> float | None:
        """The x at which ``text`` (font ``size``) starts beside the point (x, y); None when there is no room
        (``must``: right of the point whatever it covers, when it fits in the frame)."""
        wide = 0.58 * size * len(text)
        for start in (x + gap, x - gap - wide):
            box = (start, y - 0.75 * size, start + wide, y + 0.35 * size)
            inside = _overlap(box, (2, 2, self.width - 2, self.height - 2), within=True)
            if inside and (must or not any(_overlap(box, other) for other in self.taken)):
                self.taken.append(box)
                return start
        return None


def _overlap(a: Box, b: Box, within: bool = False) -> bool:
    """Whether two boxes overlap (``within``: whether ``a`` lies wholly inside ``b``)."""
    if within:
        return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _legend_box(entries: Sequence[tuple[str, str, bool]], x: float, y: float) -> Box:
    """Where :func:`_legend` draws these entries."""
    return x, y, x + 16 + 4.6 * max((len(label) for _, label, _ in entries), default=0), y + 12 * len(entries) + 6


def network_svg(graph: nx.Graph, *, font: str = "DejaVu Sans", width: int = 560, height: int = 420) -> str:
    """The case subgraph (:func:`readable`: at most :data:`NETWORK_NODES`), laid out by Kamada–Kawai from a
    seeded spring start; nodes labelled with their captions where a label has room (the case, persons and
    organisations first); legend inside the frame, saying how many nodes were left out."""
    if graph.number_of_nodes() == 0:
        return ""
    whole, graph = graph, _sorted(readable(graph))
    start = nx.spring_layout(graph, seed=7)
    pos = nx.kamada_kawai_layout(graph, pos=start) if graph.number_of_nodes() <= 300 else start
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    left, top, right, bottom = 20.0, 20.0, width - 130.0, height - 20.0

    def xy(node: Any) -> Point:
        x, y = pos[node]
        sx = (x - min(xs)) / ((max(xs) - min(xs)) or 1)
        sy = (y - min(ys)) / ((max(ys) - min(ys)) or 1)
        return left + sx * (right - left), top + sy * (bottom - top)

    kinds = {str(d.get("label", "")) for _, d in graph.nodes(data=True)}
    legend = [(COLOURS.get(k, "#666666"), k.lower(), True) for k in COLOURS if k in kinds]
    left_out = whole.number_of_nodes() - graph.number_of_nodes()
    if left_out:
        legend.append(("#999999", f"{left_out} more not drawn", False))
    labels = _Labels(width, height, [_legend_box(legend, width - 122, 8)])
    parts = [_svg_open(width, height), f'<rect width="{width}" height="{height}" fill="#ffffff" stroke="#99a"/>']
    for a, b in graph.edges:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#b8b8c0" stroke-width="0.8"/>'
        )
    for node in graph:
        x, y = xy(node)
        labels.reserve((x - 5, y - 5, x + 5, y + 5))
        colour = COLOURS.get(str(graph.nodes[node].get("label", "")), "#666666")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>')
    for node in _order(graph):
        x, y = xy(node)
        caption = str(graph.nodes[node].get("caption", ""))[:30]
        at = labels.place(x, y, caption, 7.5, must=graph.nodes[node].get("label") == "Case")
        if at is not None:
            parts.append(_text(at, y + 2.5, caption, 7.5, font))
    parts += _legend(legend, width - 122, 8, font)
    return "".join(parts) + "</svg>"


# -- base map --------------------------------------------------------------------------------------
@cache
def _world() -> tuple[dict[str, list[list[Point]]], dict[str, Point]]:
    """Country rings (lon, lat) and centres (lat, lon) by ISO 3166-1 alpha-3, decoded from the shipped topojson."""
    path = resources.files("armsgraph.dashboard").joinpath("static/topojson/world_110m.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: Iterable[int]) -> list[Point]:
        out: list[Point] = []
        for index in indices:
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            out += points[1:] if out else points
        return out

    shapes: dict[str, list[list[Point]]] = {}
    centres: dict[str, Point] = {}
    for geometry in data["objects"]["countries"]["geometries"]:
        code = str(geometry.get("id") or "")
        polygons = geometry.get("arcs") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        shapes[code] = [ring(r) for polygon in polygons for r in polygon]
        centre = (geometry.get("properties") or {}).get("ct")
        if code and centre:
            centres[code] = (float(centre[1]), float(centre[0]))
    return shapes, centres


def country_centre(code: Any) -> Point | None:
    """(lat, lon) of a country's centre by ISO 3166-1 alpha-3 code, or None."""
    return _world()[1].get(str(code)) if code else None


def _clip(ring: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland–Hodgman: the part of a polygon ring inside the box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= x1, lambda p, q: (x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= y0, lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)),
        (lambda p: p[1] <= y1, lambda p, q: (p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1)),
    ]
    out = ring
    for inside, cross in edges:
        points, out = out, []
        for n, q in enumerate(points):
            p = points[n - 1]
            if inside(q):
                if not inside(p):
                    out.append(cross(p, q))
                out.append(q)
            elif inside(p):
                out.append(cross(p, q))
        if not out:
            return []
    return out


def _extent(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    """(lon0, lat0, lon1, lat1) around the points: padded, at least 12° × 8°, within the world."""
    lons, lats = [p.lon for p in points], [p.lat for p in points]
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    pad_lon, pad_lat = max(6.0 - (lon1 - lon0) / 2, 0) + 3, max(4.0 - (lat1 - lat0) / 2, 0) + 2
    return max(lon0 - pad_lon, -180), max(lat0 - pad_lat, -85), min(lon1 + pad_lon, 180), min(lat1 + pad_lat, 85)


def map_svg(points: Sequence[MapPoint], *, font: str = "DejaVu Sans", width: int = 560, height: int = 340) -> str:
    """Incidents on country outlines (equirectangular), cropped to their area; legend inside the frame."""
    if not points:
        return ""
    lon0, lat0, lon1, lat1 = box = _extent(points)
    scale = min(width / (lon1 - lon0), height / (lat1 - lat0))
    off_x = (width - (lon1 - lon0) * scale) / 2
    off_y = (height - (lat1 - lat0) * scale) / 2

    def xy(lon: float, lat: float) -> Point:
        return off_x + (lon - lon0) * scale, off_y + (lat1 - lat) * scale

    parts = [_svg_open(width, height), f'<rect width="{width}" height="{height}" fill="#dce9f2" stroke="#99a"/>']
    legend = [
        (COLOURS["Incident"], "incident of the case", True),
        (COLOURS["Linked incident"], "linked incident", True),
        ("#555555", "hollow: placed at the country's centre", False),
    ]
    parts += _countries(box, xy, font, named=scale > 8)
    parts += _markers(points, xy, font, _Labels(width, height, [_legend_box(legend, 8, 8)]))
    parts += _legend(legend, 8, 8, font)
    return "".join(parts) + "</svg>"


def _countries(
    box: tuple[float, float, float, float], xy: Callable[[float, float], Point], font: str, named: bool
) -> list[str]:
    """The countries' outlines clipped to ``box`` (lon0, lat0, lon1, lat1), with their codes when ``named``."""
    lon0, lat0, lon1, lat1 = box
    parts = []
    for code, rings in sorted(_world()[0].items()):
        clipped = [c for c in (_clip(ring, box) for ring in rings) if len(c) >= 3]
        if not clipped:
            continue
        paths = " ".join("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in (xy(*p) for p in c)) + " Z" for c in clipped)
        parts.append(f'<path d="{paths}" fill="#f4f1ea" stroke="#9a9a9a" stroke-width="0.5"/>')
        centre = country_centre(code)
        if named and centre and lon0 < centre[1] < lon1 and lat0 < centre[0] < lat1:
            cx, cy = xy(centre[1], centre[0])
            parts.append(_text(cx - 8, cy, code, 7, font, "#8a8a8a"))
    return parts


def _markers(points: Sequence[MapPoint], xy: Callable[[float, float], Point], font: str, labels: _Labels) -> list[str]:
    """A circle per incident (hollow when placed at its country's centre); the case's own labelled where a
    label has room."""
    parts = []
    for point in sorted(points, key=lambda p: (p.in_case, p.label)):
        x, y = xy(point.lon, point.lat)
        colour = COLOURS["Incident"] if point.in_case else COLOURS["Linked incident"]
        fill = colour if point.exact else "#ffffff"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>')
        labels.reserve((x - 4, y - 4, x + 4, y + 4))
    for point in sorted((p for p in points if p.in_case), key=lambda p: p.label):
        x, y = xy(point.lon, point.lat)
        at = labels.place(x, y, point.label, 7)
        if at is not None:
            parts.append(_text(at, y + 2.5, point.label, 7, font))
    return parts
