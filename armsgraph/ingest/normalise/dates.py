"""Dates as ISO 8601 strings, partial dates kept partial (``2021``, ``2021-03``, ``2021-03-04``): armsgraph.dates."""

from __future__ import annotations

from collections.abc import Sequence

from armsgraph.dates import DEFAULT_FORMATS, to_iso
from armsgraph.ingest.normalise.base import ValueType


class DateType(ValueType):
    """A calendar date as ISO 8601 with partial dates allowed; ``formats`` are tried after ISO."""

    name = "date"
    description = "ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)"

    def __init__(self, formats: Sequence[str] = DEFAULT_FORMATS, min_year: int = 1800, max_year: int = 2100) -> None:
        self.formats = tuple(formats)
        self.min_year, self.max_year = min_year, max_year

    def _clean(self, text: str) -> str:
        try:
            out = to_iso(text, self.formats)
        except ValueError as exc:
            raise self.fail(text, str(exc)) from None
        if not self.min_year <= int(out[:4]) <= self.max_year:
            raise self.fail(text, f"year outside {self.min_year}-{self.max_year}")
        return out
