"""Parameter names are identifiers and values plain data, checked before any statement is built.

FalkorDB's client writes parameters into the query text (``CYPHER name=value …``), so a parameter
*name* holding a newline and Cypher once ran as a second statement (issue 17, leak 4). The store,
the SecureStore and the ``armsgraph query`` command all refuse it now, with one clear line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from armsgraph.access import Principal, SecureStore
from armsgraph.errors import AccessDeniedError, ParameterError
from armsgraph.graph import queries
from armsgraph.graph.store import GraphStore

#: The attack of issue 17: a parameter name that closes the header and appends a query.
INJECTION = "\nMATCH (p:Person) RETURN p.name AS label, 1 AS count UNION ALL //"


def _people(store: GraphStore) -> None:
    store.upsert_nodes("Person", [{"uid": "p-1", "name": "Ana Lopez"}, {"uid": "p-2", "name": "Informant Nine"}])


@pytest.mark.parametrize(
    "name",
    [INJECTION, "a b", "a=1", "1a", "a-b", "a$b", "", "é", "x" * 65, "a\n", "`a`"],
)
def test_store_refuses_a_parameter_name_that_is_not_an_identifier(store: GraphStore, name: str) -> None:
    _people(store)
    with pytest.raises(ParameterError, match="is not an identifier"):
        store.read("node_counts", **{"a": 1, name: 1})
    with pytest.raises(ParameterError, match="is not an identifier"):
        store.write("review_decide", **{name: 1})


def test_the_injection_returned_names_before_and_now_runs_nothing(store: GraphStore) -> None:
    _people(store)
    counts = store.read("node_counts")
    assert set(counts["label"]) == {"Person"}  # what the attack appended rows to
    programme = SecureStore(store, Principal("pat", "programme"))
    with pytest.raises(ParameterError):
        programme.read("node_counts", **{"a": 1, INJECTION: 1})


@pytest.mark.parametrize(
    "value",
    [object(), {"a b": 1}, [{"ok": 1}, {"bad key": 2}], {"nested": {"x\n": 1}}, b"bytes"],
    ids=["object", "map-key", "row-key", "nested-key", "bytes"],
)
def test_store_refuses_values_that_are_not_plain_data(store: GraphStore, value: object) -> None:
    with pytest.raises(ParameterError, match=r"parameter \$v"):
        store.read("search_entities", text="", limit=1, v=value)


def test_plain_values_pass(store: GraphStore) -> None:
    _people(store)
    queries.check_params({"rows": [{"uid": "p-1", "score": 0.5}], "uids": ["a"], "limit": 3, "flag": True})
    assert len(store.read("search_entities", text="ana", limit=10)) == 1


def test_secure_store_refuses_a_parameter_the_query_does_not_take(store: GraphStore) -> None:
    secure = SecureStore(store, Principal("al", "analyst"))
    with pytest.raises(ParameterError, match=r"takes no parameter \$limitt \(it takes: \$limit, \$text\)"):
        secure.read("search_entities", text="", limitt=5)


def test_secure_store_refuses_an_unknown_query(store: GraphStore) -> None:
    with pytest.raises(AccessDeniedError, match="no Cypher statement named 'no_such_query'"):
        SecureStore(store, Principal("ada", "admin")).read("no_such_query")


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "armsgraph", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_cli_refuses_injected_and_odd_parameters_in_one_line(embedded: GraphStore) -> None:
    _people(embedded)
    data_dir = embedded.settings.data_dir
    for args, message in [
        (["-p", "\nMATCH (p) RETURN p=1"], "is not an identifier"),
        (["-p", "a=1", "-p", INJECTION + "=1"], "is not an identifier"),
        (["-p", "limit=²"], "takes no parameter $limit"),  # a typed value, never int('²')
        (["-p", "noequals"], "expected -p NAME=VALUE"),
    ]:
        done = _cli(data_dir, "query", "node_counts", *args)
        assert done.returncode == 3, done.stdout + done.stderr  # a data error (docs/cli.md)
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], lines
        assert "Informant" not in done.stdout
    done = _cli(data_dir, "query", "search_entities", "-p", "text=²", "-p", "limit=5", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_cli_query_formats(embedded: GraphStore) -> None:
    long_name = "Ana " + "Lopez-" * 30
    embedded.upsert_nodes("Person", [{"uid": "p-1", "name": long_name, "aliases": ["A", "B"]}])
    data_dir = embedded.settings.data_dir
    as_json = _cli(data_dir, "query", "search_entities", "-p", "text=ana", "-p", "limit=5", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [
        {"label": "Person", "uid": "p-1", "caption": long_name, "classification": None}
    ]
    as_csv = _cli(data_dir, "query", "entity", "-p", "uid=p-1", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    header, row = as_csv.stdout.splitlines()[:2]
    assert header == "label,uid,properties,classification"
    assert row.startswith("Person,p-1,") and long_name in row and '""aliases"": [""A"", ""B""]' in row
    table = _cli(data_dir, "query", "node_counts")
    assert table.returncode == 0 and "Person" in table.stdout and "1 rows" in table.stdout
