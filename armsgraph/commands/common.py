"""What every command shares: settings from global options, the store, the console."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from armsgraph.graph.store import GraphStore, open_store
from armsgraph.settings import Settings, load_settings

console = Console(stderr=False)


@dataclass
class CliState:
    """Global options, turned into settings on first use."""

    options: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None

    def configure(self, config: Path | None, **overrides: Any) -> None:
        self.options = {"config": config, **overrides}
        self._settings = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            opts = dict(self.options)
            self._settings = load_settings(opts.pop("config", None), **opts)
        return self._settings


STATE = CliState()


@contextlib.contextmanager
def store_session() -> Iterator[GraphStore]:
    """Open the configured store for one command and close it afterwards."""
    store = open_store(STATE.settings)
    try:
        yield store
    finally:
        store.close()
