"""The *parse* stage: CSV, XLSX, JSON Lines and nested JSON files into raw tables of rows.

Readers never crash on bad input: an undecodable byte, broken quoting, a bad JSON
line or an empty file becomes a report line naming the file (and row), and the
rest of the file is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armsgraph.errors import IngestError
from armsgraph.ingest.report import RowError, problem

#: Suffixes each reader takes.
CSV_SUFFIXES = (".csv", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES


@dataclass
class RawTable:
    """A file (or sheet) as rows of ``column -> value`` keyed by 1-based data row number."""

    file: str
    name: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        """Data rows seen: readable rows plus rows the reader had to reject."""
        return len({n for n, _ in self.rows} | {p.row for p in self.problems if p.rejects_row})


@dataclass(frozen=True)
class JsonOptions:
    """How to find records in a nested JSON document.

    ``records`` is the dotted path to the list of records (``""`` = the document
    itself); ``explode`` names a field holding a mapping or list: each of its
    items becomes its own row (``<field>.key`` holds a mapping's key, the item's
    fields appear as ``<field>.<name>``) next to the parent's fields.
    """

    records: str = ""
    explode: str = ""


def decode(data: bytes, file: str) -> tuple[str, list[RowError]]:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1 with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, [
            problem(file, None, None, None, f"{file} is not UTF-8 ({where}); read as {encoding}", severity="warning")
        ]
    raise IngestError(f"{file}: cannot decode")  # pragma: no cover - latin-1 decodes any bytes


def column_key(name: Any) -> str:
    """How a column is named inside armsgraph: stripped, lower case, spaces as underscores."""
    return "_".join(str(name).strip().lower().split()) if name is not None else ""


def _header(names: list[Any], file: str, problems: list[RowError]) -> list[str]:
    out: list[str] = []
    for i, raw in enumerate(names):
        name = column_key(raw)
        if not name:
            name = f"column_{i + 1}"
        if name in out:
            problems.append(
                problem(
                    file, None, name, None, f"duplicate column {name!r}; the later one is ignored", severity="warning"
                )
            )
            name = f"{name}__{i + 1}"
        out.append(name)
    return out


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "".join(itertools.islice(io.StringIO(text), 20))
    try:
        found = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    dialect = csv.excel()
    dialect.delimiter = found.delimiter
    return dialect


def read_csv(text: str, file: str, name: str) -> RawTable:
    """Rows of delimited text (delimiter sniffed). A record with broken quoting is one row error."""
    table = RawTable(file, name)
    if not text.strip():
        table.problems.append(
            problem(file, None, None, None, f"{file} is empty: no header, no rows", severity="warning")
        )
        return table
    text = text.lstrip("\ufeff")
    csv.field_size_limit(sys.maxsize)
    dialect = _sniff(text)
    lines = text.splitlines(keepends=True)
    header: list[str] | None = None
    record = 0
    pos = 0
    while pos < len(lines):
        reader = csv.reader(itertools.islice(lines, pos, None), dialect, strict=True)
        used = 0
        try:
            for fields in reader:
                start, span = pos + used, reader.line_num - used
                used = reader.line_num
                if _blank(fields):
                    continue
                if header is None:
                    header = _header(fields, file, table.problems)
                    continue
                record += 1
                if len(fields) != len(header):
                    reason = f"has {len(fields)} fields, the header has {len(header)}"
                    if span > 1:
                        reason = "broken quoting: a quoted field runs over the end of the row"
                    table.problems.append(problem(file, record, None, lines[start].rstrip("\r\n"), reason, name))
                    if span > 1:
                        pos = start + 1
                        break
                    continue
                table.rows.append((record, dict(zip(header, fields, strict=True))))
            else:
                pos = len(lines)
        except csv.Error as exc:
            start = pos + used
            if header is None:
                header = _header(next(csv.reader([lines[start]], dialect)), file, table.problems)
            else:
                record += 1
                table.problems.append(
                    problem(file, record, None, lines[start].rstrip("\r\n"), f"broken quoting ({exc})", name)
                )
            pos = start + 1
    if header is not None and not table.rows and not table.problems:
        table.problems.append(
            problem(file, None, None, None, f"{file} has a header but no data rows", severity="warning")
        )
    return table


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_xlsx(path: Path, file: str) -> list[RawTable]:
    """One table per sheet; a merged range's top-left value fills the whole range (with a warning)."""
    from openpyxl import load_workbook  # imported here: only Excel bundles need it

    try:
        book = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise IngestError(f"{file}: not a readable Excel workbook ({exc})") from exc
    tables = []
    for sheet in book.worksheets:
        where = f"{file}#{sheet.title}"
        table = RawTable(where, sheet.title)
        grid = [list(r) for r in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, merged.max_col):
                    grid[r][c] = top
            table.problems.append(
                problem(
                    where,
                    None,
                    None,
                    str(merged.coord),
                    f"merged cells {merged.coord} filled with their top-left value",
                    severity="warning",
                )
            )
        rows = [r for r in grid if not _blank(r)]
        if not rows:
            table.problems.append(problem(where, None, None, None, f"{where} is empty", severity="warning"))
            tables.append(table)
            continue
        header = _header(rows[0], where, table.problems)
        for number, values in enumerate(rows[1:], start=1):
            padded = [*values, *([None] * (len(header) - len(values)))][: len(header)]
            table.rows.append((number, {h: _cell(v) for h, v in zip(header, padded, strict=True)}))
        tables.append(table)
    book.close()
    return tables


def _flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}{column_key(key)}"
        if isinstance(item, Mapping):
            out.update(_flatten(item, f"{name}."))
        else:
            out[name] = item
    return out


def read_jsonl(text: str, file: str, name: str) -> RawTable:
    """One JSON object per line; a line that is not one is a row error."""
    table = RawTable(file, name)
    if not text.strip():
        table.problems.append(problem(file, None, None, None, f"{file} is empty", severity="warning"))
        return table
    record = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        record += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            table.problems.append(problem(file, record, None, line, f"not valid JSON ({exc.msg})", name))
            continue
        if not isinstance(item, dict):
            table.problems.append(problem(file, record, None, line, "a JSON Lines row must be an object", name))
            continue
        table.rows.append((record, _flatten(item)))
    return table


def _explode(item: dict[str, Any], field_name: str) -> Iterator[dict[str, Any]]:
    inner = item.get(field_name)
    parent = {k: v for k, v in _flatten(item).items() if not k.startswith(f"{field_name}.") and k != field_name}
    if isinstance(inner, Mapping):
        pairs: list[tuple[Any, Any]] = list(inner.items())
    elif isinstance(inner, list):
        pairs = list(enumerate(inner, start=1))
    else:
        yield parent
        return
    for key, value in pairs:
        row = dict(parent)
        row[f"{field_name}.key"] = key
        if isinstance(value, Mapping):
            row.update(_flatten(value, f"{field_name}."))
        else:
            row[f"{field_name}.value"] = value
        yield row


def read_json(text: str, file: str, name: str, options: JsonOptions) -> RawTable:
    """Records of a nested JSON document (see :class:`JsonOptions`)."""
    table = RawTable(file, name)
    if not text.strip():
        table.problems.append(problem(file, None, None, None, f"{file} is empty", severity="warning"))
        return table
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{file}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    records: Any = document
    for part in [p for p in options.records.split(".") if p]:
        if not isinstance(records, Mapping) or part not in records:
            raise IngestError(f"{file}: no {options.records!r} in the document")
        records = records[part]
    if isinstance(records, Mapping):
        records = list(records.values())
    if not isinstance(records, list):
        raise IngestError(f"{file}: {options.records or 'the document'} is not a list of records")
    for number, item in enumerate(records, start=1):
        if not isinstance(item, dict):
            table.problems.append(problem(file, number, None, item, "a record must be a JSON object", name))
            continue
        rows = _explode(item, options.explode) if options.explode else iter([_flatten(item)])
        table.rows.extend((number, row) for row in rows)
    return table


def read_file(path: Path, file: str, json_options: JsonOptions | None = None) -> list[RawTable]:
    """Every table in one file, by suffix; ``file`` is the bundle-relative name used in reports."""
    suffix = path.suffix.lower()
    name = path.stem.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, file)
    text, problems = decode(path.read_bytes(), file)
    if suffix in JSONL_SUFFIXES:
        table = read_jsonl(text, file, name)
    elif suffix in JSON_SUFFIXES:
        table = read_json(text, file, name, json_options or JsonOptions())
    elif suffix in CSV_SUFFIXES:
        table = read_csv(text, file, name)
    else:
        raise IngestError(f"{file}: no reader for {suffix!r} files (use one of {', '.join(SUFFIXES)})")
    table.problems[:0] = problems
    return [table]
