"""A first load through the store's bulk path (GRAPH.BULK) writes the graph the MERGE load writes.

Counts, the content hash of every node and relationship with its properties (load times left
out), the report and the indexes and constraints are compared between a bulk-loaded and a
MERGE-loaded store; later loads stay idempotent MERGEs.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from armsgraph.errors import StoreError
from armsgraph.graph import bulk
from armsgraph.graph.store import GraphStore, open_store
from armsgraph.ingest import pipeline
from armsgraph.ingest.build import Step
from armsgraph.ingest.bulk_load import bulk_first_load, marker
from armsgraph.ingest.load import load
from armsgraph.ingest.pipeline import IngestSettings, ingest_bundle
from armsgraph.ingest.report import IngestReport
from armsgraph.scenario.generate import generate_scenario
from tests.conftest import settings_for
from tests.test_crash_safety import content_hash

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "bundle"
MERGE = IngestSettings(bulk_first_load=False)


def _store(path: Path) -> GraphStore:
    store = open_store(settings_for("embedded", path))
    store.apply_schema()  # as `armsgraph ingest` does before it loads
    return store


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[GraphStore, GraphStore]]:
    """Two empty embedded stores: one to load in bulk, one to load by MERGE."""
    first, second = _store(tmp_path / "bulk"), _store(tmp_path / "merge")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _no_merge_load(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the MERGE load ran where the bulk path was expected")


def _report(report: IngestReport) -> dict[str, Any]:
    """What a report says, without its times and paths."""
    data = dataclasses.asdict(report)
    for volatile in ("started_at", "finished_at", "report_path", "rejects_path", "bundle"):
        data.pop(volatile, None)
    return data


def _schema(store: GraphStore) -> Any:
    return store._schema_state()  # type: ignore[attr-defined]


def test_bulk_first_load_writes_the_same_graph_report_and_schema_as_merge(
    pair: tuple[GraphStore, GraphStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = generate_scenario(tmp_path / "bundle", incidents=400, seed=5, progress=False)
    in_bulk, by_merge = pair
    merged = ingest_bundle(by_merge, bundle, progress=False, settings=MERGE)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "load", _no_merge_load)
        bulked = ingest_bundle(in_bulk, bundle, progress=False)
    counts, digest = content_hash(in_bulk)
    assert (counts, digest) == content_hash(by_merge)
    assert sum(counts.values()) > 5_000 and counts["POSSIBLY_SAME"] > 0
    assert _report(bulked) == _report(merged)
    assert bulked.nodes_created == sum(counts[label] for label in in_bulk.model.nodes if label in counts)
    indexes, constraints = _schema(in_bulk)
    assert (indexes, constraints) == _schema(by_merge)
    assert set(constraints) == set(in_bulk.model.nodes) and set(constraints.values()) == {"OPERATIONAL"}
    assert ("Incident", "date") in indexes
    _, statuses = in_bulk._read("MATCH ()-[r:POSSIBLY_SAME]->() RETURN DISTINCT r.status", {})
    assert statuses == [["pending"]]
    assert not marker(in_bulk).exists()


def test_a_second_load_after_a_bulk_load_is_an_idempotent_merge(
    pair: tuple[GraphStore, GraphStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = pair
    ingest_bundle(store, EXAMPLE, progress=False)
    before = content_hash(store)
    assert not bulk.falkordb_can_bulk_load(store)
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "falkordb_bulk_load", _no_merge_load)
        again = ingest_bundle(store, EXAMPLE, progress=False)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert content_hash(store) == before
    with pytest.raises(StoreError, match="is not empty"):
        bulk.falkordb_bulk_load(store, [], 500)


def _typed_steps() -> list[Step]:
    """Rows whose values a loader that guesses types from text would change."""
    prov = {"src_file": "t.csv", "batch_id": "b1", "classification": "restricted"}
    persons = [
        {"uid": "person:1", "name": "Ölçü Şahin", "aliases": ["12", "true", "1.5", "a;b"], "src_row": 1, **prov},
        {"uid": "person:1", "nationality": "SRB", "src_row": 2, **prov},  # merged into the first
        {"uid": "person:2", "name": "0042", "date_of_birth": "1980-02", "src_row": 3, **prov},
    ]
    incidents = [
        {
            "uid": "incident:1",
            "date": "2021-03-04",
            "lat": 45.0,
            "lon": -0.5,
            "ammunition_qty": 12,
            "src_row": 4,
            **prov,
        },
        {"uid": "incident:2", "description": 'quote " and\nnewline', "firearms_qty": 0, "src_row": 5, **prov},
    ]
    transfers = [{"uid": "transfer:1", "order": 2, "last_legal": True, "diversion": False, "src_row": 6, **prov}]
    involved = [
        {"from": "person:1", "to": "incident:1", "role": "suspect", "src_row": 7, **prov},
        {"from": "person:1", "to": "incident:1", "role": "suspect", "src_row": 8, **prov},  # the same edge, cited twice
        {"from": "person:2", "to": "incident:2", "role": "courier", "src_row": 9, **prov},
        {"from": "person:9", "to": "incident:2", "role": "owner", "src_row": 10, **prov},  # no such person
        {"from": "person:2", "to": "incident:9", "role": "owner", "src_row": 11, **prov},  # no such incident
    ]
    return [
        Step("nodes", "Person", persons),
        Step("nodes", "Incident", incidents),
        Step("nodes", "Transfer", transfers),
        Step("relationships", "INVOLVED_IN", involved, "Person", "Incident"),
        Step(
            "relationships", "USES", [{"from": "person:1", "to": "identifier:phone:1", **prov}], "Person", "Identifier"
        ),
        Step("statement", "ingest_record_ids_person", [{"uid": "person:1", "record_ids": ["t/P1", "t/P2"]}]),
        Step("statement", "ingest_record_ids_person", [{"uid": "person:1", "record_ids": ["t/P2", "t/P3"]}]),
    ]


def _properties(store: GraphStore) -> dict[str, dict[str, Any]]:
    _, rows = store._read("MATCH (n) RETURN n.uid, properties(n)", {})
    return {uid: {k: v for k, v in props.items() if k != "ingested_at"} for uid, props in rows}


def test_values_keep_their_types_and_unmatched_rows_are_reported_per_chunk_as_by_merge(
    pair: tuple[GraphStore, GraphStore],
) -> None:
    in_bulk, by_merge = pair
    loaded = bulk_first_load(in_bulk, _typed_steps(), "b1", batch_size=2)
    merged = load(by_merge, _typed_steps(), "b1", 2, by_merge.settings.data_dir)
    assert loaded is not None
    assert content_hash(in_bulk) == content_hash(by_merge)
    assert [p.reason for p in loaded.problems] == [p.reason for p in merged.problems]
    involved = "1 INVOLVED_IN (Person->Incident) rows found no endpoint in the graph"
    uses = "1 USES (Person->Identifier) rows found no endpoint in the graph"  # no Identifier node at all
    assert [p.reason for p in loaded.problems] == [involved, involved, uses]  # one per chunk of 2 rows
    assert (loaded.nodes_created, loaded.relationships_created) == (merged.nodes_created, merged.relationships_created)
    props = _properties(in_bulk)
    assert props["person:1"]["aliases"] == ["12", "true", "1.5", "a;b"]
    assert props["person:1"]["nationality"] == "SRB" and props["person:1"]["src_row"] == 1
    assert props["person:1"]["sources"] == ["t.csv:1", "t.csv:2"]
    assert props["person:1"]["record_ids"] == ["t/P1", "t/P2", "t/P3"]
    assert props["person:2"]["name"] == "0042" and props["person:2"]["date_of_birth"] == "1980-02"
    lat, qty = props["incident:1"]["lat"], props["incident:1"]["ammunition_qty"]
    assert (type(lat), lat, type(qty), qty) == (float, 45.0, int, 12)
    assert props["incident:2"]["description"] == 'quote " and\nnewline' and props["incident:2"]["firearms_qty"] == 0
    assert props["transfer:1"]["last_legal"] is True and props["transfer:1"]["diversion"] is False
    _, edges = in_bulk._read("MATCH (:Person {uid: 'person:1'})-[r:INVOLVED_IN]->() RETURN r.sources", {})
    assert edges == [[["t.csv:7", "t.csv:8"]]]


def test_an_interrupted_bulk_load_is_dropped_and_the_next_ingest_loads_it_whole(
    pair: tuple[GraphStore, GraphStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, reference = pair
    ingest_bundle(reference, EXAMPLE, progress=False, settings=MERGE)
    real = bulk._Sender.push

    def dying(self: Any, kind: str, token: bytes, count: int) -> None:
        if kind == "relationships":  # the nodes are written, then the process dies
            self.buffer.send_buffer()
            self.buffer.wait_pool()
            raise KeyboardInterrupt("killed")
        real(self, kind, token, count)

    monkeypatch.setattr(bulk._Sender, "push", dying)
    with pytest.raises(KeyboardInterrupt):
        ingest_bundle(store, EXAMPLE, progress=False)
    assert marker(store).exists()
    assert store.counts()["Incident"] == 5 and "SEIZED" not in store.counts()
    monkeypatch.setattr(bulk._Sender, "push", real)
    report = ingest_bundle(store, EXAMPLE, progress=False)
    assert report.nodes_created == 54 and not marker(store).exists()
    assert content_hash(store) == content_hash(reference)


def test_pack_value_refuses_what_falkordb_cannot_hold() -> None:
    assert bulk.pack_value(True) == b"\x01\x01" and bulk.pack_value(None) == b"\x00"
    assert bulk.pack_value(["a", 1]) == b"\x05" + (2).to_bytes(8, "little") + b"\x03a\x00\x04" + (1).to_bytes(
        8, "little"
    )
    with pytest.raises(StoreError, match="64-bit"):
        bulk.pack_value(2**63)
    with pytest.raises(StoreError, match="dict property"):
        bulk.pack_value({"a": 1})


# -- Neo4j import files --------------------------------------------------------------------------------
_READ = {"string": str, "long": int, "double": float, "boolean": lambda text: text == "true"}


def _typed(kind: str, text: str) -> Any:
    """A CSV field read as neo4j-admin reads a column of ``kind`` (empty: no property)."""
    if text == "":
        return None
    if kind.endswith("[]"):
        return [_READ[kind[:-2]](part) for part in text.split(bulk.ARRAY_DELIMITER)]
    return _READ[kind](text)


def _imported(files: bulk.Neo4jImport) -> tuple[dict[str, Any], list[str]]:
    """The nodes (uid -> label, properties) and relationships neo4j-admin would build from the files."""
    nodes: dict[str, Any] = {}
    edges: list[str] = []
    for path in [*files.node_files, *files.relationship_files]:
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        for row in rows:
            props: dict[str, Any] = {}
            ends: dict[str, str] = {}
            for column, text in zip(header, row, strict=True):
                name, kind = column.split(":")
                if kind.startswith(("ID(", "START_ID(", "END_ID(")) or kind in ("LABEL", "TYPE"):
                    ends[kind.split("(")[0]] = text
                    if kind.startswith("ID("):
                        props[name] = text
                elif (value := _typed(kind, text)) is not None and name != "ingested_at":
                    props[name] = value
            if "ID" in ends:
                nodes[ends["ID"]] = (ends["LABEL"], props)
            else:
                edges.append(json.dumps([ends["START_ID"], ends["TYPE"], ends["END_ID"], props], sort_keys=True))
    return nodes, sorted(edges)


def _stored(store: GraphStore) -> tuple[dict[str, Any], list[str]]:
    _, rows = store._read("MATCH (n) RETURN n.uid, labels(n)[0], properties(n)", {})
    nodes = {uid: (label, {k: v for k, v in p.items() if k != "ingested_at"}) for uid, label, p in rows}
    _, rels = store._read("MATCH (a)-[r]->(b) RETURN a.uid, type(r), b.uid, properties(r)", {})
    edges = [
        json.dumps([a, t, b, {k: v for k, v in p.items() if k != "ingested_at"}], sort_keys=True) for a, t, b, p in rels
    ]
    return nodes, sorted(edges)


def test_neo4j_import_files_hold_the_graph_the_merge_load_writes(
    pair: tuple[GraphStore, GraphStore], tmp_path: Path
) -> None:
    scratch, by_merge = pair
    ingest_bundle(by_merge, EXAMPLE, progress=False, settings=MERGE)
    folder = tmp_path / "import"
    report = ingest_bundle(scratch, EXAMPLE, progress=False, settings=IngestSettings(neo4j_import=str(folder)))
    assert (report.nodes_created, report.relationships_created) == (54, 81)
    assert sum(scratch.counts().values()) == 0  # files written, nothing loaded
    files = bulk.Neo4jImport(folder, sorted(folder.glob("nodes-*.csv")), sorted(folder.glob("relationships-*.csv")))
    assert _imported(files) == _stored(by_merge)
    with (folder / "nodes-Incident.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header[:2] == ["uid:ID(Incident)", ":LABEL"] and "lat:double" in header and "parts_qty:long" in header
    with (folder / "relationships-LEG-Route-Place.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header[:3] == [":START_ID(Route)", ":END_ID(Place)", ":TYPE"] and "order:long" in header
    assert "sources:string[]" in header
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert 'neo4j-admin database import full "${1:-neo4j}" --id-type=string --array-delimiter=U+001F' in script
    assert f"--nodes={folder.resolve() / 'nodes-Incident.csv'}" in script
    assert f"--relationships={folder.resolve() / 'relationships-LEG-Route-Place.csv'}" in script


def test_neo4j_import_files_keep_value_types_and_report_unmatched_rows(
    pair: tuple[GraphStore, GraphStore], tmp_path: Path
) -> None:
    _, by_merge = pair
    merged = load(by_merge, _typed_steps(), "b1", 2, by_merge.settings.data_dir)
    files = bulk.write_neo4j_import(by_merge.model, _typed_steps(), tmp_path / "import", batch_size=2)
    assert _imported(files) == _stored(by_merge)
    involved, uses = ("INVOLVED_IN (Person->Incident)", 1), ("USES (Person->Identifier)", 1)
    assert files.result.unmatched == [involved, involved, uses] and len(merged.problems) == 3
    command = files.command("armsgraph")
    assert command[:5] == ["neo4j-admin", "database", "import", "full", "armsgraph"]
    assert "--multiline-fields=true" in command and len([c for c in command if c.startswith("--nodes=")]) == 3
    with pytest.raises(StoreError, match="one type"):
        steps = [
            Step("nodes", "Incident", [{"uid": "i:1", "ammunition_qty": 1}, {"uid": "i:2", "ammunition_qty": "x"}])
        ]
        bulk.write_neo4j_import(by_merge.model, steps, tmp_path / "mixed", batch_size=10)
