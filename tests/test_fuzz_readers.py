"""Property-based fuzzing of every reader: CSV/TSV, XLSX, JSON Lines and nested JSON.

Arbitrary bytes and structured-but-hostile content (NUL, lone surrogates, BOMs, mixed and
Unicode line breaks, ragged rows, duplicate or empty headers, huge fields and numbers, deep
nesting, formulas, truncated or corrupted workbooks) go through the public read path
(:func:`armsgraph.ingest.readers.open_file`, each stream taken whole) and, for a few examples,
through the full ingest of a one-file bundle with a column mapping. Properties:

- the only exception is :class:`armsgraph.errors.IngestError` (a file that cannot be read at all);
- nothing is silently dropped: the data rows a reader saw are numbered 1..n without gaps, and
  every number is either a read row or a rejected one (never both), the rejection naming file,
  row and reason; after the full pipeline ``rows_in == accepted + rejected + duplicates``;
- JSON keys that name one column (``Serial`` / ``serial``, or repeated as written) never lose a value
  silently: the row keeps every value only when they agree, else it is rejected naming that column.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from armsgraph.errors import IngestError
from armsgraph.graph.store import GraphStore
from armsgraph.ingest.mapping import parse_mapping
from armsgraph.ingest.pipeline import IngestSettings, ingest_bundle
from armsgraph.ingest.readers import JsonOptions, RawTable, column_key, open_file
from armsgraph.ingest.report import VALUE_SHOWN

READS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INGESTS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# -- strategies ---------------------------------------------------------------------------------
#: Text that readers trip over: control and format characters, every kind of line break, quotes,
#: delimiters, formulas, lone surrogates, BOMs.
HOSTILE = [
    "", " ", "\x00", "\ufeff", "\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", '"', '""',
    '"a', 'a"b', "'", ",", ";", "\t", "|", "\\", "\ud800", "\udfff", "=1+1", '=HYPERLINK("http://x")', "@SUM(A1)",
    "+1", "-1", "{", "[", "]]", "{}", "[]", "null", "NaN", "1e999", "9" * 5000, "é", "𝕏", "‮",
    "<script>alert(1)</script>",
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=3), max_size=5).map("".join),
)
#: Fields over the 100,000-character cell limit (and one of many short lines inside one field).
huge_text = st.sampled_from([("x", 120_000), ("\x00", 120_000), ('"', 60_000), ("é\n", 2_000)]).map(
    lambda cn: cn[0] * cn[1]
)
#: Mostly short hostile text; about one field in twenty is huge.
field_text = st.integers(0, 19).flatmap(lambda i: huge_text if i == 0 else hostile_text)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]


def encode(text: str, encoding: str) -> bytes:
    """Text as bytes; characters the encoding lacks (lone surrogates too) become invalid bytes or '?'."""
    if encoding.startswith("utf"):
        return text.encode(encoding, errors="surrogatepass")
    return text.encode(encoding, errors="replace")


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A delimited file: maybe-duplicate/empty header, ragged rows, mixed newlines, raw junk lines."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(0, 5))
    header = draw(st.lists(st.sampled_from(["id", "ID", " id ", "", "name", "date", "a b"]) | hostile_text,
                           min_size=width, max_size=width))  # fmt: skip
    rows = draw(st.lists(st.lists(field_text, min_size=max(0, width - 2), max_size=width + 2), max_size=8))
    out = io.StringIO()
    for values in [header, *rows]:
        if draw(st.integers(0, 9)) == 0:
            out.write(draw(hostile_text))  # a line no writer made
        newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\u2028"]))
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerow(values)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]  # cut anywhere, even inside a quoted field
    return encode(text, draw(st.sampled_from(ENCODINGS)))


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), field_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=5),
    max_leaves=20,
)
#: Texts no JSON encoder writes: deep nesting, numbers beyond int limits, cut documents.
json_junk = st.one_of(
    st.builds(
        lambda n, c: c[0] * n + c[1] * n,
        st.sampled_from([5, 900, 5_000, 200_000]),
        st.sampled_from([("[", "]"), ('{"a":', "}"), ("[", "")]),
    ),
    st.builds(lambda n: '{"a": ' + "1" * n + "}", st.sampled_from([4_300, 5_000])),
    st.just('{"a": 1e99999}'),
    st.just('{"a": 1, "A": 2, " a ": 3}'),
    hostile_text,
)


def dump(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


@st.composite
def jsonl_bytes(draw: st.DrawFn) -> bytes:
    lines = draw(
        st.lists(
            st.one_of(
                st.builds(dump, st.dictionaries(hostile_text, json_values, max_size=6), st.booleans()),
                st.builds(dump, json_values, st.booleans()),
                json_junk,
            ),
            max_size=10,
        )
    )
    newlines = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]), min_size=len(lines), max_size=len(lines)))
    text = "".join(line + newline for line, newline in zip(lines, newlines, strict=True))
    return encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def json_bytes(draw: st.DrawFn) -> tuple[bytes, JsonOptions]:
    records = st.lists(st.dictionaries(st.sampled_from(["id", "items", "x", "Items"]) | hostile_text, json_values,
                                       max_size=4) | json_values, max_size=6)  # fmt: skip
    document = draw(
        st.one_of(
            records,
            st.fixed_dictionaries({"data": records}),
            st.fixed_dictionaries({"a": st.fixed_dictionaries({"b": records | json_values})}),
            st.dictionaries(hostile_text, json_values, max_size=4),
            json_values,
        )
    )
    text = draw(st.sampled_from([True, False]).map(lambda ascii_only: dump(document, ascii_only)) | json_junk)
    options = JsonOptions(draw(st.sampled_from(["", "data", "a.b", "missing"])), draw(st.sampled_from(["", "items"])))
    return encode(text, draw(st.sampled_from(ENCODINGS))), options


cell_values = st.one_of(
    st.none(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["=1+1", "=A1", "=#REF!", "=1/0", '=HYPERLINK("http://x")', "=SUM(A1:A3)", "@x", "'=quoted"]),
    hostile_text,
    huge_text,
)


@st.composite
def xlsx_bytes(draw: st.DrawFn) -> bytes:
    """A workbook written by openpyxl (formulas, merges even beyond the data), then maybe cut or corrupted."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def writable(value: Any) -> Any:  # openpyxl refuses control characters and cells over 32,767 characters
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767] if isinstance(value, str) else value

    book = Workbook()
    for index in range(draw(st.integers(1, 2))):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = draw(st.sampled_from(["incidents", "persons", "Sheet", "data"])) + (str(index) if index else "")
        for values in draw(st.lists(st.lists(cell_values, max_size=5), max_size=6)):
            sheet.append([writable(v) for v in values])
        for _ in range(draw(st.integers(0, 2))):
            top, left = draw(st.integers(1, 8)), draw(st.integers(1, 6))
            sheet.merge_cells(
                start_row=top, start_column=left,
                end_row=top + draw(st.integers(0, 3)), end_column=left + draw(st.integers(0, 2)),
            )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    # Positions are drawn independently of the size: the zip's timestamps make the size vary between runs,
    # and hypothesis needs the same draws to give the same example.
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "replace-member"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, 2**20)) % len(data)]
    elif damage == "flip":
        flipped = bytearray(data)
        for i in draw(st.lists(st.integers(0, 2**20), min_size=1, max_size=8)):
            flipped[i % len(data)] ^= 0xFF
        data = bytes(flipped)
    elif damage == "replace-member":
        data = _replace_member(data, draw(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                                         "[Content_Types].xml", "xl/styles.xml"])),
                               draw(st.binary(max_size=200) | st.sampled_from([b"<x/>", b"<?xml", b""])))  # fmt: skip
    return data


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same zip with one member's content replaced (well-formed zip, hostile XML)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


# -- properties ---------------------------------------------------------------------------------
def check_table(table: RawTable, file: str) -> None:
    """Every data row the reader saw is read or rejected (never both, never neither), rejections say where and why."""
    assert table.file == file or table.file.startswith(f"{file}#")
    read = {n for n, _ in table.rows}
    rejected = {p.row for p in table.problems if p.rejects_row}
    assert not read & rejected, f"rows both read and rejected: {sorted(read & rejected)}"
    assert read | rejected == set(range(1, table.rows_in + 1)), "row numbers have gaps: a row vanished"
    for p in table.problems:
        assert p.file == table.file and p.reason and p.severity in ("error", "warning")
        assert p.row is None or p.row >= 1
        assert p.value is None or len(p.value) <= VALUE_SHOWN + 40, "a huge value was copied into the report"
    for _, row in table.rows:
        assert all(isinstance(k, str) for k in row)


def read_file(path: Path, file: str, options: JsonOptions | None = None) -> list[RawTable]:
    """Every table of one file, each stream of :func:`open_file` read to its end."""
    return [RawTable(t.file, t.name, list(t.rows), t.problems, t.columns) for t in open_file(path, file, options)]


def read_one(tmp: Path, name: str, data: bytes, options: JsonOptions | None = None) -> list[RawTable] | None:
    """``read_file`` on one file; None when it refused the file with IngestError (the documented refusal)."""
    path = tmp / name
    path.write_bytes(data)
    try:
        tables = read_file(path, name, options)
    except IngestError as exc:
        assert name in str(exc)
        return None
    for table in tables:
        check_table(table, name)
    return tables


def fuzz_read(name: str, data: bytes, options: JsonOptions | None = None) -> list[RawTable] | None:
    with tempfile.TemporaryDirectory() as tmp:
        return read_one(Path(tmp), name, data, options)


@READS
@given(data=st.binary(max_size=3_000), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".ndjson", ".json"]))
@example(data=codecs.BOM_UTF16_LE + b"a", suffix=".csv")  # odd-length UTF-16
@example(data=codecs.BOM_UTF16_BE + b"\xd8\x00", suffix=".jsonl")  # lone surrogate in UTF-16
@example(data=b"\x00\x00\x00", suffix=".csv")
def test_any_bytes_as_text_files(data: bytes, suffix: str) -> None:
    fuzz_read(f"data{suffix}", data)


@READS
@given(data=csv_bytes(), suffix=st.sampled_from([".csv", ".tsv"]))
@example(data='id,name\r\n1,"a\u2028b"\r\n2,c\r\n'.encode(), suffix=".csv")  # U+2028 is no CSV line break
@example(data=b'"a\x00,b\n1,2\n', suffix=".csv")
@example(data=b'"id\n', suffix=".csv")
@example(data=b"id,name\n" + b'","' * 20_000 + b"\n", suffix=".csv")  # csv.Sniffer took minutes on this
def test_hostile_csv(data: bytes, suffix: str) -> None:
    tables = fuzz_read(f"data{suffix}", data)
    assert tables is not None, "a delimited file is always readable"


def test_unicode_line_separators_inside_fields_stay_inside_their_row(tmp_path: Path) -> None:
    text = 'id,name\n1,a\u2028b\x85c\x0cd\n2,"e\u2029f"\n'
    [table] = read_one(tmp_path, "data.csv", text.encode()) or []
    assert table.rows == [(1, {"id": "1", "name": "a\u2028b\x85c\x0cd"}), (2, {"id": "2", "name": "e\u2029f"})]
    [lines] = read_one(tmp_path, "data.jsonl", json.dumps({"n": "a\u2028b\x85c"}, ensure_ascii=False).encode()) or []
    assert lines.rows == [(1, {"n": "a\u2028b\x85c"})] and not lines.problems


@READS
@given(data=jsonl_bytes())
@example(data=b"[" * 100_000 + b"\n" + b'{"ok": 1}\n')  # nesting beyond the parser's recursion limit
@example(data=b'{"a": ' + b"1" * 5_000 + b"}\n")  # more digits than int() converts
@example(data='{"a": "x\u2028y"}\n'.encode())  # a raw line separator inside a JSON string
def test_hostile_json_lines(data: bytes) -> None:
    fuzz_read("data.jsonl", data)


@READS
@given(case=json_bytes())
@example(case=(b"[" * 100_000, JsonOptions()))
@example(case=(b'[{"a": ' + b"1" * 5_000 + b"}]", JsonOptions()))
@example(case=(b'[{"items": {"k": 1}}, 3, "x"]', JsonOptions(explode="items")))
@example(case=(json.dumps([{"a": {"b": {}}}] * 2).encode(), JsonOptions()))
def test_hostile_json(case: tuple[bytes, JsonOptions]) -> None:
    data, options = case
    fuzz_read("data.json", data, options)


def _nested(depth: int) -> bytes:
    """A record ``{"a": {"a": ... 1}}`` nested ``depth`` deep."""
    return b'{"a": ' * depth + b"1" + b"}" * depth


def test_records_nested_too_deep_are_row_errors(tmp_path: Path) -> None:
    lines = b'{"ok": 1}\n' + _nested(100) + b'\n{"ok": 2}\n'
    [table] = read_one(tmp_path, "data.jsonl", lines) or []
    assert [n for n, _ in table.rows] == [1, 3]
    [bad] = [p for p in table.problems if p.rejects_row]
    assert (bad.row, bad.column, bad.reason) == (2, None, "nested more than 64 levels")
    [document] = read_one(tmp_path, "data.json", b"[" + _nested(100) + b', {"ok": 1}, [[1]]]') or []
    assert [n for n, _ in document.rows] == [2]
    assert [(p.row, p.reason) for p in document.problems] == [
        (1, "nested more than 64 levels"),
        (3, "a record must be a JSON object"),
    ]


def as_written(pairs: list[tuple[str, Any]]) -> str:
    """A JSON object with exactly these keys and values, in order, repeats included (json.dumps would merge them)."""
    return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"


@READS
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["id", "ID", " id ", "Id", "name", "Name ", "a b", "A  B"]),
            st.sampled_from([0, 1, 1.0, True, "x", "X", None, [1], ["1"]]),
        ),
        max_size=6,
    )
)
@example(pairs=[("Serial", "A"), ("serial", "B")])
@example(pairs=[("n", 1), ("N", 1.0)])
def test_keys_naming_one_column_lose_no_value(pairs: list[tuple[str, Any]]) -> None:
    # Keys equal once case and spaces are ignored (or repeated as written) name one column: the row keeps
    # every value written only when they agree; otherwise it is rejected, naming that column.
    [table] = fuzz_read("data.jsonl", as_written(pairs).encode() + b"\n") or []
    written: dict[str, set[str]] = {}
    for key, value in pairs:
        written.setdefault(column_key(key), set()).add(json.dumps(value))
    differ = {column for column, values in written.items() if len(values) > 1}
    if differ:
        assert not table.rows
        assert {p.column for p in table.problems if p.rejects_row} == differ
    else:
        assert table.rows == [(1, {column: json.loads(next(iter(v))) for column, v in written.items()})]
        repeated = {column_key(k) for k, _ in pairs if sum(column_key(o) == column_key(k) for o, _ in pairs) > 1}
        assert {p.column for p in table.problems if p.severity == "warning"} == repeated


def test_colliding_keys_are_reported_with_file_row_column_and_both_values(tmp_path: Path) -> None:
    lines = [
        as_written([("Serial", "A1"), ("serial", "B2"), ("make", "Glock")]),  # 1: different values: rejected
        as_written([("Serial", "A1"), (" serial ", "A1")]),  # 2: equal values: kept once, with a warning
        as_written([("serial", "A1"), ("serial", "B2")]),  # 3: repeated as written
        as_written([("Loc", {"City": "X"}), ("loc", {"city": "Y"})]),  # 4: nested objects meet in loc.city
        as_written([("n", 1), ("N", 1.0)]),  # 5: 1 and 1.0 differ as written
        '{"guns": [{"serial": "A", "serial": "B"}]}',  # 6: a repeat inside a list value
        as_written([("ok", 1)]),
    ]
    [table] = read_one(tmp_path, "data.jsonl", "\n".join(lines).encode()) or []
    assert table.rows == [(2, {"serial": "A1"}), (7, {"ok": 1})]
    found = [(p.row, p.column, p.severity, p.value) for p in table.problems]
    assert found == [
        (1, "serial", "error", '[["Serial", "A1"], ["serial", "B2"]]'),
        (2, "serial", "warning", "A1"),
        (3, "serial", "error", '[["serial", "A1"], ["serial", "B2"]]'),
        (4, "loc.city", "error", '[["Loc.City", "X"], ["loc.city", "Y"]]'),
        (5, "n", "error", '[["n", 1], ["N", 1.0]]'),
        (6, "guns", "error", '[{"serial": "B"}]'),
    ]
    assert table.problems[0].file == "data.jsonl" and table.problems[0].reason == (
        "2 keys ('Serial', 'serial') name column 'serial' (case and spaces are ignored) with different values; "
        "the row is rejected rather than one value kept"
    )
    assert table.problems[1].reason.endswith("their values are equal and kept once")
    assert table.problems[5].reason.startswith("an object inside the list 'guns' repeats a key")


def test_colliding_keys_in_a_json_document_and_its_exploded_field(tmp_path: Path) -> None:
    records = (
        '[{"id": "a", "ID": "b", "items": [1, 2]},'  # 1: the parent's clash is reported once, not per item
        ' {"id": "c", "items": [{"key": "x"}]},'  # 2: an item's own "key" meets the exploded items.key
        ' {"id": "d", "items": []},'  # 3: nothing to explode: the parent alone
        ' {"id": "e", "items": 7},'  # 4: a single value stays a column
        ' {"id": "f", "items": [1], "items": [2]}]'  # 5: the exploded field itself repeated
    )
    [table] = read_one(tmp_path, "data.json", records.encode(), JsonOptions(explode="items")) or []
    assert table.rows == [(3, {"id": "d"}), (4, {"id": "e", "items": 7})]
    assert [(p.row, p.column, p.severity) for p in table.problems] == [
        (1, "id", "error"), (2, "items.key", "error"), (5, "items", "error"),
    ]  # fmt: skip
    path = tmp_path / "doc.json"
    path.write_bytes(b'{"data": [{"id": 1}], "data": [{"id": 2}]}')
    with pytest.raises(IngestError, match=r"^doc\.json: 'data' appears more than once"):
        read_file(path, "doc.json", JsonOptions(records="data"))


def test_undecodable_utf16_is_read_with_a_warning(tmp_path: Path) -> None:
    odd = "id,name\r\n1,Ana\r\n".encode("utf-16") + b"\x00"  # one byte short of a character at the end
    [table] = read_one(tmp_path, "data.csv", odd) or []
    assert table.rows == [(1, {"id": "1", "name": "Ana"})]
    assert [(p.severity, p.row) for p in table.problems] == [("warning", None), ("error", 2)]
    assert table.problems[0].reason.startswith("data.csv is not valid UTF-16 (byte 34: truncated data)")


def test_a_cut_workbook_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(_as_xlsx([{c: "x" for c in PERSON_COLUMNS}])[:-30])
    with pytest.raises(IngestError, match=r"^data\.xlsx: not a readable Excel workbook \(BadZipFile: "):
        read_file(path, "data.xlsx")


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about the damage it works around
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=xlsx_bytes() | st.binary(max_size=2_000).map(lambda raw: b"PK\x03\x04" + raw))
@example(data=b"")
@example(data=b"PK\x03\x04")
@example(data=b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
def test_hostile_xlsx(data: bytes) -> None:
    fuzz_read("data.xlsx", data)


# -- the whole pipeline on one-file bundles -------------------------------------------------------
def _mapping(match: str) -> Any:
    return parse_mapping(
        {
            "name": "fuzz",
            "source": "fuzz",
            "files": [
                {
                    "match": match,
                    "records": [
                        {
                            "type": "persons",
                            "columns": {
                                "person_record_id": "id",
                                "name": {"template": "{name} {id}"},
                                "date_of_birth": {"column": "date", "date_format": "%Y-%m-%d"},
                                "nationality": {"column": "country"},
                                "aliases": {"column": "aliases", "split": "|"},
                            },
                        }
                    ],
                }
            ],
        }
    )


PERSON_COLUMNS = ["id", "name", "date", "country", "aliases"]
person_rows = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["P-1", "P-2", "P-3", "P-1 ", ""]) | hostile_text,
            "name": st.sampled_from(["Ana Gomez", "ANA  GÓMEZ", "Juan", "Juan"]) | field_text,
            "date": st.sampled_from(["1980-02-29", "1981-02-29", "29/02/1980", "", ""]) | hostile_text,
            "country": st.sampled_from(["Mexico", "MEX", "Atlantis", "", ""]) | hostile_text,
            "aliases": hostile_text,
        }
    ),
    max_size=6,
)


def _as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, PERSON_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return encode(out.getvalue(), "utf-8")


def _as_jsonl(rows: list[dict[str, Any]]) -> bytes:
    return encode("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _as_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(PERSON_COLUMNS)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(row[c]))[:32_767] for c in PERSON_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS: dict[str, Callable[[list[dict[str, Any]]], bytes]] = {
    ".csv": _as_csv,
    ".jsonl": _as_jsonl,
    ".json": lambda rows: encode(json.dumps(rows, ensure_ascii=False), "utf-8"),
    ".xlsx": _as_xlsx,
}


def _ingest(store: GraphStore, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        bundle.mkdir()
        (bundle / name).write_bytes(data)
        try:
            report = ingest_bundle(
                store, bundle, _mapping("data.*"), progress=False, settings=IngestSettings(checkpoint=False)
            )
        except IngestError:
            return
    assert report.rows_in == report.accepted + report.rejected + report.duplicates, report.to_dict()
    for p in report.problems:
        if p.rejects_row:
            assert p.file.split("#")[0] == name and p.row is not None and p.row >= 1 and p.reason
    for counts in report.files:
        assert counts.rows_in == counts.accepted + counts.rejected + counts.duplicates, counts


def _person_file(suffix: str, rows: list[dict[str, Any]]) -> tuple[str, bytes]:
    return f"data{suffix}", WRITERS[suffix](rows)


#: One-file bundles: hostile person rows in every format, or hostile files whose columns rarely fit.
bundles = st.one_of(
    st.builds(_person_file, st.sampled_from(sorted(WRITERS)), person_rows),
    st.builds(_person_file, st.sampled_from(sorted(WRITERS)), person_rows),
    csv_bytes().map(lambda data: ("data.csv", data)),
    jsonl_bytes().map(lambda data: ("data.jsonl", data)),
    xlsx_bytes().map(lambda data: ("data.xlsx", data)),
)
_HUGE_NAME = {"id": "P-1", "name": "x" * 120_000, "date": "", "country": "", "aliases": ""}
_ANA = {"id": "P-1", "name": "Ana", "date": "1980-01-01", "country": "MEX", "aliases": "a|b"}


@pytest.mark.filterwarnings("ignore::UserWarning")
@INGESTS
@given(bundle=bundles)
@example(bundle=_person_file(".csv", [_HUGE_NAME, _ANA]))  # one row over the cell limit, one fine
@example(bundle=_person_file(".jsonl", [_ANA, _ANA, {**_ANA, "date": "1980-02-30"}]))  # a repeat and a bad date
@example(bundle=_person_file(".xlsx", [_ANA, {**_ANA, "id": "=1+1"}]))
def test_hostile_bundles_through_the_whole_pipeline(embedded: GraphStore, bundle: tuple[str, bytes]) -> None:
    _ingest(embedded, *bundle)
