"""Indicators: SDG 16.4.2 and IAFQ tables on a tiny hand-made graph."""

from __future__ import annotations

from armsgraph.analytics import indicators
from armsgraph.graph.store import GraphStore

P = {"src_file": "tiny.csv"}


def tiny_seizures(store: GraphStore) -> None:
    """MEX 2021: f1 (traced), f2 (trace untraceable), f3 (history marks its diversion), f4 (no trace).
    f1 seized again in USA 2022 (still counted once, in MEX 2021). USA 2022: f5, stolen status, unknown type."""
    store.upsert_nodes(
        "Incident",
        [
            {"uid": "i1", "date": "2021-03-01", "country": "MEX", "context": "organised crime", **P},
            {"uid": "i2", "date": "2021-07", "country": "MEX", "context": "drug trafficking", **P},
            {"uid": "i3", "date": "2022-01-01", "country": "USA", "context": "illicit trafficking", **P},
        ],
    )
    store.upsert_nodes(
        "Firearm",
        [
            {"uid": "f1", "type": "pistol", "calibre": "9x19mm", **P},
            {"uid": "f2", "type": "pistol", "calibre": "9x19mm", **P},
            {"uid": "f3", "type": "rifle", "calibre": "5.56x45mm", **P},
            {"uid": "f4", "type": "rifle", "calibre": "7.62x39mm", **P},
            {"uid": "f5", "status": "stolen", **P},
        ],
    )
    seized = [("i1", "f1"), ("i1", "f2"), ("i2", "f3"), ("i2", "f4"), ("i3", "f1"), ("i3", "f5")]
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [{"from": i, "to": f, **P} for i, f in seized])
    store.upsert_nodes(
        "TraceRequest",
        [
            {"uid": "tr1", "status": "answered", "outcome": "traced", **P},
            {"uid": "tr2", "status": "answered", "outcome": "untraceable", **P},
        ],
    )
    store.upsert_relationships(
        "FOR", "TraceRequest", "Firearm", [{"from": "tr1", "to": "f1", **P}, {"from": "tr2", "to": "f2", **P}]
    )
    store.upsert_nodes("Transfer", [{"uid": "t3", "kind": "theft", "diversion": True, **P}])
    store.upsert_relationships("HISTORY", "Firearm", "Transfer", [{"from": "f3", "to": "t3", "order": 1, **P}])


def test_sdg_16_4_2_by_country_and_year(store: GraphStore) -> None:
    tiny_seizures(store)
    sdg = indicators.analyse(store)["sdg_16_4_2"]
    assert sdg.values.tolist() == [["MEX", "2021", 4, 2, 0.5], ["USA", "2022", 1, 0, 0.0]]


def test_iafq_tables(store: GraphStore) -> None:
    tiny_seizures(store)
    tables = indicators.analyse(store)
    assert tables["iafq_by_type"].values.tolist() == [["pistol", 2, 2], ["rifle", 2, 1], ["unknown", 1, 1]]
    assert tables["iafq_by_year"].values.tolist() == [["2021", 4, 2], ["2022", 2, 1]]
    by_context = tables["iafq_by_context"].set_index("context")["firearms"].to_dict()
    assert by_context == {"organised crime": 2, "drug trafficking": 2, "illicit trafficking": 2}
    long = tables["iafq"].set_index(["dimension", "value"])
    assert long.loc[("calibre", "9x19mm"), "firearms"] == 2
    assert long.loc[("country", "USA"), "incidents"] == 1


def test_empty_graph(store: GraphStore) -> None:
    tables = indicators.analyse(store)
    assert tables["sdg_16_4_2"].empty and list(tables["sdg_16_4_2"].columns) == indicators.SDG_COLUMNS
    assert tables["iafq"].empty


def test_the_tables_are_written_once_and_read_back_by_everyone(store: GraphStore) -> None:
    from armsgraph.access import Principal, SecureStore
    from armsgraph.analytics import results

    tiny_seizures(store)
    indicators.analyse(store)
    tables = indicators.analyse(store)  # a second run replaces the rows, it does not add to them
    assert results.load(store, "sdg_16_4_2").values.tolist() == tables["sdg_16_4_2"].values.tolist()
    assert results.load(store, "sdg_16_4_2_total").values.tolist() == [[5, 2, 0.4]]
    programme = SecureStore(store, Principal("pat", "programme"))
    assert results.load(programme, "iafq_by_type")["firearms"].tolist() == [2, 2, 1]  # aggregates: allowed
    assert results.load(store, "never written", ["a"]).columns.tolist() == ["a"]
    counted = store.read("node_counts").set_index("label")["count"].to_dict()
    assert counted["Result"] == sum(len(t) for t in tables.values())
