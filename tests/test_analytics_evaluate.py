"""Evaluation: scoring against hand-made truth, and a small generate → ingest → analyse → score run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from armsgraph.analytics.evaluate import COLUMNS, evaluate_scenario, evaluation_table, score
from tests.conftest import settings_for

SOURCE = "bundle"


def inc(record: str) -> str:
    return f"incident:{SOURCE}:{record}"


TRUTH: dict[str, Any] = {
    "linked_pairs": [["A", "B", "firearm"], ["B", "C", "person"], ["D", "E", "identifier"], ["X", "Y", "trace"]],
    "invalid_rows": [{"file": "incidents.csv", "row": 9, "id": "X"}],
    "persons": {"PR-1": "TP-1", "PR-2": "TP-2", "PR-3": "TP-3", "PR-4": "TP-4", "PR-5": "TP-5"},
    "person_network": {"TP-1": "net-1", "TP-2": "net-1", "TP-3": "net-2", "TP-4": "net-2"},
    "diversion_points": [{"party_id": "ORG-1", "firearms": 9}, {"party_id": "ORG-2", "firearms": 3}],
    "corridors": [{"from": "USA", "to": "MEX"}, {"from": "SRB", "to": "AUT"}],
}


RECORDS = [["PR-1", "PR-2"], ["PR-3"], ["PR-4"], ["ORG-1"], ["ORG-2"]]


def results(pairs: list[tuple[str, str]], clusters: dict[str, str], communities: dict[str, float]) -> dict[str, Any]:
    return {
        "linking": {
            "pairs": pd.DataFrame({"a": [inc(a) for a, _ in pairs], "b": [inc(b) for _, b in pairs]}),
            "clusters": pd.DataFrame({"incident": [inc(i) for i in clusters], "cluster": list(clusters.values())}),
        },
        "networks": {
            "actors": pd.DataFrame(
                {
                    "uid": ["person:a", "person:b", "person:c", "org:1", "org:2"],
                    "record_ids": [[f"{SOURCE}/{r}" for r in records] for records in RECORDS],
                    "community": [communities.get(u) for u in ["person:a", "person:b", "person:c", "org:1", "org:2"]],
                }
            )
        },
        "diversion": {"diversion_points": pd.DataFrame({"party_uid": ["org:2"]})},
        "routes": {"flows": pd.DataFrame({"source": ["USA", "FRA"], "target": ["MEX", "DEU"]})},
    }


def test_perfect_answers_score_one() -> None:
    out = score(
        TRUTH,
        results(
            [("A", "B"), ("B", "C"), ("D", "E")],
            {"A": "c1", "B": "c1", "C": "c1", "D": "c2", "E": "c2"},
            {"person:a": 0, "person:b": 1, "person:c": 1},
        ),
        SOURCE,
    )
    assert out["pair_precision"] == out["pair_recall"] == out["pair_f1"] == 1.0  # X (rejected row) is left out
    assert out["recall_firearm"] == out["recall_person"] == out["recall_identifier"] == 1.0
    assert "recall_trace" not in out
    assert out["cluster_ari"] == 1.0
    assert out["network_ari"] == out["network_nmi"] == 1.0
    assert out["diversion_recall_at_10"] == 0.5  # ORG-2 found, ORG-1 missed
    assert out["corridor_recall_at_10"] == 0.5  # USA→MEX found, SRB→AUT missed


def test_partial_answers_score_known_fractions() -> None:
    out = score(
        TRUTH,
        results([("B", "A"), ("D", "F")], {"A": "c1", "B": "c1", "D": "c2", "F": "c2"}, {"person:a": 0, "person:b": 0}),
        SOURCE,
    )
    assert out["pair_precision"] == 0.5 and out["pair_recall"] == pytest.approx(1 / 3)
    assert out["pair_f1"] == pytest.approx(0.4)
    assert (out["recall_firearm"], out["recall_person"], out["recall_identifier"]) == (1.0, 0.0, 0.0)
    assert out["cluster_ari"] < 1.0
    assert out["network_ari"] < 1.0  # net-1 and net-2 joined, and TP-4 left alone


def test_table_has_one_row_per_noise_level() -> None:
    rows = [
        {"incidents": 10, "seed": 1, "noise": n, **dict.fromkeys(COLUMNS, 0.5), "recall_person": 1.0} for n in (1, 2)
    ]
    table = evaluation_table(rows)
    assert table.row_count == 2 and len(table.columns) == len(COLUMNS) + 1
    assert "person 1.000/1.000" in str(table.caption)


def test_small_scenario_end_to_end(tmp_path: Path) -> None:
    out = evaluate_scenario(settings_for("embedded", tmp_path / "unused"), incidents=600, seed=3, noise=1.0)
    assert (out["incidents"], out["seed"], out["noise"]) == (600, 3, 1.0)
    assert out["pair_f1"] > 0.9 and out["cluster_ari"] > 0.85
    assert out["network_ari"] > 0.6
    assert out["diversion_recall_at_10"] > 0.5
    assert all(0.0 <= out[k] <= 1.0 for k in COLUMNS)
