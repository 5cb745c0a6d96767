"""The record schema as data (armsgraph/graph/model/records.yaml): what the ingest, the generator and the
docs read from it, the mistakes it refuses (naming file and field), and the model's property types
enforced on every graph row before it reaches the store."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from armsgraph.errors import ModelViolationError, SchemaError
from armsgraph.graph.model import MODEL_DIR, default_model, load_model
from armsgraph.ingest.build import FIREARM_PROPS, Builder
from armsgraph.ingest.records import ORDER, RECORD_TYPES, RESOLVED
from armsgraph.ingest.references import References
from armsgraph.ingest.resolve import Resolution
from armsgraph.ingest.validate import Record, validate_row
from armsgraph.scenario.bundle import COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def _documented() -> dict[str, dict[str, bool]]:
    """docs/formats.md's column tables: record type -> column -> required (``*``)."""
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    tables: dict[str, dict[str, bool]] = {}
    for found in re.finditer(r"^## (\w+)[^\n]*\n\| column \|[^\n]*\n\|---[^\n]*\n((?:\|[^\n]*\n)+)", text, re.M):
        columns = tables.setdefault(found.group(1), {})
        for line in found.group(2).splitlines():
            for name in line.strip("|").split("|")[0].split(","):
                columns[name.strip().rstrip("*")] = name.strip().endswith("*")
    return tables


def test_docs_list_every_column_of_every_record_type_as_the_schema_declares_it() -> None:
    documented = _documented()
    assert list(documented) == list(RECORD_TYPES)  # every record type, in processing order
    for name, spec in RECORD_TYPES.items():
        declared = {c.name: c.required for c in spec.columns.values() if c.name != "classification"}
        assert documented[name] == declared, name


def test_the_schema_declares_order_ids_references_keys_and_resolution() -> None:
    assert ORDER[:4] == ("incidents", "firearms", "persons", "organisations")  # parties before their links
    assert RESOLVED == ("firearms", "persons", "organisations")
    assert RECORD_TYPES["involvements"].id_column is None and RECORD_TYPES["traces"].id_column == "trace_id"
    assert RECORD_TYPES["identifiers"].columns["owner_id"].references == ("persons", "organisations", "incidents")
    assert RECORD_TYPES["firearms"].columns["serial"].key and RECORD_TYPES["firearms"].columns["incident_id"].key
    assert not RECORD_TYPES["firearms"].columns["model"].key
    assert FIREARM_PROPS[:3] == ("serial", "serial_normalised", "make")
    assert (RECORD_TYPES["involvements"].relationship, RECORD_TYPES["cases"].label) == ("INVOLVED_IN", "Case")


def test_the_generator_writes_the_schema_columns_it_is_given(tmp_path: Path) -> None:
    assert "associations" not in COLUMNS  # scenario: false
    assert "classification" not in COLUMNS["incidents"] and "killed" not in COLUMNS["incidents"]
    for name, columns in COLUMNS.items():
        schema = [c for c in RECORD_TYPES[name].columns if c in columns]
        assert list(columns) == schema, name  # a subset, in the schema's order


def test_a_key_column_declared_in_the_schema_is_held_to_the_key_limit() -> None:
    spec = RECORD_TYPES["firearms"]
    row = {"firearm_record_id": "F1", "incident_id": "I1", "type": "pistol"}
    _, errors = validate_row(spec, "firearms.csv", 1, {**row, "serial": "x" * 1001}, 100_000)
    assert [(e.column, e.reason) for e in errors] == [
        ("serial", "is longer than the 1,000 characters a key value may have")
    ]
    _, errors = validate_row(spec, "firearms.csv", 1, {**row, "model": "x" * 1001}, 100_000)
    assert errors == []  # model is no key


def test_references_name_their_targets_from_the_schema() -> None:
    checks = References({"I1"}, set(), {"P1"}, {"O1"})
    problems: list = []
    record = Record("identifiers", "identifiers.csv", 4, {"owner_id": "nobody", "kind": "phone", "value": "1"})
    assert not checks.check(record, problems)
    assert [p.reason for p in problems] == ["names no person, organisation or incident in the bundle"]
    case = Record("cases", "cases.csv", 2, {"case_id": "C1", "incident_ids": ["I1", "I9"], "defendant_ids": ["O1"]})
    assert checks.check(case, problems)
    assert case.values["incident_ids"] == ["I1"] and problems[-1].severity == "link"
    assert problems[-1].reason == "names no incident in the bundle; this link is dropped"


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("killed: {kind: integer,", "killed: {kind: number,",
         r"records.yaml: incidents.columns.killed.kind: 'number' is not one of"),
        ("killed: {kind: integer,", "killed: {kind: date,",
         r"records.yaml: incidents.columns.killed.kind: a date column cannot fill Incident.killed, typed integer"),
        ("graph: {label: Case,", "graph: {label: Lawsuit,",
         r"records.yaml: cases.graph.label: 'Lawsuit' is not a node label of the model"),
        ("properties: [kind, calibre, hit_group]", "properties: [kind, calibre, hit_group, bullet_weight]",
         r"records.yaml: ballistics.graph.properties: 'bullet_weight' is not a column of ballistics"),
        ("references: [incidents], description: \"where it was recovered\"",
         "references: [incident], description: \"where it was recovered\"",
         r"records.yaml: ballistics.columns.incident_id.references: 'incident' is not a record type with an id"),
        ("  id: trace_id", "  id: trace_number", r"records.yaml: traces.id: 'trace_number' is not a required column"),
        ("    hit_group: {", "    hit_group: {indexed: true, ",
         r"records.yaml: ballistics.columns.hit_group.indexed: unknown field"),
    ],
)  # fmt: skip
def test_a_broken_record_schema_names_file_and_field(model_copy: Path, old: str, new: str, message: str) -> None:
    path = model_copy / "records.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_model(model_copy)


def test_model_property_types_refuse_a_wrong_value_with_a_clear_message() -> None:
    model = default_model()
    incident = model.node("Incident").properties
    model.check_values("Incident", incident, {"uid": "incident:s:1", "killed": 3, "lat": 4, "weapon_types": ["a"]})
    for name, value, shown in [
        ("killed", "three", "str 'three'"),
        ("killed", True, "bool True"),
        ("lat", "45.1", "str '45.1'"),
        ("weapon_types", "Firearms", "str 'Firearms'"),
        ("weapon_types", [["nested"]], "list [['nested']]"),
    ]:
        with pytest.raises(ModelViolationError) as caught:
            model.check_values("Incident", incident, {"uid": "incident:s:1", name: value})
        kind = incident[name].type
        assert str(caught.value) == f"Incident.{name} is typed {kind} in the graph model, not {shown}"


def test_a_wrong_typed_property_is_refused_while_the_graph_rows_are_built() -> None:
    """Before any row reaches a store: the builder checks every row it makes against the model."""
    builder = Builder("src", "batch", "restricted", Resolution())
    record = Record("incidents", "incidents.csv", 3, {"incident_id": "I1", "date": "2021", "killed": "3"})
    with pytest.raises(ModelViolationError, match=r"^Incident.killed is typed integer in the graph model, not str '3'"):
        builder.incident(record)
    assert builder.out.nodes["Incident"] == []  # nothing kept
    builder.rel("INVOLVED_IN", "Person", "person:1", "Incident", "incident:src:I1", record, role="x", age=40)
    with pytest.raises(ModelViolationError, match=r"^INVOLVED_IN.age is typed integer in the graph model, not float"):
        builder.rel("INVOLVED_IN", "Person", "person:1", "Incident", "incident:src:I1", record, role="x", age=40.5)
    assert len(builder.out.relationships[("INVOLVED_IN", "Person", "Incident")]) == 1


def test_a_broken_record_schema_stops_the_cli_at_startup_with_one_line(model_copy: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = model_copy / "records.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("killed: {kind: integer,", "killed: {kind: number,"))
    env = {**os.environ, "ARMSGRAPH_MODEL_DIR": str(model_copy)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "armsgraph",
            "--data-dir",
            str(tmp_path / "d"),
            "ingest",
            str(ROOT / "docs/examples/bundle"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    said = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in said
    assert "records.yaml: incidents.columns.killed.kind: 'number' is not one of" in said.replace("\n", "")
    assert not (tmp_path / "d" / "reports").exists()  # nothing was ingested
