"""Column mappings: YAML that maps any foreign table onto the bundle record types (docs/mappings.md).

A mapping names files by glob and says how to read them (``sheet``, ``header`` for headerless
files, ``comment`` lines, ``json`` paths); each file yields one or more record types whose
columns come from a source column, a constant or a template over source columns, then an
optional value map, default, split into a list, or declared date format. ``where:`` filters rows
(per file and per record type); a record type's ``explode:`` turns cells holding parallel lists
(``0::a||1::b``) into one row per item.

The YAML is checked by a pydantic model (:class:`MappingModel`): every mistake is one
:class:`~armsgraph.errors.MappingError` line naming the file, the path in the YAML and what is
allowed (unknown keys included: ``colums:`` is refused, not ignored).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator
from pydantic import model_validator as _model_validator

from armsgraph.errors import InvalidValueError, MappingError
from armsgraph.ingest.normalise import fold, text_of
from armsgraph.ingest.normalise.dates import DateType
from armsgraph.ingest.readers import ReadOptions, column_key
from armsgraph.ingest.records import CLASSIFICATIONS, RECORD_TYPES
from armsgraph.ingest.report import RowError, problem

_SLOT_RE = re.compile(r"\{([^{}]+)\}")
#: Column kinds a ``split`` may fill (a list) and a ``date_format`` may read.
_LIST_KINDS = ("list", "country_list")
_DATE_KINDS = ("date",)


# -- the YAML model (validation only) ------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


def _as_list(value: Any) -> Any:
    """A bare string where a list of names is allowed becomes a list of one."""
    return [value] if isinstance(value, str) else value


class ConditionModel(_Strict):
    """One row filter: a source column and exactly one test."""

    column: StrictStr
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_: Any = Field(default=None, alias="not")
    not_in: list[Any] | None = None
    empty: StrictBool | None = None
    regex: StrictStr | None = None

    @_model_validator(mode="after")
    def _one_test(self) -> ConditionModel:
        given = [name for name in _TESTS if name in self.model_fields_set or _alias(name) in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(f"give exactly one test of {', '.join(_TESTS)} (given: {', '.join(given) or 'none'})")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"regex {self.regex!r} does not compile: {exc}") from None
        return self


_TESTS = ("equals", "in", "not", "not_in", "empty", "regex")


def _alias(name: str) -> str:
    return {"in": "in_", "not": "not_"}.get(name, name)


class FieldModel(_Strict):
    """How one record column is made: exactly one of column / constant / template, then options."""

    column: list[StrictStr] | None = None
    constant: Any = None
    template: StrictStr | None = None
    value_map: dict[Any, Any] | None = None
    default: Any = None
    split: StrictStr | None = None
    date_format: StrictStr | None = None

    _as_list = field_validator("column", mode="before")(_as_list)

    @_model_validator(mode="after")
    def _one_source(self) -> FieldModel:
        given = [k for k in ("column", "constant", "template") if k in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(f"give exactly one of column, constant, template (given: {', '.join(given) or 'none'})")
        if self.column == []:
            raise ValueError("column: name at least one source column")
        if self.split == "":
            raise ValueError("split: the separator cannot be empty")
        return self


class ExplodeModel(_Strict):
    """Cells holding parallel lists: each item of ``columns`` becomes its own row, joined on the item index."""

    columns: list[StrictStr]
    separator: StrictStr = "||"
    item: StrictStr = r"(?P<value>.*)"

    _as_list = field_validator("columns", mode="before")(_as_list)

    @_model_validator(mode="after")
    def _pattern(self) -> ExplodeModel:
        if not self.columns:
            raise ValueError("columns: name at least one column to explode")
        if not self.separator:
            raise ValueError("separator: cannot be empty")
        try:
            pattern = re.compile(self.item)
        except re.error as exc:
            raise ValueError(f"item: {self.item!r} does not compile: {exc}") from None
        if "value" not in pattern.groupindex or set(pattern.groupindex) - {"i", "value"}:
            raise ValueError("item: the pattern needs a group (?P<value>...) and may have (?P<i>...), no others")
        return self


class RecordModel(_Strict):
    """One record type made from a file's rows."""

    type: StrictStr
    columns: dict[StrictStr, FieldModel]
    where: list[ConditionModel] = []
    explode: ExplodeModel | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in RECORD_TYPES:
            raise ValueError(f"{value!r} is not one of {', '.join(RECORD_TYPES)}{_suggest(value, RECORD_TYPES)}")
        return value

    @field_validator("columns", mode="before")
    @classmethod
    def _bare_names(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @_model_validator(mode="after")
    def _columns_fit(self) -> RecordModel:
        spec = RECORD_TYPES[self.type]
        for name in self.columns:
            if name not in spec.columns:
                raise ValueError(
                    f"columns: {self.type} has no column {name!r}{_suggest(name, spec.columns)}; "
                    f"allowed: {', '.join(spec.columns)}"
                )
        missing = [name for name in spec.required if name not in self.columns]
        if missing:
            raise ValueError(f"columns: {self.type} needs {', '.join(repr(m) for m in missing)} (required)")
        for name, fmap in self.columns.items():
            kind = spec.columns[name].kind
            if fmap.split is not None and kind not in _LIST_KINDS:
                lists = [c.name for c in spec.columns.values() if c.kind in _LIST_KINDS]
                raise ValueError(
                    f"columns.{name}.split: {name} holds one value, not a list (split fills {', '.join(lists) or '-'})"
                )
            if fmap.date_format is not None and kind not in _DATE_KINDS:
                raise ValueError(f"columns.{name}.date_format: {name} is not a date column")
        return self


class JsonModel(_Strict):
    """Where the records of a nested JSON document are."""

    records: StrictStr = ""
    explode: StrictStr = ""


class FileModel(_Strict):
    """The files a glob matches, how to read them and the record types they give."""

    match: StrictStr
    records: list[RecordModel]
    sheet: StrictStr | None = None
    header: list[StrictStr] | None = None
    comment: StrictStr | None = None
    json_: JsonModel | None = Field(default=None, alias="json")
    where: list[ConditionModel] = []

    @_model_validator(mode="after")
    def _some_records(self) -> FileModel:
        if not self.records:
            raise ValueError("records: list at least one record type")
        if self.header is not None and (not self.header or len(set(map(column_key, self.header))) < len(self.header)):
            raise ValueError("header: give each column a distinct name")
        if self.comment == "":
            raise ValueError("comment: the prefix cannot be empty")
        return self


class MappingModel(_Strict):
    """A whole mapping file."""

    name: StrictStr | None = None
    description: StrictStr = ""
    source: StrictStr | None = None
    classification: Literal["public", "restricted", "confidential", "secret"] | None = None
    files: list[FileModel]

    @field_validator("files")
    @classmethod
    def _some_files(cls, value: list[FileModel]) -> list[FileModel]:
        if not value:
            raise ValueError("'files' must list at least one file map")
        return value


if set(CLASSIFICATIONS) != {"public", "restricted", "confidential", "secret"}:  # pragma: no cover
    raise AssertionError("MappingModel.classification must list records.CLASSIFICATIONS")


def _suggest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = {"in_": "in", "not_": "not", "json_": "json"}.get(part, part)
            out += f".{name}" if out else name
    return out


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model allows at ``loc`` (the parent of an unknown key)."""
    model: Any = MappingModel
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        fields = model.model_fields
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:  # a key of a dict (a record column's name)
            model = FieldModel if model is RecordModel else model
            continue
        model = _model_in(info.annotation)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside ``list[X] | None``, ``dict[str, X]`` and the like (None when there is none)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _message(exc: ValidationError, where: str) -> str:
    """The first error of a validation as one line: file, path in the YAML, what is wrong and what is allowed."""
    errors = exc.errors()
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # a typo explains the rest
    loc = tuple(error["loc"])
    if error["type"] == "missing":
        return f"{where}: {_path(loc[:-1]) or 'top level'}: missing key {str(loc[-1])!r}"
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1])
        return (
            f"{where}: {_path(loc[:-1]) or 'top level'}: unknown key {key!r}{_suggest(key, allowed)}; "
            f"allowed: {', '.join(allowed)}"
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    shown = "" if error["type"].startswith(("value_error", "assertion")) or given is None else f" (got {given!r:.60})"
    return f"{where}: {_path(loc) or 'top level'}: {message}{shown}"


# -- the mapping at run time ---------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """A ``where:`` test on one source column (text compared as written, surrounding spaces ignored)."""

    column: str
    test: str
    value: Any

    @classmethod
    def of(cls, model: ConditionModel) -> Condition:
        test = next(n for n in _TESTS if n in model.model_fields_set or _alias(n) in model.model_fields_set)
        value = getattr(model, _alias(test))
        if test in ("in", "not_in"):
            value = frozenset(text_of(v) for v in value)
        elif test == "regex":
            value = re.compile(value)
        elif test in ("equals", "not"):
            value = text_of(value)
        return cls(column_key(model.column), test, value)

    def holds(self, row: Mapping[str, Any]) -> bool:
        """True when the row passes this test."""
        text = text_of(row.get(self.column))
        if self.test == "equals":
            return bool(text == self.value)
        if self.test == "not":
            return bool(text != self.value)
        if self.test == "in":
            return text in self.value
        if self.test == "not_in":
            return text not in self.value
        if self.test == "empty":
            return (not text) is self.value
        return self.value.fullmatch(text) is not None


def passes(conditions: Iterable[Condition], row: Mapping[str, Any]) -> bool:
    """True when every condition holds for ``row``."""
    return all(c.holds(row) for c in conditions)


@dataclass(frozen=True)
class Explode:
    """Parallel list cells (``0::a||1::b``) as one row per item index; see docs/mappings.md."""

    columns: tuple[str, ...]
    separator: str
    item: re.Pattern[str]

    @classmethod
    def of(cls, model: ExplodeModel) -> Explode:
        return cls(tuple(column_key(c) for c in model.columns), model.separator, re.compile(model.item))

    def rows(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        """One row per item index (the row itself, items blank, when every cell is empty).

        InvalidValueError (the whole row is rejected) when an item does not match the pattern or an
        index repeats within a cell.
        """
        by_index: dict[str, dict[str, Any]] = {}
        for column in self.columns:
            text = text_of(row.get(column))
            if not text:
                continue
            for position, part in enumerate(text.split(self.separator), start=1):
                part = part.strip()
                if not part:
                    continue
                found = self.item.fullmatch(part)
                if found is None:
                    raise InvalidValueError(
                        f"item {part!r:.60} of column {column!r} does not match the item pattern {self.item.pattern!r}"
                    )
                index = found.groupdict().get("i") or str(position)
                values = by_index.setdefault(index, {})
                if column in values:
                    raise InvalidValueError(f"item index {index!r} repeats in column {column!r}")
                values[column] = found.group("value").strip()
        if not by_index:
            return [{**row, **dict.fromkeys(self.columns), "item_index": None}]
        ordered = sorted(by_index, key=lambda i: (0, int(i), "") if i.isdigit() else (1, 0, i))
        return [{**row, **dict.fromkeys(self.columns), **by_index[i], "item_index": i} for i in ordered]


@dataclass(frozen=True)
class FieldMap:
    """How one record column is made from a source row."""

    column: tuple[str, ...] | None = None
    constant: Any = None
    template: str | None = None
    value_map: Mapping[str, Any] = field(default_factory=dict)
    default: Any = None
    split: str | None = None
    date_format: str | None = None

    @classmethod
    def of(cls, model: FieldModel) -> FieldMap:
        return cls(
            column=tuple(column_key(c) for c in model.column) if model.column else None,
            constant=model.constant,
            template=model.template,
            value_map={fold(str(k)): v for k, v in (model.value_map or {}).items()},
            default=model.default,
            split=model.split,
            date_format=model.date_format,
        )

    def sources(self) -> set[str]:
        """Source columns this field may read."""
        if self.column:
            return set(self.column)
        if self.template:
            return {column_key(s) for s in _SLOT_RE.findall(self.template)}
        return set()

    def missing(self, columns: set[str]) -> list[str]:
        """Source columns this field needs that ``columns`` lacks (one of several alternatives is enough)."""
        if self.column:
            return [] if columns & set(self.column) else [self.column[0]]
        return sorted(self.sources() - columns)

    def read(self, row: Mapping[str, Any]) -> Any:
        """The source value before options: the first alternative column the row has."""
        if self.column is not None:
            return next((row[c] for c in self.column if c in row), None)
        if self.template is not None:
            return _fill(self.template, row)
        return self.constant

    def apply(self, row: Mapping[str, Any]) -> Any:
        """The record value for ``row`` (InvalidValueError when a declared date format does not fit)."""
        value = self.read(row)
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
    where: tuple[Condition, ...] = ()
    explode: Explode | None = None

    def sources(self) -> set[str]:
        """Every source column this record type reads (fields, filters and exploded columns)."""
        found = {s for f in self.columns.values() for s in f.sources()} | {c.column for c in self.where}
        return found | set(self.explode.columns if self.explode else ())

    def rows(self, row: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """The rows this record type reads from one source row: exploded, or the row itself."""
        if self.explode is None:
            return [row]
        return list(self.explode.rows(row))


@dataclass(frozen=True)
class FileMap:
    """The files a glob matches, how to read them and the record types they give."""

    match: str
    records: tuple[RecordMap, ...]
    options: ReadOptions = field(default_factory=ReadOptions)
    sheet: str | None = None
    where: tuple[Condition, ...] = ()

    def matches(self, relative: str) -> bool:
        """True when the bundle-relative path (or its name) matches the glob."""
        return fnmatch.fnmatch(relative, self.match) or fnmatch.fnmatch(Path(relative).name, self.match)

    def sources(self) -> set[str]:
        """Every source column the mapping reads from these files."""
        return {c.column for c in self.where} | {s for r in self.records for s in r.sources()}


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
    """A ColumnMapping from YAML data; any mistake is one MappingError line naming ``where`` and the path."""
    if not isinstance(data, Mapping):
        raise MappingError(f"{where}: must be a YAML mapping (name, source, classification, files)")
    try:
        model = MappingModel.model_validate(dict(data))
    except ValidationError as exc:
        raise MappingError(_message(exc, where)) from None
    files = []
    for file in model.files:
        records = tuple(
            RecordMap(
                rec.type,
                {name: FieldMap.of(spec) for name, spec in rec.columns.items()},
                tuple(Condition.of(c) for c in rec.where),
                Explode(
                    tuple(map(column_key, rec.explode.columns)), rec.explode.separator, re.compile(rec.explode.item)
                )
                if rec.explode
                else None,
            )
            for rec in file.records
        )
        json_options = file.json_ or JsonModel()
        options = ReadOptions(
            json_options.records, json_options.explode, tuple(file.header) if file.header else None, file.comment
        )
        files.append(FileMap(file.match, records, options, file.sheet, tuple(Condition.of(c) for c in file.where)))
    return ColumnMapping(
        name=model.name or where,
        files=tuple(files),
        source=model.source,
        classification=model.classification,
        description=model.description,
    )


def load_mapping(path: Path | str) -> ColumnMapping:
    """Read a mapping YAML file; a bare name means a shipped mapping in ``armsgraph/ingest/mappings``."""
    candidate = Path(path)
    if not candidate.is_file():
        shipped = Path(__file__).with_name("mappings") / f"{Path(path).stem}.yaml"
        if not shipped.is_file():
            names = ", ".join(p.stem for p in shipped_mappings())
            raise MappingError(f"no mapping file {path} (and no shipped mapping named {Path(path).stem!r}: {names})")
        candidate = shipped
    try:
        text = candidate.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{candidate}: cannot be read as UTF-8 text ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{candidate.name}: not valid YAML: {' '.join(str(exc).split())}") from None
    mapping = parse_mapping(data, str(candidate.name))
    return ColumnMapping(mapping.name, mapping.files, mapping.source, mapping.classification, mapping.description, text)


def shipped_mappings() -> list[Path]:
    """The mapping files shipped with armsgraph."""
    return sorted(Path(__file__).with_name("mappings").glob("*.yaml"))


# -- applying a mapping --------------------------------------------------------------------------
def missing_columns(rec: RecordMap, file: str, seen_columns: set[str]) -> list[RowError]:
    """Problems for the source columns ``rec`` reads that the file lacks (none without columns).

    A source of a required record column: an error (the file cannot give that record type); else a warning.
    """
    if not seen_columns:
        return []
    if rec.explode is not None:
        seen_columns = seen_columns | {"item_index"}
    spec = RECORD_TYPES[rec.type]
    out = []
    for column, fmap in rec.columns.items():
        required = spec.columns[column].required and fmap.default is None
        for name in fmap.missing(seen_columns):
            hint = _suggest(name, seen_columns)
            if required:
                reason = f"mapping reads column {name!r} for required {rec.type}.{column}, which the file does not have"
            else:
                reason = f"mapping reads column {name!r}, which the file does not have"
            out.append(problem(file, None, name, None, reason + hint, rec.type, "error" if required else "warning"))
    for name in sorted({c.column for c in rec.where} | set(rec.explode.columns if rec.explode else ())):
        if name not in seen_columns:
            reason = f"mapping filters or explodes column {name!r}, which the file does not have"
            out.append(problem(file, None, name, None, reason + _suggest(name, seen_columns), rec.type, "warning"))
    return out


@dataclass
class Tally:
    """Rows a record type read from its source rows (exploded items count one each) and rows its ``where`` skipped."""

    read: int = 0
    skipped: int = 0


def map_rows(
    rec: RecordMap,
    file: str,
    number: int,
    row: Mapping[str, Any],
    problems: list[RowError],
    tally: Tally | None = None,
) -> Iterator[dict[str, Any]]:
    """The records ``rec`` makes from one source row (after its ``explode`` and ``where``), counted in ``tally``."""
    tally = tally if tally is not None else Tally()
    try:
        rows = rec.rows(row)
    except InvalidValueError as exc:
        tally.read += 1
        column = rec.explode.columns[0] if rec.explode else None
        problems.append(problem(file, number, column, None, str(exc), rec.type))
        return
    for item in rows:
        tally.read += 1
        if not passes(rec.where, item):
            tally.skipped += 1
            continue
        record = map_row(rec, file, number, item, problems)
        if record is not None:
            yield record


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
            problems.append(problem(file, number, column, fmap.read(row), str(exc), rec.type))
            bad = True
    return None if bad else record


def unused_columns(file: str, columns: Iterable[str], file_map: FileMap | None) -> list[RowError]:
    """A warning for every source column that neither the mapping nor (without one) the record type reads."""
    if file_map is None:
        return []  # without a mapping, validate warns about unknown columns per record type
    used = file_map.sources()
    return [
        problem(file, None, name, None, f"column {name!r} is not used by the mapping", severity="warning")
        for name in columns
        if name not in used and name != "item_index"
    ]


def missing_required(file: str, record_type: str, columns: Iterable[str]) -> list[RowError]:
    """Errors for the required columns of ``record_type`` a file without a mapping lacks (it cannot load)."""
    present = set(columns)
    return [
        problem(
            file,
            None,
            name,
            None,
            f"required column {name!r} of {record_type} is missing from the file{_suggest(name, present)}",
            record_type,
        )
        for name in RECORD_TYPES[record_type].required
        if name not in present
    ]


def sheet_problem(file: str, sheet: str, file_map: FileMap | None, stem: str) -> RowError | None:
    """A warning for a sheet that is not read (the mapping names another sheet, or it names no record type)."""
    if file_map is not None:
        if file_map.sheet and sheet != file_map.sheet:
            return problem(
                file,
                None,
                None,
                None,
                f"sheet {sheet!r} not used (the mapping reads {file_map.sheet!r})",
                "",
                "warning",
            )
        return None
    if sheet.strip().lower() in RECORD_TYPES or stem in RECORD_TYPES:
        return None
    reason = (
        f"sheet {sheet!r} is not named after a record type{_suggest(sheet.strip().lower(), RECORD_TYPES)}; "
        f"not used (record types: {', '.join(RECORD_TYPES)})"
    )
    return problem(file, None, None, None, reason, "", "warning")
