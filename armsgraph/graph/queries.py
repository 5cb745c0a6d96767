"""Named Cypher: every statement is a ``.cypher`` file in ``armsgraph/cypher``, loaded by name.

A file ``cypher/<name>.cypher`` serves every store; a store whose dialect differs
keeps its own text in ``cypher/<dialect>/<name>.cypher`` (chosen by
:mod:`armsgraph.graph.dialect`). ``{{by_uid n = $uid}}`` (or ``{{by_uid n IN $uids}}``) finds nodes of
any label by uid through each label's uid index (see :func:`by_uid`): a label-less ``MATCH (n) WHERE
n.uid = $uid`` scans every node of the graph. Templates such as the upserts carry ``{{label}}``
style slots that :func:`render` fills only with identifiers validated by the
graph model; values always travel as ``$parameters``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from armsgraph.errors import ModelViolationError, ParameterError, QueryNotFoundError
from armsgraph.graph.model import default_model

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
DIALECTS = ("falkordb", "neo4j")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SLOT_RE = re.compile(r"\{\{(\w+)\}\}")
_BY_UID_RE = re.compile(r"\{\{by_uid ([a-z]\w*) (=|IN) \$([A-Za-z_]\w*)\}\}")
_IDENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: A parameter name or map key: what FalkorDB's ``CYPHER k=v`` header and Neo4j take as an identifier.
PARAM_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)
_HEADER_RE = re.compile(r"^//\s*([a-z][a-z_]*):\s*(.*?)\s*$")
_USES_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_SCALARS = (str, int, float, bool, dt.date)
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
            return _BY_UID_RE.sub(
                lambda m: by_uid(m.group(1), m.group(2), m.group(3), dialect), path.read_text("utf-8")
            )
    raise QueryNotFoundError(f"no Cypher statement named {name!r} in {CYPHER_DIR}")


def by_uid(variable: str, operator: str, parameter: str, dialect: str) -> str:
    """A subquery binding ``variable`` to the nodes of any label of the model whose uid is ``= $parameter``
    (or ``IN $parameter``), each label searched through its uid index, then ``WITH *`` (every variable
    bound so far goes on).

    >>> print(by_uid("n", "=", "uid", "neo4j").splitlines()[:3])  # doctest: +NORMALIZE_WHITESPACE
    ['CALL () {', '  MATCH (n:BallisticEvidence) WHERE n.uid = $uid RETURN n',
     '  UNION MATCH (n:Case) WHERE n.uid = $uid RETURN n']
    """
    opening = "CALL () {" if dialect == "neo4j" else "CALL {"  # Neo4j 5 deprecates a subquery without its scope
    found = [f"MATCH ({variable}:{label}) WHERE {variable}.uid {operator} ${parameter} RETURN {variable}"
             for label in sorted(default_model().nodes)]  # fmt: skip
    # FalkorDB binds a subquery's result for a later MATCH only through a WITH
    return opening + "\n  " + "\n  UNION ".join(found) + "\n}\nWITH *"


def description(name: str) -> str:
    """The first comment line of a statement (its one-line description; a dialect-only one's too)."""
    for line in _texts(name)[0].splitlines():
        if line.startswith("//"):
            return line.lstrip("/ ").strip()
    return ""


def header(name: str) -> dict[str, str]:
    """The ``// key: value`` declarations in a statement's leading comment block (e.g. ``access``, ``exposes``).

    Only the comment lines before the first line of Cypher count; a key given twice keeps its first value.
    """
    found: dict[str, str] = {}
    for line in _texts(name)[0].splitlines():
        if not line.startswith("//"):
            break
        match = _HEADER_RE.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2))
    return found


def parameters(name: str) -> set[str]:
    """The ``$parameters`` a statement uses (in any dialect's text)."""
    return {p for text_ in _texts(name) for p in _USES_RE.findall(text_)}


def _texts(name: str) -> list[str]:
    """The texts of ``name`` in every dialect that has it (a dialect-only statement has one)."""
    found = []
    for dialect in DIALECTS:
        try:
            found.append(text(name, dialect))
        except QueryNotFoundError:
            continue
    if not found:
        text(name, DIALECTS[0])  # raises: no such statement
    return found


def _is_scalar(value: Any) -> bool:
    """None, a plain scalar or date, or a numpy scalar (``item()`` and ``dtype``)."""
    return value is None or isinstance(value, _SCALARS) or (hasattr(value, "item") and hasattr(value, "dtype"))


def _check_map(name: str, value: Mapping[Any, Any]) -> None:
    bad = [k for k in value if not (isinstance(k, str) and PARAM_RE.fullmatch(k))]
    if bad:
        raise ParameterError(f"parameter ${name}: map key {bad[0]!r} is not an identifier")
    for item in value.values():
        _check_value(name, item)


def _check_list(name: str, value: list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any]) -> None:
    items = list(value)
    if items and all(isinstance(v, Mapping) for v in items):  # rows: every key once, a sample of values
        _check_value(name, dict.fromkeys({k for row in items for k in row}))
        items = items[:100]
    for item in items:
        _check_value(name, item)


def _check_value(name: str, value: Any) -> None:
    """Refuse anything but plain data: scalars, lists, maps keyed by identifiers (rows: all keys, 100 rows' values)."""
    if _is_scalar(value):
        return
    if isinstance(value, Mapping):
        _check_map(name, value)
    elif isinstance(value, list | tuple | set | frozenset):
        _check_list(name, value)
    else:
        raise ParameterError(f"parameter ${name}: a {type(value).__name__} is not a value a query takes")


def check_params(params: Mapping[str, Any], statement: str | None = None) -> None:
    """Refuse a parameter whose name is not an identifier, or whose value is not plain data.

    Runs before any statement text is built, so a name can never carry Cypher (FalkorDB writes
    parameters into the query text). With ``statement``, a name the statement does not use is
    refused too (user input: the CLI and :class:`armsgraph.access.SecureStore`).
    """
    for name, value in params.items():
        if not isinstance(name, str) or not PARAM_RE.fullmatch(name):
            raise ParameterError(f"parameter name {name!r} is not an identifier (letters, digits, _; 64 at most)")
        _check_value(name, value)
    if statement is not None:
        unknown = sorted(set(params) - parameters(statement))
        if unknown:
            takes = ", ".join(f"${p}" for p in sorted(parameters(statement))) or "none"
            raise ParameterError(f"query {statement!r} takes no parameter ${unknown[0]} (it takes: {takes})")


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
