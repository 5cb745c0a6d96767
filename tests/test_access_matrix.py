"""The access matrix: every named query × every role, on a graph with secrets, and zero leaks.

The fixture holds a secret person (and a link whose evidence names them), a secret firearm with
restricted transfers whose uids carry its serial, a secret case, and a case outside the
prosecutor's own. Each query runs through :class:`armsgraph.access.SecureStore` for each role,
with its parameters taken from :data:`PARAM_VALUES` by name (a uid parameter is tried with each
secret and out-of-scope uid, as an attacker would), and no result may contain a string the role
must not see. A query without an access declaration, or with a parameter this file has no value
for, fails the matrix with its name.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from armsgraph.access import Principal, SecureStore, declaration
from armsgraph.analytics import diversion, indicators
from armsgraph.errors import AccessDeniedError, ParameterError, StoreError
from armsgraph.graph import queries
from armsgraph.graph.model import default_model
from armsgraph.graph.store import GraphStore

#: Issue 17's injection through a parameter name (tried on every readable query, for every role).
INJECTION = "\nMATCH (p:Person) RETURN p.name AS label, 1 AS count UNION ALL //"
SECRET_FIREARM = "firearm:SNSECRET77:glock:pistol"
SECRET_TRANSFER = f"transfer:{SECRET_FIREARM}:1"
OPEN_FIREARM = "firearm:SNOPEN11:colt:rifle"
FAR_FIREARM = "firearm:SNFAR33:beretta:pistol"

NODES: list[tuple[str, list[dict[str, Any]]]] = [
    ("Place", [
        {"uid": "country:MEX", "name": "Mexico", "kind": "country", "code": "MEX"},
        {"uid": "country:USA", "name": "United States", "kind": "country", "code": "USA"},
    ]),
    ("Case", [
        {"uid": "case:rook", "title": "Operation Rook", "jurisdiction": "MEX", "status": "open",
         "opened": "2023-02-01", "classification": "restricted"},
        {"uid": "case:nightjar", "title": "Operation Nightjar", "jurisdiction": "MEX", "status": "open",
         "opened": "2023-03-01", "classification": "secret"},
        {"uid": "case:far", "title": "Operation Faraway", "jurisdiction": "USA", "status": "open",
         "opened": "2023-04-01", "classification": "restricted"},
    ]),
    ("Incident", [
        {"uid": "inc:1", "date": "2023-01-10", "kind": "seizure", "context": "illicit trafficking", "country": "MEX",
         "lat": 31.3, "lon": -110.9, "cluster": "cluster:1", "hotspot": "hot:1", "firearms_qty": 1},
        {"uid": "inc:2", "date": "2023-02-05", "kind": "seizure", "context": "organised crime", "country": "MEX",
         "lat": 29.1, "lon": -110.9, "cluster": "cluster:1", "hotspot": "hot:1", "firearms_qty": 1},
        {"uid": "inc:9", "date": "2023-05-20", "kind": "shooting", "context": "terrorism", "country": "USA",
         "lat": 33.4, "lon": -112.1, "cluster": "cluster:9", "firearms_qty": 1},
    ]),
    ("Firearm", [
        {"uid": SECRET_FIREARM, "serial": "SN-SECRET-77", "serial_normalised": "SNSECRET77", "make": "Glock",
         "type": "pistol", "calibre": "9mm", "status": "seized", "classification": "secret"},
        {"uid": OPEN_FIREARM, "serial": "SN-OPEN-11", "serial_normalised": "SNOPEN11", "make": "Colt",
         "type": "rifle", "calibre": "5.56mm", "status": "seized"},
        {"uid": FAR_FIREARM, "serial": "SN-FAR-33", "serial_normalised": "SNFAR33", "make": "Beretta",
         "type": "pistol", "calibre": "9mm", "status": "seized"},
    ]),
    ("Person", [
        {"uid": "person:ana", "name": "Ana Lopez", "nationality": "MEX", "community": 1},
        {"uid": "person:secret9", "name": "Informant Nine", "nationality": "MEX", "community": 1,
         "classification": "secret"},
        {"uid": "person:far", "name": "Farid Outsider", "nationality": "USA", "community": 2},
    ]),
    ("Organisation", [
        {"uid": "org:usa:desert-guns", "name": "Desert Guns LLC", "kind": "licensed dealer", "country": "USA",
         "diverted_firearms": 1},
    ]),
    ("Identifier", [
        {"uid": "identifier:phone:+525550101", "kind": "phone", "value": "+52 555 0101"},
        {"uid": "identifier:phone:+15550777", "kind": "phone", "value": "+1 555 0777"},
    ]),
    ("Transfer", [
        {"uid": f"transfer:{SECRET_FIREARM}:0", "kind": "manufacture", "date": "2015-03-01", "country": "AUT",
         "order": 0},
        {"uid": SECRET_TRANSFER, "kind": "sale", "date": "2020-06-01", "country": "USA", "order": 1,
         "last_legal": True},
        {"uid": f"transfer:{SECRET_FIREARM}:2", "kind": "theft", "date": "2020-09-01", "country": "USA", "order": 2,
         "diversion": True},
        {"uid": f"transfer:{OPEN_FIREARM}:1", "kind": "sale", "date": "2019-01-01", "country": "USA", "order": 1,
         "last_legal": True},
        {"uid": f"transfer:{FAR_FIREARM}:1", "kind": "sale", "date": "2018-01-01", "country": "USA", "order": 1,
         "last_legal": True},
    ]),
    ("TraceRequest", [
        {"uid": "trace:mex:TR-1", "requesting_state": "MEX", "requested_state": "USA", "sent": "2023-02-10",
         "answered": "2023-03-01", "status": "answered", "outcome": "traced"},
        {"uid": "trace:usa:TR-9", "requesting_state": "USA", "requested_state": "USA", "sent": "2023-06-01",
         "status": "sent", "outcome": "pending"},
    ]),
    ("BallisticEvidence", [
        {"uid": "be:1", "kind": "cartridge case", "calibre": "9mm", "hit_group": "hg-1"},
        {"uid": "be:9", "kind": "bullet", "calibre": "9mm", "hit_group": "hg-9"},
    ]),
    ("Route", [{"uid": "route:land:USA>MEX", "mode": "land", "departure": "USA", "destination": "MEX"}]),
    ("Cluster", [
        {"uid": "cluster:1", "kind": "linked_incidents", "size": 2, "score": 0.9, "method": "rules",
         "summary": "2 incidents"},
        {"uid": "cluster:9", "kind": "linked_incidents", "size": 1, "score": 0.5, "method": "rules",
         "summary": "1 incident"},
        {"uid": "hot:1", "kind": "hotspot", "size": 2, "score": 0.1, "method": "gi*"},
    ]),
]  # fmt: skip

EDGES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    ("AT", "Incident", "Place", [{"from": "inc:1", "to": "country:MEX"}, {"from": "inc:9", "to": "country:USA"}]),
    ("CONCERNS", "Case", "Incident", [
        {"from": "case:rook", "to": "inc:1"}, {"from": "case:rook", "to": "inc:2"},
        {"from": "case:nightjar", "to": "inc:1"}, {"from": "case:far", "to": "inc:9"}]),
    ("CHARGES", "Case", "Person", [
        {"from": "case:rook", "to": "person:ana"}, {"from": "case:nightjar", "to": "person:secret9"},
        {"from": "case:far", "to": "person:far"}]),
    ("SEIZED", "Incident", "Firearm", [
        {"from": "inc:1", "to": OPEN_FIREARM}, {"from": "inc:2", "to": SECRET_FIREARM},
        {"from": "inc:9", "to": FAR_FIREARM}]),
    ("INVOLVED_IN", "Person", "Incident", [
        {"from": "person:ana", "to": "inc:1", "role": "suspect"},
        {"from": "person:ana", "to": "inc:2", "role": "suspect"},
        {"from": "person:secret9", "to": "inc:1", "role": "witness"},
        {"from": "person:secret9", "to": "inc:2", "role": "witness"},
        {"from": "person:far", "to": "inc:9", "role": "shooter"}]),
    ("USES", "Person", "Identifier", [
        {"from": "person:ana", "to": "identifier:phone:+525550101"},
        {"from": "person:far", "to": "identifier:phone:+15550777"}]),
    ("HISTORY", "Firearm", "Transfer", [
        {"from": SECRET_FIREARM, "to": f"transfer:{SECRET_FIREARM}:0", "order": 0},
        {"from": SECRET_FIREARM, "to": SECRET_TRANSFER, "order": 1},
        {"from": SECRET_FIREARM, "to": f"transfer:{SECRET_FIREARM}:2", "order": 2},
        {"from": OPEN_FIREARM, "to": f"transfer:{OPEN_FIREARM}:1", "order": 1},
        {"from": FAR_FIREARM, "to": f"transfer:{FAR_FIREARM}:1", "order": 1}]),
    ("FROM", "Transfer", "Organisation", [
        {"from": SECRET_TRANSFER, "to": "org:usa:desert-guns"},
        {"from": f"transfer:{SECRET_FIREARM}:2", "to": "org:usa:desert-guns"},
        {"from": f"transfer:{OPEN_FIREARM}:1", "to": "org:usa:desert-guns"},
        {"from": f"transfer:{FAR_FIREARM}:1", "to": "org:usa:desert-guns"}]),
    ("TO", "Transfer", "Person", [
        {"from": f"transfer:{FAR_FIREARM}:1", "to": "person:far"}]),
    ("FOR", "TraceRequest", "Firearm", [
        {"from": "trace:mex:TR-1", "to": SECRET_FIREARM}, {"from": "trace:usa:TR-9", "to": FAR_FIREARM}]),
    ("RECOVERED_AT", "BallisticEvidence", "Incident", [
        {"from": "be:1", "to": "inc:1"}, {"from": "be:9", "to": "inc:9"}]),
    ("ALONG", "Incident", "Route", [{"from": "inc:1", "to": "route:land:USA>MEX"}]),
    ("LEG", "Route", "Place", [
        {"from": "route:land:USA>MEX", "to": "country:USA", "order": 0, "role": "departure"},
        {"from": "route:land:USA>MEX", "to": "country:MEX", "order": 1, "role": "destination"}]),
    ("IN_CLUSTER", "Incident", "Cluster", [
        {"from": "inc:1", "to": "cluster:1"}, {"from": "inc:2", "to": "cluster:1"},
        {"from": "inc:9", "to": "cluster:9"}]),
    ("LINKED", "Incident", "Incident", [
        {"from": "inc:1", "to": "inc:2", "rules": ["person"], "weight": 4.0, "evidence": ["person:secret9"]}]),
    ("POSSIBLY_SAME", "Person", "Person", [
        {"from": "person:ana", "to": "person:secret9", "rule": "name_similarity", "score": 0.9, "status": "pending"},
        {"from": "person:ana", "to": "person:far", "rule": "name_similarity", "score": 0.8, "status": "pending"}]),
]  # fmt: skip

#: What a restricted reader must never see: the secret person, firearm (its serial in any form) and case.
SECRET = ("Informant Nine", "person:secret9", "SN-SECRET-77", "SNSECRET77", "Operation Nightjar", "case:nightjar")
#: What a prosecutor of case:rook must never see: the other case and what only it touches.
OUT_OF_SCOPE = (
    "Operation Faraway", "case:far", "inc:9", "Farid Outsider", "person:far", "SN-FAR-33", "SNFAR33",
    "+1 555 0777", "+15550777", "be:9", "trace:usa:TR-9",
)  # fmt: skip
#: What programme staff must never see: any name, uid of a person, firearm, incident, case..., serial or identifier.
IDENTIFYING = (
    *SECRET, *OUT_OF_SCOPE, "Ana Lopez", "person:ana", "Desert Guns LLC", "org:usa", "SN-OPEN-11", "SNOPEN11",
    "+52 555 0101", "+525550101", "inc:1", "inc:2", "case:rook", "Operation Rook", "transfer:", "trace:", "be:1",
)  # fmt: skip

PRINCIPALS = {
    "admin": (Principal("ada", "admin", clearance="secret"), ()),
    "analyst-secret": (Principal("sam", "analyst", clearance="secret"), ()),
    "analyst-restricted": (Principal("al", "analyst", clearance="restricted"), SECRET),
    "prosecutor": (
        Principal("pia", "prosecutor", clearance="restricted", cases=frozenset({"case:rook"})),
        SECRET + OUT_OF_SCOPE,
    ),
    "programme": (Principal("pat", "programme", clearance="restricted"), IDENTIFYING),
}

PROBE_UIDS = [
    "person:secret9", SECRET_FIREARM, SECRET_TRANSFER, "case:nightjar", "person:far", "inc:9", "case:far",
    "identifier:phone:+15550777", "inc:1", "person:ana", "case:rook",
]  # fmt: skip
ALL_UIDS = [row["uid"] for _, rows in NODES for row in rows]

#: Every result table the analyses run by :func:`load` write (read by ``results_*`` queries).
RESULT_TABLES = (
    "diversion_points", "last_legal_owners", "time_to_crime", "time_to_crime_days", "trace_requests",
    "trace_response_days", "sdg_16_4_2", "sdg_16_4_2_total", "iafq", "iafq_by_type", "iafq_by_calibre",
    "iafq_by_context", "iafq_by_country", "iafq_by_year",
)  # fmt: skip

#: Values for every parameter a named read takes, by name; each value is tried in turn.
PARAM_VALUES: dict[str, list[Any]] = {
    "uid": PROBE_UIDS,
    "uids": [ALL_UIDS],
    "case": ["case:rook", "case:nightjar", "case:far"],
    "cases": [["case:rook"]],
    "cluster": ["cluster:1", "cluster:9"],
    "limit": [1000],
    "text": ["", "secret", "SN", "Informant", "555", "far"],
    "statuses": [["pending", "accepted", "rejected"]],
    "contexts": [["illicit trafficking", "organised crime", "terrorism"]],
    "cell": [1.0],
    "source": ["inc:1", "person:ana"],
    "target": PROBE_UIDS,
    "max_hops": [6],
    "left": ["person:ana"],
    "right": ["person:secret9", "person:far"],
    "serials": [["SNSECRET77", "SNOPEN11", "SNFAR33"]],
    "table": [*RESULT_TABLES],
    "types": [sorted(default_model().relationships), ["INVOLVED_IN", "SEIZED", "USES"]],
}


def load(store: GraphStore) -> None:
    """Write the matrix graph (every node and edge restricted unless it says otherwise), then the result
    tables of the diversion and indicator analyses (the ones that do not rewrite the planted clusters)."""
    for label, rows in NODES:
        store.upsert_nodes(label, [{"classification": "restricted", **row, "src_file": "m.csv"} for row in rows])
    for rel_type, source, target, rows in EDGES:
        summary = store.upsert_relationships(rel_type, source, target, [{**r, "src_file": "m.csv"} for r in rows])
        assert summary.matched == len(rows), f"{rel_type}: endpoints missing"
    written = {**diversion.analyse(store), **indicators.analyse(store)}
    assert set(written) == set(RESULT_TABLES), f"result tables changed: add {sorted(set(written) - set(RESULT_TABLES))}"


def param_sets(name: str) -> Iterator[dict[str, Any]]:
    """The base parameters of ``name`` (first value of each), then each parameter varied over its values."""
    used = sorted(queries.parameters(name))
    missing = [p for p in used if p not in PARAM_VALUES]
    if missing:
        raise AssertionError(f"query {name!r} takes ${missing[0]}: add values for it to PARAM_VALUES in {__file__}")
    base = {p: PARAM_VALUES[p][0] for p in used}
    yield base
    for p in used:
        for value in PARAM_VALUES[p][1:]:
            yield {**base, p: value}


def shown(params: dict[str, Any]) -> str:
    """Parameters for a problem line (a long list as its length)."""
    return str({k: f"[{len(v)} items]" if isinstance(v, list) and len(v) > 3 else v for k, v in params.items()})


def text_of(frame: pd.DataFrame) -> str:
    """Every value of a result (lists and maps included) as one string, for the leak search."""
    return json.dumps(frame.to_dict("records"), default=str, ensure_ascii=False)


def run_matrix(store: GraphStore) -> tuple[list[str], dict[str, str]]:
    """Run every named read × role; the problems found and the text each role saw."""
    problems: list[str] = []
    seen = dict.fromkeys(PRINCIPALS, "")
    for name in queries.names():
        try:
            kind = declaration(name).access
        except AccessDeniedError as exc:
            problems.append(f"undeclared {name}: {exc}")
            continue
        if kind in ("write", "admin"):
            for role, (who, _) in PRINCIPALS.items():
                if who.role == "admin":
                    continue
                with pytest.raises(AccessDeniedError):
                    SecureStore(store, who).read(name)
            continue
        for role, (who, _) in PRINCIPALS.items():
            try:
                SecureStore(store, who).read(name, **{**next(param_sets(name)), INJECTION: 1})
                problems.append(f"{role} × {name}: a parameter named {INJECTION!r} was not refused")
            except (ParameterError, AccessDeniedError):
                pass
            except StoreError as exc:
                problems.append(f"{role} × {name}: a parameter named {INJECTION!r} reached the store: {exc}")
        for role, params in itertools.product(PRINCIPALS, param_sets(name)):
            who, forbidden = PRINCIPALS[role]
            secure = SecureStore(store, who)
            try:
                frame = secure.read(name, **params)
            except AccessDeniedError as exc:
                if kind == "entity" and who.role == "programme":
                    continue
                problems.append(f"{role} × {name} {shown(params)}: refused: {exc}")
                continue
            text = text_of(frame)
            seen[role] += text
            leaked = [s for s in forbidden if s in text]
            if leaked:
                problems.append(f"LEAK {role} × {name} {shown(params)}: {leaked}")
    return problems, seen


def test_access_matrix(store: GraphStore) -> None:
    load(store)
    problems, seen = run_matrix(store)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    # the oracle is not vacuous: those cleared see the secrets, each role sees its own
    for role in ("admin", "analyst-secret"):
        assert all(s in seen[role] for s in SECRET + OUT_OF_SCOPE), role
    assert all(s in seen["analyst-restricted"] for s in ("Ana Lopez", "Farid Outsider", "SN-OPEN-11", "transfer:"))
    assert all(s in seen["prosecutor"] for s in ("Ana Lopez", "Operation Rook", "SN-OPEN-11", "+52 555 0101"))
    assert all(s in seen["programme"] for s in ("Person", "illicit trafficking", "pistol"))


def test_every_query_declares_its_access() -> None:
    undeclared = []
    for name in queries.names():
        try:
            declaration(name)
        except AccessDeniedError as exc:
            undeclared.append(str(exc))
    assert not undeclared, "\n".join(undeclared)


def test_every_label_is_classified_by_the_lookup(store: GraphStore) -> None:
    """The lookup that classifies uids has a branch for every label of the model."""
    text = queries.text("access_entities", store.dialect)
    assert all(f":{label} {{uid: id}}" in text for label in store.model.nodes)
