"""Commands are module-level functions on module-level Typer groups; choices are the domain's own values."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from armsgraph import audit as audit_log
from armsgraph.access import LEVELS, ROLES
from armsgraph.analytics import ANALYSES
from armsgraph.cli import StoreKind, app
from armsgraph.commands import analyse, audit, brief, ingest, store
from armsgraph.commands.common import STATE
from armsgraph.ingest.review import STATUSES
from armsgraph.settings import STORES


def _commands(group: typer.core.TyperGroup, path: str = "") -> Iterator[tuple[str, object]]:
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            yield from _commands(command, f"{path}{name} ")
        else:
            yield f"{path}{name}", inspect.unwrap(command.callback)  # Typer wraps it


def test_every_command_is_a_module_level_function_of_armsgraph_commands() -> None:
    found = dict(_commands(get_command(app)))
    assert {"info", "query", "ingest", "brief", "export", "audit verify", "users add", "review list"} <= set(found)
    assert len(found) == 24, sorted(found)
    for name, callback in found.items():
        module = importlib.import_module(callback.__module__)
        assert module.__name__.startswith("armsgraph.commands."), name
        assert getattr(module, callback.__name__) is callback, f"{name} is not importable by its name"
        assert "<locals>" not in callback.__qualname__, f"{name} is a closure"


def test_choices_are_exactly_the_domain_values() -> None:
    assert [a.value for a in analyse.Analysis] == list(ANALYSES)
    assert [r.value for r in audit.Role] == list(ROLES)
    assert [c.value for c in audit.Clearance] == list(LEVELS)
    assert [s.value for s in ingest.ReviewStatus] == [*STATUSES, "all"]
    assert sorted(s.value for s in StoreKind) == sorted(STORES)
    assert set(brief.EXPORT_SUFFIX) == set(brief.ExportFormat)


def test_a_command_runs_when_called_directly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store.list_queries()
    assert "node_counts" in capsys.readouterr().out
    STATE.configure(config=None, data_dir=tmp_path)
    for n in range(3):
        audit_log.record(tmp_path, "cli", "admin", "test", f"t{n}")
    audit.verify()
    assert "audit log intact: 3 entries" in capsys.readouterr().out
    lines = (tmp_path / "audit" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "audit" / "audit.jsonl").write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    with pytest.raises(typer.Exit) as stopped:
        audit.verify()
    assert stopped.value.exit_code == 1 and "audit log broken" in capsys.readouterr().out
