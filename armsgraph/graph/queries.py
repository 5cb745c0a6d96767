"""Named Cypher: every statement is a ``.cypher`` file in ``armsgraph/cypher``, loaded by name.

A file ``cypher/<name>.cypher`` serves every store; a store whose dialect differs
keeps its own text in ``cypher/<dialect>/<name>.cypher`` (chosen by
:mod:`armsgraph.graph.dialect`). Templates such as the upserts carry ``{{label}}``
style slots that :func:`render` fills only with identifiers validated by the
graph model; values always travel as ``$parameters``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from armsgraph.errors import ModelViolationError, QueryNotFoundError

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
DIALECTS = ("falkordb", "neo4j")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SLOT_RE = re.compile(r"\{\{(\w+)\}\}")
_IDENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_KEYMAP_RE = re.compile(
    r"^( \{[a-z][a-z0-9_]*: row\.props\.[a-z][a-z0-9_]*(, [a-z][a-z0-9_]*: row\.props\.[a-z][a-z0-9_]*)*\})?$"
)


def names() -> list[str]:
    """Every shared statement name (dialect-only statements included)."""
    found = {p.stem for p in CYPHER_DIR.glob("*.cypher")}
    for dialect in DIALECTS:
        found |= {p.stem for p in (CYPHER_DIR / dialect).glob("*.cypher")}
    return sorted(found)


@cache
def text(name: str, dialect: str) -> str:
    """The Cypher text of ``name`` for ``dialect``: the dialect's own file if any, else the shared one."""
    if not _NAME_RE.match(name):
        raise QueryNotFoundError(f"{name!r} is not a valid statement name")
    for path in (CYPHER_DIR / dialect / f"{name}.cypher", CYPHER_DIR / f"{name}.cypher"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise QueryNotFoundError(f"no Cypher statement named {name!r} in {CYPHER_DIR}")


def description(name: str) -> str:
    """The first comment line of a statement (its one-line description)."""
    for line in text(name, DIALECTS[0]).splitlines():
        if line.startswith("//"):
            return line.lstrip("/ ").strip()
    return ""


def render(template: str, **slots: str) -> str:
    """Fill ``{{slot}}`` placeholders with model identifiers; refuse anything else."""
    for slot, value in slots.items():
        ok = _KEYMAP_RE.match(value) if slot == "rel_key" else _IDENT_RE.match(value)
        if not ok:
            raise ModelViolationError(f"refusing {value!r} as {slot}: not a model identifier")

    def fill(match: re.Match[str]) -> str:
        try:
            return slots[match.group(1)]
        except KeyError:
            raise ModelViolationError(f"template slot {match.group(1)!r} was not given") from None

    return _SLOT_RE.sub(fill, template)
