"""The mapping language on real-world shapes: where filters, headerless files, comment lines, exploded list cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.mapping import parse_mapping
from armsgraph.ingest.pipeline import ingest_bundle
from armsgraph.ingest.report import IngestReport

SEIZURES = """id,date,country,kind,note
A,2021-01-01,France,seizure,
B,2021-01-02,France,test,x
C,2021-01-03,France,seizure,keep
D,2021-01-04,Spain,recovery,
"""


def _bundle(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _incidents(where: list[dict[str, Any]], record_where: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "incidents",
        "columns": {"incident_id": "id", "date": "date", "country": "country", "kind": "kind", "description": "note"},
    }
    if record_where is not None:
        record["where"] = record_where
    return {"name": "s", "source": "s", "files": [{"match": "*.csv", "where": where, "records": [record]}]}


def _loaded(store: GraphStore, prefix: str, ids: str) -> set[str]:
    return {i for i in ids if len(store.read("entity", uid=f"{prefix}{i}")) == 1}


def _counts(report: IngestReport, record_type: str) -> tuple[int, int, int, int, int]:
    [r] = [r for r in report.record_types if r.record_type == record_type]
    return r.read, r.loaded, r.skipped, r.duplicates, r.rejected


@pytest.mark.parametrize(
    ("condition", "kept"),
    [
        ({"column": "kind", "equals": "seizure"}, "AC"),
        ({"column": "kind", "in": ["seizure", "recovery"]}, "ACD"),
        ({"column": "kind", "not": "seizure"}, "BD"),
        ({"column": "kind", "not_in": ["seizure"]}, "BD"),
        ({"column": "note", "empty": True}, "AD"),
        ({"column": "note", "empty": False}, "BC"),
        ({"column": "Id", "regex": "[AB]"}, "AB"),  # column names as the file writes them, case ignored
        ({"column": "date", "regex": "2021-01"}, ""),  # the whole value must match
    ],
)
def test_where_filters_skip_rows_and_the_report_counts_them(
    store: GraphStore, tmp_path: Path, condition: dict[str, Any], kept: str
) -> None:
    bundle = _bundle(tmp_path, "seizures.csv", SEIZURES)
    report = ingest_bundle(store, bundle, parse_mapping(_incidents([condition])), progress=False)
    assert _loaded(store, "incident:s:", "ABCD") == set(kept)
    assert _counts(report, "incidents") == (4, len(kept), 4 - len(kept), 0, 0)
    assert report.errors == []
    assert report.failures == []  # a filter that keeps nothing did what it was asked


def test_file_and_record_filters_combine_and_skipped_rows_are_not_rejects(store: GraphStore, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, "seizures.csv", SEIZURES.replace("D,2021-01-04", "D,2021-13-04"))
    mapping = _incidents([{"column": "country", "equals": "France"}], [{"column": "kind", "not": "test"}])
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert _loaded(store, "incident:s:", "ABCD") == {"A", "C"}
    assert _counts(report, "incidents") == (4, 2, 2, 0, 0)  # D's bad date is never read: Spain is filtered out
    assert (report.rows_in, report.accepted, report.rejected, report.skipped, report.duplicates) == (4, 2, 0, 2, 0)


def test_a_headerless_csv_reads_its_first_line_as_a_row(store: GraphStore, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, "ties.csv", "a,b,3\nb,c,\n# a comment, not a tie\nc,a,1.5\n")
    mapping = {
        "name": "ties",
        "source": "t",
        "files": [
            {
                "match": "ties.csv",
                "header": ["from", "to", "weight"],
                "comment": "#",
                "records": [
                    {"type": "persons", "columns": {"person_record_id": "from", "name": "from"}},
                    {"type": "persons", "columns": {"person_record_id": "to", "name": "to"}},
                    {"type": "associations", "columns": {"from_id": "from", "to_id": "to", "weight": "weight"}},
                ],
            }
        ],
    }
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert report.errors == [] and report.failures == []
    assert not any("duplicate column" in w.reason for w in report.warnings)
    assert _counts(report, "associations") == (3, 3, 0, 0, 0)
    edges = store.read("export_edges", uids=["person:t:a", "person:t:b", "person:t:c"])
    ties = {(r.source[-1], r.target[-1], r.props.get("weight"), r.props["kind"]) for r in edges.itertuples()}
    assert ties == {("a", "b", 3.0, "association"), ("b", "c", None, "association"), ("c", "a", 1.5, "association")}


def test_json_lines_comment_lines_are_skipped_not_rejected(store: GraphStore, tmp_path: Path) -> None:
    text = (
        "# exported 2021-02-01\n"
        '{"id": "J-1", "date": "2021-01-01", "country": "FR"}\n'
        "  # another comment\n"
        '{"id": "J-2", "date": "2021-01-02", "country": "DE"}\n'
    )
    bundle = _bundle(tmp_path, "incidents.ndjson", text)
    mapping = {
        "name": "j",
        "source": "j",
        "files": [
            {
                "match": "*.ndjson",
                "comment": "#",
                "records": [
                    {"type": "incidents", "columns": {"incident_id": "id", "date": "date", "country": "country"}}
                ],
            }
        ],
    }
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert report.errors == [] and (report.rows_in, report.accepted) == (2, 2)
    without = ingest_bundle(
        store, bundle, parse_mapping({**mapping, "files": [{**mapping["files"][0], "comment": None}]})
    )
    assert {p.row for p in without.errors} == {1, 3}  # without `comment:` the same lines are bad JSON rows


GUN_VIOLENCE = """incident_id,date,n_killed,participant_age,participant_gender,participant_status,participant_type
461105,2013-01-01,0,0::25||1::31,0::Male||1::Female,0::Killed||1::Injured,0::Victim||1::Subject-Suspect
460726,2013-01-01,1,,0::Male,0::Unharmed||1::Arrested,1::Subject-Suspect||0::Victim
478855,2013-01-05,1,0::x::y,0::Male,0::Killed,0::Victim
"""
PARTICIPANTS = {
    "columns": ["participant_age", "participant_gender", "participant_status", "participant_type"],
    "separator": "||",
    "item": r"(?P<i>\d+)::(?P<value>[^:]*)",
}
GUN_MAPPING = {
    "name": "gva",
    "source": "gva",
    "files": [
        {
            "match": "*.csv",
            "records": [
                {
                    "type": "incidents",
                    "columns": {"incident_id": "incident_id", "date": "date", "country": {"constant": "USA"}},
                },
                {
                    "type": "persons",
                    "explode": PARTICIPANTS,
                    "columns": {
                        "person_record_id": {"template": "{incident_id}-{item_index}"},
                        "name": {"template": "participant {item_index} of {incident_id}"},
                        "gender": "participant_gender",
                    },
                },
                {
                    "type": "involvements",
                    "explode": PARTICIPANTS,
                    "where": [{"column": "participant_type", "empty": False}],
                    "columns": {
                        "incident_id": "incident_id",
                        "party_id": {"template": "{incident_id}-{item_index}"},
                        "role": "participant_type",
                        "status": "participant_status",
                        "age": "participant_age",
                    },
                },
            ],
        }
    ],
}


def test_parallel_list_cells_explode_into_one_row_per_item_joined_on_the_index(
    store: GraphStore, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path, "gva.csv", GUN_VIOLENCE)
    report = ingest_bundle(store, bundle, parse_mapping(yaml.safe_load(yaml.safe_dump(GUN_MAPPING))), progress=False)
    edges = store.read("export_edges", uids=["incident:gva:461105", "person:gva:461105-0", "person:gva:461105-1"])
    found = {(r.source, r.props["role"], r.props["status"], r.props["age"]) for r in edges.itertuples()}
    assert found == {
        ("person:gva:461105-0", "victim", "Killed", 25),
        ("person:gva:461105-1", "subject-suspect", "Injured", 31),
    }
    person = store.read("entity", uid="person:gva:461105-1")["properties"].iloc[0]
    assert person["gender"] == "Female"
    second = store.read("export_edges", uids=["incident:gva:460726", "person:gva:460726-0", "person:gva:460726-1"])
    roles = {(r.source[-1], r.props["role"], r.props["status"], r.props.get("age")) for r in second.itertuples()}
    assert roles == {("0", "victim", "Unharmed", None), ("1", "subject-suspect", "Arrested", None)}  # joined on i
    # the third row's age item does not fit the pattern: its persons and involvements are rejected, named
    bad = [p for p in report.errors if p.row == 3]
    assert {p.record_type for p in bad} == {"persons", "involvements"}
    assert all("'0::x::y' of column 'participant_age' does not match the item pattern" in p.reason for p in bad)
    assert _counts(report, "involvements") == (5, 4, 0, 0, 1)
    assert _counts(report, "persons") == (5, 4, 0, 0, 1)
    assert _counts(report, "incidents") == (3, 3, 0, 0, 0)


def test_a_json_lines_key_missing_from_the_first_row_only_is_no_missing_column(
    store: GraphStore, tmp_path: Path
) -> None:
    text = (
        '{"id": "J-1", "date": "2021-01-01"}\n'  # no country: this row is rejected, the file is not
        '{"id": "J-2", "date": "2021-01-02", "country": "DE", "extra": 1}\n'
    )
    bundle = _bundle(tmp_path, "incidents.jsonl", text)
    columns = {"incident_id": "id", "date": "date", "country": "country"}
    mapping = {"name": "j", "files": [{"match": "*.jsonl", "records": [{"type": "incidents", "columns": columns}]}]}
    report = ingest_bundle(store, bundle, parse_mapping(mapping), progress=False)
    assert report.failures == []
    assert [(p.row, p.column) for p in report.errors] == [(1, "country")]
    assert [p.column for p in report.warnings] == ["extra"]  # a key of the second row no one reads
    assert _counts(report, "incidents") == (2, 1, 0, 0, 1)
