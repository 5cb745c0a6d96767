"""What Neo4jStore makes of the values Neo4j sends back, with the driver's own value classes.

No Neo4j server runs here, so each value is built the way the driver builds it from a Bolt
message: the driver's hydration handler turns packstream structures (``N`` node, ``r``
relationship, ``P`` path, ``D`` date, ``I``/``i``/``d`` date-time, ``E`` duration, ``X`` point)
into ``neo4j.graph`` and ``neo4j.time`` objects, and records and summaries are the driver's
``Record``/``ResultSummary``. The store's conversion must give what the embedded store gives.
"""

from __future__ import annotations

from typing import Any

import neo4j
import pytest
from neo4j.addressing import Address

from armsgraph.graph.neo4j_store import plain_value, read_rows, write_summary
from armsgraph.graph.store import GraphStore

try:  # driver 6
    from neo4j._codec.hydration.bolt.v2 import HydrationHandler
except ImportError:  # driver 5
    from neo4j._codec.hydration.v2 import HydrationHandler  # type: ignore[no-redef]
from neo4j._codec.packstream import Structure


def _hydrator() -> Any:
    """A fresh hydration scope's structure hook (one per result, as in the driver)."""
    return HydrationHandler().new_hydration_scope().hydration_hooks[Structure]


def _summary(stats: dict[str, int]) -> neo4j.ResultSummary:
    address = Address(("localhost", 7687))
    return neo4j.ResultSummary(address, True, True, {"server": neo4j.ServerInfo(address, (5, 4)), "stats": stats})


def _result(keys: list[str], rows: list[list[Any]], stats: dict[str, int] | None = None) -> neo4j.EagerResult:
    records = [neo4j.Record(zip(keys, row, strict=True)) for row in rows]
    return neo4j.EagerResult(records, _summary(stats or {}), keys)


def test_node_is_its_properties_with_sorted_labels_and_plain_property_values() -> None:
    hy = _hydrator()
    node = hy(Structure(b"N", 7, ["Person", "Suspect"], {"uid": "p1", "born": hy(Structure(b"D", 0))}, "4:db:7"))
    assert isinstance(node, neo4j.graph.Node)
    assert plain_value(node) == {"uid": "p1", "born": "1970-01-01", "_labels": ["Person", "Suspect"]}


def test_relationship_is_its_properties_with_its_type() -> None:
    hy = _hydrator()
    rel = hy(Structure(b"R", 3, 1, 2, "INVOLVED_IN", {"role": "courier", "order": 2}, "5:db:3", "4:db:1", "4:db:2"))
    assert isinstance(rel, neo4j.graph.Relationship)
    assert plain_value(rel) == {"role": "courier", "order": 2, "_type": "INVOLVED_IN"}


def test_path_is_its_nodes_in_path_order_whatever_the_relationship_directions() -> None:
    hy = _hydrator()
    a = hy(Structure(b"N", 1, ["Person"], {"uid": "p1"}, "4:db:1"))
    i = hy(Structure(b"N", 2, ["Incident"], {"uid": "i1"}, "4:db:2"))
    b = hy(Structure(b"N", 3, ["Person"], {"uid": "p2"}, "4:db:3"))
    r1 = hy(Structure(b"r", 10, "INVOLVED_IN", {}, "5:db:10"))
    r2 = hy(Structure(b"r", 11, "INVOLVED_IN", {}, "5:db:11"))
    # p1 -[r1]-> i1 <-[r2]- p2: the second hop runs against r2's direction (negative index).
    path = hy(Structure(b"P", [a, i, b], [r1, r2], [1, 1, -2, 2]))
    assert isinstance(path, neo4j.graph.Path)
    assert path.relationships[1].start_node.element_id == "4:db:3"
    assert [n["uid"] for n in plain_value(path)] == ["p1", "i1", "p2"]
    assert plain_value(path)[1]["_labels"] == ["Incident"]


@pytest.mark.parametrize(
    ("structure", "expected"),
    [
        (Structure(b"D", 0), "1970-01-01"),
        (Structure(b"D", -1), "1969-12-31"),
        (Structure(b"D", 19783), "2024-03-01"),
        # date-time with an offset: seconds are UTC, nanoseconds beyond microseconds are dropped
        (Structure(b"I", 1709296205, 123456789, 3600), "2024-03-01T13:30:05.123456+01:00"),
        (Structure(b"I", 1709296205, 0, 0), "2024-03-01T12:30:05+00:00"),
        (Structure(b"i", 1709296205, 0, "Europe/Amsterdam"), "2024-03-01T13:30:05+01:00"),
        (Structure(b"d", 1709296205, 0), "2024-03-01T12:30:05"),  # local date-time, no zone
        (Structure(b"T", 45_000_000_000_000, 3600), "12:30:00+01:00"),
        (Structure(b"E", 14, 3, 7200, 0), "P1Y2M3DT2H"),
    ],
)
def test_temporal_values_become_iso_strings(structure: Structure, expected: str) -> None:
    value = _hydrator()(structure)
    assert type(value).__module__ == "neo4j.time"
    assert plain_value(value) == expected


def test_points_become_maps_like_falkordb_points() -> None:
    hy = _hydrator()
    assert plain_value(hy(Structure(b"X", 4326, 4.9, 52.3))) == {"latitude": 52.3, "longitude": 4.9}
    assert plain_value(hy(Structure(b"X", 7203, 1.0, 2.0))) == {"x": 1.0, "y": 2.0, "srid": 7203.0}


@pytest.mark.parametrize("value", [0, -1, 2**63 - 1, -(2**63), 1.5, float("inf"), True, False, "ŝ", None])
def test_scalars_pass_unchanged_and_keep_their_type(value: Any) -> None:
    out = plain_value(value)
    assert out == value and type(out) is type(value)


def test_lists_and_maps_are_converted_all_the_way_down() -> None:
    hy = _hydrator()
    node = hy(Structure(b"N", 1, ["Incident"], {"uid": "i1", "on": hy(Structure(b"D", 19783))}, "4:db:1"))
    value = {"incidents": [node, None], "dates": [hy(Structure(b"D", 1))], "nested": {"at": [[node]]}}
    plain = {"uid": "i1", "on": "2024-03-01", "_labels": ["Incident"]}
    assert plain_value(value) == {"incidents": [plain, None], "dates": ["1970-01-02"], "nested": {"at": [[plain]]}}


def test_read_rows_gives_columns_and_plain_rows_from_driver_records() -> None:
    hy = _hydrator()
    node = hy(Structure(b"N", 1, ["Person"], {"uid": "p1"}, "4:db:1"))
    result = _result(["uid", "n", "count"], [["p1", node, 3], ["p2", None, 2**40]])
    columns, rows = read_rows(result)
    assert columns == ["uid", "n", "count"]
    assert rows == [["p1", {"uid": "p1", "_labels": ["Person"]}, 3], ["p2", None, 2**40]]
    assert read_rows(_result(["x"], [])) == (["x"], [])


def test_write_summary_reads_the_server_counters_and_the_matched_column() -> None:
    stats = {"nodes-created": 2, "relationships-created": 1, "properties-set": 9, "nodes-deleted": 4}
    summary = write_summary(_result(["matched"], [[5]], stats))
    assert (summary.nodes_created, summary.relationships_created, summary.properties_set) == (2, 1, 9)
    assert (summary.nodes_deleted, summary.relationships_deleted, summary.matched) == (4, 0, 5)
    # sum() over no rows is 0 in Neo4j but a statement may still return null; other columns are not "matched"
    assert write_summary(_result(["matched"], [[None]])).matched == 0
    assert write_summary(_result(["n"], [[5]])).matched == 0
    assert write_summary(_result([], [])).matched == 0


def test_graph_values_have_the_embedded_stores_shape(embedded: GraphStore) -> None:
    """The same node, relationship and path through both stores' conversions give equal values."""
    embedded.upsert_nodes("Person", [{"uid": "p1", "name": "Ana", "degree": 3}])
    embedded.upsert_nodes("Incident", [{"uid": "i1", "date": "2024-03-01"}])
    embedded.upsert_relationships("INVOLVED_IN", "Person", "Incident", [{"from": "p1", "to": "i1", "role": "buyer"}])
    _, rows = embedded._read("MATCH p = (a:Person)-[r:INVOLVED_IN]->(i:Incident) RETURN a, r, i, p", {})
    ((a_emb, r_emb, i_emb, p_emb),) = rows
    hy = _hydrator()

    def props(value: dict[str, Any], *private: str) -> dict[str, Any]:
        return {k: v for k, v in value.items() if k not in private}

    a = hy(Structure(b"N", 1, ["Person"], props(a_emb, "_labels"), "4:db:1"))
    i = hy(Structure(b"N", 2, ["Incident"], props(i_emb, "_labels"), "4:db:2"))
    r = hy(Structure(b"r", 3, "INVOLVED_IN", props(r_emb, "_type"), "5:db:3"))
    path = hy(Structure(b"P", [a, i], [r], [1, 1]))
    assert [plain_value(a), plain_value(r), plain_value(i), plain_value(path)] == [a_emb, r_emb, i_emb, p_emb]
    assert a_emb["_labels"] == ["Person"] and r_emb["_type"] == "INVOLVED_IN"
