"""Analytics commands: ``armsgraph analyse`` and ``armsgraph evaluate``."""

from __future__ import annotations

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
    ) -> None:
        """Generate a scenario, ingest, analyse, and score every analysis against the planted truth."""
        from armsgraph.analytics.evaluate import evaluate_scenario

        table = Table(
            "noise",
            "pair P",
            "pair R",
            "pair F1",
            "ARI",
            "NMI",
            "diversion R@10",
            "corridor R@10",
            title=f"armsgraph evaluate ({incidents:,} incidents, seed {seed})",
        )
        for level in noise or [1.0, 2.0]:
            s = evaluate_scenario(STATE.settings, incidents, seed, noise=level, progress=True)
            table.add_row(
                f"{level:g}",
                *[
                    f"{s[k]:.3f}"
                    for k in (
                        "pair_precision",
                        "pair_recall",
                        "pair_f1",
                        "network_ari",
                        "network_nmi",
                        "diversion_recall_at_10",
                        "corridor_recall_at_10",
                    )
                ],
            )
        console.print(table)
