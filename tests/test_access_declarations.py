"""A query's access declaration is parsed from its header and refused when missing or malformed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from armsgraph import access
from armsgraph.access import Declaration, declaration
from armsgraph.errors import AccessDeniedError
from armsgraph.graph import queries


@pytest.fixture
def headers(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, dict[str, str]]]:
    """Headers by query name, served instead of the files' (the declaration cache cleared around the test)."""
    fake: dict[str, dict[str, str]] = {}
    monkeypatch.setattr(access.queries, "header", lambda name: fake[name])
    declaration.cache_clear()
    yield fake
    declaration.cache_clear()


def test_a_real_header_is_parsed() -> None:
    assert declaration("review_possibly_same") == Declaration(
        "review_possibly_same",
        "entity",
        {
            "left_uid": frozenset({"Person", "Organisation", "Firearm"}),
            "right_uid": frozenset({"Person", "Organisation", "Firearm"}),
        },
    )
    assert declaration("node_counts") == Declaration("node_counts", "aggregate", {})
    assert queries.header("node_counts")["access"] == "aggregate"


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ({}, "declares no access"),
        ({"access": "public"}, "unknown access class 'public'"),
        ({"access": "entity"}, "declares no `exposes` line"),
        ({"access": "entity", "exposes": "uid=Persn"}, "'Persn', not a label of the graph model"),
        ({"access": "entity", "exposes": "uid Person"}, "is not COLUMN=Label"),
        ({"access": "entity", "exposes": "uid=Person; name=*"}, "is not COLUMN=Label"),
        ({"access": "aggregate", "exposes": "uid=Person"}, "aggregate query 'q' may not expose entities"),
    ],
)
def test_a_missing_or_malformed_declaration_is_refused(
    headers: dict[str, dict[str, str]], head: dict[str, str], message: str
) -> None:
    headers["q"] = head
    with pytest.raises(AccessDeniedError, match=message) as refused:
        declaration("q")
    assert "'q'" in str(refused.value)


def test_exposes_none_and_any_label(headers: dict[str, dict[str, str]]) -> None:
    headers["counts"] = {"access": "entity", "exposes": "none"}
    headers["nodes"] = {"access": "entity", "exposes": "uid=*, props=Person|Case"}
    assert declaration("counts").exposes == {}
    assert declaration("nodes").exposes == {"uid": frozenset({"*"}), "props": frozenset({"Person", "Case"})}


def test_only_leading_comment_lines_declare(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "leading.cypher").write_text(
        "// Counts.\n// access: aggregate\nMATCH (n) RETURN count(n) AS c\n// access: admin\n", encoding="utf-8"
    )
    (tmp_path / "late.cypher").write_text("MATCH (n) RETURN count(n) AS c\n// access: aggregate\n", encoding="utf-8")
    monkeypatch.setattr(queries, "CYPHER_DIR", tmp_path)
    queries.text.cache_clear()
    declaration.cache_clear()
    try:
        assert queries.header("leading") == {"access": "aggregate"}
        assert queries.header("late") == {}
        with pytest.raises(AccessDeniedError, match="query 'late' declares no access"):
            declaration("late")
    finally:
        queries.text.cache_clear()
        declaration.cache_clear()
