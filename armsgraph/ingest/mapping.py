"""Column mappings: YAML that maps any foreign table onto the bundle record types (docs/mappings.md).

A mapping names files by glob; each file yields one or more record types whose
columns come from a source column, a constant or a template over source columns,
then an optional value map, default, split into a list, or declared date format.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from armsgraph.errors import InvalidValueError, MappingError
from armsgraph.ingest.normalise import fold, text_of
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.readers import JsonOptions, RawTable, column_key
from armsgraph.ingest.records import RECORD_TYPES
from armsgraph.ingest.report import RowError, problem

_SLOT_RE = re.compile(r"\{([^{}]+)\}")
_FIELD_KEYS = {"column", "constant", "template", "value_map", "default", "split", "date_format"}


@dataclass(frozen=True)
class FieldMap:
    """How one record column is made from a source row."""

    column: str | None = None
    constant: Any = None
    template: str | None = None
    value_map: Mapping[str, Any] = field(default_factory=dict)
    default: Any = None
    split: str | None = None
    date_format: str | None = None

    @classmethod
    def parse(cls, where: str, spec: Any) -> FieldMap:
        """A FieldMap from YAML: a bare string names a source column."""
        if isinstance(spec, str):
            return cls(column=column_key(spec))
        if not isinstance(spec, Mapping):
            raise MappingError(f"{where}: expected a column name or a mapping, not {spec!r}")
        extra = set(spec) - _FIELD_KEYS
        if extra:
            raise MappingError(f"{where}: unknown option {sorted(extra)[0]!r}; allowed: {sorted(_FIELD_KEYS)}")
        sources = [k for k in ("column", "constant", "template") if k in spec]
        if len(sources) != 1:
            raise MappingError(f"{where}: give exactly one of column, constant, template")
        value_map = spec.get("value_map") or {}
        if not isinstance(value_map, Mapping):
            raise MappingError(f"{where}.value_map: must be a mapping")
        return cls(
            column=column_key(spec["column"]) if "column" in spec else None,
            constant=spec.get("constant"),
            template=spec.get("template"),
            value_map={fold(str(k)): v for k, v in value_map.items()},
            default=spec.get("default"),
            split=spec.get("split"),
            date_format=spec.get("date_format"),
        )

    def sources(self) -> set[str]:
        """Source columns this field reads."""
        if self.column:
            return {self.column}
        if self.template:
            return {column_key(s) for s in _SLOT_RE.findall(self.template)}
        return set()

    def apply(self, row: Mapping[str, Any]) -> Any:
        """The record value for ``row`` (InvalidValueError when a declared date format does not fit)."""
        if self.column is not None:
            value = row.get(self.column)
        elif self.template is not None:
            value = _fill(self.template, row)
        else:
            value = self.constant
        if isinstance(value, str) and not value.strip():
            value = None
        if value is not None and self.value_map:
            key = fold(text_of(value))
            value = self.value_map.get(key, value)
        if value is None:
            value = self.default
        if value is not None and self.split and isinstance(value, str):
            value = [p.strip() for p in value.split(self.split) if p.strip()]
        if value is not None and self.date_format:
            value = DateType(formats=(self.date_format,)).clean(value)
        return value


def _fill(template: str, row: Mapping[str, Any]) -> str | None:
    missing = False

    def slot(match: re.Match[str]) -> str:
        nonlocal missing
        value = text_of(row.get(column_key(match.group(1))))
        missing = missing or not value
        return value

    out = _SLOT_RE.sub(slot, template)
    return None if missing else out


@dataclass(frozen=True)
class RecordMap:
    """One record type made from a file's rows."""

    type: str
    columns: Mapping[str, FieldMap]


@dataclass(frozen=True)
class FileMap:
    """The files a glob matches, how to read them and the record types they give."""

    match: str
    records: tuple[RecordMap, ...]
    json: JsonOptions = field(default_factory=JsonOptions)
    sheet: str | None = None

    def matches(self, relative: str) -> bool:
        """True when the bundle-relative path (or its name) matches the glob."""
        return fnmatch.fnmatch(relative, self.match) or fnmatch.fnmatch(Path(relative).name, self.match)


@dataclass(frozen=True)
class ColumnMapping:
    """A whole mapping file: name, uid namespace (``source``), default classification and file maps."""

    name: str
    files: tuple[FileMap, ...]
    source: str | None = None
    classification: str | None = None
    description: str = ""
    text: str = ""

    def file_map(self, relative: str) -> FileMap | None:
        """The first file map matching ``relative`` (None: the file is not mapped)."""
        return next((f for f in self.files if f.matches(relative)), None)


def parse_mapping(data: Any, where: str = "mapping") -> ColumnMapping:
    """A ColumnMapping from YAML data, refusing unknown record types and columns with a clear message."""
    if not isinstance(data, Mapping):
        raise MappingError(f"{where}: must be a YAML mapping")
    files_raw = data.get("files")
    if not isinstance(files_raw, list) or not files_raw:
        raise MappingError(f"{where}: 'files' must list at least one file map")
    files = []
    for i, raw in enumerate(files_raw):
        at = f"{where}: files[{i}]"
        if not isinstance(raw, Mapping) or "match" not in raw:
            raise MappingError(f"{at}: needs 'match' (a glob) and 'records'")
        records = []
        for j, rec in enumerate(raw.get("records") or []):
            rat = f"{at}.records[{j}]"
            kind = rec.get("type") if isinstance(rec, Mapping) else None
            if kind not in RECORD_TYPES:
                raise MappingError(f"{rat}.type: {kind!r} is not one of {', '.join(RECORD_TYPES)}")
            cols = rec.get("columns") or {}
            unknown = sorted(set(cols) - set(RECORD_TYPES[kind].columns))
            if unknown:
                raise MappingError(f"{rat}.columns: {kind} has no column {unknown[0]!r}")
            records.append(RecordMap(kind, {c: FieldMap.parse(f"{rat}.columns.{c}", s) for c, s in cols.items()}))
        if not records:
            raise MappingError(f"{at}: 'records' must list at least one record type")
        json_raw = raw.get("json") or {}
        files.append(
            FileMap(
                str(raw["match"]),
                tuple(records),
                JsonOptions(str(json_raw.get("records", "")), str(json_raw.get("explode", ""))),
                raw.get("sheet"),
            )
        )
    return ColumnMapping(
        name=str(data.get("name") or where),
        files=tuple(files),
        source=data.get("source"),
        classification=data.get("classification"),
        description=str(data.get("description") or ""),
    )


def load_mapping(path: Path | str) -> ColumnMapping:
    """Read a mapping YAML file; a bare name means a shipped mapping in ``armsgraph/ingest/mappings``."""
    candidate = Path(path)
    if not candidate.is_file():
        shipped = Path(__file__).with_name("mappings") / f"{Path(path).stem}.yaml"
        if not shipped.is_file():
            raise MappingError(f"no mapping file {path} (and no shipped mapping named {Path(path).stem!r})")
        candidate = shipped
    text = candidate.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{candidate}: not valid YAML: {exc}") from exc
    mapping = parse_mapping(data, str(candidate.name))
    return ColumnMapping(mapping.name, mapping.files, mapping.source, mapping.classification, mapping.description, text)


def shipped_mappings() -> list[Path]:
    """The mapping files shipped with armsgraph."""
    return sorted(Path(__file__).with_name("mappings").glob("*.yaml"))


@dataclass
class RecordTable:
    """Rows of one record type from one file, before validation."""

    file: str
    record_type: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)


def apply_mapping(table: RawTable, file_map: FileMap) -> list[RecordTable]:
    """The record tables a file map makes from one raw table; a failing date format rejects the row."""
    out = []
    seen_columns = {k for _, row in table.rows[:1] for k in row}
    for rec in file_map.records:
        result = RecordTable(table.file, rec.type, problems=missing_columns(rec, table.file, seen_columns))
        for number, row in table.rows:
            record = map_row(rec, table.file, number, row, result.problems)
            if record is not None:
                result.rows.append((number, record))
        out.append(result)
    return out


def missing_columns(rec: RecordMap, file: str, seen_columns: set[str]) -> list[RowError]:
    """Warnings for the source columns ``rec`` reads that the file's first row lacks (none without rows)."""
    missing = sorted({s for f in rec.columns.values() for s in f.sources()} - seen_columns) if seen_columns else []
    return [
        problem(
            file, None, name, None, f"mapping reads column {name!r}, which the file does not have", rec.type, "warning"
        )
        for name in missing
    ]


def map_row(
    rec: RecordMap, file: str, number: int, row: Mapping[str, Any], problems: list[RowError]
) -> dict[str, Any] | None:
    """The record ``rec`` makes from one source row, or None when a field fails (reported in ``problems``)."""
    record: dict[str, Any] = {}
    bad = False
    for column, fmap in rec.columns.items():
        try:
            record[column] = fmap.apply(row)
        except InvalidValueError as exc:
            problems.append(problem(file, number, column, row.get(fmap.column or ""), str(exc), rec.type))
            bad = True
    return None if bad else record


def plain_tables(tables: Iterable[RawTable]) -> list[RecordTable]:
    """Record tables of a bundle without a mapping: the file stem or sheet name is the record type."""
    out = []
    for table in tables:
        kind = table.name.strip().lower()
        if kind not in RECORD_TYPES:
            continue
        out.append(RecordTable(table.file, kind, list(table.rows)))
    return out
