"""Need-to-know access, enforced where queries run (not only hidden in the UI).

Roles:
- ``admin``: everything, including the audit log and user management (up to their clearance).
- ``analyst``: every entity and aggregate read and the review decisions, up to their clearance.
- ``prosecutor``: entity reads, but only rows whose every entity belongs to their cases (the case,
  its incidents, and what those incidents touch), up to their clearance.
- ``programme``: aggregate reads only (indicators, hotspots, corridors); no names, uids, serials or
  identifiers.

Every named query declares its access as data, in its header (see :func:`declaration`)::

    // access: entity
    // exposes: left_uid=Person|Organisation|Firearm, right_uid=Person|Organisation|Firearm

``access`` is ``aggregate`` (counts and other figures that name no one), ``entity`` (rows about
entities), ``write`` (changes the graph; analysts may run it) or ``admin``. An ``entity`` query
must say, in ``exposes``, which result columns hold the uids of which entity labels (``*``: any
label; a list or a map with a ``uid`` key counts too), or ``exposes: none``. A query without a
valid declaration is refused. On every entity read the layer looks up each exposed uid, and every
other string in the result that is the uid of a node too (whatever the column is called), and
drops the rows holding an entity above the reader's clearance or (prosecutors) outside their
cases. A Transfer is as classified as its firearm and parties (its uid holds the serial). An
aggregate read by programme staff is refused if it returns any entity's uid or a column named like
a name, serial or identifier. Every read is written to the audit log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from armsgraph import audit
from armsgraph.errors import AccessDeniedError, QueryNotFoundError
from armsgraph.graph import queries
from armsgraph.graph.model import default_model
from armsgraph.graph.store import GraphStore, WriteSummary

ROLES = ("admin", "analyst", "prosecutor", "programme")
LEVELS = ("public", "restricted", "confidential", "secret")
ACCESS_CLASSES = ("aggregate", "entity", "write", "admin")
ANY_LABEL = "*"
#: Labels whose uids name no one (places, routes between countries, analysis clusters, result rows): an
#: aggregate may return them, and a prosecutor may see them outside a case unless a column declares them.
NON_IDENTIFYING = frozenset({"Place", "Route", "Cluster", "Result"})
#: Column names an aggregate may not return (names, uids, serials, identifiers), besides the
#: model's sensitive properties.
_IDENTIFYING_COLUMN = re.compile(r"(^|_)(uids?|names?|serials?|caption|title|aliases|value|phone|email)($|_)")
#: The statement that classifies uids (one row per node found).
LOOKUP = "access_entities"
#: Longest string looked up as a possible uid (longer text is a description, not a key).
_MAX_UID = 300
#: Longest text (a sentence, a result row's JSON ``data``) searched for uids inside it.
_MAX_JSON = 1_000_000
#: What separates words of a text that may mention uids (uids themselves hold no space, quote or bracket).
_SEPARATOR = re.compile(r"[\s\"'\[\](){},;]+")
_EXPOSES_ITEM = re.compile(r"^([a-z_][a-z0-9_]*)=(\*|[A-Z][A-Za-z0-9]*(\|[A-Z][A-Za-z0-9]*)*)$")

_READ_RIGHTS = {
    "admin": {"aggregate", "entity", "admin"},
    "analyst": {"aggregate", "entity"},
    "prosecutor": {"aggregate", "entity"},
    "programme": {"aggregate"},
}
_WRITE_ROLES = {"admin", "analyst"}

HOW_TO_DECLARE = (
    "add `// access: aggregate|entity|write|admin` to its header and, for an entity query, "
    "`// exposes: COLUMN=Label|Label, ...` (or `// exposes: none`); see SECURITY.md"
)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user name, a role, a clearance and (prosecutors) their case uids."""

    user: str
    role: str
    clearance: str = "restricted"
    cases: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccessDeniedError(f"unknown role {self.role!r}; roles are {ROLES}")
        if self.clearance not in LEVELS:
            raise AccessDeniedError(f"unknown clearance {self.clearance!r}; levels are {LEVELS}")


@dataclass(frozen=True)
class Declaration:
    """What a named query declares: its access class and the columns that expose entities (with their labels)."""

    name: str
    access: str
    exposes: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _parse_exposes(name: str, value: str) -> dict[str, frozenset[str]]:
    if value == "none":
        return {}
    labels = set(default_model().nodes) | {ANY_LABEL}
    out: dict[str, frozenset[str]] = {}
    for item in (part.strip() for part in value.split(",")):
        match = _EXPOSES_ITEM.match(item)
        if not match:
            raise AccessDeniedError(f"query {name!r}: `exposes` item {item!r} is not COLUMN=Label|Label or COLUMN=*")
        column, declared = match.group(1), frozenset(match.group(2).split("|"))
        unknown = sorted(declared - labels)
        if unknown:
            raise AccessDeniedError(f"query {name!r}: `exposes` names {unknown[0]!r}, not a label of the graph model")
        out[column] = declared
    return out


@cache
def declaration(name: str) -> Declaration:
    """The access a named query declares in its header; refused (AccessDeniedError) if missing or malformed."""
    try:
        head = queries.header(name)
    except QueryNotFoundError as exc:
        raise AccessDeniedError(str(exc)) from None
    kind = head.get("access")
    if kind is None:
        raise AccessDeniedError(f"query {name!r} declares no access: {HOW_TO_DECLARE}")
    if kind not in ACCESS_CLASSES:
        raise AccessDeniedError(f"query {name!r} declares unknown access class {kind!r}: {HOW_TO_DECLARE}")
    if kind == "entity" and "exposes" not in head:
        raise AccessDeniedError(f"entity query {name!r} declares no `exposes` line: {HOW_TO_DECLARE}")
    exposes = _parse_exposes(name, head.get("exposes", "none"))
    if exposes and kind != "entity":
        raise AccessDeniedError(f"{kind} query {name!r} may not expose entities ({', '.join(exposes)}): make it entity")
    return Declaration(name, kind, exposes)


def access_class(name: str) -> str:
    """The access class a named query declares."""
    return declaration(name).access


def level(value: Any) -> int:
    """Rank of a classification value (missing = restricted, unknown = secret: fail closed)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return LEVELS.index("restricted")
    return LEVELS.index(value) if value in LEVELS else len(LEVELS) - 1


def _declared_uids(value: Any) -> Iterator[str]:
    """The uids a declared cell holds: a string, the strings of a list, a map's ``uid``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        if isinstance(value.get("uid"), str):
            yield value["uid"]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _declared_uids(item)


def _text_strings(value: str, depth: int) -> Iterator[str]:
    """A text cell's candidates: itself if short, its words, and the strings of the JSON it holds."""
    if len(value) <= _MAX_UID:
        yield value
    if len(value) > _MAX_JSON:
        return
    if _SEPARATOR.search(value):  # a uid mentioned in text ("F-1 via T-3 [f.csv:2]")
        yield from (word for word in _SEPARATOR.split(value) if 0 < len(word) <= _MAX_UID)
    if value[:1] in ("{", "[") and depth < 3:
        try:
            parsed = json.loads(value)
        except ValueError:
            return
        yield from _strings(parsed, depth + 1)


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every short string inside a cell (lists, maps and JSON text included): the candidates for undeclared uids."""
    if isinstance(value, str):
        yield from _text_strings(value, depth)
        return
    if depth >= 3:
        return
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, depth + 1)


def _cell_uids(decl: Declaration, frame: pd.DataFrame) -> tuple[list[list[tuple[str, str]]], list[set[str]], set[str]]:
    """Per row, the (column, uid) pairs of the declared columns and the short strings of the others; all together."""
    declared_cols = [c for c in frame.columns if c in decl.exposes]
    other_cols = [c for c in frame.columns if c not in decl.exposes]
    rows_declared: list[list[tuple[str, str]]] = []
    rows_other: list[set[str]] = []
    candidates: set[str] = set()
    for row in frame.itertuples(index=False):
        cells = dict(zip(frame.columns, row, strict=True))
        declared = [(c, u) for c in declared_cols for u in _declared_uids(cells[c])]
        other = {s for c in other_cols for s in _strings(cells[c])}
        rows_declared.append(declared)
        rows_other.append(other)
        candidates.update(u for _, u in declared)
        candidates |= other
    return rows_declared, rows_other, candidates


@dataclass(frozen=True)
class _Entity:
    label: str
    level: int


def classify(store: GraphStore, uids: Iterable[str]) -> dict[str, _Entity]:
    """The label and effective classification of every node among ``uids`` (others are left out)."""
    wanted = sorted(set(uids))
    if not wanted:
        return {}
    frame = store.read(LOOKUP, uids=wanted)
    return {
        str(uid): _Entity(str(label), max([level(v) for v in (levels or [None])]))
        for label, levels, uids in frame[["label", "levels", "uids"]].itertuples(index=False)
        for uid in uids
    }


class SecureStore:
    """A store seen through one principal's rights; every call is audited."""

    def __init__(self, store: GraphStore, principal: Principal, audit_dir: Path | None = None) -> None:
        self.store = store
        self.principal = principal
        self.audit_dir = audit_dir
        self._scope: set[str] | None = None
        sensitive: set[str] = set()
        for node in store.model.nodes.values():
            sensitive.update(node.sensitive)
        self._sensitive = sensitive

    def _audit(self, action: str, target: str, /, **params: Any) -> None:
        if self.audit_dir is not None:
            audit.record(self.audit_dir, self.principal.user, self.principal.role, action, target, params)

    def scope(self) -> set[str]:
        """Uids a prosecutor may see: their cases and everything within two hops of the cases' incidents."""
        if self._scope is None:
            frame = self.store.read("access_case_scope", cases=sorted(self.principal.cases))
            self._scope = set(frame["uid"]) | set(self.principal.cases)
        return self._scope

    def read(self, name: str, *, timeout_s: float | None = None, **params: Any) -> pd.DataFrame:
        """Run a named read if the role may, then drop the rows the principal may not see.

        Refused: an undeclared query, a parameter the query does not take (or not an identifier),
        a class the role may not read, an exposed column holding a label it does not declare, and
        (programme staff) an aggregate that returns an entity's uid or a name-like column.
        """
        self._audit("query", name, **params)
        try:
            decl = declaration(name)
            queries.check_params(params, name)
            if decl.access not in _READ_RIGHTS[self.principal.role]:
                raise AccessDeniedError(f"role {self.principal.role!r} may not run {decl.access} query {name!r}")
        except AccessDeniedError:
            self._audit("denied", name, **params)
            raise
        hidden = False
        if decl.access == "entity":
            params, hidden = self._visible_params(params)
        frame = self.store.read(name, timeout_s=timeout_s, **params)
        if hidden:
            frame = frame.iloc[0:0]
        if decl.access == "entity":
            frame = self._visible(decl, frame)
        elif decl.access == "aggregate" and self.principal.role == "programme":
            self._check_aggregate(decl, frame)
        if self.principal.role == "programme":
            frame = frame.drop(columns=[c for c in frame.columns if c in self._sensitive])
        return frame.reset_index(drop=True)

    def _allowed(self, uid: str, entity: _Entity | None, scope: set[str] | None) -> bool:
        if entity is None or entity.level > LEVELS.index(self.principal.clearance):
            return False
        return scope is None or uid in scope

    def _visible_params(self, params: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """``params`` without the uids of entities the principal may not see, and whether a single one was hidden.

        An entity read about a hidden entity (its timeline, neighbours, brief) returns no rows; a hidden
        uid in a list (nodes to describe, edges among) is left out of the list.
        """
        known = classify(self.store, {s for value in params.values() for s in _strings(value)})
        scope = self.scope() if self.principal.role == "prosecutor" and known else None

        def hidden(value: Any) -> bool:
            entity = known.get(value) if isinstance(value, str) else None
            if entity is None or entity.label in NON_IDENTIFYING:
                return False
            return not self._allowed(value, entity, scope)

        out: dict[str, Any] = {}
        single = False
        for key, value in params.items():
            if isinstance(value, list | tuple | set | frozenset):
                out[key] = [item for item in value if not hidden(item)]
            else:
                single = single or hidden(value)
                out[key] = value
        return out, single

    def _visible(self, decl: Declaration, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` without the rows that hold an entity (declared or found anywhere) the principal may not see."""
        missing = sorted(set(decl.exposes) - set(frame.columns))
        if missing:
            raise AccessDeniedError(f"query {decl.name!r} declares column {missing[0]!r} that it does not return")
        if frame.empty:
            return frame
        rows_declared, rows_other, candidates = _cell_uids(decl, frame)
        known = classify(self.store, candidates)
        scope = self.scope() if self.principal.role == "prosecutor" else None
        keep = [
            self._row_allowed(decl, declared, other, known, scope)
            for declared, other in zip(rows_declared, rows_other, strict=True)
        ]
        return frame[keep]

    def _row_allowed(
        self,
        decl: Declaration,
        declared: list[tuple[str, str]],
        other: set[str],
        known: Mapping[str, _Entity],
        scope: set[str] | None,
    ) -> bool:
        """Whether a row may be shown; a declared column holding an undeclared label refuses the whole query."""
        for column, uid in declared:
            entity = known.get(uid)
            labels = decl.exposes[column]
            if entity is not None and ANY_LABEL not in labels and entity.label not in labels:
                raise AccessDeniedError(
                    f"query {decl.name!r} returned a {entity.label} in column {column!r}, "
                    f"declared {'|'.join(sorted(labels))}: refused"
                )
        if not all(self._allowed(uid, known.get(uid), scope) for _, uid in declared):
            return False
        identifying = [uid for uid in other if uid in known and known[uid].label not in NON_IDENTIFYING]
        return all(self._allowed(uid, known[uid], scope) for uid in identifying)

    def _check_aggregate(self, decl: Declaration, frame: pd.DataFrame) -> None:
        """Refuse an aggregate that returns a name-like column or any entity's uid (it would be misdeclared)."""
        for column in frame.columns:
            if column in self._sensitive or _IDENTIFYING_COLUMN.search(str(column)):
                raise AccessDeniedError(f"aggregate query {decl.name!r} returns identifying column {column!r}: refused")
        found = classify(self.store, {s for value in frame.to_numpy().ravel() for s in _strings(value)})
        named = sorted(uid for uid, entity in found.items() if entity.label not in NON_IDENTIFYING)
        if named:
            entity = found[named[0]]
            raise AccessDeniedError(f"aggregate query {decl.name!r} returned the uid of a {entity.label}: refused")

    def write(self, name: str, **params: Any) -> WriteSummary:
        """Run a named write if the role may: analysts ``write`` statements, admins any."""
        self._audit("write", name, **{k: v for k, v in params.items() if k != "rows"})
        kind = declaration(name).access
        if self.principal.role not in _WRITE_ROLES or (kind != "write" and self.principal.role != "admin"):
            self._audit("denied", name, **{k: v for k, v in params.items() if k != "rows"})
            raise AccessDeniedError(f"role {self.principal.role!r} may not run {kind} statement {name!r}")
        queries.check_params(params, name)
        return self.store.write(name, **params)

    def export(self, what: str, uids: Iterable[str] = ()) -> None:
        """Record (and permit or refuse) an export of row-level data."""
        self._audit("export", what, uids=list(uids)[:100])
        if self.principal.role == "programme":
            raise AccessDeniedError("programme staff may export aggregates only")
