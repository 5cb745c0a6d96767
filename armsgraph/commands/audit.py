"""Audit commands: verify the hash chain, show recent entries."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from armsgraph import audit
from armsgraph.commands.common import STATE, console


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command group to ``app``."""
    group = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(group, name="audit")

    @group.command()
    def verify() -> None:
        """Check the hash chain; exit code 1 if any entry was changed, removed or reordered."""
        verdict = audit.verify(STATE.settings.data_dir)
        if verdict.ok:
            console.print(f"audit log intact: {verdict.checked:,} entries")
            return
        console.print(f"[bold red]audit log broken[/] after {verdict.checked:,} good entries: {verdict.reason}")
        raise typer.Exit(1)

    @group.command()
    def show(last: Annotated[int, typer.Option(help="How many recent entries.")] = 20) -> None:
        """Print the most recent entries."""
        rows = list(audit.entries(STATE.settings.data_dir))[-last:]
        table = Table("seq", "time", "user", "role", "action", "target", "params")
        for e in rows:
            table.add_row(str(e["seq"]), e["time"], e["user"], e["role"], e["action"], e["target"], str(e["params"]))
        console.print(table)
