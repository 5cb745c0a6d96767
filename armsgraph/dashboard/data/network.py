"""Network explorer and Timeline: search, one entity, its neighbours, shortest paths and the incidents around it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from armsgraph.dashboard.data.cache import Reader, cached
from armsgraph.dashboard.data.casework import REVIEW_FIELDS
from armsgraph.dashboard.data.frames import shown


@cached
def search(store: Reader, text: str, limit: int = 25) -> pd.DataFrame:
    """Entities whose uid, name, serial or value contains ``text``; ``about`` tells namesakes apart (date of
    birth, nationality, aliases, incidents and cases; make, type and calibre of a firearm)."""
    if not text.strip():
        return pd.DataFrame(columns=["label", "uid", "caption", "about"])
    frame = store.read("search_entities", text=text.strip(), limit=limit)
    profiled = frame.loc[frame["label"].isin(list(REVIEW_FIELDS)), "uid"].tolist()
    profiles = store.read("entity_profiles", uids=profiled) if profiled else pd.DataFrame(columns=["uid"])
    about = {row["uid"]: profile_text(row) for row in profiles.to_dict("records")}
    frame["about"] = frame["uid"].map(about)
    return frame


def profile_text(row: Mapping[Any, Any]) -> str:
    """ "born 1980-01-02 · MEX · alias El Flaco · 3 incidents · 1 case" from an ``entity_profiles`` row."""
    props = row.get("props") or {}
    parts = [
        f"born {props['date_of_birth']}" if props.get("date_of_birth") else "",
        shown(props.get("nationality") or props.get("country")),
        f"alias {shown(props.get('aliases'))}" if shown(props.get("aliases")) else "",
        " ".join(shown(props.get(k)) for k in ("make", "type", "calibre") if shown(props.get(k))),
        shown(props.get("kind")),
    ]
    for name, count in (("incident", row.get("incidents")), ("case", row.get("cases"))):
        if isinstance(count, int | float) and count == count:
            parts.append(f"{int(count)} {name}{'s' if int(count) != 1 else ''}")
    return " · ".join(p for p in parts if p)


@cached
def entity(store: Reader, uid: str) -> dict[str, Any]:
    """One entity's label and properties (empty when unknown)."""
    frame = store.read("entity", uid=uid)
    if frame.empty:
        return {}
    row = frame.iloc[0]
    return {"label": row["label"], "uid": row["uid"], **dict(row["properties"])}


@cached
def neighbours(store: Reader, uid: str, limit: int = 200) -> pd.DataFrame:
    """Direct neighbours of ``uid`` with the joining relationship."""
    return store.read("neighbours", uid=uid, limit=limit)


@cached
def node_details(store: Reader, uids: tuple[str, ...]) -> pd.DataFrame:
    """Label, caption, community, context and main role of each node (one row per uid)."""
    columns = ["uid", "label", "caption", "community", "context", "role", "date"]
    if not uids:
        return pd.DataFrame(columns=columns)
    frame = store.read("dashboard_node_details", uids=list(uids))
    frame["role"] = frame["roles"].map(lambda roles: ", ".join(sorted(roles)) if roles else None)
    frame["community"] = frame["community"].map(lambda c: None if pd.isna(c) else f"community {int(c)}")
    return frame[columns].drop_duplicates("uid").reset_index(drop=True)


@cached
def edges_among(store: Reader, uids: tuple[str, ...]) -> pd.DataFrame:
    """Relationships between the given nodes."""
    if not uids:
        return pd.DataFrame(columns=["source", "type", "target", "role"])
    return store.read("dashboard_edges_among", uids=list(uids))


@cached
def entity_timeline(store: Reader, uid: str, limit: int = 2_000) -> pd.DataFrame:
    """Incidents within two hops of an entity, in date order."""
    frame = store.read("dashboard_entity_timeline", uid=uid, limit=limit)
    frame["when"] = pd.to_datetime(frame["date"], errors="coerce", format="ISO8601")
    return frame
