"""The generator's reference tables, kept as YAML in ``armsgraph/scenario/data/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def table(name: str) -> Any:
    """The parsed ``data/<name>.yaml``."""
    return yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
