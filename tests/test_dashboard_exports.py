"""CSV exports: every table leaves the dashboard with cells a spreadsheet would run as formulas made inert."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from armsgraph.dashboard import audit_view
from armsgraph.reports import exports

#: Text that spreadsheets (Excel, LibreOffice, Google Sheets) run as a formula when a CSV is opened.
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1"]


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", FORMULAS, ids=["equals", "plus", "at", "minus", "tab", "cr"])
def test_formula_cells_get_a_leading_quote(text: str) -> None:
    [header, row] = rows_of(exports.to_csv(pd.DataFrame({"name": [text]})))
    assert header == ["name"] and row == [f"'{text}"]


def test_a_line_break_inside_a_cell_cannot_start_a_live_row() -> None:
    text = 'Ana\r=HYPERLINK("http://x")\nRuiz'
    data = exports.to_csv(pd.DataFrame({"name": [text, "Bo"]}))
    assert rows_of(data) == [["name"], [text], ["Bo"]]  # a bare CR would have split the cell into two rows
    assert data.endswith(b"\r\nBo\r\n")


def test_other_cells_and_lists_are_written_as_they_are() -> None:
    frame = pd.DataFrame(
        {
            "name": ["Ana Ruiz", "it's =fine inside", "", None],
            "count": [-5, 0, 3, 7],
            "sources": [["a.csv#1", "=b"], ["=c.csv#2", "d"], [], ["x"]],
        }
    )
    header, *rows = rows_of(exports.to_csv(frame))
    assert header == ["name", "count", "sources"]
    assert rows == [
        ["Ana Ruiz", "-5", "a.csv#1; =b"],  # a number is a number, not a formula; the joined cell starts with "a"
        ["it's =fine inside", "0", "'=c.csv#2; d"],  # a list whose joined text would start a formula
        ["", "3", ""],
        ["", "7", "x"],
    ]


def test_the_audit_log_csv_uses_the_same_guard() -> None:
    frame = pd.DataFrame(
        [{"line": 1, "seq": 1, "time": pd.Timestamp("2024-01-02T03:04:05Z"), "user": text, "role": "analyst",
          "action": "query", "target": "entity", "params": "{}"} for text in FORMULAS]
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(audit_view.to_csv(frame).decode("utf-8"), newline="")))
    assert [r["user"] for r in rows] == [f"'{text}" for text in FORMULAS]
    assert {r["time"] for r in rows} == {"2024-01-02T03:04:05.000+00:00"}
