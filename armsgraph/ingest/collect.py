"""Phase one of an ingest: every file read row by row through parse → validate → normalise, the
accepted records spilled to disk, and only compact indexes kept in memory.

Per accepted record, memory keeps its id and its row number (for duplicates, references and
counts), and for firearms, persons and organisations the
:class:`~armsgraph.ingest.validate.CompactRecord` resolution needs. Everything else waits on
disk until the build reads it back one chunk at a time (:meth:`Collected.records`).

Records and problems come out in a fixed order: record tables in record-type order (tables of
one type in file order), problems stage by stage.

>>> collected = collect(files, None, folder)               # doctest: +SKIP
>>> collected.deduplicate()                                 # doctest: +SKIP
>>> for record in collected.records("incidents"): ...       # doctest: +SKIP
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armsgraph.ingest.mapping import (
    ColumnMapping,
    FileMap,
    RecordMap,
    Tally,
    map_rows,
    missing_columns,
    missing_required,
    passes,
    sheet_problem,
    unused_columns,
)
from armsgraph.ingest.readers import XLSX_SUFFIXES, RawStream, open_file
from armsgraph.ingest.records import ORDER, RECORD_TYPES, RESOLVED
from armsgraph.ingest.references import References
from armsgraph.ingest.report import FileCounts, RowError, problem
from armsgraph.ingest.spill import Spill, SpillFolder
from armsgraph.ingest.validate import (
    CompactRecord,
    Normaliser,
    Record,
    repeat_problem,
    validate_row,
)

#: Repeated ids judged at once (their records are read back from disk together).
REPEATS_READ = 8192


@dataclass
class SpilledTable:
    """One record type from one file (or sheet): its accepted records on disk, its problems by stage."""

    file: str
    record_type: str
    records: Spill[tuple[int, dict[str, Any]]]
    #: Mapping warnings (columns the file lacks) and rows a mapping could not make.
    map_problems: list[RowError] = field(default_factory=list)
    #: Every column a row had; the unknown ones are warned about.
    columns: set[str] = field(default_factory=set)
    invalid: list[RowError] = field(default_factory=list)
    normalise_problems: list[RowError] = field(default_factory=list)
    rows: array[int] = field(default_factory=lambda: array("q"))
    ids: list[str] = field(default_factory=list)
    compact: list[CompactRecord] = field(default_factory=list)
    #: 1 for each record that is not a repeat of an earlier id (set by :meth:`Collected.deduplicate`).
    kept: bytearray = field(default_factory=bytearray)
    #: Rows this record type read and rows a ``where:`` skipped.
    tally: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        self._id_column = RECORD_TYPES[self.record_type].id_column
        self._resolved = self.record_type in RESOLVED

    def add(self, row: int, values: dict[str, Any]) -> None:
        """Keep one normalised record: on disk, and its row, id and compact form in memory."""
        self.records.append((row, values))
        self.rows.append(row)
        if self._id_column is not None:
            self.ids.append(str(values.get(self._id_column)))
        if self._resolved:
            self.compact.append(CompactRecord(self.record_type, self.file, row, values))

    def validate_problems(self) -> list[RowError]:
        """The problems of the validate stage, in the order it reports them."""
        spec = RECORD_TYPES[self.record_type]
        unknown = [
            problem(self.file, None, name, None, f"unknown column {name!r} ignored", spec.name, "warning")
            for name in sorted(self.columns - set(spec.columns))
        ]
        return [*self.map_problems, *unknown, *self.invalid]


@dataclass
class Collected:
    """What phase one leaves: record tables on disk, problems and counts, ids and compact records."""

    tables: list[SpilledTable] = field(default_factory=list)
    parse_problems: list[RowError] = field(default_factory=list)
    duplicate_problems: list[RowError] = field(default_factory=list)
    files: dict[str, FileCounts] = field(default_factory=dict)
    duplicates: Counter[str] = field(default_factory=Counter)
    #: Exact repeats of a record id, by record type.
    exact_repeats: Counter[str] = field(default_factory=Counter)
    #: Ids of the records kept, by record type (first occurrences; position packed as table << 32 | index).
    seen: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Rows (by file) that gave at least one record kept after deduplication.
    accepted: dict[str, bytearray] = field(default_factory=dict)

    def ordered(self, record_type: str | None = None) -> list[SpilledTable]:
        """Record tables in record-type order (tables of a type in file order), or those of one type."""
        tables = sorted(self.tables, key=lambda t: ORDER.index(t.record_type))
        return [t for t in tables if record_type is None or t.record_type == record_type]

    def validate_problems(self) -> list[RowError]:
        """Problems of the validate stage, table by table."""
        return [p for table in self.ordered() for p in table.validate_problems()]

    def normalise_problems(self) -> list[RowError]:
        """Problems of the normalise stage, table by table."""
        return [p for table in self.ordered() for p in table.normalise_problems]

    def deduplicate(self) -> None:
        """Drop exact repeats of an id (counted per file); a repeated id with other values is a row error.

        Which record is kept is decided from the ids alone; only the records of a repeated id are
        read back, to tell an exact repeat from a conflict (and name the columns that differ).
        """
        repeats: list[tuple[int, int]] = []  # (position of the first, position of the repeat): table << 32 | index
        order = self.ordered()
        for t, table in enumerate(order):
            id_column = RECORD_TYPES[table.record_type].id_column
            size = len(table.records)
            if id_column is None:
                table.kept = bytearray(b"\x01") * size
            else:
                table.kept = bytearray(size)
                seen = self.seen.setdefault(table.record_type, {})
                for i, record_id in enumerate(table.ids):
                    first = seen.get(record_id)
                    if first is None:
                        seen[record_id] = t << 32 | i
                        table.kept[i] = 1
                    else:
                        repeats.append((first, t << 32 | i))
            accepted = self.accepted.setdefault(table.file, bytearray())
            for row, kept in zip(table.rows, table.kept, strict=True):
                if kept:
                    if row >= len(accepted):
                        accepted.extend(bytes(row + 1 - len(accepted)))
                    accepted[row] = 1
            table.rows, table.ids = array("q"), []
        for start in range(0, len(repeats), REPEATS_READ):
            self._judge(order, repeats[start : start + REPEATS_READ])
        for seen in self.seen.values():  # from here on only the ids count
            for record_id in seen:
                seen[record_id] = 0

    def _judge(self, order: list[SpilledTable], repeats: list[tuple[int, int]]) -> None:
        """Count exact repeats, report conflicting ones (in record order), reading the records back."""
        wanted: dict[int, set[int]] = defaultdict(set)
        for first, repeat in repeats:
            for position in (first, repeat):
                wanted[position >> 32].add(position & 0xFFFFFFFF)
        found = {t: order[t].records.items(indexes) for t, indexes in wanted.items()}

        def record(position: int) -> Record:
            table = order[position >> 32]
            row, values = found[position >> 32][position & 0xFFFFFFFF]
            return Record(table.record_type, table.file, row, values)

        for first, repeat in repeats:
            kept, again = record(first), record(repeat)
            if kept.values == again.values:
                self.duplicates[again.file] += 1
                self.exact_repeats[again.record_type] += 1
            else:
                self.duplicate_problems.append(repeat_problem(again, kept))

    def compact(self, record_type: str) -> list[CompactRecord]:
        """Compact forms of the kept records of a resolved type, in record order."""
        return [
            record
            for table in self.ordered(record_type)
            for record, kept in zip(table.compact, table.kept, strict=True)
            if kept
        ]

    def references(self) -> tuple[References, dict[str, str]]:
        """The reference checks of the bundle, and the incident of each firearm whose incident exists."""
        incidents = self.seen.get("incidents", {})
        incident_of = {
            str(r.get("firearm_record_id")): str(r.get("incident_id"))
            for r in self.compact("firearms")
            if str(r.get("incident_id")) in incidents
        }
        checks = References(incidents, incident_of, self.seen.get("persons", {}), self.seen.get("organisations", {}))
        return checks, incident_of

    def resolvable(self, incident_of: dict[str, str]) -> list[CompactRecord]:
        """The records resolution groups: firearms whose incident exists, persons, organisations."""
        firearms = [r for r in self.compact("firearms") if str(r.get("firearm_record_id")) in incident_of]
        return firearms + self.compact("persons") + self.compact("organisations")

    def records(self, record_type: str) -> Iterator[Record]:
        """The kept records of a type in record order, read back from disk."""
        for table in self.ordered(record_type):
            for kept, (row, values) in zip(table.kept, table.records, strict=True):
                if kept:
                    yield Record(record_type, table.file, row, values)

    def release(self) -> None:
        """Forget the compact records and ids (resolution and the reference checks keep what they need)."""
        self.seen = {}
        for table in self.tables:
            table.compact = []


def collect(
    files: list[Path],
    mapping: ColumnMapping | None,
    folder: SpillFolder,
    cell_limit: int = 100_000,
    date_formats: tuple[str, ...] = (),
) -> Collected:
    """Read, validate and normalise every record of ``files`` row by row (phase one)."""
    out = Collected()
    normalise = Normaliser(date_formats)
    for item in files:
        file_map = mapping.file_map(item.name) if mapping else None
        excel = item.suffix.lower() in XLSX_SUFFIXES
        sheets = []
        for raw in open_file(item, item.name, file_map.options if file_map else None):
            sheets.append(raw.name)
            if excel and (unused := sheet_problem(raw.file, raw.name, file_map, item.stem.lower())):
                raw.problems.append(unused)
            targets = [(_table(out, raw, kind, folder), rec) for kind, rec in _targets(raw, item, file_map)]
            _read(raw, targets, cell_limit, normalise, out.files, file_map)
            out.parse_problems.extend(raw.problems)
            out.files.setdefault(raw.file, FileCounts(raw.file)).rows_in += raw.rows_in
            for table, _ in targets:
                table.records.flush()
        if file_map is not None and file_map.sheet and excel and file_map.sheet not in sheets:
            reason = f"the mapping reads sheet {file_map.sheet!r}; the workbook has {', '.join(map(repr, sheets))}"
            out.parse_problems.append(problem(item.name, None, None, None, reason))
    return out


def _targets(raw: RawStream, item: Path, file_map: FileMap | None) -> list[tuple[str, RecordMap | None]]:
    """The record types a table gives: its mapping's records (on the sheet it names), else the type named
    by the table (file stem or sheet name; a workbook's own name when its sheet names none)."""
    if file_map is not None:
        if file_map.sheet and raw.name != file_map.sheet:
            return []
        return [(rec.type, rec) for rec in file_map.records]
    kind = raw.name.strip().lower()
    if kind not in RECORD_TYPES and item.suffix.lower() in XLSX_SUFFIXES:
        kind = item.stem.lower()
    return [(kind, None)] if kind in RECORD_TYPES else []


def _table(out: Collected, raw: RawStream, record_type: str, folder: SpillFolder) -> SpilledTable:
    table = SpilledTable(raw.file, record_type, folder.spill(record_type))
    out.tables.append(table)
    counts = out.files.setdefault(raw.file, FileCounts(raw.file))
    if record_type not in counts.record_types:
        counts.record_types.append(record_type)
    return table


def _read(
    raw: RawStream,
    targets: list[tuple[SpilledTable, RecordMap | None]],
    cell_limit: int,
    normalise: Normaliser,
    files: dict[str, FileCounts],
    file_map: FileMap | None = None,
) -> None:
    """Every row of ``raw`` into its record tables (a row read without a table is only counted).

    ``files[raw.file].skipped`` counts the rows every record type's filter left out.

    File-level problems (columns the mapping reads but the file lacks, columns nobody reads,
    required columns missing) are judged on the header, or, for a file without one (JSON), on
    every key its rows have (a key missing from the first row only is no missing column).
    """
    seen: dict[str, None] | None = {} if raw.columns is None and targets else None
    counts = files.setdefault(raw.file, FileCounts(raw.file))
    where = file_map.where if file_map is not None else ()
    for number, row in raw.rows:
        if seen is not None:
            seen.update(dict.fromkeys(row))
        if where and not passes(where, row):
            for table, _ in targets:  # counted once per source row (not exploded)
                table.tally.read += 1
                table.tally.skipped += 1
            filtered = bool(targets)
        else:
            filtered = _row(targets, number, row, cell_limit, normalise)
        if filtered:
            counts.skipped += 1
    columns = raw.columns if raw.columns is not None else list(seen or ())
    if columns:
        raw.problems.extend(_column_problems(targets, file_map, raw, columns))


def _row(
    targets: list[tuple[SpilledTable, RecordMap | None]],
    number: int,
    row: dict[str, Any],
    cell_limit: int,
    normalise: Normaliser,
) -> bool:
    """One source row into each record table; whether every record type's filter left it out."""
    filtered = bool(targets)
    for table, rec in targets:
        if rec is not None:
            read, skipped = table.tally.read, table.tally.skipped
            given_rows = list(map_rows(rec, table.file, number, row, table.map_problems, table.tally))
            filtered = filtered and table.tally.read - read == table.tally.skipped - skipped
        else:
            table.tally.read += 1
            given_rows = [row]
            filtered = False
        for given in given_rows:
            _take(table, number, given, cell_limit, normalise)
    return filtered


def _column_problems(
    targets: list[tuple[SpilledTable, RecordMap | None]], file_map: FileMap | None, raw: RawStream, columns: list[str]
) -> list[RowError]:
    """Missing columns (first in each table's problems) and the columns nobody reads (returned: reported last)."""
    present = set(columns)
    for table, rec in targets:
        if rec is not None:
            table.map_problems[:0] = missing_columns(rec, table.file, present)
        elif raw.columns is not None:
            table.map_problems[:0] = missing_required(table.file, table.record_type, present)
    return unused_columns(raw.file, columns, file_map) if targets else []


def _take(table: SpilledTable, number: int, given: dict[str, Any], cell_limit: int, normalise: Normaliser) -> None:
    """Validate and normalise one record; keep it, or leave its problems in ``table``."""
    table.columns.update(given)
    spec = RECORD_TYPES[table.record_type]
    values, errors = validate_row(spec, table.file, number, given, cell_limit)
    if errors:
        table.invalid.extend(errors)
        return
    normalised = normalise(table.record_type, table.file, number, values, table.normalise_problems)
    if normalised is not None:
        table.add(number, normalised)
