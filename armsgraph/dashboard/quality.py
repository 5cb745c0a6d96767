"""Ingest reports as tables: one row per run, one row per rejected record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from armsgraph.dashboard.ui import optional_module

RUN_COLUMNS = ["report", "bundle", "batch_id", "started", "accepted", "rejected", "warnings"]
REJECT_COLUMNS = ["report", "file", "row", "column", "reason", "value"]


def reports(data_dir: Path) -> list[dict[str, Any]]:
    """The ingest reports saved under ``<data_dir>/reports/`` (through the ingest's ``load_reports``)."""
    module = optional_module("armsgraph.ingest.reports")
    if module is None:
        return []
    return [dict(r) for r in module.load_reports(data_dir)]


def runs(data_dir: Path) -> pd.DataFrame:
    """One row per ingest run: accepted, rejected and warning counts."""
    rows = [
        [
            report.get("name") or report.get("report"),
            report.get("bundle"),
            report.get("batch_id"),
            report.get("started") or report.get("finished"),
            int(report.get("accepted", 0) or 0),
            len(report.get("rejects") or report.get("errors") or []),
            len(report.get("warnings") or []),
        ]
        for report in reports(data_dir)
    ]
    return pd.DataFrame(rows, columns=RUN_COLUMNS)


def rejects(data_dir: Path) -> pd.DataFrame:
    """Every rejected row with its file, row, column and reason."""
    rows = [
        [report.get("name") or report.get("report"), *(err.get(c) for c in REJECT_COLUMNS[1:])]
        for report in reports(data_dir)
        for err in (report.get("rejects") or report.get("errors") or [])
    ]
    return pd.DataFrame(rows, columns=REJECT_COLUMNS)
