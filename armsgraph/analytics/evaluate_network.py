"""Score community detection on a network with known groups, next to the field's usual baselines.

``armsgraph evaluate --network EDGES.csv --labels LABELS.csv``: EDGES has ``source,target[,weight]``,
LABELS has ``node,label``; nodes without a label are left out of the scores. The product's
communities (``networks.community_report``) are scored by ARI and NMI beside networkx Louvain,
networkx greedy modularity and igraph Leiden (modularity) on the same graph in the same run; the
product is also run with several seeds to give its seed-to-seed standard deviation.
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

#: Seeds the product is run with to measure its seed-to-seed spread.
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


def _scores(found: Mapping[Any, Any], labels: Mapping[Any, Any]) -> dict[str, float]:
    """ARI and NMI over the labelled nodes (a node in no community is a community of its own)."""
    nodes = sorted((n for n in labels), key=str)
    truth = [labels[n] for n in nodes]
    guess = [f"c{found[n]}" if n in found else f"alone:{n}" for n in nodes]
    return {
        "ari": round(float(adjusted_rand_score(truth, guess)), 4),
        "nmi": round(float(normalized_mutual_info_score(truth, guess)), 4),
    }


def evaluate_graph(graph: nx.Graph, labels: Mapping[Any, Any], seeds: Sequence[int] = SEEDS) -> dict[str, Any]:
    """Scores of the product (first seed; spread over ``seeds``) and of each baseline (first seed)."""
    labels = {n: label for n, label in labels.items() if n in graph and label is not None and not pd.isna(label)}
    if not labels:
        raise ArmsgraphError("no labelled node is in the network")
    runs = [community_report(graph, seed=s) for s in seeds]
    aris = [_scores(r.labels, labels)["ari"] for r in runs]
    ours = _scores(runs[0].labels, labels) | {
        "ari_std_over_seeds": round(statistics.pstdev(aris), 4),
        "ari_mean_over_seeds": round(statistics.fmean(aris), 4),
        "communities": len(runs[0].table),
        "resolution": runs[0].resolution,
    }
    baselines = {name: _scores(method(graph, seeds[0]), labels) for name, method in BASELINES.items()}
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "labelled": len(labels),
        "armsgraph": ours,
        "baselines": baselines,
    }


def evaluate_network(edges: Path, labels: Path, seeds: Sequence[int] = SEEDS) -> dict[str, Any]:
    """``evaluate_graph`` on the network and labels read from two CSV files."""
    graph, known = read_network(edges, labels)
    return evaluate_graph(graph, known, seeds) | {"edges_file": str(edges), "labels_file": str(labels)}


def network_table(scores: Mapping[str, Any]) -> Table:
    """The product's ARI/NMI beside each baseline's, as a rich table."""
    table = Table("method", "ARI", "NMI", "ARI std over seeds", title=(
        f"communities vs known groups ({scores['labelled']:,} labelled of {scores['nodes']:,} nodes, "
        f"{scores['edges']:,} edges)"
    ))  # fmt: skip
    ours = scores["armsgraph"]
    table.add_row("armsgraph", f"{ours['ari']:.3f}", f"{ours['nmi']:.3f}", f"{ours['ari_std_over_seeds']:.3f}")
    for name, found in scores["baselines"].items():
        table.add_row(name, f"{found['ari']:.3f}", f"{found['nmi']:.3f}", "")
    return table
