"""Score community detection on a network with known groups, next to the field's usual baselines.

``armsgraph evaluate --network EDGES.csv --labels LABELS.csv``: EDGES has ``source,target[,weight]``,
LABELS has ``node,label``; nodes without a label are left out of the scores. The product's
communities (``networks.community_report``) are scored by ARI and NMI beside networkx Louvain,
networkx greedy modularity and igraph Leiden (modularity) on the same graph in the same run.

Every method is run with the same seeds and scored by its mean over them (greedy modularity draws
nothing at random and is run once): one seeded run of any method is one draw, and on a graph with
ambiguous boundary nodes two draws of the same method can differ by more than two methods do. The
product's first seed is reported too (``ari_first_seed``), and its seed-to-seed standard deviation.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from rich.table import Table
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from armsgraph.analytics.networks import _to_igraph, community_report
from armsgraph.errors import ArmsgraphError

__all__ = ["BASELINES", "evaluate_graph", "evaluate_network", "network_table", "read_network"]

#: Seeds every method is run with (its score is the mean over them; the product's spread over them).
SEEDS = (0, 1, 2, 3, 4)


def read_network(edges: Path, labels: Path) -> tuple[nx.Graph, dict[Any, Any]]:
    """The weighted graph of an edge list (``source,target[,weight]``) and the node → label map."""
    try:
        table = pd.read_csv(edges, dtype={"source": str, "target": str})
        known = pd.read_csv(labels, dtype={"node": str, "label": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ArmsgraphError(f"cannot read the network files: {error}") from error
    for name, frame, needed in ((edges, table, {"source", "target"}), (labels, known, {"node", "label"})):
        missing = needed - set(frame.columns)
        if missing:
            raise ArmsgraphError(f"{name} lacks the column(s) {', '.join(sorted(missing))}")
    weights = pd.to_numeric(table["weight"], errors="coerce") if "weight" in table else pd.Series(1.0, table.index)
    if weights.isna().any() or (weights <= 0).any():
        raise ArmsgraphError(f"{edges}: every weight must be a positive number")
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(known["node"])
    for source, target, weight in zip(table["source"], table["target"], weights, strict=True):
        if source == target:
            continue
        previous = graph[source][target]["weight"] if graph.has_edge(source, target) else 0.0
        graph.add_edge(source, target, weight=previous + float(weight))
    return graph, dict(zip(known["node"], known["label"], strict=True))


def _louvain(graph: nx.Graph, seed: int) -> dict[Any, int]:
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return {node: n for n, members in enumerate(groups) for node in members}


def _greedy(graph: nx.Graph, seed: int) -> dict[Any, int]:
    groups = nx.community.greedy_modularity_communities(graph, weight="weight")
    return {node: n for n, members in enumerate(groups) for node in members}


def _igraph_leiden(graph: nx.Graph, seed: int) -> dict[Any, int]:
    g, nodes = _to_igraph(graph)
    random.seed(seed)  # igraph draws from Python's random generator
    part = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    return {nodes[v]: label for v, label in enumerate(part.membership)}


#: Baselines by name: each maps (graph, seed) to node → community.
BASELINES: dict[str, Callable[[nx.Graph, int], dict[Any, int]]] = {
    "networkx_louvain": _louvain,
    "networkx_greedy": _greedy,
    "igraph_leiden": _igraph_leiden,
}
#: Baselines that ignore the seed: run once, their one score stands for every seed.
SEEDLESS = frozenset({"networkx_greedy"})


def _scores(found: Mapping[Any, Any], labels: Mapping[Any, Any]) -> dict[str, float]:
    """ARI and NMI over the labelled nodes (a node in no community is a community of its own)."""
    nodes = sorted((n for n in labels), key=str)
    truth = [labels[n] for n in nodes]
    guess = [f"c{found[n]}" if n in found else f"alone:{n}" for n in nodes]
    return {
        "ari": round(float(adjusted_rand_score(truth, guess)), 4),
        "nmi": round(float(normalized_mutual_info_score(truth, guess)), 4),
    }


def _over_seeds(found: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """One method's scores over the seeds: mean ARI and NMI, the ARI's standard deviation and each seed's ARI."""
    aris = [f["ari"] for f in found]
    return {
        "ari": round(statistics.fmean(aris), 4),
        "nmi": round(statistics.fmean(f["nmi"] for f in found), 4),
        "ari_std_over_seeds": round(statistics.pstdev(aris), 4),
        "ari_by_seed": aris,
    }


def _baseline(name: str, graph: nx.Graph, labels: Mapping[Any, Any], seeds: Sequence[int]) -> dict[str, Any]:
    """A baseline scored over ``seeds`` (a seedless one run once, its score standing for every seed)."""
    method = BASELINES[name]
    if name in SEEDLESS:
        return _over_seeds([_scores(method(graph, seeds[0]), labels)] * len(seeds))
    return _over_seeds([_scores(method(graph, s), labels) for s in seeds])


def evaluate_graph(graph: nx.Graph, labels: Mapping[Any, Any], seeds: Sequence[int] = SEEDS) -> dict[str, Any]:
    """Scores of the product and of each baseline, every method run with each of ``seeds``.

    Per method: ``ari``/``nmi`` are means over the seeds, ``ari_std_over_seeds`` and ``ari_by_seed``
    the spread; the product also gives its first seed's ARI and NMI, its communities and resolution.

    Examples
    --------
    >>> g = nx.barbell_graph(6, 0)
    >>> scores = evaluate_graph(g, {n: n < 6 for n in g}, seeds=(0, 1))
    >>> scores["armsgraph"]["ari_by_seed"], scores["baselines"]["igraph_leiden"]["ari_by_seed"]
    ([1.0, 1.0], [1.0, 1.0])
    """
    seeds = list(seeds)
    if not seeds:
        raise ArmsgraphError("at least one seed is needed")
    labels = {n: label for n, label in labels.items() if n in graph and label is not None and not pd.isna(label)}
    if not labels:
        raise ArmsgraphError("no labelled node is in the network")
    runs = [community_report(graph, seed=s) for s in seeds]
    found = [_scores(r.labels, labels) for r in runs]
    ours = _over_seeds(found) | {
        "ari_first_seed": found[0]["ari"],
        "nmi_first_seed": found[0]["nmi"],
        "communities": len(runs[0].table),
        "resolution": runs[0].resolution,
    }
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "labelled": len(labels),
        "seeds": seeds,
        "armsgraph": ours,
        "baselines": {name: _baseline(name, graph, labels, seeds) for name in BASELINES},
    }


def evaluate_network(edges: Path, labels: Path, seeds: Sequence[int] = SEEDS) -> dict[str, Any]:
    """``evaluate_graph`` on the network and labels read from two CSV files."""
    graph, known = read_network(edges, labels)
    return evaluate_graph(graph, known, seeds) | {"edges_file": str(edges), "labels_file": str(labels)}


def network_table(scores: Mapping[str, Any]) -> Table:
    """Each method's mean ARI/NMI over the seeds and its ARI's seed-to-seed spread, as a rich table."""
    seeds = scores["seeds"]
    table = Table("method", "ARI (mean)", "NMI (mean)", "ARI std over seeds", "ARI first seed", title=(
        f"communities vs known groups ({scores['labelled']:,} labelled of {scores['nodes']:,} nodes, "
        f"{scores['edges']:,} edges; every method run with seeds {', '.join(map(str, seeds))})"
    ))  # fmt: skip
    for name, found in [("armsgraph", scores["armsgraph"]), *scores["baselines"].items()]:
        table.add_row(
            name,
            f"{found['ari']:.3f}",
            f"{found['nmi']:.3f}",
            f"{found['ari_std_over_seeds']:.3f}",
            f"{found['ari_by_seed'][0]:.3f}",
        )
    return table
