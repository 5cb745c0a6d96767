"""Analytics commands: ``armsgraph analyse`` and ``armsgraph evaluate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from armsgraph.analytics import ANALYSES, run_all
from armsgraph.commands.common import STATE, console, store_session


def register(app: typer.Typer) -> None:
    """Add ``analyse`` and ``evaluate`` to ``app``."""

    @app.command()
    def analyse(
        only: Annotated[list[str] | None, typer.Option(help=f"Run only these: {', '.join(ANALYSES)}.")] = None,
        seed: Annotated[int, typer.Option(help="Seed for community detection and sampling.")] = 0,
        top: Annotated[int, typer.Option(help="Rows of each table to print.")] = 5,
    ) -> None:
        """Run the analyses, write their results into the graph, and print the top of each table."""
        with store_session() as store:
            results = run_all(store, seed=seed, only=only, progress=True)
        for name, tables in results.items():
            for table_name, frame in tables.items():
                table = Table(*[str(c) for c in frame.columns[:8]], title=f"{name}: {table_name} ({len(frame):,} rows)")
                for row in frame.head(top).itertuples(index=False):
                    table.add_row(*[str(v)[:40] for v in list(row)[:8]])
                console.print(table)

    @app.command()
    def evaluate(
        incidents: Annotated[int, typer.Option(help="Incidents in the generated scenario.")] = 10_000,
        seed: Annotated[int, typer.Option(help="Scenario seed.")] = 7,
        noise: Annotated[list[float] | None, typer.Option(help="Noise levels (repeat), default 1 and 2.")] = None,
        output: Annotated[Path | None, typer.Option(help="Also write the scores as JSON here.")] = None,
    ) -> None:
        """Generate a scenario, ingest, analyse, and score every analysis against the planted truth."""
        from armsgraph.analytics.evaluate import evaluate_scenario, evaluation_table

        scores = [
            evaluate_scenario(STATE.settings, incidents, seed, noise=level, progress=True)
            for level in noise or [1.0, 2.0]
        ]
        console.print(evaluation_table(scores))
        if output is not None:
            output.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
            console.print(f"scores written to {output}")
