"""Analytics over the graph: each module reads a projection, computes, writes results back.

``run_all(store)`` runs them in order: linking, networks, routes, diversion, nexus, hotspots,
indicators. Each module's ``analyse(store, seed=)`` returns its tables as DataFrames. On Neo4j with
Graph Data Science, networks runs inside the database (:mod:`armsgraph.analytics.gds`), elsewhere in
Python; :func:`chosen` says which.
"""

from __future__ import annotations

import importlib
import logging
import time
import warnings
from collections.abc import Iterable
from types import ModuleType

import pandas as pd

from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import GraphStore
from armsgraph.progress import Progress, reporter

__all__ = ["ANALYSES", "chosen", "run_all"]

log = logging.getLogger(__name__)

ANALYSES = ("linking", "networks", "routes", "diversion", "nexus", "hotspots", "indicators")
#: Analyses that may be missing from a partial build (skipped with a warning, not an error).
OPTIONAL = frozenset({"routes", "diversion", "nexus", "hotspots", "indicators"})


def _module(name: str) -> ModuleType | None:
    """The analysis module, or None (with a warning) for an optional one that is not importable."""
    qualified = f"armsgraph.analytics.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as error:
        if name not in OPTIONAL or error.name != qualified:
            raise
        warnings.warn(f"analysis {name!r} is not available in this build; skipped", RuntimeWarning, stacklevel=3)
        return None


def chosen(name: str, store: GraphStore) -> tuple[ModuleType | None, str]:
    """The module that runs analysis ``name`` on ``store``, and where it runs, in words."""
    if name == "networks":
        from armsgraph.analytics import gds

        version = gds.available(store)
        if version is not None:
            return gds, f"inside Neo4j with Graph Data Science {version}"
        return _module(name), f"in Python (igraph, leidenalg) on a projection read from the {store.kind} store"
    return _module(name), "in Python"


def run_all(
    store: GraphStore, *, seed: int = 0, only: Iterable[str] | None = None, progress: Progress | None = None
) -> dict[str, dict[str, pd.DataFrame]]:
    """Run the analyses (all, or ``only`` those named) and return name → tables; ``progress`` is told of each."""
    names = list(only) if only else list(ANALYSES)
    unknown = sorted(set(names) - set(ANALYSES))
    if unknown:
        raise AnalyticsError(f"unknown analyses {unknown}; choose from {list(ANALYSES)}")
    results: dict[str, dict[str, pd.DataFrame]] = {}
    report = reporter(progress)
    report("analyse", 0, len(names))
    for name in [n for n in ANALYSES if n in names]:
        report("analyse", 0, detail=name)
        started = time.perf_counter()
        module, where = chosen(name, store)
        if module is not None:
            results[name] = module.analyse(store, seed=seed)
            rows = sum(len(t) for t in results[name].values())
            seconds = time.perf_counter() - started
            log.info("analysis %s (%s): %d tables, %d rows in %.1f s", name, where, len(results[name]), rows, seconds)
        report("analyse", 1)
    return results
