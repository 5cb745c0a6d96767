"""What an ingest found and did: row-level errors, counts, and the report files the dashboard reads.

Reports are files, not graph data: ``<data_dir>/reports/ingest-<batch>.json`` plus the
rejected rows as ``ingest-<batch>-rejects.csv``. :func:`load_reports` reads them back.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from armsgraph import private

#: Longest value text kept in a report (a 10 MB cell is not copied into the report).
VALUE_SHOWN = 200


def shown(value: Any) -> str | None:
    """A value as report text, cut to :data:`VALUE_SHOWN` characters."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    if not text.isascii():  # a lone surrogate (a byte that was not UTF-8) cannot be written to a UTF-8 report
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= VALUE_SHOWN else f"{text[:VALUE_SHOWN]}... ({len(text):,} characters)"


@dataclass
class RowError:
    """One problem: where (file, 1-based data row, column), the value and why.

    Severity ``error`` rejects the row, ``link`` drops one link named in a list
    (the row is kept), ``warning`` changes nothing.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    record_type: str = ""
    severity: str = "error"

    @property
    def rejects_row(self) -> bool:
        """True when this problem keeps the row out of the graph."""
        return self.severity == "error" and self.row is not None


def problem(
    file: str,
    row: int | None,
    column: str | None,
    value: Any,
    reason: str,
    record_type: str = "",
    severity: str = "error",
) -> RowError:
    """A RowError with the value cut for the report."""
    return RowError(file, row, column, shown(value), reason, record_type, severity)


@dataclass
class FileCounts:
    """Rows of one file (or sheet) through the pipeline: ``rows_in = accepted + rejected + skipped + duplicates``.

    ``accepted``: rows that gave a record to the graph; ``rejected``: rows with an error (each in the
    problems); ``skipped``: rows a mapping's ``where:`` left out; ``duplicates``: rows whose every
    record repeats one already read.
    """

    file: str
    record_types: list[str] = field(default_factory=list)
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    skipped: int = 0


@dataclass
class RecordCounts:
    """Rows of one record type through the pipeline; ``read = loaded + skipped + duplicates + rejected``.

    ``read``: source rows the record type was made from; ``skipped``: rows a mapping's ``where:`` left
    out; ``duplicates``: exact repeats of a record id; ``rejected``: rows with an error for this type
    (each one is in the problems); ``loaded``: records written to the graph.
    """

    record_type: str
    read: int = 0
    loaded: int = 0
    skipped: int = 0
    duplicates: int = 0
    rejected: int = 0


@dataclass
class IngestReport:
    """The outcome of one ingest: counts, graph changes and every problem found."""

    bundle: str
    batch_id: str
    source: str
    started_at: str = ""
    finished_at: str = ""
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    skipped: int = 0
    merged: int = 0
    possibly_same: int = 0
    rejected_links: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    resumed_steps: int = 0
    files: list[FileCounts] = field(default_factory=list)
    record_types: list[RecordCounts] = field(default_factory=list)
    #: Why this ingest did not do what was asked (a file that loaded nothing, a required column missing);
    #: the command exits 1 when there is any.
    failures: list[str] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    report_path: str = ""
    rejects_path: str = ""

    @property
    def failed(self) -> bool:
        """True when a file loaded nothing or a required column is missing (see ``failures``)."""
        return bool(self.failures)

    @property
    def errors(self) -> list[RowError]:
        """Problems that rejected a row or a link."""
        return [p for p in self.problems if p.severity != "warning"]

    @property
    def warnings(self) -> list[RowError]:
        """Problems of severity 'warning' (nothing was rejected for them)."""
        return [p for p in self.problems if p.severity == "warning"]

    def top_errors(self, n: int = 10) -> list[tuple[str, int]]:
        """The most frequent error reasons with their counts."""
        reasons = Counter(f"{p.record_type or p.file}.{p.column or '-'}: {_generic(p.reason)}" for p in self.errors)
        return reasons.most_common(n)

    def to_dict(self, max_problems: int = 500) -> dict[str, Any]:
        """A JSON-ready summary (problems beyond ``max_problems`` are in the rejects CSV)."""
        out = {k: v for k, v in asdict(self).items() if k != "problems"}
        out["top_errors"] = [{"reason": r, "count": c} for r, c in self.top_errors()]
        out["errors"] = len(self.errors)
        out["warnings"] = len(self.warnings)
        out["problems"] = [asdict(p) for p in self.problems[:max_problems]]
        out["problems_truncated"] = len(self.problems) > max_problems
        return out

    def save(self, data_dir: Path) -> Path:
        """Write the JSON report and the problems CSV under ``data_dir/reports``; the JSON path."""
        folder = private.data_folder(data_dir, "reports")  # rejected values name people: 0700 / 0600
        path = folder / f"ingest-{self.batch_id}.json"
        rejects = folder / f"ingest-{self.batch_id}-rejects.csv"
        self.report_path, self.rejects_path = str(path), str(rejects)
        with private.open_private(rejects, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["severity", "record_type", "file", "row", "column", "value", "reason"])
            for p in self.problems:
                writer.writerow([p.severity, p.record_type, p.file, p.row, p.column, p.value, p.reason])
        private.write_private(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False))
        return path


def _generic(reason: str) -> str:
    """A reason without its quoted value, so equal causes count together."""
    head, sep, tail = reason.partition(" is not")
    return f"is not{tail}" if sep and head.startswith("'") else reason


def load_reports(data_dir: Path) -> list[dict[str, Any]]:
    """Every saved ingest report under ``data_dir/reports``, newest first (for the Data quality page)."""
    folder = Path(data_dir) / "reports"
    reports = []
    for path in folder.glob("ingest-*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["report_path"] = str(path)
        reports.append(data)
    return sorted(reports, key=lambda r: str(r.get("finished_at", "")), reverse=True)


def load_rejects(report: dict[str, Any]) -> list[dict[str, str]]:
    """The problem rows (CSV) of one loaded report."""
    path = Path(str(report.get("rejects_path") or ""))
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
