"""Linked incidents: every rule on hand-made data, blocking caps, clusters, results in the store, ROXANNE."""

from __future__ import annotations

import json
import shutil
import sys
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from armsgraph.analytics import linking, run_all
from armsgraph.analytics.common import analytics_settings
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA

NO_PLACE = {"lat": None, "lon": None, "agency": None}


def incidents(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"uid": uid, "date": date, **NO_PLACE} for uid, date in rows])


def entities(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"incident": i, "entity": e, "rule": r, "sources": [f"{e}.csv:1"]} for i, e, r in rows],
        columns=["incident", "entity", "rule", "sources"],
    )


def pair_rules(pairs: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    return {(r.a, r.b): r.rules for r in pairs.itertuples()}


def test_each_rule_links_with_its_weight_and_rules_combine() -> None:
    weights = analytics_settings()["rules"]
    inc = incidents(*[(f"i{n}", "2021-01-01") for n in range(1, 7)])
    ent = entities(
        ("i1", "firearm:F", "firearm"),
        ("i2", "firearm:F", "firearm"),
        ("i1", "person:P", "person"),
        ("i2", "person:P", "person"),
        ("i3", "org:O", "organisation"),
        ("i4", "org:O", "organisation"),
        ("i5", "identifier:phone:1", "identifier"),
        ("i6", "identifier:phone:1", "identifier"),
    )
    pairs = linking.linked_incidents(inc, ent).set_index(["a", "b"])
    # i1–i2: firearm and person, and the person is a shared actor on the same day (space_time bonus)
    assert pairs.loc[("i1", "i2"), "rules"] == ["firearm", "person", "space_time"]
    expected = 1 - (1 - weights["firearm"]) * (1 - weights["person"]) * (1 - weights["space_time"])
    assert pairs.loc[("i1", "i2"), "weight"] == pytest.approx(expected, abs=1e-4)
    assert pairs.loc[("i3", "i4"), "rules"] == ["organisation", "space_time"]
    assert pairs.loc[("i5", "i6"), "rules"] == ["identifier"]
    assert pairs.loc[("i5", "i6"), "weight"] == pytest.approx(weights["identifier"])
    assert len(pairs) == 3


def test_evidence_names_the_entity_and_its_sources() -> None:
    pairs = linking.linked_incidents(
        incidents(("i1", "2021-01-01"), ("i2", "2021-05-01")),
        entities(("i1", "firearm:F", "firearm"), ("i2", "firearm:F", "firearm")),
    )
    assert pairs.loc[0, "evidence"] == ["firearm: firearm:F [firearm:F.csv:1]"]


def test_pairs_are_ordered_low_uid_first_and_never_self() -> None:
    pairs = linking.linked_incidents(
        incidents(("z9", "2021-01-01"), ("a1", "2021-01-01")),
        entities(("z9", "x", "identifier"), ("a1", "x", "identifier"), ("a1", "x", "identifier")),
    )
    assert pair_rules(pairs) == {("a1", "z9"): ["identifier"]}


@pytest.mark.parametrize(
    ("date", "lat", "with_bonus"),
    [("2021-01-11", 48.9, True), ("2021-06-01", 48.9, False), ("2021-01-11", 43.3, False)],
)
def test_space_time_bonus_needs_a_shared_actor_close_in_time_and_place(date: str, lat: float, with_bonus: bool) -> None:
    inc = pd.DataFrame(
        [
            {"uid": "i1", "date": "2021-01-01", "lat": 48.85, "lon": 2.35, "agency": None},
            {"uid": "i2", "date": date, "lat": lat, "lon": 2.35, "agency": None},
        ]
    )
    pairs = linking.linked_incidents(inc, entities(("i1", "person:P", "person"), ("i2", "person:P", "person")))
    assert ("space_time" in pairs.loc[0, "rules"]) is with_bonus


def test_same_event_from_two_agencies_links_by_date_and_place() -> None:
    inc = pd.DataFrame(
        [
            {"uid": "i1", "date": "2021-03-04", "lat": 45.8101, "lon": 15.9801, "agency": "police"},
            {"uid": "i2", "date": "2021-03-04", "lat": 45.8102, "lon": 15.9799, "agency": "customs"},
            {"uid": "i3", "date": "2021-03-05", "lat": 45.8101, "lon": 15.9801, "agency": "customs"},
        ]
    )
    pairs = linking.linked_incidents(inc, entities())
    assert pair_rules(pairs) == {("i1", "i2"): ["same_event"]}


def test_a_huge_group_is_chained_in_date_order_not_all_pairs() -> None:
    settings: dict[str, Any] = {**analytics_settings(), "max_group": 5}
    uids = [f"i{n:02d}" for n in range(12)]
    dates = [f"2021-01-{31 - n:02d}" for n in range(12)]  # later uid, earlier date
    inc = incidents(*zip(uids, dates, strict=True))
    big = linking.linked_incidents(inc, entities(*[(u, "phone", "identifier") for u in uids]), settings)
    assert len(big) == 11  # a chain, not 66 pairs
    by_date = sorted(uids, key=lambda u: dates[uids.index(u)])
    assert set(pair_rules(big)) == {tuple(sorted(p)) for p in pairwise(by_date)}
    assert linking.clusters(big, 0.5)["cluster"].nunique() == 1
    small = linking.linked_incidents(inc, entities(*[(u, "phone", "identifier") for u in uids[:5]]), settings)
    assert len(small) == 10  # at the cap: every pair


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


def test_clusters_are_components_above_threshold_numbered_by_size() -> None:
    pairs = pd.DataFrame(
        {"a": ["c1", "a1", "a2", "x1"], "b": ["c2", "a2", "a3", "x2"], "weight": [0.9, 0.7, 0.5, 0.49]}
    )
    table = linking.clusters(pairs, 0.5)
    assert table.groupby("cluster")["incident"].apply(list).to_dict() == {
        "cluster:linked:1": ["a1", "a2", "a3"],
        "cluster:linked:2": ["c1", "c2"],
    }
    assert table.set_index("incident").loc["a1", "score"] == pytest.approx(0.6)


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


EXPECTED = {
    ("i1", "i2"): ["identifier"],
    ("i1", "i9"): ["person", "space_time"],
    ("i3", "i4"): ["ballistic"],
    ("i5", "i6"): ["organisation"],
    ("i7", "i8"): ["identifier"],
}


def test_analyse_writes_links_clusters_and_memberships(store: GraphStore) -> None:
    linking_graph(store)
    tables = linking.analyse(store)
    assert pair_rules(tables["pairs"]) == EXPECTED
    stored = store.read("analytics_link_results")
    assert {(r.a, r.b): list(r.rules) for r in stored.itertuples()} == EXPECTED
    assert all(r.cluster_a == r.cluster_b == r.member_of for r in stored.itertuples())
    phone = stored.set_index(["a", "b"]).loc[("i1", "i2"), "evidence"]
    assert len(phone) == 1 and phone[0].startswith("identifier: x1 [tiny.csv:40")
    clusters = stored.groupby("cluster_a")["a"].apply(lambda s: sorted(set(s))).to_dict()
    assert clusters == {
        "cluster:linked:1": ["i1"],
        "cluster:linked:2": ["i3"],
        "cluster:linked:3": ["i5"],
        "cluster:linked:4": ["i7"],
    }
    big = store.read("entity", uid="cluster:linked:1").iloc[0]["properties"]
    assert (big["kind"], big["size"]) == ("linked_incidents", 3)
    assert store.read("entity", uid="i10").iloc[0]["properties"].get("cluster") is None


def test_rerun_replaces_results(store: GraphStore) -> None:
    linking_graph(store)
    linking.analyse(store)
    first = store.read("analytics_link_results")
    counts = store.counts()
    linking.analyse(store)
    assert store.counts() == counts
    pd.testing.assert_frame_equal(store.read("analytics_link_results"), first)
    # new evidence joins i10 to i5–i6: the old clusters are replaced, none linger
    store.upsert_relationships(
        "INVOLVED_IN", "Organisation", "Incident", [{"from": "o1", "to": "i10", "role": "g", **P}]
    )
    tables = linking.analyse(store)
    assert store.counts()["Cluster"] == tables["clusters"]["cluster"].nunique() == 4
    after = store.read("analytics_link_results")
    assert len(after) == len(first) + 2
    assert all(r.cluster_a == r.cluster_b == r.member_of for r in after.itertuples())
    assert store.read("entity", uid="cluster:linked:1").iloc[0]["properties"]["size"] == 3


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


@pytest.mark.skipif(not ROXANNE.is_file(), reason="real data not present")
def test_roxanne_shared_offender_rule_recovers_exactly_the_published_pairs(
    embedded: GraphStore, tmp_path: Path
) -> None:
    bundle = tmp_path / "roxanne"
    bundle.mkdir()
    shutil.copy(ROXANNE, bundle)
    ingest_bundle(embedded, bundle, mapping="roxanne_burglary", progress=False)
    pairs = linking.analyse(embedded)["pairs"]
    by_person = pairs[pairs["rules"].map(lambda rules: "person" in rules)]
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
