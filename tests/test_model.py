"""The graph model as data: the packaged YAML is consistent; broken YAML fails naming file and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from armsgraph.errors import ModelViolationError, SchemaError
from armsgraph.graph.model import MODEL_DIR, PROVENANCE, default_model, load_model

DESIGN_LABELS = {
    "Firearm", "Incident", "Person", "Organisation", "Place", "Route", "Case",
    "TraceRequest", "Transfer", "BallisticEvidence", "Identifier",
}  # fmt: skip
DESIGN_TYPES = {
    "SEIZED", "INVOLVED_IN", "MEMBER_OF", "AT", "ALONG", "LEG", "CONCERNS", "CHARGES", "FOR",
    "HISTORY", "FROM", "TO", "RECOVERED_AT", "HIT", "USES", "IN",
}  # fmt: skip


def test_model_covers_design() -> None:
    model = default_model()
    assert set(model.nodes) >= DESIGN_LABELS
    assert set(model.relationships) >= DESIGN_TYPES
    assert model.relationship("SEIZED").sources == ("Incident",)
    assert model.relationship("SEIZED").targets == ("Firearm",)
    assert model.relationship("LEG").key == ("order",)


def test_provenance_on_every_node_and_edge() -> None:
    model = default_model()
    for owner in [*model.nodes.values(), *model.relationships.values()]:
        assert set(PROVENANCE) <= set(owner.properties), owner


def test_endpoints_are_enforced() -> None:
    model = default_model()
    model.check_endpoints("SEIZED", "Incident", "Firearm")
    with pytest.raises(ModelViolationError, match="SEIZED may go from"):
        model.check_endpoints("SEIZED", "Person", "Firearm")
    with pytest.raises(ModelViolationError, match="unknown node label"):
        model.node("Firearm) DETACH DELETE (n")


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("nodes/firearm.yaml", "calibre: {type: string}", "calibre: {type: strnig}",
         r"nodes/firearm.yaml: properties.calibre.type: 'strnig' is not one of"),
        ("nodes/firearm.yaml", "key: uid", "key: serial_no",
         r"nodes/firearm.yaml: key: 'serial_no' is not one of the declared properties"),
        ("nodes/person.yaml", "label: Person", "label: person-x",
         r"nodes/person.yaml: label: 'person-x' is not a CamelCase label"),
        ("relationships/seized.yaml", "to: [Firearm]", "to: [Gun]",
         r"relationships/seized.yaml: to: 'Gun' is not a node label of the model"),
        ("relationships/leg.yaml", "key: [order]", "key: [sequence]",
         r"relationships/leg.yaml: key: 'sequence' is not one of the declared properties"),
        ("nodes/incident.yaml", "  agency: {type: string}", "  agency: {type: string, indexed: true}",
         r"nodes/incident.yaml: properties.agency.indexed: unknown field"),
        ("nodes/case.yaml", "  title: {type: string}", "  title: {type: string\n",
         r"nodes/case.yaml: not valid YAML"),
    ],
)  # fmt: skip
def test_broken_schema_names_file_and_field(model_copy: Path, file: str, old: str, new: str, message: str) -> None:
    _edit(model_copy / file, old, new)
    with pytest.raises(SchemaError, match=message):
        load_model(model_copy)


def test_duplicate_label_is_refused(model_copy: Path) -> None:
    shutil.copy(model_copy / "nodes/firearm.yaml", model_copy / "nodes/firearm_again.yaml")
    with pytest.raises(SchemaError, match=r"nodes/firearm_again.yaml: label: Firearm is already defined"):
        load_model(model_copy)


def test_broken_schema_fails_cli_at_startup(model_copy: Path, tmp_path: Path) -> None:
    """The CLI refuses to start on a broken model, naming file and field (exit code 3)."""
    import os
    import subprocess
    import sys

    _edit(model_copy / "nodes/firearm.yaml", "year: {type: integer}", "year: {type: number}")
    env = {**os.environ, "ARMSGRAPH_MODEL_DIR": str(model_copy)}
    result = subprocess.run(
        [sys.executable, "-m", "armsgraph", "--data-dir", str(tmp_path / "d"), "info"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 3  # a data error (docs/cli.md)
    assert "nodes/firearm.yaml: properties.year.type: 'number'" in result.stderr.replace("\n", "")


def test_check_rows_takes_numpy_scalars_as_their_python_equivalents() -> None:
    """What analyses hand over (NumPy scalars) passes; a number of the wrong kind does not, whatever its class."""
    model = default_model()
    cluster = model.node("Cluster").properties
    model.check_rows("Cluster", cluster, [{"uid": "c:1", "size": np.int64(3), "score": np.float64(0.5)}])
    model.check_rows("Cluster", cluster, [{"uid": "c:1", "size": np.int32(3), "score": np.float32(0.5)}])
    model.check_rows("Cluster", cluster, [{"uid": "c:1", "size": 3, "score": np.int64(2)}])  # a float may be whole
    linked = model.relationship("LINKED").properties
    model.check_rows(
        "LINKED", linked, [{"from": "a", "to": "b", "levels": [np.int64(1), 2], "weights": (0.5,)}], ends=("from", "to")
    )
    for row, message in [
        ({"size": np.float64(3.0)}, "Cluster.size is typed integer in the graph model, not float64 np.float64(3.0)"),
        ({"size": np.bool_(True)}, "Cluster.size is typed integer in the graph model, not bool np.True_"),
        ({"score": np.bool_(False)}, "Cluster.score is typed float in the graph model, not bool np.False_"),
        ({"size": "3"}, "Cluster.size is typed integer in the graph model, not str '3'"),
    ]:
        with pytest.raises(ModelViolationError) as caught:
            model.check_rows("Cluster", cluster, [{"uid": "c:1"}, {"uid": "c:2", **row}])
        assert str(caught.value) == message
    with pytest.raises(ModelViolationError, match=r"^LINKED has no properties \['colour'\] in the graph model$"):
        model.check_rows("LINKED", linked, [{"from": "a", "to": "b", "colour": "red"}], ends=("from", "to"))
    with pytest.raises(ModelViolationError, match=r"^LINKED has no properties \['from', 'to'\]"):
        model.check_rows("LINKED", linked, [{"from": "a", "to": "b"}])  # endpoints are columns only when named so


def test_a_named_write_that_sets_properties_says_on_which_label_with_the_row_columns_as_names() -> None:
    """``// sets: Label``: the store checks such a write's $rows as an upsert's, so each ``x.prop = row.col`` must
    use the property's own name as the column, and the label must be the model's."""
    from armsgraph.graph import queries

    model, setting = default_model(), []
    for path in sorted((Path(queries.__file__).parents[1] / "cypher").glob("*.cypher")):
        label = queries.header(path.stem).get("sets")
        if label is None:
            continue
        setting.append(path.stem)
        pairs = re.findall(r"\b\w+\.(\w+)\s*=\s*row\.(\w+)", path.read_text(encoding="utf-8"))
        assert pairs and all(prop == column for prop, column in pairs), path.name
        assert {prop for prop, _ in pairs} <= set(model.node(label).properties), path.name
    assert {"analytics_set_person_scores", "analytics_hotspots_set", "analytics_diversion_set"} <= set(setting)
