"""Ingest against the scenario generator's planted truth: rejected rows and entity resolution quality."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from armsgraph.ingest.collect import Collected
from armsgraph.ingest.pipeline import Bundle, IngestSettings, collect_stage
from armsgraph.ingest.resolve import resolve
from armsgraph.ingest.spill import SpillFolder

generate = pytest.importorskip("armsgraph.scenario.generate")


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def _collected(bundle: Path, work: Path) -> Collected:
    """Phase one of the streamed ingest (read, validate, normalise, drop repeats) on a bundle."""
    with SpillFolder(work, "batch") as folder:
        return collect_stage(Bundle.open(bundle), IngestSettings(), folder)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.generate_scenario(tmp_path_factory.mktemp("scenario"), incidents=600, seed=11, progress=False)


def test_resolution_never_merges_different_people_and_rarely_different_firearms(scenario: Path, tmp_path: Path) -> None:
    truth = json.loads((scenario / "truth.json").read_text(encoding="utf-8"))
    collected = _collected(scenario, tmp_path)
    _, incident_of = collected.references()
    resolution = resolve(collected.resolvable(incident_of), "scenario")
    for label, key, min_precision, min_recall in (("Person", "persons", 1.0, 0.6), ("Firearm", "firearms", 0.95, 0.8)):
        uid_of = resolution.uid_of[label]
        predicted: dict[str, list[str]] = {}
        actual: dict[str, list[str]] = {}
        for record_id, uid in uid_of.items():
            predicted.setdefault(uid, []).append(record_id)
            actual.setdefault(truth[key][record_id], []).append(record_id)
        merged, same = _pairs(predicted), _pairs(actual)
        assert merged, f"no {label} merges at all"
        assert len(merged & same) / len(merged) >= min_precision, label
        assert len(merged & same) / len(same) >= min_recall, label


def test_planted_invalid_rows_are_exactly_the_rejected_rows(scenario: Path, tmp_path: Path) -> None:
    truth = json.loads((scenario / "truth.json").read_text(encoding="utf-8"))
    collected = _collected(scenario, tmp_path)
    problems = collected.validate_problems() + collected.normalise_problems()
    rejected = {(p.file, p.row, p.column) for p in problems if p.rejects_row}
    planted = {(r["file"], r["row"], r["column"]) for r in truth["invalid_rows"]}
    assert planted and planted <= rejected
