"""Settings: defaults, then an optional TOML file, then environment variables.

Precedence (last wins): built-in defaults → ``armsgraph.toml`` (path from
``--config``, ``ARMSGRAPH_CONFIG``, or ``./armsgraph.toml`` when present) →
environment variables ``ARMSGRAPH_<FIELD>`` (upper case). The standard Neo4j
variables ``NEO4J_URI``, ``NEO4J_USER``/``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE`` are honoured too. Passwords are never read from the TOML file
written into a repository by accident: they come from the environment or a
secrets file (``ARMSGRAPH_NEO4J_PASSWORD_FILE``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from armsgraph.errors import SettingsError

STORES = ("embedded", "neo4j")
#: TOML tables that configure an analysis rather than the store (``[linking]``).
ANALYSIS_SECTIONS = frozenset({"linking"})


def default_data_dir() -> Path:
    """The per-user data directory (``$XDG_DATA_HOME/armsgraph`` or ``~/.local/share/armsgraph``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "armsgraph"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, as one immutable object."""

    store: str = "embedded"
    data_dir: Path = field(default_factory=default_data_dir)
    graph_name: str = "armsgraph"
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str = "neo4j"
    connect_timeout_s: float = 15.0
    query_timeout_s: float = 300.0
    batch_size: int = 10_000
    dashboard_port: int = 8501
    #: Dashboard sign-in: failures of one user (or from one client) allowed before each attempt waits,
    #: the first wait (doubling up to signin_max_delay_s), and the failures that lock for signin_lockout_s.
    signin_free_failures: int = 3
    signin_delay_s: float = 1.0
    signin_max_delay_s: float = 60.0
    signin_lockout_failures: int = 10
    signin_lockout_s: float = 900.0
    #: How long a dashboard sign-in lasts (it survives a page reload until then).
    session_ttl_s: float = 8 * 3600.0

    def __post_init__(self) -> None:
        if self.store not in STORES:
            raise SettingsError(f"store must be one of {STORES}, not {self.store!r}")
        if self.batch_size < 1:
            raise SettingsError(f"batch_size must be positive, not {self.batch_size}")
        if not 0 <= self.signin_free_failures < self.signin_lockout_failures:
            raise SettingsError("signin_free_failures must be at least 0 and below signin_lockout_failures")
        for name in ("signin_delay_s", "signin_max_delay_s", "signin_lockout_s", "session_ttl_s"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative, not {getattr(self, name)}")
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser())

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_toml_dict(self) -> dict[str, Any]:
        """The settings as a TOML-ready mapping, without secrets."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "neo4j_password":
                continue
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Path) else value
        return out


_ENV_ALIASES = {
    "neo4j_uri": ("NEO4J_URI",),
    "neo4j_user": ("NEO4J_USER", "NEO4J_USERNAME"),
    "neo4j_password": ("NEO4J_PASSWORD",),
    "neo4j_database": ("NEO4J_DATABASE",),
}


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind in ("int", int):
            return int(raw)
        if kind in ("float", float):
            return float(raw)
        if kind in ("Path", Path):
            return Path(str(raw))
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}={raw!r} is not a valid {kind}") from exc


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, a TOML file, the environment and explicit overrides."""
    values: dict[str, Any] = {}
    names = {f.name for f in fields(Settings)}
    path = config or (Path(os.environ["ARMSGRAPH_CONFIG"]) if "ARMSGRAPH_CONFIG" in os.environ else None)
    if path is None and Path("armsgraph.toml").is_file():
        path = Path("armsgraph.toml")
    if path is not None:
        if not path.is_file():
            raise SettingsError(f"settings file {path} does not exist")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path}: {exc}") from exc
        section = data.get("armsgraph", data)
        for key, raw in section.items():
            if key in ANALYSIS_SECTIONS and isinstance(raw, dict):
                continue  # read by the analysis itself (armsgraph.analytics.linkage_settings)
            if key not in names:
                raise SettingsError(f"settings file {path}: unknown setting {key!r}")
            if key == "neo4j_password":
                raise SettingsError(
                    f"settings file {path}: put neo4j_password in the environment "
                    "(ARMSGRAPH_NEO4J_PASSWORD) or a secrets file, not in the TOML file"
                )
            values[key] = _coerce(key, raw)
    for name in names:
        for var in (f"ARMSGRAPH_{name.upper()}", *_ENV_ALIASES.get(name, ())):
            if var in os.environ:
                values[name] = _coerce(name, os.environ[var])
                break
    secret_file = os.environ.get("ARMSGRAPH_NEO4J_PASSWORD_FILE")
    if secret_file:
        values["neo4j_password"] = Path(secret_file).read_text(encoding="utf-8").strip()
    values.update({k: _coerce(k, v) for k, v in overrides.items() if v is not None})
    return Settings(**values)
