"""Routes and flows: known answers on a tiny hand-made graph, and the ATF 2021 corridors as published."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from armsgraph.analytics import routes
from armsgraph.analytics.common import short_hash
from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from tests.conftest import REAL_DATA, require

P = {"src_file": "tiny.csv"}
ATF = REAL_DATA / "atf-trace-source-recovery" / "source_recovery_by_state.csv"


def _place(uid: str, kind: str, code: str | None, name: str) -> dict[str, object]:
    return {"uid": uid, "kind": kind, "code": code, "name": name, **P}


def tiny_routes(store: GraphStore) -> None:
    """i1: Belgrade (SRB) → AUT → Lyon (FRA), 3 firearms seized, 2020-03.
    i2: SRB → AUT → FRA again, declared quantity 10, 2021-11.
    i3: US-IN → US-IL (domestic), 2 seized, 2021-12.
    i4: ALB → ITA, no firearms recorded (weighs 1), 2021-10."""
    store.upsert_nodes(
        "Place",
        [
            _place("country:SRB", "country", "SRB", "Serbia"),
            _place("city:SRB:Belgrade", "city", None, "Belgrade"),
            _place("country:AUT", "country", "AUT", "Austria"),
            _place("country:FRA", "country", "FRA", "France"),
            _place("subdivision:FR-ARA", "subdivision", "FR-ARA", "Auvergne-Rhône-Alpes"),
            _place("city:FR-ARA:Lyon", "city", None, "Lyon"),
            _place("country:USA", "country", "USA", "United States"),
            _place("subdivision:US-IN", "subdivision", "US-IN", "Indiana"),
            _place("subdivision:US-IL", "subdivision", "US-IL", "Illinois"),
            _place("country:ALB", "country", "ALB", "Albania"),
            _place("country:ITA", "country", "ITA", "Italy"),
        ],
    )
    store.upsert_relationships(
        "IN",
        "Place",
        "Place",
        [
            {"from": "city:SRB:Belgrade", "to": "country:SRB", **P},
            {"from": "city:FR-ARA:Lyon", "to": "subdivision:FR-ARA", **P},
            {"from": "subdivision:FR-ARA", "to": "country:FRA", **P},
            {"from": "subdivision:US-IN", "to": "country:USA", **P},
            {"from": "subdivision:US-IL", "to": "country:USA", **P},
        ],
    )
    store.upsert_nodes(
        "Incident",
        [
            {"uid": "i1", "date": "2020-03-02", **P},
            {"uid": "i2", "date": "2021-11", "firearms_qty": 10, **P},
            {"uid": "i3", "date": "2021-12-01", **P},
            {"uid": "i4", "date": "2021-10-05", **P},
        ],
    )
    store.upsert_nodes("Firearm", [{"uid": f"f{n}", **P} for n in range(5)])
    store.upsert_relationships(
        "SEIZED",
        "Incident",
        "Firearm",
        [{"from": "i1", "to": f"f{n}", **P} for n in range(3)] + [{"from": "i3", "to": f"f{n}", **P} for n in (3, 4)],
    )
    legs = {
        "r1": ["city:SRB:Belgrade", "country:AUT", "city:FR-ARA:Lyon"],
        "r2": ["country:SRB", "country:AUT", "country:FRA"],
        "r3": ["subdivision:US-IN", "subdivision:US-IL"],
        "r4": ["country:ALB", "country:ITA"],
    }
    store.upsert_nodes("Route", [{"uid": r, "mode": "land", **P} for r in legs])
    rows = []
    for route, places in legs.items():
        for order, place in enumerate(places):
            role = "departure" if order == 0 else "destination" if order == len(places) - 1 else "transit"
            rows.append({"from": route, "to": place, "order": order, "role": role, **P})
    store.upsert_relationships("LEG", "Route", "Place", rows)
    store.upsert_relationships(
        "ALONG", "Incident", "Route", [{"from": f"i{n}", "to": f"r{n}", **P} for n in range(1, 5)]
    )


def test_country_level_flows_corridors_and_hubs(store: GraphStore) -> None:
    tiny_routes(store)
    tables = routes.analyse(store)
    flows = tables["flows"]
    assert flows[["source", "target", "firearms", "incidents"]].values.tolist() == [
        ["AUT", "FRA", 13.0, 2],
        ["SRB", "AUT", 13.0, 2],
        ["US-IN", "US-IL", 2.0, 1],
        ["ALB", "ITA", 1.0, 1],
    ]
    assert flows.iloc[0]["target_name"] == "France"
    corridors = tables["corridors"]
    assert corridors[["rank", "source", "target", "firearms", "transit", "first_seen"]].values.tolist() == [
        [1, "SRB", "FRA", 13.0, "AUT", "2020-03-02"],
        [2, "US-IN", "US-IL", 2.0, "", "2021-12-01"],
        [3, "ALB", "ITA", 1.0, "", "2021-10-05"],
    ]
    # the last 12 months before 2021-12-01: ALB→ITA and US-IN→US-IL are new, SRB→FRA was seen in 2020
    assert corridors["new_in_period"].tolist() == [False, True, True]
    assert tables["hubs"][["place", "transit_firearms", "incidents", "corridors"]].values.tolist() == [
        ["AUT", 13.0, 2, 1]
    ]


def test_subdivision_level_keeps_finer_places(store: GraphStore) -> None:
    tiny_routes(store)
    flows = routes.analyse(store, level="subdivision")["flows"]
    pairs = set(zip(flows["source"], flows["target"], strict=True))
    assert ("AUT", "FR-ARA") in pairs and ("SRB", "AUT") in pairs and ("AUT", "FRA") in pairs
    with pytest.raises(AnalyticsError, match="unknown route level"):
        routes.analyse(store, level="street")


def test_corridor_clusters_written_and_replaced(store: GraphStore) -> None:
    tiny_routes(store)
    routes.analyse(store, top=2)
    first = store.counts()
    routes.analyse(store, top=2)
    assert store.counts() == first
    assert first["Cluster"] == 2
    cluster = "cluster:corridor:" + short_hash("SRB", "FRA")
    props = store.read("entity", uid=cluster).iloc[0]["properties"]
    assert props["kind"] == "corridor" and props["size"] == 2 and props["score"] == 13.0
    members = set(store.read("neighbours", uid=cluster, limit=50)["uid"])
    assert members == {"i1", "i2", "country:SRB", "country:FRA"}
    routes.analyse(store, top=1)
    assert store.counts()["Cluster"] == 1


def test_empty_graph_gives_empty_tables(store: GraphStore) -> None:
    tables = routes.analyse(store)
    assert all(t.empty for t in tables.values())
    assert list(tables["flows"].columns) == routes.FLOW_COLUMNS


def test_atf_2021_corridors_rank_as_published(store: GraphStore, tmp_path: Path) -> None:
    require(ATF)
    bundle = tmp_path / "atf"
    bundle.mkdir()
    with ATF.open(encoding="utf-8") as src, (bundle / ATF.name).open("w", encoding="utf-8", newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=["source_state", "recovery_state", "year", "n"])
        writer.writeheader()
        writer.writerows(r for r in csv.DictReader(src) if r["year"] == "2021")
    ingest_bundle(store, bundle, mapping="atf_source_recovery", progress=False)
    tables = routes.analyse(store)
    flows = tables["flows"].set_index(["source", "target"])
    assert flows.loc[("US-IN", "US-IL"), "firearms"] == 2601
    assert flows.loc[("US-IL", "US-IN"), "firearms"] == 186
    assert flows.loc[("US-GA", "US-NY"), "firearms"] == 981
    assert flows.loc[("US-AZ", "US-CA"), "firearms"] == 4725
    ranked = list(tables["corridors"][["source", "target"]].itertuples(index=False, name=None))
    assert ranked.index(("US-IN", "US-IL")) < ranked.index(("US-GA", "US-NY")) < ranked.index(("US-IL", "US-IN"))
    assert ranked.index(("US-AZ", "US-CA")) < ranked.index(("US-IN", "US-IL"))
