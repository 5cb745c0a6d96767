"""The bad-input corpus (tests/badinput/ plus generated Excel and 10 MB inputs): clear row errors, no crash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.ingest.report import IngestReport

BAD = Path(__file__).resolve().parent / "badinput"


def _where(report: IngestReport, severity: str = "error") -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.row, p.column) for p in report.problems if p.severity == severity}


def _reason(report: IngestReport, file: str, row: int | None, column: str | None) -> str:
    return next(p.reason for p in report.problems if (p.file, p.row, p.column) == (file, row, column))


def _uids(store: GraphStore, prefix: str) -> set[str]:
    frame = store.read("search_entities", text=prefix, limit=100)
    return {u for u in frame["uid"] if u.startswith(prefix)} if len(frame) else set()


def _exists(store: GraphStore, uid: str) -> bool:
    return len(store.read("entity", uid=uid)) == 1


def test_wrong_types_unknown_countries_malformed_dates(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "wrong_types", progress=False)
    expected = {
        ("incidents.csv", 2, "date"), ("incidents.csv", 3, "date"), ("incidents.csv", 4, "country"),
        ("incidents.csv", 5, "lat"), ("incidents.csv", 6, "ammunition_qty"), ("incidents.csv", 7, "date"),
        ("incidents.csv", 8, "lat"), ("incidents.csv", 9, "classification"),
        ("firearms.csv", 2, "year"), ("firearms.csv", 3, "marking_status"), ("firearms.csv", 4, "manufacture_mode"),
        ("firearms.csv", 5, "type"),
    }  # fmt: skip
    assert _where(report) == expected
    assert "'yesterday' is not a known date" in _reason(report, "incidents.csv", 2, "date")
    assert "day is out of range" in _reason(report, "incidents.csv", 3, "date")
    assert "'Atlantis' is not a known country" in _reason(report, "incidents.csv", 4, "country")
    assert "is not a valid integer" in _reason(report, "incidents.csv", 6, "ammunition_qty")
    assert "required column 'date'" in _reason(report, "incidents.csv", 7, "date")
    assert "'scratched' is not a known marking status" in _reason(report, "firearms.csv", 3, "marking_status")
    assert (report.rows_in, report.accepted, report.rejected) == (14, 2, 12)
    assert _exists(store, "incident:wrong-types:I-1")
    for rejected in ("I-2", "I-3", "I-4", "I-5", "I-6", "I-8", "I-9"):
        assert not _exists(store, f"incident:wrong-types:{rejected}")
    assert store.counts().get("Firearm") == 1
    assert store.counts().get("SEIZED") == 1


def test_broken_quoting_is_a_row_error_and_the_rest_is_read(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "broken_quoting", progress=False)
    assert _where(report) == {("incidents.csv", 2, None), ("incidents.csv", 4, None)}
    assert "quot" in _reason(report, "incidents.csv", 2, None)
    for ok in ("Q-1", "Q-3", "Q-5"):
        assert _exists(store, f"incident:broken-quoting:{ok}")
    assert _exists(store, "incident:broken-quoting:Q-5")
    frame = store.read("entity", uid="incident:broken-quoting:Q-5")
    assert frame["properties"].iloc[0]["description"] == "multi line ok"  # whitespace runs collapse
    assert (report.rows_in, report.accepted, report.rejected) == (5, 3, 2)


def test_a_line_that_is_not_utf8_is_rejected_and_the_good_lines_stay_utf8(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "non_utf8", progress=False)
    assert _where(report) == {("incidents.csv", 1, None)}
    reason = _reason(report, "incidents.csv", 1, None)
    assert "not UTF-8: byte 0xF4" in reason and "rejected, not guessed" in reason
    [value] = [p.value for p in report.errors]
    assert value is not None and "C\\xf4te" in value  # the bad byte shown, not decoded as cp1252
    assert any("is not all UTF-8 (first bad byte at offset 58)" in w.reason for w in report.warnings)
    assert (report.rows_in, report.accepted, report.rejected) == (3, 2, 1)
    props = store.read("entity", uid="incident:non-utf8:N-2")["properties"].iloc[0]
    assert (props["city"], props["description"]) == ("Москва", "Петров Иван")
    props = store.read("entity", uid="incident:non-utf8:N-3")["properties"].iloc[0]
    assert props["city"] == "München" and props["description"] == "Übergabe – Straße"
    assert not _exists(store, "incident:non-utf8:N-1")


def test_empty_files_give_a_clear_report_line(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "empty", progress=False)
    reasons = [p.reason for p in report.warnings]
    assert "incidents.csv is empty: no header, no rows" in reasons
    assert "persons.csv has a header but no data rows" in reasons
    assert (report.rows_in, report.accepted, report.nodes_created) == (0, 0, 0)


def test_bad_json_lines(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "bad_jsonl", progress=False)
    assert _where(report) == {("incidents.jsonl", 2, None), ("incidents.jsonl", 3, None)}
    assert "not valid JSON" in _reason(report, "incidents.jsonl", 2, None)
    assert "must be an object" in _reason(report, "incidents.jsonl", 3, None)
    legs = store.read("ingest_route_legs", uid="route:any:MAR>ESP>PRT")
    assert list(legs["role"]) == ["departure", "transit", "transit"]


def test_unknown_references_are_rejected_never_dropped(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "unknown_references", progress=False)
    assert _where(report) == {
        ("involvements.csv", 2, "party_id"), ("involvements.csv", 3, "incident_id"), ("firearms.csv", 2, "incident_id"),
    }  # fmt: skip
    assert _where(report, "link") == {("persons.csv", 1, "organisation_ids")}
    assert report.rejected_links == 1
    assert "names no person or organisation in the bundle" in _reason(report, "involvements.csv", 2, "party_id")
    counts = store.counts()
    assert (counts.get("INVOLVED_IN"), counts.get("Firearm"), counts.get("MEMBER_OF")) == (1, 1, None)


def test_conflicting_ids_are_rejected_and_identical_repeats_counted(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "conflicting_ids", progress=False)
    assert _where(report) == {("incidents.csv", 3, "incident_id")}
    assert "repeats incidents.csv:1 with different date" in _reason(report, "incidents.csv", 3, "incident_id")
    assert report.duplicates == 1
    assert store.counts().get("Incident") == 2


def test_excel_merged_cells_fill_the_range(store: GraphStore, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "incidents"
    sheet.append(["incident_id", "date", "country", "kind"])
    sheet.append(["X-1", "2021-01-01", "France", "seizure"])
    sheet.append(["X-2", "2021-01-02", None, None])
    sheet.append(["X-3", "2021-01-03", None, "recovery"])
    sheet.merge_cells("C2:C4")
    sheet.merge_cells("D2:D3")
    persons = book.create_sheet("persons")
    persons.append(["person_record_id", "name", "date_of_birth"])
    persons.append(["P-1", "Jean Dupont", "not a date"])
    bundle = tmp_path / "xl"
    bundle.mkdir()
    book.save(bundle / "seizures.xlsx")
    report = ingest_bundle(store, bundle, progress=False)
    for n in (1, 2, 3):
        assert store.read("entity", uid=f"incident:xl:X-{n}")["properties"].iloc[0]["country"] == "FRA"
    assert store.read("entity", uid="incident:xl:X-2")["properties"].iloc[0]["kind"] == "seizure"
    merged = [p.reason for p in report.warnings if "merged cells" in p.reason]
    assert sorted(merged) == [
        "merged cells C2:C4 filled with their top-left value",
        "merged cells D2:D3 filled with their top-left value",
    ]
    assert _where(report) == {("seizures.xlsx#persons", 1, "date_of_birth")}


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_a_10_mb_cell_rejects_its_row_without_copying_it(store: GraphStore, tmp_path: Path, suffix: str) -> None:
    bundle = tmp_path / f"huge-{suffix}"
    bundle.mkdir()
    huge = "A" * 10_000_000
    if suffix == "csv":
        text = f"incident_id,date,country,description\nH-1,2021-01-01,France,{huge}\nH-2,2021-01-02,France,ok\n"
    else:
        text = (
            f'{{"incident_id": "H-1", "date": "2021-01-01", "country": "FR", "description": "{huge}"}}\n'
            '{"incident_id": "H-2", "date": "2021-01-02", "country": "FR"}\n'
        )
    (bundle / f"incidents.{suffix}").write_text(text, encoding="utf-8")
    report = ingest_bundle(store, bundle, progress=False)
    assert _where(report) == {(f"incidents.{suffix}", 1, "description")}
    problem = report.errors[0]
    assert "exceeds the 100,000-character limit" in problem.reason
    assert problem.value is not None and len(problem.value) < 300
    assert (report.accepted, report.rejected) == (1, 1)
    assert not _exists(store, f"incident:huge-{suffix}:H-1")
    assert _exists(store, f"incident:huge-{suffix}:H-2")
    assert Path(report.rejects_path).stat().st_size < 10_000


# -- the whole corpus, through the command a user runs ----------------------------------------------
#: Exit code of `armsgraph ingest` per bundle: 1 when a file loaded nothing or a required column is missing.
EXIT_CODES = {
    "all_rejected": 1,
    "bad_jsonl": 0,
    "broken_quoting": 0,
    "conflicting_ids": 0,
    "empty": 1,
    "missing_required": 1,
    "non_utf8": 0,
    "out_of_range": 0,
    "unknown_references": 0,
    "wrong_types": 0,
}
BUNDLES = sorted(p.name for p in BAD.iterdir() if p.is_dir() and p.name != "bad_mappings")
MAPPINGS = sorted(p.name for p in (BAD / "bad_mappings").glob("*.yaml"))


def _run(store: GraphStore, *args: str) -> tuple[int, str]:
    """`armsgraph ingest ...` as the console script runs it (main: armsgraph errors are one line, exit 3)."""
    import sys

    from armsgraph.cli import main

    argv = ["armsgraph", "--data-dir", str(store.settings.data_dir), "ingest", *args, "--no-progress"]
    saved, sys.argv = sys.argv, argv
    try:
        main()
        code = 0
    except SystemExit as exc:  # anything else is a traceback and fails the test
        code = int(exc.code or 0)
    finally:
        sys.argv = saved
    return code, ""


def test_every_corpus_bundle_has_an_expected_exit_code() -> None:
    assert sorted(EXIT_CODES) == BUNDLES


@pytest.mark.parametrize("name", BUNDLES)
def test_corpus_bundle_no_traceback_every_bad_row_reported_every_good_row_loaded(
    store: GraphStore, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(store, str(BAD / name))
    output = capsys.readouterr().out
    assert code == EXIT_CODES[name], output
    assert "Traceback" not in output
    store.write("clear_graph")
    report = ingest_bundle(store, BAD / name, progress=False)
    assert report.failed is (EXIT_CODES[name] == 1)
    rejected: dict[str, set[int]] = {}
    for p in report.errors:
        assert p.file and p.reason
        if p.rejects_row:
            rejected.setdefault(p.file, set()).add(p.row or 0)
    for counts in report.files:  # every row is loaded, rejected with a reason, or an exact repeat
        assert counts.rows_in == counts.accepted + counts.rejected + counts.duplicates, counts
        assert counts.skipped == 0
        assert counts.rejected == len(rejected.get(counts.file, set())), counts
    for r in report.record_types:
        assert r.read == r.loaded + r.skipped + r.duplicates + r.rejected, r
    loaded = {r.record_type: r.loaded for r in report.record_types}
    graph = store.counts()
    assert graph.get("Incident", 0) == loaded.get("incidents", 0)  # every good incident row is in the graph
    assert graph.get("INVOLVED_IN", 0) == loaded.get("involvements", 0)


def test_out_of_range_values_are_rejected_with_reasons_and_the_good_row_kept(store: GraphStore) -> None:
    report = ingest_bundle(store, BAD / "out_of_range", progress=False)
    reasons = {(p.row, p.column): p.reason for p in report.errors}
    assert set(reasons) == {(1, "ammunition_qty"), (2, "firearms_qty"), (3, "classification")}
    assert reasons[(1, "ammunition_qty")].startswith("is out of range for an integer")
    assert reasons[(2, "firearms_qty")] == "is a negative count"
    props = store.read("entity", uid="incident:out-of-range:R-4")["properties"].iloc[0]
    assert props["ammunition_qty"] == 9223372036854775807 and props["firearms_qty"] == 0


@pytest.mark.parametrize("mapping", MAPPINGS)
def test_a_malformed_mapping_is_one_line_naming_file_and_path_exit_3(
    store: GraphStore, mapping: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(store, str(BAD / "bad_mappings" / "bundle"), "--mapping", str(BAD / "bad_mappings" / mapping))
    output = capsys.readouterr().err.strip()  # errors go to stderr (docs/cli.md)
    assert code == 3 and "Traceback" not in output
    assert len(output.splitlines()) == 1
    assert re.match(rf"error: {re.escape(mapping)}: (files\[0\]|source|classification)", output), output
