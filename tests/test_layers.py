"""Layers import only downward (docs/architecture.md): no module imports a module of a higher layer."""

from __future__ import annotations

import ast
from pathlib import Path

import armsgraph

PACKAGE = Path(armsgraph.__file__).parent

# Rank of each top-level module or package of armsgraph; a module may import its own rank or lower.
LAYERS: dict[str, int] = {
    "errors": 0,
    "private": 0,
    "settings": 0,
    "dates": 0,
    "progress": 0,
    "graph": 1,
    "access": 2,
    "audit": 2,
    "users": 2,
    "signin": 2,
    "scenario": 3,
    "ingest": 3,
    "analytics": 4,
    "reports": 5,
    "dashboard": 6,
    "commands": 7,
    "cli": 7,
    "__main__": 7,
}


def _unit(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_units(source: str, module: str, is_package: bool = False) -> set[str]:
    """The armsgraph top-level units a module imports (absolute, relative, `from armsgraph import x`)."""
    here = module.split(".")
    package = here if is_package else here[:-1]
    units: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        targets: list[list[str]] = []
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            targets = [[*target, alias.name] for alias in node.names] if target == ["armsgraph"] else [target]
        units |= {target[1] for target in targets if len(target) > 1 and target[0] == "armsgraph"}
    return units


def _imports(path: Path) -> set[str]:
    module = ".".join(["armsgraph", *path.relative_to(PACKAGE).with_suffix("").parts])
    return imported_units(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def test_every_unit_has_a_layer() -> None:
    units = {_unit(path) for path in PACKAGE.rglob("*.py")} - {"__init__"}
    assert units <= set(LAYERS), f"give these a layer in LAYERS: {sorted(units - set(LAYERS))}"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        if unit == "__init__":
            continue
        for target in _imports(path):
            if target in LAYERS and LAYERS[target] > LAYERS[unit]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert upward == []


def test_the_scanner_sees_every_form_of_import() -> None:
    """Absolute, `from armsgraph import x`, and relative imports at one and two levels are all seen."""
    source = (
        "import armsgraph.graph.store\n"
        "from armsgraph import dashboard\n"
        "from .linking import link\n"
        "from ..reports import brief\n"
        "from . import routes\n"
        "import pandas\n"
    )
    assert imported_units(source, "armsgraph.analytics.paths") == {"graph", "dashboard", "analytics", "reports"}
    assert imported_units("from . import store\n", "armsgraph.graph", is_package=True) == {"graph"}
