"""Settings: one object with four sections (store, ingest, analytics, dashboard) that every layer reads.

Precedence (last wins): built-in defaults → ``armsgraph.toml`` (path from ``--config``,
``ARMSGRAPH_CONFIG``, or ``./armsgraph.toml`` when present) → the secrets folder → environment
variables → explicit options (the command line). docs/settings.md lists every setting.

- TOML: a table per section (``[store]``, ``[ingest]``, ``[ingest.thresholds]``,
  ``[analytics.linking]``, ``[dashboard]``); the flat names of earlier versions (``store``,
  ``data_dir``, ``batch_size``, ``dashboard_port``… at top level or under ``[armsgraph]``) and a
  top-level ``[linking]`` table are still read.
- Environment: ``ARMSGRAPH_<SECTION>__<FIELD>`` for any setting (``ARMSGRAPH_INGEST__THRESHOLDS__PERSON_MERGE``,
  lists as JSON), ``ARMSGRAPH_<FLAT NAME>`` for the flat names (``ARMSGRAPH_DATA_DIR``), and the
  standard ``NEO4J_URI``, ``NEO4J_USER``/``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.
- Secrets (the Neo4j password) never come from the TOML file: from the environment, the file
  named by ``ARMSGRAPH_NEO4J_PASSWORD_FILE``, or a file ``neo4j_password`` in the secrets folder
  (``$ARMSGRAPH_SECRETS_DIR``, else ``/run/secrets`` as Docker and Kubernetes mount it).

>>> load_settings(store="neo4j").store.kind                         # doctest: +SKIP
'neo4j'
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, Self, TypeVar, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from armsgraph.errors import SettingsError

STORES = ("embedded", "neo4j")
CLASSIFICATIONS = ("public", "restricted", "confidential", "secret")
SECTIONS = ("store", "ingest", "analytics", "dashboard")
#: Settings that are never read from the TOML file (environment, password file or secrets folder only).
SECRETS = ("neo4j_password",)
#: The folder of secret files when ``ARMSGRAPH_SECRETS_DIR`` is not set (Docker/Kubernetes secrets).
DEFAULT_SECRETS_DIR = Path("/run/secrets")
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
_ENV_ALIASES = {
    "neo4j_uri": ("NEO4J_URI",),
    "neo4j_user": ("NEO4J_USER", "NEO4J_USERNAME"),
    "neo4j_password": ("NEO4J_PASSWORD",),
    "neo4j_database": ("NEO4J_DATABASE",),
}


def default_data_dir() -> Path:
    """The per-user data directory (``$XDG_DATA_HOME/armsgraph`` or ``~/.local/share/armsgraph``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "armsgraph"


def _one_of(what: str, allowed: tuple[str, ...], value: str) -> str:
    """``value`` when it is among ``allowed``; else the error pydantic reports for the field."""
    if value not in allowed:
        raise ValueError(f"{what} must be one of {allowed}, not {value!r}")
    return value


class Section(BaseModel):
    """A settings section: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StoreSettings(Section):
    """The graph store: which one, where, and how it is reached."""

    kind: str = "embedded"
    data_dir: Path = Field(default_factory=default_data_dir)
    graph_name: str = "armsgraph"
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = Field(default="", repr=False)
    neo4j_database: str = "neo4j"
    connect_timeout_s: float = 15.0
    query_timeout_s: float = 300.0
    batch_size: int = Field(default=10_000, gt=0)

    _known_store = field_validator("kind")(lambda value: _one_of("store", STORES, value))

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return Path(value).expanduser()


class Thresholds(Section):
    """Entity-resolution similarity thresholds (0-100) and the largest block compared pairwise."""

    person_merge: float = 90.0
    person_candidate: float = 85.0
    organisation_candidate: float = 90.0
    make_candidate: float = 80.0
    block_limit: int = 500
    #: Candidate pairs kept per person or organisation (its best-scored); a common name without a
    #: date of birth would otherwise pair with every namesake (quadratic growth of the review queue).
    max_candidates: int = 5


def _thresholds_nested(data: Mapping[str, Any]) -> dict[str, Any]:
    """Threshold names at the ingest section's top level (ingest YAML of earlier versions) go to ``thresholds``."""
    flat = [k for k in data if k in Thresholds.model_fields]
    out = {k: v for k, v in data.items() if k not in flat}
    if flat:
        out["thresholds"] = {**dict(out.get("thresholds") or {}), **{k: data[k] for k in flat}}
    return out


class IngestSettings(Section):
    """The ingest pipeline; ``to_yaml``/``from_yaml`` round-trip it (``armsgraph ingest --settings FILE``)."""

    source: str | None = None
    classification: str = "restricted"
    #: Rows per write batch; None: the store's ``batch_size``.
    batch_size: int | None = Field(default=None, gt=0)
    cell_limit: int = Field(default=100_000, gt=0)
    date_formats: tuple[str, ...] = ()
    checkpoint: bool = True
    thresholds: Thresholds = Thresholds()
    bulk_first_load: bool = True
    neo4j_import: str | None = None

    _known_classification = field_validator("classification")(
        lambda value: _one_of("classification", CLASSIFICATIONS, value)
    )

    @model_validator(mode="before")
    @classmethod
    def _flat_thresholds(cls, data: Any) -> Any:
        return _thresholds_nested(data) if isinstance(data, Mapping) else data

    def to_yaml(self) -> str:
        """These settings as YAML."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str, base: IngestSettings | None = None) -> IngestSettings:
        """Settings from YAML over ``base`` (default: the built-in defaults); unknown keys are refused."""
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            raise SettingsError("ingest settings YAML must be a mapping")
        return validated(cls, _merge((base or cls()).model_dump(), _thresholds_nested(data)), "ingest settings")

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (None values ignored)."""
        return _replaced(self, changes)


class LinkingTrain(Section):
    """Training the linking model without labels (docs/analytics.md)."""

    #: Rules that estimate λ (the share of pairs that match), with the recall assumed for them.
    deterministic: list[list[str]] = [["date", "city", "organisation"], ["date", "lat", "lon"]]
    recall: float = 0.5
    #: EM sessions: m is estimated on the pairs of each rule (a rule forming fewer than 50 pairs is skipped).
    em_blocking: list[list[str]] = [["date", "country"]]
    #: Fewer incidents: the priors of analytics/linkage_model.py are used untrained.
    min_incidents: int = 200


class LinkingSettings(Section):
    """Linked incidents: probabilistic record linkage (Fellegi–Sunter, splink on DuckDB).

    The comparison and column names are checked by the analysis (armsgraph.analytics.linkage_settings).
    """

    #: A pair is LINKED when its match probability is at least this (Fellegi–Sunter is overconfident
    #: when evidence is correlated: read it as a ranking).
    threshold: float = Field(default=0.99, gt=0, lt=1)
    #: Leiden (constant Potts) resolution in bits: a cluster's links must weigh more than this per member pair.
    cluster_resolution: float = Field(default=4.0, ge=0)
    comparisons: list[str] = [
        "date", "distance", "subdivision", "city", "organisation", "firearm", "ballistic", "person",
        "identifier", "trace", "attack_type", "target_type", "weapon_type", "description", "series",
    ]  # fmt: skip
    #: Candidate pairs: incidents that agree on all columns of at least one rule are compared
    #: (same-day pairs are never dropped: date + country covers them).
    blocking: list[list[str]] = [
        ["date", "country"], ["date", "organisation"], ["country", "subdivision", "organisation"],
        ["firearms"], ["ballistics"], ["persons"], ["identifiers"], ["traces"],
    ]  # fmt: skip
    train: LinkingTrain = LinkingTrain()


class AnalyticsSettings(Section):
    """The analyses' settings (one sub-table per analysis)."""

    linking: LinkingSettings = LinkingSettings()


class DashboardSettings(Section):
    """The dashboard: its port, sign-in throttling and lockout, and how long a sign-in lasts."""

    port: int = 8501
    #: Failures of one user (or from one client) allowed before each attempt waits, the first wait
    #: (doubling up to signin_max_delay_s), and the failures that lock for signin_lockout_s.
    signin_free_failures: int = Field(default=3, ge=0)
    signin_delay_s: float = Field(default=1.0, ge=0)
    signin_max_delay_s: float = Field(default=60.0, ge=0)
    signin_lockout_failures: int = 10
    signin_lockout_s: float = Field(default=900.0, ge=0)
    session_ttl_s: float = Field(default=8 * 3600.0, ge=0)

    @model_validator(mode="after")
    def _lockout_after_free(self) -> Self:
        if self.signin_free_failures >= self.signin_lockout_failures:
            raise ValueError("signin_free_failures must be below signin_lockout_failures")
        return self


#: Flat names (earlier versions' TOML keys, ``ARMSGRAPH_<NAME>``, keyword overrides) → (section, field).
FLAT_NAMES: dict[str, tuple[str, str]] = {
    "store": ("store", "kind"),
    **{name: ("store", name) for name in StoreSettings.model_fields if name != "kind"},
    "dashboard_port": ("dashboard", "port"),
    **{name: ("dashboard", name) for name in DashboardSettings.model_fields if name != "port"},
}


class StoreField(Generic[T]):
    """A field of the store section read as an attribute of the whole settings (``settings.data_dir``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, settings: Settings | None, owner: type | None = None) -> T:
        if settings is None:
            raise AttributeError(self.name)  # on the class: not a field of the model
        return cast(T, getattr(settings.store, self.name))


class Settings(BaseModel):
    """Everything configurable, as one immutable object of four sections.

    ``Settings(store="neo4j", batch_size=500)`` and :meth:`replace` take the flat names too. The
    store section's fields are also attributes of the whole (``settings.data_dir``): the store code
    and every command read them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(StoreField,))

    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    analytics: AnalyticsSettings = AnalyticsSettings()
    dashboard: DashboardSettings = DashboardSettings()

    @model_validator(mode="before")
    @classmethod
    def _sections(cls, data: Any) -> Any:
        return nest(data, "") if isinstance(data, Mapping) else data

    def replace(self, **changes: Any) -> Self:
        """A copy with some settings changed, by flat name or section (None values are ignored)."""
        return _replaced(self, nest({k: v for k, v in changes.items() if v is not None}, ""))

    def to_toml_dict(self) -> dict[str, Any]:
        """The settings as a TOML-ready mapping of sections, without secrets (None values left out)."""
        return _without_secrets(self.model_dump(mode="json", exclude_none=True))

    def to_env(self) -> dict[str, str]:
        """Environment variables that rebuild these settings, without secrets (flat names where there is one)."""
        flat = {section_field: name for name, section_field in FLAT_NAMES.items()}
        out: dict[str, str] = {}
        for var, value in _env_pairs("ARMSGRAPH", self.to_toml_dict()):
            section, _, name = var.removeprefix("ARMSGRAPH_").lower().partition("__")
            short = flat.get((section, name))
            out[f"ARMSGRAPH_{short.upper()}" if short else var] = value
        return out

    # The store section's fields, read everywhere a store is opened, as attributes of the whole.
    data_dir = StoreField[Path]()
    graph_name = StoreField[str]()
    neo4j_uri = StoreField[str]()
    neo4j_user = StoreField[str]()
    neo4j_password = StoreField[str]()
    neo4j_database = StoreField[str]()
    connect_timeout_s = StoreField[float]()
    query_timeout_s = StoreField[float]()
    batch_size = StoreField[int]()


# -- building settings from layers ----------------------------------------------------------------
def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it, tables merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def nest(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Flat names and a top-level ``[linking]`` table moved into their sections; unknown names refused."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in SECTIONS and isinstance(value, Mapping | BaseModel):
            layer = {key: value}
        elif key == "linking" and isinstance(value, Mapping):
            layer = {"analytics": {"linking": value}}
        elif key in FLAT_NAMES:
            section, name = FLAT_NAMES[key]
            layer = {section: {name: value}}
        else:
            raise SettingsError(f"{where}unknown setting {key!r}; sections: {', '.join(SECTIONS)} (docs/settings.md)")
        out = _merge(out, {k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in layer.items()})
    return out


def validated(model: type[M], data: Mapping[str, Any], where: str) -> M:
    """``model`` built from ``data``; the first problem as a one-line SettingsError naming the setting."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            raise SettingsError(f"{where}: unknown setting {name!r} (docs/settings.md)") from None
        message = error["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{where}: setting {name}={error.get('input')!r}: {message}") from None


def _replaced(model: M, changes: Mapping[str, Any]) -> M:
    data = _merge(model.model_dump(), {k: v for k, v in changes.items() if v is not None})
    return validated(type(model), data, "settings")


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _without_secrets(v) if isinstance(v, dict) else v for k, v in data.items() if k not in SECRETS}


def _env_pairs(prefix: str, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        name = f"{prefix}__{key.upper()}" if prefix != "ARMSGRAPH" else f"{prefix}_{key.upper()}"
        if isinstance(value, Mapping):
            yield from _env_pairs(name, value)
        else:
            yield name, value if isinstance(value, str) else json.dumps(value)


def config_path(config: Path | None = None) -> Path | None:
    """The TOML file in use: ``config``, else ``$ARMSGRAPH_CONFIG``, else ``./armsgraph.toml`` if present."""
    if config is not None:
        return Path(config)
    if os.environ.get("ARMSGRAPH_CONFIG"):
        return Path(os.environ["ARMSGRAPH_CONFIG"])
    return Path("armsgraph.toml") if Path("armsgraph.toml").is_file() else None


def toml_layer(path: Path | None) -> dict[str, Any]:
    """The settings a TOML file sets, in sections (empty without a file)."""
    if path is None:
        return {}
    if not path.is_file():
        raise SettingsError(f"settings file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path}: {exc}") from exc
    top = {k: v for k, v in data.items() if k != "armsgraph"}
    layer = _merge(nest(data.get("armsgraph", {}), f"settings file {path}: "), nest(top, f"settings file {path}: "))
    for secret in SECRETS:
        if secret in layer.get("store", {}):
            raise SettingsError(
                f"settings file {path}: put {secret} in the environment (ARMSGRAPH_{secret.upper()}) "
                "or a secrets file, not in the TOML file"
            )
    validated(Settings, layer, f"settings file {path}")  # a wrong value is named with its file
    return layer


def secrets_layer() -> dict[str, Any]:
    """Secrets from ``ARMSGRAPH_<NAME>_FILE`` or a file named after the setting in the secrets folder."""
    folder = Path(os.environ.get("ARMSGRAPH_SECRETS_DIR") or DEFAULT_SECRETS_DIR)
    out: dict[str, Any] = {}
    for name in SECRETS:
        named = os.environ.get(f"ARMSGRAPH_{name.upper()}_FILE")
        path = Path(named) if named else folder / name
        if named or path.is_file():
            try:
                out[name] = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"secret {name}: cannot read {path} ({exc.strerror})") from None
    return nest(out, "secrets: ")


def _env_value(raw: str) -> Any:
    """A variable's value: JSON for lists and tables (``["a", "b"]``), else the text (pydantic converts it)."""
    if raw.startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SettingsError(f"environment value {raw!r} is not valid JSON ({exc.msg})") from None
    return raw


def env_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings from the environment; later wins: NEO4J_*, ARMSGRAPH_<SECTION>__<FIELD>, ARMSGRAPH_<FLAT NAME>.

    The flat names win so that what ``Settings.to_env`` writes (flat where a flat name exists) rebuilds the
    settings even in an environment that also holds the sectioned name.
    """
    aliases: dict[str, Any] = {}
    for name, variables in _ENV_ALIASES.items():
        found = [environ[var] for var in variables if var in environ]
        if found:
            aliases[name] = found[0]
    sectioned: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    for var, raw in environ.items():
        key = var.removeprefix("ARMSGRAPH_").lower()
        path = key.split("__")
        if not var.startswith("ARMSGRAPH_"):
            continue
        if len(path) > 1 and path[0] in SECTIONS:
            layer: dict[str, Any] = _env_value(raw)
            for part in reversed(path):
                layer = {part: layer}
            sectioned = _merge(sectioned, layer)
        elif key in FLAT_NAMES:
            flat[key] = raw
    return _merge(_merge(nest(aliases, "environment: "), sectioned), nest(flat, "environment: "))


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, a TOML file, the secrets folder, the environment and explicit overrides.

    ``overrides`` take flat names (``store``, ``data_dir``, ``batch_size``…) or sections; None values are ignored.
    """
    layers = [
        toml_layer(config_path(config)),
        secrets_layer(),
        env_layer(os.environ),
        nest({k: v for k, v in overrides.items() if v is not None}, ""),
    ]
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, layer)
    return validated(Settings, merged, "settings")
