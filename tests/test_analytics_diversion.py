"""Diversion: points of diversion, owners, time-to-crime and trace responses on a tiny hand-made graph."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from armsgraph.analytics import diversion
from armsgraph.graph.store import GraphStore

P = {"src_file": "tiny.csv"}


def tiny_histories(store: GraphStore) -> None:
    """f1 sold by the dealer to A (2020-01-01), then diverted by A; seized 2020-03-01 (60 days).
    f2 sold by the dealer to B (2020-06-01), no diversion marked; seized 2021-06-01 (365 days).
    f3 stolen from the depot (no legal history); f4 delivered to the depot (2019-01-01), stolen; seized 10 days later.
    f5 sold to C in 2022 but 'seized' in 2021 (a data error: no time-to-crime)."""
    store.upsert_nodes(
        "Organisation",
        [
            {
                "uid": "org:d",
                "name": "Dealer",
                "kind": "licensed dealer",
                "country": "USA",
                "diverted_firearms": 99,
                **P,
            },
            {"uid": "org:depot", "name": "Depot", "kind": "state stockpile", "country": "UKR", **P},
            {"uid": "org:m", "name": "Maker", "kind": "manufacturer", "country": "UKR", **P},
        ],
    )
    store.upsert_nodes("Person", [{"uid": f"person:{x}", "name": x.upper(), **P} for x in "abc"])
    store.upsert_nodes("Firearm", [{"uid": f"f{n}", **P} for n in range(1, 6)])
    transfers: list[dict[str, Any]] = [
        {"uid": "t1a", "date": "2020-01-01", "last_legal": True, "_f": "f1", "_from": "org:d", "_to": "person:a"},
        {"uid": "t1b", "kind": "diversion", "diversion": True, "_f": "f1", "_from": "person:a"},
        {"uid": "t2a", "date": "2020-06-01", "last_legal": True, "_f": "f2", "_from": "org:d", "_to": "person:b"},
        {"uid": "t3a", "kind": "theft", "diversion": True, "_f": "f3", "_from": "org:depot"},
        {"uid": "t4a", "date": "2019-01-01", "last_legal": True, "_f": "f4", "_from": "org:m", "_to": "org:depot"},
        {"uid": "t4b", "kind": "theft", "diversion": True, "_f": "f4", "_from": "org:depot"},
        {"uid": "t5a", "date": "2022-01-01", "last_legal": True, "_f": "f5", "_from": "org:d", "_to": "person:c"},
    ]
    store.upsert_nodes(
        "Transfer", [{k: v for k, v in t.items() if not k.startswith("_")} | {"src_row": n, **P} for n, t in
                     enumerate(transfers)]
    )  # fmt: skip
    store.upsert_relationships(
        "HISTORY",
        "Firearm",
        "Transfer",
        [{"from": t["_f"], "to": t["uid"], "order": n, **P} for n, t in enumerate(transfers)],
    )
    for side, rel in (("_from", "FROM"), ("_to", "TO")):
        for label in ("Organisation", "Person"):
            prefix = "org:" if label == "Organisation" else "person:"
            rows = [{"from": t["uid"], "to": t[side], **P} for t in transfers if t.get(side, "").startswith(prefix)]
            store.upsert_relationships(rel, "Transfer", label, rows)
    seizures = {"f1": "2020-03-01", "f2": "2021-06-01", "f3": "2021-02-01", "f4": "2019-01-11", "f5": "2021"}
    store.upsert_nodes("Incident", [{"uid": f"i-{f}", "date": d, **P} for f, d in seizures.items()])
    store.upsert_relationships("SEIZED", "Incident", "Firearm", [{"from": f"i-{f}", "to": f, **P} for f in seizures])
    store.upsert_nodes(
        "TraceRequest",
        [
            {"uid": "tr1", "requested_state": "DEU", "sent": "2021-01-01", "answered": "2021-01-11",
             "status": "answered", "outcome": "traced", **P},
            {"uid": "tr2", "requested_state": "DEU", "sent": "2021-01-01", "status": "sent", **P},
            {"uid": "tr3", "requested_state": "USA", "sent": "2021-01-01", "answered": "2021-02-01",
             "status": "closed", "outcome": "untraceable", **P},
        ],
    )  # fmt: skip


def test_points_of_diversion_and_time_to_crime(store: GraphStore) -> None:
    tiny_histories(store)
    tables = diversion.analyse(store)
    points = tables["diversion_points"]
    assert points[["rank", "party_uid", "firearms", "country"]].values.tolist() == [
        [1, "org:depot", 2, "UKR"],
        [2, "person:a", 1, None],
        [3, "person:b", 1, None],
        [4, "person:c", 1, None],
    ]
    by_party = points.set_index("party_uid")
    assert by_party.loc["org:depot", "median_time_to_crime_days"] == 10
    assert by_party.loc["person:b", "median_time_to_crime_days"] == 365
    assert by_party["median_time_to_crime_days"].isna().tolist() == [False, False, False, True]
    assert by_party.loc["org:depot", "evidence"] == ["f3 via t3a [tiny.csv:3]", "f4 via t4b [tiny.csv:5]"]
    ttc = tables["time_to_crime"]
    assert ttc[["firearm_uid", "days"]].values.tolist() == [["f1", 60], ["f2", 365], ["f4", 10]]
    owners = tables["last_legal_owners"]
    dealer = owners[owners["role"] == "dealer"].iloc[0]
    assert (dealer.party_uid, dealer.firearms, dealer.diverted_firearms) == ("org:d", 3, 1)


def test_organisation_counts_written_and_stale_ones_cleared(store: GraphStore) -> None:
    tiny_histories(store)
    diversion.analyse(store)
    diversion.analyse(store)
    props = {u: store.read("entity", uid=u).iloc[0]["properties"] for u in ("org:depot", "org:d", "org:m")}
    assert props["org:depot"]["diverted_firearms"] == 2
    assert props["org:d"].get("diverted_firearms") is None
    assert props["org:m"].get("diverted_firearms") is None


def test_trace_request_responses(store: GraphStore) -> None:
    tiny_histories(store)
    table = diversion.analyse(store)["trace_requests"].set_index("requested_state")
    assert table.loc["DEU", "requests"] == 2 and table.loc["DEU", "unanswered"] == 1
    assert table.loc["DEU", "median_days"] == 10 and table.loc["USA", "median_days"] == 31
    assert table.loc["DEU", "status_sent"] == 1 and table.loc["USA", "status_closed"] == 1


def test_empty_graph(store: GraphStore) -> None:
    tables = diversion.analyse(store)
    assert all(t.empty for t in tables.values())
    assert list(tables["diversion_points"].columns) == diversion.POINT_COLUMNS


@pytest.mark.parametrize("flag", [None, False])
def test_unmarked_transfers_are_not_points(flag: bool | None) -> None:
    frame = pd.DataFrame({"firearm": ["f"], "transfer": ["t"], "diversion": [flag], "last_legal": [flag],
                          "from_uid": ["org:x"], "to_uid": ["org:y"]})  # fmt: skip
    assert diversion.points_of_diversion(frame).empty
