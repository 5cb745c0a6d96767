"""Result tables written by the analyses and read by everyone else: one definition per figure.

An analysis computes a table once and :func:`save` writes its rows as ``:Result`` nodes (table name,
position, the row as JSON, ``aggregate`` or ``entity`` access). The dashboard, briefs and the CLI
:func:`load` those rows instead of recomputing the figure in their own Cypher, so SDG 16.4.2 or a
time-to-crime reads the same wherever it is shown. Aggregate tables name no one (programme staff
may read them); entity tables carry the uid of the entity each row is about, which the access layer
checks like any other exposed uid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import pandas as pd

from armsgraph.analytics.common import provenance
from armsgraph.errors import AnalyticsError
from armsgraph.graph.store import GraphStore

__all__ = ["AGGREGATE", "ENTITY", "load", "save"]

AGGREGATE, ENTITY = "aggregate", "entity"
#: Rows an entity table is read with unless told otherwise (far above any table written here).
ENTITY_ROWS = 1_000_000


class Reader(Protocol):
    """A store, or a store seen through a user's rights."""

    def read(self, name: str, **params: Any) -> pd.DataFrame: ...


def _plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars unwrapped, NaN as null, lists kept."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value


def save(store: GraphStore, tables: Mapping[str, pd.DataFrame], *, entity: Mapping[str, str] | None = None) -> None:
    """Replace the rows of ``tables`` (name → frame); a table named in ``entity`` (name → uid column) is an
    entity table, every other one aggregate."""
    entity = dict(entity or {})
    unknown = sorted(set(entity) - set(tables))
    if unknown:
        raise AnalyticsError(f"entity tables {unknown} are not among the tables written")
    store.write("analytics_results_clear", tables=sorted(tables))
    rows = []
    for name, frame in tables.items():
        column = entity.get(name)
        for position, record in enumerate(frame.to_dict("records")):
            row = {str(k): _plain(v) for k, v in record.items()}
            node = {
                "uid": f"result:{name}:{position}",
                "table": name,
                "position": position,
                "data": json.dumps(row, ensure_ascii=False, default=str),
                "access": ENTITY if column else AGGREGATE,
                **provenance(position),
            }
            if column and row.get(column):
                node["entity"] = str(row[column])
            rows.append(node)
    if rows:
        store.upsert_nodes("Result", rows)


def load(
    store: Reader, table: str, columns: list[str] | None = None, *, entity: bool = False, limit: int = ENTITY_ROWS
) -> pd.DataFrame:
    """The rows of one result table as a DataFrame (``columns`` when it was never written or is empty).

    Aggregate tables go through the aggregate query; ``entity=True`` reads the first ``limit`` rows of
    an entity table through the entity query (the access layer checks each row's entity).
    """
    if entity:
        frame = store.read("results_entity", table=table, limit=int(limit))
    else:
        frame = store.read("results_aggregate", table=table)
    if frame.empty:
        return pd.DataFrame(columns=columns or [])
    out = pd.DataFrame([json.loads(text) for text in frame["data"]])
    return out.reindex(columns=columns) if columns else out
