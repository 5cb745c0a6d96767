"""Streaming CSV writer for a generated bundle, in the column order of the record schema (docs/formats.md)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from armsgraph.graph.model import default_records

#: The columns the generator writes per record type, in the record schema's order
#: (``armsgraph/graph/model/records.yaml``: every column not marked ``scenario: false``).
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(column for column, spec in record.columns.items() if spec.scenario)
    for name, record in default_records().items()
    if record.scenario
}


class BundleWriter:
    """One open CSV file per record type; ``write`` returns the row's 1-based data row number (header not counted)."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        for name, columns in COLUMNS.items():
            handle = (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self._files[name] = handle
            self._writers[name] = csv.writer(handle, lineterminator="\n")
            self._writers[name].writerow(columns)
            self.rows[name] = 0

    def write(self, name: str, row: list[Any]) -> int:
        """Append one row (values in the file's column order); return its data row number."""
        self._writers[name].writerow(row)
        self.rows[name] += 1
        return self.rows[name]

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
