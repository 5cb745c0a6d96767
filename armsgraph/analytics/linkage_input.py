"""The linkage input: one row per incident with what the comparisons read, built from graph reads.

Places are compared as recorded: the city is case- and accent-folded; the subdivision is the ISO
3166-2 code or, where ingest kept an unknown one as recorded, that text. Each list column holds the
uids of what an incident shares with others (firearms, ballistic groups, persons, identifiers,
diverting parties). Descriptions become TF-IDF term lists (scikit-learn, word 1–2-grams, sublinear
term frequency), so that the description comparison is a cosine similarity computed in DuckDB. A
description that says its incident is one of a series ("This was one of three related attacks") gives
the stated size of the series, compared by the ``series`` comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from armsgraph.graph.store import GraphStore
from armsgraph.ingest.normalise import fold

__all__ = ["ENTITY_COLUMNS", "description_terms", "incident_table", "read_entities", "stated_series"]

#: Entity rule → list column of the linkage input.
ENTITY_COLUMNS = {
    "firearm": "firearms",
    "ballistic": "ballistics",
    "person": "persons",
    "identifier": "identifiers",
    "trace": "traces",
}
#: Terms kept per description (the heaviest; the cosine is computed over these).
TERMS_PER_DESCRIPTION = 60
_LEADING_DATE = re.compile(r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s*:\s*")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_SERIES = re.compile(r"\bone of (\d+|" + "|".join(_NUMBERS) + r")\b", re.IGNORECASE)
#: The stated-series value of a description that states none (a description that is missing gives None).
NO_SERIES = "none"


def stated_series(text: object) -> str | None:
    """The size of the series a description says its incident belongs to ("one of three related attacks"
    → "3"), :data:`NO_SERIES` when it states none, None when there is no description.

    Examples
    --------
    >>> [stated_series(t) for t in ["This was one of three related attacks.", "One of 12 incidents", "A bomb.", ""]]
    ['3', '12', 'none', None]
    """
    if not isinstance(text, str) or not text.strip():
        return None
    found = _SERIES.search(text)
    if found is None:
        return NO_SERIES
    size = found.group(1).lower()
    return str(_NUMBERS.get(size, size))


def description_terms(texts: Iterable[object]) -> tuple[list[list[str] | None], list[list[float] | None]]:
    """TF-IDF terms and L2-normalised weights of each text (None for an empty one).

    A leading date ("01/03/2021: ...") is dropped: dates are compared by the date comparison.

    Examples
    --------
    >>> keys, weights = description_terms(["Bomb in the market", "", "bomb at the market"])
    >>> keys[1] is None and len(set(keys[0]) & set(keys[2])) == 4  # bomb, the, market, "the market"
    True
    >>> round(sum(w * w for w in weights[0]), 4)  # L2-normalised (weights rounded to 6 places)
    1.0
    """
    cleaned = [_LEADING_DATE.sub("", t) if isinstance(t, str) else "" for t in texts]
    if not any(t.strip() for t in cleaned):
        return [None] * len(cleaned), [None] * len(cleaned)
    try:
        matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(cleaned).tocsr()
    except ValueError:  # only stop words / no tokens anywhere
        return [None] * len(cleaned), [None] * len(cleaned)
    keys: list[list[str] | None] = []
    weights: list[list[float] | None] = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if start == end:
            keys.append(None)
            weights.append(None)
            continue
        data, indices = matrix.data[start:end], matrix.indices[start:end]
        order = np.argsort(-data, kind="stable")[:TERMS_PER_DESCRIPTION]
        keys.append([f"t{i}" for i in indices[order]])
        weights.append([round(float(w), 6) for w in data[order]])
    return keys, weights


def _city(value: object) -> str | None:
    return fold(value) or None if isinstance(value, str) else None


def _listed(value: object) -> list[str] | None:
    if isinstance(value, list | tuple | np.ndarray) and len(value):
        return [str(v) for v in value]
    return None


def incident_table(incidents: pd.DataFrame, entities: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    """The linkage input (``linkage_model.INPUT_COLUMNS``) from incidents, shared entities and perpetrators.

    Parameters
    ----------
    incidents : uid, date, lat, lon, country, subdivision, city, attack_type, target_type, weapon_types,
        description (missing columns are treated as unrecorded)
    entities : incident, entity, rule — what incidents share (rules firearm, ballistic, person, identifier,
        trace; other rules are ignored)
    organisations : incident, organisation — organisations involved in each incident (any number)
    """
    frame = incidents.reset_index(drop=True)
    out = pd.DataFrame({"unique_id": frame["uid"].astype(str)})
    for column in ("date", "lat", "lon", "country", "subdivision", "attack_type", "target_type"):
        out[column] = frame.get(column)
    missing = pd.Series([None] * len(frame), dtype=object)
    descriptions = frame.get("description", missing)
    out["city"] = [_city(c) for c in frame.get("city", missing)]
    out["weapon_types"] = [_listed(w) for w in frame.get("weapon_types", missing)]
    for column, lists in _shared_lists(entities).items():
        out[column] = [lists.get(uid) for uid in out["unique_id"]]
    groups = (
        organisations.groupby("incident")["organisation"].agg(lambda s: "|".join(sorted(set(map(str, s)))))
        if len(organisations)
        else pd.Series(dtype=str)
    )
    out["organisation"] = [groups.get(uid) for uid in out["unique_id"]]
    out["desc_keys"], out["desc_weights"] = description_terms(descriptions)
    out["series"] = [stated_series(t) for t in descriptions]
    return out


def _shared_lists(entities: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """List column → incident uid → the sorted uids of the entities of that rule it shares."""
    out: dict[str, dict[str, list[str]]] = {column: {} for column in ENTITY_COLUMNS.values()}
    if len(entities):
        for rule, column in ENTITY_COLUMNS.items():
            shared = entities[entities["rule"] == rule]
            for uid, group in shared.groupby("incident")["entity"]:
                out[column][str(uid)] = sorted(set(map(str, group)))
    return out


def read_entities(store: GraphStore) -> pd.DataFrame:
    """(incident, entity, rule, sources) of everything incidents share: firearms, ballistic groups, persons,
    identifiers and diverting parties (organisations are read by :func:`read_organisations`)."""
    from armsgraph.analytics.linking import ballistic_groups

    def per_incident(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.explode("incidents", ignore_index=True).rename(columns={"incidents": "incident"})

    parts = [
        per_incident(store.read("analytics_link_firearm")).assign(rule="firearm"),
        store.read("analytics_link_identifier").assign(rule="identifier"),
        store.read("analytics_link_trace").assign(rule="trace"),
    ]
    actors = per_incident(store.read("analytics_link_actor"))
    if not actors.empty:
        parts.append(actors[actors["label"] == "Person"].drop(columns=["label"]).assign(rule="person"))
    evidence = store.read("analytics_link_ballistic")
    if not evidence.empty:
        parts.append(ballistic_groups(evidence, store.read("analytics_ballistic_hits")).assign(rule="ballistic"))
    frames = [p[["incident", "entity", "rule", "sources"]] for p in parts if not p.empty]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["incident", "entity", "rule", "sources"])
    )
