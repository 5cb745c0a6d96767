"""Linked-case briefs: every incident of the case, only real citations, escaped text, three formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from armsgraph.analytics import run_all
from armsgraph.errors import ArmsgraphError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.reports.brief import build_brief
from armsgraph.scenario.generate import generate_scenario

EVIL = "<script>alert(1)</script> '); MATCH (n) DETACH DELETE n //"


def _case(store: GraphStore) -> None:
    prov = {"src_file": "cases.csv", "batch_id": "b1"}
    store.upsert_nodes("Case", [{"uid": "case-1", "title": "Operation Kite", "jurisdiction": "AUT",
                                 "offences": ["illicit trafficking"], "src_row": 1, **prov}])  # fmt: skip
    store.upsert_nodes("Incident", [
        {"uid": "i1", "date": "2021-02-01", "context": "illicit trafficking", "country": "AUT", "lat": 48.2,
         "lon": 16.4, "src_file": "incidents.csv", "src_row": 1},
        {"uid": "i2", "date": "2021-03-01", "context": "terrorism", "country": "FRA", "src_file": "incidents.csv",
         "src_row": 2},
        {"uid": "i3", "date": "2021-04-01", "src_file": "incidents.csv", "src_row": 3},
    ])  # fmt: skip
    store.upsert_nodes("Firearm", [{"uid": "f1", "make": "Zastava", "type": "rifle", "serial": "Z1",
                                    "src_file": "firearms.csv", "src_row": 1}])  # fmt: skip
    store.upsert_nodes("Person", [{"uid": "p1", "name": EVIL, "classification": "confidential",
                                   "src_file": "persons.csv", "src_row": 1}])  # fmt: skip
    store.upsert_nodes("Transfer", [{"uid": "t1", "kind": "sale", "date": "2019-01-01", "last_legal": True,
                                     "src_file": "transfers.csv", "src_row": 1}])  # fmt: skip
    store.upsert_relationships("CONCERNS", "Case", "Incident", [{"from": "case-1", "to": "i1", "src_row": 2, **prov}])
    store.upsert_relationships("CHARGES", "Case", "Person", [{"from": "case-1", "to": "p1", "src_row": 3, **prov}])
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [
        {"from": "i1", "to": "f1", "src_file": "firearms.csv", "src_row": 1},
        {"from": "i2", "to": "f1", "src_file": "firearms.csv", "src_row": 2}])  # fmt: skip
    store.upsert_relationships(
        "INVOLVED_IN",
        "Person",
        "Incident",
        [{"from": "p1", "to": "i1", "role": "courier", "src_file": "inv.csv", "src_row": 1}],
    )
    store.upsert_relationships("HISTORY", "Firearm", "Transfer", [{"from": "f1", "to": "t1", "order": 1}])


def _all_sources(store: GraphStore) -> set[str]:
    """Every source record cited by any node or relationship, as "file, row N"."""
    refs = set()
    for text in ("MATCH (n) RETURN n.sources", "MATCH ()-[r]->() RETURN r.sources"):
        _, rows = store._read(text, {})
        for (sources,) in rows:
            for ref in sources or []:
                file, _, row = ref.rpartition(":")
                refs.add(f"{file}, row {row}")
    return refs


def test_brief_lists_case_and_linked_incidents_with_real_citations(store: GraphStore) -> None:
    _case(store)
    brief = build_brief(store, "case-1")
    assert [i["uid"] for i in brief.incidents] == ["i1"]
    assert [(i["uid"], i["why"]) for i in brief.linked] == [("i2", ["shared firearm f1"])]
    assert "i3" not in brief.markdown
    assert brief.classification == "confidential"  # the highest level among the records cited
    known = _all_sources(store)
    assert brief.citations and all(re.sub(r" \(batch .*\)$", "", c) in known for c in brief.citations)
    assert any("LAST LEGAL" in step for f in brief.firearms for step in f["history"])
    assert brief.persons[0]["roles"] == ["charged", "courier in i1"]


def test_untrusted_text_is_escaped_everywhere(store: GraphStore) -> None:
    _case(store)
    brief = build_brief(store, "case-1")
    page = brief.html()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # self-contained: nothing fetched
    assert "<script>" not in brief.markdown and r"\<script\>" in brief.markdown
    pdf = brief.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert store.counts()["Incident"] == 3  # the injection string did nothing


def test_unknown_case_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(ArmsgraphError, match="no case"):
        build_brief(store, "case-404")


def test_brief_of_a_planted_case_lists_every_planted_incident(embedded: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "planted"
    generate_scenario(bundle, incidents=800, seed=3, progress=False)
    ingest_bundle(embedded, bundle, progress=False)
    run_all(embedded, only=["linking"], progress=False)
    truth = json.loads((bundle / "truth.json").read_text())
    invalid = {r["id"] for r in truth["invalid_rows"] if r["file"] == "incidents.csv"}
    case_id, planted = next(iter(truth["cases"].items()))
    brief = build_brief(embedded, f"case:planted:{case_id}")
    listed = {i["uid"].rsplit(":", 1)[1] for i in brief.incidents}
    assert listed == set(planted["incident_ids"]) - invalid
    assert _all_sources(embedded) >= {re.sub(r" \(batch .*\)$", "", c) for c in brief.citations}


def test_exports_round_trip(store: GraphStore, tmp_path: Path) -> None:
    import io

    import networkx as nx
    from followthemoney import model

    from armsgraph.reports import exports

    _case(store)
    graph = exports.subgraph(store, build_brief(store, "case-1").graph.nodes)
    assert set(graph.nodes) == {"case-1", "i1", "i2", "f1", "p1"}
    assert graph.nodes["p1"]["name"] == EVIL
    back = nx.read_gexf(io.BytesIO(exports.to_gexf(graph)))
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    assert nx.read_graphml(io.BytesIO(exports.to_graphml(graph))).number_of_nodes() == 5
    entities = [model.get_proxy(json.loads(line)) for line in exports.to_ftm_jsonl(graph).decode().splitlines()]
    schemata = sorted(e.schema.name for e in entities)
    assert schemata == ["Asset", "Event", "Event", "Person", "Project", "UnknownLink", "UnknownLink"]
    event = next(e for e in entities if e.schema.name == "Event" and "2021-02-01" in e.get("date"))
    person = next(e for e in entities if e.schema.name == "Person")
    assert event.get("involved") == [person.id]
    table = exports.to_csv(store.read("search_entities", text="", limit=10)).decode()
    assert table.splitlines()[0] == "label,uid,caption,classification"
