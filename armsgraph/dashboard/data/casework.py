"""Case brief and Review: cases, the brief of one case, and entity-resolution candidates with the analyst's decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from armsgraph.dashboard.data.cache import Reader, cached, clear_cache, shared
from armsgraph.dashboard.data.frames import shown
from armsgraph.graph.store import GraphStore
from armsgraph.ingest import review

#: Entity-resolution candidates read for the Review page (the best scores; its filter searches these).
REVIEW_ROWS = 500


@cached
def cases(store: Reader, limit: int = 1_000) -> pd.DataFrame:
    """Cases with status and the number of incidents and persons they concern."""
    return store.read("dashboard_cases", limit=limit)


@shared
def case_brief(store: Reader, case_uid: str) -> Any:
    """The linked-case brief of one case (:func:`armsgraph.reports.brief.build_brief`), once per store, rights
    and case: one object for every caller, so the figures and Markdown it draws once are kept with it."""
    from armsgraph.reports.brief import build_brief  # imported when first used: fpdf2 and jinja2 load with it

    return build_brief(store, case_uid)


@cached
def possibly_same(store: Reader, statuses: tuple[str, ...] = ("pending",), limit: int = REVIEW_ROWS) -> pd.DataFrame:
    """Entity-resolution candidates in the given statuses, best score first (the ingest's review list)."""
    return review.list_candidates(_as_store(store), statuses, limit)


@cached
def candidate_count(store: Reader, statuses: tuple[str, ...] = ("pending",)) -> int:
    """How many entity-resolution candidates have one of the given statuses (:func:`possibly_same` lists the best)."""
    frame = store.read("dashboard_review_count", statuses=list(statuses))
    return int(frame["candidates"].iloc[0]) if len(frame) else 0


#: The fields entity resolution compares, per label, in the order a review card lists them.
REVIEW_FIELDS = {
    "Person": ("name", "aliases", "date_of_birth", "nationality"),
    "Organisation": ("name", "kind", "country"),
    "Firearm": ("serial", "make", "model", "type", "calibre", "country_of_manufacture"),
}


@cached
def candidate_fields(store: Reader, label: str, left: str, right: str) -> pd.DataFrame:
    """One review candidate side by side: field, left, right and whether they agree (same / differs / one missing),
    the compared fields first, then the record ids and how many incidents and cases each side is tied to."""
    frame = store.read("entity_profiles", uids=[left, right])
    sides = {row["uid"]: row for row in frame.to_dict("records")}
    a, b = sides.get(left, {}), sides.get(right, {})
    rows = []
    for name in REVIEW_FIELDS.get(label, ("name",)):
        x, y = shown((a.get("props") or {}).get(name)), shown((b.get("props") or {}).get(name))
        rows.append((name.replace("_", " "), x, y, agreement(x, y)))
    ids = [
        shown([str(r).split("/", 1)[-1] for r in (side.get("props") or {}).get("record_ids") or []]) for side in (a, b)
    ]
    rows.append(("records", ids[0], ids[1], ""))
    rows.append(("incidents", shown(a.get("incidents")), shown(b.get("incidents")), ""))
    if label != "Firearm":
        rows.append(("cases", shown(a.get("cases")), shown(b.get("cases")), ""))
    return pd.DataFrame(rows, columns=["field", "left", "right", "agree"])


def agreement(left: str, right: str) -> str:
    """How two shown values compare on a review card: same (ignoring case), differs, one missing, or — (neither).

    >>> agreement("Juan Perez", "JUAN PEREZ"), agreement("Juan", ""), agreement("", "")
    ('same', 'one missing', '—')
    """
    if not left and not right:
        return "—"
    if not left or not right:
        return "one missing"
    return "same" if left.casefold() == right.casefold() else "differs"


def decide(store: Reader, candidate: Mapping[Any, Any], status: str, user: str) -> int:
    """Record an analyst's decision (accepted / rejected) on one candidate through the ingest's review."""
    decided = review.decide(_as_store(store), candidate["left_uid"], candidate["right_uid"], status, decided_by=user)
    clear_cache()
    return decided


def matching(candidates: pd.DataFrame, text: str) -> pd.DataFrame:
    """The candidates whose names or uids on either side contain ``text`` (case-insensitive)."""
    if not text.strip() or candidates.empty:  # an empty frame's row-wise join is a frame, not text
        return candidates
    columns = ["left_uid", "left_name", "right_uid", "right_name"]
    hay = candidates[columns].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
    return candidates[hay.str.contains(text.strip().lower(), regex=False)]


def _as_store(store: Reader) -> GraphStore:
    """A reader where a GraphStore is typed: a SecureStore offers the same read/write and enforces rights."""
    return cast(GraphStore, store)
