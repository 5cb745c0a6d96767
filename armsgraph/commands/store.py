"""Store commands: ``info``, ``schema``, ``queries``, ``query``, ``stop``, ``reset``."""

from __future__ import annotations

import enum
import json
import re
import sys
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from armsgraph.commands.common import STATE, console, store_session
from armsgraph.errors import ParameterError
from armsgraph.graph import queries
from armsgraph.graph.embedded_server import EmbeddedServer

_INT_RE = re.compile(r"-?[0-9]{1,18}", re.ASCII)
_FLOAT_RE = re.compile(r"-?[0-9]+\.[0-9]*([eE][-+]?[0-9]+)?", re.ASCII)
_WORDS = {"true": True, "false": False, "null": None}


class Format(enum.StrEnum):
    """How ``armsgraph query`` prints its rows."""

    table = "table"
    csv = "csv"
    json = "json"


def _value(name: str, text: str) -> Any:
    """A typed parameter value: ASCII integer, decimal, true/false/null, a JSON list or quoted string, else text."""
    if _INT_RE.fullmatch(text):
        return int(text)
    if _FLOAT_RE.fullmatch(text):
        return float(text)
    if text in _WORDS:
        return _WORDS[text]
    if text[:1] in ("[", '"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"parameter ${name}: {text!r} is not valid JSON ({exc.msg})") from None
    return text


def _params(pairs: list[str], statement: str) -> dict[str, Any]:
    """``NAME=VALUE`` options as typed parameters; names checked before anything reaches the store."""
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParameterError(f"expected -p NAME=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        if not queries.PARAM_RE.fullmatch(name):
            raise ParameterError(f"parameter name {name!r} is not an identifier (letters, digits, _; 64 at most)")
        out[name] = _value(name, value)
    queries.check_params(out, statement)
    return out


def _cell(value: Any) -> str:
    """A value in full, as text: lists and maps as JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


app = typer.Typer()


@app.command()
def info() -> None:
    """Show the settings in use and what the store holds."""
    settings = STATE.settings
    console.print(f"store: [bold]{settings.store.kind}[/]")
    if settings.store.kind == "embedded":
        console.print(f"data directory: {settings.data_dir}")
    else:
        console.print(f"neo4j: {settings.neo4j_uri} (database {settings.neo4j_database})")
    with store_session() as store:
        counts = store.counts()
    table = Table("label / type", "count", title="graph contents")
    for name, count in sorted(counts.items()):
        table.add_row(name, f"{count:,}")
    console.print(table if counts else "the graph is empty")


@app.command()
def schema() -> None:
    """Create the constraints and indexes of the graph model (idempotent)."""
    with store_session() as store:
        store.apply_schema()
        console.print(
            f"schema applied: {len(store.model.nodes)} node types, {len(store.model.relationships)} relationship types"
        )


@app.command("queries")
def list_queries() -> None:
    """List the named Cypher statements."""
    table = Table("name", "description")
    for name in queries.names():
        table.add_row(name, queries.description(name))
    console.print(table)


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A named read (see `armsgraph queries`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (typed: 3, 2.5, true, [..])")
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows to print as a table (csv and json print every row).")] = 50,
    fmt: Annotated[
        Format, typer.Option("--format", help="table, or csv / json with every row and full values.")
    ] = Format.table,
) -> None:
    """Run a named read-only query and print its rows (writes are refused)."""
    params = _params(param or [], name)
    with store_session() as store:
        frame = store.read(name, **params)
    if fmt is Format.csv:
        frame.map(_cell).to_csv(sys.stdout, index=False)
        return
    if fmt is Format.json:
        json.dump(_records(frame), sys.stdout, ensure_ascii=False, default=str, indent=1)
        sys.stdout.write("\n")
        return
    table = Table(*[str(c) for c in frame.columns])
    for row in frame.head(limit).itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    console.print(f"{len(frame):,} rows")


@app.command()
def stop() -> None:
    """Stop the embedded FalkorDB server of the data directory (if running)."""
    server = EmbeddedServer(STATE.settings.data_dir)
    with server.locked():
        was = server.alive()
        server.shutdown()
    console.print("embedded store stopped" if was else "embedded store was not running")


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False) -> None:
    """Delete everything in the graph."""
    if not yes:
        typer.confirm("Delete every node and relationship?", abort=True)
    with store_session() as store:
        summary = store.write("clear_graph")
    console.print(f"deleted {summary.nodes_deleted:,} nodes")
