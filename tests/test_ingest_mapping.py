"""Column mappings: renames, constants, templates, value maps, splits, date formats, one table -> several types."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from armsgraph.errors import MappingError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.mapping import load_mapping, parse_mapping, shipped_mappings
from armsgraph.ingest.pipeline import ingest_bundle

FOREIGN = """Ref;Seized on;Land;Guns;Serials;Maker;Agency code;Via
A/1;03/04/2021;Deutschland;pistol|revolver;AB12|CD34;Glock GmbH;BKA;Serbia|Austria
A/2;12/31/2021;Frankreich;rifle;;;XX;
"""

MAPPING = {
    "name": "foreign-seizures",
    "source": "foreign",
    "classification": "confidential",
    "files": [{
        "match": "seizures*.csv",
        "records": [
            {"type": "incidents", "columns": {
                "incident_id": "Ref",
                "date": {"column": "Seized on", "date_format": "%m/%d/%Y"},
                "country": {"column": "Land", "value_map": {"Deutschland": "DEU", "Frankreich": "FRA"}},
                "agency": {"column": "Agency code", "value_map": {"BKA": "Bundeskriminalamt"}, "default": "unknown"},
                "kind": {"constant": "seizure"},
                "transit_countries": {"column": "Via", "split": "|"},
                "destination_country": {"column": "Land", "value_map": {"Deutschland": "DEU", "Frankreich": "FRA"}},
            }},
            {"type": "firearms", "columns": {
                "firearm_record_id": {"template": "{Ref}-1"},
                "incident_id": "Ref",
                "serial": "Serials",
                "make": "Maker",
                "type": {"column": "Guns", "value_map": {"pistol|revolver": "handgun"}},
            }},
        ],
    }],
}  # fmt: skip


def test_one_foreign_table_maps_onto_two_record_types(store: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "foreign"
    bundle.mkdir()
    (bundle / "seizures-2021.csv").write_text(FOREIGN, encoding="utf-8")
    (bundle / "README.txt").write_text("not data", encoding="utf-8")
    mapping_file = tmp_path / "foreign.yaml"
    mapping_file.write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    report = ingest_bundle(store, bundle, mapping=mapping_file, progress=False)
    first = store.read("entity", uid="incident:foreign:A/1")["properties"].iloc[0]
    assert (first["date"], first["country"], first["agency"], first["kind"]) == (
        "2021-03-04",
        "DEU",
        "Bundeskriminalamt",
        "seizure",
    )
    assert first["classification"] == "confidential"
    second = store.read("entity", uid="incident:foreign:A/2")["properties"].iloc[0]
    assert (second["date"], second["country"], second["agency"]) == ("2021-12-31", "FRA", "XX")
    firearm = store.read("search_entities", text="AB12", limit=5)
    assert list(firearm["uid"]) == ["firearm:AB12CD34:glock:handgun"]
    assert report.accepted == 2 and report.rejected == 0
    legs = store.read("ingest_route_legs", uid="route:any:SRB>AUT>DEU")
    assert list(legs["role"]) == ["transit", "transit", "destination"]
    assert any(w.file == "README.txt" and "not a record file" in w.reason for w in report.warnings)


def test_declared_date_format_failure_names_the_column(store: GraphStore, tmp_path: Path) -> None:
    bundle = tmp_path / "bad"
    bundle.mkdir()
    (bundle / "seizures.csv").write_text(FOREIGN.replace("12/31/2021", "31/12/2021"), encoding="utf-8")
    report = ingest_bundle(store, bundle, mapping=parse_mapping(MAPPING), progress=False)
    assert {(p.file, p.row, p.record_type, p.column) for p in report.errors} == {
        ("seizures.csv", 2, "incidents", "date"),
        ("seizures.csv", 2, "firearms", "incident_id"),  # its incident was rejected, so the firearm is too
    }


def _file(**changes: object) -> dict:
    """MAPPING's first file map with some keys changed."""
    return {"files": [{**MAPPING["files"][0], **changes}]}  # type: ignore[index]


def _incidents(**columns: object) -> dict:
    """A mapping whose one record type is incidents with the required columns plus ``columns``."""
    base = {"incident_id": "Ref", "date": "Seized on", "country": "Land"}
    return {"files": [{"match": "x", "records": [{"type": "incidents", "columns": {**base, **columns}}]}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"files": []}, "mapping: files: 'files' must list at least one file map"),
        ({"files": [{"match": "x", "records": [{"type": "weapons"}]}]}, "'weapons' is not one of incidents, firearms"),
        ({"files": [{"match": "x", "records": [{"type": "incident", "columns": {}}]}]}, "did you mean 'incidents'"),
        (_incidents(colour="c"), "no column 'colour' \\(did you mean 'country'\\?\\); allowed: incident_id"),
        (_incidents(date={"column": "a", "constant": 1}), "give exactly one of column, constant, template"),
        (
            _incidents(date={"column": "a", "format": "%Y"}),
            r"files\[0\]\.records\[0\]\.columns\.date: unknown key 'format' \(did you mean 'date_format'\?\); "
            "allowed: column, constant, template",
        ),
        # the five that ended in tracebacks
        (_file(records=[{"type": "incidents", "columns": ["Ref", "Land"]}]), r"records\[0\]\.columns: .*dictionary"),
        (_incidents(date={"column": "a", "date_format": 123}), r"columns\.date\.date_format: .*string \(got 123\)"),
        (
            {
                "files": [
                    {
                        "match": "x",
                        "records": [
                            {
                                "type": "cases",
                                "columns": {
                                    "case_id": "a",
                                    "jurisdiction": "b",
                                    "offences": {"column": "c", "split": 5},
                                },
                            }
                        ],
                    }
                ]
            },
            r"columns\.offences\.split: .*string \(got 5\)",
        ),
        (_file(json="nodes"), r"files\[0\]\.json: .*(dictionary|JsonModel)"),
        ({"source": ["a", "b"]}, r"mapping: source: .*string \(got \['a', 'b'\]\)"),
        # typos and values no longer pass silently
        (_file(records=[{"type": "incidents", "colums": {}}]), "unknown key 'colums' \\(did you mean 'columns'\\?\\)"),
        ({"clasification": "public"}, "top level: unknown key 'clasification' \\(did you mean 'classification'\\?\\)"),
        ({"classification": "ultra"}, "classification: Input should be 'public', 'restricted', 'confidential' or"),
        (_incidents(agency={"column": "a", "split": "||"}), "agency holds one value, not a list"),
        (_incidents(agency={"column": "a", "date_format": "%Y"}), "agency is not a date column"),
        (
            {"files": [{"match": "x", "records": [{"type": "incidents", "columns": {"incident_id": "a"}}]}]},
            "incidents needs 'date', 'country' \\(required\\)",
        ),
        (_file(where=[{"column": "a", "equals": 1, "regex": "x"}]), "give exactly one test of equals, in, not"),
        (_file(where=[{"column": "a", "regex": "("}]), "regex '\\(' does not compile"),
        (_file(where=[{"column": "a", "like": "x"}]), "unknown key 'like'; allowed: column, equals, in, not, not_in"),
        (_file(header="a,b"), r"files\[0\]\.header: .*list"),
        ({"files": [{"records": []}]}, r"files\[0\]: missing key 'match'"),
        (
            {
                "files": [
                    {
                        "match": "x",
                        "records": [
                            {
                                **MAPPING["files"][0]["records"][0],  # type: ignore[index]
                                "explode": {"columns": ["a"], "item": "(?P<x>.*)"},
                            }
                        ],
                    }
                ]
            },
            "the pattern needs a group \\(\\?P<value>",
        ),
    ],
)
def test_malformed_mappings_are_one_line_errors_naming_the_place(change: dict, message: str) -> None:
    with pytest.raises(MappingError, match=message) as caught:
        parse_mapping({**MAPPING, **change})
    assert "\n" not in str(caught.value) and str(caught.value).startswith("mapping: ")


def test_a_malformed_mapping_file_is_named_in_its_error(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: x\nfiles:\n  - match: a.csv\n    records:\n      - type: incidents\n        colums: {}\n")
    with pytest.raises(MappingError, match=r"^mine\.yaml: files\[0\]\.records\[0\]: unknown key 'colums'"):
        load_mapping(path)
    path.write_text("files: [\n")
    with pytest.raises(MappingError, match=r"^mine\.yaml: not valid YAML: .*"):
        load_mapping(path)


def test_shipped_mappings_parse() -> None:
    names = {p.stem for p in shipped_mappings()}
    assert {"atf_source_recovery", "roxanne_burglary"} <= names
    for name in names:
        assert load_mapping(name).files
