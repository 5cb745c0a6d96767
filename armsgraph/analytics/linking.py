"""Linked incidents: probabilistic record linkage between incidents (Fellegi–Sunter, splink on DuckDB).

Candidate pairs come from blocking rules (same day and country, same day and organisation, a shared
firearm, person, identifier...), so a same-day pair is compared however large its group. Each pair is
scored by the comparisons of :mod:`armsgraph.analytics.linkage_model`; pairs at or above the
threshold are LINKED, each with its match probability, match weight and the weight of every
comparison in words (the waterfall the dashboard and briefs show). Clusters are Leiden communities
of the LINKED graph weighted by match weight (a chain of single links does not glue groups).

The trained model (m, u, λ) is stored in ``<data_dir>/linking/model.json`` with a fingerprint of the
incidents it was trained on; it is reused while the incidents are the same, so that results are
reproducible, and retrained on request (``armsgraph analyse --only linking --retrain``) or when they change.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import igraph as ig
import leidenalg
import networkx as nx
import pandas as pd

from armsgraph.analytics.common import haversine_km, provenance, write_clusters
from armsgraph.analytics.linkage_input import ENTITY_COLUMNS, incident_table, read_entities
from armsgraph.analytics.linkage_model import (
    SAME_SERIES,
    LinkageModel,
    fingerprint,
    level_labels,
    pairs_under,
    prepare,
)
from armsgraph.analytics.linkage_settings import linking_settings
from armsgraph.graph.store import GraphStore

__all__ = ["Linkage", "analyse", "ballistic_groups", "clusters", "link_incidents", "model_path"]

_SOURCES_SHOWN = 5
#: The properties of a LINKED relationship (after its two ends a and b), in the order the tables show them.
LINK_PROPERTIES = (
    "weight",
    "match_weight",
    "prior_weight",
    "rules",
    "comparisons",
    "levels",
    "weights",
    "explanation",
    "evidence",
)
_IDENTITY_WORDS = {
    "firearm": "the same firearm",
    "ballistic": "a ballistic hit",
    "person": "the same person",
    "identifier": "a shared identifier",
    "trace": "firearms from the same diverting party",
}
_SAME_WHAT = {"subdivision": "area", "city": "city", "attack_type": "attack type", "target_type": "target type"}
_RULE_OF_COLUMN = {column: rule for rule, column in ENTITY_COLUMNS.items()}


def ballistic_groups(evidence: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    """One entity per firearm seen through ballistics: evidence joined by hit group or examiner HIT.

    Parameters
    ----------
    evidence : DataFrame with incident, evidence, hit_group, sources
    hits : DataFrame with source, target (evidence uids)

    Returns
    -------
    DataFrame with incident, entity, sources — the ``entities`` rows of rule "ballistic".

    Examples
    --------
    >>> ev = pd.DataFrame({"incident": ["i1", "i2"], "evidence": ["b1", "b2"], "hit_group": ["G", "G"],
    ...                    "sources": [["b.csv:1"], ["b.csv:2"]]})
    >>> sorted(ballistic_groups(ev, pd.DataFrame(columns=["source", "target"]))["entity"].unique())
    ['ballistic:b1']
    """
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(evidence["evidence"])
    graph.add_edges_from(zip(hits["source"], hits["target"], strict=True))
    for _, group in evidence.dropna(subset=["hit_group"]).groupby("hit_group"):
        uids = list(group["evidence"])
        graph.add_edges_from(pairwise(uids))
    root = {uid: min(component) for component in nx.connected_components(graph) for uid in component}
    out = evidence[["incident", "sources"]].copy()
    out["entity"] = ["ballistic:" + root[uid] for uid in evidence["evidence"]]
    return out


@dataclass
class Linkage:
    """What one linking run found: the links (explained), the clusters, and how it got there."""

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    compared: int
    parameters: dict[str, Any]
    training: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Compared pairs, links, clusters and the cluster size distribution, as a two-column table."""
        sizes = self.clusters.drop_duplicates("cluster")["size"] if len(self.clusters) else pd.Series(dtype=int)
        counts = Counter(int(s) for s in sizes)
        rows = [
            ("compared pairs", self.compared),
            ("links", len(self.pairs)),
            ("clusters", len(sizes)),
            ("largest cluster", int(sizes.max()) if len(sizes) else 0),
            ("cluster sizes", ", ".join(f"{n}×{size}" for size, n in sorted(counts.items())) or "-"),
            ("model", "; ".join(self.training) or "stored model"),
        ]
        return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": str})


def _words(
    name: str,
    label: str,
    row: Mapping[str, Any],
    table: Mapping[str, Mapping[str, Any]],
    org_names: Mapping[str, str],
    tf_weight: float,
) -> str:
    """One comparison's outcome as a prosecutor reads it."""
    a, b = table[row["unique_id_l"]], table[row["unique_id_r"]]
    if name == "distance":
        km = haversine_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))
        return f"{km:.1f} km apart" if km < 100 else f"{km:.0f} km apart"
    if name == "organisation" and label == "same":
        names = ", ".join(org_names.get(o, o) for o in str(a["organisation"]).split("|"))
        return f"same organisation, {names}, {'common' if tf_weight < 0 else 'rare'}"
    if name == "series" and label == SAME_SERIES:
        return f"both described as one of a series of {a['series']}"
    if label == "same" and name in _SAME_WHAT:
        return f"same {_SAME_WHAT[name]}, {a[name]}"
    if label == "shared":
        return _IDENTITY_WORDS.get(name, "a weapon type in common")
    if label == "different":
        return f"different {name.replace('_', ' ')}"
    return "no weapon type in common" if name == "weapon_type" else label


def _evidence(
    row: Mapping[str, Any], table: Mapping[str, Mapping[str, Any]], sources: Mapping[str, list[str]]
) -> list[str]:
    """The shared entities of a pair, each with its source records (as cited in briefs)."""
    a, b = table[row["unique_id_l"]], table[row["unique_id_r"]]
    notes = []
    for column, rule in _RULE_OF_COLUMN.items():
        for entity in sorted(set(a[column] or []) & set(b[column] or [])):
            refs = sorted(set(sources.get(entity, [])))[:_SOURCES_SHOWN]
            notes.append(f"{rule}: {entity}" + (f" [{'; '.join(refs)}]" if refs else ""))
    return notes


def _explain(
    scored: pd.DataFrame,
    table: pd.DataFrame,
    parameters: Mapping[str, Any],
    entities: pd.DataFrame,
    org_names: Mapping[str, str],
) -> pd.DataFrame:
    """a, b, weight (probability), match_weight, prior_weight, comparisons/levels/weights, explanation, rules,
    evidence — one row per scored pair, strongest first."""
    labels = level_labels(parameters)
    names = list(labels)
    lam = float(parameters["probability_two_random_records_match"])
    prior = math.log2(lam / (1 - lam))
    lookup = table.set_index("unique_id").to_dict("index")
    lookup = {uid: {"unique_id": uid, **values} for uid, values in lookup.items()}
    sources: dict[str, list[str]] = {}
    for entity, refs in zip(entities.get("entity", []), entities.get("sources", []), strict=False):
        sources.setdefault(str(entity), []).extend(refs if isinstance(refs, list) else [])
    rows = []
    for row in scored.to_dict("records"):
        comparisons, levels, weights, words = [], [], [], []
        for name in names:
            gamma = int(row.get(f"gamma_{name}", -1))
            if gamma < 0:
                continue
            tf = float(row.get(f"mw_tf_adj_{name}", 0.0) or 0.0)
            weight = float(row.get(f"mw_{name}", 0.0) or 0.0) + tf
            said = _words(name, labels[name][gamma], row, lookup, org_names, tf)
            comparisons.append(name)
            levels.append(said)
            weights.append(round(weight, 2))
            words.append(f"{said} ({weight:+.1f})")
        a, b = sorted((row["unique_id_l"], row["unique_id_r"]))
        rows.append(
            {
                "a": a,
                "b": b,
                "weight": round(float(row["match_probability"]), 6),
                "match_weight": round(float(row["match_weight"]), 2),
                "prior_weight": round(prior, 2),
                "rules": sorted(n for n, w in zip(comparisons, weights, strict=True) if w > 0),
                "comparisons": comparisons,
                "levels": levels,
                "weights": weights,
                "explanation": ", ".join(words),
                "evidence": _evidence(row, lookup, sources),
            }
        )
    out = pd.DataFrame(rows, columns=["a", "b", *LINK_PROPERTIES])
    return out.sort_values(["match_weight", "a", "b"], ascending=[False, True, True], ignore_index=True)


def clusters(pairs: pd.DataFrame, resolution: float, seed: int = 0) -> pd.DataFrame:
    """Clusters that do not chain: Leiden communities (constant Potts model) of the links weighted by match weight.

    Incidents joined by identity evidence (the same firearm, ballistic hit, person, identifier or diverting
    party: ``rules``) are one block whatever the length of the chain, since each link is a fact; the blocks
    and the other incidents are then grouped by Leiden, which keeps a set together only while its links weigh
    more than ``resolution`` bits per pair of members, so a chain of probabilistic links is cut.

    Returns
    -------
    DataFrame with incident, cluster (``cluster:linked:<n>``, n = 1 for the largest, ties broken by the
    smallest member uid), size, score (mean match probability of the links inside). Incidents left alone
    are in no cluster.

    Examples
    --------
    >>> p = pd.DataFrame({"a": ["i1", "i3"], "b": ["i2", "i4"], "match_weight": [20.0, 15.0], "weight": [1.0, 0.99]})
    >>> clusters(p, 4.0)[["incident", "cluster", "size"]].values.tolist()[:2]
    [['i1', 'cluster:linked:1', 2], ['i2', 'cluster:linked:1', 2]]
    """
    columns = ["incident", "cluster", "size", "score"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    block_of = _identity_blocks(pairs)
    groups = _leiden_groups(pairs, block_of, resolution, seed)
    cluster_of = {uid: n for n, group in enumerate(groups, start=1) for uid in group}
    inside: dict[int, list[float]] = {}
    for a, b, p in zip(pairs["a"], pairs["b"], pairs["weight"], strict=True):
        if cluster_of.get(a) is not None and cluster_of.get(a) == cluster_of.get(b):
            inside.setdefault(cluster_of[a], []).append(float(p))
    rows = []
    for n, group in enumerate(groups, start=1):
        found = inside.get(n, [])
        score = math.fsum(found) / max(1, len(found))
        rows.extend((uid, f"cluster:linked:{n}", len(group), round(score, 4)) for uid in group)
    return pd.DataFrame(rows, columns=columns)


def _identity_blocks(pairs: pd.DataFrame) -> dict[str, int]:
    """incident → block: the connected components of the links that rest on identity evidence."""
    rules = pairs["rules"] if "rules" in pairs else pd.Series([[]] * len(pairs), index=pairs.index)
    decisive = rules.map(lambda found: bool(set(found or []) & set(_IDENTITY_WORDS))).to_numpy()
    blocks: nx.Graph = nx.Graph()
    blocks.add_nodes_from(pd.concat([pairs["a"], pairs["b"]]).unique())
    blocks.add_edges_from(zip(pairs["a"][decisive], pairs["b"][decisive], strict=True))
    return {uid: n for n, members in enumerate(nx.connected_components(blocks)) for uid in members}


def _leiden_groups(pairs: pd.DataFrame, block_of: Mapping[str, int], resolution: float, seed: int) -> list[list[str]]:
    """The groups of two or more incidents Leiden (CPM, blocks weighted by their size) finds, largest first."""
    size = Counter(block_of.values())
    weights: Counter[tuple[int, int]] = Counter()
    for a, b, w in zip(pairs["a"], pairs["b"], pairs["match_weight"].clip(lower=0.01), strict=True):
        x, y = sorted((block_of[a], block_of[b]))
        if x != y:
            weights[(x, y)] += float(w)
    graph = ig.Graph(n=len(size), edges=list(weights), edge_attrs={"weight": list(weights.values())})
    partition = leidenalg.find_partition(
        graph,
        leidenalg.CPMVertexPartition,
        weights="weight",
        node_sizes=[size[n] for n in range(len(size))],
        resolution_parameter=resolution,
        seed=seed,
    )
    community = {block: n for n, members in enumerate(partition) for block in members}
    members: dict[int, list[str]] = {}
    for uid, block in block_of.items():
        members.setdefault(community[block], []).append(uid)
    return sorted((sorted(m) for m in members.values() if len(m) > 1), key=lambda m: (-len(m), m[0]))


def link_incidents(
    incidents: pd.DataFrame,
    entities: pd.DataFrame,
    organisations: pd.DataFrame,
    config: Mapping[str, Any] | None = None,
    *,
    model: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Linkage:
    """Link incidents: build the input, train (or reuse ``model``), score the blocked pairs, explain, cluster.

    Parameters
    ----------
    incidents : uid, date, lat, lon, country, subdivision, city, attack_type, target_type, weapon_types,
        description (missing columns count as unrecorded)
    entities : incident, entity, rule, sources — shared firearms, ballistic groups, persons, identifiers,
        diverting parties
    organisations : incident, organisation, name
    config : linking settings (default: :func:`linking_settings`)
    model : a trained model's splink settings (skip training)
    """
    settings = dict(config or linking_settings())
    table = incident_table(incidents, entities, organisations)
    empty = Linkage(
        pd.DataFrame(columns=["a", "b", "weight", "match_weight", "rules", "evidence"]),
        pd.DataFrame(columns=["incident", "cluster", "size", "score"]),
        0,
        {},
    )
    if len(table) < 2:
        return empty
    prepared = prepare(table)
    blocking = [rule for rule in settings["blocking"] if pairs_under(prepared, rule) > 0]
    if not blocking:
        return empty
    linker = LinkageModel(table, enabled=settings["comparisons"], blocking=blocking, model=model, seed=seed)
    training: list[str] = []
    train = settings["train"]
    if model is None and len(table) >= int(train.get("min_incidents", 200)):
        training = linker.train(
            em_blocking=train["em_blocking"], deterministic=train["deterministic"], recall=float(train["recall"])
        )
    elif model is None:
        training = [f"priors (fewer than {train.get('min_incidents', 200)} incidents to train on)"]
    parameters = linker.parameters()
    compared, strong = linker.predict(float(settings["threshold"]))
    names = dict(zip(organisations.get("organisation", []), organisations.get("name", []), strict=False))
    pairs = _explain(strong, prepared, parameters, entities, {str(k): str(v) for k, v in names.items()})
    members = clusters(pairs, float(settings["cluster_resolution"]), seed=seed)
    return Linkage(pairs, members, compared, parameters, training)


def model_path(store: GraphStore) -> Path:
    """Where the trained linkage model of a store's data directory is kept."""
    return Path(store.settings.data_dir) / "linking" / "model.json"


def _stored_model(path: Path, print_: str) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    model: dict[str, Any] | None = saved.get("splink") if saved.get("fingerprint") == print_ else None
    return model


def analyse(
    store: GraphStore,
    *,
    seed: int = 0,
    threshold: float | None = None,
    retrain: bool = False,
    config: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Link incidents, cluster them, and write LINKED edges, Incident.cluster and Cluster nodes.

    The model stored for the same incidents is reused unless ``retrain``; a newly trained one is stored.
    """
    settings = linking_settings(config or store.settings, threshold=threshold)  # a file given wins
    incidents = store.read("analytics_link_incidents")
    entities = read_entities(store)
    organisations = store.read("analytics_link_organisations")
    path = model_path(store)
    table = incident_table(incidents, entities, organisations)
    print_ = fingerprint(prepare(table)) + ":" + ",".join(settings["comparisons"])
    model = None if retrain else _stored_model(path, print_)
    result = link_incidents(incidents, entities, organisations, settings, model=model, seed=seed)
    if result.training and result.parameters:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps({"fingerprint": print_, "splink": result.parameters}, indent=1) + "\n", encoding="utf-8"
        )
    _write(store, result)
    return {"pairs": result.pairs, "clusters": result.clusters, "summary": result.summary()}


def _write(store: GraphStore, result: Linkage) -> None:
    store.write("analytics_clear_linked")
    store.upsert_relationships(
        "LINKED",
        "Incident",
        "Incident",
        [
            {"from": r["a"], "to": r["b"], **{k: r[k] for k in LINK_PROPERTIES}, **provenance(n)}
            for n, r in enumerate(result.pairs.to_dict("records"), start=1)
        ],
    )
    members = result.clusters
    store.write(
        "analytics_set_incident_cluster", rows=[{"uid": r.incident, "cluster": r.cluster} for r in members.itertuples()]
    )
    summary = members.groupby("cluster").agg(size=("size", "first"), score=("score", "first")).reset_index()
    summary = summary.rename(columns={"cluster": "uid"}).assign(
        method="Leiden communities of LINKED weighted by match weight (probabilistic record linkage)",
        summary=[f"{s} linked incidents" for s in summary["size"]],
    )
    write_clusters(
        store, "linked_incidents", summary, (("Incident", r.incident, r.cluster) for r in members.itertuples())
    )


def settings_for(threshold: float | None = None, comparisons: Sequence[str] | None = None) -> dict[str, Any]:
    """The linking settings with a threshold and comparisons changed (tests, evaluation)."""
    return linking_settings(threshold=threshold, comparisons=list(comparisons) if comparisons else None)
