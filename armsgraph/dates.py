"""Calendar dates as armsgraph keeps them: ISO 8601 text, partial dates kept partial.

A date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (docs/formats.md). Ingest normalisation turns
what a source wrote into that form (:func:`to_iso`); the analyses read it back as a
:class:`datetime.date`, a partial date taken at its start (:func:`start_of`), and count days
(:func:`days_between`) and months (:func:`month_number`, :func:`months_before`) with the calendar
(leap years, 30- and 31-day months) rather than by hand. Columns of dates get the same answers
at once: :func:`start_of_series` and :func:`days_between_series`.

>>> to_iso("29/02/2024")
'2024-02-29'
>>> to_iso("March 2021")
'2021-03'
>>> days_between("2024-02-28", "2024-03-01")
2
>>> months_before(dt.date(2021, 3, 31), 1)
datetime.date(2021, 2, 28)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "DEFAULT_FORMATS",
    "days_between",
    "days_between_series",
    "iso",
    "month_number",
    "months_before",
    "precision_of",
    "start_of",
    "start_of_series",
    "to_iso",
    "year_of",
]

_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_YEAR_RE = re.compile(r"\d{4}")

#: Formats tried after ISO, in order (day first: the convention outside the United States).
# fmt: off
DEFAULT_FORMATS: tuple[str, ...] = (
    "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d",
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%B %Y", "%b %Y", "%m/%Y", "%m-%Y",
)
# fmt: on


def precision_of(fmt: str) -> int:
    """How many ISO parts (1 = year, 2 = month, 3 = day) a strptime format carries."""
    if "%d" in fmt or "%j" in fmt:
        return 3
    if any(d in fmt for d in ("%m", "%b", "%B")):
        return 2
    return 1


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """The ISO text of a (partial) date; ValueError for a day or month the calendar does not have."""
    dt.date(year, month or 1, day or 1)
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def to_iso(text: str, formats: Sequence[str] = DEFAULT_FORMATS) -> str:
    """``text`` as an ISO (partial) date: ISO 8601 first (a time part is dropped), then ``formats`` in order.

    ValueError, saying why, when the text is no date (``2021-02-30``: "day is out of range for month").
    """
    match = _ISO_RE.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        return iso(year, month, day)
    for fmt in formats:
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        parts = precision_of(fmt)
        return iso(parsed.year, parsed.month if parts > 1 else None, parsed.day if parts > 2 else None)
    raise ValueError("use ISO 8601 or declare a date_format in the mapping")


def start_of(text: Any) -> dt.date | None:
    """The first day of an ISO (partial) date (``2021`` → 2021-01-01); None when absent or not a date."""
    if not isinstance(text, str) or not text:
        return None
    parts = text[:10].split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def days_between(start: Any, end: Any) -> int | None:
    """Whole days from ``start`` to ``end`` (ISO dates, partial ones at their start); None if either is missing
    or ``end`` comes first."""
    first, last = start_of(start), start_of(end)
    if first is None or last is None or last < first:
        return None
    return (last - first).days


def start_of_series(values: pd.Series, *, partial: bool = True) -> pd.Series:
    """:func:`start_of` for a column: a datetime64 Series, NaT where a value is absent or not a date.

    ``partial=False`` leaves a partial date (``2021``, ``2021-03``) NaT too: where only whole days may
    be compared. A year pandas cannot hold as a Timestamp is NaT too.
    """
    text = values.where(values.map(lambda v: isinstance(v, str)))
    split = text.str.slice(0, 10).str.split("-", expand=True)
    parts = {}
    for n, (name, default) in enumerate((("year", None), ("month", 1), ("day", 1))):
        part = split[n] if n in split.columns else pd.Series(None, index=values.index, dtype=object)
        number = pd.to_numeric(part.where(part.str.fullmatch(r"\d+", na=False)), errors="coerce")
        absent = part.isna() & text.notna()
        parts[name] = number.where(number > 0).mask(absent, default if partial else None)
    return pd.to_datetime(pd.DataFrame(parts, index=values.index), errors="coerce")


def days_between_series(start: pd.Series, end: pd.Series) -> pd.Series:
    """:func:`days_between` for two aligned columns: whole days as floats, NaN where either date is missing
    or the end comes first (partial dates counted from their start)."""
    days = (start_of_series(end) - start_of_series(start)).dt.days
    return days.where(days >= 0)


def year_of(value: Any) -> str | None:
    """The four-digit year an ISO (partial) date starts with; None when absent or not a year."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    year = str(value)[:4]
    return year if _YEAR_RE.fullmatch(year) else None


def month_number(day: dt.date) -> int:
    """Months since year 0 (consecutive months differ by one, December to January included)."""
    return day.year * 12 + day.month - 1


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, or the last day of that month when it is shorter (31 Mar - 1 → 28 Feb)."""
    year, month = divmod(month_number(day) - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
