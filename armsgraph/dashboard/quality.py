"""Ingest reports as tables: one row per run, one row per problem (file, row, column, value, reason).

Rejected values name people (names, dates of birth, phone numbers): only admins see them. For
every other role the ``value`` column reads :data:`REDACTED` and quoted text inside a reason is
replaced too (a column or file name it quotes stays), so counts, columns and reasons remain
useful. Every read by a user is recorded in the audit log as a ``view``, redacted or not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from armsgraph import audit
from armsgraph.access import Principal
from armsgraph.ingest.report import load_rejects, load_reports

RUN_COLUMNS = [
    "finished_at", "source", "batch_id", "rows_in", "accepted", "rejected", "duplicates", "merged",
    "possibly_same", "warnings", "bundle",
]  # fmt: skip
PROBLEM_COLUMNS = ["batch_id", "severity", "record_type", "file", "row", "column", "value", "reason"]
REDACTED = "(redacted)"
#: A quoted stretch of a reason: 'single' or "double", with backslash escapes.
_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")


def sees_values(who: Principal) -> bool:
    """True when ``who`` may see rejected values as they were read (admins only)."""
    return who.role == "admin"


def _view(data_dir: Path, who: Principal, target: str, params: dict[str, Any]) -> None:
    audit.record(data_dir, who.user, who.role, "view", target, params)


def runs(data_dir: Path, who: Principal) -> pd.DataFrame:
    """One row per ingest run (newest first) with its row counts; the read is audited."""
    _view(data_dir, who, "quality.runs", {})
    frame = pd.DataFrame(load_reports(data_dir))
    if frame.empty:
        return pd.DataFrame(columns=RUN_COLUMNS)
    return frame.reindex(columns=RUN_COLUMNS)


def redact_reason(reason: str, keep: set[str], value: str | None) -> str:
    """``reason`` with quoted text replaced by ``'…'`` (unless it quotes one of ``keep``: the names of
    columns, files and record types) and any verbatim copy of ``value`` replaced by :data:`REDACTED`."""
    if value and len(value) >= 2:
        reason = reason.replace(value, REDACTED)

    def hide(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0)[1:-1] in keep else "'…'"

    return _QUOTED.sub(hide, reason)


def problems(data_dir: Path, who: Principal) -> pd.DataFrame:
    """Every problem of every run: rejected rows (``error``), dropped links (``link``) and warnings.

    Values (and quoted text in reasons) are redacted unless ``who`` is an admin; the read is audited.
    """
    redacted = not sees_values(who)
    _view(data_dir, who, "quality.problems", {"redacted": redacted})
    rows = [
        {"batch_id": report.get("batch_id"), **problem}
        for report in load_reports(data_dir)
        for problem in load_rejects(report)
    ]
    frame = pd.DataFrame(rows).reindex(columns=PROBLEM_COLUMNS)
    if redacted and not frame.empty:
        names = {str(v) for c in ("column", "file", "record_type") for v in frame[c].dropna()}
        frame["reason"] = [
            redact_reason(str(reason), names, value if isinstance(value, str) else None)
            for reason, value in zip(frame["reason"], frame["value"], strict=True)
        ]
        frame["value"] = [REDACTED if isinstance(v, str) and v else v for v in frame["value"]]
    return frame
