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
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
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
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:  # odd length or a lone surrogate
            reason = f"{file} is not valid UTF-16 (byte {exc.start}: {exc.reason}); read with U+FFFD in its place"
            warning = problem(file, None, None, None, reason, severity="warning")
            return data.decode("utf-16", errors="replace"), [warning]
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


def _lines(text: str) -> list[str]:
    """Lines with their endings, broken at CR, LF and CRLF only.

    Not ``str.splitlines``: that also breaks at U+2028, U+0085, form feeds and other characters that
    are ordinary text inside a CSV field or a JSON string.
    """
    return io.StringIO(text, newline="").readlines()


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


#: Delimiters a delimited file may use, preferred in this order when two split it equally well.
DELIMITERS = ",;\t|"
#: What the delimiter guess reads: the first rows, within the first characters.
SNIFF_ROWS, SNIFF_CHARS = 20, 65_536


def _widths(sample: str, delimiter: str) -> list[int]:
    """Fields per non-blank record of ``sample`` split at ``delimiter`` (up to a parse error, e.g. a cut quote)."""
    widths: list[int] = []
    records = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    while len(widths) < SNIFF_ROWS:
        try:
            fields = next(records)
        except (StopIteration, csv.Error):  # the sample ends, or ends inside a quoted field
            break
        if not _blank(fields):
            widths.append(len(fields))
    return widths


def _sniff(text: str) -> csv.Dialect:
    """Excel's dialect with the delimiter that splits the first rows into the most consistent, widest records.

    Linear in the sample: ``csv.Sniffer`` guesses quotes with a regular expression that backtracks
    for minutes on some 10 kB inputs (a row of ``"",`` repeated), which would let one file stall an ingest.
    """
    sample = text[:SNIFF_CHARS]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        widths = _widths(sample, delimiter)
        if not widths:
            continue
        width, hits = Counter(widths).most_common(1)[0]
        score = (hits / len(widths), width)
        if width > 1 and score > best_score:
            best, best_score = delimiter, score
    dialect = csv.excel()
    dialect.delimiter = best
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
    lines = _lines(text)
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
    except Exception as exc:
        # A damaged package fails inside openpyxl with a dozen unrelated types (BadZipFile, zlib.error,
        # ParseError, KeyError, TypeError, EOFError, NotImplementedError, ...); all mean one thing here.
        raise IngestError(f"{file}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc
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


#: Deepest nesting of objects and lists a JSON record may have; a deeper record is a row error.
MAX_DEPTH = 64


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when objects/lists in ``value`` nest more than ``limit`` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _json_error(exc: ValueError | RecursionError) -> str:
    """Why ``json.loads`` failed: bad syntax, a number too long for ``int``, or nesting beyond the parser."""
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}: {exc.msg}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to parse"
    return str(exc).split(";")[0]


def _flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted columns (``a.b``), depth first, without recursion."""
    out: dict[str, Any] = {}
    stack: list[tuple[str, Iterator[tuple[Any, Any]]]] = [(prefix, iter(value.items()))]
    while stack:
        base, items = stack[-1]
        for key, item in items:
            name = f"{base}{column_key(key)}"
            if isinstance(item, Mapping):
                stack.append((f"{name}.", iter(item.items())))
                break
            out[name] = item
        else:
            stack.pop()
    return out


def read_jsonl(text: str, file: str, name: str) -> RawTable:
    """One JSON object per line; a line that is not one is a row error."""
    table = RawTable(file, name)
    if not text.strip():
        table.problems.append(problem(file, None, None, None, f"{file} is empty", severity="warning"))
        return table
    record = 0
    for line in _lines(text):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        record += 1
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: JSONDecodeError, or a number too long
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else _json_error(exc)
            table.problems.append(problem(file, record, None, line, f"not valid JSON ({reason})", name))
            continue
        if not isinstance(item, dict):
            table.problems.append(problem(file, record, None, line, "a JSON Lines row must be an object", name))
            continue
        if _too_deep(item):
            table.problems.append(problem(file, record, None, line, f"nested more than {MAX_DEPTH} levels", name))
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
    except (ValueError, RecursionError) as exc:
        raise IngestError(f"{file}: not valid JSON ({_json_error(exc)})") from exc
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
        if _too_deep(item):  # checked first: even the report's copy of the value would recurse
            table.problems.append(problem(file, number, None, None, f"nested more than {MAX_DEPTH} levels", name))
            continue
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
