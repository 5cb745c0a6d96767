"""Linking settings: the ``[analytics.linking]`` section of the one settings object, names checked here.

The shipped defaults, the types and the ranges are :class:`armsgraph.settings.LinkingSettings`;
``armsgraph.toml`` (``[analytics.linking]``, or ``[linking]`` as earlier versions wrote it) and
``ARMSGRAPH_ANALYTICS__LINKING__*`` override them. This module adds what only the analysis knows:
the comparison and input column names. Every problem is a one-line :class:`SettingsError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from armsgraph.analytics.linkage_model import COMPARISONS, INPUT_COLUMNS
from armsgraph.errors import SettingsError
from armsgraph.settings import LinkingSettings, Settings, load_settings, validated

__all__ = ["check", "linking_settings"]


def _rules(where: str, value: list[list[str]]) -> None:
    for rule in value:
        unknown = [c for c in rule if c not in INPUT_COLUMNS]
        if not rule or unknown:
            what = f"unknown column {unknown[0]!r}" if unknown else "an empty rule"
            raise SettingsError(f"{where}: {what}; columns: {', '.join(INPUT_COLUMNS)}")


def check(values: Mapping[str, Any], where: str = "[analytics.linking]") -> dict[str, Any]:
    """Validated linking settings, every key given (SettingsError naming the setting otherwise)."""
    out = validated(LinkingSettings, values, where).model_dump()
    bad = [n for n in out["comparisons"] if n not in COMPARISONS]
    if bad:
        raise SettingsError(f"{where}.comparisons: unknown {bad[0]!r}; choose from {', '.join(COMPARISONS)}")
    _rules(f"{where}.blocking", out["blocking"])
    for key in ("deterministic", "em_blocking"):
        _rules(f"{where}.train.{key}", out["train"][key])
    return out


def linking_settings(config: Settings | Path | None = None, **overrides: Any) -> dict[str, Any]:
    """The linking section of ``config`` (settings, e.g. a store's; or loaded from this TOML file, or as
    :func:`load_settings` finds them), then non-None ``overrides``."""
    settings = config if isinstance(config, Settings) else load_settings(config)
    linking = settings.analytics.linking.model_dump()
    return check({**linking, **{k: v for k, v in overrides.items() if v is not None}}, "linking settings")
