"""Diversion: points of diversion and last legal owners from trace histories, time-to-crime, trace responses."""

from __future__ import annotations

import pandas as pd

from armsgraph.analytics.common import parse_date
from armsgraph.graph.store import GraphStore

__all__ = ["analyse", "diversion_points", "time_to_crime", "trace_responses"]


def diversion_points(transfers: pd.DataFrame) -> pd.DataFrame:
    """Parties firearms left legal control from, ranked by firearms diverted.

    The point of diversion of a firearm is the FROM party of its transfer marked ``diversion``;
    without one, the TO party of its last legal transfer (the last legal owner).

    Parameters
    ----------
    transfers : DataFrame with firearm, order, kind, date, last_legal, diversion, from_uid, from_name, from_kind,
        from_country, to_uid, to_name, to_kind, sources

    Examples
    --------
    >>> t = pd.DataFrame({"firearm": ["f1", "f2"], "order": [3, 3], "diversion": [True, True],
    ...     "last_legal": [False, False], "from_uid": ["org:d", "org:d"], "from_name": ["Dealer"] * 2,
    ...     "from_kind": ["licensed dealer"] * 2, "from_country": ["USA"] * 2, "to_uid": [None] * 2,
    ...     "to_name": [None] * 2, "to_kind": [None] * 2, "date": ["2020"] * 2, "seized": ["2021"] * 2,
    ...     "sources": [["t.csv:1"], ["t.csv:2"]]})
    >>> diversion_points(t)[["party_uid", "firearms"]].values.tolist()
    [['org:d', 2]]
    """
    diverted = transfers[transfers["diversion"] == True].copy()  # noqa: E712  (None means unknown)
    diverted = diverted.assign(
        party_uid=diverted["from_uid"],
        party_name=diverted["from_name"],
        kind=diverted["from_kind"],
        country=diverted["from_country"],
    )
    rest = transfers[(transfers["last_legal"] == True) & ~transfers["firearm"].isin(diverted["firearm"])]  # noqa: E712
    rest = rest.assign(party_uid=rest["to_uid"], party_name=rest["to_name"], kind=rest["to_kind"], country=None)
    points = pd.concat([diverted, rest]).dropna(subset=["party_uid"]).drop_duplicates("firearm")
    if points.empty:
        return pd.DataFrame(columns=["party_uid", "party_name", "kind", "country", "firearms", "evidence"])
    table = (
        points.groupby("party_uid")
        .agg(
            party_name=("party_name", "first"),
            kind=("kind", "first"),
            country=("country", "first"),
            firearms=("firearm", "nunique"),
            evidence=("sources", lambda s: sorted({x for v in s for x in (v or [])})[:10]),
        )
        .reset_index()
    )
    return table.sort_values(["firearms", "party_uid"], ascending=[False, True], ignore_index=True)


def time_to_crime(transfers: pd.DataFrame) -> pd.DataFrame:
    """Days from each firearm's last legal transfer to its first seizure.

    Examples
    --------
    >>> t = pd.DataFrame({"firearm": ["f1"], "last_legal": [True], "date": ["2020-01-01"], "seized": ["2020-01-31"]})
    >>> time_to_crime(t)["days"].tolist()
    [30]
    """
    last = transfers[transfers["last_legal"] == True].drop_duplicates("firearm")  # noqa: E712
    rows = []
    for row in last.itertuples(index=False):
        start, end = parse_date(row.date), parse_date(row.seized)
        if start and end:
            rows.append((row.firearm, row.date, row.seized, (end - start).days))
    return pd.DataFrame(rows, columns=["firearm_uid", "last_legal_date", "seizure_date", "days"])


def trace_responses(requests: pd.DataFrame) -> pd.DataFrame:
    """Trace requests per requested state: counts by status and response times (answered − sent, days).

    Examples
    --------
    >>> r = pd.DataFrame({"requested_state": ["DEU", "DEU"], "status": ["answered", "sent"],
    ...     "sent": ["2021-01-01", "2021-02-01"], "answered": ["2021-01-11", None]})
    >>> trace_responses(r)[["requested_state", "requests", "answered", "median_days"]].values.tolist()
    [['DEU', 2, 1, 10.0]]
    """
    frame = requests.copy()
    frame["days"] = [
        (parse_date(b) - parse_date(a)).days if parse_date(a) and parse_date(b) else None
        for a, b in zip(frame["sent"], frame["answered"], strict=True)
    ]
    frame["requested_state"] = frame["requested_state"].fillna("unknown")
    table = (
        frame.groupby("requested_state")
        .agg(
            requests=("status", "size"),
            answered=("days", "count"),
            median_days=("days", "median"),
            p90_days=("days", lambda s: s.quantile(0.9) if s.notna().any() else None),
        )
        .reset_index()
    )
    table["unanswered"] = table["requests"] - table["answered"]
    return table.sort_values(["requests", "requested_state"], ascending=[False, True], ignore_index=True)


def analyse(store: GraphStore, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Diversion points (written to Organisation.diverted_firearms), time-to-crime and trace responses."""
    transfers = store.read("analytics_transfers")
    points = (
        diversion_points(transfers)
        if not transfers.empty
        else diversion_points(
            pd.DataFrame(
                columns=[
                    "firearm",
                    "diversion",
                    "last_legal",
                    "from_uid",
                    "from_name",
                    "from_kind",
                    "from_country",
                    "to_uid",
                    "to_name",
                    "to_kind",
                    "sources",
                ]
            )
        )
    )
    ttc = time_to_crime(transfers) if not transfers.empty else pd.DataFrame(columns=["firearm_uid", "days"])
    if not ttc.empty and not points.empty:
        party_of = _party_of_firearm(transfers)
        ttc["party_uid"] = ttc["firearm_uid"].map(party_of)
        medians = ttc.groupby("party_uid")["days"].median()
        points["median_time_to_crime_days"] = points["party_uid"].map(medians)
    orgs = points[points["party_uid"].str.startswith("org:")] if not points.empty else points
    store.write(
        "analytics_set_diverted", rows=[{"uid": r.party_uid, "firearms": int(r.firearms)} for r in orgs.itertuples()]
    )
    requests = store.read("analytics_trace_requests")
    responses = (
        trace_responses(requests) if not requests.empty else pd.DataFrame(columns=["requested_state", "requests"])
    )
    return {"diversion_points": points, "time_to_crime": ttc, "trace_requests": responses}


def _party_of_firearm(transfers: pd.DataFrame) -> dict[str, str]:
    diverted = transfers[transfers["diversion"] == True]  # noqa: E712
    out = dict(zip(diverted["firearm"], diverted["from_uid"], strict=True))
    last = transfers[transfers["last_legal"] == True]  # noqa: E712
    for firearm, party in zip(last["firearm"], last["to_uid"], strict=True):
        out.setdefault(firearm, party)
    return out
