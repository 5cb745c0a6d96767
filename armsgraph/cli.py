"""The ``armsgraph`` command line: global options here, commands in ``armsgraph.commands``."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from armsgraph import __version__
from armsgraph.commands.common import STATE, console
from armsgraph.errors import ArmsgraphError
from armsgraph.graph.model import default_model

#: Modules that each define ``register(app)``; one line per command group.
COMMAND_MODULES = [
    "armsgraph.commands.store",
    "armsgraph.commands.analyse",
    "armsgraph.commands.brief",
    "armsgraph.commands.audit",
    "armsgraph.commands.dashboard",
    "armsgraph.commands.generate",
    "armsgraph.commands.ingest",
]

app = typer.Typer(
    name="armsgraph",
    help="Graph intelligence for illicit firearms trafficking: ingest records, analyse, brief.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global(
    config: Annotated[Path | None, typer.Option(help="Settings TOML file (see docs/settings.md).")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Embedded store data directory.")] = None,
    store: Annotated[str | None, typer.Option(help="embedded (default) or neo4j.")] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Global options shared by every command."""
    if version:
        console.print(f"armsgraph {__version__}")
        raise typer.Exit()
    STATE.configure(config=config, data_dir=data_dir, store=store)
    default_model()  # refuse an inconsistent schema at start-up, naming file and field


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Entry point: run the app; armsgraph errors become one clear line and exit code 2."""
    try:
        app()
    except ArmsgraphError as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)  # one line, no markup from data
        raise SystemExit(2) from None
