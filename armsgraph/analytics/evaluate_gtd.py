"""Score incident linking on a real table in GTD's published layout, against GTD's own ``related`` column.

The file is loaded through the shipped ``gtd`` mapping (which never maps ``related`` or ``multiple``)
into a temporary embedded store, linked with the linking settings in force, and scored:

- truth: union-find over ``related`` (ids that are not rows of the file are ignored); true pairs are
  all pairs inside a group;
- direct: the LINKED pairs; clusters: pairs of incidents in the same cluster;
- baseline: pairs with the same ``gname`` + country + ``provstate`` + date ("Unknown" kept as a name),
  computed in the same run.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

from rich.table import Table

from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import open_store
from armsgraph.progress import Progress
from armsgraph.settings import Settings

__all__ = ["baseline_pairs", "evaluate_gtd", "gtd_table", "pair_scores", "truth_pairs"]

_BASELINE = ("gname", "country_txt", "provstate", "iyear", "imonth", "iday")


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise AnalyticsError(f"GTD file {path} does not exist")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "eventid" not in rows[0]:
        raise AnalyticsError(f"{path} is not in GTD's published layout (no eventid column)")
    return rows


def _event(text: str) -> str | None:
    try:
        return str(int(float(text.strip())))
    except ValueError:
        return None


def truth_pairs(rows: Iterable[Mapping[str, str]]) -> set[frozenset[str]]:
    """All pairs inside the groups that ``related`` forms (union-find; ids outside the rows ignored)."""
    rows = list(rows)
    ids = {str(_event(r["eventid"])) for r in rows}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        own = str(_event(row["eventid"]))
        for other in (_event(t) for t in (row.get("related") or "").split(",") if t.strip()):
            if other in ids:
                parent[find(other)] = find(own)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}


def baseline_pairs(rows: Iterable[Mapping[str, str]]) -> set[frozenset[str]]:
    """Pairs with equal gname, country, provstate and date (the naive rule of SOURCE.txt)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(c, "") for c in _BASELINE), []).append(str(_event(row["eventid"])))
    return {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}


def pair_scores(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    """Pair precision, recall and F1 (and the number of predicted pairs)."""
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "pairs": len(predicted)}


def evaluate_gtd(settings: Settings, path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Load ``path`` (GTD layout) into a temporary store, link, and score direct links, clusters and the baseline."""
    from armsgraph.analytics import linking
    from armsgraph.ingest import ingest_bundle

    path = Path(path).resolve()
    rows = _rows(path)
    truth = truth_pairs(rows)
    with tempfile.TemporaryDirectory(prefix="armsgraph-gtd-") as tmp:
        bundle = Path(tmp) / "gtd"
        bundle.mkdir()
        shutil.copyfile(path, bundle / path.name)  # a temporary working copy (links are not read by ingest)
        store = open_store(settings.replace(data_dir=Path(tmp) / "data", store="embedded"))
        try:
            store.apply_schema()
            report = ingest_bundle(store, bundle, mapping="gtd", progress=progress)
            results = linking.analyse(store)
        finally:
            store.close()
    prefix = "incident:gtd:"
    links = results["pairs"]
    direct = {
        frozenset((a.removeprefix(prefix), b.removeprefix(prefix))) for a, b in zip(links["a"], links["b"], strict=True)
    }
    members: dict[str, list[str]] = {}
    for incident, cluster in zip(results["clusters"]["incident"], results["clusters"]["cluster"], strict=True):
        members.setdefault(cluster, []).append(incident.removeprefix(prefix))
    together = {frozenset(p) for group in members.values() for p in combinations(sorted(group), 2)}
    summary = dict(zip(results["summary"]["measure"], results["summary"]["value"], strict=True))
    return {
        "file": str(path),
        "incidents": len(rows),
        "loaded": report.record_types[0].loaded if report.record_types else 0,
        "rejected": report.rejected,
        "true_pairs": len(truth),
        "direct": pair_scores(direct, truth),
        "clusters": pair_scores(together, truth),
        "baseline": pair_scores(baseline_pairs(rows), truth),
        "links": len(direct),
        "largest_cluster": max((len(g) for g in members.values()), default=0),
        "compared_pairs": int(summary.get("compared pairs", 0)),
        "cluster_sizes": summary.get("cluster sizes", "-"),
        "model": summary.get("model", ""),
    }


def gtd_table(scores: Mapping[str, Any]) -> Table:
    """A rich table of :func:`evaluate_gtd` results: direct links and clusters next to the naive baseline."""
    table = Table(
        "", "pairs", "precision", "recall", "F1", title=f"armsgraph evaluate --gtd {Path(scores['file']).name}"
    )
    names = {
        "direct": "linked pairs (direct links)",
        "clusters": "pairs in one cluster",
        "baseline": "baseline: same gname+country+provstate+date",
    }
    for key, label in names.items():
        s = scores[key]
        table.add_row(label, f"{s['pairs']:,}", f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}")
    table.caption = (
        f"{scores['incidents']:,} incidents ({scores['loaded']:,} loaded), {scores['true_pairs']:,} true pairs; "
        f"{scores['compared_pairs']:,} pairs compared; largest cluster {scores['largest_cluster']}; "
        f"cluster sizes {scores['cluster_sizes']}"
    )
    return table
