"""Dates as ISO 8601 strings, partial dates kept partial (``2021``, ``2021-03``, ``2021-03-04``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from armsgraph.ingest.normalise.base import ValueType

_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")

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


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        dt.date(year, 1, 1)
        return f"{year:04d}"
    if day is None:
        dt.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    return dt.date(year, month, day).isoformat()


class DateType(ValueType):
    """A calendar date as ISO 8601 with partial dates allowed; ``formats`` are tried after ISO."""

    name = "date"
    description = "ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)"

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS, min_year: int = 1800, max_year: int = 2100) -> None:
        self.formats = tuple(formats)
        self.min_year, self.max_year = min_year, max_year

    def _clean(self, text: str) -> str:
        match = _ISO_RE.match(text)
        out: str | None = None
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            assert year is not None
            try:
                out = _iso(year, month, day)
            except ValueError as exc:
                raise self.fail(text, str(exc)) from None
        else:
            for fmt in self.formats:
                try:
                    parsed = dt.datetime.strptime(text, fmt)
                except ValueError:
                    continue
                parts = precision_of(fmt)
                out = _iso(parsed.year, parsed.month if parts > 1 else None, parsed.day if parts > 2 else None)
                break
        if out is None:
            raise self.fail(text, "use ISO 8601 or declare a date_format in the mapping")
        if not self.min_year <= int(out[:4]) <= self.max_year:
            raise self.fail(text, f"year outside {self.min_year}-{self.max_year}")
        return out
