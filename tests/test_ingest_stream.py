"""The streamed ingest: spills, the external sort, readers taking a file row by row, and the streamed
phases giving the same graph rows in the same order and the same problems however small their
chunks, runs and read-back batches, while memory keeps a few hundred bytes per record."""

from __future__ import annotations

import dataclasses
import gc
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

import armsgraph.ingest.collect as collect_module
import armsgraph.ingest.pipeline as pipeline
from armsgraph.ingest.mapping import load_mapping
from armsgraph.ingest.pipeline import Bundle, IngestSettings, build_stage, collect_stage
from armsgraph.ingest.readers import open_file
from armsgraph.ingest.resolve import resolve
from armsgraph.ingest.spill import Spill, SpillFolder, sorted_spilled
from armsgraph.scenario.generate import generate_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "bundle"
BAD = ROOT / "tests" / "badinput"

# -- spills ----------------------------------------------------------------------------------------


def test_a_spill_gives_back_its_items_in_order_in_batches_and_by_position(tmp_path: Path) -> None:
    spill: Spill[dict[str, Any]] = Spill(tmp_path / "s", chunk=4)
    items = [{"n": i, "text": "é" * (i % 3)} for i in range(11)]
    spill.extend(items[:6])
    spill.flush()  # a short chunk in the middle
    spill.extend(items[6:])
    assert len(spill) == 11
    assert list(spill) == items
    assert [len(b) for b in spill.batches(3)] == [3, 3, 3, 2]
    assert [x for b in spill.batches(3) for x in b] == items
    assert spill.items([10, 0, 5, 6, 5]) == {0: items[0], 5: items[5], 6: items[6], 10: items[10]}
    assert list(Spill(tmp_path / "empty")) == []


def test_the_external_sort_is_stable_across_runs(tmp_path: Path) -> None:
    items = [(i * 7919 % 5, i) for i in range(1000)]
    with SpillFolder(tmp_path / "work", "batch") as folder:
        out = list(sorted_spilled(items, key=lambda item: item[0], folder=folder, run=64))
        assert [p.name for p in folder.path.iterdir()] == [".lock"]  # the runs are removed once merged
    assert out == sorted(items, key=lambda item: item[0])
    assert list((tmp_path / "work").iterdir()) == []


def test_a_working_folder_left_by_a_killed_ingest_is_removed_by_the_next(tmp_path: Path) -> None:
    with SpillFolder(tmp_path, "a") as running:
        left = tmp_path / "b-killed"
        left.mkdir()
        (left / ".lock").touch()  # its process is gone: nobody holds the lock
        (left / "0000-incidents").write_bytes(b"x" * 100)
        with SpillFolder(tmp_path, "b") as second:
            assert running.path.is_dir() and second.path.is_dir() and running.path != second.path
            assert not left.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_csv_file_is_read_row_by_row(tmp_path: Path) -> None:
    text = '\ufeffid;name\r\n1;"two\nlines"\r3;"broken\n4;four\n\n5;five;extra\n'
    path = tmp_path / "incidents.csv"
    path.write_text(text, encoding="utf-8")
    stream = open_file(path, path.name)[0]
    first = next(stream.rows)
    assert first == (1, {"id": "1", "name": "two\nlines"}) and stream.rows_in == 1 and stream.problems == []
    # the broken record is row 2; reading starts again at the line after its first one ('4;four')
    assert list(stream.rows) == [(3, {"id": "4", "name": "four"})]
    assert [(p.row, p.column, p.value, p.reason) for p in stream.problems] == [
        (2, None, '3;"broken', "broken quoting (unexpected end of data)"),
        (4, None, "5;five;extra", "has 3 fields, the header has 2"),
    ]
    assert stream.rows_in == 4 and stream.columns == ["id", "name"]


def test_a_json_lines_file_is_read_row_by_row_with_its_key_clashes(
    tmp_path: Path,
) -> None:
    text = (
        '\ufeff{"id": "1", "Serial": "A", "serial": "A"}\r\n'  # equal values: kept once, a warning
        '{"id": "2", "serial": "A", "serial": "B"}\n'  # different values: rejected
        "not json\n"
        '{"id": "4", "loc.city": "X", "loc": {"city": "Y"}}\n'  # a.b beside a:{b}: rejected
        '{"id": "5", "guns": [{"s": 1, "s": 2}]}\n'  # a repeat inside a list: rejected
        '{"id": "6"}\n'
    )
    path = tmp_path / "data.jsonl"
    path.write_text(text, encoding="utf-8")
    stream = open_file(path, path.name)[0]
    first = next(stream.rows)
    assert first == (1, {"id": "1", "serial": "A"}) and stream.rows_in == 1
    assert [(p.row, p.column, p.severity) for p in stream.problems] == [(1, "serial", "warning")]
    second = next(stream.rows)  # rows 2 to 5 are rejected on the way to row 6
    assert second == (6, {"id": "6"}) and stream.rows_in == 6
    assert next(stream.rows, None) is None
    assert stream.rows_in == 6
    assert [(p.row, p.column, p.severity) for p in stream.problems] == [
        (1, "serial", "warning"), (2, "serial", "error"), (3, None, "error"), (4, "loc.city", "error"),
        (5, "guns", "error"),
    ]  # fmt: skip


# -- the streamed phases: the same result however small their chunks --------------------------------


def _streamed(bundle: Bundle, source: str, folder: SpillFolder) -> tuple[list[Any], list[Any], int]:
    collected = collect_stage(bundle, IngestSettings(), folder)
    references, incident_of = collected.references()
    resolution = resolve(collected.resolvable(incident_of), source)
    rows, reference_problems = build_stage(
        collected, resolution, references, incident_of, source, "batch", "restricted", folder
    )
    steps = [(s.kind, s.name, s.from_label, s.to_label, [r for b in s.batches(1000) for r in b]) for s in rows.steps()]
    problems = [
        *collected.parse_problems,
        *collected.validate_problems(),
        *collected.normalise_problems(),
        *collected.duplicate_problems,
        *reference_problems,
        *rows.problems,
    ]
    return steps, [dataclasses.astuple(p) for p in problems], sum(collected.duplicates.values())


def _tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spills of 3 items a chunk, sort runs of 5, repeats judged 2 at a time: every boundary is crossed."""

    def spill(self: SpillFolder, name: str) -> Spill[Any]:
        return Spill(self.path / f"{next(self._names):04d}-{name}", chunk=3)

    monkeypatch.setattr(SpillFolder, "spill", spill)
    monkeypatch.setattr(pipeline, "sorted_spilled", lambda items, key, folder: sorted_spilled(items, key, folder, 5))
    monkeypatch.setattr(collect_module, "REPEATS_READ", 2)


TWO_PERSON_COLUMNS = """sale,date,country,buyer,buyer_name,seller,seller_name
S1,2021-01-01,France,P2,Ann Lee,P1,Bob Ray
S2,2021-01-02,France,P1,Bob Ray,P3,Cy Doe
S3,2021-01-03,France,P1,Bob Rey,P2,Ann Lee
S4,2021-01-04,Nowhere,P4,Dee,P2,Ann Lee
"""
TWO_PERSON_MAPPING = {
    "name": "sales",
    "files": [{"match": "sales.csv", "records": [
        {"type": "incidents", "columns": {"incident_id": "sale", "date": "date", "country": "country"}},
        {"type": "persons", "columns": {"person_record_id": "buyer", "name": "buyer_name"}},
        {"type": "persons", "columns": {"person_record_id": "seller", "name": "seller_name"}},
        {"type": "involvements", "columns": {"incident_id": "sale", "party_id": "buyer", "role": {"constant": "b"}}},
    ]}],
}  # fmt: skip


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_scenario(tmp_path_factory.mktemp("noisy"), incidents=400, seed=5, noise=3.0, progress=False)


@pytest.mark.parametrize("case", ["example", "noisy", "bad", "two-person-columns"])
def test_streamed_phases_give_the_same_rows_and_problems_with_tiny_chunks(
    case: str, noisy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case == "two-person-columns":  # one file, two tables of one type: repeats are judged in table order
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "sales.csv").write_text(TWO_PERSON_COLUMNS, encoding="utf-8")
        (tmp_path / "m.yaml").write_text(yaml.safe_dump(TWO_PERSON_MAPPING), encoding="utf-8")
        bundles = [Bundle.open(tmp_path / "b", load_mapping(tmp_path / "m.yaml"))]
    elif case == "bad":
        bundles = [Bundle.open(p) for p in sorted(BAD.iterdir()) if p.is_dir()]
    else:
        bundles = [Bundle.open(EXAMPLE if case == "example" else noisy)]
    results = []
    for bundle in bundles:
        with SpillFolder(tmp_path / "work", "batch") as folder:
            results.append(_streamed(bundle, "src", folder))
    with monkeypatch.context() as patched:
        _tiny_chunks(patched)
        for bundle, usual in zip(bundles, results, strict=True):
            with SpillFolder(tmp_path / "work", "batch") as folder:
                tiny = _streamed(bundle, "src", folder)
            assert tiny == usual, bundle.root
    if case != "bad":
        assert any(rows for *_, rows in results[0][0])
    if case == "noisy":  # planted bad rows are rejected, whatever the chunk they fall in
        assert sum(p[6] == "error" for p in results[0][1]) > 5
    if case == "two-person-columns":
        steps, problems, _ = results[0]
        assert [p[4] for p in problems if "repeats" in p[4]] == [
            "person_record_id repeats sales.csv:2 with different name"
        ]
        persons = next(rows for kind, name, *_, rows in steps if (kind, name) == ("nodes", "Person"))
        assert sorted(r["name"] for r in persons) == ["Ann Lee", "Bob Ray", "Cy Doe", "Dee"]


def test_phase_one_keeps_a_few_hundred_bytes_per_record(tmp_path: Path) -> None:
    """Memory after phase one grows with the compact indexes, not with the rows (~3.8 KB per record before)."""

    def traced(incidents: int) -> tuple[int, int]:
        bundle = Bundle.open(generate_scenario(tmp_path / str(incidents), incidents, seed=3, progress=False))
        gc.collect()
        tracemalloc.start()
        with SpillFolder(tmp_path / "work", "batch") as folder:
            collected = collect_stage(bundle, IngestSettings(), folder)
            records = sum(len(t.records) for t in collected.tables)
            size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return records, size

    traced(50)  # lookup tables and caches that every ingest loads once
    small, large = traced(300), traced(1500)
    per_record = (large[1] - small[1]) / (large[0] - small[0])
    assert per_record < 600, f"{per_record:.0f} bytes per record"
