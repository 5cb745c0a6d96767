"""pyproject.toml declares exactly what armsgraph imports, and constraints.txt pins what it pulls in."""

from __future__ import annotations

import ast
import importlib.metadata as md
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("constraints_tool", ROOT / "tools" / "constraints.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _imported_top_levels(folder: Path) -> set[str]:
    """Top-level names of every absolute import in ``folder`` (function-level imports included)."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"armsgraph", "__future__"}


def _declared(*groups: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for group in groups for r in map(Requirement, group)}


def test_dependencies_are_exactly_the_imported_distributions() -> None:
    owners = md.packages_distributions()
    imported = _imported_top_levels(ROOT / "armsgraph")
    unknown = sorted(name for name in imported if name not in owners)
    assert not unknown, f"imported but not installed: {unknown}"
    needed = {canonicalize_name(owners[name][0]) for name in imported}
    declared = set(_declared(PROJECT["dependencies"]))
    assert needed - declared == set(), "imported but not declared in pyproject.toml"
    assert declared - needed == set(), "declared in pyproject.toml but never imported"


def test_constraints_pin_every_requirement_within_its_bounds() -> None:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for name, requirement in _declared(PROJECT["dependencies"], PROJECT["optional-dependencies"]["test"]).items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} vs {requirement}"
    assert not {"pip", "setuptools", "wheel"} & set(pins)


def test_constraints_are_the_closure_of_the_requirements() -> None:
    """Every pin is pulled in by a requirement, and everything pulled in is pinned (refresh: docs/architecture.md)."""
    tool = _tool()
    expected = tool.closure(tool.declared())
    pinned = {
        canonicalize_name(line.split("==")[0])
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert pinned == set(expected), (
        f"not pulled in: {sorted(pinned - set(expected))}; not pinned: {sorted(set(expected) - pinned)}"
    )
