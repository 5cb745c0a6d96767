"""Neo4j's own Cypher front end checks every statement armsgraph can send to Neo4j.

``lintCypherQuery`` from ``@neo4j-cypher/language-support`` (the engine behind Neo4j's editors)
runs Neo4j's parser and semantic analysis with the Cypher 5 function and procedure catalogue
(built-ins, APOC, GDS) and the model's labels, relationship types and property keys: unknown
functions or procedures, undefined variables, missing parameters, syntax errors and names absent
from the model are diagnostics, and one diagnostic fails the test with the statement's name.
Node.js and npm must be present; ``npm ci`` installs the pinned package when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from armsgraph.graph import queries
from armsgraph.graph.model import MODEL_DIR, default_model
from tests.neo4j_lint import (
    Neo4jStatement,
    all_statements,
    format_diagnostics,
    is_template,
    lint,
    lint_vocabulary,
    neo4j_files,
    pinned_version,
)

#: Statements Neo4j 5 would refuse (or that name nothing in the model), and the diagnostic each must get.
PROBES = {
    "unknown_procedure": (
        "MATCH (a:Person) CALL algo.SPpaths({sourceNode: a, relDirection: 'both'}) YIELD path RETURN path",
        "Procedure algo.SPpaths is not present in the database",
    ),
    "unknown_function": ("MATCH (a:Person) RETURN algo.SPpaths(a)", "Function algo.SPpaths is not present"),
    "undefined_variable": ("MATCH (a:Person) RETURN b.uid", "Variable `b` not defined"),
    "undeclared_parameter": ("MATCH (a:Person {uid: $uid}) RETURN a.uid", "Parameter $uid is not defined"),
    "label_not_in_model": ("MATCH (a:Persn) RETURN a.uid", "Label Persn is not present in the database"),
    "property_not_in_model": ("MATCH (a:Person) RETURN a.nmae", "nmae is not present in the database"),
    "syntax": ("MATCH (a:Person) RETURN a.uid ORDER BY a.uid LIMT 3", "Invalid input 'LIMT'"),
    "implicit_grouping": (
        "MATCH (a:Person)-[:MEMBER_OF]->(o) RETURN a.uid, [a.name] + collect(o.name) AS names",
        "Aggregation column contains implicit grouping expressions",
    ),
}


#: A ``row.from`` is a known key when the statement's ``$rows`` carry it, and only then.
_ROWS_TEXT = "UNWIND $rows AS row MATCH (a:Person {uid: row.from}) RETURN a.uid"
MAP_KEY_PROBES = [
    Neo4jStatement("probe:with_rows", _ROWS_TEXT, {"rows": [{"from": "p1"}]}),
    Neo4jStatement("probe:without_rows", _ROWS_TEXT, {"rows": None}),
]


@pytest.fixture(scope="module")
def statements() -> list[Neo4jStatement]:
    return all_statements(default_model())


@pytest.fixture(scope="module")
def report(statements: list[Neo4jStatement]) -> dict[str, Any]:
    """The language service's report on every statement and every probe, from one node process."""
    probes = [Neo4jStatement(f"probe:{name}", text) for name, (text, _) in PROBES.items()] + MAP_KEY_PROBES
    return lint(statements + probes, lint_vocabulary(default_model()))


@pytest.fixture(scope="module")
def probes(report: dict[str, Any]) -> dict[str, list[str]]:
    results = [r for r in report["results"] if r["name"].startswith("probe:")]
    return {r["name"]: [d["message"] for d in r["diagnostics"]] for r in results}


def _labels(value: str | list[str]) -> list[str]:
    """A relationship end as the model reads it: one label or a list of labels."""
    return [value] if isinstance(value, str) else value


def _yaml(folder: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text()) for p in sorted((MODEL_DIR / folder).glob("*.yaml"))]


def test_every_neo4j_statement_passes_neo4j_language_service(
    statements: list[Neo4jStatement], report: dict[str, Any]
) -> None:
    by_name = {s.name: s for s in statements}
    results = [r for r in report["results"] if not r["name"].startswith("probe:")]
    assert [r["name"] for r in results] == list(by_name)
    failing = [format_diagnostics(r, by_name) for r in results if r["diagnostics"]]
    assert not failing, f"{len(failing)} statement(s) rejected by Neo4j's Cypher 5 front end:\n" + "\n".join(failing)


def test_the_check_uses_the_pinned_package_and_neo4j_5_catalogue(report: dict[str, Any]) -> None:
    assert report["package"] == pinned_version()
    assert report["language"] == "CYPHER 5"
    # Neo4j 5's built-in, APOC and GDS signatures as the package ships them (2.0.0-next.38: 405 / 701 / 423).
    assert report["functions"] >= 400
    assert report["procedures"] >= 700
    assert report["gds"] >= 400


def test_statement_count_matches_files_and_ddl(statements: list[Neo4jStatement]) -> None:
    cypher = queries.CYPHER_DIR
    shared = {p.stem for p in cypher.glob("*.cypher")}
    neo4j_only = {p.stem for p in (cypher / "neo4j").glob("*.cypher")} - shared
    files = neo4j_files()
    assert set(files) == shared | neo4j_only
    nodes, rels = _yaml("nodes"), _yaml("relationships")
    renderings = {
        "upsert_nodes": len(nodes),
        "upsert_relationships": sum(len(_labels(r["from"])) * len(_labels(r["to"])) for r in rels),
    }
    templates = {name for name in files if is_template(queries.text(name, "neo4j"))}
    assert templates == set(renderings), "a new template file needs its renderings in tests/neo4j_lint.py"
    ddl = len(nodes) + sum(
        1 for n in nodes for name, p in n["properties"].items() if p.get("index") and name != n["key"]
    )
    assert len(statements) == len(files) - len(templates) + sum(renderings.values()) + ddl
    names = [s.name for s in statements]
    assert len(set(names)) == len(names)
    assert sum(n.startswith("neo4j_schema[") for n in names) == ddl


def test_neo4j_overrides_are_what_the_neo4j_store_reads(statements: list[Neo4jStatement]) -> None:
    by_name = {s.name: s for s in statements}
    for path in (queries.CYPHER_DIR / "neo4j").glob("*.cypher"):
        assert by_name[path.stem].text == queries.text(path.stem, "neo4j")
        if "{{by_uid" not in path.read_text(encoding="utf-8"):
            assert by_name[path.stem].text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_the_check_rejects_what_neo4j_would(probe: str, probes: dict[str, list[str]]) -> None:
    expected = PROBES[probe][1]
    assert any(expected in message for message in probes[f"probe:{probe}"]), probes[f"probe:{probe}"]


def test_map_keys_of_parameters_are_known_only_to_their_statement(probes: dict[str, list[str]]) -> None:
    assert probes["probe:with_rows"] == []
    assert any("from is not present" in message for message in probes["probe:without_rows"])


def test_lint_script_and_lock_file_are_committed() -> None:
    root = Path(__file__).resolve().parents[1] / "tools" / "cypher-lint"
    lock = (root / "package-lock.json").read_text()
    assert f'"version": "{pinned_version()}"' in lock
    assert (root / "lint.cjs").is_file()
