"""Networks of persons and organisations: components, communities, brokers, disruption.

The projection joins two actors when they took part in one incident, used one identifier, or
when a firearm passed between them. Membership of an organisation is left out: one large group
would glue its separate cells into a single network (measured: ARI 0.84 with it, 0.91 without,
on the 10k scenario).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import leidenalg
import networkx as nx
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from armsgraph.analytics import results
from armsgraph.analytics.common import write_clusters
from armsgraph.graph.store import GraphStore

__all__ = [
    "CommunityReport",
    "analyse",
    "brokerage",
    "brokers",
    "communities",
    "community_report",
    "disruption",
    "key_players",
    "person_graph",
]

#: Columns of ``CommunityReport.table``.
COMMUNITY_COLUMNS = ["community", "size", "kind", "modularity", "stability"]
#: Seeded Leiden runs per consensus round (and per resolution scanned).
RUNS = 10
#: Resolutions scanned; the one whose runs agree most is used (ties: nearest 1, then the lower).
RESOLUTIONS = (0.6, 0.8, 1.0, 1.2)
#: A resolution is a candidate only when its best run keeps at least this share of the best standard
#: (resolution 1) modularity found in the scan: a coarse split of a graph without clear groups (two
#: halves, or one block) can be very reproducible and still describe nothing (Good, de Montjoye and
#: Clauset 2010: the near-optimal partitions form a plateau; we choose the most stable on it).
NEAR_OPTIMAL = 0.95
#: Stabilities within this of the best count as equally stable when choosing a resolution.
STABILITY_TOLERANCE = 0.02
#: Two nodes stay tied in the next consensus round when at least this share of runs put them together.
CONSENSUS_THRESHOLD = 0.5
#: Consensus rounds before giving up on full agreement (the majority graph's components are then used).
CONSENSUS_ROUNDS = 10
#: Sweeps of the local-moving refinement at most (each sweep visits every node once, in sorted order).
REFINE_SWEEPS = 20
#: Betweenness is exact in components up to this many actors and estimated in larger ones: at 1M
#: incidents one component holds 154,131 actors, where exact Brandes would run for hours.
EXACT_COMPONENT = 5_000
#: Source actors drawn to estimate betweenness in a larger component (about 48 s at 154,131 actors).
PIVOTS = 1_000


def person_graph(actors: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """The actor projection: nodes are person/organisation uids, edge weight = number of ties.

    Examples
    --------
    >>> a = pd.DataFrame({"uid": ["p1", "p2"], "label": ["Person"] * 2, "name": ["A", "B"]})
    >>> e = pd.DataFrame({"source": ["p1"], "target": ["p2"], "kind": ["co-involvement"], "via": ["i1"]})
    >>> person_graph(a, e)["p1"]["p2"]["weight"]
    1
    """
    # Sorted first: a store returns rows in storage order, which differs between two stores holding
    # the same graph (after a crash and rerun, say), and seeded Leiden still depends on node order.
    graph: nx.Graph = nx.Graph()
    for row in actors.sort_values("uid", kind="stable").itertuples(index=False):
        graph.add_node(row.uid, label=row.label, name=row.name)
    for row in edges.sort_values(["source", "target", "kind", "via"], kind="stable").itertuples(index=False):
        if row.source == row.target:
            continue
        if graph.has_edge(row.source, row.target):
            graph[row.source][row.target]["weight"] += 1
            graph[row.source][row.target]["kinds"].add(row.kind)
        else:
            graph.add_edge(row.source, row.target, weight=1, kinds={row.kind})
    return graph


def _to_igraph(graph: nx.Graph) -> tuple[ig.Graph, list[Any]]:
    """``graph`` as an igraph graph with edge weights, and its node list (igraph index → node).

    Nodes and edges are taken in sorted order: seeded Leiden depends on the order they come in, and a
    networkx graph iterates in insertion order, which a store's row order or string hashing
    (``PYTHONHASHSEED``) can change between two runs over the same graph.
    """
    nodes = sorted(graph.nodes, key=str)
    index = {uid: n for n, uid in enumerate(nodes)}
    edges = sorted(
        (min(index[a], index[b]), max(index[a], index[b]), float(w))
        for a, b, w in graph.edges(data="weight", default=1)
    )
    g = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    g.es["weight"] = [w for _, _, w in edges]
    return g, nodes


def _leiden_runs(g: ig.Graph, weights: Sequence[float], resolution: float, seeds: Iterable[int]) -> list[np.ndarray]:
    """Membership arrays of seeded Leiden runs (modularity with resolution ``resolution``, weighted)."""
    return [
        np.asarray(
            leidenalg.find_partition(
                g,
                leidenalg.RBConfigurationVertexPartition,
                weights=list(weights),
                resolution_parameter=resolution,
                seed=s,
                n_iterations=-1,
            ).membership
        )
        for s in seeds
    ]


def _agreement(parts: Sequence[np.ndarray]) -> float:
    """Mean adjusted Rand index over all pairs of runs (1: every run found the same partition)."""
    pairs = list(itertools.combinations(parts, 2))
    if not pairs:
        return 1.0
    return float(np.mean([adjusted_rand_score(a, b) for a, b in pairs]))


def _seeds(seed: int, round_: int, runs: int) -> range:
    start = seed * 1_000_003 + round_ * 10_007
    return range(start, start + runs)


def _consensus(
    g: ig.Graph, resolution: float, seed: int, runs: int, first: list[np.ndarray] | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Consensus clustering (Lancichinetti & Fortunato 2012) of ``runs`` seeded Leiden runs, and the first runs.

    Each round weights every tie by the share of runs that put its two ends together, drops ties
    under ``CONSENSUS_THRESHOLD`` and runs Leiden again on what is left, until every run agrees on
    every remaining tie; the communities are then the components of the agreed ties. ``first``: the
    first round's runs when already made (the resolution scan makes them).
    """
    weights: list[float] = list(g.es["weight"])
    current = g
    first = first or []
    ends = np.zeros((0, 2), dtype=int)
    keep = np.zeros(0, dtype=bool)
    for round_ in range(CONSENSUS_ROUNDS):
        parts = (
            first if round_ == 0 and first else _leiden_runs(current, weights, resolution, _seeds(seed, round_, runs))
        )
        first = first or parts
        ends = np.asarray(current.get_edgelist(), dtype=int).reshape(-1, 2)
        share = np.mean([p[ends[:, 0]] == p[ends[:, 1]] for p in parts], axis=0) if len(ends) else np.zeros(0)
        keep = share >= CONSENSUS_THRESHOLD
        if np.all(share[keep] == 1.0):
            break
        current = ig.Graph(n=g.vcount(), edges=ends[keep].tolist())
        weights = share[keep].tolist()
    joined = ig.Graph(n=g.vcount(), edges=ends[keep].tolist())
    return np.asarray(joined.connected_components().membership), first


def _stability(membership: np.ndarray, parts: Sequence[np.ndarray]) -> np.ndarray:
    """Per community of ``membership``: the share of runs holding a community with Jaccard similarity >= 0.5."""
    sizes = np.bincount(membership)
    hits = np.zeros(len(sizes))
    for part in parts:
        part_sizes = np.bincount(part)
        pairs, counts = np.unique(np.stack([membership, part]), axis=1, return_counts=True)
        overlap = np.zeros(len(sizes))
        for (ours, theirs), both in zip(pairs.T, counts, strict=True):
            jaccard = both / (sizes[ours] + part_sizes[theirs] - both)
            overlap[ours] = max(overlap[ours], jaccard)
        hits += overlap >= 0.5
    return hits / max(1, len(parts))


def _modularity_shares(g: ig.Graph, membership: np.ndarray) -> np.ndarray:
    """Each community's term of the (weighted, resolution 1) modularity: its ties' share minus the expected share."""
    weight = np.asarray(g.es["weight"], dtype=float)
    total = weight.sum()
    count = int(membership.max()) + 1 if len(membership) else 0
    if total == 0:
        return np.zeros(count)
    ends = np.asarray(g.get_edgelist(), dtype=int).reshape(-1, 2)
    inside = membership[ends[:, 0]] == membership[ends[:, 1]]
    within = np.bincount(membership[ends[inside, 0]], weights=weight[inside], minlength=count)
    degree = np.bincount(membership, weights=np.asarray(g.strength(weights="weight")), minlength=count)
    shares: np.ndarray = within / total - (degree / (2 * total)) ** 2
    return shares


@dataclass(frozen=True)
class CommunityReport:
    """Communities of a network with how they were found.

    ``labels``: node → community number (0 = largest; isolated nodes have none). ``table``: one row per
    community: community, size, kind ("community", or "pair" for two actors), modularity (its term of
    the network's modularity), stability (share of seeded runs holding a community with Jaccard >= 0.5
    with it). ``resolution``: the resolution used; ``agreement``: its runs' mean pairwise ARI per
    resolution scanned; ``isolates``: nodes without any tie.
    """

    labels: dict[Any, int]
    table: pd.DataFrame
    resolution: float
    agreement: dict[float, float]
    isolates: list[Any]


def _choose_resolution(agreement: Mapping[float, float], quality: Mapping[float, float]) -> float:
    """The most stable near-optimal resolution; within ``STABILITY_TOLERANCE`` of the best, the nearest 1,
    then the lower. Near-optimal: its best run's standard modularity (``quality``) is at least
    ``NEAR_OPTIMAL`` of the best in ``quality``."""
    top = max(quality.values())
    near = {r: a for r, a in agreement.items() if quality[r] >= NEAR_OPTIMAL * top} or dict(agreement)
    best = max(near.values())
    stable = [r for r, a in near.items() if a >= best - STABILITY_TOLERANCE]
    return min(stable, key=lambda r: (abs(r - 1.0), r))


def _consensus_partition(
    g: ig.Graph, seed: int, runs: int, resolutions: Sequence[float]
) -> tuple[np.ndarray, list[np.ndarray], float, dict[float, float]]:
    """Membership by consensus, the first round's runs, the resolution used and each resolution's agreement.

    The scan draws the same seeds whatever ``seed`` is, so the resolution is a property of the graph:
    with ten runs, one odd run moves a resolution's agreement by a few hundredths, enough to flip the
    choice between seeds (karate club: 2 or 3 communities). ``seed`` drives the consensus runs. The
    consensus is finally polished by Leiden on the original ties from that starting point, so no
    actor stays cut off where every run had placed it with different neighbours, and refined by
    local moving (``_refined``).
    """
    scanned = {float(r): _leiden_runs(g, g.es["weight"], r, _seeds(0, 0, runs)) for r in sorted(resolutions)}
    agreement = {r: _agreement(parts) for r, parts in scanned.items()}
    quality = {r: max(g.modularity(p.tolist(), weights="weight") for p in parts) for r, parts in scanned.items()}
    resolution = _choose_resolution(agreement, quality)
    membership, parts = _consensus(g, resolution, seed, runs, scanned[resolution] if seed == 0 else None)
    polished = leidenalg.RBConfigurationVertexPartition(
        g, weights="weight", initial_membership=membership.tolist(), resolution_parameter=resolution
    )
    optimiser = leidenalg.Optimiser()
    optimiser.set_rng_seed(seed)
    optimiser.optimise_partition(polished, n_iterations=-1)
    return _refined(g, np.asarray(polished.membership), _contested(g, parts)), parts, resolution, agreement


def _contested(g: ig.Graph, parts: Sequence[np.ndarray]) -> np.ndarray:
    """Per node: whether the runs disagree about it (some run puts it with a neighbour another run does not).

    >>> g = ig.Graph(n=4, edges=[(0, 1), (1, 2), (2, 3)])
    >>> _contested(g, [np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1])]).tolist()
    [False, True, True, True]
    """
    ends = np.asarray(g.get_edgelist(), dtype=int).reshape(-1, 2)
    share = np.mean([p[ends[:, 0]] == p[ends[:, 1]] for p in parts], axis=0) if len(ends) else np.zeros(0)
    split = ends[(share > 0) & (share < 1)]
    out = np.zeros(g.vcount(), dtype=bool)
    out[split.ravel()] = True
    return out


def _refined(g: ig.Graph, membership: np.ndarray, movable: np.ndarray, sweeps: int = REFINE_SWEEPS) -> np.ndarray:
    """``membership`` after local moving of the ``movable`` nodes: each goes to the community holding most of its ties.

    The vertex-mover step of Louvain and Leiden with the tie weight inside a community as the gain
    (a weighted majority vote, as in label propagation): nodes are visited in index (sorted) order,
    and a node moves only when another community holds strictly more of its tie weight than its own;
    among equally strong communities the lowest number wins. Every move strictly raises the total
    tie weight inside communities, so the sweeps end; at most ``sweeps`` of them, until no node moves.

    Only nodes the seeded runs disagree about move (``_contested``): where every run put a node with
    the same neighbours, modularity has settled it, and its null model (a tie into a large community
    is expected, so counts for less) is kept; where the runs disagree, the ties settle it.

    Examples
    --------
    Node 6, put with the first triangle, has two ties into the second and one into its own:

    >>> g = ig.Graph(n=7, edges=[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (6, 3), (6, 4), (6, 0)])
    >>> g.es["weight"] = [1.0] * 9
    >>> start = np.array([0, 0, 0, 1, 1, 1, 0])
    >>> _refined(g, start, np.ones(7, dtype=bool)).tolist(), _refined(g, start, np.zeros(7, dtype=bool)).tolist()
    ([0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 0])
    """
    out = membership.copy()
    ties: list[list[tuple[int, float]]] = [[] for _ in range(g.vcount())]
    for (a, b), w in zip(g.get_edgelist(), g.es["weight"], strict=True):
        ties[a].append((b, w))
        ties[b].append((a, w))
    for _ in range(sweeps):
        moved = False
        for v, around in enumerate(ties):
            if not movable[v]:
                continue
            held: dict[int, float] = {}
            for u, w in around:
                held[int(out[u])] = held.get(int(out[u]), 0.0) + w
            best = min(held, key=lambda c: (-held[c], c), default=out[v])
            if held.get(best, 0.0) > held.get(int(out[v]), 0.0):
                out[v], moved = best, True
        if not moved:
            break
    return out


def _spread(part: np.ndarray, core: Sequence[int], whole: np.ndarray) -> np.ndarray:
    """A run's membership over the core, extended to every node (others keep ``whole``'s labels, kept apart)."""
    out = whole.copy() + int(part.max()) + 1
    out[list(core)] = part
    return out


def community_report(
    graph: nx.Graph, seed: int = 0, runs: int = RUNS, resolutions: Sequence[float] = RESOLUTIONS
) -> CommunityReport:
    """Communities by consensus of seeded Leiden runs, at the resolution whose runs agree most.

    1. For each resolution in ``resolutions``, ``runs`` seeded Leiden runs (weighted modularity
       with that resolution, over the whole network, so a small component is split only when its
       ties call for it against the network's total) and their mean pairwise ARI.
    2. The resolution whose runs agree most is kept (ties: nearest 1, the standard modularity).
    3. Consensus clustering of its runs removes the dependence on any one seed.
    4. Leiden polishes the consensus on the original ties and local moving refines it (``_refined``:
       a node the runs disagree about moves to the community holding strictly more of its tie weight).

    Examples
    --------
    >>> from itertools import combinations
    >>> g = nx.Graph([*combinations("abcde", 2), *combinations("vwxyz", 2), ("a", "v"), ("p", "q")])
    >>> g.add_node("alone")
    >>> report = community_report(g, runs=4, resolutions=(1.0,))
    >>> report.table[["size", "kind", "stability"]].values.tolist()
    [[5, 'community', 1.0], [5, 'community', 1.0], [2, 'pair', 1.0]]
    >>> report.isolates, report.labels["a"] != report.labels["v"]
    (['alone'], True)
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    if not resolutions:
        raise ValueError("resolutions must name at least one resolution")
    g, nodes = _to_igraph(graph)
    isolates = [nodes[v] for v in range(g.vcount()) if g.degree(v) == 0]
    if g.ecount() == 0:
        return CommunityReport({}, pd.DataFrame(columns=COMMUNITY_COLUMNS), 1.0, {}, isolates)
    # Leiden runs over the actors with a tie: an isolate has nothing to join and adds nothing to the
    # network's total weight (modularity's null model), so leaving isolates out costs nothing but time.
    components = g.connected_components()
    core = sorted(v for members in components if len(members) >= 2 for v in members)
    membership = np.asarray(components.membership) + len(nodes)  # isolates: their own component
    agreement: dict[float, float] = {}
    resolution = 1.0
    parts: list[np.ndarray] = []
    if core:
        sub = g.subgraph(core, implementation="copy_and_delete")  # keeps the sorted vertex order
        found, parts, resolution, agreement = _consensus_partition(sub, seed, runs, resolutions)
        membership[core] = found
        parts = [_spread(part, core, membership) for part in parts]
    labels, table = _numbered(g, nodes, np.unique(membership, return_inverse=True)[1].reshape(-1), parts)
    return CommunityReport(labels, table, resolution, agreement, isolates)


def _numbered(
    g: ig.Graph, nodes: Sequence[Any], membership: np.ndarray, parts: Sequence[np.ndarray]
) -> tuple[dict[Any, int], pd.DataFrame]:
    """Communities of two or more nodes numbered by size (0 = largest; ties: first node in sorted order):
    node → number, and the table of size, kind, modularity share and stability."""
    stability = _stability(membership, parts)
    modularity = _modularity_shares(g, membership)
    sizes = np.bincount(membership)
    found = [c for c in range(len(sizes)) if sizes[c] >= 2]
    first = np.full(len(sizes), len(nodes))  # each community's first node in sorted order breaks size ties
    np.minimum.at(first, membership, np.arange(len(nodes)))
    order = sorted(found, key=lambda c: (-sizes[c], first[c]))
    number = {c: n for n, c in enumerate(order)}
    labels = {nodes[v]: number[c] for v, c in enumerate(membership) if c in number}
    table = pd.DataFrame(
        [
            (number[c], int(sizes[c]), "pair" if sizes[c] == 2 else "community", round(float(modularity[c]), 6),
             round(float(stability[c]), 3))
            for c in order
        ],
        columns=COMMUNITY_COLUMNS,
    )  # fmt: skip
    return labels, table


def communities(graph: nx.Graph, seed: int = 0, method: str = "leiden") -> dict[str, int]:
    """Community number of every node with a tie (isolated nodes get none); 0 = the largest community.

    ``leiden``: ``community_report``'s consensus of seeded Leiden runs. ``louvain``: one seeded run of
    networkx Louvain over the whole network (a baseline).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> communities(g) == {"a": 0, "b": 0, "c": 1, "d": 1}
    True
    """
    if method not in ("leiden", "louvain"):
        raise ValueError(f"method must be leiden or louvain, not {method!r}")
    if method == "leiden":
        return community_report(graph, seed=seed).labels
    g, nodes = _to_igraph(graph)
    ordered: nx.Graph = nx.Graph()
    ordered.add_nodes_from(range(len(nodes)))
    ordered.add_weighted_edges_from((a, b, w) for (a, b), w in zip(g.get_edgelist(), g.es["weight"], strict=True))
    groups = [c for c in nx.community.louvain_communities(ordered, weight="weight", seed=seed) if len(c) >= 2]
    groups.sort(key=lambda members: (-len(members), min(members)))
    return {nodes[v]: n for n, members in enumerate(groups) for v in members}


def brokers(
    graph: nx.Graph, pivots: int = PIVOTS, exact_up_to: int = EXACT_COMPONENT, seed: int = 0
) -> dict[str, float]:
    """Normalised betweenness centrality of every node (the brokers score highest), as networkx scales it.

    Exact (Brandes, in igraph's C) in components of up to ``exact_up_to`` nodes. Brandes costs
    nodes × edges per component, so in a larger one betweenness is estimated from ``pivots`` source
    nodes drawn with ``seed`` and scaled by size/pivots: an unbiased estimate whose top ranks match
    the exact ones closely (measured: 9 of the top 10 with 1,000 pivots in a 15,000-node component).

    Examples
    --------
    >>> brokers(nx.path_graph(3)) == {0: 0.0, 1: 1.0, 2: 0.0}
    True
    >>> estimate = brokers(nx.path_graph(9), pivots=4, exact_up_to=5)
    >>> max(estimate, key=estimate.get) in (3, 4, 5)
    True
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    g, nodes = _to_igraph(graph)
    sources, scaled = betweenness_sources(g, pivots, exact_up_to, seed)
    values = g.betweenness(directed=False, sources=sources)
    for members, factor in scaled:
        for v in members:
            values[v] *= factor
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {node: value * scale for node, value in zip(nodes, values, strict=True)}


def betweenness_sources(
    g: ig.Graph, pivots: int = PIVOTS, exact_up_to: int = EXACT_COMPONENT, seed: int = 0
) -> tuple[list[int] | None, list[tuple[list[int], float]]]:
    """Source vertices for ``brokers`` (None: all, exact) and the scale factor of each sampled component."""
    if pivots < 1:
        raise ValueError(f"pivots must be at least 1, not {pivots}")
    sources: list[int] = []
    scaled: list[tuple[list[int], float]] = []
    rng = random.Random(seed)  # noqa: S311 - seeded pivot sample, not cryptography
    for members in g.connected_components():
        if len(members) <= max(exact_up_to, pivots):
            sources.extend(members)
        else:
            sources.extend(sorted(rng.sample(sorted(members), pivots)))
            scaled.append((members, len(members) / pivots))
    return (sources if scaled else None), scaled


#: Measures ``disruption`` can rank nodes by, by name.
MEASURES = ("betweenness", "degree")


def _scores(graph: nx.Graph, measure: str | Mapping[Any, float], seed: int) -> Mapping[Any, float]:
    if not isinstance(measure, str):
        return measure
    if measure == "betweenness":
        return brokers(graph, seed=seed)
    if measure == "degree":
        return dict(graph.degree(weight=None))
    raise ValueError(f"measure must be one of {MEASURES} or a mapping of scores, not {measure!r}")


def disruption(
    graph: nx.Graph, measure: str | Mapping[Any, float] = "betweenness", k: int = 10, seed: int = 0
) -> pd.DataFrame:
    """What-if: remove the top-``k`` nodes by ``measure`` one by one (ties by node id) and give the
    share of all nodes left in the largest connected component after each removal.

    ``measure`` is a name in ``MEASURES`` or a mapping node → score.

    Examples
    --------
    >>> g = nx.star_graph(4)
    >>> disruption(g, "degree", k=1)["largest_component_share"].tolist()
    [1.0, 0.2]
    """
    scores = _scores(graph, measure, seed)
    total = max(1, graph.number_of_nodes())
    # Only the component that loses a node changes, so only it is split again (1M actors: 535,772 components).
    members = dict(enumerate(nx.connected_components(graph)))
    component = {node: n for n, nodes in members.items() for node in nodes}
    fresh = itertools.count(len(members))

    def largest() -> float:
        return max((len(nodes) for nodes in members.values()), default=0) / total

    rows = [(0, None, largest())]
    for step, node in enumerate(sorted(scores, key=lambda n: (-scores[n], str(n)))[:k], start=1):
        rest = members.pop(component.pop(node)) - {node}
        for part, n in zip(nx.connected_components(graph.subgraph(rest)), fresh, strict=False):
            members[n] = part
            component.update(dict.fromkeys(part, n))
        rows.append((step, node, largest()))
    return pd.DataFrame(rows, columns=["removed", "node", "largest_component_share"])


#: Candidates tried at each step of the key-player search: the cut-points (articulation points) with the
#: highest betweenness; removing any other actor leaves its component whole.
KEY_PLAYER_CANDIDATES = 50


def _pairs_apart(sizes: Iterable[int]) -> int:
    """Ordered pairs of actors that can reach each other, summed over components of ``sizes``."""
    return sum(s * (s - 1) for s in sizes)


def key_players(
    graph: nx.Graph,
    community: Mapping[Any, int],
    k: int = 10,
    betweenness: Mapping[Any, float] | None = None,
    bridged: Mapping[Any, int] | None = None,
) -> pd.DataFrame:
    """Borgatti's key-player problem (KPP-Neg): the ``k`` actors whose removal splits the network most,
    chosen greedily, beside weighted degree, betweenness and brokerage between communities.

    Fragmentation is Borgatti's F = 1 - sum over components of s(s-1) / (n(n-1)): the share of pairs
    of actors that can no longer reach each other. At each step the cut-point (among the
    ``KEY_PLAYER_CANDIDATES`` with the highest betweenness) whose removal raises F most is taken out.
    Brokerage: the other communities an actor has ties into. Each row says why in words.

    Examples
    --------
    >>> g = nx.barbell_graph(4, 1)  # two 4-cliques joined through node 4
    >>> table = key_players(g, {n: 0 if n < 4 else 1 for n in g}, k=1)
    >>> int(table.loc[0, "node"]), float(table.loc[0, "fragmentation"]), int(table.loc[0, "communities_bridged"])
    (4, 0.5714, 1)
    """
    between = dict(betweenness) if betweenness is not None else brokers(graph)
    strength = dict(graph.degree(weight="weight"))
    bridged = dict(bridged) if bridged is not None else brokerage(graph, community)  # given: from a larger graph
    work = graph.copy()
    n = graph.number_of_nodes()
    reach = _pairs_apart(len(c) for c in nx.connected_components(work))
    rows = []
    for _ in range(min(k, n)):
        busiest = lambda v: (-between.get(v, 0.0), -strength[v], str(v))  # noqa: E731
        # No cut-point left: no removal splits anything, and the busiest actor is the next key player.
        candidates = sorted(nx.articulation_points(work), key=busiest) or sorted(work, key=busiest)[:1]
        best: tuple[int, Any, list[int], int] | None = None
        for node in candidates[:KEY_PLAYER_CANDIDATES]:
            before = nx.node_connected_component(work, node)
            parts = [len(c) for c in nx.connected_components(work.subgraph(before - {node}))]
            after = reach - len(before) * (len(before) - 1) + _pairs_apart(parts)
            if best is None or after < best[0]:
                best = (after, node, parts, len(before))
        if best is None:
            break
        reach, node, parts, was = best
        work.remove_node(node)
        left = n - len(rows) - 1
        fragmentation = 1 - reach / (left * (left - 1)) if left > 1 else 1.0
        rows.append((node, round(fragmentation, 4), was, sorted(parts, reverse=True)))
    table = pd.DataFrame(
        [
            {
                "rank": rank,
                "node": node,
                "name": graph.nodes[node].get("name", node),
                "fragmentation": fragmentation,
                "weighted_degree": float(strength[node]),
                "betweenness": round(between.get(node, 0.0), 6),
                "communities_bridged": bridged[node],
                "reason": (
                    (
                        f"removing them splits a network of {was} actors into {len(parts)} parts (largest {parts[0]})"
                        if len(parts) > 1
                        else f"no removal splits a network any more; the busiest actor left (network of {was})"
                    )
                    + f"; fragmentation becomes {fragmentation:.3f}; weighted degree {strength[node]:g}; "
                    f"ties into {bridged[node]} other communities"
                ),
            }
            for rank, (node, fragmentation, was, parts) in enumerate(rows, start=1)
        ],
        columns=["rank", "node", "name", "fragmentation", "weighted_degree", "betweenness", "communities_bridged",
                 "reason"],
    )  # fmt: skip
    return table


#: Key players ranked inside each network (community) of at least 3 actors.
NETWORK_PLAYERS = 3


def network_key_players(
    graph: nx.Graph, community: Mapping[Any, int], betweenness: Mapping[Any, float], k: int = NETWORK_PLAYERS
) -> pd.DataFrame:
    """The ``k`` key players of each community among its own actors (:func:`key_players` on the community's
    subgraph; brokerage counted over the whole graph), with the community: every network its own ranking."""
    bridged = brokerage(graph, community)
    members: dict[int, list[Any]] = {}
    for node in graph:
        if node in community:
            members.setdefault(community[node], []).append(node)
    tables = [
        key_players(graph.subgraph(nodes), community, k=k, betweenness=betweenness, bridged=bridged).assign(community=c)
        for c, nodes in sorted(members.items())
        if len(nodes) >= 3
    ]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["community", "rank", "node"])


def brokerage(graph: nx.Graph, community: Mapping[Any, int]) -> dict[Any, int]:
    """Other communities each actor has a tie into (0 for actors whose ties stay inside their community)."""
    return {
        node: len({community[o] for o in graph[node] if o in community and community[o] != community.get(node)})
        for node in graph
    }


def _ranked_components(graph: nx.Graph) -> list[set[str]]:
    """Connected components, largest first (ties by smallest uid)."""
    return sorted(nx.connected_components(graph), key=lambda members: (-len(members), min(members)))


def _members(table: pd.DataFrame) -> Iterable[tuple[str, str, str]]:
    for row in table.dropna(subset=["community"]).itertuples(index=False):
        yield row.label, row.uid, f"cluster:network:{int(row.community)}"


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Project actors, find communities and brokers, write Person/Organisation scores and network Clusters."""
    # In uid order, so ties (equal betweenness in a cluster's "key players") fall the same way however
    # the store happens to return the rows.
    actors = store.read("analytics_actors").sort_values("uid", ignore_index=True)
    graph = person_graph(actors, store.read("analytics_actor_edges"))
    report = community_report(graph, seed=seed)
    community = report.labels
    between = brokers(graph, seed=seed)
    component = {uid: n for n, members in enumerate(_ranked_components(graph)) for uid in members}
    table = actors.assign(
        component=[component.get(uid) for uid in actors["uid"]],
        community=[community.get(uid) for uid in actors["uid"]],
        betweenness=[round(between.get(uid, 0.0), 6) for uid in actors["uid"]],
        degree=[graph.degree(uid) if uid in graph else 0 for uid in actors["uid"]],
    )
    for label, statement in (
        ("Person", "analytics_set_person_scores"),
        ("Organisation", "analytics_set_organisation_scores"),
    ):
        rows = table[table["label"] == label]
        store.write(
            statement,
            rows=[
                {
                    "uid": r.uid,
                    "community": None if pd.isna(r.community) else int(r.community),
                    "betweenness": float(r.betweenness),
                    **({"degree": int(r.degree)} if label == "Person" else {}),  # an Organisation keeps no degree
                }
                for r in rows.itertuples(index=False)
            ],
        )
    grouped = table.dropna(subset=["community"]).groupby("community")
    summary = pd.DataFrame(
        [
            {
                "uid": f"cluster:network:{int(c)}",
                "size": len(g),
                "score": float(g["betweenness"].max()),
                "method": f"consensus of seeded Leiden runs, resolution {report.resolution:g}",
                "summary": "key players: "
                + ", ".join(g.sort_values("betweenness", ascending=False, kind="stable")["name"].head(3)),
            }
            for c, g in grouped
        ],
        columns=["uid", "size", "score", "method", "summary"],
    )
    summary = summary.merge(
        report.table.assign(uid=[f"cluster:network:{c}" for c in report.table["community"]])[
            ["uid", "kind", "modularity", "stability"]
        ],
        on="uid",
        how="left",
    )
    write_clusters(store, "network", summary, _members(table))
    top = table.sort_values(["betweenness", "degree"], ascending=False).head(25)
    curve = pd.concat(
        [
            disruption(graph, between, k=10).assign(measure="betweenness"),
            disruption(graph, "degree", k=10).assign(measure="degree"),
        ],
        ignore_index=True,
    )
    players = key_players(graph, community, k=25, betweenness=between)
    per_network = network_key_players(graph, community, between)
    stored = {"key_players": players, "network_key_players": per_network}
    results.save(store, stored, entity={"key_players": "node", "network_key_players": "node"})  # read by briefs
    return {
        "actors": table,
        "brokers": top.reset_index(drop=True),
        "key_players": players,
        "disruption": curve,
        "networks": summary,
    }
