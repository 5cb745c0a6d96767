"""Need-to-know access is enforced in the query layer, and every read is audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from armsgraph import audit
from armsgraph.access import Principal, SecureStore, access_class
from armsgraph.errors import AccessDeniedError
from armsgraph.graph.store import GraphStore


def _graph(store: GraphStore) -> None:
    store.upsert_nodes("Case", [{"uid": "case-1", "title": "Operation Rook"}])
    store.upsert_nodes("Incident", [{"uid": f"inc-{i}", "date": "2021-01-0{i}"} for i in (1, 2, 3)])
    store.upsert_nodes("Firearm", [{"uid": "fa-1", "serial": "X1"}, {"uid": "fa-3", "serial": "Z9"}])
    store.upsert_nodes("Person", [
        {"uid": "p-1", "name": "Ana Lopez", "classification": "restricted"},
        {"uid": "p-2", "name": "Informant Nine", "classification": "secret"},
        {"uid": "p-3", "name": "Unrelated Person"},
    ])  # fmt: skip
    store.upsert_relationships("CONCERNS", "Case", "Incident", [{"from": "case-1", "to": "inc-1"}])
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [
        {"from": "inc-1", "to": "fa-1"}, {"from": "inc-2", "to": "fa-1"}, {"from": "inc-3", "to": "fa-3"},
    ])  # fmt: skip
    store.upsert_relationships("INVOLVED_IN", "Person", "Incident", [
        {"from": "p-1", "to": "inc-1", "role": "suspect"},
        {"from": "p-2", "to": "inc-1", "role": "witness"},
        {"from": "p-3", "to": "inc-3", "role": "suspect"},
    ])  # fmt: skip


def test_queries_declare_their_access_class() -> None:
    assert access_class("node_counts") == "aggregate"
    assert access_class("search_entities") == "entity"
    assert access_class("clear_graph") == "admin"


def test_programme_staff_see_aggregates_only(store: GraphStore, tmp_path: Path) -> None:
    _graph(store)
    secure = SecureStore(store, Principal("pat", "programme"), tmp_path)
    counts = secure.read("node_counts")
    assert dict(zip(counts["label"], counts["count"], strict=True))["Person"] == 3
    with pytest.raises(AccessDeniedError, match="may not run entity query"):
        secure.read("search_entities", text="a", limit=50)
    with pytest.raises(AccessDeniedError):
        secure.write("clear_graph")
    assert store.counts()["Person"] == 3
    actions = [(e["action"], e["target"]) for e in audit.entries(tmp_path)]
    assert ("denied", "search_entities") in actions


def test_prosecutor_sees_only_their_cases(store: GraphStore) -> None:
    _graph(store)
    secure = SecureStore(store, Principal("pia", "prosecutor", clearance="secret", cases=frozenset({"case-1"})))
    found = set(secure.read("search_entities", text="", limit=100)["uid"])
    assert {"case-1", "inc-1", "inc-2", "fa-1", "p-1", "p-2"} <= found
    assert not found & {"inc-3", "fa-3", "p-3"}
    assert secure.read("neighbours", uid="inc-3", limit=10).empty
    assert secure.read("entity", uid="p-3").empty


def test_clearance_filters_rows(store: GraphStore) -> None:
    _graph(store)
    restricted = SecureStore(store, Principal("al", "analyst", clearance="restricted"))
    names = set(restricted.read("search_entities", text="", limit=100)["caption"])
    assert "Informant Nine" not in names and "Ana Lopez" in names
    cleared = SecureStore(store, Principal("al", "analyst", clearance="secret"))
    assert "Informant Nine" in set(cleared.read("search_entities", text="", limit=100)["caption"])


def test_unknown_role_is_refused() -> None:
    with pytest.raises(AccessDeniedError):
        Principal("x", "superuser")
