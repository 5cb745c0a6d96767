"""A tiny hand-made trafficking graph with known answers, loaded through the store's upserts.

Three incidents (INC-1, INC-2, INC-3) form one linked cluster: INC-1 and INC-3 share the
firearm F-1, INC-1 and INC-2 share the suspect P-1. INC-4 (postal route DEU→NLD) and INC-5
(a shooting in the USA) stand alone; INC-5 and INC-3 are linked by a ballistic hit. F-1 was
diverted from the dealer ORG-2 after its last legal sale on 2020-06-01 and recovered on
2023-01-10 (time-to-crime 953 days). Of four seized firearms, one was traced (SDG 16.4.2 = 25%).
P-1 and P-4 are a pending POSSIBLY_SAME candidate.
"""

from __future__ import annotations

from typing import Any

from armsgraph.graph.store import GraphStore

SRC = "sample.csv"


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "src_file": SRC, "src_row": i + 2} for i, row in enumerate(rows)]


PLACES = [
    {"uid": "country:USA", "name": "United States", "kind": "country", "code": "USA"},
    {"uid": "country:MEX", "name": "Mexico", "kind": "country", "code": "MEX"},
    {"uid": "country:GTM", "name": "Guatemala", "kind": "country", "code": "GTM"},
    {"uid": "country:DEU", "name": "Germany", "kind": "country", "code": "DEU"},
    {"uid": "country:NLD", "name": "Netherlands", "kind": "country", "code": "NLD"},
]

INCIDENTS = [
    {"uid": "INC-1", "date": "2023-01-10", "kind": "seizure", "context": "illicit trafficking", "country": "MEX",
     "city": "Nogales", "lat": 31.31, "lon": -110.94, "firearms_qty": 1, "cluster": "cluster:1", "hotspot": "hot:1"},
    {"uid": "INC-2", "date": "2023-02-05", "kind": "seizure", "context": "organised crime", "country": "MEX",
     "city": "Hermosillo", "lat": 29.07, "lon": -110.95, "firearms_qty": 1, "cluster": "cluster:1", "hotspot": "hot:1"},
    {"uid": "INC-3", "date": "2023-03-15", "kind": "recovery", "context": "terrorism", "country": "GTM",
     "city": "Guatemala City", "lat": 14.63, "lon": -90.51, "firearms_qty": 1, "cluster": "cluster:1"},
    {"uid": "INC-4", "date": "2023-04-01", "kind": "seizure", "context": "drug trafficking", "country": "NLD",
     "city": "Rotterdam", "lat": 51.92, "lon": 4.48, "firearms_qty": 1, "transport_mode": "postal/courier"},
    {"uid": "INC-5", "date": "2023-05-20", "kind": "shooting", "context": "violent crime", "country": "USA",
     "city": "Phoenix", "lat": 33.45, "lon": -112.07, "firearms_qty": 1},
]  # fmt: skip

FIREARMS = [
    {"uid": "F-1", "serial": "AB123", "make": "Glock", "type": "pistol", "calibre": "9mm", "status": "seized",
     "country_of_manufacture": "AUT"},
    {"uid": "F-2", "serial": "ZX900", "make": "Colt", "type": "rifle", "calibre": "5.56mm", "status": "seized"},
    {"uid": "F-3", "serial": "PP-77", "make": "Walther", "type": "pistol", "calibre": "9mm", "status": "seized",
     "manufacture_mode": "converted"},
    {"uid": "F-4", "make": "unknown", "type": "pistol", "calibre": "9mm", "status": "found",
     "manufacture_mode": "3D-printed"},
]  # fmt: skip

PERSONS = [
    {"uid": "P-1", "name": "Juan Perez", "nationality": "MEX", "community": 1},
    {"uid": "P-2", "name": "Ana Gomez", "nationality": "MEX", "community": 1},
    {"uid": "P-3", "name": "Karl Weber", "nationality": "DEU", "community": 2},
    {"uid": "P-4", "name": "Jon Perez", "nationality": "MEX", "community": 1},
]

ORGANISATIONS = [
    {"uid": "ORG-1", "name": "Cartel Norte", "kind": "criminal group", "country": "MEX", "community": 1},
    {"uid": "ORG-2", "name": "Desert Guns LLC", "kind": "licensed dealer", "country": "USA", "diverted_firearms": 1},
]

ROUTES = [
    {"uid": "ROUTE-1", "mode": "land", "departure": "USA", "destination": "MEX"},
    {"uid": "ROUTE-2", "mode": "postal/courier", "departure": "DEU", "destination": "NLD"},
]

TRANSFERS = [
    {"uid": "T-1", "kind": "manufacture", "date": "2015-03-01", "country": "AUT", "order": 0},
    {"uid": "T-2", "kind": "sale", "date": "2020-06-01", "country": "USA", "order": 1, "last_legal": True},
    {"uid": "T-3", "kind": "diversion", "date": "2020-09-01", "country": "USA", "order": 2, "diversion": True},
]

TRACES = [
    {"uid": "TR-1", "requesting_state": "MEX", "requested_state": "USA", "sent": "2023-01-15",
     "acknowledged": "2023-01-20", "answered": "2023-02-20", "status": "answered", "outcome": "traced"},
    {"uid": "TR-2", "requesting_state": "MEX", "requested_state": "USA", "sent": "2023-02-10",
     "status": "sent", "outcome": "pending"},
    {"uid": "TR-3", "requesting_state": "NLD", "requested_state": "DEU", "sent": "2023-04-05",
     "answered": "2023-04-15", "status": "answered", "outcome": "untraceable"},
]  # fmt: skip

CASES = [
    {"uid": "CASE-1", "title": "Operation Desert Wind", "jurisdiction": "MEX", "status": "open",
     "opened": "2023-02-01", "offences": ["illicit trafficking"]},
]  # fmt: skip

IDENTIFIERS = [{"uid": "ID-1", "kind": "phone", "value": "+52 55 1234 5678"}]
BALLISTICS = [{"uid": "BE-1", "kind": "cartridge case", "calibre": "9mm"}, {"uid": "BE-2", "kind": "bullet"}]
CLUSTERS = [
    {"uid": "cluster:1", "kind": "linked_incidents", "size": 3, "score": 0.9, "method": "rules",
     "summary": "shared firearm F-1 and suspect P-1"},
]  # fmt: skip

EDGES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    ("AT", "Incident", "Place", [
        {"from": "INC-1", "to": "country:MEX"}, {"from": "INC-2", "to": "country:MEX"},
        {"from": "INC-3", "to": "country:GTM"}, {"from": "INC-4", "to": "country:NLD"},
        {"from": "INC-5", "to": "country:USA"}]),
    ("SEIZED", "Incident", "Firearm", [
        {"from": "INC-1", "to": "F-1"}, {"from": "INC-3", "to": "F-1"}, {"from": "INC-2", "to": "F-2"},
        {"from": "INC-4", "to": "F-3"}, {"from": "INC-5", "to": "F-4"}]),
    ("INVOLVED_IN", "Person", "Incident", [
        {"from": "P-1", "to": "INC-1", "role": "suspect"}, {"from": "P-1", "to": "INC-2", "role": "suspect"},
        {"from": "P-2", "to": "INC-2", "role": "courier"}, {"from": "P-3", "to": "INC-4", "role": "broker"}]),
    ("INVOLVED_IN", "Organisation", "Incident", [{"from": "ORG-1", "to": "INC-2", "role": "owner"}]),
    ("MEMBER_OF", "Person", "Organisation", [{"from": "P-1", "to": "ORG-1"}, {"from": "P-2", "to": "ORG-1"}]),
    ("ALONG", "Incident", "Route", [{"from": "INC-1", "to": "ROUTE-1"}, {"from": "INC-4", "to": "ROUTE-2"}]),
    ("LEG", "Route", "Place", [
        {"from": "ROUTE-1", "to": "country:USA", "order": 0, "role": "departure"},
        {"from": "ROUTE-1", "to": "country:MEX", "order": 1, "role": "destination"},
        {"from": "ROUTE-2", "to": "country:DEU", "order": 0, "role": "departure"},
        {"from": "ROUTE-2", "to": "country:NLD", "order": 1, "role": "destination"}]),
    ("HISTORY", "Firearm", "Transfer", [
        {"from": "F-1", "to": "T-1", "order": 0}, {"from": "F-1", "to": "T-2", "order": 1},
        {"from": "F-1", "to": "T-3", "order": 2}]),
    ("FROM", "Transfer", "Organisation", [{"from": "T-2", "to": "ORG-2"}, {"from": "T-3", "to": "ORG-2"}]),
    ("FOR", "TraceRequest", "Firearm", [
        {"from": "TR-1", "to": "F-1"}, {"from": "TR-2", "to": "F-2"}, {"from": "TR-3", "to": "F-3"}]),
    ("CONCERNS", "Case", "Incident", [
        {"from": "CASE-1", "to": "INC-1"}, {"from": "CASE-1", "to": "INC-2"}, {"from": "CASE-1", "to": "INC-3"}]),
    ("CHARGES", "Case", "Person", [{"from": "CASE-1", "to": "P-1"}]),
    ("USES", "Person", "Identifier", [{"from": "P-1", "to": "ID-1"}, {"from": "P-2", "to": "ID-1"}]),
    ("RECOVERED_AT", "BallisticEvidence", "Incident", [
        {"from": "BE-1", "to": "INC-3"}, {"from": "BE-2", "to": "INC-5"}]),
    ("HIT", "BallisticEvidence", "BallisticEvidence", [{"from": "BE-1", "to": "BE-2", "examiner": "lab-1"}]),
    ("IN_CLUSTER", "Incident", "Cluster", [
        {"from": "INC-1", "to": "cluster:1"}, {"from": "INC-2", "to": "cluster:1"},
        {"from": "INC-3", "to": "cluster:1"}]),
    ("LINKED", "Incident", "Incident", [
        {"from": "INC-1", "to": "INC-2", "rules": ["shared_person"], "weight": 1.0, "evidence": ["P-1"]},
        {"from": "INC-1", "to": "INC-3", "rules": ["shared_firearm"], "weight": 1.0, "evidence": ["F-1"]}]),
    ("POSSIBLY_SAME", "Person", "Person", [
        {"from": "P-1", "to": "P-4", "rule": "name_similarity", "score": 0.88, "status": "pending"}]),
]  # fmt: skip

NODES: list[tuple[str, list[dict[str, Any]]]] = [
    ("Place", PLACES),
    ("Incident", INCIDENTS),
    ("Firearm", FIREARMS),
    ("Person", PERSONS),
    ("Organisation", ORGANISATIONS),
    ("Route", ROUTES),
    ("Transfer", TRANSFERS),
    ("TraceRequest", TRACES),
    ("Case", CASES),
    ("Identifier", IDENTIFIERS),
    ("BallisticEvidence", BALLISTICS),
    ("Cluster", CLUSTERS),
]


def load_sample(store: GraphStore) -> None:
    """Write the sample graph into ``store`` (idempotent)."""
    for label, rows in NODES:
        store.upsert_nodes(label, _rows(rows))
    for rel_type, source, target, rows in EDGES:
        summary = store.upsert_relationships(rel_type, source, target, _rows(rows))
        assert summary.matched == len(rows), f"{rel_type} {source}->{target}: endpoints missing"
    from armsgraph.analytics import diversion, indicators  # their result tables are what the dashboard reads

    indicators.analyse(store)
    diversion.analyse(store)
