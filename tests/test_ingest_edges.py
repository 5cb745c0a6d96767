"""The shipped ``edges`` mapping on the covert-network edge lists of ../shared/data/real/covert-networks.

Known answers from the folder's INDEX.txt: per layer, the number of nodes (n) and ties (m). The ties
become ASSOCIATED_WITH edges, one per pair and layer; no incident is invented.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA

COVERT = REAL_DATA / "covert-networks"


@pytest.fixture(scope="module")
def index() -> dict[str, tuple[int, int]]:
    """(n, m) per layer from INDEX.txt; the test fails (never skips) when the data is missing."""
    path = COVERT / "INDEX.txt"
    assert path.is_file(), f"{path} is missing: the covert-network data set is needed (see ../shared/data/real)"
    found = {
        layer.lower(): (int(n), int(m))
        for layer, n, m in re.findall(r"([A-Z0-9_&]+)\(n=(\d+),m=(\d+),undir\)", path.read_text(encoding="utf-8"))
    }
    assert len(found) == 22
    return found


def _rows(kind: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(COVERT.glob(f"covert_*_{kind}.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_covert_networks_load_as_associations_with_the_published_counts(
    store: GraphStore, index: dict[str, tuple[int, int]]
) -> None:
    report = ingest_bundle(store, COVERT, "edges", progress=False)
    assert report.failures == [] and report.errors == []
    counts = store.counts()
    names = {row["name"] for row in _rows("nodes")}
    assert counts.get("Person") == len(names) == 112 + 79  # Caviar's phases name 2 people its full network lacks
    assert counts.get("ASSOCIATED_WITH") == sum(m for _, m in index.values()) == 1701
    assert "Incident" not in counts and "INVOLVED_IN" not in counts  # no invented incidents
    edges = store.read("analytics_actor_edges")
    ties = edges[edges["kind"] == "association"]
    per_layer = ties.groupby("via").size().to_dict()
    assert per_layer == {layer: m for layer, (_, m) in index.items()}
    endpoints: dict[str, set[str]] = defaultdict(set)
    for row in _rows("edges"):
        endpoints[row["layer"].lower()] |= {row["source"], row["target"]}
    for layer, (n, _) in index.items():
        tied = ties[ties["via"] == layer]
        assert set(tied["source"]) | set(tied["target"]) == {f"person:edges:{e}" for e in endpoints[layer]}
        assert len(endpoints[layer]) <= n
    assert len(endpoints["caviar_full"]) == 110  # every Caviar participant has a tie in the full network
    kinds = {r.record_type: r for r in report.record_types}
    assoc = kinds["associations"]
    assert (assoc.read, assoc.loaded, assoc.skipped, assoc.duplicates, assoc.rejected) == (1701, 1701, 0, 0, 0)
    for counts in report.files:  # an edge row loads its tie; a node row repeats a person its edges already named
        assert counts.rows_in == counts.accepted + counts.rejected + counts.skipped + counts.duplicates, counts
    by_file = {c.file: (c.rows_in, c.accepted, c.duplicates) for c in report.files}
    assert by_file["covert_10_edges.csv"] == (687, 687, 0) and by_file["covert_34_nodes.csv"] == (790, 1, 789)
    persons = kinds["persons"]
    assert persons.loaded == 191 and persons.read == persons.loaded + persons.duplicates and persons.rejected == 0


def test_caviar_weights_are_kept_and_noordin_ties_are_unweighted(store: GraphStore) -> None:
    ingest_bundle(store, COVERT, "edges", progress=False)
    caviar = store.read("export_edges", uids=["person:edges:83", "person:edges:1"])
    assert set(caviar["type"]) == {"ASSOCIATED_WITH"} and set(caviar["source"]) == {"person:edges:83"}
    by_kind = {p["kind"]: p for p in caviar["props"]}
    layers = {r["layer"].lower() for r in _rows("edges") if (r["source"], r["target"]) == ("83", "1")}
    assert set(by_kind) == layers and len(layers) == 10  # the tie in the full network and nine phases
    full = by_kind["caviar_full"]
    assert (full["weight"], full["src_file"]) == (81.0, "covert_10_edges.csv")
    noordin = store.read("export_edges", uids=["person:edges:Son Hadi", "person:edges:Achmad Hasan"])
    assert len(noordin) >= 1 and all("weight" not in p for p in noordin["props"])
    assert "noordintop_business&finance" in {p["kind"] for p in noordin["props"]}


def test_cli_ingest_of_an_edge_list_exits_0_and_prints_the_record_counts(store: GraphStore, tmp_path: Path) -> None:
    from armsgraph.cli import app

    bundle = tmp_path / "net"
    bundle.mkdir()
    (bundle / "ties.csv").write_text("Source,Target,Weight,Kind\na,b,2,call\nb,c,,meeting\nc,a,1.5,call\n")
    runner = CliRunner()
    args = ["--data-dir", str(store.settings.data_dir), "ingest", str(bundle), "--mapping", "edges", "--no-progress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"associations\s+│\s+3\s+│\s+3\s+│\s+0\s+│\s+0\s+│\s+0", result.output), result.output
    edges = store.read("analytics_actor_edges")
    ties = sorted(zip(edges["source"], edges["target"], edges["via"], strict=True))
    assert ties == [
        ("person:edges:a", "person:edges:b", "call"),
        ("person:edges:b", "person:edges:c", "meeting"),
        ("person:edges:c", "person:edges:a", "call"),
    ]
