"""Contract suite: every store answers the named queries the same way on a small fixed graph.

Runs on the embedded FalkorDB store always, and on Neo4j when NEO4J_URI is set.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armsgraph.errors import ModelViolationError, StoreError
from armsgraph.graph import queries
from armsgraph.graph.model import default_model
from armsgraph.graph.store import GraphStore

PROV = {"src_file": "fixed.csv", "batch_id": "batch-1"}


def load_fixed_graph(store: GraphStore) -> None:
    """Two incidents sharing a firearm; a person in one; places; a route."""
    store.upsert_nodes("Incident", [
        {"uid": "inc-1", "date": "2021-03-04", "country": "SRB", "context": "illicit trafficking",
         "src_row": 1, **PROV},
        {"uid": "inc-2", "date": "2022-01", "country": "DEU", "context": "organised crime", "src_row": 2, **PROV},
    ])  # fmt: skip
    store.upsert_nodes("Firearm", [
        {"uid": "fa-1", "serial": "AB-1234", "serial_normalised": "AB1234", "make": "Zastava", "type": "rifle",
         "src_row": 3, **PROV},
    ])  # fmt: skip
    store.upsert_nodes("Person", [{"uid": "p-1", "name": "Marko Petrović", "src_row": 4, **PROV}])
    store.upsert_nodes("Place", [
        {"uid": "country:SRB", "name": "Serbia", "kind": "country", "code": "SRB", "src_row": 5, **PROV},
        {"uid": "country:DEU", "name": "Germany", "kind": "country", "code": "DEU", "src_row": 6, **PROV},
    ])  # fmt: skip
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [
        {"from": "inc-1", "to": "fa-1", "src_row": 7, **PROV},
        {"from": "inc-2", "to": "fa-1", "src_row": 8, **PROV},
    ])  # fmt: skip
    store.upsert_relationships(
        "INVOLVED_IN", "Person", "Incident", [{"from": "p-1", "to": "inc-1", "role": "courier", "src_row": 9, **PROV}]
    )
    store.upsert_relationships("AT", "Incident", "Place", [
        {"from": "inc-1", "to": "country:SRB", "src_row": 10, **PROV},
        {"from": "inc-2", "to": "country:DEU", "src_row": 11, **PROV},
    ])  # fmt: skip


def test_node_and_relationship_counts(store: GraphStore) -> None:
    load_fixed_graph(store)
    assert store.counts() == {
        "Firearm": 1, "Incident": 2, "Person": 1, "Place": 2, "SEIZED": 2, "INVOLVED_IN": 1, "AT": 2,
    }  # fmt: skip
    frame = store.read("node_counts")
    assert list(frame.columns) == ["label", "count"]
    assert list(frame["label"]) == sorted(frame["label"])


def test_upsert_is_idempotent_and_keeps_provenance(store: GraphStore) -> None:
    load_fixed_graph(store)
    again = store.upsert_nodes("Firearm", [
        {"uid": "fa-1", "serial": "AB-1234", "make": "Zastava", "src_row": 3, **PROV},
    ])  # fmt: skip
    assert (again.nodes_created, again.matched) == (0, 1)
    rels = store.upsert_relationships(
        "SEIZED", "Incident", "Firearm", [{"from": "inc-1", "to": "fa-1", "src_row": 7, **PROV}]
    )
    assert (rels.relationships_created, rels.matched) == (0, 1)
    props = store.read("entity", uid="fa-1").iloc[0]["properties"]
    assert props["sources"] == ["fixed.csv:3"]
    assert props["batch_id"] == "batch-1"
    assert props["src_file"] == "fixed.csv"


def test_second_source_is_cited_once(store: GraphStore) -> None:
    load_fixed_graph(store)
    for _ in range(2):
        store.upsert_nodes("Firearm", [{"uid": "fa-1", "src_file": "other.csv", "src_row": 9, "model": "M70"}])
    props = store.read("entity", uid="fa-1").iloc[0]["properties"]
    assert props["sources"] == ["fixed.csv:3", "other.csv:9"]
    assert props["model"] == "M70" and props["make"] == "Zastava"  # merged, nothing erased


def test_a_key_repeated_in_one_write_is_merged_once_citing_each_record(store: GraphStore) -> None:
    load_fixed_graph(store)
    rows = [{"uid": "fa-9", "src_file": "busy.csv", "src_row": r, "model": f"M{r}"} for r in (20, 21, 22, 21, 23)]
    rows[1]["make"] = "Zastava"
    summary = store.upsert_nodes("Firearm", rows)
    assert (summary.nodes_created, summary.matched, summary.rows) == (1, 5, 5)
    props = store.read("entity", uid="fa-9").iloc[0]["properties"]
    assert props["sources"] == ["busy.csv:20", "busy.csv:21", "busy.csv:22", "busy.csv:23"]
    assert (props["src_row"], props["model"], props["make"]) == (20, "M23", "Zastava")  # first creates, last wins
    again = store.upsert_nodes("Firearm", [*rows, {"uid": "fa-9", "src_file": "late.csv", "src_row": 1}])
    assert (again.nodes_created, again.matched) == (0, 6)
    sources = store.read("entity", uid="fa-9").iloc[0]["properties"]["sources"]
    assert sources == ["busy.csv:20", "busy.csv:21", "busy.csv:22", "busy.csv:23", "late.csv:1"]


def test_a_busy_key_is_written_by_one_statement_not_one_per_record(store: GraphStore) -> None:
    # At 1M incidents one route is cited by 40,902 records: each row used to be its own statement.
    rows = [{"uid": "route:busy", "src_file": "r.csv", "src_row": r} for r in range(3 * store.settings.batch_size)]
    statements = store.prepare_nodes("Route", rows)
    assert len(statements) == 1 and statements[0].rows == len(rows)
    summary = store.send(statements)
    assert (summary.nodes_created, summary.matched) == (1, len(rows))
    assert len(store.read("entity", uid="route:busy").iloc[0]["properties"]["sources"]) == len(rows)


def test_many_rows_are_prepared_and_sent_a_slice_at_a_time(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Millions of analysis rows must not be encoded all at once; the graph is the same as in one write."""
    monkeypatch.setattr("armsgraph.graph.store.STREAM_ROWS", 3)
    sizes: list[int] = []
    prepare = store._prepare_nodes
    monkeypatch.setattr(store, "_prepare_nodes", lambda label, rows: sizes.append(len(rows)) or prepare(label, rows))
    rows = [{"uid": f"fa-{i % 4}", "src_file": "s.csv", "src_row": i, "model": f"M{i}"} for i in range(8)]
    summary = store.upsert_nodes("Firearm", rows)
    assert sizes == [3, 3, 2] and (summary.nodes_created, summary.matched, summary.rows) == (4, 8, 8)
    props = store.read("entity", uid="fa-1").iloc[0]["properties"]
    assert props["sources"] == ["s.csv:1", "s.csv:5"] and props["model"] == "M5"  # merged across slices
    store.upsert_nodes("Incident", [{"uid": "inc-0"}, {"uid": "inc-1"}])
    edges = [{"from": f"inc-{i % 2}", "to": f"fa-{i % 4}", "src_row": i} for i in range(7)]
    assert store.upsert_relationships("SEIZED", "Incident", "Firearm", edges).matched == 7
    assert store.counts()["SEIZED"] == 4
    bad = [*({"uid": f"ok-{i}"} for i in range(6)), {"uid": "bad", "colour": "black"}]
    with pytest.raises(ModelViolationError):
        store.upsert_nodes("Firearm", bad)  # checked before the first slice is written
    assert store.read("entity", uid="ok-0").empty


def test_an_edge_repeated_in_one_write_is_merged_once_and_missing_ends_still_counted(store: GraphStore) -> None:
    load_fixed_graph(store)
    rows = [{"from": "inc-1", "to": "fa-1", "src_file": "busy.csv", "src_row": r} for r in (30, 31, 30, 32)]
    rows += [{"from": "inc-1", "to": "no-such-firearm", "src_row": 40}] * 2
    summary = store.upsert_relationships("SEIZED", "Incident", "Firearm", rows)
    assert (summary.relationships_created, summary.matched, summary.rows) == (0, 4, 6)
    assert store.counts()["SEIZED"] == 2
    roles = store.upsert_relationships("INVOLVED_IN", "Person", "Incident", [
        {"from": "p-1", "to": "inc-1", "role": role, "src_row": r, **PROV}
        for r, role in ((50, "buyer"), (51, "courier"), (52, "buyer"))
    ])  # fmt: skip
    assert (roles.relationships_created, roles.matched) == (1, 3)  # the key includes the role: one new edge


def test_missing_endpoint_is_counted_not_hidden(store: GraphStore) -> None:
    load_fixed_graph(store)
    summary = store.upsert_relationships("SEIZED", "Incident", "Firearm", [
        {"from": "inc-1", "to": "fa-1"}, {"from": "inc-1", "to": "no-such-firearm"},
    ])  # fmt: skip
    assert (summary.rows, summary.matched) == (2, 1)


def test_relationship_key_allows_parallel_edges(store: GraphStore) -> None:
    load_fixed_graph(store)
    store.upsert_relationships("INVOLVED_IN", "Person", "Incident", [{"from": "p-1", "to": "inc-1", "role": "buyer"}])
    roles = store.read("neighbours", uid="p-1", limit=10)
    assert sorted(roles["type"]) == ["INVOLVED_IN", "INVOLVED_IN"]


def test_neighbours(store: GraphStore) -> None:
    load_fixed_graph(store)
    frame = store.read("neighbours", uid="fa-1", limit=10)
    assert sorted(frame["uid"]) == ["inc-1", "inc-2"]
    assert set(frame["type"]) == {"SEIZED"}
    assert not frame["outgoing"].any()  # SEIZED points from the incident to the firearm


def test_shortest_path_is_undirected(store: GraphStore) -> None:
    load_fixed_graph(store)
    frame = store.read("shortest_evidence_path", source="p-1", target="inc-2", max_hops=6)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert list(row["uids"]) == ["p-1", "inc-1", "fa-1", "inc-2"]
    assert list(row["types"]) == ["INVOLVED_IN", "SEIZED", "SEIZED"]
    assert store.read("shortest_evidence_path", source="p-1", target="country:DEU", max_hops=2).empty


def test_nodes_of_any_label_are_found_by_uid_through_the_label_indexes(store: GraphStore) -> None:
    load_fixed_graph(store)
    found = store.read("export_nodes", uids=["inc-2", "fa-1", "p-1", "country:DEU", "nobody"])
    assert sorted(zip(found["uid"], found["label"], strict=True)) == [
        ("country:DEU", "Place"), ("fa-1", "Firearm"), ("inc-2", "Incident"), ("p-1", "Person"),
    ]  # fmt: skip
    assert store.read("entity", uid="fa-1")["label"].tolist() == ["Firearm"]
    assert store.read("entity", uid="nobody").empty
    text = queries.text("entity", store.dialect)  # one indexed search per label of the model, no scan of all nodes
    assert re.findall(r"MATCH \(n:(\w+)\) WHERE n\.uid = \$uid RETURN n", text) == sorted(default_model().nodes)
    assert "{{" not in text and "MATCH (n)" not in text


def test_search_entities_case_insensitive(store: GraphStore) -> None:
    load_fixed_graph(store)
    frame = store.read("search_entities", text="petrov", limit=10)
    assert list(frame["uid"]) == ["p-1"]
    assert frame.iloc[0]["caption"] == "Marko Petrović"
    assert list(store.read("search_entities", text="ab-12", limit=10)["uid"]) == ["fa-1"]


def test_injection_strings_are_stored_verbatim(store: GraphStore) -> None:
    nasty = "x'}) MATCH (n) DETACH DELETE n //\"; <script>alert(1)</script> \\ \n"
    load_fixed_graph(store)
    store.upsert_nodes("Person", [{"uid": "p-evil", "name": nasty}])
    assert store.read("entity", uid="p-evil").iloc[0]["properties"]["name"] == nasty
    assert store.counts()["Incident"] == 2
    assert store.read("search_entities", text=nasty, limit=5)["uid"].tolist() == ["p-evil"]


def test_model_guards_labels_types_and_properties(store: GraphStore) -> None:
    with pytest.raises(ModelViolationError):
        store.upsert_nodes("Firearm`) DETACH DELETE (n", [{"uid": "x"}])
    with pytest.raises(ModelViolationError, match="no properties"):
        store.upsert_nodes("Firearm", [{"uid": "x", "colour": "black"}])
    with pytest.raises(ModelViolationError):
        store.upsert_relationships("SEIZED", "Person", "Firearm", [{"from": "a", "to": "b"}])
    assert store.counts() == {}


def test_reads_cannot_write(store: GraphStore) -> None:
    load_fixed_graph(store)
    with pytest.raises(StoreError):
        store.read("clear_graph")
    assert store.counts()["Incident"] == 2


def test_clear_graph(store: GraphStore) -> None:
    load_fixed_graph(store)
    summary = store.write("clear_graph")
    assert summary.nodes_deleted == 6
    assert store.counts() == {}


def test_apply_schema_twice(store: GraphStore) -> None:
    store.apply_schema()
    store.apply_schema()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=40),
    number=st.one_of(st.none(), st.integers(-(2**53), 2**53), st.floats(min_value=-1e300, max_value=1e300)),
    words=st.lists(
        st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=8), max_size=4
    ),
)
def test_any_value_round_trips(store: GraphStore, text: str, number: float | None, words: list[str]) -> None:
    """Whatever a record holds comes back exactly as it went in (parameters, never query text)."""
    store.write("clear_graph")
    store.upsert_nodes("Incident", [{"uid": "rt", "description": text, "lat": number, "reported_by": words}])
    props = store.read("entity", uid="rt").iloc[0]["properties"]
    assert props["description"] == text
    # FalkorDB returns doubles with 15 significant digits
    assert props.get("lat") == (pytest.approx(number, rel=1e-14) if isinstance(number, float) else number)
    assert props["reported_by"] == words
    assert store.read("search_entities", text=text, limit=5)["uid"].tolist() in (["rt"], [])


def test_unstorable_characters_become_replacement_characters(store: GraphStore) -> None:
    store.upsert_nodes("Incident", [{"uid": "nul", "description": "a\x00b?\ud800c", "reported_by": ["\x00"]}])
    props = store.read("entity", uid="nul").iloc[0]["properties"]
    assert props["description"] == "a\ufffdb?\ufffdc"
    assert props["reported_by"] == ["\ufffd"]


def test_analysis_writes_are_checked_against_the_model_types(store: GraphStore) -> None:
    """Cluster nodes and LINKED edges as analyses write them: NumPy values are stored as numbers; a value
    of the wrong type is refused with one line before any row of the write is sent."""
    load_fixed_graph(store)
    clusters = [
        {"uid": "cluster:t:1", "kind": "t", "size": np.int64(2), "score": np.float64(0.75), "src_row": np.int64(1)},
        {"uid": "cluster:t:2", "kind": "t", "size": np.int64(1), "score": np.float32(0.5)},
    ]
    assert store.upsert_nodes("Cluster", clusters).nodes_created == 2
    props = store.read("entity", uid="cluster:t:1").iloc[0]["properties"]
    assert (props["size"], props["score"]) == (2, 0.75) and type(props["size"]) is int
    edge = {"from": "inc-1", "to": "inc-2", "weight": np.float64(7.5), "levels": [np.int64(2), np.int64(0)]}
    assert store.upsert_relationships("LINKED", "Incident", "Incident", [edge]).relationships_created == 1
    before = store.counts()
    wrong = [{"uid": "cluster:t:3", "size": 3}, {"uid": "cluster:t:4", "size": "3"}]
    with pytest.raises(ModelViolationError) as caught:
        store.upsert_nodes("Cluster", wrong)
    assert str(caught.value) == "Cluster.size is typed integer in the graph model, not str '3'"
    edges = [{"from": "inc-2", "to": "inc-1", "weight": 1.0}, {"from": "inc-1", "to": "inc-2", "weight": "high"}]
    with pytest.raises(ModelViolationError, match=r"^LINKED.weight is typed float in the graph model, not str 'high'$"):
        store.upsert_relationships("LINKED", "Incident", "Incident", edges)
    with pytest.raises(ModelViolationError, match=r"^Cluster.size is typed integer in the graph model, not float64"):
        store.prepare_nodes("Cluster", [{"uid": "cluster:t:5", "size": np.float64(2.5)}])
    assert store.counts() == before and store.read("entity", uid="cluster:t:3").empty  # nothing written


def test_a_named_write_that_sets_a_labels_properties_is_checked_as_an_upsert(store: GraphStore) -> None:
    """`analytics_set_person_scores` declares `// sets: Person`: its rows are checked, all before the first is sent."""
    load_fixed_graph(store)
    rows = [{"uid": "p-1", "community": np.int64(4), "betweenness": np.float64(0.25), "degree": 1}]
    assert store.write("analytics_set_person_scores", rows=rows).properties_set == 3
    wrong = [{"uid": "p-1", "community": 5, "betweenness": 0.5, "degree": 2}, {"uid": "p-2", "community": "5"}]
    with pytest.raises(
        ModelViolationError, match=r"^Person.community is typed integer in the graph model, not str '5'$"
    ):
        store.write("analytics_set_person_scores", rows=wrong)
    with pytest.raises(ModelViolationError, match=r"^Person has no properties \['colour'\]"):
        store.prepare_write("analytics_set_person_scores", rows=[{"uid": "p-1", "colour": "red"}])
    props = store.read("entity", uid="p-1").iloc[0]["properties"]
    assert (props["community"], props["betweenness"], props["degree"]) == (4, 0.25, 1)  # the first write only
