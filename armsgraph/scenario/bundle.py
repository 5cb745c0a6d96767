"""Streaming CSV writer for a generated bundle, in the column order of ``docs/formats.md``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

COLUMNS: dict[str, tuple[str, ...]] = {
    "incidents": (
        "incident_id",
        "date",
        "kind",
        "context",
        "agency",
        "country",
        "subdivision",
        "city",
        "lat",
        "lon",
        "transport_mode",
        "concealment",
        "departure_country",
        "transit_countries",
        "destination_country",
        "route_mode",
        "ammunition_qty",
        "parts_qty",
        "description",
    ),
    "firearms": (
        "firearm_record_id",
        "incident_id",
        "serial",
        "make",
        "model",
        "type",
        "calibre",
        "country_of_manufacture",
        "year",
        "marking_status",
        "manufacture_mode",
        "status",
    ),
    "persons": ("person_record_id", "name", "aliases", "date_of_birth", "nationality", "organisation_ids"),
    "organisations": ("org_id", "name", "kind", "country"),
    "involvements": ("incident_id", "party_id", "role"),
    "identifiers": ("owner_id", "kind", "value"),
    "traces": (
        "trace_id",
        "firearm_record_id",
        "requesting_state",
        "requested_state",
        "sent",
        "acknowledged",
        "answered",
        "status",
        "outcome",
    ),
    "transfers": (
        "firearm_record_id",
        "order",
        "kind",
        "date",
        "country",
        "from_party",
        "to_party",
        "last_legal",
        "diversion",
    ),
    "cases": (
        "case_id",
        "title",
        "jurisdiction",
        "offences",
        "status",
        "opened",
        "joint_investigation_team",
        "mla_requests",
        "incident_ids",
        "defendant_ids",
    ),
    "ballistics": ("evidence_id", "incident_id", "kind", "calibre", "hit_group"),
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
