"""The ``armsgraph`` command line: global options and error handling here, commands in ``armsgraph.commands``.

Every failure ends as one line on stderr, ``error: <what> (hint: <what to do>)``, with the exit code
of its kind (``armsgraph.commands.exits.ExitCode``, docs/cli.md); no traceback escapes, unless
``ARMSGRAPH_DEBUG=1`` asks for the traceback of an unexpected one.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

from armsgraph import __version__
from armsgraph.commands import analyse, audit, brief, dashboard, generate, ingest, store
from armsgraph.commands.common import STATE, console
from armsgraph.commands.exits import ExitCode, failure
from armsgraph.commands.logs import LogLevel, configure_logging
from armsgraph.errors import ArmsgraphError
from armsgraph.graph.model import default_model

#: Errors go to stderr, on one line however narrow the terminal.
error_console = Console(stderr=True, soft_wrap=True, highlight=False)


class StoreKind(enum.StrEnum):
    """The graph store ``--store`` chooses."""

    embedded = "embedded"
    neo4j = "neo4j"


def report_failure(exc: BaseException) -> int:
    """Print the one-line message of ``exc`` and return its exit code."""
    code, message = failure(exc)
    if message:
        error_console.print(f"[bold red]error:[/] {escape(message)}")  # no markup from data
    return int(code)


#: Failures that are not bugs: ``ARMSGRAPH_DEBUG=1`` shows a traceback for every other exception.
_EXPECTED = (ArmsgraphError, TyperException, Abort)


class ArmsgraphGroup(TyperGroup):
    """The root command: every exception becomes an exit code and one line (the console script and CliRunner)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
            code = result if isinstance(result, int) else ExitCode.OK
        except (Exception, KeyboardInterrupt) as exc:
            if os.environ.get("ARMSGRAPH_DEBUG") == "1" and not isinstance(exc, _EXPECTED):
                raise
            if isinstance(exc, BrokenPipeError):  # the reader went away: no more output, not even at exit
                with contextlib.suppress(OSError, ValueError):
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = report_failure(exc)
        if standalone_mode:
            sys.exit(int(code))
        return int(code)


app = typer.Typer(
    name="armsgraph",
    cls=ArmsgraphGroup,
    help="Graph intelligence for illicit firearms trafficking: ingest records, analyse, brief.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    """``--version``: print it and exit before any command is looked for."""
    if value:
        console.print(f"armsgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    config: Annotated[Path | None, typer.Option(help="Settings TOML file (see docs/settings.md).")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Embedded store data directory.")] = None,
    store_kind: Annotated[
        StoreKind | None, typer.Option("--store", help="The graph store (default: settings, embedded).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_show_version)
    ] = False,
    log_level: Annotated[
        LogLevel,
        typer.Option(
            envvar="ARMSGRAPH_LOG_LEVEL", case_sensitive=False, help="Messages shown on stderr (docs/settings.md)."
        ),
    ] = LogLevel.WARNING,
) -> None:
    """Global options shared by every command."""
    configure_logging(log_level)
    STATE.configure(config=config, data_dir=data_dir, store=store_kind.value if store_kind else None)
    default_model()  # refuse an inconsistent schema at start-up, naming file and field


# One line per command group, in the order of `armsgraph --help`.
app.add_typer(store.app)
app.add_typer(analyse.app)
app.add_typer(brief.app)
app.add_typer(audit.app)
app.add_typer(audit.users_app)
app.add_typer(dashboard.app)
app.add_typer(generate.app)
app.add_typer(ingest.app)
app.add_typer(ingest.review_app)


def main() -> None:
    """Entry point of the ``armsgraph`` console script; exits with an ``ExitCode``."""
    app()
