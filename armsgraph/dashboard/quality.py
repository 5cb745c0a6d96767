"""Ingest reports as tables: one row per run, one row per problem (file, row, column, value, reason)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from armsgraph.ingest.report import load_rejects, load_reports

RUN_COLUMNS = [
    "finished_at", "source", "batch_id", "rows_in", "accepted", "rejected", "duplicates", "merged",
    "possibly_same", "warnings", "bundle",
]  # fmt: skip
PROBLEM_COLUMNS = ["batch_id", "severity", "record_type", "file", "row", "column", "value", "reason"]


def runs(data_dir: Path) -> pd.DataFrame:
    """One row per ingest run (newest first) with its row counts."""
    frame = pd.DataFrame(load_reports(data_dir))
    if frame.empty:
        return pd.DataFrame(columns=RUN_COLUMNS)
    return frame.reindex(columns=RUN_COLUMNS)


def problems(data_dir: Path) -> pd.DataFrame:
    """Every problem of every run: rejected rows (``error``), dropped links (``link``) and warnings."""
    rows = [
        {"batch_id": report.get("batch_id"), **problem}
        for report in load_reports(data_dir)
        for problem in load_rejects(report)
    ]
    return pd.DataFrame(rows).reindex(columns=PROBLEM_COLUMNS)
