"""Diversion: points of diversion, last legal owners and dealers, time-to-crime, trace-request responses.

The **point of diversion** of a traced firearm is the party it left legal control from:

1. the FROM party of the transfer marked ``diversion`` (theft from a dealer, loss from a depot…);
2. else that transfer's TO party;
3. else the TO party of the last legal transfer (the last legal owner), else its FROM party.

**Time-to-crime** is the number of days from the last legal transfer to the firearm's first
seizure (partial dates taken at their start; a seizure dated before the transfer is left out as
a data error). Trace-request response time is answered − sent, in days; a request without an
answered date counts as unanswered.
"""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics import results
from armsgraph.dates import days_between
from armsgraph.graph.store import GraphStore

__all__ = [
    "analyse",
    "diversion_points",
    "last_legal_owners",
    "points_of_diversion",
    "time_to_crime",
    "trace_responses",
]

POINT_COLUMNS = [
    "rank",
    "party_uid",
    "party_name",
    "kind",
    "country",
    "firearms",
    "median_time_to_crime_days",
    "evidence",
]
TTC_COLUMNS = ["firearm_uid", "last_legal_date", "seizure_date", "days"]
OWNER_COLUMNS = ["party_uid", "party_name", "role", "kind", "firearms", "diverted_firearms"]
_PARTY = ["uid", "name", "label", "kind", "country"]
_TRANSFER = ["firearm", "transfer", "kind", "date", "country", "order", "last_legal", "diversion", "sources"]
#: A transfer (as analytics_diversion_transfers returns it) with both parties and whether the firearm was seized.
TRANSFER_COLUMNS = [*_TRANSFER, *(f"from_{c}" for c in _PARTY), *(f"to_{c}" for c in _PARTY), "seized"]


def _flag(series: pd.Series) -> pd.Series:
    """True where a boolean property is true (missing means false)."""
    return series.map(lambda v: v is True or v == "true").astype(bool)


def _party(rows: pd.DataFrame, side: str, basis: str) -> pd.DataFrame:
    out = rows[["firearm", "transfer", "country", "sources"]].rename(columns={"country": "transfer_country"})
    for key in _PARTY:
        out[f"party_{key}"] = rows[f"{side}_{key}"]
    out["basis"] = basis
    return out.dropna(subset=["party_uid"])


def points_of_diversion(transfers: pd.DataFrame) -> pd.DataFrame:
    """The point of diversion of every traced firearm (see the module docstring for the rule).

    Parameters
    ----------
    transfers : DataFrame with the columns of ``TRANSFER_COLUMNS`` (the last legal and diversion transfers)

    Returns
    -------
    DataFrame with firearm, party_uid, party_name, party_label, party_kind, party_country, basis, transfer, sources.

    Examples
    --------
    >>> t = pd.DataFrame({"firearm": ["f1", "f1", "f2"], "transfer": ["f1:1", "f1:2", "f2:1"],
    ...     "last_legal": [True, False, True], "diversion": [False, True, False],
    ...     "from_uid": ["org:m", "org:d", "org:d"], "to_uid": ["org:d", None, "person:b"]})
    >>> points_of_diversion(t)[["firearm", "party_uid", "basis"]].values.tolist()
    [['f1', 'org:d', 'diversion transfer'], ['f2', 'person:b', 'last legal owner']]
    """
    transfers = transfers.reindex(columns=TRANSFER_COLUMNS)
    diverted = transfers[_flag(transfers["diversion"])]
    last = transfers[_flag(transfers["last_legal"])]
    candidates = pd.concat(
        [
            _party(diverted, "from", "diversion transfer"),
            _party(diverted, "to", "diversion transfer"),
            _party(last, "to", "last legal owner"),
            _party(last, "from", "last legal transfer"),
        ],
        ignore_index=True,
    )
    points = candidates.drop_duplicates("firearm", keep="first").reset_index(drop=True)
    points["party_country"] = points["party_country"].fillna(points["transfer_country"])
    return points.drop(columns=["transfer_country"]).sort_values("firearm", ignore_index=True)


def time_to_crime(transfers: pd.DataFrame) -> pd.DataFrame:
    """Days from each firearm's last legal transfer to its first seizure.

    Examples
    --------
    >>> t = pd.DataFrame({"firearm": ["f1", "f2"], "last_legal": [True, True],
    ...     "date": ["2020-01-01", "2022-01-01"], "seized": ["2020-01-31", "2021-06-01"]})
    >>> time_to_crime(t).values.tolist()
    [['f1', '2020-01-01', '2020-01-31', 30]]
    """
    transfers = transfers.reindex(columns=TRANSFER_COLUMNS)
    last = transfers[_flag(transfers["last_legal"])].drop_duplicates("firearm")
    rows = []
    for firearm, start_text, end_text in zip(last["firearm"], last["date"], last["seized"], strict=True):
        days = days_between(start_text, end_text)
        if days is not None:
            rows.append((firearm, start_text, end_text, days))
    return pd.DataFrame(rows, columns=TTC_COLUMNS).sort_values("firearm_uid", ignore_index=True)


def diversion_points(points: pd.DataFrame, ttc: pd.DataFrame) -> pd.DataFrame:
    """Parties ranked by the number of firearms diverted from them, with median time-to-crime and evidence.

    Parameters
    ----------
    points : DataFrame from :func:`points_of_diversion`
    ttc : DataFrame from :func:`time_to_crime`

    Returns
    -------
    DataFrame with rank, party_uid, party_name, kind, country, firearms, median_time_to_crime_days, evidence
    (up to ten "firearm via transfer [source records]" strings).

    Examples
    --------
    >>> p = pd.DataFrame({"firearm": ["f1", "f2", "f3"], "party_uid": ["org:d", "org:d", "org:e"],
    ...     "party_name": ["D", "D", "E"], "party_kind": ["licensed dealer"] * 3, "party_country": ["USA"] * 3,
    ...     "transfer": ["t1", "t2", "t3"], "sources": [["a.csv:1"], ["a.csv:2"], None]})
    >>> ttc = pd.DataFrame({"firearm_uid": ["f1", "f2"], "days": [10, 30]})
    >>> diversion_points(p, ttc)[["rank", "party_uid", "firearms", "median_time_to_crime_days"]].values.tolist()
    [[1, 'org:d', 2, 20.0], [2, 'org:e', 1, nan]]
    """
    if points.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    days = ttc.set_index("firearm_uid")["days"] if not ttc.empty else pd.Series(dtype=float)
    frame = points.assign(days=points["firearm"].map(days).astype(float))
    frame["evidence"] = [
        f"{f} via {t}" + (f" [{', '.join(s)}]" if isinstance(s, list) and s else "")
        for f, t, s in zip(frame["firearm"], frame["transfer"], frame["sources"], strict=True)
    ]
    table = (
        frame.groupby("party_uid")
        .agg(
            party_name=("party_name", "first"),
            kind=("party_kind", "first"),
            country=("party_country", "first"),
            firearms=("firearm", "nunique"),
            median_time_to_crime_days=("days", "median"),
            evidence=("evidence", lambda s: sorted(s)[:10]),
        )
        .reset_index()
        .sort_values(["firearms", "party_uid"], ascending=[False, True], ignore_index=True)
    )
    table["rank"] = range(1, len(table) + 1)
    for column in ("party_name", "kind", "country"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    return table[POINT_COLUMNS]


def last_legal_owners(transfers: pd.DataFrame) -> pd.DataFrame:
    """Last legal owners (TO of the last legal transfer) and the dealers who sold to them, ranked by firearms.

    ``diverted_firearms`` counts those of the firearms that also have a transfer marked diversion.

    Examples
    --------
    >>> t = pd.DataFrame({"firearm": ["f1", "f2"], "last_legal": [True, True], "diversion": [False, False],
    ...     "from_uid": ["org:d", "org:d"], "from_name": ["D", "D"], "from_kind": ["licensed dealer"] * 2,
    ...     "to_uid": ["person:a", "person:b"], "to_name": ["A", "B"], "to_kind": [None, None]})
    >>> last_legal_owners(t)[["party_uid", "role", "firearms"]].values.tolist()
    [['org:d', 'dealer', 2], ['person:a', 'last legal owner', 1], ['person:b', 'last legal owner', 1]]
    """
    transfers = transfers.reindex(columns=TRANSFER_COLUMNS)
    diverted = set(transfers.loc[_flag(transfers["diversion"]), "firearm"])
    last = transfers[_flag(transfers["last_legal"])]
    owners = last[["firearm", "to_uid", "to_name", "to_kind"]].set_axis(
        ["firearm", "party_uid", "party_name", "kind"], axis=1
    )
    sellers = last[["firearm", "from_uid", "from_name", "from_kind"]].set_axis(
        ["firearm", "party_uid", "party_name", "kind"], axis=1
    )
    sellers = sellers[sellers["kind"].fillna("").str.contains("dealer")]
    both = pd.concat([owners.assign(role="last legal owner"), sellers.assign(role="dealer")], ignore_index=True)
    both = both.dropna(subset=["party_uid"])
    if both.empty:
        return pd.DataFrame(columns=OWNER_COLUMNS)
    both["is_diverted"] = both["firearm"].isin(diverted)
    table = (
        both.groupby(["party_uid", "role"])
        .agg(
            party_name=("party_name", "first"),
            kind=("kind", "first"),
            firearms=("firearm", "nunique"),
            diverted_firearms=("is_diverted", "sum"),
        )
        .reset_index()
    )
    table["diverted_firearms"] = table["diverted_firearms"].astype(int)
    return table.sort_values(["firearms", "party_uid"], ascending=[False, True], ignore_index=True)[OWNER_COLUMNS]


def trace_responses(requests: pd.DataFrame) -> pd.DataFrame:
    """Trace requests per requested state: counts by status, answered/unanswered, response days.

    Returns
    -------
    DataFrame with requested_state, requests, answered, unanswered, median_days, mean_days, p90_days, and one
    ``status_<status>`` count column per status seen.

    Examples
    --------
    >>> r = pd.DataFrame({"requested_state": ["DEU", "DEU", "DEU"], "status": ["answered", "answered", "sent"],
    ...     "sent": ["2021-01-01", "2021-01-01", "2021-02-01"], "answered": ["2021-01-11", "2021-01-31", None]})
    >>> trace_responses(r)[["requested_state", "requests", "answered", "unanswered", "median_days",
    ...                     "status_answered", "status_sent"]].values.tolist()
    [['DEU', 3, 2, 1, 20.0, 2, 1]]
    """
    columns = ["requested_state", "requests", "answered", "unanswered", "median_days", "mean_days", "p90_days"]
    if requests.empty:
        return pd.DataFrame(columns=columns)
    frame = requests.assign(
        requested_state=requests["requested_state"].fillna("unknown"),
        status=requests["status"].fillna("unknown"),
    )
    days = [days_between(sent, answered) for sent, answered in zip(frame["sent"], frame["answered"], strict=True)]
    frame["days"] = pd.Series(days, index=frame.index, dtype=float)
    frame["has_answer"] = frame["answered"].map(lambda v: isinstance(v, str) and bool(v))
    table = frame.groupby("requested_state").agg(
        requests=("status", "size"),
        answered=("has_answer", "sum"),
        median_days=("days", "median"),
        mean_days=("days", "mean"),
        p90_days=("days", lambda s: s.quantile(0.9) if s.notna().any() else None),
    )
    table["answered"] = table["answered"].astype(int)
    table["unanswered"] = table["requests"] - table["answered"]
    statuses = pd.crosstab(frame["requested_state"], frame["status"]).add_prefix("status_")
    table = table.join(statuses).reset_index()
    table = table.sort_values(["requests", "requested_state"], ascending=[False, True], ignore_index=True)
    return table[columns + sorted(statuses.columns)]


def response_days(requests: pd.DataFrame) -> pd.DataFrame:
    """Answered requests per requested state and number of days from sent to answered (as :func:`trace_responses`).

    Examples
    --------
    >>> r = pd.DataFrame({"requested_state": ["DEU", "DEU", "USA"], "sent": ["2021-01-01"] * 3,
    ...     "answered": ["2021-01-11", "2021-01-11", None]})
    >>> response_days(r).values.tolist()
    [['DEU', 10, 2]]
    """
    rows = []
    for state, sent, answered in zip(requests["requested_state"], requests["sent"], requests["answered"], strict=True):
        days = days_between(sent, answered)
        if days is not None:
            rows.append((state if isinstance(state, str) and state else "unknown", days))
    frame = pd.DataFrame(rows, columns=["requested_state", "days"])
    return frame.groupby(["requested_state", "days"]).size().rename("requests").reset_index()


def days_counts(ttc: pd.DataFrame) -> pd.DataFrame:
    """Firearms per number of days of time-to-crime (the distribution, naming no firearm)."""
    return (
        ttc.groupby("days").size().rename("firearms").reset_index()
        if len(ttc)
        else pd.DataFrame(columns=["days", "firearms"])
    )


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Diversion points (counts written to ``Organisation.diverted_firearms``), owners, time-to-crime, traces.

    Earlier counts are cleared first. Every table is written as result rows
    (:mod:`armsgraph.analytics.results`): the dashboard and briefs read them rather than recount.
    ``seed`` is unused (the analysis is deterministic).
    """
    transfers = store.read("analytics_diversion_transfers").reindex(columns=TRANSFER_COLUMNS)
    points = points_of_diversion(transfers)
    ttc = time_to_crime(transfers)
    table = diversion_points(points, ttc)
    organisations = points[points["party_label"] == "Organisation"]
    counts = organisations.groupby("party_uid")["firearm"].nunique()
    store.write("analytics_diversion_clear")
    store.write("analytics_diversion_set", rows=[{"uid": u, "diverted_firearms": int(n)} for u, n in counts.items()])
    requests = store.read("analytics_diversion_trace_requests")
    tables = {
        "diversion_points": table,
        "last_legal_owners": last_legal_owners(transfers),
        "time_to_crime": ttc,
        "time_to_crime_days": days_counts(ttc),
        "trace_requests": trace_responses(requests),
        "trace_response_days": response_days(requests.reindex(columns=["requested_state", "sent", "answered"])),
    }
    entity = {"diversion_points": "party_uid", "last_legal_owners": "party_uid", "time_to_crime": "firearm_uid"}
    results.save(store, tables, entity=entity)
    return tables
