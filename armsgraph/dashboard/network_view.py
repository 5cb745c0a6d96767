"""Network pictures: cap and aggregate a sub-graph, lay it out once, draw it with pyvis offline.

The layout is computed here (force-directed, fixed seed) and handed to
vis-network with physics off, so a view of 1,500 nodes opens still and instantly.
A page draws :data:`READABLE_NODES` at first and offers "Show more" (:func:`limit`,
:func:`show_more`) up to :data:`MAX_NODES`; beyond the limit the least-connected nodes are
folded into one node per label ("+312 Person"). Nodes are labelled with names, serials and
the bundle's record ids, never armsgraph's uids; the legend sits inside the frame.
vis-network's script and stylesheet are inlined from the
copy bundled with pyvis (no CDN), through a small template of our own (pyvis's own
template links Bootstrap from a CDN).
"""

from __future__ import annotations

import html
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import igraph
import jinja2
import networkx as nx
import pandas as pd
import pyvis
import streamlit as st
from pyvis.network import Network

MAX_NODES = 1_500
#: Nodes a picture draws one by one at first; each "Show more" adds as many again (up to :data:`MAX_NODES`).
READABLE_NODES = 60
#: Extra height a picture needs beyond its drawing: none, the legend is drawn inside the frame.
LEGEND_PX = 0
#: Legend entries listed (the rest are counted: "+12 more").
LEGEND_ENTRIES = 12
#: Views up to this size are laid out by networkx, larger ones by igraph (faster).
NETWORKX_MAX = 400
AGGREGATE_PREFIX = "agg:"
COLOUR_BY = ("label", "community", "role", "context")
MISSING_COLOUR = "#c7ccd1"

LABEL_COLOURS = {
    "Incident": "#e4572e",
    "Firearm": "#29335c",
    "Person": "#17bebb",
    "Organisation": "#7b2cbf",
    "Place": "#8a9a5b",
    "Route": "#f3a712",
    "Case": "#a8201a",
    "TraceRequest": "#669bbc",
    "Transfer": "#b08968",
    "BallisticEvidence": "#6c757d",
    "Identifier": "#ff70a6",
    "Cluster": "#2a9d8f",
}
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#17becf", "#bcbd22", "#8c564b", "#d62728", "#2ca02c",
)  # fmt: skip
SHAPES = {"Incident": "diamond", "Firearm": "triangle", "Place": "square", "Case": "star", "Cluster": "hexagon"}

_TEMPLATE = """<html><head><meta charset="utf-8">
<style>{% include 'armsgraph_vis_network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
  body { margin: 0; font-family: "Source Sans Pro", sans-serif; }
  .frame { position: relative; box-sizing: border-box; width: {{width}}; height: {{height}};
           border: 1px solid #e6e9ef; border-radius: 8px; overflow: hidden; background: {{bgcolor}}; }
  #mynetwork { width: 100%; height: 100%; }
  .legend { position: absolute; top: 6px; left: 6px; z-index: 2; max-width: 45%; max-height: calc(100% - 12px);
            overflow: auto; box-sizing: border-box; font-size: 12px; color: #31333f; padding: 4px 6px;
            background: rgba(255, 255, 255, 0.88); border: 1px solid #e6e9ef; border-radius: 6px; }
  .legend span { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
</style></head>
<body><div class="frame">{{heading}}<div id="mynetwork"></div></div>
<script type="text/javascript">
  var nodes = new vis.DataSet({{nodes|tojson}});
  var edges = new vis.DataSet({{edges|tojson}});
  var options = {{options|safe}};
  var network = new vis.Network(document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, options);
</script></body></html>
"""
_TEMPLATE_NAME = "armsgraph_network.html"
_EDGE_COLOUR = "#b8c2cc"
_PATH_COLOUR = "#e4572e"
_VIS_CSS = "lib/vis-9.1.2/vis-network.css"
_IMAGE_RULE = re.compile(r'[^{}]*\{[^{}]*url\("?data:image[^{}]*\}')


@dataclass(frozen=True)
class View:
    """A drawable sub-graph: nodes (uid, label, caption, …attributes) and edges (source, type, target)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame

    @property
    def drawn(self) -> int:
        """How many nodes are drawn one by one (not folded into aggregate nodes)."""
        return int((~self.nodes["uid"].astype(str).str.startswith(AGGREGATE_PREFIX)).sum())

    @property
    def aggregated(self) -> int:
        """How many nodes were folded into aggregate nodes."""
        agg = self.nodes[self.nodes["uid"].str.startswith(AGGREGATE_PREFIX)]
        return int(agg["folded"].sum()) if "folded" in agg else 0


def _degrees(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    ends = pd.concat([edges["source"], edges["target"]]) if len(edges) else pd.Series(dtype=str)
    return ends.value_counts().reindex(nodes["uid"]).fillna(0)


def cap(nodes: pd.DataFrame, edges: pd.DataFrame, pinned: set[str], limit: int = MAX_NODES) -> View:
    """Keep at most ``limit`` nodes: pinned ones first, then the best connected; fold the rest per label."""
    if len(nodes) <= limit:
        return View(nodes.reset_index(drop=True), edges.reset_index(drop=True))
    degree = _degrees(nodes, edges)
    order = nodes.assign(_pinned=nodes["uid"].isin(pinned), _degree=degree.to_numpy())
    order = order.sort_values(["_pinned", "_degree", "uid"], ascending=[False, False, True])
    budget = max(limit - order["label"].nunique(), 1)
    kept, folded = order.iloc[:budget], order.iloc[budget:]
    target = {uid: f"{AGGREGATE_PREFIX}{label}" for uid, label in zip(folded["uid"], folded["label"], strict=True)}
    groups = folded.groupby("label").size()
    aggregates = pd.DataFrame(
        {
            "uid": [f"{AGGREGATE_PREFIX}{label}" for label in groups.index],
            "label": list(groups.index),
            "caption": [f"+{n:,} {label}" for label, n in groups.items()],
            "folded": groups.to_numpy(),
        }
    )
    new_nodes = pd.concat([kept.drop(columns=["_pinned", "_degree"]), aggregates], ignore_index=True)
    new_edges = edges.assign(
        source=edges["source"].map(lambda u: target.get(u, u)), target=edges["target"].map(lambda u: target.get(u, u))
    )
    new_edges = new_edges[new_edges["source"] != new_edges["target"]]
    new_edges = new_edges.drop_duplicates(["source", "type", "target"]).reset_index(drop=True)
    return View(new_nodes, new_edges)


def layout(view: View, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node of ``view`` (see :func:`layout_of`)."""
    pairs = list(zip(view.edges["source"], view.edges["target"], strict=True))
    return layout_of([str(u) for u in view.nodes["uid"]], pairs, seed)


def layout_of(uids: Sequence[str], pairs: Sequence[tuple[str, str]], seed: int = 7) -> dict[str, tuple[float, float]]:
    """Force-directed positions in pixels, deterministic for a seed.

    networkx's spring layout up to :data:`NETWORKX_MAX` nodes; beyond, igraph's
    Kamada–Kawai from seeded start positions (in C and deterministic: under a second
    for 1,500 nodes where networkx's spring layout takes ~10 s).
    """
    if not uids:
        return {}
    if len(uids) <= NETWORKX_MAX:
        graph = nx.Graph()
        graph.add_nodes_from(uids)
        graph.add_edges_from(pairs)
        found = nx.spring_layout(graph, seed=seed, iterations=150)
        unit = {str(u): (float(x), float(y)) for u, (x, y) in found.items()}
    else:
        index = {uid: i for i, uid in enumerate(uids)}
        graph = igraph.Graph(n=len(uids), edges=[(index[a], index[b]) for a, b in pairs if a in index and b in index])
        rng = random.Random(seed)  # noqa: S311 - layout start positions, not cryptography
        start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in uids]
        coords = graph.layout_kamada_kawai(seed=start, maxiter=10 * len(uids)).coords
        xs, ys = [c[0] for c in coords], [c[1] for c in coords]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        unit = {uid: ((c[0] - cx) / span, (c[1] - cy) / span) for uid, c in zip(uids, coords, strict=True)}
    scale = 120 * math.sqrt(len(uids)) + 150
    return {uid: (x * scale, y * scale) for uid, (x, y) in unit.items()}


def colours(view: View, colour_by: str) -> tuple[dict[str, str], dict[str, str]]:
    """A colour per node and the legend (value → colour) for ``colour_by`` (label/community/role/context)."""
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {COLOUR_BY}, not {colour_by!r}")
    if colour_by == "label":
        legend = {label: LABEL_COLOURS.get(label, MISSING_COLOUR) for label in sorted(view.nodes["label"].unique())}
        return {u: legend[lb] for u, lb in zip(view.nodes["uid"], view.nodes["label"], strict=True)}, legend
    values = view.nodes[colour_by] if colour_by in view.nodes else pd.Series([None] * len(view.nodes))
    names = sorted({str(v) for v in values if isinstance(v, str) and v})
    legend = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    per_node = {
        uid: legend.get(str(v), MISSING_COLOUR) if isinstance(v, str) else MISSING_COLOUR
        for uid, v in zip(view.nodes["uid"], values, strict=True)
    }
    return per_node, legend


def _legend_html(legend: dict[str, str]) -> str:
    """The legend, drawn inside the frame: :data:`LEGEND_ENTRIES` values, the rest counted."""
    shown = list(legend.items())[:LEGEND_ENTRIES]
    items = "".join(f'<span><i style="background:{c}"></i>{html.escape(name)}</span>' for name, c in shown)
    if len(legend) > len(shown):
        items += f"<span>+{len(legend) - len(shown):,} more</span>"
    return f'<div class="legend">{items}</div>' if items else ""


def caption_of(uid: str, caption: object) -> str:
    """What a node is labelled with: its caption (name, serial, title), or the id its bundle gave the record
    (``INC-0000398`` of ``incident:scenario-10000-seed7:INC-0000398``) — never an armsgraph uid."""
    text = "" if caption is None or (isinstance(caption, float) and math.isnan(caption)) else str(caption).strip()
    if text and text != uid:
        return text
    return re.split(r"[:/]", uid)[-1] or uid


def limit(key: str) -> int:
    """How many nodes the picture ``key`` draws one by one now (:data:`READABLE_NODES` until "Show more")."""
    return int(st.session_state.get(f"{key}_nodes", READABLE_NODES))


def show_more(key: str, drawn: int, folded: int) -> None:
    """Under a picture that folded ``folded`` nodes: a "Show more" button that draws :data:`READABLE_NODES`
    more (up to :data:`MAX_NODES`) on the next run. ``drawn`` is how many are drawn one by one now."""
    step = min(READABLE_NODES, folded, MAX_NODES - drawn)
    if step > 0 and st.button(f"Show {step:,} more", key=f"{key}_more", icon=":material/add:"):
        st.session_state[f"{key}_nodes"] = limit(key) + step
        st.rerun()


@cache
def _vis_css() -> str:
    """vis-network's stylesheet without its inline button images (navigation and editing, both off here).

    The images are 210 of its 220 kB, and every picture carries the stylesheet.
    """
    css = (Path(pyvis.__file__).with_name("templates") / _VIS_CSS).read_text(encoding="utf-8")
    return _IMAGE_RULE.sub("", css)


def _environment() -> jinja2.Environment:
    bundled = Path(pyvis.__file__).with_name("templates")
    own = {_TEMPLATE_NAME: _TEMPLATE, "armsgraph_vis_network.css": _vis_css()}
    loaders = [jinja2.DictLoader(own), jinja2.FileSystemLoader(str(bundled))]
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=False)  # noqa: S701 - JSON and escaped legend


def render_html(
    view: View,
    positions: dict[str, tuple[float, float]],
    colour_by: str = "label",
    highlight: set[str] | None = None,
    height_px: int = 620,
) -> str:
    """A self-contained HTML page drawing ``view`` at ``positions`` (no network access needed).

    The page is ``height_px`` tall, its legend inside the frame.
    """
    highlight = highlight or set()
    node_colours, legend = colours(view, colour_by)
    # vis-network gets short numeric ids (the uid stays in each tooltip) and only what differs from the
    # defaults in ``options``: a picture of 300 incidents and 4,700 links is then ~0.5 MB lighter.
    ids: dict[str, int] = {}
    nodes = []
    for row in view.nodes.itertuples(index=False):
        uid, label = str(row.uid), str(row.label)
        caption = caption_of(uid, row.caption)
        x, y = positions.get(uid, (0.0, 0.0))
        folded = int(getattr(row, "folded", 0) or 0) if uid.startswith(AGGREGATE_PREFIX) else 0
        ids[uid] = len(ids)
        node = {
            "id": ids[uid],
            "label": caption if len(caption) <= 28 else caption[:27] + "…",
            "title": f"{label}: {caption}",
            "color": node_colours[uid],
            "shape": SHAPES.get(label, "dot"),
            "size": (14 + min(30, 4 * math.log1p(folded))) if folded else (22 if uid in highlight else 12),
            "x": round(x, 1),
            "y": round(y, 1),
        }
        nodes.append(node | ({"borderWidth": 4} if uid in highlight else {}))
    edges = []
    for row in view.edges.itertuples(index=False):
        source, target = str(row.source), str(row.target)
        if source not in ids or target not in ids:
            raise ValueError(f"edge {source} -> {target} names a node that is not in the view")
        edge = {"from": ids[source], "to": ids[target], "title": str(row.type)}
        on_path = source in highlight and target in highlight
        edges.append(edge | ({"color": _PATH_COLOUR, "width": 3} if on_path else {}))
    net = Network(height=f"{height_px}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    net.nodes, net.edges = nodes, edges
    net.set_options(
        '{"physics": {"enabled": false}, "interaction": {"hover": true, "navigationButtons": false},'
        ' "edges": {"arrows": {"to": {"enabled": true, "scaleFactor": 0.4}}, "smooth": false,'
        f' "color": "{_EDGE_COLOUR}", "width": 1}},'
        ' "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1}}'
    )
    net.templateEnv = _environment()
    net.path = _TEMPLATE_NAME
    net.heading = _legend_html(legend)
    return str(net.generate_html())
