"""The *validate* and *normalise* stages: typed, canonical records or row-level errors.

*validate* checks what every row must satisfy (cell size, required columns,
integers, floats, booleans, lists, classification); *normalise* runs each
column through its registered type (country, date, calibre, ...). A row with
any error is rejected: it is reported with file, row, column, value and reason
and never reaches the graph.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, TypeAlias

from armsgraph.errors import InvalidValueError
from armsgraph.ingest.normalise import ValueType, get, subdivision_country, text_of
from armsgraph.ingest.normalise.countries import SubdivisionType
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.normalise.serials import SerialType
from armsgraph.ingest.normalise.vocabularies import FirearmTypeType
from armsgraph.ingest.records import CLASSIFICATIONS, NORMALISED_KINDS, RECORD_TYPES, Column, RecordType
from armsgraph.ingest.report import RowError, problem

#: Subdivision columns and the country column that gives their context.
SUBDIVISION_COUNTRY = {
    "subdivision": "country",
    "departure_subdivision": "departure_country",
    "destination_subdivision": "destination_country",
}
_RANGES = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}
#: Column kinds coerced to another primitive than text in *validate*.
_COERCED = ("integer", "count", "float", "boolean", "list", "country_list")
#: Longest value of a column that becomes part of a graph key (a uid; ``key`` in the record schema):
#: FalkorDB drops the connection on keys over ~4,000 characters, so a longer id is a row error, not a crash.
KEY_LIMIT = 1_000


#: The integers a graph store holds (64-bit signed); a value outside is rejected, never clamped.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


@dataclass
class Record:
    """One accepted row of a record type, with where it came from."""

    record_type: str
    file: str
    row: int
    values: dict[str, Any]
    #: A column's value (None when absent): the values' own ``get``, bound once (it is called millions of times).
    get: Callable[[str], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.get = self.values.get

    @property
    def ref(self) -> str:
        """``file:row``, the citation of this record."""
        return f"{self.file}:{self.row}"

    def __reduce__(self) -> tuple[Any, ...]:
        return Record, (self.record_type, self.file, self.row, self.values)


class CompactRecord:
    """A record whose values sit in a tuple: what resolution keeps of a record, in a fraction of a dict's memory.

    It reads like a :class:`Record` (``record_type``, ``file``, ``row``, ``get``, ``ref``).
    """

    __slots__ = ("_at", "_values", "file", "record_type", "row")

    def __init__(self, record_type: str, file: str, row: int, values: Mapping[str, Any]) -> None:
        self.record_type, self.file, self.row = record_type, file, row
        self._at = _positions(record_type)
        shared = _SHARED.get(record_type, ())
        self._values = tuple(
            sys.intern(value) if name in shared and type(value) is str else value
            for name, value in ((name, values.get(name)) for name in self._at)
        )

    @classmethod
    def of(cls, record: Record | CompactRecord) -> CompactRecord:
        """The compact form of a record."""
        if isinstance(record, CompactRecord):
            return record
        return cls(record.record_type, record.file, record.row, record.values)

    def get(self, name: str) -> Any:
        """A column's value (None when absent)."""
        try:
            return self._values[self._at[name]]
        except KeyError:
            return None

    @property
    def ref(self) -> str:
        """``file:row``, the citation of this record."""
        return f"{self.file}:{self.row}"


#: A record in either form.
AnyRecord: TypeAlias = Record | CompactRecord

#: Columns a CompactRecord leaves out (resolution and the entity nodes never read them).
_LEFT_OUT = {"persons": {"organisation_ids"}}
#: Text columns whose values repeat from record to record: one string kept per distinct value.
_SHARED = {
    "firearms": {"model", "status", "classification"},
    "persons": {"classification"},
    "organisations": {"kind", "classification"},
}
_POSITIONS: dict[str, dict[str, int]] = {}


def _positions(record_type: str) -> dict[str, int]:
    """Where each column (and the derived ``serial_normalised``) of a record type sits in a CompactRecord."""
    found = _POSITIONS.get(record_type)
    if found is None:
        names = [*RECORD_TYPES[record_type].columns, *(["serial_normalised"] if record_type == "firearms" else [])]
        kept = [name for name in names if name not in _LEFT_OUT.get(record_type, set())]
        found = _POSITIONS[record_type] = {name: i for i, name in enumerate(kept)}
    return found


def _integer(text: str) -> int:
    """An integer written as ``12``, ``1 200``, ``12.0`` or ``1.2e3``: exact (no float rounding), or ValueError."""
    try:
        number = Decimal(text.replace(" ", "").replace("_", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or number.adjusted() < 0 < abs(number) or number != number.to_integral_value():
        raise ValueError(text)
    if number.adjusted() > 18:  # beyond any 64-bit integer: never converted (1e999999999 would fill memory)
        raise _OutOfRange(f"is out of range for an integer ({INT_MIN:,} to {INT_MAX:,})")
    return int(number)


class _OutOfRange(InvalidValueError):
    """A number that parses but that the column cannot hold (its message is the row's reason)."""


def _checked_integer(kind: str, value: int) -> int:
    """``value`` when a store can hold it (and, for a count, it is not negative); else InvalidValueError."""
    if not INT_MIN <= value <= INT_MAX:
        raise _OutOfRange(f"is out of range for an integer ({INT_MIN:,} to {INT_MAX:,})")
    if kind == "count" and value < 0:
        raise _OutOfRange("is a negative count")
    return value


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        text = text_of(value)
        if text.startswith("[") and text.endswith("]"):
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError:
                loaded = None
            if isinstance(loaded, list):
                return [t for t in (text_of(v) for v in loaded) if t]
        items = text.split(";")
    return [t for t in (text_of(v) for v in items) if t]


def _too_long(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and len(v) > KEY_LIMIT for v in items)


def _size(value: Any) -> int:
    if isinstance(value, list):
        return sum(len(text_of(v)) for v in value)
    return len(value) if isinstance(value, str) else 0


def _primitive(kind: str, value: Any) -> Any:
    """Coerce a present value to its primitive kind (ValueError / InvalidValueError when it cannot)."""
    if kind in ("integer", "count"):
        if isinstance(value, bool):
            raise ValueError
        number = value if isinstance(value, int) else _integer(text_of(value))
        return _checked_integer(kind, number)
    if kind == "float":
        if isinstance(value, bool):
            raise ValueError
        real = float(value) if isinstance(value, int | float) else float(text_of(value).replace(" ", ""))
        if not math.isfinite(real):
            raise _OutOfRange("is not a finite number")
        return real
    if kind == "boolean":
        return value if isinstance(value, bool) else get("boolean").clean(value) == "true"
    if kind in ("list", "country_list"):
        return _list(value)
    if isinstance(value, list):
        return "; ".join(text_of(v) for v in value)
    return text_of(value)


#: Per record type: (name, column, text kind validated in place, value part of a key) for each column.
_PLANS: dict[str, tuple[tuple[str, Column, bool, bool], ...]] = {}


def _plan(spec: RecordType) -> tuple[tuple[str, Column, bool, bool], ...]:
    found = _PLANS.get(spec.name)
    if found is None:
        found = _PLANS[spec.name] = tuple(
            (name, column, column.kind not in _COERCED, column.key) for name, column in spec.columns.items()
        )
    return found


#: What :func:`_coerced` gives for a cell that holds nothing (a required column's error).
_EMPTY = object()


def validate_row(
    spec: RecordType, file: str, number: int, row: dict[str, Any], cell_limit: int
) -> tuple[dict[str, Any], list[RowError]]:
    """One row of a record type as primitive values, and its errors (the row is rejected when there are any)."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, column, plain, key in _plan(spec):
        raw = row.get(name)
        if raw is None:
            value: Any = _EMPTY
        elif plain and type(raw) is str and len(raw) <= (KEY_LIMIT if key else cell_limit):
            value = " ".join(raw.split()) or _EMPTY  # the common case, as _primitive("text", raw) would give it
        else:
            value, reason = _coerced(name, column, key, raw, cell_limit)
            if reason is not None:
                errors.append(problem(file, number, name, raw, reason, spec.name))
                continue
        if value is _EMPTY:
            if column.required:
                errors.append(
                    problem(file, number, name, None, f"required column {name!r} is empty or missing", spec.name)
                )
        elif value is not None:
            values[name] = value
    classification = values.get("classification")
    if classification is not None:
        values["classification"] = str(classification).lower()
        if values["classification"] not in CLASSIFICATIONS:
            reason = f"must be one of {', '.join(CLASSIFICATIONS)}"
            errors.append(problem(file, number, "classification", classification, reason, spec.name))
    return values, errors


def _coerced(name: str, column: Column, key: bool, raw: Any, cell_limit: int) -> tuple[Any, str | None]:
    """A present cell as its primitive value (:data:`_EMPTY` when blank, None when nothing is kept), or why not."""
    size = _size(raw)
    if size > cell_limit:
        return None, f"cell of {size:,} characters exceeds the {cell_limit:,}-character limit"
    if (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw):
        return _EMPTY, None
    kind = column.kind if column.kind in _COERCED else "text"
    try:
        value = _primitive(kind, raw)
    except _OutOfRange as exc:
        return None, str(exc)
    except (ValueError, TypeError, InvalidValueError):
        return None, f"is not a valid {'integer' if kind == 'count' else kind}"
    reason = _out_of_bounds(name, column, key, value)
    if reason is not None:
        return None, reason
    return (None if value in ("", []) else value), None


def _out_of_bounds(name: str, column: Column, key: bool, value: Any) -> str | None:
    """Why a coerced value cannot be kept (a coordinate out of range, an empty required list, a key too long)."""
    if name in _RANGES and not _RANGES[name][0] <= value <= _RANGES[name][1]:
        return f"{name} must lie within {_RANGES[name]}"
    if value == [] and column.required:
        return f"required column {name!r} is empty"
    if key and _too_long(value):
        return f"is longer than the {KEY_LIMIT:,} characters a key value may have"
    return None


class Normaliser:
    """Normalises one record at a time; cleaned values are remembered per kind across records."""

    def __init__(self, date_formats: tuple[str, ...] = ()) -> None:
        self.dates = DateType(formats=(*date_formats, *DateType().formats))
        self.memo: dict[tuple[str, Any], str | InvalidValueError] = {}
        #: (country, subdivision as recorded) -> (ISO 3166-2 code, its country), or why it is no code.
        self.places: dict[tuple[Any, Any], tuple[str, str] | InvalidValueError] = {}

    def __call__(
        self, record_type: str, file: str, row: int, values: dict[str, Any], problems: list[RowError]
    ) -> dict[str, Any] | None:
        """The canonical values of one validated record, or None when it is rejected (reported in ``problems``)."""
        out, errors = _normalise_record(record_type, file, row, values, self.dates, self.memo, self.places)
        if errors:
            problems.extend(errors)
            if any(e.severity == "error" for e in errors):
                return None
        if record_type == "firearms":
            _firearm_extras(file, row, out, problems)
        return out


def _clean(vtype: ValueType, kind: str, value: Any, memo: dict[tuple[str, Any], str | InvalidValueError]) -> str:
    """``vtype.clean(value)``, remembered per kind and value (values repeat: countries, dates, calibres)."""
    key = (kind, value)
    try:
        out = memo[key]
    except KeyError:
        try:
            out = vtype.clean(value)
        except InvalidValueError as exc:
            out = exc
        memo[key] = out
    except TypeError:  # an unhashable value
        return vtype.clean(value)
    if isinstance(out, InvalidValueError):
        raise InvalidValueError(str(out))
    return out


@cache
def _normalised_columns(record_type: str) -> tuple[tuple[str, str, ValueType | None, bool], ...]:
    """Per record type: (name, kind, its value type (None: the normaliser's dates), a list of values?) of each
    column normalised on its own (subdivisions are normalised with their country)."""
    return tuple(
        (name, c.kind, None if c.kind == "date" else get(NORMALISED_KINDS[c.kind]), c.kind == "country_list")
        for name, c in RECORD_TYPES[record_type].columns.items()
        if c.kind in NORMALISED_KINDS and name not in SUBDIVISION_COUNTRY
    )


def _subdivision(
    country: Any, value: Any, memo: dict[tuple[Any, Any], tuple[str, str] | InvalidValueError]
) -> tuple[str, str]:
    """(ISO 3166-2 code, its alpha-3 country) of a subdivision recorded within ``country``, remembered per
    pair (few pairs repeat over many records); InvalidValueError when it names no subdivision."""
    key = (country, value)
    found = memo.get(key)
    if found is None:
        try:
            code = SubdivisionType(country).clean(value)
        except InvalidValueError as exc:
            found = memo[key] = exc
        else:
            found = memo[key] = (code, subdivision_country(code))
    if isinstance(found, InvalidValueError):
        raise InvalidValueError(str(found))
    return found


def _normalise_record(
    record_type: str,
    file: str,
    row: int,
    given: dict[str, Any],
    dates: DateType,
    memo: dict[tuple[str, Any], str | InvalidValueError],
    places: dict[tuple[Any, Any], tuple[str, str] | InvalidValueError],
) -> tuple[dict[str, Any], list[RowError]]:
    values = dict(given)
    errors: list[RowError] = []

    def kept(column: str, value: Any, reason: str) -> None:
        """An unknown or ambiguous place keeps its record: the text stays as recorded, with a warning."""
        values[column] = text_of(value)
        errors.append(problem(file, row, column, value, f"{reason}; kept as recorded", record_type, "warning"))

    for name, kind, vtype, is_list in _normalised_columns(record_type):
        if name not in values:
            continue
        value = values[name]
        try:
            if is_list:
                values[name] = [_clean(vtype or dates, kind, v, memo) for v in value]
            else:
                values[name] = _clean(vtype or dates, kind, value, memo)
        except InvalidValueError as exc:
            errors.append(problem(file, row, name, given[name], str(exc), record_type))
    for name, country_col in SUBDIVISION_COUNTRY.items():
        if name not in values or any(e.severity == "error" for e in errors):
            continue
        try:
            code, country = _subdivision(values.get(country_col), values[name], places)
        except InvalidValueError as exc:
            kept(name, values[name], str(exc))
            continue
        if values.get(country_col) not in (None, country):
            kept(name, values[name], f"{code} is not in {values[country_col]}")
            continue
        values[name], values[country_col] = code, country
    return values, errors


def _firearm_extras(file: str, row: int, values: dict[str, Any], problems: list[RowError]) -> None:
    if values.get("serial"):
        try:
            values["serial_normalised"] = SerialType().clean(values["serial"])
        except InvalidValueError:
            values["serial_normalised"] = None
    if values.get("type") and not FirearmTypeType.known(values["type"]):
        problems.append(
            problem(
                file,
                row,
                "type",
                values["type"],
                f"firearm type {values['type']!r} is not in the vocabulary; kept as given",
                "firearms",
                "warning",
            )
        )


def repeat_problem(record: Record, first: Record) -> RowError:
    """The row error of ``record``, whose id repeats ``first``'s with different values."""
    id_column = RECORD_TYPES[record.record_type].id_column or ""
    differs = sorted(k for k in set(first.values) | set(record.values) if first.get(k) != record.get(k))
    return problem(
        record.file,
        record.row,
        id_column,
        record.get(id_column),
        f"{id_column} repeats {first.ref} with different {', '.join(differs[:4])}",
        record.record_type,
    )
