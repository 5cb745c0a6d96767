"""Every statement armsgraph can send to Neo4j, and Neo4j's own Cypher language service to lint them.

The statements are the named ``.cypher`` files as the Neo4j store reads them (``cypher/neo4j/``
overrides first), the templates rendered by the store's own ``prepare_*`` code for every label and
relationship of the model, and the constraint/index DDL of :func:`armsgraph.graph.dialect.neo4j_schema`.
The linter is ``lintCypherQuery`` from ``@neo4j-cypher/language-support`` (pinned in
``tools/cypher-lint/package.json``), run once for the whole batch by ``tools/cypher-lint/lint.cjs``.
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armsgraph.graph import dialect, queries
from armsgraph.graph.model import PROVENANCE, GraphModel
from armsgraph.graph.neo4j_store import Neo4jStore
from armsgraph.graph.store import GraphStore
from armsgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.cjs"
PACKAGE = "@neo4j-cypher/language-support"
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT_RE = re.compile(r"//[^\n]*")


@dataclass(frozen=True)
class Neo4jStatement:
    """One statement as Neo4j would receive it: a name for reports, its text and its parameters."""

    name: str
    text: str
    parameters: dict[str, Any] = field(default_factory=dict)


class _Unconnected(Neo4jStore):
    """The Neo4j store's statement preparation with no driver: ``prepare_*`` only, nothing is sent."""

    def __init__(self, model: GraphModel) -> None:
        GraphStore.__init__(self, Settings(store="neo4j"), model)

    def close(self) -> None:
        pass


def neo4j_files() -> dict[str, Path]:
    """Every named statement file the Neo4j store can load: its own override, else the shared file."""
    found = {p.stem: p for p in queries.CYPHER_DIR.glob("*.cypher")}
    found.update({p.stem: p for p in (queries.CYPHER_DIR / dialect.NEO4J).glob("*.cypher")})
    return dict(sorted(found.items()))


def is_template(text: str) -> bool:
    """True when a statement has ``{{slot}}``s the store fills from the model."""
    return "{{" in _COMMENT_RE.sub("", text)


def text_parameters(text: str) -> dict[str, Any]:
    """The ``$parameters`` a statement's text uses (comments aside), each given a null value."""
    return dict.fromkeys(sorted(set(_PARAM_RE.findall(_COMMENT_RE.sub("", text)))))


def _sample(kind: str) -> Any:
    """A value of the model's property ``kind`` for a key of a rendered template (the store checks types)."""
    return {"integer": 1, "float": 1.0, "boolean": True}.get(kind, "k")


def rendered_templates(model: GraphModel) -> dict[str, list[Neo4jStatement]]:
    """Each template file's renderings: one per label (nodes) and per model edge (relationships).

    The text and parameters are the very payloads ``Neo4jStore`` would send for one row.
    """
    store = _Unconnected(model)
    nodes = []
    for label, node in model.nodes.items():
        (prepared,) = store.prepare_nodes(label, [{node.key: "k"}])
        text, params = prepared.payload
        nodes.append(Neo4jStatement(f"upsert_nodes[{label}]", text, params))
    rels = []
    for rel_type, rel in model.relationships.items():
        for source in rel.sources:
            for target in rel.targets:
                row = {"from": "a", "to": "b", **{name: _sample(rel.properties[name].type) for name in rel.key}}
                (prepared,) = store.prepare_relationships(rel_type, source, target, [row])
                text, params = prepared.payload
                rels.append(
                    Neo4jStatement(f"upsert_relationships[(:{source})-[:{rel_type}]->(:{target})]", text, params)
                )
    return {"upsert_nodes": nodes, "upsert_relationships": rels}


def schema_statements(model: GraphModel) -> list[Neo4jStatement]:
    """The constraint and index DDL ``Neo4jStore.apply_schema`` runs, named by the schema object."""
    out = []
    for text in dialect.neo4j_schema(model):
        name = text.split()[2]  # CREATE CONSTRAINT|INDEX <name> IF NOT EXISTS …
        out.append(Neo4jStatement(f"neo4j_schema[{name}]", text))
    return out


def all_statements(model: GraphModel) -> list[Neo4jStatement]:
    """Every statement armsgraph can send to Neo4j."""
    templates = rendered_templates(model)
    out: list[Neo4jStatement] = []
    for name, path in neo4j_files().items():
        text = queries.text(name, "neo4j")  # as the store sends it: {{by_uid …}} subqueries expanded
        if is_template(text):
            if name not in templates:
                raise AssertionError(f"{path}: a template with no rendering for Neo4j in tests/neo4j_lint.py")
            out.extend(templates[name])
        else:
            out.append(Neo4jStatement(name, text, text_parameters(text)))
    return out + schema_statements(model)


def lint_vocabulary(model: GraphModel) -> dict[str, list[str]]:
    """Labels, relationship types and property keys of the model, as the language service's schema."""
    keys = set(PROVENANCE)
    for node in model.nodes.values():
        keys |= set(node.properties)
    for rel in model.relationships.values():
        keys |= set(rel.properties)
    return {
        "labels": sorted(model.nodes),
        "relationshipTypes": sorted(model.relationships),
        "propertyKeys": sorted(keys),
    }


def pinned_version() -> str:
    """The language-support version ``tools/cypher-lint/package.json`` pins."""
    return str(json.loads((LINT_DIR / "package.json").read_text())["dependencies"][PACKAGE])


def ensure_installed() -> None:
    """Install the pinned language service with ``npm ci`` when ``node_modules`` lacks it (one process at a time)."""
    installed = LINT_DIR / "node_modules" / PACKAGE / "package.json"
    if installed.is_file():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise AssertionError(
            "the Neo4j dialect check needs Node.js (>= 20) and npm on PATH (Debian: apt-get install nodejs npm)"
        )
    with (LINT_DIR / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.is_file():
            return
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=LINT_DIR, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            raise AssertionError(f"npm ci in {LINT_DIR} failed: {done.stderr.strip()[-2000:]}")


def lint(statements: list[Neo4jStatement], vocabulary: dict[str, list[str]]) -> dict[str, Any]:
    """Lint ``statements`` in one node process; the script's JSON report."""
    ensure_installed()
    node = shutil.which("node")
    if node is None:
        raise AssertionError("the Neo4j dialect check needs Node.js (>= 20) on PATH")
    payload = {**vocabulary, "statements": [s.__dict__ for s in statements]}
    done = subprocess.run(
        [node, str(LINT_SCRIPT)], input=json.dumps(payload), capture_output=True, text=True, timeout=600, cwd=LINT_DIR
    )
    if done.returncode != 0:
        raise AssertionError(f"{LINT_SCRIPT.name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def format_diagnostics(result: dict[str, Any], statements: dict[str, Neo4jStatement]) -> str:
    """One line per diagnostic: statement name, position, severity and the language service's message."""
    lines = []
    for d in result["diagnostics"]:
        text_lines = statements[result["name"]].text.splitlines()
        source = text_lines[d["line"] - 1].strip() if 0 < d["line"] <= len(text_lines) else ""
        lines.append(f"{result['name']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}  [{source}]")
    return "\n".join(lines)
