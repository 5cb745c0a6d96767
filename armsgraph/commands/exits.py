"""Exit codes of the command line, and the one-line message with a hint that each failure prints.

The table is docs/cli.md's; ``failure`` turns any exception that reaches the command line into
``(exit code, message)`` so that no traceback escapes (``ARMSGRAPH_DEBUG=1`` shows it for a bug).
"""

from __future__ import annotations

import enum
import errno

from typer.exceptions import Abort, TyperException

from armsgraph.errors import (
    AccessDeniedError,
    AnalyticsError,
    ArmsgraphError,
    IngestError,
    MappingError,
    ModelViolationError,
    ParameterError,
    QueryNotFoundError,
    QueryTimeoutError,
    SchemaError,
    SettingsError,
    StoreError,
    StoreUnavailableError,
)


class ExitCode(enum.IntEnum):
    """What the exit status of ``armsgraph`` means (docs/cli.md)."""

    OK = 0
    #: The command ran, but its result needs attention: nothing loaded or a failed ingest step,
    #: an audit chain that does not verify, a question at a prompt answered "no".
    INCOMPLETE = 1
    #: The command line itself: unknown command or option, a value not among the choices, a missing argument.
    USAGE = 2
    #: The input: settings, graph model, mapping, bundle, query name or parameter,
    #: or a file that cannot be read or written.
    DATA = 3
    #: The role or clearance may not read, write or export what was asked.
    ACCESS = 4
    #: The graph store cannot be reached or started, or failed an operation.
    STORE = 5
    #: An unexpected exception: a bug in armsgraph.
    INTERNAL = 70
    #: Ctrl+C.
    INTERRUPTED = 130


#: Exit code and hint of each error class; the most specific class of an exception decides.
HINTS: dict[type[BaseException], tuple[ExitCode, str]] = {
    AccessDeniedError: (ExitCode.ACCESS, "an admin can change a user's role or clearance (`armsgraph users change`)"),
    StoreUnavailableError: (
        ExitCode.STORE,
        "`armsgraph info` shows the store in use; check the Neo4j URI and password, or `armsgraph stop` and retry",
    ),
    QueryTimeoutError: (
        ExitCode.STORE,
        "the store ended the query at its time limit: narrow it, or raise query_timeout_s (docs/settings.md)",
    ),
    ModelViolationError: (ExitCode.DATA, "the graph model (armsgraph/model/*.yaml) lists what may be written"),
    StoreError: (ExitCode.STORE, "`armsgraph info` shows the store in use and what it holds"),
    ParameterError: (ExitCode.DATA, "give parameters as -p NAME=VALUE; `armsgraph queries` lists the statements"),
    QueryNotFoundError: (ExitCode.DATA, "`armsgraph queries` lists the named statements"),
    MappingError: (ExitCode.DATA, "docs/mappings.md describes a mapping file"),
    IngestError: (ExitCode.DATA, "docs/formats.md describes a bundle and its files"),
    SettingsError: (ExitCode.DATA, "docs/settings.md lists every setting and its environment variable"),
    SchemaError: (ExitCode.DATA, "fix the file and field named; docs/architecture.md describes the graph model"),
    AnalyticsError: (ExitCode.DATA, "docs/analytics.md describes each analysis and its settings"),
    ArmsgraphError: (ExitCode.DATA, "`armsgraph COMMAND --help` and docs/cli.md"),
    OSError: (ExitCode.DATA, "check the path, its permissions and the free disk space"),
}

INTERNAL_HINT = "a bug in armsgraph: rerun with ARMSGRAPH_DEBUG=1 for the traceback and report it"


def one_line(text: str) -> str:
    """``text`` on one line (messages may quote data with line breaks)."""
    return " ".join(text.split())


def _usage(exc: TyperException) -> tuple[ExitCode, str]:
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "armsgraph"
    return ExitCode.USAGE, f"{one_line(exc.format_message())} (hint: `{command} --help` lists the options)"


def _command_line(exc: TyperException) -> tuple[ExitCode, str | None]:
    """A command-line error of Typer (its click): usage (exit code 2), or a file option that cannot be opened."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        return ExitCode.USAGE, None  # the help was printed
    if exc.exit_code == ExitCode.USAGE:
        return _usage(exc)
    return ExitCode.DATA, f"{one_line(exc.format_message())} (hint: {HINTS[OSError][1]})"


def _os_message(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def failure(exc: BaseException) -> tuple[ExitCode, str | None]:
    """The exit code of ``exc`` and its one-line message (None: already shown, or nothing to say)."""
    if isinstance(exc, TyperException):
        return _command_line(exc)
    if isinstance(exc, Abort):
        return ExitCode.INCOMPLETE, "aborted: nothing was changed"
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED, "interrupted"
    if isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
        return ExitCode.INCOMPLETE, None  # the reader went away (`armsgraph query ... | head`)
    for kind in type(exc).__mro__:
        if kind in HINTS:
            code, hint = HINTS[kind]
            text = _os_message(exc) if isinstance(exc, OSError) else str(exc) or kind.__name__
            return code, f"{one_line(text)} (hint: {hint})"
    return ExitCode.INTERNAL, f"unexpected {type(exc).__name__}: {one_line(str(exc))} (hint: {INTERNAL_HINT})"
