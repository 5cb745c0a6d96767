"""The one date module: known answers at the calendar's edges (leap days, 30- and 31-day months, partial dates)."""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pandas as pd
import pytest

import armsgraph.dates
from armsgraph.dates import (
    days_between,
    days_between_series,
    month_number,
    months_before,
    start_of,
    start_of_series,
    to_iso,
    year_of,
)
from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise.dates import DateType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", "2024-02-29"),  # leap year
        ("29/02/2024", "2024-02-29"),
        ("2000-02-29", "2000-02-29"),  # divisible by 400: a leap year
        ("2021-04-30", "2021-04-30"),
        ("31.12.2021", "2021-12-31"),
        ("2021-3-4", "2021-03-04"),
        ("2021-03-04T10:15:00Z", "2021-03-04"),  # the time is dropped
        ("2021", "2021"),  # partial dates stay partial
        ("2021-03", "2021-03"),
        ("March 2021", "2021-03"),
        ("03/2021", "2021-03"),
        ("4 Mar 2021", "2021-03-04"),
    ],
)
def test_to_iso_known_answers(text: str, expected: str) -> None:
    assert to_iso(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023-02-29", "day is out of range"),  # not a leap year
        ("1900-02-29", "day is out of range"),  # divisible by 100, not by 400
        ("2021-04-31", "day is out of range"),  # April has 30 days
        ("2021-13", "month must be in 1..12"),
        ("next tuesday", "use ISO 8601"),
    ],
)
def test_to_iso_refuses_days_the_calendar_lacks(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        to_iso(text)


def test_the_ingest_date_type_uses_it_and_names_the_value() -> None:
    assert DateType().clean("29/02/2024") == "2024-02-29"
    with pytest.raises(InvalidValueError, match=r"'2021-04-31' is not a known date \(day is out of range"):
        DateType().clean("2021-04-31")
    with pytest.raises(InvalidValueError, match="year outside 1800-2100"):
        DateType().clean("1700-01-01")
    assert DateType(formats=("%m/%d/%Y",)).clean("02/29/2024") == "2024-02-29"  # a mapping's date_format


def test_start_of_takes_partial_dates_at_their_start() -> None:
    assert start_of("2021") == dt.date(2021, 1, 1)
    assert start_of("2021-03") == dt.date(2021, 3, 1)
    assert start_of("2024-02-29") == dt.date(2024, 2, 29)
    assert [start_of(v) for v in ("", None, "2023-02-29", "garbage", 2021)] == [None] * 5


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2024-02-28", "2024-03-01", 2),  # across a leap day
        ("2023-02-28", "2023-03-01", 1),
        ("2021-04-01", "2021-05-01", 30),  # a 30-day month
        ("2021-03-01", "2021-04-01", 31),  # a 31-day month
        ("2020-01-01", "2021-01-01", 366),
        ("2021-01-01", "2022-01-01", 365),
        ("2021-03-04", "2021-03-04", 0),
        ("2021", "2021-01-31", 30),  # a partial date counts from its start
        ("2021-03-05", "2021-03-04", None),  # the end before the start
        ("2021-03-05", None, None),
    ],
)
def test_days_between(start: str, end: str | None, days: int | None) -> None:
    assert days_between(start, end) == days


#: Values a date column may hold: whole, partial, impossible, absent and not text at all.
COLUMN_VALUES = [
    "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2021-04-30", "2021-04-31", "2021-03-31", "2021",
    "2021-03", "2021-13", "2021-3-4", "2021-03-04T10:15:00Z", "2021-", "0000", "", "garbage", None, np.nan, 2021,
]  # fmt: skip


def test_start_of_series_gives_the_scalar_answers() -> None:
    got = start_of_series(pd.Series(COLUMN_VALUES, dtype=object))
    expected = [start_of(v) for v in COLUMN_VALUES]
    assert [None if pd.isna(t) else t.date() for t in got] == expected
    assert expected[:3] == [dt.date(2024, 2, 29), None, None] and expected[7:9] == [
        dt.date(2021, 1, 1),
        dt.date(2021, 3, 1),
    ]


def test_start_of_series_may_leave_partial_dates_out() -> None:
    got = start_of_series(pd.Series(["2021", "2021-03", "2021-03-04", "2024-02-29", "2023-02-29", None]), partial=False)
    assert [None if pd.isna(t) else t.date() for t in got] == [
        None,
        None,
        dt.date(2021, 3, 4),
        dt.date(2024, 2, 29),
        None,
        None,
    ]
    assert start_of_series(pd.Series([], dtype=object)).empty
    assert start_of_series(pd.Series([None, None], index=[5, 7])).index.tolist() == [5, 7]  # aligned, all NaT


#: (start, end, days): the calendar's edges and what has no answer.
DAY_PAIRS = [
    ("2024-02-28", "2024-03-01", 2), ("2023-02-28", "2023-03-01", 1), ("2000-02-28", "2000-03-01", 2),
    ("1900-02-28", "1900-03-01", 1), ("2021-04-01", "2021-05-01", 30), ("2021-03-01", "2021-04-01", 31),
    ("2020-01-01", "2021-01-01", 366), ("2021-01-01", "2022-01-01", 365), ("2021-03-04", "2021-03-04", 0),
    ("2021", "2021-01-31", 30), ("2021-07", "2021-09-15", 76), ("2019", "2021-03", 790),
    ("2021-03-05", "2021-03-04", None), ("2021-03-05", None, None), (None, "2021", None),
    ("2023-02-29", "2023-03-01", None),
]  # fmt: skip


def test_days_between_series_known_answers() -> None:
    starts, ends, days = zip(*DAY_PAIRS, strict=True)
    got = days_between_series(pd.Series(starts), pd.Series(ends))
    assert [None if pd.isna(d) else int(d) for d in got] == list(days)
    assert list(days) == [days_between(a, b) for a, b in zip(starts, ends, strict=True)]  # the scalar agrees


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2021, 3, 31), 1, dt.date(2021, 2, 28)),  # 31 → the shorter month's last day
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),  # in a leap year
        (dt.date(2021, 5, 31), 1, dt.date(2021, 4, 30)),  # 31 → 30
        (dt.date(2021, 7, 31), 1, dt.date(2021, 6, 30)),
        (dt.date(2021, 1, 15), 1, dt.date(2020, 12, 15)),  # across the year
        (dt.date(2021, 6, 30), 12, dt.date(2020, 6, 30)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_month_number_is_consecutive_across_years() -> None:
    assert month_number(dt.date(2021, 1, 1)) - month_number(dt.date(2020, 12, 31)) == 1
    assert month_number(dt.date(2021, 12, 1)) - month_number(dt.date(2021, 1, 31)) == 11


def test_year_of() -> None:
    assert [year_of(v) for v in ("2021-03-04", "2021", 2021, None, float("nan"), "21-03", "")] == [
        "2021",
        "2021",
        "2021",
        None,
        None,
        None,
        None,
    ]


def test_module_examples() -> None:
    assert doctest.testmod(armsgraph.dates).failed == 0
