"""Need-to-know access, enforced where queries run (not only hidden in the UI).

Roles:
- ``admin``: everything, including the audit log and user management.
- ``analyst``: every named read and review decisions, up to their clearance.
- ``prosecutor``: entity reads, but only rows whose entities belong to their cases
  (the case, its incidents, and what those incidents touch), up to their clearance.
- ``programme``: aggregate reads only (indicators, hotspots, corridors); no names or identifiers.

Each named query declares its access class in a header line ``// access: aggregate|entity|admin``
(no line = ``entity``). Rows carrying a ``classification`` above the user's clearance are
removed, and sensitive model properties are blanked for roles that may not see them.
Every read is written to the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from armsgraph import audit
from armsgraph.errors import AccessDeniedError
from armsgraph.graph import queries
from armsgraph.graph.store import GraphStore, WriteSummary

ROLES = ("admin", "analyst", "prosecutor", "programme")
LEVELS = ("public", "restricted", "confidential", "secret")
ACCESS_CLASSES = ("aggregate", "entity", "admin")
_ACCESS_RE = re.compile(r"^//\s*access:\s*(\w+)", re.M)
_UID_COLUMNS = ("uid", "source", "target", "from", "to", "uids")

_READ_RIGHTS = {
    "admin": {"aggregate", "entity", "admin"},
    "analyst": {"aggregate", "entity"},
    "prosecutor": {"aggregate", "entity"},
    "programme": {"aggregate"},
}
_WRITE_ROLES = {"admin", "analyst"}


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


@cache
def access_class(name: str) -> str:
    """The access class a named query declares (``entity`` when it declares none)."""
    match = _ACCESS_RE.search(queries.text(name, queries.DIALECTS[0]))
    kind = match.group(1) if match else "entity"
    if kind not in ACCESS_CLASSES:
        raise AccessDeniedError(f"query {name!r} declares unknown access class {kind!r}")
    return kind


def level(value: Any) -> int:
    """Rank of a classification value (missing = restricted, unknown = secret: fail closed)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return LEVELS.index("restricted")
    return LEVELS.index(value) if value in LEVELS else len(LEVELS) - 1


def _row_uids(row: pd.Series) -> set[str]:
    found: set[str] = set()
    for column in _UID_COLUMNS:
        if column in row.index:
            value = row[column]
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list | tuple):
                found.update(v for v in value if isinstance(v, str))
    return found


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

    def read(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named read if the role may, then drop rows and blank fields the principal may not see."""
        kind = access_class(name)
        self._audit("query", name, **params)
        if kind not in _READ_RIGHTS[self.principal.role]:
            self._audit("denied", name, **params)
            raise AccessDeniedError(f"role {self.principal.role!r} may not run {kind} query {name!r}")
        frame = self.store.read(name, **params)
        if "classification" in frame.columns:
            allowed = LEVELS.index(self.principal.clearance)
            frame = frame[[level(v) <= allowed for v in frame["classification"]]]
        if self.principal.role == "prosecutor" and kind == "entity" and not frame.empty:
            scope = self.scope()
            frame = frame[[_row_uids(row) <= scope for _, row in frame.iterrows()]]
        if self.principal.role == "programme":
            frame = frame.drop(columns=[c for c in frame.columns if c in self._sensitive])
        return frame.reset_index(drop=True)

    def write(self, name: str, **params: Any) -> WriteSummary:
        """Run a named write if the role may write."""
        self._audit("write", name, **{k: v for k, v in params.items() if k != "rows"})
        if self.principal.role not in _WRITE_ROLES:
            raise AccessDeniedError(f"role {self.principal.role!r} may not change the graph")
        return self.store.write(name, **params)

    def export(self, what: str, uids: Iterable[str] = ()) -> None:
        """Record (and permit or refuse) an export of row-level data."""
        self._audit("export", what, uids=list(uids)[:100])
        if self.principal.role == "programme":
            raise AccessDeniedError("programme staff may export aggregates only")
