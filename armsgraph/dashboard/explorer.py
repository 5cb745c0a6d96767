"""The network explorer's working set: which entities are on screen and how it grows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from armsgraph.dashboard.data import cache, frames, linked, network
from armsgraph.dashboard.network_view import AGGREGATE_PREFIX, MAX_NODES, View, cap, layout_of, render_html

#: Neighbours added by one "expand" (the rest can be reached by expanding again).
EXPAND_LIMIT = 150
#: Incidents a cluster picture draws (the best connected); the rest are folded into one node.
CLUSTER_NODES = 300


def add(current: list[str], uids: Iterable[str]) -> list[str]:
    """``current`` with ``uids`` appended, keeping order and dropping repeats."""
    out = list(current)
    seen = set(out)
    for uid in uids:
        if uid not in seen:
            out.append(uid)
            seen.add(uid)
    return out


def expand(store: cache.Reader, current: list[str], uid: str, limit: int = EXPAND_LIMIT) -> list[str]:
    """``current`` plus ``uid`` and up to ``limit`` of its direct neighbours."""
    found = network.neighbours(store, uid, limit=limit)
    return add(current, [uid, *found["uid"].tolist()])


@st.cache_data(max_entries=64, show_spinner="Laying out the network…")
def positions(uids: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> dict[str, tuple[float, float]]:
    """Layout of a view, computed once per set of nodes and edges."""
    return layout_of(uids, pairs)


def layout(shown: View) -> dict[str, tuple[float, float]]:
    """Cached pixel positions of a capped view."""
    pairs = tuple(zip(shown.edges["source"], shown.edges["target"], strict=True))
    return positions(tuple(str(u) for u in shown.nodes["uid"]), pairs)


def cluster_view(incidents: pd.DataFrame, links: pd.DataFrame) -> View:
    """A linked-incident cluster as a picture: its incidents, joined by their LINKED edges."""
    nodes = incidents.assign(label="Incident", caption=incidents["uid"])[["uid", "label", "caption", "context"]]
    edges = links.assign(type="LINKED")[["source", "type", "target"]]
    return View(nodes.reset_index(drop=True), edges.reset_index(drop=True))


@dataclass(frozen=True)
class Picture:
    """A network picture ready to embed: its HTML, the entities drawn one by one and those folded into groups."""

    html: str
    drawn: int
    folded: int


@cache.shared
def cluster_picture(store: cache.Reader, cluster: str, height_px: int = 300, limit: int = CLUSTER_NODES) -> Picture:
    """One cluster drawn by context: its best-connected incidents (up to ``limit``) and the links among them.

    Built once per store, cluster and size (layout and HTML included), so revisiting the page costs nothing.
    """
    whole = cluster_view(linked.cluster_incidents(store, cluster), linked.cluster_links(store, cluster))
    shown = cap(whole.nodes, whole.edges, pinned=set(), limit=limit)
    page = render_html(shown, layout(shown), "context", height_px=height_px)
    drawn = int((~shown.nodes["uid"].astype(str).str.startswith(AGGREGATE_PREFIX)).sum())
    return Picture(page, drawn, shown.aggregated)


def view(store: cache.Reader, uids: list[str], pinned: set[str], limit: int = MAX_NODES) -> View:
    """The drawable view of ``uids``: details and the edges among them, capped at ``limit`` nodes."""
    key = frames.as_tuple(uids)
    nodes = network.node_details(store, key)
    edges = network.edges_among(store, key)
    return cap(nodes, edges, pinned, limit)
