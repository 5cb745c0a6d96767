"""Store commands: info, schema, named queries, stop, reset."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from armsgraph.commands.common import STATE, console, store_session
from armsgraph.graph import queries
from armsgraph.graph.embedded import EmbeddedServer


def _params(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"expected NAME=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        out[name] = int(value) if value.lstrip("-").isdigit() else value
    return out


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app``."""

    @app.command()
    def info() -> None:
        """Show the settings in use and what the store holds."""
        settings = STATE.settings
        console.print(f"store: [bold]{settings.store}[/]")
        if settings.store == "embedded":
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
                f"schema applied: {len(store.model.nodes)} node types, "
                f"{len(store.model.relationships)} relationship types"
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
        param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE")] = None,
        limit: Annotated[int, typer.Option(help="Rows to print.")] = 50,
    ) -> None:
        """Run a named read-only query and print its rows (writes are refused)."""
        with store_session() as store:
            frame = store.read(name, **_params(param or []))
        table = Table(*[str(c) for c in frame.columns])
        for row in frame.head(limit).itertuples(index=False):
            table.add_row(*[str(v) for v in row])
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
