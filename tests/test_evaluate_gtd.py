"""Linking judged on real data: GTD Q1 2021 against GTD's own `related` column, next to the naive baseline.

Reads ../shared/data/real/gtd-2021q1/gtd_2021q1.csv (never copied into the repository); where the file is
missing this test FAILS: the real-data figures are part of what the project promises.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from armsgraph.analytics.evaluate_gtd import baseline_pairs, pair_scores, truth_pairs
from armsgraph.cli import app
from tests.conftest import REAL_DATA

GTD = REAL_DATA / "gtd-2021q1" / "gtd_2021q1.csv"


def test_truth_is_union_find_over_related_and_ids_outside_the_file_are_ignored() -> None:
    rows = [
        {"eventid": "1", "related": "1, 2"},
        {"eventid": "2", "related": ""},
        {"eventid": "3", "related": "2, 99"},  # 99 is not a row: ignored; 3 joins 1-2 through 2
        {"eventid": "4", "related": ""},
    ]
    truth = truth_pairs(rows)
    assert truth == {frozenset(p) for p in (("1", "2"), ("1", "3"), ("2", "3"))}
    assert pair_scores({frozenset(("1", "2")), frozenset(("1", "4"))}, truth) == {
        "precision": 0.5,
        "recall": 0.3333,
        "f1": 0.4,
        "pairs": 2,
    }


def test_gtd_evaluation_beats_the_baseline_computed_in_the_same_run(tmp_path: Path) -> None:
    assert GTD.is_file(), f"real data missing: {GTD} (see ../shared/data/real/gtd-2021q1/SOURCE.txt)"
    output = tmp_path / "scores.json"
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "data"), "evaluate", "--gtd", str(GTD), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(output.read_text(encoding="utf-8"))
    # every incident loads (unknown provinces are kept as recorded, long country names are known)
    assert (scores["incidents"], scores["loaded"], scores["rejected"]) == (2095, 2095, 0)
    # the truth and the naive rule are SOURCE.txt's: 316 true pairs; same gname+country+provstate+date 0.622
    assert scores["true_pairs"] == 316
    assert scores["baseline"] == {"precision": 0.4825, "recall": 0.8734, "f1": 0.6216, "pairs": 572}
    assert scores["direct"]["f1"] >= 0.80 > scores["baseline"]["f1"]  # issue 15's targets, default settings
    assert scores["clusters"]["f1"] >= 0.75
    assert scores["links"] == scores["direct"]["pairs"] and scores["largest_cluster"] <= 20  # no chaining
    assert scores["compared_pairs"] > scores["links"]
    assert "baseline" in result.output and f"{scores['direct']['f1']:.3f}" in result.output


def test_baseline_pairs_use_equal_group_country_province_and_date() -> None:
    base = {"gname": "G", "country_txt": "Iraq", "provstate": "Diyala", "iyear": "2021", "imonth": "1", "iday": "5"}
    rows = [{**base, "eventid": "1"}, {**base, "eventid": "2"}, {**base, "eventid": "3", "iday": "6"}]
    assert baseline_pairs(rows) == {frozenset(("1", "2"))}
