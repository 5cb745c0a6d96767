"""The Audit log page's logic: who may see it, the log as a table, filters, counts and a safe CSV export.

Pure functions over ``<data_dir>/audit/audit.jsonl`` (no Streamlit here). The table is read
line by line in bytes, like :func:`armsgraph.audit.verify`, so a tampered log (a line that is
not JSON, not UTF-8 or not an object) still shows, with that line marked ``(unreadable)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from armsgraph import audit
from armsgraph.access import Principal
from armsgraph.errors import AccessDeniedError
from armsgraph.reports import exports

__all__ = ["COLUMNS", "action_counts", "load", "record_export", "require_admin", "select", "to_csv"]

#: Columns of the table, in order. ``line`` is the line of the log file (verify reports it);
#: ``verified`` says whether the hash chain up to and including that line checked out.
COLUMNS = ["line", "verified", "seq", "time", "user", "role", "action", "target", "params"]
UNREADABLE = "(unreadable)"
#: Longest raw text of an unreadable line kept in the table.
RAW_SHOWN = 200


def require_admin(data_dir: Path, who: Principal | None) -> Principal:
    """The principal when it is an admin; otherwise the refusal is audited and AccessDeniedError raised."""
    if who is None or who.role != "admin":
        if who is not None:
            audit.record(data_dir, who.user, who.role, "denied", "audit-log")
        role = who.role if who is not None else "nobody signed in"
        raise AccessDeniedError(f"the audit log is for admins only (role {role!r})")
    return who


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _compact(params: Any) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _row(line_no: int, raw: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        entry = None
    if not isinstance(entry, dict):
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        shown = text if len(text) <= RAW_SHOWN else f"{text[:RAW_SHOWN]}… ({len(text):,} characters)"
        return {"line": line_no, "seq": None, "time": None, "user": "", "role": "", "action": UNREADABLE,
                "target": "", "params": shown}  # fmt: skip
    seq = entry.get("seq")
    return {
        "line": line_no,
        "seq": seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
        "time": _text(entry.get("time")),
        "user": _text(entry.get("user")),
        "role": _text(entry.get("role")),
        "action": _text(entry.get("action")),
        "target": _text(entry.get("target")),
        "params": _compact(entry.get("params", {})),
    }


def load(data_dir: Path, verdict: audit.Verdict | None = None) -> pd.DataFrame:
    """Every line of the audit log as a row (:data:`COLUMNS`), newest first; ``time`` as UTC timestamps.

    Lines are shown as written, whether or not the chain verifies: an unreadable line becomes a row
    with action ``(unreadable)`` and its raw text (cut to :data:`RAW_SHOWN` characters) as params.
    ``verified`` is true for the lines ``verdict`` (from :func:`armsgraph.audit.verify`) checked, so a
    line appended after that check, or any line when no verdict is given, is not marked verified.
    """
    path = audit.audit_path(data_dir)
    rows: list[dict[str, Any]] = []
    if path.exists():
        with path.open("rb") as handle:
            rows = [_row(n, raw) for n, raw in enumerate(handle, start=1) if raw.strip()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["line"] = frame["line"].astype("int64")
    frame["verified"] = frame["line"] <= (verdict.checked if verdict is not None else 0)
    frame["seq"] = frame["seq"].astype("Int64")
    frame["time"] = pd.to_datetime(frame["time"], errors="coerce", utc=True, format="ISO8601")
    return frame.sort_values("line", ascending=False, kind="stable").reset_index(drop=True)


def select(
    frame: pd.DataFrame,
    users: Collection[str] = (),
    actions: Collection[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Rows of the given users and actions (empty = all) whose UTC date lies in [start, end].

    A row without a readable time is kept only when neither date bound is given.
    """
    keep = pd.Series(True, index=frame.index)
    if users:
        keep &= frame["user"].isin(list(users))
    if actions:
        keep &= frame["action"].isin(list(actions))
    if start is not None or end is not None:
        days = frame["time"].dt.date
        keep &= frame["time"].notna()
        if start is not None:
            keep &= days >= start
        if end is not None:
            keep &= days <= end
    return frame[keep].reset_index(drop=True)


def action_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Entries per action (columns ``action``, ``entries``), most frequent first."""
    counts = frame.groupby("action").size().rename("entries").reset_index()
    return counts.sort_values(["entries", "action"], ascending=[False, True]).reset_index(drop=True)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV (:func:`armsgraph.reports.exports.to_csv`: formula cells made inert), times in
    ISO 8601 UTC."""
    out = frame.reindex(columns=COLUMNS).copy()
    out["time"] = [t.isoformat(timespec="milliseconds") if pd.notna(t) else "" for t in out["time"]]
    return exports.to_csv(out)


def record_export(data_dir: Path, who: Principal, rows: int, filters: Mapping[str, Any]) -> None:
    """Audit a CSV export of the audit log: who, how many rows, with which filters."""
    audit.record(data_dir, who.user, who.role, "export", "audit-log.csv", {"rows": rows, **filters})
