"""Linked incidents in the store: links with their explanation, clusters that do not chain, reruns, ROXANNE."""

from __future__ import annotations

import json
import shutil
import sys
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from armsgraph.analytics import linking, run_all
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA, require


def test_ballistic_groups_join_hit_groups_and_examiner_hits() -> None:
    evidence = pd.DataFrame(
        {
            "incident": ["i1", "i2", "i3", "i4"],
            "evidence": ["b1", "b2", "b3", "b4"],
            "hit_group": ["G", "G", None, None],
            "sources": [["b.csv:1"], ["b.csv:2"], ["b.csv:3"], ["b.csv:4"]],
        }
    )
    hits = pd.DataFrame({"source": ["b2"], "target": ["b3"]})
    groups = linking.ballistic_groups(evidence, hits).set_index("incident")["entity"]
    assert groups["i1"] == groups["i2"] == groups["i3"] == "ballistic:b1"
    assert groups["i4"] == "ballistic:b4"


def test_clusters_do_not_chain_weak_links_into_one_group() -> None:
    # two tight triangles joined by one weak link: Leiden keeps them apart, components would not
    strong = [("a1", "a2"), ("a1", "a3"), ("a2", "a3"), ("b1", "b2"), ("b1", "b3"), ("b2", "b3")]
    pairs = pd.DataFrame(
        {
            "a": [a for a, _ in strong] + ["a3"],
            "b": [b for _, b in strong] + ["b1"],
            "match_weight": [30.0] * 6 + [10.0],
            "weight": [1.0] * 6 + [0.999],
        }
    )
    table = linking.clusters(pairs, 4.0)
    assert table.groupby("cluster")["incident"].apply(list).to_dict() == {
        "cluster:linked:1": ["a1", "a2", "a3"],
        "cluster:linked:2": ["b1", "b2", "b3"],
    }
    assert table.set_index("incident").loc["a1", "score"] == pytest.approx(1.0)


def test_a_chain_of_identity_links_stays_one_cluster() -> None:
    # 40 incidents chained by one firearm each to the next: every link is a fact, so one cluster (a chain of
    # 40 probabilistic links of the same weight is cut by Leiden into smaller groups)
    uids = [f"c{n:02d}" for n in range(40)]
    chain = pd.DataFrame({"a": uids[:-1], "b": uids[1:], "match_weight": [40.0] * 39, "weight": [1.0] * 39})
    facts = linking.clusters(chain.assign(rules=[["firearm"]] * 39), 4.0)
    assert facts["cluster"].nunique() == 1 and facts["size"].iloc[0] == 40
    guesses = linking.clusters(chain.assign(rules=[["date", "description"]] * 39), 4.0)
    assert guesses["size"].max() < 40


P = {"src_file": "tiny.csv"}


def linking_graph(store: GraphStore) -> None:
    """i1–i2 via phones of the persons involved, i1–i9 via a person 10 days apart, i3–i4 via an examiner's
    HIT, i5–i6 via an organisation, i7–i8 via a parcel number on the incidents; i10 alone."""
    days = {1: "2021-01-01", 9: "2021-01-11", 2: "2022-01-01"}
    store.upsert_nodes(
        "Incident",
        [
            {"uid": f"i{n}", "date": days.get(n, f"2020-{n:02d}-01"), "lat": 48.85, "lon": 2.35, **P, "src_row": n}
            for n in range(1, 11)
        ],
    )
    store.upsert_nodes(
        "Person", [{"uid": p, "name": p.upper(), **P, "src_row": 20 + n} for n, p in enumerate(["p1", "p2", "p3"])]
    )
    store.upsert_nodes("Organisation", [{"uid": "o1", "name": "Group", **P, "src_row": 30}])
    store.upsert_nodes(
        "Identifier",
        [{"uid": "x1", "kind": "phone", **P, "src_row": 40}, {"uid": "x2", "kind": "parcel", **P, "src_row": 41}],
    )
    store.upsert_nodes("BallisticEvidence", [{"uid": "b3", **P, "src_row": 50}, {"uid": "b4", **P, "src_row": 51}])
    involved = [("p1", "i1"), ("p2", "i2"), ("p3", "i1"), ("p3", "i9")]
    store.upsert_relationships(
        "INVOLVED_IN", "Person", "Incident", [{"from": p, "to": i, "role": "suspect", **P} for p, i in involved]
    )
    store.upsert_relationships(
        "INVOLVED_IN",
        "Organisation",
        "Incident",
        [{"from": "o1", "to": i, "role": "group", **P} for i in ("i5", "i6")],
    )
    store.upsert_relationships("USES", "Person", "Identifier", [{"from": p, "to": "x1", **P} for p in ("p1", "p2")])
    store.upsert_relationships("USES", "Incident", "Identifier", [{"from": i, "to": "x2", **P} for i in ("i7", "i8")])
    store.upsert_relationships(
        "RECOVERED_AT",
        "BallisticEvidence",
        "Incident",
        [{"from": "b3", "to": "i3", **P}, {"from": "b4", "to": "i4", **P}],
    )
    store.upsert_relationships("HIT", "BallisticEvidence", "BallisticEvidence", [{"from": "b3", "to": "b4", **P}])


#: The identity evidence of each expected link (its comparisons with positive weight include it). i5–i6 share
#: only an organisation, months apart: not a link.
EXPECTED = {
    ("i1", "i2"): "identifier",
    ("i1", "i9"): "person",
    ("i3", "i4"): "ballistic",
    ("i7", "i8"): "identifier",
}


def evidence_of(pairs: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The identity comparison behind each link (the one with the largest weight)."""
    out = {}
    for r in pairs.itertuples():
        weights = dict(zip(r.comparisons, r.weights, strict=True))
        out[(r.a, r.b)] = max(weights, key=lambda name: weights[name])
    return out


def test_analyse_writes_links_clusters_and_memberships(store: GraphStore) -> None:
    linking_graph(store)
    tables = linking.analyse(store)
    assert evidence_of(tables["pairs"]) == EXPECTED
    stored = store.read("analytics_link_results")
    assert {(r.a, r.b) for r in stored.itertuples()} == set(EXPECTED)
    assert all(r.cluster_a == r.cluster_b == r.member_of for r in stored.itertuples())
    phone = stored.set_index(["a", "b"]).loc[("i1", "i2"), "evidence"]
    assert len(phone) == 1 and phone[0].startswith("identifier: x1 [tiny.csv:40")
    explained = store.read("analytics_link_explanations", cluster=None, limit=100)
    row = explained.set_index(["a", "b"]).loc[("i1", "i2")]
    assert "a shared identifier (+" in row["explanation"] and row["weight"] >= 0.999
    assert list(row["comparisons"]) == ["date", "distance", "identifier"]
    clusters = stored.groupby("cluster_a")["a"].apply(lambda s: sorted(set(s))).to_dict()
    assert clusters == {
        "cluster:linked:1": ["i1"],
        "cluster:linked:2": ["i3"],
        "cluster:linked:3": ["i7"],
    }
    big = store.read("entity", uid="cluster:linked:1").iloc[0]["properties"]
    assert (big["kind"], big["size"]) == ("linked_incidents", 3)
    assert store.read("entity", uid="i10").iloc[0]["properties"].get("cluster") is None
    summary = dict(zip(tables["summary"]["measure"], tables["summary"]["value"], strict=True))
    assert summary["links"] == "4" and summary["cluster sizes"] == "2×2, 1×3"


def test_rerun_replaces_results(store: GraphStore) -> None:
    linking_graph(store)
    linking.analyse(store)
    first = store.read("analytics_link_results")
    counts = store.counts()
    linking.analyse(store)
    assert store.counts() == counts
    pd.testing.assert_frame_equal(store.read("analytics_link_results"), first)
    # new evidence joins i10 to i7–i8 (the parcel number): the old clusters are replaced, none linger
    store.upsert_relationships("USES", "Incident", "Identifier", [{"from": "i10", "to": "x2", **P}])
    tables = linking.analyse(store)
    assert store.counts()["Cluster"] == tables["clusters"]["cluster"].nunique() == 3
    after = store.read("analytics_link_results")
    assert len(after) == len(first) + 2
    assert all(r.cluster_a == r.cluster_b == r.member_of for r in after.itertuples())
    sizes = sorted(store.read("entity", uid=f"cluster:linked:{n}").iloc[0]["properties"]["size"] for n in (1, 2, 3))
    assert sizes == [2, 3, 3]


ROXANNE = (
    REAL_DATA / "roxanne-burglary" / "israel_lea_inp_burglary_offender_id_network_from_2020-01-01_to_2020-06-30.json"
)


def _roxanne_crime_pairs() -> set[tuple[str, str]]:
    """Straight from the JSON: pairs of crimes (CID) sharing an offender."""
    offenders = json.loads(ROXANNE.read_text(encoding="utf-8"))["nodes"]
    pairs: set[tuple[str, str]] = set()
    for offender in offenders:
        crimes = sorted(set(offender.get("list_cid") or []) | set(offender.get("crime_details") or {}))
        pairs.update(combinations(crimes, 2))
    return {tuple(sorted(p)) for p in pairs}  # type: ignore[misc]


def test_roxanne_shared_offender_rule_recovers_exactly_the_published_pairs(
    embedded: GraphStore, tmp_path: Path
) -> None:
    require(ROXANNE)
    bundle = tmp_path / "roxanne"
    bundle.mkdir()
    shutil.copy(ROXANNE, bundle)
    ingest_bundle(embedded, bundle, mapping="roxanne_burglary", progress=False)
    pairs = linking.analyse(embedded)["pairs"]
    by_person = pairs[pairs["comparisons"].map(lambda names: "person" in names)]
    found = {tuple(sorted((a.rsplit(":", 1)[1], b.rsplit(":", 1)[1]))) for a, b in zip(by_person["a"], by_person["b"])}
    expected = _roxanne_crime_pairs()
    assert len(expected) == 1331
    assert found == expected


def test_run_all_skips_an_analysis_that_is_not_in_this_build(
    embedded: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "armsgraph.analytics.hotspots", None)  # import now fails
    linking_graph(embedded)
    with pytest.warns(RuntimeWarning, match="'hotspots' is not available"):
        results = run_all(embedded, only=["linking", "hotspots"], progress=False)
    assert list(results) == ["linking"] and len(results["linking"]["pairs"]) == len(EXPECTED)


def test_a_missing_core_analysis_is_an_error(embedded: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "armsgraph.analytics.networks", None)
    with pytest.raises(ModuleNotFoundError):
        run_all(embedded, only=["networks"], progress=False)
