"""Linking settings: the shipped defaults (``analytics/settings.yaml``) overlaid by ``[linking]`` in armsgraph.toml.

The TOML file is the one the other settings come from (``--config``, ``ARMSGRAPH_CONFIG`` or
``./armsgraph.toml``); every key is checked, and a wrong one is a one-line :class:`SettingsError`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from armsgraph.analytics.common import analytics_settings
from armsgraph.analytics.linkage_model import COMPARISONS, INPUT_COLUMNS
from armsgraph.errors import SettingsError

__all__ = ["linking_settings"]

_KEYS = {"threshold", "cluster_resolution", "comparisons", "blocking", "train"}
_TRAIN_KEYS = {"deterministic", "recall", "em_blocking", "min_incidents"}


def _config_file(config: Path | None) -> Path | None:
    if config is not None:
        return config
    if "ARMSGRAPH_CONFIG" in os.environ:
        return Path(os.environ["ARMSGRAPH_CONFIG"])
    return Path("armsgraph.toml") if Path("armsgraph.toml").is_file() else None


def _rules(where: str, value: Any) -> list[list[str]]:
    if not isinstance(value, list) or not all(isinstance(r, list) and r for r in value):
        raise SettingsError(f'{where} must be a list of column lists, e.g. [["date", "country"]]')
    for rule in value:
        unknown = [c for c in rule if c not in INPUT_COLUMNS]
        if unknown:
            raise SettingsError(f"{where}: unknown column {unknown[0]!r}; columns: {', '.join(INPUT_COLUMNS)}")
    return [list(map(str, r)) for r in value]


def check(values: Mapping[str, Any], where: str = "[linking]") -> dict[str, Any]:
    """Validated linking settings (SettingsError naming the key otherwise)."""
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise SettingsError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_KEYS))}")
    out = dict(values)
    threshold = out.get("threshold")
    if threshold is not None and not (isinstance(threshold, int | float) and 0 < float(threshold) < 1):
        raise SettingsError(f"{where}.threshold must be a probability between 0 and 1, not {threshold!r}")
    resolution = out.get("cluster_resolution")
    if resolution is not None and not (isinstance(resolution, int | float) and float(resolution) >= 0):
        raise SettingsError(f"{where}.cluster_resolution must be a number of bits >= 0, not {resolution!r}")
    if "comparisons" in out:
        names = out["comparisons"]
        bad = [n for n in names if n not in COMPARISONS] if isinstance(names, list) else [names]
        if bad:
            raise SettingsError(f"{where}.comparisons: unknown {bad[0]!r}; choose from {', '.join(COMPARISONS)}")
    if "blocking" in out:
        out["blocking"] = _rules(f"{where}.blocking", out["blocking"])
    train = out.get("train")
    if train is not None:
        if not isinstance(train, Mapping) or set(train) - _TRAIN_KEYS:
            raise SettingsError(f"{where}.train: allowed keys are {', '.join(sorted(_TRAIN_KEYS))}")
        for key in ("deterministic", "em_blocking"):
            if key in train:
                _rules(f"{where}.train.{key}", train[key])
    return out


def linking_settings(config: Path | None = None, **overrides: Any) -> dict[str, Any]:
    """Defaults, then ``[linking]`` of the settings file, then non-None ``overrides`` (e.g. threshold)."""
    merged: dict[str, Any] = dict(analytics_settings()["linking"])
    merged["train"] = dict(merged["train"])
    path = _config_file(config)
    if path is not None and path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path}: {exc}") from exc
        section = check(data.get("linking", {}), f"settings file {path}: [linking]")
        train = section.pop("train", {})
        merged.update(section)
        merged["train"].update(train)
    merged.update(check({k: v for k, v in overrides.items() if v is not None}, "option"))
    return merged
