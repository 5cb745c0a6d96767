"""The *parse* stage: CSV, XLSX, JSON Lines and nested JSON files into raw tables of rows.

Readers never crash on bad input: an undecodable byte, broken quoting, a bad JSON
line or an empty file becomes a report line naming the file (and row), and the
rest of the file is read.

:func:`open_file` gives each table as a :class:`RawStream`: CSV and JSON Lines rows are
read while they are taken (memory holds a row, not the file); Excel workbooks and JSON documents
are read whole first (:class:`RawTable`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import sys
import threading
import zipfile
import zlib
from collections import Counter, deque
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
    #: The column names when the table has a header row; None otherwise.
    columns: list[str] | None = None

    @property
    def rows_in(self) -> int:
        """Data rows seen: readable rows plus rows the reader had to reject."""
        return len({n for n, _ in self.rows} | {p.row for p in self.problems if p.rejects_row})


#: Characters ``surrogateescape`` puts where a byte was not UTF-8 (a row holding one is rejected).
_UNDECODED = re.compile("[\udc80-\udcff]")


def undecoded(text: str) -> str | None:
    """Why ``text`` (decoded with ``surrogateescape``) is not UTF-8, or None when it is."""
    found = _UNDECODED.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    return f"not UTF-8: byte 0x{byte:02X} at character {found.start() + 1}; the row is rejected, not guessed"


def safe_text(text: str) -> str:
    """``text`` with undecodable bytes shown as ``\\xNN`` (fit for a UTF-8 report)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class RawStream:
    """A table read row by row: ``rows`` yields ``(number, row)`` while the file is read.

    ``problems`` grows and ``rows_in`` counts up as rows are taken; both are complete once
    ``rows`` is exhausted. Numbers never decrease, and each is a row or a rejected row, not both.
    """

    file: str
    name: str
    rows: Iterator[tuple[int, dict[str, Any]]]
    problems: list[RowError] = field(default_factory=list)
    rows_in: int = 0
    #: Some bytes of the file are not UTF-8: rows holding one are rejected (see :func:`undecoded`).
    undecodable: bool = False
    #: The column names when the file has a header (CSV, a sheet) or a mapping gave them; None otherwise.
    columns: list[str] | None = None

    @classmethod
    def of(cls, table: RawTable) -> RawStream:
        """A table already read whole, as a stream."""
        return cls(table.file, table.name, iter(table.rows), table.problems, table.rows_in, columns=table.columns)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file (a mapping's file options).

    ``records`` is the dotted path to the list of records of a nested JSON document (``""`` = the
    document itself); ``explode`` names a field holding a mapping or list: each of its items becomes
    its own row (``<field>.key`` holds a mapping's key, the item's fields appear as ``<field>.<name>``)
    next to the parent's fields. ``header``: the column names of a CSV file without a header row (its
    first line is data). ``comment``: lines of a CSV or JSON Lines file starting with this prefix
    (after leading spaces) are skipped.
    """

    records: str = ""
    explode: str = ""
    header: tuple[str, ...] | None = None
    comment: str | None = None


#: The name older code uses for :class:`ReadOptions`.
JsonOptions = ReadOptions


def decode(data: bytes, file: str) -> tuple[str, list[RowError], bool]:
    """Text of a file: UTF-8 (with or without BOM) or UTF-16 with BOM; and whether some bytes were not UTF-8.

    Bytes that are not UTF-8 are kept as ``surrogateescape`` characters (nothing is guessed as
    cp1252): each row holding one is rejected by the reader (:func:`undecoded`), the others stay UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), [], False
        except UnicodeDecodeError as exc:  # odd length or a lone surrogate
            reason = f"{file} is not valid UTF-16 (byte {exc.start}: {exc.reason}); read with U+FFFD in its place"
            warning = problem(file, None, None, None, reason, severity="warning")
            return data.decode("utf-16", errors="replace"), [warning], False
    try:
        return data.decode("utf-8"), [], False
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", errors="surrogateescape"), [_not_utf8(file, exc.start)], True


def _not_utf8(file: str, at: int) -> RowError:
    reason = (
        f"{file} is not all UTF-8 (first bad byte at offset {at:,}): each row holding a byte that is not UTF-8 "
        "is rejected; the other rows are read as UTF-8"
    )
    return problem(file, None, None, None, reason, severity="warning")


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
        name = column_key(safe_text(raw) if isinstance(raw, str) else raw)
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
    if values and type(values[0]) is str and values[0].strip():  # the usual row: its first cell says it
        return False
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


def _uncommented(lines: Iterator[str], options: ReadOptions | None) -> Iterator[str]:
    """``lines`` without the comment lines ``options`` names (all of them when it names none)."""
    prefix = options.comment if options else None
    if not prefix:
        return lines
    return (line for line in lines if not line.lstrip().startswith(prefix))


def _csv_rows(
    lines: Iterator[str], blank: bool, table: RawStream, options: ReadOptions | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of delimited text (delimiter sniffed) given line by line; problems go to ``table``.

    ``blank``: the whole text is white space. A record that breaks is reported and reading starts
    again at the line after its first one; the lines read for a record are kept until it is complete.
    ``options.header`` names the columns of a file without a header row (its first line is a row).
    """
    file, problems = table.file, table.problems
    if blank:
        problems.append(problem(file, None, None, None, f"{file} is empty: no header, no rows", severity="warning"))
        return
    first = next(lines, "").lstrip("\ufeff")
    head = [first] if first else []
    size = len(first)
    while size < SNIFF_CHARS and (line := next(lines, None)) is not None:
        head.append(line)
        size += len(line)
    csv.field_size_limit(sys.maxsize)
    records = _CsvRecords(lines, head, table, options)
    reported = len(problems)
    yield from records.rows(_sniff("".join(head)[:SNIFF_CHARS]))
    if records.header is not None and not records.given and len(problems) == reported:
        problems.append(problem(file, None, None, None, f"{file} has a header but no data rows", severity="warning"))


class _CsvRecords:
    """The records of delimited text, each checked against the header (see :func:`_csv_rows`)."""

    def __init__(self, lines: Iterator[str], head: list[str], table: RawStream, options: ReadOptions | None) -> None:
        self.lines, self.table = lines, table
        self.pending: deque[str] = deque(head)  # lines to read (again) before the rest of the file
        self.taken: list[str] = []  # the lines the reader took for the record in progress
        self.header: list[str] | None = None
        if options is not None and options.header:
            self._named(list(options.header))
        self.record = 0  # records seen (rows and rejected rows)
        self.given = 0  # rows given

    def _named(self, names: list[Any]) -> None:
        self.header = _header(names, self.table.file, self.table.problems)
        self.table.columns = self.header

    def _source(self) -> Iterator[str]:
        while True:
            line = self.pending.popleft() if self.pending else next(self.lines, None)
            if line is None:
                return
            self.taken.append(line)
            yield line

    def rows(self, dialect: csv.Dialect) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every row; after a broken record, a fresh reader starts at the line after its first one."""
        while True:
            self.taken = []
            try:
                for fields in csv.reader(self._source(), dialect, strict=True):
                    used, self.taken = self.taken, []
                    row = self._row(fields, used)
                    if row is _AGAIN:
                        break
                    if row is not None:
                        yield self.record, row
                else:
                    return
            except csv.Error as exc:
                self._broken(exc, dialect)

    def _row(self, fields: list[str], used: list[str]) -> Any:
        """The row of one record; None when it is blank, the header or rejected; _AGAIN to read its lines again."""
        if _blank(fields):
            return None
        if self.header is None:
            self._named(fields)
            return None
        self.record += 1
        table = self.table
        table.rows_in = self.record
        if table.undecodable and (why := undecoded("".join(used))):
            table.problems.append(
                problem(table.file, self.record, None, safe_text(used[0].rstrip("\r\n")), why, table.name)
            )
            return None
        if len(fields) != len(self.header):
            return self._ragged(fields, used, len(self.header))
        self.given += 1
        return dict(zip(self.header, fields, strict=True))

    def _ragged(self, fields: list[str], used: list[str], width: int) -> Any:
        """A record without the header's ``width`` fields: a row error (its lines read again when it spans several)."""
        reason = f"has {len(fields)} fields, the header has {width}"
        if len(used) > 1:
            reason = "broken quoting: a quoted field runs over the end of the row"
        self.table.problems.append(
            problem(self.table.file, self.record, None, used[0].rstrip("\r\n"), reason, self.table.name)
        )
        if len(used) > 1:
            self.pending.extendleft(reversed(used[1:]))
            return _AGAIN
        return None

    def _broken(self, exc: csv.Error, dialect: csv.Dialect) -> None:
        """A record the csv module could not read: the header as far as it goes, or a row error."""
        used = self.taken
        if self.header is None:
            self._named(next(csv.reader([used[0]], dialect)))
        else:
            self.record += 1
            self.table.rows_in = self.record
            reason = f"broken quoting ({exc})"
            self.table.problems.append(
                problem(self.table.file, self.record, None, used[0].rstrip("\r\n"), reason, self.table.name)
            )
        self.pending.extendleft(reversed(used[1:]))


#: What :meth:`_CsvRecords._row` gives for a record whose lines are read again by a fresh reader.
_AGAIN = object()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


#: What one workbook may unpack to (bytes of XML) and the cells one sheet may span (rows x columns):
#: a workbook beyond them is refused with a clear error before it can fill memory.
XLSX_BYTES = 200_000_000
XLSX_CELLS = 50_000_000
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _check_workbook(path: Path, file: str) -> bool:
    """Refuse a workbook over the budgets (IngestError); whether any sheet holds a formula.

    Reads the package as a zip, sheet XML streamed: the unpacked size, and every merged range
    (openpyxl makes an object per merged cell, so ``A1:XFD1048576`` would fill memory).
    """
    from openpyxl.utils import column_index_from_string

    formulas = False
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            total = sum(info.file_size for info in infos)
            if total > XLSX_BYTES:
                raise IngestError(
                    f"{file}: the workbook unpacks to {total:,} bytes, over the {XLSX_BYTES:,}-byte budget; "
                    "save its sheets as CSV"
                )
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                with package.open(info) as member:
                    tail = b""
                    while chunk := member.read(BLOCK):
                        data = tail + chunk
                        formulas = formulas or _FORMULA_RE.search(data) is not None
                        for found in _MERGE_RE.finditer(data):
                            left, top, right, bottom = found.groups()
                            width = column_index_from_string(right.decode()) - column_index_from_string(left.decode())
                            cells = (abs(int(bottom) - int(top)) + 1) * (abs(width) + 1)
                            if cells > XLSX_CELLS:
                                raise IngestError(
                                    f"{file}: merged range {found.group(0)[-40:].decode(errors='replace')} spans "
                                    f"{cells:,} cells, over the {XLSX_CELLS:,}-cell budget"
                                )
                        tail = data[-512:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return True  # openpyxl names the damage (read_xlsx); assume formulas so none goes unreported
    return formulas


def read_xlsx(path: Path, file: str) -> list[RawTable]:
    """One table per sheet; a merged range's top-left value fills the whole range (with a warning).

    A sheet spanning more than :data:`XLSX_CELLS` cells is not read (an error naming its extent); a
    formula cell saved without its value rejects its row (the value is never guessed or left empty).
    """
    from openpyxl import load_workbook  # imported here: only Excel bundles need it

    formulas = _check_workbook(path, file)
    try:
        book = load_workbook(path, data_only=True)
        written = load_workbook(path, data_only=False) if formulas else None
    except Exception as exc:
        # A damaged package fails inside openpyxl with a dozen unrelated types (BadZipFile, zlib.error,
        # ParseError, KeyError, TypeError, EOFError, NotImplementedError, ...); all mean one thing here.
        raise IngestError(f"{file}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc
    tables = [
        _sheet_table(sheet, written.worksheets[index] if written is not None else None, file)
        for index, sheet in enumerate(book.worksheets)
    ]
    book.close()
    if written is not None:
        written.close()
    return tables


def _sheet_table(sheet: Any, written: Any, file: str) -> RawTable:
    """One sheet as a table (``written``: the same sheet with its formulas, when the workbook has any)."""
    from openpyxl.utils import get_column_letter

    where = f"{file}#{sheet.title}"
    table = RawTable(where, sheet.title)
    width, span = sheet.max_column, sheet.max_row * sheet.max_column
    if span > XLSX_CELLS:
        reason = (
            f"sheet spans {sheet.dimensions} ({span:,} cells), over the {XLSX_CELLS:,}-cell budget; not read "
            "(delete the stray cells far from the table, or save the sheet as CSV)"
        )
        table.problems.append(problem(where, None, None, None, reason))
        return table
    grid = _grid(sheet, width, table)
    unvalued = _unvalued(sheet, written, grid, width)
    rows = [(r, grid[r]) for r in sorted(grid) if r in unvalued or not _blank(grid[r])]
    if not rows:
        table.problems.append(problem(where, None, None, None, f"{where} is empty", severity="warning"))
        return table
    header = _header(rows[0][1], where, table.problems)
    table.columns = header
    for number, (r, values) in enumerate(rows[1:], start=1):
        if r in unvalued:
            c, formula = unvalued[r]
            reason = (
                f"formula cell {get_column_letter(c)}{r} has no saved value (the workbook was saved without "
                "calculating); the row is rejected: open and save it in a spreadsheet program"
            )
            table.problems.append(problem(where, number, header[c - 1], formula, reason, sheet.title))
            continue
        table.rows.append((number, {h: _cell(v) for h, v in zip(header, values, strict=True)}))
    return table


def _grid(sheet: Any, width: int, table: RawTable) -> dict[int, list[Any]]:
    """The values of a sheet by row number, merged ranges filled with their top-left value (a warning each).

    Built from the cells present: ``iter_rows`` would create an object for every cell of the span.
    """
    grid: dict[int, list[Any]] = {}
    for (r, c), cell in sheet._cells.items():
        if cell.value is not None:
            grid.setdefault(r, [None] * width)[c - 1] = cell.value
    for merged in sheet.merged_cells.ranges:
        top = grid.get(merged.min_row, [None] * width)[merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            row = grid.setdefault(r, [None] * width)
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                row[c - 1] = top
        reason = f"merged cells {merged.coord} filled with their top-left value"
        table.problems.append(problem(table.file, None, None, str(merged.coord), reason, severity="warning"))
    return grid


def _unvalued(sheet: Any, written: Any, grid: dict[int, list[Any]], width: int) -> dict[int, tuple[int, str]]:
    """Rows holding a formula cell saved without its value: the first such cell's column and formula."""
    unvalued: dict[int, tuple[int, str]] = {}
    if written is None:
        return unvalued
    present: dict[tuple[int, int], Any] = sheet._cells
    for (r, c), cell in written._cells.items():
        if cell.data_type == "f" and getattr(present.get((r, c)), "value", None) is None:
            unvalued.setdefault(r, (c, str(cell.value)))
            grid.setdefault(r, [None] * width)
    return unvalued


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


class _Repeated(dict[str, Any]):
    """A JSON object whose text names a key more than once: the usual dict (last value wins) plus every pair."""

    pairs: list[tuple[str, Any]]


class _Seen(threading.local):
    """Objects with a repeated key that this thread's parser has met (see :func:`_loads`)."""

    repeats = 0


_SEEN = _Seen()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a dict, or a :class:`_Repeated` one when a key repeats (so no value is lost unseen)."""
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    _SEEN.repeats += 1
    kept = _Repeated(found)
    kept.pairs = pairs
    return kept


#: One decoder for every document (``json.loads`` with a hook would build one per call: per JSON Lines row).
_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def _loads(text: str) -> tuple[Any, bool]:
    """``json.loads`` keeping every value of a repeated key (see :class:`_Repeated`); and whether a key repeated."""
    if text.startswith("\ufeff"):  # as json.loads: a byte order mark inside the text is an error
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    before = _SEEN.repeats
    value = _DECODER.decode(text)
    return value, _SEEN.repeats != before


def _items(value: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """Every key and value of a JSON object in document order, repeated keys included."""
    return value.pairs if isinstance(value, _Repeated) else value.items()


def _repeats_inside(value: list[Any]) -> bool:
    """True when an object somewhere inside the list repeats a key (walked without recursion)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Repeated):
            return True
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


#: One value of a flattened record: (column, the key path as written or "", value).
Leaf = tuple[str, str, Any]


def _leaves(value: Mapping[str, Any], prefix: str = "", written: bool = False) -> list[Leaf]:
    """Nested objects as dotted columns (``a.b``), depth first, without recursion; every key, repeats included.

    With ``written``, each leaf also carries its key path as written in the file (for reports).
    """
    out: list[Leaf] = []
    stack: list[tuple[str, str, Iterator[tuple[str, Any]]]] = [(prefix, prefix, iter(_items(value)))]
    while stack:
        base, as_written, items = stack[-1]
        for key, item in items:
            name = f"{base}{column_key(key)}"
            path = f"{as_written}{key}" if written else ""
            if isinstance(item, Mapping):
                stack.append((f"{name}.", f"{path}.", iter(_items(item))))
                break
            out.append((name, path, item))
        else:
            stack.pop()
    return out


def _explode(item: Mapping[str, Any], field_name: str, written: bool = False) -> Iterator[list[Leaf]]:
    """The leaves of one row per item of ``item[field_name]`` (each next to the parent's own fields).

    A mapping's items become rows keyed by their key, a list's by their position (from 1). When the field is
    absent, empty or a single value, the parent alone is the row (with that value). A field repeated as written
    is checked like any repeated key (:func:`_clashes`): the items of the last one become rows.
    """
    exploded = f"{field_name}."
    parent = [
        leaf for leaf in _leaves(item, written=written)
        if not leaf[0].startswith(exploded) and not (leaf[0] == field_name and isinstance(leaf[2], list))
    ]  # fmt: skip
    occurrences = [value for key, value in _items(item) if key == field_name]
    if len(occurrences) > 1:
        parent.extend((field_name, field_name, value) for value in occurrences)
    inner = occurrences[-1] if occurrences else None
    if isinstance(inner, Mapping):
        pairs: list[tuple[Any, Any]] = list(_items(inner))
    elif isinstance(inner, list):
        pairs = list(enumerate(inner, start=1))
    else:
        pairs = []
    if not pairs:
        yield parent
        return
    for key, value in pairs:
        row = [*parent, (f"{exploded}key", f"{exploded}key", key)]
        if isinstance(value, Mapping):
            row.extend(_leaves(value, exploded, written))
        else:
            row.append((f"{exploded}value", f"{exploded}value", value))
        yield row


def _same(values: list[Any]) -> bool:
    """True when the JSON values are equal as written (``1``, ``1.0`` and ``true`` differ)."""
    return len({json.dumps(v, sort_keys=True, default=str) for v in values}) == 1


def _quoted(key: str, limit: int = 60) -> str:
    return repr(key if len(key) <= limit else f"{key[:limit]}…")


def _clashes(leaves: list[Leaf], file: str, number: int, name: str) -> list[RowError]:
    """A problem for every column that several keys of one row name, and for lists hiding a repeated key.

    Keys name one column when they are equal once case and spaces are ignored (``Serial``, ``serial``,
    `` serial ``) or repeated as written. Values equal: a warning, the value kept once. Values that differ:
    an error that rejects the row (no value is silently preferred to another). An object inside a list
    value that repeats a key is an error too.
    """
    paths: dict[str, list[tuple[str, Any]]] = {}
    problems: list[RowError] = []
    for column, path, value in leaves:
        paths.setdefault(column, []).append((path, value))
        if isinstance(value, list) and _repeats_inside(value):
            reason = f"an object inside the list {_quoted(path)} repeats a key, so one of its values would be lost"
            problems.append(problem(file, number, column, value, reason, name))
    for column, found in paths.items():
        if len(found) < 2:
            continue
        keys = ", ".join(_quoted(path) for path, _ in found)
        named = f"{len(found)} keys ({keys}) name column {column!r} (case and spaces are ignored)"
        values = [value for _, value in found]
        if _same(values):
            reason = f"{named}; their values are equal and kept once"
            problems.append(problem(file, number, column, values[0], reason, name, severity="warning"))
        else:
            reason = f"{named} with different values; the row is rejected rather than one value kept"
            problems.append(problem(file, number, column, [[path, value] for path, value in found], reason, name))
    return problems


def _record_rows(
    file: str, name: str, problems: list[RowError], number: int, item: Mapping[str, Any], explode: str, repeated: bool
) -> list[dict[str, Any]]:
    """A record's rows (several when exploded), or none when keys clash with different values (:func:`_clashes`).

    The record's problems are added to ``problems`` (before its rows are taken, so a stream's problems are
    complete up to the row it gives). ``repeated``: whether the text the record came from repeats a key
    anywhere. A clash among the parent's keys shows in every exploded row; it is reported once.
    """
    rows = list(_explode(item, explode)) if explode else [_leaves(item)]
    built = [{column: value for column, _, value in leaves} for leaves in rows]
    if not repeated and all(len(row) == len(leaves) for row, leaves in zip(built, rows, strict=True)):
        return built  # every column named once: nothing to check
    rows = list(_explode(item, explode, written=True)) if explode else [_leaves(item, written=True)]
    found = [p for leaves in rows for p in _clashes(leaves, file, number, name)]
    unique = list({(p.column, p.value, p.reason, p.severity): p for p in found}.values())
    problems.extend(unique)
    return [] if any(p.rejects_row for p in unique) else built


def _jsonl_rows(lines: Iterator[str], blank: bool, table: RawStream) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of JSON Lines text given line by line (one object per line); problems go to ``table``."""
    file, name, problems = table.file, table.name, table.problems
    if blank:
        problems.append(problem(file, None, None, None, f"{file} is empty", severity="warning"))
        return
    record = 0
    for line in lines:
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        record += 1
        table.rows_in = record
        if table.undecodable and (why := undecoded(line)):
            problems.append(problem(file, record, None, safe_text(line), why, name))
            continue
        try:
            item, repeated = _loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: JSONDecodeError, or a number too long
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else _json_error(exc)
            problems.append(problem(file, record, None, line, f"not valid JSON ({reason})", name))
            continue
        if not isinstance(item, dict):
            problems.append(problem(file, record, None, line, "a JSON Lines row must be an object", name))
            continue
        if _too_deep(item):
            problems.append(problem(file, record, None, line, f"nested more than {MAX_DEPTH} levels", name))
            continue
        for row in _record_rows(file, name, problems, record, item, "", repeated):
            yield record, row


def read_json(text: str, file: str, name: str, options: ReadOptions) -> RawTable:
    """Records of a nested JSON document (see :class:`ReadOptions`); a record holding a byte that is not
    UTF-8 is a row error."""
    table = RawTable(file, name)
    if not text.strip():
        table.problems.append(problem(file, None, None, None, f"{file} is empty", severity="warning"))
        return table
    try:
        document, repeated = _loads(text)
    except (ValueError, RecursionError) as exc:
        raise IngestError(f"{file}: not valid JSON ({_json_error(exc)})") from exc
    checked = bool(_UNDECODED.search(text))
    for number, item in enumerate(_records_at(document, options.records, file), start=1):
        reason = _unreadable_record(item, checked)
        if reason is not None:
            shown = item if reason == _NOT_AN_OBJECT else None
            table.problems.append(problem(file, number, None, shown, reason, name))
            continue
        rows = _record_rows(file, name, table.problems, number, item, options.explode, repeated)
        table.rows.extend((number, row) for row in rows)
    return table


def _records_at(document: Any, path: str, file: str) -> list[Any]:
    """The list of records at the dotted ``path`` of a JSON document (a mapping's values in order); IngestError
    when the path is missing, ambiguous (a key repeated on the way) or leads to something else."""
    records: Any = document
    for part in [p for p in path.split(".") if p]:
        if not isinstance(records, Mapping) or part not in records:
            raise IngestError(f"{file}: no {path!r} in the document")
        if sum(1 for key, _ in _items(records) if key == part) > 1:
            raise IngestError(f"{file}: {part!r} appears more than once on the way to {path!r}")
        records = records[part]
    if isinstance(records, Mapping):
        records = [value for _, value in _items(records)]
    if not isinstance(records, list):
        raise IngestError(f"{file}: {path or 'the document'} is not a list of records")
    return records


_NOT_AN_OBJECT = "a record must be a JSON object"


def _unreadable_record(item: Any, checked: bool) -> str | None:
    """Why one record of a JSON document is a row error (too deep, not an object, not UTF-8), or None."""
    if _too_deep(item):  # checked first: even the report's copy of the value would recurse
        return f"nested more than {MAX_DEPTH} levels"
    if not isinstance(item, dict):
        return _NOT_AN_OBJECT
    if checked:
        return undecoded(json.dumps(item, ensure_ascii=False, default=str))
    return None


def open_file(path: Path, file: str, options: ReadOptions | None = None) -> list[RawStream]:
    """Every table in one file as a stream: CSV and JSON Lines rows are read as they are taken
    (memory holds a row, not the file); Excel and JSON documents are read whole first."""
    if path.is_symlink():
        raise IngestError(f"{file}: a symbolic link; not read (it may point outside the bundle)")
    suffix = path.suffix.lower()
    name = path.stem.lower()
    options = options or ReadOptions()
    if suffix in XLSX_SUFFIXES:
        return [RawStream.of(table) for table in read_xlsx(path, file)]
    if suffix in JSON_SUFFIXES:
        text, problems, _ = decode(path.read_bytes(), file)
        table = read_json(text, file, name, options)
        table.problems[:0] = problems
        return [RawStream.of(table)]
    if suffix not in CSV_SUFFIXES and suffix not in JSONL_SUFFIXES:
        raise IngestError(f"{file}: no reader for {suffix!r} files (use one of {', '.join(SUFFIXES)})")
    lines, blank, problems, undecodable = text_lines(path, file)
    stream = RawStream(file, name, iter(()), problems, undecodable=undecodable)
    lines = _uncommented(lines, options)
    if suffix in CSV_SUFFIXES:
        stream.rows = _csv_rows(lines, blank, stream, options)
    else:
        stream.rows = _jsonl_rows(lines, blank, stream)
    return [stream]


#: Bytes read at a time when a file is checked or read line by line.
BLOCK = 1 << 20


def text_lines(path: Path, file: str) -> tuple[Iterator[str], bool, list[RowError], bool]:
    """The lines of a text file as :func:`decode` and :func:`_lines` would give them, whether it is
    blank, the decoding warnings, and whether some bytes are not UTF-8.

    A file starting with a UTF-16 byte order mark is decoded whole; any other is read line by line
    as UTF-8, bytes that are not UTF-8 kept as ``surrogateescape`` characters (the rows holding them
    are rejected by the readers).
    """
    with path.open("rb") as handle:
        start = handle.read(len(codecs.BOM_UTF8))
        skip = len(start) if start == codecs.BOM_UTF8 else 0
        handle.seek(skip)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, problems, _ = decode(path.read_bytes(), file)
            return iter(_lines(text)), not text.strip(), problems, False
        strict = codecs.getincrementaldecoder("utf-8")()
        loose = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        blank = True
        offset = skip
        bad_at: int | None = None
        while block := handle.read(BLOCK):
            if bad_at is None:
                try:
                    strict.decode(block)
                except UnicodeDecodeError as exc:
                    bad_at = max(skip, offset + exc.start)
            if blank and loose.decode(block).strip():
                blank = False
            offset += len(block)
        if bad_at is None:
            try:
                strict.decode(b"", final=True)
            except UnicodeDecodeError:  # a multi-byte character cut by the end of the file
                bad_at = offset
        if blank and loose.decode(b"", final=True).strip():
            blank = False
    problems = [] if bad_at is None else [_not_utf8(file, bad_at)]
    return (
        _utf8_lines(path, skip, "strict" if bad_at is None else "surrogateescape"),
        blank,
        problems,
        bad_at is not None,
    )


def _utf8_lines(path: Path, skip: int, errors: str = "strict") -> Iterator[str]:
    """Lines of a UTF-8 file after its first ``skip`` bytes, ends kept, broken at CR, LF and CRLF only."""
    with path.open("rb") as raw:
        raw.seek(skip)
        with io.TextIOWrapper(raw, encoding="utf-8", errors=errors, newline="") as text:
            yield from text
