"""Reports that say what was loaded, exit codes that say when nothing was, and values never silently changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.mapping import parse_mapping
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.ingest.report import IngestReport

INCIDENTS = "incident_id,date,country\nI-1,2021-01-01,France\nI-2,2021-01-02,France\n"


def _bundle(tmp_path: Path, files: dict[str, str], name: str = "bundle") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def _cli(store: GraphStore, *args: str) -> tuple[int, str]:
    from armsgraph.cli import app

    result = CliRunner().invoke(app, ["--data-dir", str(store.settings.data_dir), "ingest", *args, "--no-progress"])
    return result.exit_code, " ".join(result.output.split())  # rich wraps lines at the terminal's width


def _adds_up(report: IngestReport) -> None:
    for r in report.record_types:
        assert r.read == r.loaded + r.skipped + r.duplicates + r.rejected, r
        assert min(r.read, r.loaded, r.skipped, r.duplicates, r.rejected) >= 0, r


def test_a_bundle_whose_rows_are_all_rejected_exits_1_and_says_nothing_was_loaded(
    store: GraphStore, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path, {"incidents.csv": INCIDENTS.replace("2021-01-0", "2021-13-0")})
    code, output = _cli(store, str(bundle))
    assert code == 1, output
    assert "nothing was loaded" in output and "already" not in output
    assert "failed: incidents.csv: loaded nothing (2 rows read, 2 rejected)" in output
    report = ingest_bundle(store, bundle, progress=False)
    assert [(r.record_type, r.read, r.loaded, r.rejected) for r in report.record_types] == [("incidents", 2, 0, 2)]


def test_loading_the_same_bundle_twice_exits_0_and_says_it_was_already_there(store: GraphStore, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {"incidents.csv": INCIDENTS})
    assert _cli(store, str(bundle))[0] == 0
    code, output = _cli(store, str(bundle))
    assert code == 0 and "every loaded record was already in the graph" in output


def test_a_required_column_missing_exits_1_and_a_misnamed_column_is_named(store: GraphStore, tmp_path: Path) -> None:
    files = {
        "incidents.csv": INCIDENTS,
        "firearms.csv": "firearm_record_id,incident_id,serial_no\nF-1,I-1,AB12\n",
    }
    bundle = _bundle(tmp_path, files)
    report = ingest_bundle(store, bundle, progress=False)
    assert report.failed
    assert "firearms.csv: required column 'type' of firearms is missing from the file" in report.failures
    assert any(w.column == "serial_no" and "unknown column 'serial_no' ignored" in w.reason for w in report.warnings)
    code, output = _cli(store, str(bundle))
    assert code == 1 and "required column 'type'" in output


def test_a_mapping_reading_a_misspelt_column_fails_and_suggests_the_real_one(store: GraphStore, tmp_path: Path) -> None:
    bundle = _bundle(
        tmp_path, {"guns.csv": "ref,incident,serial_no,kind\nF-1,I-1,AB12,pistol\n", **{"i.csv": INCIDENTS}}
    )
    mapping = {
        "name": "m",
        "source": "m",
        "files": [
            {"match": "i.csv", "records": [{"type": "incidents", "columns": {
                "incident_id": "incident_id", "date": "date", "country": "country"}}]},
            {"match": "guns.csv", "records": [{"type": "firearms", "columns": {
                "firearm_record_id": "ref", "incident_id": "incident", "type": "kinds", "serial": "serial"}}]},
        ],
    }  # fmt: skip
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    reasons = {p.column: (p.severity, p.reason) for p in report.problems if p.file == "guns.csv" and p.row is None}
    assert reasons["kinds"] == (
        "error",
        "mapping reads column 'kinds' for required firearms.type, which the file does not have (did you mean 'kind'?)",
    )
    assert reasons["serial"][0] == "warning" and "(did you mean 'serial_no'?)" in reasons["serial"][1]
    assert reasons["serial_no"] == ("warning", "column 'serial_no' is not used by the mapping")
    assert reasons["kind"] == ("warning", "column 'kind' is not used by the mapping")
    assert report.failed and store.counts().get("Firearm") is None
    _adds_up(report)


def test_every_sheet_not_read_is_warned_about(store: GraphStore, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Incident"
    first.append(["incident_id", "date", "country"])
    first.append(["X-1", "2021-01-01", "France"])
    book.create_sheet("Notes").append(["written by", "me"])
    incidents = book.create_sheet("incidents")
    incidents.append(["incident_id", "date", "country"])
    incidents.append(["X-2", "2021-01-02", "France"])
    bundle = tmp_path / "xl"
    bundle.mkdir()
    book.save(bundle / "seizures.xlsx")
    report = ingest_bundle(store, bundle, progress=False)
    warned = {p.file: p.reason for p in report.warnings if "sheet" in p.reason}
    assert "is not named after a record type (did you mean 'incidents'?); not used" in warned["seizures.xlsx#Incident"]
    assert warned["seizures.xlsx#Notes"].startswith("sheet 'Notes' is not named after a record type; not used")
    assert "seizures.xlsx#incidents" not in warned
    assert store.counts().get("Incident") == 1


def test_report_totals_add_up_with_duplicates_rejects_and_filters(store: GraphStore, tmp_path: Path) -> None:
    text = INCIDENTS + "I-1,2021-01-01,France\nI-3,someday,France\nI-4,2021-01-04,Atlantis\nI-5,2021-01-05,Spain\n"
    bundle = _bundle(tmp_path, {"incidents.csv": text})
    columns = {"incident_id": "incident_id", "date": "date", "country": "country"}
    spain = [{"column": "country", "not": "Spain"}]
    mapping = {
        "name": "t",
        "files": [{"match": "*.csv", "where": spain, "records": [{"type": "incidents", "columns": columns}]}],
    }
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    [r] = report.record_types
    assert (r.read, r.loaded, r.skipped, r.duplicates, r.rejected) == (6, 2, 1, 1, 2)
    assert store.counts().get("Incident") == 2 and not report.failed


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("ammunition_qty", "99999999999999999999999", "is out of range for an integer"),
        ("ammunition_qty", "9223372036854775808", "is out of range for an integer"),
        ("ammunition_qty", "1e999999999", "is out of range for an integer"),
        ("firearms_qty", "-5", "is a negative count"),
        ("parts_qty", "2.5", "is not a valid integer"),
        ("lat", "inf", "is not a finite number"),
        ("classification", "ultra", "must be one of public, restricted, confidential, secret"),
    ],
)
def test_values_are_rejected_with_a_reason_never_changed(
    store: GraphStore, tmp_path: Path, column: str, value: str, reason: str
) -> None:
    text = f"incident_id,date,country,{column}\nV-1,2021-01-01,France,{value}\nV-2,2021-01-02,France,7\n"
    if column == "classification":
        text = text.replace(",7\n", ",public\n")
    report = ingest_bundle(store, _bundle(tmp_path, {"incidents.csv": text}), progress=False)
    assert [(p.row, p.column, p.value) for p in report.errors] == [(1, column, value)]
    assert reason in report.errors[0].reason
    assert len(store.read("entity", uid="incident:bundle:V-1")) == 0
    kept = store.read("entity", uid="incident:bundle:V-2")["properties"].iloc[0]
    assert kept[column] == {"lat": 7.0, "classification": "public"}.get(column, 7)


def test_the_largest_integers_a_store_holds_are_kept_exactly(store: GraphStore, tmp_path: Path) -> None:
    text = "incident_id,date,country,ammunition_qty,parts_qty\nV-1,2021-01-01,France,9223372036854775807,"
    text += "12345678901234567\n"
    ingest_bundle(store, _bundle(tmp_path, {"incidents.csv": text}), progress=False)
    props = store.read("entity", uid="incident:bundle:V-1")["properties"].iloc[0]
    assert (props["ammunition_qty"], props["parts_qty"]) == (9223372036854775807, 12345678901234567)


def test_an_id_too_long_for_a_graph_key_is_a_row_error_not_a_lost_connection(store: GraphStore, tmp_path: Path) -> None:
    long_id, limit_id = "P" * 4_500, "Q" * 1_000  # FalkorDB dropped the connection on a 4,500-character uid
    text = f"person_record_id,name\n{long_id},Ana\n{limit_id},Juan\n"
    report = ingest_bundle(store, _bundle(tmp_path, {"persons.csv": text}), progress=False)
    [error] = report.errors
    assert (error.row, error.column) == (1, "person_record_id")
    assert error.reason == "is longer than the 1,000 characters a key value may have"
    assert store.counts().get("Person") == 1 and len(store.read("entity", uid=f"person:bundle:{limit_id}")) == 1


def test_a_mapping_sheet_the_workbook_lacks_fails_and_the_sheets_it_skips_are_warned(
    store: GraphStore, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Seizures"
    first.append(["ref", "day", "land"])
    first.append(["S-1", "2021-01-01", "France"])
    book.create_sheet("Notes").append(["a note"])
    bundle = tmp_path / "xl"
    bundle.mkdir()
    book.save(bundle / "book.xlsx")
    columns = {"incident_id": "ref", "date": "day", "country": "land"}
    mapping = {"name": "x", "files": [{"match": "*.xlsx", "sheet": "Seizures", "records": [
        {"type": "incidents", "columns": columns}]}]}  # fmt: skip
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert not report.failed and store.counts().get("Incident") == 1
    assert [p.reason for p in report.warnings if p.file == "book.xlsx#Notes"] == [
        "sheet 'Notes' not used (the mapping reads 'Seizures')"
    ]
    store.write("clear_graph")
    mapping["files"][0]["sheet"] = "Seizure"  # type: ignore[index]
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert "book.xlsx: the mapping reads sheet 'Seizure'; the workbook has 'Seizures', 'Notes'" in report.failures
