"""The dashboard's caches: results kept per store and user, every call by a user written to the audit log.

Every call by a user (a :class:`armsgraph.access.SecureStore`) of a :func:`cached` or :func:`shared`
function is written to the audit log as a ``view`` of ``data.<function>`` (``charts.<figure>``,
``explorer.<picture>``, …: the module under ``armsgraph.dashboard`` that defines it) with its
arguments, whether the result comes from the store or from the cache; the named queries behind a
result computed afresh are logged by the SecureStore itself (``query``).
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

import pandas as pd
import streamlit as st

from armsgraph import audit
from armsgraph.access import SecureStore
from armsgraph.graph.store import GraphStore, WriteSummary

P = ParamSpec("P")
R = TypeVar("R")

#: How long a result is kept when the store tells when its data changed (the embedded store: see
#: :func:`data_version`): a write makes a new key at once, so this only bounds the memory of old results.
CACHE_TTL_S = 3_600
#: How long a result is served when the store cannot tell when its data changed (Neo4j): results are
#: then keyed by this time bucket too, as fresh as the old 2-minute lifetime.
FRESH_S = 120


class Reader(Protocol):
    """A store, or a store seen through a user's rights (:class:`armsgraph.access.SecureStore`)."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...

    def write(self, name: str, **params: Any) -> WriteSummary: ...


def data_version(store: GraphStore) -> str:
    """What changes whenever the graph's data changes: for the embedded store, the size and time of its
    append-only files (every write is appended before it is answered); else the current
    :data:`FRESH_S` time bucket. Any process's write (an ingest, an analysis, a review decision) so
    reaches every dashboard session at its next page run, and a new session is served from the cache
    for as long as nothing was written (not only for two minutes)."""
    folder = getattr(getattr(store, "server", None), "dir", None)
    if store.kind == "embedded" and folder is not None and (Path(folder) / "appendonlydir").is_dir():
        with os.scandir(Path(folder) / "appendonlydir") as entries:
            files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file())
        return ";".join(f"{name}:{size}:{mtime}" for name, size, mtime in files)
    return f"t{int(time.time() // FRESH_S)}"


def store_key(store: GraphStore | SecureStore) -> str:
    """What identifies what a reader sees, for caching: store kind, location, graph, data version and the
    reader's rights (role, clearance, cases: users with the same rights see the same results and share them)."""
    if isinstance(store, SecureStore):
        who = store.principal
        return f"{store_key(store.store)}|{who.role}|{who.clearance}|{','.join(sorted(who.cases))}"
    where = store.settings.neo4j_uri if store.kind == "neo4j" else str(store.settings.data_dir)
    return f"{store.kind}|{where}|{store.settings.graph_name}|{data_version(store)}"


_STORE_HASH: dict[str | type, Callable[[Any], Any]] = {
    "armsgraph.graph.embedded.EmbeddedStore": store_key,
    "armsgraph.graph.neo4j_store.Neo4jStore": store_key,
    "armsgraph.access.SecureStore": store_key,
}


def view_target(func: Callable[..., Any]) -> str:
    """The audit log's name of a dashboard function: its top module under ``armsgraph.dashboard`` and its name.

    >>> from armsgraph.dashboard.data import overview
    >>> view_target(overview.graph_counts)
    'data.graph_counts'
    """
    parts = func.__module__.split(".")
    top = parts[2] if parts[:2] == ["armsgraph", "dashboard"] and len(parts) > 2 else parts[-1]
    return f"{top}.{func.__name__}"


class _Depth(threading.local):
    """How deep this thread is in audited calls (a cached function calling another is one view, not two)."""

    value = 0


_DEPTH = _Depth()
VIEW = "view"


def audited(func: Callable[P, R], served: Callable[P, R]) -> Callable[P, R]:
    """``served`` (``func`` behind a cache) with every outermost call by a user recorded in the audit log.

    The entry is written before the result is looked up, so a result served from the cache is
    recorded like one computed afresh (and a refused one too): who (the SecureStore's principal),
    what (``<module>.<function>``, e.g. ``data.clusters``) and with which arguments (defaults
    included, the store left out). Calls made while computing another audited result are part of
    that view and not recorded again. A plain GraphStore (tests, the CLI) records nothing.
    """
    signature = inspect.signature(func)
    target = view_target(func)

    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _DEPTH.value
        if not outer:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            store, *_ = bound.arguments.values()
            if isinstance(store, SecureStore) and store.audit_dir is not None:
                params = dict(list(bound.arguments.items())[1:])
                audit.record(store.audit_dir, store.principal.user, store.principal.role, VIEW, target, params)
        _DEPTH.value = outer + 1
        try:
            return served(*args, **kwargs)
        finally:
            _DEPTH.value = outer

    return call


def cached(func: Callable[P, R]) -> Callable[P, R]:
    """``st.cache_data`` with the store hashed by :func:`store_key`; every call audited (:func:`audited`)."""
    return audited(func, st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, hash_funcs=_STORE_HASH)(func))


_SHARED: list[Any] = []


def shared(func: Callable[P, R]) -> Callable[P, R]:
    """Like :func:`cached`, but the one result object is handed to every caller instead of a copy.

    For results that are only read, never changed — the pages' figures: a cache hit then costs
    nothing, where :func:`cached` unpickles a copy (~0.05 s per figure).
    """
    wrapped = st.cache_resource(ttl=CACHE_TTL_S, show_spinner=False, hash_funcs=_STORE_HASH)(func)
    _SHARED.append(wrapped)
    return audited(func, wrapped)


def clear_cache() -> None:
    """Forget every cached result (after a write, or in tests)."""
    st.cache_data.clear()
    for func in _SHARED:
        func.clear()
